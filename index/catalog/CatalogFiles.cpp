#include "CatalogFiles.h"

#include "Catalog.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace photosearch {

namespace {

QByteArray nativeName(const QString& path)
{
    return QFile::encodeName(path);
}

[[noreturn]] void failMove(const QString& from, const QString& to, int errnum)
{
    throw CatalogError(QStringLiteral("%1 could not be renamed to %2 (%3); nothing was changed; check the library "
                                      "folder and try again.")
                           .arg(from, to, QString::fromLocal8Bit(std::strerror(errnum)))
                           .toStdString());
}

// The renames done so far, undone newest first (best effort: the one that
// failed is the error reported).
struct Undo {
    std::vector<std::pair<QString, QString>> renamed; // (from, to)
    QString linked;

    void run() const
    {
        for (auto it = renamed.rbegin(); it != renamed.rend(); ++it)
            if (!renamePath(it->second, it->first))
                qWarning("%s could not be renamed back to %s: %s", qPrintable(it->second), qPrintable(it->first),
                         std::strerror(errno));
        if (!linked.isEmpty())
            ::unlink(nativeName(linked).constData());
    }
};

// Errors of link(2) that mean "this file system has no hard links".
bool noHardLinks(int errnum)
{
    return errnum == EPERM || errnum == EOPNOTSUPP || errnum == ENOSYS || errnum == EMLINK || errnum == EXDEV;
}

} // namespace

CatalogFileKind requireCatalogFileKind(const QString& file)
{
    struct stat st {};
    if (::stat(nativeName(file).constData(), &st) != 0) {
        if (errno == ENOENT)
            return CatalogFileKind::Missing;
        return CatalogFileKind::Regular; // unreadable folder and the like: the open says why
    }
    if (S_ISDIR(st.st_mode))
        throw CatalogError(QStringLiteral("%1 is a folder, not a catalog file; move it away or choose another "
                                          "library.")
                               .arg(file)
                               .toStdString());
    if (!S_ISREG(st.st_mode)) {
        const char* what = S_ISFIFO(st.st_mode) ? "a FIFO"
            : S_ISSOCK(st.st_mode)              ? "a socket"
            : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                          : "a special file";
        throw CatalogError(QStringLiteral("%1 is %2, not a catalog file; move it away or choose another library.")
                               .arg(file, QString::fromLatin1(what))
                               .toStdString());
    }
    return st.st_size == 0 ? CatalogFileKind::Empty : CatalogFileKind::Regular;
}

bool syncPath(const QString& path, bool directory)
{
    const int fd = ::open(nativeName(path).constData(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

bool renamePath(const QString& from, const QString& to)
{
    return std::rename(nativeName(from).constData(), nativeName(to).constData()) == 0;
}

void removeWithSideFiles(const QString& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        ::unlink(nativeName(path + QLatin1String(suffix)).constData());
}

void replaceKeepingAside(const QString& replacement, const QString& file, const QString& aside)
{
    Undo undo;
    // A link first: the old file is kept under `aside` before anything moves.
    const bool linked = ::link(nativeName(file).constData(), nativeName(aside).constData()) == 0;
    if (!linked && !noHardLinks(errno))
        failMove(file, aside, errno);
    if (linked)
        undo.linked = aside;
    for (const char* suffix : {"-wal", "-shm"}) {
        const QString side = file + QLatin1String(suffix);
        const QString target = aside + QLatin1String(suffix);
        if (!QFileInfo::exists(side))
            continue;
        if (!renamePath(side, target)) {
            const int errnum = errno;
            undo.run();
            failMove(side, target, errnum);
        }
        undo.renamed.emplace_back(side, target);
    }
    if (!linked) {
        if (!renamePath(file, aside)) {
            const int errnum = errno;
            undo.run();
            failMove(file, aside, errnum);
        }
        undo.renamed.emplace_back(file, aside);
    }
    if (!renamePath(replacement, file)) {
        const int errnum = errno;
        undo.run();
        failMove(replacement, file, errnum);
    }
    const QString dir = QFileInfo(file).absolutePath();
    if (!syncPath(dir, true))
        qWarning("%s could not be synced: %s", qPrintable(dir), std::strerror(errno));
}

} // namespace photosearch
