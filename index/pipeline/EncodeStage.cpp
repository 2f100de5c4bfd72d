// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "EncodeStage.h"

#include "ClipEncoder.h"
#include "TowerEngine.h"

#include <optional>

namespace photosearch {

EncodeStage::EncodeStage(const clip::TowerEngine& model, size_t batchSize, PipelineLinks& links)
    : model_(model)
    , batchSize_(batchSize)
    , dimension_(size_t(model.config().projectionDim))
    , links_(links)
    , thread_([&links] { links.abort(); })
{
}

void EncodeStage::start()
{
    thread_.start([this] { loop(); });
}

void EncodeStage::join()
{
    thread_.join();
    if (error_)
        std::rethrow_exception(error_);
}

void EncodeStage::loop()
{
    try {
        torch::NoGradGuard noGrad;
        std::vector<PhotoOutcome> batch;
        for (;;) {
            const Stopwatch starved;
            std::optional<PhotoOutcome> r = links_.toEncoder.pop();
            times_.waiting += starved.seconds();
            if (!r)
                break;
            batch.push_back(std::move(*r));
            if (batch.size() >= batchSize_)
                encodeBatch(batch);
        }
        // Closed: the workers are done (or cancelled); encode what they left.
        if (!batch.empty())
            encodeBatch(batch);
    } catch (...) {
        // Unexpected (a failing photo is handled in encodeBatch): the run
        // stops, and join() rethrows it on the run's thread.
        error_ = std::current_exception();
        links_.control.cancel();
        links_.toEncoder.close();
    }
    links_.toWriter.close();
}

void EncodeStage::encodeBatch(std::vector<PhotoOutcome>& batch)
{
    std::vector<torch::Tensor> pixels;
    pixels.reserve(batch.size());
    for (PhotoOutcome& r : batch)
        pixels.push_back(std::move(r.pixels));
    try {
        const torch::Tensor e = embed(pixels);
        for (size_t i = 0; i < batch.size(); ++i)
            deliver(batch[i], e.data_ptr<float>() + i * dimension_);
    } catch (const std::exception&) {
        encodeOneByOne(batch, pixels);
    }
    batch.clear();
}

void EncodeStage::encodeOneByOne(std::vector<PhotoOutcome>& batch, const std::vector<torch::Tensor>& pixels)
{
    // A batch too large for the device, or one input the encoder chokes on,
    // then costs only itself. A photo that still fails is tried again on
    // the next run.
    for (size_t i = 0; i < batch.size(); ++i) {
        try {
            deliver(batch[i], embed({pixels[i]}).data_ptr<float>());
        } catch (const std::exception& e) {
            const QString what = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
            PhotoOutcome& r = batch[i];
            r.kind = PhotoOutcome::Kind::Failed;
            r.record.status = PhotoStatus::Unreadable;
            r.record.error = QStringLiteral("The encoder failed on this photo (%1).").arg(what);
            links_.toWriter.push(std::move(r));
        }
    }
}

torch::Tensor EncodeStage::embed(const std::vector<torch::Tensor>& pixels)
{
    const Stopwatch busy;
    torch::Tensor e =
        ClipEncoder::normalized(model_.encodeImages(torch::stack(pixels))).to(torch::kFloat32).contiguous();
    times_.busy += busy.seconds();
    return e;
}

void EncodeStage::deliver(PhotoOutcome& r, const float* row)
{
    r.embedding.assign(row, row + dimension_);
    links_.toWriter.push(std::move(r));
}

} // namespace photosearch
