#pragma once
// The window's way to the text-in-photos pass: owns the text thread and its
// TextWorker, one pass at a time, with pause, resume and cancel. Called on
// the GUI thread; every call returns at once and what happens comes back as
// signals, so neither search nor the window ever waits on a pass (the pass
// has its own catalog connection and commits photo by photo).
//
// start() while a pass goes runs one more pass when it ends (an index run
// added photos meanwhile). A read-only library is never written: start()
// refuses it with one sentence (refused()).
//
// Thread rule: create, call and destroy on the GUI thread. The destructor
// cancels a pass and waits for the photo in progress.

#include "TextTypes.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <memory>
#include <optional>

namespace photosearch {

class IndexControl;
class TextWorker;

class TextController : public QObject {
    Q_OBJECT
public:
    explicit TextController(const QString& libraryDir, QObject* parent = nullptr);
    ~TextController() override;

    // The options the next pass uses (Settings: languages, every photo).
    void setOptions(const TextPassOptions& options) { options_ = options; }
    const TextPassOptions& options() const { return options_; }
    bool isRunning() const { return control_ != nullptr; }
    bool isPaused() const;
    // True once requestShutdown() was called and the thread has finished.
    bool hasStopped() const;

public Q_SLOTS:
    // Starts a pass with options(); false when refused (read-only library,
    // shutting down) or queued behind the pass that goes.
    bool start();
    void pause();
    void resume();
    // What was read stays; a pass queued behind this one is dropped.
    void cancel();
    // Cancels and lets the thread end without waiting; stopped() follows.
    void requestShutdown();

Q_SIGNALS:
    void started();
    void progress(const photosearch::TextPassProgress& progress);
    void pausedChanged(bool paused);
    void finished(const photosearch::TextPassSummary& summary, const QString& sentence);
    void failed(const QString& sentence, const QString& detail);
    void refused(const QString& sentence);
    void stopped();

private:
    void onFinished(const TextPassSummary& summary);
    void onFailed(const QString& sentence, const QString& detail);
    void endPass();

    QString libraryDir_;
    TextPassOptions options_;
    QThread thread_;
    QPointer<TextWorker> worker_; // lives on thread_; deleted when it finishes
    std::shared_ptr<IndexControl> control_; // set while a pass goes
    bool again_ = false;                    // start() came while a pass went
    bool shutDown_ = false;
};

} // namespace photosearch
