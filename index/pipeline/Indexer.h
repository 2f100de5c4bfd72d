#pragma once
// Turns folders of photos into catalog rows, embeddings and the FAISS cache:
//
//   scan → diff against the catalog (size + mtime, then content hash)
//        → worker pool: read once, hash, metadata, decode, preprocess
//        → encoder thread: batches through the vision tower
//        → this thread: one catalog transaction per batch, FAISS add,
//          periodic atomic save.
//
// A photo's row is written in the same transaction as its embedding, so a
// run that is killed resumes where it stopped and ends with every photo
// indexed once. Moved files keep their embedding (same content hash),
// copies reuse it, deleted files leave the catalog and the index. A file
// that cannot be read is recorded with the reason and never stops the run.

#include "IndexControl.h"
#include "IndexTypes.h"

#include <QString>

#include <functional>
#include <stdexcept>

class QLockFile;

namespace clip {
class ClipModel;
}

namespace photosearch {

class ImagePreprocessor;

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
// For every writer that must exclude index runs, so that all of them name a
// full disk the same way.
void takeIndexLock(QLockFile& lock, const QString& libraryDir);

class Indexer {
public:
    // `model` and `preprocessor` must outlive run(); `modelId` tags every
    // embedding (see ModelIdentity.h).
    Indexer(const QString& libraryDir, const clip::ClipModel& model, const ImagePreprocessor& preprocessor,
            const QString& modelId);

    // Blocks until done, cancelled or failed. `progress` is called on this
    // thread, at most a few times a second. Throws CatalogError or
    // VectorStoreError when the library cannot be written (what was committed
    // stays), IndexBusyError when another process is indexing the library,
    // and rethrows an unexpected encoder failure.
    IndexSummary run(const IndexOptions& options, IndexControl* control = nullptr,
                     const std::function<void(const IndexProgress&)>& progress = {});

private:
    QString libraryDir_;
    const clip::ClipModel& model_;
    const ImagePreprocessor& preprocessor_;
    QString modelId_;
};

} // namespace photosearch
