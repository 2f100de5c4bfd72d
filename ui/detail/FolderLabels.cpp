// Short labels for library folders; see FolderLabels.h. Strings only, no
// disk access: safe on the GUI thread and any other.

#include "FolderLabels.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>

namespace photosearch {

QString folderPathLabel(const QString& path)
{
    const QString home = QDir::homePath();
    if (home != QLatin1String("/") && (path == home || path.startsWith(home + QLatin1Char('/'))))
        return QDir::toNativeSeparators(QLatin1Char('~') + path.mid(home.size()));
    return QDir::toNativeSeparators(path);
}

QStringList folderLabels(const QStringList& paths)
{
    QStringList names;
    QHash<QString, int> uses;
    for (const QString& path : paths) {
        names << QFileInfo(path).fileName(); // string work only, no stat
        ++uses[names.last()];
    }
    QStringList labels;
    for (int i = 0; i < paths.size(); ++i) {
        const QString& name = names.at(i);
        labels << (name.isEmpty() || uses.value(name) > 1 ? folderPathLabel(paths.at(i)) : name);
    }
    return labels;
}

} // namespace photosearch
