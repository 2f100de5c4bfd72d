#pragma once
// Runs one piece of blocking work (hashing a resumed part, loading a staged
// model) on a thread of its own and hands the result back on `context`'s
// thread, so that the downloader never blocks the GUI thread. When `context`
// is destroyed first, the result is dropped; the thread still finishes and
// deletes itself (the work must own copies of what it reads).

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace photosearch {

template <typename R>
void runOffThread(QObject* context, std::function<R()> work, std::function<void(R)> done)
{
    auto result = std::make_shared<R>();
    QThread* thread = QThread::create([work = std::move(work), result] { *result = work(); });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    QObject::connect(thread, &QThread::finished, context, [result, done = std::move(done)] { done(std::move(*result)); });
    thread->start();
}

} // namespace photosearch
