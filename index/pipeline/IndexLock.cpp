#include "IndexLock.h"

#include "Catalog.h"
#include "VectorCache.h"

#include <QDir>
#include <QFile>
#include <QLockFile>

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace photosearch {

IndexBusyError indexBusyError(const QString& libraryDir, qint64 pid)
{
    if (pid > 0)
        return IndexBusyError(QStringLiteral("Another PhotoSearch process (pid %1) is indexing %2; wait for it to "
                                             "finish or stop it, then run again.")
                                  .arg(pid)
                                  .arg(libraryDir)
                                  .toStdString());
    // Being written this instant, or left damaged: Qt takes a lock it cannot
    // read over once it is 30 s old.
    return IndexBusyError(QStringLiteral("%1 is locked by %2, which names no process; if no other PhotoSearch "
                                         "is indexing this library, run again in a minute.")
                              .arg(libraryDir, indexLockPath(libraryDir))
                              .toStdString());
}

QString lockFileErrorSentence(int errnum, const QString& libraryDir)
{
    const QString dir = QDir::toNativeSeparators(libraryDir);
    switch (errnum) {
    case ENOSPC:
    case EFBIG: // a file-size limit (ulimit -f) reads to the user as a full disk
        return QStringLiteral("The disk holding the library (%1) is full; free some space and run again.").arg(dir);
    case EDQUOT:
        return QStringLiteral("The library (%1) is over its disk quota; free some space or raise the quota, and "
                              "run again.").arg(dir);
    case EROFS:
        return QStringLiteral("The library (%1) is on a read-only disk; index into a library on a writable disk "
                              "(--library DIR).").arg(dir);
    case EACCES:
    case EPERM:
        return QStringLiteral("The library folder %1 is not writable; check its permissions or choose another with "
                              "--library.").arg(dir);
    default:
        return {};
    }
}

namespace {

// Why nothing can be written into `dir` now: the errno of creating and
// writing a small probe file, else ENOSPC when no block is left for users
// (root may still write into the reserved ones), else 0.
int libraryWriteErrno(const QString& dir)
{
    QByteArray name = QFile::encodeName(dir) + "/.write-probe-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        return errno;
    const QByteArray block(4096, '\0');
    int result = 0;
    // A short write sets no errno: the write after it says why (EFBIG at a
    // file-size limit, ENOSPC).
    for (qsizetype done = 0; done < block.size() && result == 0;) {
        const ssize_t n = ::write(fd, block.constData() + done, size_t(block.size() - done));
        if (n > 0)
            done += n;
        else if (n == 0 || errno != EINTR)
            result = n == 0 ? ENOSPC : errno;
    }
    if (result == 0 && ::fsync(fd) != 0)
        result = errno;
    ::close(fd);
    ::unlink(name.constData());
    struct statvfs fs {};
    if (result == 0 && ::statvfs(QFile::encodeName(dir).constData(), &fs) == 0 && fs.f_bavail == 0)
        result = ENOSPC;
    return result;
}

} // namespace

void takeIndexLock(QLockFile& lock, const QString& libraryDir)
{
    if (lock.tryLock(0))
        return;
    qint64 pid = 0;
    QString host, app;
    if (!lock.getLockInfo(&pid, &host, &app))
        pid = 0;
    // Not created or written (Qt: PermissionError, UnknownError for a full
    // disk), or a lock naming no process (what a disk-full stop leaves).
    if (lock.error() != QLockFile::LockFailedError || pid <= 0) {
        const QString sentence = lockFileErrorSentence(libraryWriteErrno(libraryDir), libraryDir);
        if (!sentence.isEmpty()) {
            qWarning("index.lock in %s: QLockFile error %d", qPrintable(libraryDir), int(lock.error()));
            throw CatalogError(sentence.toStdString());
        }
    }
    throw indexBusyError(libraryDir, pid);
}

} // namespace photosearch
