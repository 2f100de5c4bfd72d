// The folder watcher (see FolderWatcher.h): arms a QFileSystemWatcher over
// each root's directory tree, debounces events per root, and falls back to
// a periodic rescan when the system's watches run out. Thread rule: the
// thread it lives on only (it walks directories; its timers belong there).

#include "FolderWatcher.h"

#include <QDir>
#include <QDirIterator>
#include <QtDebug>

#include <algorithm>

namespace photosearch {

FolderWatcher::FolderWatcher(QObject* parent)
    : QObject(parent)
{
}

FolderWatcher::~FolderWatcher() = default;

QStringList FolderWatcher::roots() const
{
    QStringList list;
    for (const auto& [root, state] : roots_)
        list << root;
    return list;
}

bool FolderWatcher::isPolling(const QString& root) const
{
    const auto it = roots_.find(root);
    return it != roots_.end() && it->second->rescan.isActive();
}

void FolderWatcher::unwatchAll()
{
    // A fresh watcher drops every watch at once (removePaths on a large tree is slow).
    watcher_ = std::make_unique<QFileSystemWatcher>();
    connect(watcher_.get(), &QFileSystemWatcher::directoryChanged, this, &FolderWatcher::onDirectoryChanged);
}

void FolderWatcher::setRoots(const QStringList& roots)
{
    unwatchAll();
    roots_.clear();
    for (const QString& path : roots) {
        const QString root = QDir::cleanPath(path);
        if (roots_.count(root))
            continue;
        auto state = std::make_unique<Root>();
        state->quiet.setSingleShot(true);
        connect(&state->quiet, &QTimer::timeout, this, [this, root] {
            const auto it = roots_.find(root);
            if (it != roots_.end())
                it->second->first.invalidate();
            Q_EMIT rootChanged(root);
        });
        state->rescan.setInterval(kRescanMs);
        connect(&state->rescan, &QTimer::timeout, this, [this, root] { Q_EMIT rootChanged(root); });
        roots_.emplace(root, std::move(state));
        if (enabled_)
            arm(root, root);
    }
}

void FolderWatcher::setIgnored(const QStringList& dirs)
{
    ignored_.clear();
    for (const QString& dir : dirs)
        ignored_ << QDir::cleanPath(dir);
    setRoots(roots());
}

void FolderWatcher::setEnabled(bool enabled)
{
    if (enabled == enabled_)
        return;
    enabled_ = enabled;
    const QStringList list = roots();
    if (enabled) {
        setRoots(list);
        return;
    }
    unwatchAll();
    for (auto& [root, state] : roots_) {
        state->quiet.stop();
        state->rescan.stop();
        state->first.invalidate();
    }
}

// Watches `dir` and every directory below it (not following symlinks: the
// scanner does not either, and a loop would never end).
void FolderWatcher::arm(const QString& root, const QString& dir)
{
    if (!QFileInfo(dir).isDir())
        return;
    QStringList dirs{dir};
    QDirIterator it(dir, QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        dirs << it.next();
    const QStringList watched = watcher_->directories();
    const auto skip = [&](const QString& d) {
        for (const QString& ignored : ignored_)
            if (d == ignored || d.startsWith(ignored + QLatin1Char('/')))
                return true;
        return watched.contains(d);
    };
    dirs.erase(std::remove_if(dirs.begin(), dirs.end(), skip), dirs.end());
    if (dirs.isEmpty())
        return;
    const QStringList refused = watcher_->addPaths(dirs);
    if (refused.isEmpty())
        return;
    Root& state = *roots_.at(root);
    if (!state.rescan.isActive())
        state.rescan.start();
    if (!loggedExhaustion_) {
        loggedExhaustion_ = true;
        qWarning("%lld folders under %s cannot be watched (the system's limit on file watches is reached, see "
                 "fs.inotify.max_user_watches); the folder is rescanned every %d minutes instead.",
                 qlonglong(refused.size()), qPrintable(root), kRescanMs / 60'000);
    }
}

QString FolderWatcher::rootOf(const QString& path) const
{
    QString best;
    for (const auto& [root, state] : roots_)
        if ((path == root || path.startsWith(root + QLatin1Char('/'))) && root.size() > best.size())
            best = root;
    return best;
}

void FolderWatcher::onDirectoryChanged(const QString& dir)
{
    const QString root = rootOf(dir);
    if (root.isEmpty() || !enabled_)
        return;
    // New subdirectories need watches of their own; deleted ones dropped
    // theirs already (QFileSystemWatcher removes a path that is gone).
    arm(root, dir);
    noteChange(root);
}

void FolderWatcher::noteChange(const QString& root)
{
    Root& state = *roots_.at(root);
    if (!state.first.isValid())
        state.first.start();
    const qint64 left = kMaxDelayMs - state.first.elapsed();
    state.quiet.start(int(std::max<qint64>(0, std::min<qint64>(kQuietMs, left))));
}

} // namespace photosearch
