#include "ContentMatcher.h"

namespace photosearch {

void ContentMatcher::addMissing(const PhotoRecord& r, bool embedded)
{
    missing_.insert(r.contentHash, Missing{r, embedded});
}

void ContentMatcher::addEmbedded(const PhotoRecord& r)
{
    embedded_.insert(r.contentHash, r);
}

std::optional<ContentMatcher::Missing> ContentMatcher::claimMissing(const QString& hash)
{
    std::lock_guard lock(mutex_);
    const auto it = missing_.find(hash);
    if (it == missing_.end())
        return std::nullopt;
    Missing m = it.value();
    missing_.erase(it);
    claimed_.insert(m.record.id);
    return m;
}

bool ContentMatcher::wasClaimed(qint64 id) const
{
    std::lock_guard lock(mutex_);
    return claimed_.contains(id);
}

const PhotoRecord* ContentMatcher::embeddedSource(const QString& hash) const
{
    const auto it = embedded_.constFind(hash);
    return it == embedded_.cend() ? nullptr : &it.value();
}

} // namespace photosearch
