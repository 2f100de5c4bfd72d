// The text thread and its queue of one; see TextController.h.

#include "TextController.h"

#include "IndexControl.h"
#include "LibraryLocation.h"
#include "TextReport.h"
#include "TextWorker.h"

#include <QtDebug>

namespace photosearch {

TextController::TextController(const QString& libraryDir, QObject* parent)
    : QObject(parent)
    , libraryDir_(libraryDir)
{
    qRegisterMetaType<TextPassOptions>();
    qRegisterMetaType<TextPassProgress>();
    qRegisterMetaType<TextPassSummary>();
    thread_.setObjectName(QStringLiteral("text in photos"));
    auto* worker = new TextWorker(libraryDir_);
    worker->moveToThread(&thread_);
    worker_ = worker;
    connect(&thread_, &QThread::finished, worker, &QObject::deleteLater);
    connect(&thread_, &QThread::finished, this, &TextController::stopped);
    connect(worker, &TextWorker::progress, this, [this](const TextPassProgress& p) {
        if (control_)
            Q_EMIT progress(p);
    });
    connect(worker, &TextWorker::finished, this, &TextController::onFinished);
    connect(worker, &TextWorker::failed, this, &TextController::onFailed);
    thread_.start();
}

TextController::~TextController()
{
    shutDown_ = true;
    if (control_)
        control_->cancel(); // also wakes a paused pass
    thread_.quit();
    thread_.wait(); // at most the photo being read
}

bool TextController::isPaused() const
{
    return control_ && control_->isPaused();
}

bool TextController::hasStopped() const
{
    return shutDown_ && thread_.isFinished();
}

bool TextController::start()
{
    if (shutDown_)
        return false;
    if (LibraryLocation::isReadOnly(libraryDir_)) {
        Q_EMIT refused(tr("The text in photos was not read: the library is read-only, and reading it would "
                          "write to the library."));
        return false;
    }
    if (control_) {
        again_ = true;
        return false;
    }
    TextWorker* worker = worker_;
    if (!worker)
        return false;
    control_ = std::make_shared<IndexControl>();
    const std::shared_ptr<IndexControl> control = control_;
    const TextPassOptions options = options_;
    QMetaObject::invokeMethod(worker, [worker, options, control] { worker->run(options, control); },
                              Qt::QueuedConnection);
    Q_EMIT started();
    return true;
}

void TextController::pause()
{
    if (control_ && !control_->isPaused()) {
        control_->pause();
        Q_EMIT pausedChanged(true);
    }
}

void TextController::resume()
{
    if (control_ && control_->isPaused()) {
        control_->resume();
        Q_EMIT pausedChanged(false);
    }
}

void TextController::cancel()
{
    again_ = false;
    if (control_)
        control_->cancel();
}

void TextController::requestShutdown()
{
    if (shutDown_)
        return;
    shutDown_ = true;
    cancel();
    thread_.quit(); // after the pass in progress returns
}

void TextController::endPass()
{
    control_.reset();
    if (again_ && !shutDown_) {
        again_ = false;
        start();
    }
}

void TextController::onFinished(const TextPassSummary& summary)
{
    if (shutDown_)
        return;
    control_.reset();
    Q_EMIT finished(summary, textSummarySentence(summary));
    endPass();
}

void TextController::onFailed(const QString& sentence, const QString& detail)
{
    qWarning("%s %s", qPrintable(sentence), qPrintable(detail));
    if (shutDown_)
        return;
    control_.reset();
    again_ = false; // the same cause would stop the next pass too
    Q_EMIT failed(sentence, detail);
    endPass();
}

} // namespace photosearch
