#pragma once
// Content hashes the indexer's workers look up once they have hashed a new
// file: a photo missing from the scan with the same content means the file
// moved; an unchanged photo with an embedding means it is a copy.

#include "PhotoRecord.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <mutex>
#include <optional>

namespace photosearch {

class ContentMatcher {
public:
    struct Missing {
        PhotoRecord record;
        bool embedded = false; // has the current model's embedding
    };

    // Filled before the workers start.
    void addMissing(const PhotoRecord& r, bool embedded);
    void addEmbedded(const PhotoRecord& r);

    // Thread-safe; each missing photo is handed out once.
    std::optional<Missing> claimMissing(const QString& hash);
    bool wasClaimed(qint64 id) const;

    // Read-only once the workers start, so without a lock.
    const PhotoRecord* embeddedSource(const QString& hash) const;

private:
    mutable std::mutex mutex_;
    QMultiHash<QString, Missing> missing_;
    QHash<QString, PhotoRecord> embedded_;
    QSet<qint64> claimed_;
};

} // namespace photosearch
