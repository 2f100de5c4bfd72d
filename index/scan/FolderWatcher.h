#pragma once
// Tells when something under one of the library's folders changed, so that
// the window can re-index that folder without being asked: a
// QFileSystemWatcher over every directory under the roots (inotify watches
// directories, not trees), re-armed as directories appear and disappear.
// Events come in bursts (a copy of 500 photos), so they are debounced per
// root into one rootChanged(R): after kQuietMs without events, or at most
// kMaxDelayMs after the first. When the system runs out of watches (addPaths
// refuses some), that root falls back to a periodic rescan (rootChanged every
// kRescanMs) and the fallback is logged once.
//
// Qt Core only. Lives on one thread (it walks directories: keep it off the
// GUI thread, e.g. on the controller's library thread); use it there only.

#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <map>
#include <memory>

namespace photosearch {

class FolderWatcher : public QObject {
    Q_OBJECT
public:
    static constexpr int kQuietMs = 2'000;
    static constexpr int kMaxDelayMs = 10'000;
    static constexpr int kRescanMs = 5 * 60'000;

    explicit FolderWatcher(QObject* parent = nullptr);
    ~FolderWatcher() override;

    // Watches exactly these roots from now on (absolute paths); walks their trees.
    void setRoots(const QStringList& roots);
    // Folders never watched, with what is below them (the library's own
    // folder: its catalog changes with every run, which would start another).
    void setIgnored(const QStringList& dirs);
    // Off: no watches, no events, no rescans. On again: watches the roots anew.
    void setEnabled(bool enabled);
    bool isEnabled() const { return enabled_; }
    QStringList roots() const;
    // True when a root is rescanned periodically because watches ran out.
    bool isPolling(const QString& root) const;

Q_SIGNALS:
    // Something under `root` changed (or the periodic rescan of a root that
    // could not be fully watched came due).
    void rootChanged(const QString& root);

private:
    struct Root {
        QTimer quiet;          // single shot: the burst ended
        QElapsedTimer first;   // when the pending burst began; invalid = none pending
        QTimer rescan;         // the fallback when watches ran out
    };

    void arm(const QString& root, const QString& dir);
    void onDirectoryChanged(const QString& dir);
    void noteChange(const QString& root);
    QString rootOf(const QString& path) const;
    void unwatchAll();

    std::unique_ptr<QFileSystemWatcher> watcher_;
    std::map<QString, std::unique_ptr<Root>> roots_;
    QStringList ignored_;
    bool enabled_ = true;
    bool loggedExhaustion_ = false;
};

} // namespace photosearch
