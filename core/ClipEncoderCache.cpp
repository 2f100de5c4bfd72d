#include "ClipEncoderCache.h"

namespace photosearch {

ClipEncoderCache::ClipEncoderCache(clip::DevicePreference device)
    : device_(device)
{
}

clip::ComputeOptions ClipEncoderCache::compute(torch::ScalarType preferred)
{
    const std::lock_guard<std::mutex> lock(mutex_);
    return computeLocked(preferred);
}

clip::ComputeOptions ClipEncoderCache::computeLocked(torch::ScalarType preferred)
{
    auto chosen = compute_.find(preferred);
    if (chosen == compute_.end())
        chosen = compute_.emplace(preferred, clip::chooseCompute(device_, torch::ScalarType::Undefined, preferred)).first;
    return chosen->second;
}

std::shared_ptr<const ClipEncoder> ClipEncoderCache::acquire(const QString& modelDir, const QString& identity,
                                                             torch::ScalarType preferred, clip::Towers towers)
{
    const std::lock_guard<std::mutex> lock(mutex_);
    const clip::ComputeOptions compute = computeLocked(preferred);
    const QString key = modelDir + QLatin1Char('\n') + identity + QLatin1Char('\n')
                        + QString::fromStdString(clip::describe(compute));
    const QString textKey = key + QStringLiteral("\ntext");
    for (auto it = loaded_.begin(); it != loaded_.end();) {
        if (it->second.expired())
            it = loaded_.erase(it);
        else
            ++it;
    }
    if (auto whole = loaded_[key].lock())
        return whole;
    if (towers == clip::Towers::Text) {
        if (auto text = loaded_[textKey].lock())
            return text;
        // Copied, not mapped: a long-lived process must survive the model
        // file being overwritten in place (the CLI maps it; it exits soon).
        auto encoder = std::make_shared<const ClipEncoder>(modelDir, compute, clip::Towers::Text);
        loaded_[textKey] = encoder;
        return encoder;
    }
    auto encoder = std::make_shared<const ClipEncoder>(modelDir, compute);
    loaded_[key] = encoder;
    return encoder;
}

} // namespace photosearch
