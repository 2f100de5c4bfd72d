// The library's roots in the catalog's "library.roots" setting (see
// LibraryRoots.h). Thread rule: the Catalog's (one per thread); each change
// is read-modify-write in one transaction because the window's library and
// index threads both change the list through their own connections.

#include "LibraryRoots.h"

#include "Catalog.h"
#include "PhotoFilter.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace photosearch {
namespace {

const QString kRootsSetting = QStringLiteral("library.roots");

QString clean(const QString& path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

void storeRoots(Catalog& catalog, const QStringList& roots)
{
    catalog.setSetting(kRootsSetting,
                       QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(roots)).toJson(QJsonDocument::Compact)));
}

} // namespace

QStringList libraryRoots(const Catalog& catalog)
{
    QStringList roots;
    // A damaged value reads as no roots: the user adds the folders again.
    const QJsonArray list = QJsonDocument::fromJson(catalog.setting(kRootsSetting).toUtf8()).array();
    for (const QJsonValue& v : list)
        if (v.isString() && !v.toString().isEmpty())
            roots << v.toString();
    return roots;
}

// Read, change and write in one write transaction: the window adds roots on
// its library thread and removes them on its index thread, each with its own
// connection, and neither may lose the other's change.
void addLibraryRoot(Catalog& catalog, const QString& root)
{
    Catalog::Transaction transaction(catalog);
    QStringList roots = libraryRoots(catalog);
    const QString path = clean(root);
    if (roots.contains(path))
        return;
    roots << path;
    storeRoots(catalog, roots);
    transaction.commit();
}

void removeLibraryRoot(Catalog& catalog, const QString& root)
{
    Catalog::Transaction transaction(catalog);
    QStringList roots = libraryRoots(catalog);
    if (roots.removeAll(clean(root)) > 0)
        storeRoots(catalog, roots);
    transaction.commit();
}

qint64 removePhotosUnder(Catalog& catalog, const QString& root)
{
    QStringList prefixes;
    for (const QString& spelling : folderSpellings(root))
        prefixes << (spelling.endsWith(QLatin1Char('/')) ? spelling : spelling + QLatin1Char('/'));
    qint64 removed = 0;
    Catalog::Transaction transaction(catalog);
    for (const PhotoRecord& photo : catalog.photos()) {
        for (const QString& prefix : prefixes) {
            if (photo.path.startsWith(prefix)) {
                catalog.removePhoto(photo.id);
                ++removed;
                break;
            }
        }
    }
    transaction.commit();
    return removed;
}

} // namespace photosearch
