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
        filing.error = album.isEmpty()
                           ? tr("The library catalog could not be opened, so no album was changed; check the "
                                "library folder and try again.")
                           : tr("The album \"%1\" could not be changed; see the log for why.").arg(album);
    }
    return filing;
}

} // namespace photosearch
