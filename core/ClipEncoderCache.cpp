#include "ClipEncoderCache.h"

namespace photosearch {

ClipEncoderCache::ClipEncoderCache(clip::DevicePreference device)
    : device_(device)
{
}

std::shared_ptr<const ClipEncoder> ClipEncoderCache::acquire(const QString& modelDir, const QString& identity)
{
    const QString key = modelDir + QLatin1Char('\n') + identity;
    const std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = loaded_.begin(); it != loaded_.end();) {
        if (it->second.expired())
            it = loaded_.erase(it);
        else
            ++it;
    }
    if (auto alive = loaded_[key].lock())
        return alive;
    if (!compute_)
        compute_ = clip::chooseCompute(device_);
    auto encoder = std::make_shared<const ClipEncoder>(modelDir, *compute_);
    loaded_[key] = encoder;
    return encoder;
}

} // namespace photosearch
