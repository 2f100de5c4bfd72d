#pragma once
// The pass that gives a perceptual hash to the photos indexed before the
// catalog had one (schema < 3): reads and decodes each file on a worker pool
// and stores its hash, in one transaction per batch so that an interrupted
// pass keeps what it did. A file that cannot be read or decoded, or whose
// content is no longer what the catalog describes, is reported and skipped:
// it stays without a hash (out of every group) until the next index run.
// A read-only catalog (Catalog::isReadOnly) is not written: every photo
// without a hash is skipped, and `warn` says so once.
//
// Thread rule: call on the Catalog's thread; the workers touch only files,
// and the callbacks run on the calling thread.

#include <QString>

#include <functional>

namespace photosearch {

class Catalog;

struct HashBackfillSummary {
    qint64 missing = 0;  // photos that had no hash
    qint64 computed = 0; // stored
    qint64 skipped = 0;  // reported through `warn`
};

struct HashBackfillCallbacks {
    std::function<void(qint64 done, qint64 total)> progress;
    // One sentence naming the file and what to do.
    std::function<void(const QString& message)> warn;
};

// `workers` <= 0: one per core, at most 8.
HashBackfillSummary computeMissingHashes(Catalog& catalog, const HashBackfillCallbacks& callbacks = {},
                                         int workers = 0);

} // namespace photosearch
