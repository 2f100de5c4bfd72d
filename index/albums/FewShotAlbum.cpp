#include "FewShotAlbum.h"

#include "Catalog.h"
#include "SqliteConnection.h"

#include <QDateTime>

#include <algorithm>
#include <cstdint>
#include <unordered_set>

namespace photosearch {

namespace {

// The weak-negative sample is drawn from this seed, so that training twice
// on the same library gives the same probe.
constexpr uint64_t kSampleSeed = 0x5eed'a1b0'0000'0001ULL;

// splitmix64: the same numbers on every platform (std distributions are not).
uint64_t nextRandom(uint64_t& state)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

FewShotSettings FewShotSettings::defaults()
{
    FewShotSettings s;
    s.l2 = 0.1;
    s.enoughMarkedOut = 32;
    s.weakNegativeSample = 256;
    s.weakNegativeWeight = 0.25;
    s.memberProbability = 0.5;
    s.maxRankedMembers = 500;
    return s;
}

FewShotAlbum::FewShotAlbum(Catalog& catalog, qint64 albumId, const QString& modelId, const FewShotSettings& settings)
    : catalog_(catalog)
    , store_(catalog)
    , albumId_(albumId)
    , modelId_(modelId)
    , settings_(settings)
{
}

std::vector<qint64> FewShotAlbum::sampleWeakNegatives(const std::vector<AlbumExample>& examples, int count) const
{
    std::unordered_set<qint64> marked;
    for (const AlbumExample& e : examples)
        marked.insert(e.photoId);
    std::vector<qint64> candidates;
    for (qint64 id : catalog_.photoIds(PhotoFilter{}))
        if (!marked.count(id))
            candidates.push_back(id);
    // Fisher–Yates, drawn lazily: only as far as the sample reaches.
    uint64_t state = kSampleSeed;
    std::vector<qint64> sample;
    for (size_t i = 0; i < candidates.size() && int(sample.size()) < count; ++i) {
        const size_t j = i + size_t(nextRandom(state) % uint64_t(candidates.size() - i));
        std::swap(candidates[i], candidates[j]);
        if (!catalog_.embedding(candidates[i], modelId_).empty())
            sample.push_back(candidates[i]);
    }
    return sample;
}

FewShotTraining FewShotAlbum::train()
{
    FewShotTraining t;
    const std::vector<AlbumExample> examples = store_.examples(albumId_);
    std::vector<std::vector<float>> vectors;
    std::vector<bool> labels;
    std::vector<double> weights;
    vectors.reserve(examples.size() + size_t(settings_.weakNegativeSample));
    for (const AlbumExample& e : examples) {
        std::vector<float> v = catalog_.embedding(e.photoId, modelId_);
        if (v.empty()) {
            ++t.withoutEmbedding;
            continue;
        }
        vectors.push_back(std::move(v));
        labels.push_back(e.positive);
        weights.push_back(1.0);
        ++(e.positive ? t.positives : t.negatives);
    }
    if (t.positives > 0 && t.negatives < settings_.enoughMarkedOut) {
        for (qint64 id : sampleWeakNegatives(examples, settings_.weakNegativeSample)) {
            vectors.push_back(catalog_.embedding(id, modelId_));
            labels.push_back(false);
            weights.push_back(settings_.weakNegativeWeight);
            ++t.weakNegatives;
        }
    }
    if (t.positives == 0 || t.negatives + t.weakNegatives == 0)
        return t;

    // Class balance: each class weighs half, whatever its size.
    double negativeTotal = 0;
    for (size_t i = 0; i < weights.size(); ++i)
        if (!labels[i])
            negativeTotal += weights[i];
    std::vector<ProbeExample> probeExamples;
    for (size_t i = 0; i < vectors.size(); ++i) {
        const double w = labels[i] ? 0.5 / t.positives : 0.5 * weights[i] / negativeTotal;
        probeExamples.push_back(ProbeExample{&vectors[i], labels[i], w});
    }
    const LinearProbe probe = LinearProbe::train(probeExamples, settings_.l2);
    store_.storeProbe(albumId_, modelId_,
                      StoredProbe{probe.weights(), probe.bias(), QDateTime::currentMSecsSinceEpoch()});
    t.trained = true;
    return t;
}

std::optional<LinearProbe> FewShotAlbum::probe()
{
    if (std::optional<StoredProbe> stored = store_.probe(albumId_, modelId_))
        return LinearProbe(std::move(stored->weights), stored->bias);
    if (!train().trained)
        return std::nullopt;
    std::optional<StoredProbe> stored = store_.probe(albumId_, modelId_);
    Q_ASSERT(stored);
    return LinearProbe(std::move(stored->weights), stored->bias);
}

std::vector<RankedPhoto> FewShotAlbum::ranking()
{
    std::unordered_set<qint64> marked;
    for (const AlbumExample& e : store_.examples(albumId_))
        marked.insert(e.photoId);
    std::vector<RankedPhoto> ranked;
    const std::optional<LinearProbe> p = probe();
    if (!p)
        return ranked;
    catalog_.forEachEmbedding(modelId_, [&](qint64 id, const std::vector<float>& v) {
        if (!marked.count(id) && v.size() == p->weights().size())
            ranked.push_back(RankedPhoto{id, p->probability(v)});
    });
    std::sort(ranked.begin(), ranked.end(), [](const RankedPhoto& a, const RankedPhoto& b) {
        return a.score != b.score ? a.score > b.score : a.photoId < b.photoId;
    });
    return ranked;
}

std::vector<RankedPhoto> FewShotAlbum::members()
{
    std::vector<RankedPhoto> out;
    for (const AlbumExample& e : store_.examples(albumId_))
        if (e.positive)
            out.push_back(RankedPhoto{e.photoId, 1.0});
    int ranked = 0;
    for (const RankedPhoto& r : ranking()) {
        if (r.score < settings_.memberProbability || ranked >= settings_.maxRankedMembers)
            break;
        out.push_back(r);
        ++ranked;
    }
    return out;
}

} // namespace photosearch
