// LibTorch (via ImagePreprocessor.h and PhotoReader.h) before Qt.
#include "ImagePreprocessor.h"
#include "PhotoReader.h"

#include "HashBackfill.h"

#include "BoundedQueue.h"
#include "Catalog.h"
#include "PerceptualHash.h"
#include "PhotoHashes.h"

#include <QThread>

#include <algorithm>
#include <atomic>
#include <new>
#include <optional>
#include <thread>
#include <vector>

namespace photosearch {
namespace {

// Photos stored per transaction: small enough that an interrupted pass loses
// little, large enough that commits do not dominate.
constexpr size_t kBatch = 64;

struct HashResult {
    size_t index = 0;
    std::optional<quint64> hash;
    QString problem; // when there is no hash
};

// The hash of the file's current content, if it is still the content the
// catalog row describes.
HashResult hashFile(const UnhashedPhoto& photo, const ImagePreprocessor& preprocessor)
{
    HashResult r;
    const auto skipped = [&](const QString& why) {
        return QStringLiteral("Skipped %1: %2 Run `index` on its folder to update it.").arg(photo.path, why);
    };
    try {
        const QByteArray bytes = ImagePreprocessor::readImageFile(photo.path);
        if (contentHashOf(bytes) != photo.contentHash) {
            r.problem = skipped(QStringLiteral("the file changed since it was indexed."));
            return r;
        }
        r.hash = perceptualHash(preprocessor.decode(bytes, photo.path, true).image);
    } catch (const std::bad_alloc&) {
        r.problem = skipped(QStringLiteral("there is not enough memory to decode it."));
    } catch (const std::exception& e) {
        // ImageError's sentence already names the file.
        r.problem = QStringLiteral("Skipped: %1").arg(QString::fromUtf8(e.what()));
    }
    return r;
}

int workerCount(int requested, size_t jobs)
{
    const int cores = std::max(1, QThread::idealThreadCount());
    const int wanted = requested > 0 ? requested : std::min(8, cores);
    return std::max(1, std::min(wanted, int(jobs)));
}

} // namespace

HashBackfillSummary computeMissingHashes(Catalog& catalog, const HashBackfillCallbacks& callbacks, int workers)
{
    const std::vector<UnhashedPhoto> photos = unhashedPhotos(catalog);
    HashBackfillSummary summary;
    summary.missing = qint64(photos.size());
    if (photos.empty())
        return summary;
    if (catalog.isReadOnly()) {
        // Nothing may be written: the answer comes from the stored hashes,
        // and the person learns which part of the library it leaves out.
        summary.skipped = summary.missing;
        if (callbacks.warn)
            callbacks.warn(QStringLiteral("%1 photo(s) indexed before duplicates were tracked have no stored hash "
                                          "and were not compared, because the library is read-only; open it "
                                          "writable once to compare them.")
                               .arg(summary.missing));
        return summary;
    }

    // Default config: decode() needs only the reduction rule, and the hash
    // is taken from a 32×32 area average, so any decode of 224 px or more
    // gives the indexer's hash within a bit or two.
    const ImagePreprocessor preprocessor;
    BoundedQueue<HashResult> results(kBatch * 4);
    std::atomic<size_t> next{0};
    const int count = workerCount(workers, photos.size());
    std::atomic<int> running{count};
    std::vector<std::thread> pool;
    for (int w = 0; w < count; ++w) {
        pool.emplace_back([&] {
            for (size_t i = next++; i < photos.size(); i = next++) {
                HashResult r = hashFile(photos[i], preprocessor);
                r.index = i;
                if (!results.push(std::move(r)))
                    break;
            }
            if (--running == 0)
                results.close();
        });
    }

    qint64 done = 0;
    std::vector<HashResult> batch;
    const auto flush = [&] {
        Catalog::Transaction transaction(catalog);
        for (const HashResult& r : batch) {
            if (storePerceptualHash(catalog, photos[r.index], *r.hash))
                ++summary.computed;
            else
                ++summary.skipped; // removed or re-indexed meanwhile: nothing to tell
        }
        transaction.commit();
        batch.clear();
    };
    try {
        while (std::optional<HashResult> r = results.pop()) {
            ++done;
            if (r->hash) {
                batch.push_back(std::move(*r));
                if (batch.size() >= kBatch)
                    flush();
            } else {
                ++summary.skipped;
                if (callbacks.warn)
                    callbacks.warn(r->problem);
            }
            if (callbacks.progress)
                callbacks.progress(done, summary.missing);
        }
        if (!batch.empty())
            flush();
    } catch (...) {
        results.close();
        for (std::thread& t : pool)
            t.join();
        throw;
    }
    for (std::thread& t : pool)
        t.join();
    return summary;
}

} // namespace photosearch
