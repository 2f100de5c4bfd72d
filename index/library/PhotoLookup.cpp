#include "PhotoLookup.h"

#include "Catalog.h"
#include "RawTwins.h"

#include <QDir>
#include <QFileInfo>

namespace photosearch {

std::optional<qint64> photoIdForPath(const Catalog& catalog, const QString& path)
{
    const QFileInfo info(path);
    for (const QString& candidate : {QDir::cleanPath(info.absoluteFilePath()), info.canonicalFilePath()}) {
        if (candidate.isEmpty())
            continue;
        if (const std::optional<PhotoRecord> photo = catalog.photoByPath(candidate))
            return photo->id;
        // A RAW with a JPEG/HEIF twin is in the library as that twin.
        if (const QString twin = developedTwinOf(candidate); !twin.isEmpty())
            if (const std::optional<PhotoRecord> photo = catalog.photoByPath(twin))
                return photo->id;
    }
    return std::nullopt;
}

} // namespace photosearch
