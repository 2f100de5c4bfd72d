#include "FolderScanner.h"

#include "ImageFormat.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>
#include <unordered_set>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace photosearch {
namespace {

// Folders that hold no photos of the user's own, whatever the settings:
// trash, NAS thumbnail caches, OS bookkeeping.
bool isSystemFolder(const QString& name)
{
    static const QSet<QString> names = {
        QStringLiteral("lost+found"), QStringLiteral("@eadir"), QStringLiteral("#recycle"),
        QStringLiteral("$recycle.bin"), QStringLiteral("system volume information"),
        QStringLiteral("__macosx"),
    };
    // Windows and NAS drives spell these in any case.
    return names.contains(name.toLower()) || name.startsWith(QLatin1String(".Trash"));
}

bool validUtf8(const char* name)
{
    // Nearly every name is ASCII: no decoder needed (a rescan checks each file's name and path).
    const char* c = name;
    while (*c != 0 && (static_cast<unsigned char>(*c) & 0x80) == 0)
        ++c;
    if (*c == 0)
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(QByteArrayView(name)); // decoding happens on conversion
    return !decoder.hasError();
}

// Kernel views rather than storage: /proc/self/root alone reaches the whole
// file system, /sys and the like hold endless or blocking pseudo files. A
// link from the photo tree into one of them is never followed. (tmpfs is
// real storage for many, so it is walked.)
bool isPseudoFileSystem(__fsword_t type)
{
    switch (type) {
    case PROC_SUPER_MAGIC: case SYSFS_MAGIC: case DEVPTS_SUPER_MAGIC: case DEBUGFS_MAGIC:
    case TRACEFS_MAGIC: case SECURITYFS_MAGIC: case CGROUP_SUPER_MAGIC: case CGROUP2_SUPER_MAGIC:
    case BPF_FS_MAGIC: case PSTOREFS_MAGIC: case SELINUX_MAGIC: case SMACK_MAGIC: case EFIVARFS_MAGIC:
    case NSFS_MAGIC: case BINFMTFS_MAGIC:
        return true;
    default:
        return false;
    }
}

// Whether following the link `name` in `dirFd` passes through a procfs
// "magic link" (/proc/<pid>/root, cwd, fd/N...): those jump to wherever the
// kernel says, out of any tree, so they are refused like procfs itself.
bool throughMagicLink(int dirFd, const char* name)
{
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_NO_MAGICLINKS;
    const int fd = int(::syscall(SYS_openat2, dirFd, name, &how, sizeof how));
    if (fd >= 0) {
        ::close(fd);
        return false;
    }
    if (errno == ELOOP)
        return true; // a magic link, or a chain of links too long to follow anyway
    if (errno != ENOSYS && errno != EPERM)
        return false; // vanished or unreadable: the caller's stat reports that
    // Kernels before 5.6 (or sandboxes that block openat2): the link's own text.
    char target[4096];
    const ssize_t n = ::readlinkat(dirFd, name, target, sizeof target - 1);
    if (n <= 0)
        return false;
    const std::string text(target, size_t(n));
    return text == "/proc" || text.rfind("/proc/", 0) == 0;
}

ImageFormat sniffFile(int dirFd, const char* name)
{
    const int fd = ::openat(dirFd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return ImageFormat::Unknown;
    char head[kImageFormatSniffBytes];
    const ssize_t n = ::read(fd, head, sizeof head);
    ::close(fd);
    return n > 0 ? sniffImageFormat(QByteArray(head, int(n))) : ImageFormat::Unknown;
}

struct FileIdHash {
    size_t operator()(const std::pair<dev_t, ino_t>& id) const
    {
        return std::hash<ino_t>()(id.second) ^ (std::hash<dev_t>()(id.first) * 0x9e3779b97f4a7c15ULL);
    }
};

class Walker {
public:
    Walker(const ScanOptions& options, ScanResult& result)
        : options_(options)
        , result_(result)
    {
    }

    void walkRoot(const QString& root)
    {
        const QString clean = QDir::cleanPath(QDir(root).absolutePath());
        const int fd = ::open(QFile::encodeName(clean).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            result_.missingRoots << clean;
            return;
        }
        walk(fd, clean, QFile::encodeName(clean).toStdString());
    }

private:
    bool cancelled() const { return options_.cancel && options_.cancel->load(); }

    // Takes ownership of dirFd.
    // `rawDirPath` is the path as the file system spells it: names that are
    // not UTF-8 do not survive a round trip through QString.
    void walk(int dirFd, const QString& dirPath, const std::string& rawDirPath)
    {
        struct stat st {};
        struct statfs fs {};
        if (::fstat(dirFd, &st) != 0 || (::fstatfs(dirFd, &fs) == 0 && isPseudoFileSystem(fs.f_type))
            || !visitedDirs_.insert({st.st_dev, st.st_ino}).second) {
            ::close(dirFd);
            return;
        }
        DIR* dir = ::fdopendir(dirFd);
        if (!dir) {
            ::close(dirFd);
            result_.unreadableFolders << dirPath;
            return;
        }
        std::vector<std::string> names;
        std::set<std::string> links; // entries that are symbolic links (or of unknown type)
        errno = 0;
        while (const dirent* e = ::readdir(dir)) {
            const std::string name = e->d_name;
            if (name != "." && name != "..") {
                names.push_back(name);
                if (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN)
                    links.insert(name);
            }
            errno = 0;
        }
        if (errno != 0)
            result_.unreadableFolders << dirPath;
        std::sort(names.begin(), names.end());

        // Files first, with the directory open; subfolders after it is
        // closed, so that a deep tree does not hold one descriptor per level.
        std::vector<std::pair<std::string, QString>> subfolders;
        for (const std::string& raw : names) {
            if (cancelled()) {
                result_.cancelled = true;
                break;
            }
            const QString name = fileSystemName(QByteArray(raw.c_str()));
            const QString path = (dirPath.endsWith(QLatin1Char('/')) ? dirPath : dirPath + QLatin1Char('/')) + name;
            if (links.count(raw) && throughMagicLink(dirfd(dir), raw.c_str()))
                continue;
            if (::fstatat(dirfd(dir), raw.c_str(), &st, 0) != 0)
                continue; // vanished since readdir, or a dangling link
            const bool hidden = !options_.includeHidden && name.startsWith(QLatin1Char('.'));
            if (S_ISDIR(st.st_mode)) {
                if (!hidden && !isSystemFolder(name))
                    subfolders.emplace_back(raw, path);
                continue;
            }
            if (!S_ISREG(st.st_mode) || hidden || !visitedFiles_.insert({st.st_dev, st.st_ino}).second)
                continue;
            const std::string rawPath = rawDirPath.back() == '/' ? rawDirPath + raw : rawDirPath + '/' + raw;
            if (onPseudoFileSystem(st.st_dev, rawPath))
                continue; // a file linked in from /proc or /sys
            addFile(dirfd(dir), raw, rawPath, path, st);
        }
        ::closedir(dir);

        for (const auto& [raw, path] : subfolders) {
            if (cancelled()) {
                result_.cancelled = true;
                return;
            }
            const std::string childPath = rawDirPath.back() == '/' ? rawDirPath + raw : rawDirPath + '/' + raw;
            const int child = ::open(childPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (child >= 0)
                walk(child, path, childPath);
            else
                result_.unreadableFolders << path;
        }
    }

    void addFile(int dirFd, const std::string& raw, const std::string& rawPath, const QString& path,
                 const struct stat& st)
    {
        const bool byName = hasImageExtension(path);
        // Only files the name does not vouch for are opened here: on network
        // and cloud drives opening costs a round trip or a download.
        const bool byContent = !byName && st.st_size > 0 && sniffFile(dirFd, raw.c_str()) != ImageFormat::Unknown;
        if (!byName && !byContent)
            return;
        ScannedFile f;
        f.path = path;
        f.size = qint64(st.st_size);
        f.mtimeMs = qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
        // Qt cannot open a file whose name it cannot represent, so such a
        // file is reported rather than passed on under a mangled name.
        if (!validUtf8(raw.c_str()))
            f.problem = QStringLiteral("The file name is not valid UTF-8; rename the file to index it.");
        else if (!validUtf8(rawPath.c_str()))
            f.problem = QStringLiteral("The name of a folder above this file is not valid UTF-8 (its bytes "
                                       "shown here as \\xHH); rename the folder to index what it holds.");
        result_.files.push_back(std::move(f));
        if (options_.progress && result_.files.size() % 1000 == 0)
            options_.progress(qint64(result_.files.size()));
    }

    // Per device, so that a tree of ordinary files costs no statfs per file.
    bool onPseudoFileSystem(dev_t device, const std::string& rawPath)
    {
        const auto known = pseudoDevices_.find(device);
        if (known != pseudoDevices_.end())
            return known->second;
        struct statfs fs {};
        const bool pseudo = ::statfs(rawPath.c_str(), &fs) == 0 && isPseudoFileSystem(fs.f_type);
        pseudoDevices_.emplace(device, pseudo);
        return pseudo;
    }

    const ScanOptions& options_;
    ScanResult& result_;
    std::map<dev_t, bool> pseudoDevices_;
    std::set<std::pair<dev_t, ino_t>> visitedDirs_;
    // One entry per file found: hashed, not a tree (a rescan of 200k files inserts 200k).
    std::unordered_set<std::pair<dev_t, ino_t>, FileIdHash> visitedFiles_;
};

} // namespace

QString fileSystemName(const QByteArray& raw)
{
    if (validUtf8(raw.constData()))
        return QString::fromUtf8(raw);
    QString name;
    for (qsizetype i = 0; i < raw.size();) {
        const uchar lead = uchar(raw[i]);
        const qsizetype length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
        if (lead == '\\') {
            name += QStringLiteral("\\x5c");
            ++i;
            continue;
        }
        if (length > 0 && i + length <= raw.size() && validUtf8(raw.mid(i, length).constData())) {
            name += QString::fromUtf8(raw.mid(i, length));
            i += length;
            continue;
        }
        name += QStringLiteral("\\x%1").arg(lead, 2, 16, QLatin1Char('0'));
        ++i;
    }
    return name;
}

bool hasImageExtension(const QString& fileName)
{
    static const QStringList suffixes = {
        QStringLiteral(".jpg"), QStringLiteral(".jpeg"), QStringLiteral(".jpe"), QStringLiteral(".jfif"),
        QStringLiteral(".png"), QStringLiteral(".webp"), QStringLiteral(".gif"), QStringLiteral(".bmp"),
        QStringLiteral(".dib"), QStringLiteral(".tif"), QStringLiteral(".tiff"), QStringLiteral(".heic"),
        QStringLiteral(".heif"), QStringLiteral(".hif"), QStringLiteral(".avif"),
    };
    for (const QString& s : suffixes)
        if (fileName.endsWith(s, Qt::CaseInsensitive))
            return true;
    // Camera RAW (.cr2, .nef, .dng...): read through LibRaw.
    return hasRawExtension(fileName);
}

ScanResult scanFolders(const QStringList& roots, const ScanOptions& options)
{
    ScanResult result;
    Walker walker(options, result);
    for (const QString& root : roots) {
        if (options.cancel && options.cancel->load()) {
            result.cancelled = true;
            break;
        }
        walker.walkRoot(root);
    }
    if (options.progress)
        options.progress(qint64(result.files.size()));
    return result;
}

} // namespace photosearch
