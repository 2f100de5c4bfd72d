#include "ClipEncoderCache.h"

namespace photosearch {

ClipEncoderCache::ClipEncoderCache(clip::DevicePreference device)
    : device_(device)
{
}

std::shared_ptr<const ClipEncoder> ClipEncoderCache::acquire(const QString& modelDir, const QString& identity,
                                                             torch::ScalarType preferred)
{
    const std::lock_guard<std::mutex> lock(mutex_);
    auto chosen = compute_.find(preferred);
    if (chosen == compute_.end())
        chosen = compute_.emplace(preferred, clip::chooseCompute(device_, torch::ScalarType::Undefined, preferred)).first;
    const clip::ComputeOptions compute = chosen->second;
    const QString key = modelDir + QLatin1Char('\n') + identity + QLatin1Char('\n')
                        + QString::fromStdString(clip::describe(compute));
    for (auto it = loaded_.begin(); it != loaded_.end();) {
        if (it->second.expired())
            it = loaded_.erase(it);
        else
            ++it;
    }
    if (auto alive = loaded_[key].lock())
        return alive;
    auto encoder = std::make_shared<const ClipEncoder>(modelDir, compute);
    loaded_[key] = encoder;
    return encoder;
}

} // namespace photosearch
