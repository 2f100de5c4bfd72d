#pragma once
// What goes into an index run and what comes out of it.

#include <QString>
#include <QStringList>

namespace photosearch {

struct IndexOptions {
    QStringList roots;
    int workers = 0;   // decode threads; 0 = chosen from the cores and device
    int batchSize = 0; // images per encoder call; 0 = 8 on the CPU, 64 on CUDA
    bool includeHidden = false;
    bool reducedDecode = true;       // JPEG DCT-scaled decoding (see ImagePreprocessor)
    qint64 saveIntervalMs = 60'000;  // how often the FAISS cache is saved mid-run
    // The model's directory, recorded as the library's model: at the start of
    // the run when the library has none yet (so that a first run that is
    // killed resumes, and is searchable meanwhile, without --model again),
    // and at the end by recordIndexedModel's rule (LibraryModel.h). Empty:
    // the library's model is left alone.
    QString modelDir;
};

struct IndexProgress {
    enum class Phase { Scanning, Indexing, Finishing };
    Phase phase = Phase::Scanning;
    qint64 done = 0;  // Scanning: files found; otherwise photos processed
    qint64 total = 0; // photos to process in this run (0 while scanning)
    double photosPerSecond = 0;
    double etaSeconds = -1; // -1 = unknown
    QString currentPath;    // the last photo written
};

struct IndexSummary {
    qint64 scanned = 0;   // image files found under the roots
    qint64 added = 0;     // new photos now searchable
    qint64 updated = 0;   // photos re-encoded (changed file, or new model) or moved
    qint64 moved = 0;     // of `updated`: same content found at a new path
    qint64 removed = 0;   // catalog entries whose file is gone
    qint64 failed = 0;    // files that could not be indexed in this run
    qint64 unchanged = 0; // content as indexed (a new mtime alone is recorded, nothing encoded)
    qint64 vanished = 0;  // found by the scan but gone when read (known ones are also in `removed`)
    double seconds = 0;
    double encoderSeconds = 0; // time the encoder spent encoding
    double modelLoadSeconds = 0; // loading the weights (0: no file to read, or they came loaded)
    // Where the time went, stage by stage (bench_index prints them). Decode
    // figures are summed over the workers, so they can exceed the wall time;
    // a stage's waiting time names the stage that held it up.
    double scanSeconds = 0;           // scanning and diffing against the catalog
    double pipelineSeconds = 0;       // decode, encode and write running together
    int decodeWorkers = 0;
    double decodeSeconds = 0;         // reading, hashing, decoding, preprocessing
    double decodeBlockedSeconds = 0;  // waiting for room in the encoder's (or writer's) queue
    double encoderStarvedSeconds = 0; // the encoder waiting for decoded photos
    double writerSeconds = 0;         // transactions, FAISS adds and mid-run saves
    double writerWaitSeconds = 0;     // the writer waiting for results
    bool cancelled = false;
    // Whether the run wrote anything to the catalog's photos.
    bool changedCatalog() const { return added + updated + removed + failed > 0; }
    QStringList missingRoots;  // roots that could not be read, or came back empty although the
                               // catalog has photos there; nothing under them was removed
    QStringList unreadableFolders; // folders that could not be listed; nothing under them was removed
};

} // namespace photosearch
