#include "CatalogUseLock.h"

#include "Catalog.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace photosearch {

namespace {

// File systems whose flock(2) is POSIX locks underneath (NFS, SMB/CIFS).
bool flockIsEmulated(int fd)
{
    struct statfs fs {};
    if (::fstatfs(fd, &fs) != 0)
        return false;
    const auto type = static_cast<unsigned long>(fs.f_type);
    return type == 0x6969UL /* NFS */ || type == 0xFF534D42UL /* CIFS */ || type == 0xFE534D42UL /* SMB2 */
        || type == 0x517BUL /* SMB */;
}

// Whether `fd` is still the file `path` names (a repair may have swapped
// the file between open and flock).
bool stillNamed(int fd, const QByteArray& path)
{
    struct stat a {}, b {};
    return ::fstat(fd, &a) == 0 && ::stat(path.constData(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int openForLock(const QByteArray& path, bool create)
{
    // O_NONBLOCK: a FIFO put in the catalog's place must not hang the open
    // (callers check the type first; this closes the race).
    int fd;
    do
        fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (create ? O_CREAT : 0), 0644);
    while (fd < 0 && errno == EINTR);
    return fd;
}

int lockRetrying(int fd, int operation)
{
    int rc;
    do
        rc = ::flock(fd, operation);
    while (rc != 0 && errno == EINTR);
    return rc;
}

CatalogUseLock::Key keyOf(const struct stat& st)
{
    return {static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino)};
}

// The process's descriptors of open catalogs (see the header for why one per
// file): how many Catalogs use each. Guarded by tableMutex().
struct SharedFile {
    int fd = -1;
    int users = 0;
};

std::mutex& tableMutex()
{
    static std::mutex m;
    return m;
}

std::map<CatalogUseLock::Key, SharedFile>& table()
{
    static std::map<CatalogUseLock::Key, SharedFile> t;
    return t;
}

// The entry for the file `path` names now, if this process has one.
SharedFile* entryNamed(const QByteArray& path, CatalogUseLock::Key* key)
{
    struct stat st {};
    if (::stat(path.constData(), &st) != 0)
        return nullptr;
    *key = keyOf(st);
    const auto it = table().find(*key);
    return it == table().end() ? nullptr : &it->second;
}

} // namespace

CatalogUseLock::~CatalogUseLock()
{
    release();
}

CatalogUseLock::CatalogUseLock(CatalogUseLock&& other) noexcept
    : fd_(other.fd_)
    , key_(other.key_)
    , shared_(other.shared_)
{
    other.fd_ = -1;
    other.shared_ = false;
}

CatalogUseLock& CatalogUseLock::operator=(CatalogUseLock&& other) noexcept
{
    if (this != &other) {
        release();
        fd_ = other.fd_;
        key_ = other.key_;
        shared_ = other.shared_;
        other.fd_ = -1;
        other.shared_ = false;
    }
    return *this;
}

void CatalogUseLock::release()
{
    if (fd_ >= 0)
        ::close(fd_); // closing the last descriptor of the open file drops the flock
    fd_ = -1;
    if (shared_) {
        const std::lock_guard<std::mutex> guard(tableMutex());
        const auto it = table().find(key_);
        // The last Catalog on the file has closed its connection (a Catalog
        // releases this after SQLite), so no SQLite lock of ours is left to drop.
        if (it != table().end() && --it->second.users == 0) {
            ::close(it->second.fd);
            table().erase(it);
        }
    }
    shared_ = false;
}

CatalogUseLock CatalogUseLock::shared(const QString& file, bool create)
{
    const QByteArray path = QFile::encodeName(file);
    const std::lock_guard<std::mutex> guard(tableMutex());
    // A few tries: each failed one means a repair swapped the file meanwhile.
    for (int attempt = 0; attempt < 5; ++attempt) {
        Key key;
        if (SharedFile* open = entryNamed(path, &key)) {
            ++open->users; // its descriptor holds the shared lock for all
            return registered(key);
        }
        const int fd = openForLock(path, create);
        if (fd < 0)
            return {};
        struct stat st {};
        if (::fstat(fd, &st) != 0 || table().count(keyOf(st)) != 0) {
            // Named anew between stat and open, as a file this process has
            // open: closing this descriptor would drop SQLite's locks on it.
            continue; // (leaks one descriptor in that rare race, by design)
        }
        if (!flockIsEmulated(fd) && lockRetrying(fd, LOCK_SH | LOCK_NB) != 0) {
            const int err = errno;
            ::close(fd); // no Catalog of this process has this file open
            if (err == EWOULDBLOCK)
                throw CatalogError(QStringLiteral("%1 is being repaired by photosearch-cli repair; wait for it to "
                                                  "finish and try again.")
                                       .arg(file)
                                       .toStdString());
            qWarning("%s: no shared lock (%s); a repair will not see this use.", qPrintable(file),
                     std::strerror(err));
            return {};
        }
        if (!stillNamed(fd, path)) {
            ::close(fd);
            continue;
        }
        // Kept even where flock is emulated (NFS, SMB): closing it would drop
        // SQLite's locks as surely.
        table()[keyOf(st)] = SharedFile{fd, 1};
        return registered(keyOf(st));
    }
    throw CatalogError(QStringLiteral("%1 kept being replaced while it was opened; wait for photosearch-cli repair "
                                      "to finish and try again.")
                           .arg(file)
                           .toStdString());
}

CatalogUseLock CatalogUseLock::exclusive(const QString& file)
{
    const QByteArray path = QFile::encodeName(file);
    {
        // This process has it open: a second descriptor's flock would not
        // see our own shared lock as "in use" if it were the same one, and
        // closing it later would drop SQLite's locks.
        const std::lock_guard<std::mutex> guard(tableMutex());
        Key key;
        if (entryNamed(path, &key))
            throw CatalogError(QStringLiteral("%1 is in use by this PhotoSearch process; close it and run repair "
                                              "again.")
                                   .arg(file)
                                   .toStdString());
    }
    const int fd = openForLock(path, false);
    if (fd < 0)
        throw CatalogError(QStringLiteral("%1 could not be opened to repair it (%2); check the library folder and try "
                                          "again.")
                               .arg(file, QString::fromLocal8Bit(std::strerror(errno)))
                               .toStdString());
    CatalogUseLock lock = ownFd(fd);
    if (flockIsEmulated(fd))
        return lock;
    if (lockRetrying(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            throw CatalogError(QStringLiteral("%1 is in use by PhotoSearch or another photosearch-cli command; close "
                                              "them and run repair again.")
                                   .arg(file)
                                   .toStdString());
        qWarning("%s: no exclusive lock (%s); repairing without it.", qPrintable(file), std::strerror(errno));
    }
    return lock;
}

} // namespace photosearch
