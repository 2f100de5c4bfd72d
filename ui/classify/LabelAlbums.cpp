// Filing classified images into label albums (see LabelAlbums.h): one
// Catalog connection per call, opened and closed here on the caller's worker
// thread; the first failure stops the filing and becomes filing.error.

#include "LabelAlbums.h"

#include "AlbumLibrary.h"
#include "AlbumStore.h"
#include "Catalog.h"
#include "LibraryModel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QtDebug>

namespace photosearch {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("LabelAlbums", text);
}

// Album name → the paths the library holds; the others are counted.
QMap<QString, QStringList> libraryPathsByAlbum(const AlbumStore& store, const QList<AlbumAssignment>& assignments,
                                               int* notInLibrary)
{
    QMap<QString, QStringList> byAlbum;
    for (const AlbumAssignment& a : assignments) {
        try {
            store.photoIdForPath(a.path);
            byAlbum[a.album.trimmed()] << a.path;
        } catch (const AlbumError&) {
            ++*notInLibrary;
        }
    }
    return byAlbum;
}

// The sentence for the person when filing stopped at `album` (empty: before
// any album, i.e. opening the catalog failed).
QString filingError(const std::exception& e, const QString& album)
{
    if (album.isEmpty())
        return tr("The library catalog could not be opened, so no album was changed; check the library folder and "
                  "try again.");
    if (dynamic_cast<const AlbumError*>(&e))
        return QString::fromUtf8(e.what()); // already the sentence for the person
    if (dynamic_cast<const CatalogError*>(&e))
        return tr("The images could not be put into the album \"%1\": the library catalog could not be written; "
                  "if an index run is going, try again when it has finished.")
            .arg(album);
    return tr("The images could not be put into the album \"%1\"; try again, and if it keeps failing, restart "
              "PhotoSearch.")
        .arg(album);
}

} // namespace

AlbumFiling fileIntoLabelAlbums(const QString& libraryDir, const QList<AlbumAssignment>& assignments)
{
    AlbumFiling filing;
    if (!QFileInfo::exists(QDir(libraryDir).filePath(QStringLiteral("catalog.sqlite")))) {
        filing.notInLibrary = int(assignments.size()); // no library yet: nothing is in it
        return filing;
    }
    QString album;
    try {
        Catalog catalog(libraryDir);
        AlbumStore store(catalog);
        const QMap<QString, QStringList> byAlbum = libraryPathsByAlbum(store, assignments, &filing.notInLibrary);
        AlbumLibrary albums(catalog, libraryModelId(catalog));
        for (auto it = byAlbum.constBegin(); it != byAlbum.constEnd(); ++it) {
            album = it.key();
            // A stored album wins over a tag album of the same name, so
            // creating it first keeps a label like "red" from being refused
            // as the tag's album.
            if (!store.album(album))
                store.create(album, AlbumKind::Manual);
            filing.added += albums.add(album, it.value());
            filing.albums << album;
        }
    } catch (const std::exception& e) {
        qWarning("Putting classified images into albums failed at \"%s\": %s", qPrintable(album), e.what());
        filing.error = filingError(e, album);
    }
    return filing;
}

} // namespace photosearch
