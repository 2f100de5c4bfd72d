#include "CatalogUseLock.h"

#include "Catalog.h"

#include <QFile>

#include <cerrno>
#include <cstring>

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

} // namespace

CatalogUseLock::~CatalogUseLock()
{
    release();
}

CatalogUseLock::CatalogUseLock(CatalogUseLock&& other) noexcept
    : fd_(other.fd_)
{
    other.fd_ = -1;
}

CatalogUseLock& CatalogUseLock::operator=(CatalogUseLock&& other) noexcept
{
    if (this != &other) {
        release();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

void CatalogUseLock::release()
{
    if (fd_ >= 0)
        ::close(fd_); // closing the last descriptor of the open file drops the flock
    fd_ = -1;
}

CatalogUseLock CatalogUseLock::shared(const QString& file, bool create)
{
    const QByteArray path = QFile::encodeName(file);
    // A few tries: each failed one means a repair swapped the file meanwhile.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const int fd = openForLock(path, create);
        if (fd < 0)
            return {};
        CatalogUseLock lock(fd);
        if (flockIsEmulated(fd))
            return {};
        if (lockRetrying(fd, LOCK_SH | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK)
                throw CatalogError(QStringLiteral("%1 is being repaired by photosearch-cli repair; wait for it to "
                                                  "finish and try again.")
                                       .arg(file)
                                       .toStdString());
            qWarning("%s: no shared lock (%s); a repair will not see this use.", qPrintable(file),
                     std::strerror(errno));
            return {};
        }
        if (stillNamed(fd, path))
            return lock;
    }
    throw CatalogError(QStringLiteral("%1 kept being replaced while it was opened; wait for photosearch-cli repair "
                                      "to finish and try again.")
                           .arg(file)
                           .toStdString());
}

CatalogUseLock CatalogUseLock::exclusive(const QString& file)
{
    const QByteArray path = QFile::encodeName(file);
    const int fd = openForLock(path, false);
    if (fd < 0)
        throw CatalogError(QStringLiteral("%1 could not be opened to repair it (%2); check the library folder and try "
                                          "again.")
                               .arg(file, QString::fromLocal8Bit(std::strerror(errno)))
                               .toStdString());
    CatalogUseLock lock(fd);
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
