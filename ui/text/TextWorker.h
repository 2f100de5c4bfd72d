#pragma once
// Runs one text pass (index/text/TextPass) at a time on the text thread:
// TextPass::run blocks this thread, never the GUI's, and reports back
// through queued signals. Pause and cancel reach the pass through the
// IndexControl the controller keeps.
//
// Thread rule: lives on TextController's thread; run() is queued there.

#include "TextTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>
#include <mutex>

namespace photosearch {

class IndexControl;

class TextWorker : public QObject {
    Q_OBJECT
public:
    explicit TextWorker(QString libraryDir);

    void run(const photosearch::TextPassOptions& options, const std::shared_ptr<IndexControl>& control);

Q_SIGNALS:
    void progress(const photosearch::TextPassProgress& progress);
    void finished(const photosearch::TextPassSummary& summary);
    // `sentence` is for the user, `detail` (the exception's text) for the log.
    void failed(const QString& sentence, const QString& detail);

private:
    // Called by the pass's threads: passes on at most a few reports a second.
    void report(const TextPassProgress& progress);

    QString libraryDir_;
    std::mutex reportMutex_;
    QElapsedTimer lastReport_;
};

} // namespace photosearch
