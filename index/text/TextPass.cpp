#include "TextPass.h"

#include "BoundedQueue.h"
#include "Catalog.h"
#include "CatalogBackup.h"
#include "IndexControl.h"
#include "PhotoTextStore.h"

#include <QElapsedTimer>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <thread>

namespace photosearch {

namespace {

struct Job {
    qint64 id;
    QString path;
    QString contentHash;
};

struct Result {
    const Job* job;
    PhotoText text;
};

// Tesseract's LSTM keeps one core busy per recognizer; with more threads than
// cores the window and the indexer would starve.
int workerCount(const TextPassOptions& options, size_t jobs)
{
    int n = options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount() - 1);
    return int(std::min<size_t>(size_t(n), std::max<size_t>(jobs, 1)));
}

std::vector<Job> jobsFor(const Catalog& catalog, const TextPassOptions& options)
{
    std::vector<Job> jobs;
    for (const qint64 id : PhotoTextStore(catalog).photosToRead(options.languages, options.all)) {
        if (const auto photo = catalog.photo(id))
            jobs.push_back({id, photo->path, photo->contentHash});
    }
    return jobs;
}

// Writes the results waiting in the queue (at least `first`) in one short
// transaction. A photo removed meanwhile is left out. Returns how many
// results were taken from the queue (stored or left out).
size_t store(Catalog& catalog, const Result& first, BoundedQueue<Result>& results, TextPassSummary* summary)
{
    std::vector<Result> batch{first};
    while (batch.size() < 64) {
        auto more = results.tryPop();
        if (!more)
            break;
        batch.push_back(std::move(*more));
    }
    PhotoTextStore texts(catalog);
    Catalog::Transaction transaction(catalog);
    for (const Result& r : batch) {
        const auto photo = catalog.photo(r.job->id);
        if (!photo)
            continue;
        texts.put(r.job->id, r.job->contentHash, r.text);
        ++summary->examined;
        summary->read += r.text.status == PhotoTextStatus::Read;
        summary->skipped += r.text.status == PhotoTextStatus::Skipped;
        summary->failed += r.text.status == PhotoTextStatus::Failed;
        summary->withText += r.text.status == PhotoTextStatus::Read && !r.text.words.empty();
        if (r.text.status == PhotoTextStatus::Failed)
            std::fprintf(stderr, "ocr: %s: %s\n", qPrintable(r.job->path), qPrintable(r.text.error));
    }
    transaction.commit();
    return batch.size();
}

} // namespace

TextPass::TextPass(const QString& libraryDir)
    : libraryDir_(libraryDir)
{
}

namespace {

// The spare copy (CatalogBackup.h) is otherwise refreshed by index runs once
// a day, usually before any text exists: a damaged text table would then
// cost the whole pass again. A pass of a minute or more earns a fresh copy;
// for both the CLI and the window.
void keepSpareCopy(const Catalog& catalog, const TextPassSummary& summary)
{
    constexpr double kFreshCopyAfterSeconds = 60;
    if (summary.cancelled || summary.read == 0 || catalog.isReadOnly())
        return;
    refreshLastGoodCopy(catalog.connection(), summary.seconds >= kFreshCopyAfterSeconds ? 0 : 24 * 3600);
}

} // namespace

TextPassSummary TextPass::run(const TextPassOptions& givenOptions, IndexControl* control,
                              const std::function<void(const TextPassProgress&)>& progress)
{
    // The stored rows hold the recognizer's form of the languages.
    TextPassOptions options = givenOptions;
    options.languages = TextRecognizer::normalizedLanguages(givenOptions.languages);
    QElapsedTimer timer;
    timer.start();
    Catalog catalog(libraryDir_);
    const std::vector<Job> jobs = jobsFor(catalog, options);
    const int threads = workerCount(options, jobs.size());
    // One reader per worker, made here so that a missing language pack
    // throws before any work starts.
    std::vector<std::unique_ptr<TextPhotoReader>> readers;
    for (int i = 0; i < threads && !jobs.empty(); ++i) {
        readers.push_back(std::make_unique<TextPhotoReader>(options.languages, recognize_));
        // Cancel reaches a photo being read, not only the next one: OCR of a
        // busy 12 MP photo takes seconds.
        if (control)
            readers.back()->setCancelCheck([control] { return control->isCancelled(); });
    }

    if (!readers.empty()) // the languages loaded: the library's choice from now on
        catalog.setSetting(QString::fromLatin1(kTextLanguagesSetting), readers.front()->languages());
    std::atomic<size_t> next{0};
    std::atomic<int> running{int(readers.size())};
    BoundedQueue<Result> results(size_t(threads) * 4);
    const auto work = [&](TextPhotoReader* reader) {
        for (;;) {
            if (control && (!control->waitWhilePaused() || control->isCancelled()))
                break;
            const size_t i = next.fetch_add(1);
            if (i >= jobs.size())
                break;
            PhotoText text = reader->read(jobs[i].id, jobs[i].path, options.all);
            // A read stopped by the cancel is no failure of the photo's.
            if (text.status == PhotoTextStatus::Failed && control && control->isCancelled())
                break;
            if (!results.push({&jobs[i], std::move(text)}))
                break;
        }
        if (--running == 0)
            results.close();
    };
    std::vector<std::thread> workers;
    for (auto& reader : readers)
        workers.emplace_back(work, reader.get());
    if (readers.empty())
        results.close(); // nothing to read: no worker would close it

    TextPassSummary summary;
    qint64 done = 0; // counts photos removed meanwhile too, so that it reaches the total
    try {
        while (auto result = results.pop()) {
            done += qint64(store(catalog, *result, results, &summary));
            if (progress)
                progress({done, qint64(jobs.size()), result->job->path});
        }
    } catch (...) {
        results.close();
        if (control)
            control->cancel(); // wakes paused workers too
        for (std::thread& t : workers)
            t.join();
        throw;
    }
    for (std::thread& t : workers)
        t.join();
    summary.cancelled = control && control->isCancelled();
    summary.seconds = double(timer.elapsed()) / 1000.0;
    keepSpareCopy(catalog, summary);
    return summary;
}

} // namespace photosearch
