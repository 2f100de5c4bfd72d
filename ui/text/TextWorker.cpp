// The text thread's worker; see TextWorker.h.

#include "TextWorker.h"

#include "Catalog.h"
#include "IndexControl.h"
#include "TextRecognizer.h"

#include <stdexcept>

namespace photosearch {

namespace {

// The status bar needs no more than this many updates a second.
constexpr int kReportIntervalMs = 150;

} // namespace

TextWorker::TextWorker(QString libraryDir)
    : libraryDir_(std::move(libraryDir))
{
}

void TextWorker::report(const TextPassProgress& p)
{
    const std::lock_guard<std::mutex> lock(reportMutex_);
    const bool last = p.total > 0 && p.done >= p.total;
    if (!last && lastReport_.isValid() && lastReport_.elapsed() < kReportIntervalMs)
        return;
    lastReport_.start();
    Q_EMIT progress(p);
}

void TextWorker::run(const TextPassOptions& options, const std::shared_ptr<IndexControl>& control)
{
    lastReport_.invalidate();
    try {
        TextPass pass(libraryDir_);
        const TextPassSummary summary
            = pass.run(options, control.get(), [this](const TextPassProgress& p) { report(p); });
        Q_EMIT finished(summary);
    } catch (const OcrError& e) {
        // Its sentence names the missing language pack and the package.
        Q_EMIT failed(QString::fromUtf8(e.what()), QString::fromUtf8(e.what()));
    } catch (const CatalogError& e) {
        Q_EMIT failed(tr("The text in photos could not be read: the library catalog could not be opened or "
                         "written; check the disk and try File ▸ Read Text in Photos again."),
                      QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Reading text in photos stopped because of an unexpected error; what was read stays."),
                      QString::fromUtf8(e.what()));
    }
}

} // namespace photosearch
