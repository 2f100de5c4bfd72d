#pragma once
// Who has catalog.sqlite open, told by flock(2) on a read-only descriptor of
// the file itself: every Catalog holds a shared lock for its lifetime, and
// `photosearch-cli repair` takes it exclusively before it moves the file, so
// that no open connection keeps writing into a file that was moved aside,
// nor deletes the -wal/-shm of the new one by name when it closes.
//
// Why flock on the catalog and not a lock file: it works on read-only
// libraries where no file can be created, it is released when a process
// dies, and on Linux it is independent of SQLite's POSIX (fcntl) locks on the
// same file. Not on NFS or SMB, where the kernel emulates flock with POSIX
// locks that would meet SQLite's: there no lock is taken.
//
// One descriptor per catalog file per process, shared by every Catalog on
// it and closed only when the last of them has closed: on Linux, closing
// ANY descriptor of a file drops every POSIX lock the process holds on it,
// SQLite's included, and another process closing the catalog would then
// believe it is the last user and delete the -wal/-shm under a live
// connection (lost commits, stale reads).

#include <QString>

namespace photosearch {

class CatalogUseLock {
public:
    CatalogUseLock() = default;
    ~CatalogUseLock();
    CatalogUseLock(CatalogUseLock&& other) noexcept;
    CatalogUseLock& operator=(CatalogUseLock&& other) noexcept;
    CatalogUseLock(const CatalogUseLock&) = delete;
    CatalogUseLock& operator=(const CatalogUseLock&) = delete;

    // The shared lock a Catalog holds on `file`, created empty when missing
    // and `create` is set. Throws CatalogError when repair holds the file.
    // Without a lock (nothing thrown) when the file cannot be opened (SQLite
    // then says why) or the file system has no independent flock.
    static CatalogUseLock shared(const QString& file, bool create);

    // The exclusive lock repair takes; throws CatalogError with the sentence
    // "in use ... close them and run repair again" when anything holds the
    // file open.
    static CatalogUseLock exclusive(const QString& file);

    void release();

    // A file by device and inode (the table's key).
    struct Key {
        unsigned long long device = 0;
        unsigned long long inode = 0;
        bool operator<(const Key& o) const { return device != o.device ? device < o.device : inode < o.inode; }
    };

private:
    static CatalogUseLock registered(const Key& key) { CatalogUseLock l; l.key_ = key; l.shared_ = true; return l; }
    static CatalogUseLock ownFd(int fd) { CatalogUseLock l; l.fd_ = fd; return l; }

    int fd_ = -1;        // exclusive: this lock's own descriptor
    Key key_;            // shared: the file in the process-wide table
    bool shared_ = false;
};

} // namespace photosearch
