// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/torch.h>

#include "PromptEnsemble.h"

#include "ClipEncoder.h"

#include <QCryptographicHash>
#include <QFile>

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include <sys/stat.h>

namespace photosearch {
namespace {

// Texts per text-tower call: enough to amortise the call and the shared
// prefix, small enough that the activations stay in cache.
constexpr int kTextBatch = 64;

// The bf16 copy of the text tower for LabelPrecision::Fast; null (use the
// engine) where there is none or it cannot be made: making it needs ~2 bytes
// per text-tower weight (ViT-B/32: 76 MB), and the labels do not need it.
std::unique_ptr<clip::TowerEngine> fastTextTower(const clip::TowerEngine& engine)
{
    try {
        return engine.textTowerForBatches();
    } catch (const std::exception&) {
        return nullptr;
    }
}

QString fromResource(const QString& name)
{
    QFile file(name);
    // Compiled into the binary: failing to open it is a build error.
    const bool opened = file.open(QIODevice::ReadOnly);
    Q_ASSERT_X(opened, "defaultPromptTemplates", "resource missing from the build");
    return opened ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

QStringList parsePromptTemplates(const QString& text)
{
    QStringList templates;
    for (const QString& raw : text.split(QLatin1Char('\n'))) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        // Exactly one slot: a template without one would embed the same text
        // for every label, one with two is ambiguous.
        if (line.count(QStringLiteral("{}")) == 1 && !templates.contains(line))
            templates << line;
    }
    return templates;
}

QStringList defaultPromptTemplates()
{
    static const QStringList templates =
        parsePromptTemplates(fromResource(QStringLiteral(":/photosearch/prompts/templates.txt")));
    return templates;
}

QStringList readPromptTemplates(const QString& path)
{
    QFile file(path);
    // By type before opening: opening a FIFO waits for a writer, for ever.
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) == 0 && !S_ISREG(st.st_mode))
        throw std::runtime_error(QStringLiteral("The prompt templates %1 are not a regular file (a folder, pipe or "
                                                "device); give a text file with one template per line.")
                                     .arg(path)
                                     .toStdString());
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(QStringLiteral("Cannot read the prompt templates %1 (%2); check the path.")
                                     .arg(path, file.errorString())
                                     .toStdString());
    // Templates are short lines; a larger file is not a template file.
    const QByteArray bytes = file.read(1 << 20);
    const QStringList templates = parsePromptTemplates(QString::fromUtf8(bytes));
    if (templates.isEmpty())
        throw std::runtime_error(QStringLiteral("The prompt templates %1 hold no template; write one per line "
                                                "with {} where the label goes, e.g. \"a photo of a {}.\".")
                                     .arg(path)
                                     .toStdString());
    return templates;
}

PromptEnsemble::PromptEnsemble(const ClipEncoder& encoder, QStringList templates, LabelEmbeddingStore store)
    : encoder_(encoder)
    , templates_(std::move(templates))
    , store_(std::move(store))
{
    if (templates_.isEmpty())
        templates_ << QStringLiteral("{}");
    const QByteArray joined = templates_.join(QLatin1Char('\n')).toUtf8();
    key_ = QStringLiteral("ensemble-") + QString::fromLatin1(QCryptographicHash::hash(joined, QCryptographicHash::Sha256).toHex().left(16));
}

std::vector<std::vector<float>> PromptEnsemble::compute(const QStringList& labels) const
{
    // Template by template, so that a batch shares the template's opening
    // tokens (the tower runs them once per batch: ClipModel::encodeTokens),
    // and within a template in order of length, so that a batch pads
    // little. A vocabulary of 300 labels x 10 templates is ~50 calls.
    const int64_t n = int64_t(labels.size());
    const int maxLength = int(encoder_.model().config().text.maxPositions);
    const std::unique_ptr<clip::TowerEngine> fast =
        precision_ == LabelPrecision::Fast ? fastTextTower(encoder_.model()) : nullptr;
    const clip::TowerEngine& tower = fast ? *fast : encoder_.model();
    torch::NoGradGuard noGrad;
    torch::Tensor sum;
    for (const QString& t : templates_) {
        std::vector<std::vector<int64_t>> ids;
        for (const QString& label : labels) {
            QString text = t;
            ids.push_back(encoder_.tokenizer().encode(text.replace(QStringLiteral("{}"), label), maxLength));
        }
        std::vector<int64_t> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&ids](int64_t a, int64_t b) { return ids[size_t(a)].size() < ids[size_t(b)].size(); });
        torch::Tensor embedded = torch::empty({n, encoder_.model().config().projectionDim});
        for (int64_t i = 0; i < n; i += kTextBatch) {
            std::vector<std::vector<int64_t>> batch;
            const int64_t end = std::min<int64_t>(n, i + kTextBatch);
            for (int64_t j = i; j < end; ++j)
                batch.push_back(ids[size_t(order[size_t(j)])]);
            const torch::Tensor rows = torch::from_blob(order.data() + i, {end - i}, torch::kLong);
            embedded.index_copy_(0, rows, ClipEncoder::normalized(tower.encodeTokens(batch)));
        }
        sum = sum.defined() ? sum.add_(embedded) : embedded;
    }
    const torch::Tensor means = ClipEncoder::normalized(sum).contiguous();
    std::vector<std::vector<float>> out;
    for (int64_t i = 0; i < n; ++i) {
        const float* row = means[i].data_ptr<float>();
        out.emplace_back(row, row + means.size(1));
    }
    return out;
}

torch::Tensor PromptEnsemble::embed(const QStringList& rawLabels)
{
    QStringList labels;
    for (const QString& l : rawLabels)
        labels << l.trimmed();
    const auto dim = size_t(encoder_.model().config().projectionDim);
    QStringList missing;
    for (const QString& label : labels) {
        if (cache_.contains(label) || missing.contains(label))
            continue;
        std::vector<float> v;
        if (store_.load)
            v = store_.load(storeKey(label));
        if (v.size() == dim)
            cache_.insert(label, v);
        else
            missing << label;
    }
    if (!missing.isEmpty()) {
        const std::vector<std::vector<float>> computed = compute(missing);
        for (qsizetype i = 0; i < missing.size(); ++i) {
            cache_.insert(missing[i], computed[size_t(i)]);
            if (store_.save)
                store_.save(storeKey(missing[i]), computed[size_t(i)]);
        }
    }
    torch::Tensor out = torch::empty({int64_t(labels.size()), int64_t(dim)}, torch::kFloat32);
    for (int64_t i = 0; i < int64_t(labels.size()); ++i) {
        const std::vector<float>& v = cache_[labels[int(i)]];
        out[i].copy_(torch::from_blob(const_cast<float*>(v.data()), {int64_t(dim)}, torch::kFloat32));
    }
    return out;
}

std::vector<float> PromptEnsemble::embed(const QString& label)
{
    const torch::Tensor row = embed(QStringList{label})[0].contiguous();
    return std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
}

QString PromptEnsemble::storeKey(const QString& label) const
{
    // The unit separator cannot be typed into a search, so a stored label
    // never collides with a cached search text.
    return key_ + QLatin1Char('\x1f') + label;
}

} // namespace photosearch
