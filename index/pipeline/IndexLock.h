#pragma once
// The library's index lock (indexLockPath): one writer at a time, and the
// sentences a user reads when it cannot be taken. Shared by the Indexer and
// every other writer that must exclude index runs (repair, the window's
// folder removal), so that all of them name a full disk the same way.

#include <QString>

#include <stdexcept>

class QLockFile;

namespace photosearch {

// Another process is indexing the same library; the message says which.
class IndexBusyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The refusal for a library whose index.lock is held, by process `pid`
// (0 when the lock file names none: being written, or damaged).
IndexBusyError indexBusyError(const QString& libraryDir, qint64 pid);

// The sentence for index.lock that could not be created or written because
// of `errnum` when the cause is the disk or the folder (ENOSPC, EDQUOT,
// EROFS, EACCES, EPERM): after a disk-full stop the lock is not the
// problem, the disk is. Empty for any other errno.
QString lockFileErrorSentence(int errnum, const QString& libraryDir);

// Takes the library's index lock (indexLockPath) or throws: CatalogError
// with lockFileErrorSentence when the disk or the folder is the cause (full,
// read-only, no permission), IndexBusyError when another process holds it.
void takeIndexLock(QLockFile& lock, const QString& libraryDir);

} // namespace photosearch
