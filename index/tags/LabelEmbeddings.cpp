// Label embeddings in the catalog. Vectors are float32 little-endian BLOBs,
// like the embeddings table's.
#include <torch/torch.h>

#include "LabelEmbeddings.h"

#include "Catalog.h"
#include "ClipEncoder.h"
#include "SqliteConnection.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace photosearch {

namespace {

std::vector<float> loadVector(const Catalog& catalog, const QString& modelId, const QString& key)
{
    Statement s = catalog.connection().statement(
        "SELECT dim, vector FROM label_embeddings WHERE model_id = ?1 AND key = ?2");
    s.bind(1, modelId).bind(2, key);
    if (!s.next())
        return {};
    const qint64 dim = s.int64(0);
    int size = 0;
    const void* data = s.isBlob(1) ? s.blob(1, &size) : nullptr;
    // A damaged row is a miss: the label is embedded again.
    if (!data || dim <= 0 || qint64(size) != dim * qint64(sizeof(float)))
        return {};
    std::vector<float> v(static_cast<size_t>(dim));
    qFromLittleEndian<quint32>(data, qsizetype(dim), v.data());
    return v;
}

void saveVector(Catalog& catalog, const QString& modelId, const QString& key, const std::vector<float>& v)
{
    QByteArray bytes(qsizetype(v.size() * sizeof(float)), Qt::Uninitialized);
    qToLittleEndian<quint32>(v.data(), qsizetype(v.size()), bytes.data());
    Statement s = catalog.connection().statement(
        "INSERT INTO label_embeddings(model_id, key, dim, vector) VALUES(?1, ?2, ?3, ?4) "
        "ON CONFLICT(model_id, key) DO UPDATE SET dim = excluded.dim, vector = excluded.vector");
    s.bind(1, modelId).bind(2, key).bind(3, int(v.size())).bindBlob(4, bytes.constData(), int(bytes.size()));
    s.run();
}

} // namespace

LabelEmbeddingStore catalogLabelStore(Catalog& catalog, const QString& modelId)
{
    // A cache: a busy or read-only catalog costs a text-tower run, never the
    // answer.
    LabelEmbeddingStore store;
    store.load = [&catalog, modelId](const QString& key) {
        try {
            return loadVector(catalog, modelId, key);
        } catch (const CatalogError&) {
            return std::vector<float>{};
        }
    };
    store.save = [&catalog, modelId](const QString& key, const std::vector<float>& v) {
        if (catalog.isReadOnly())
            return;
        try {
            saveVector(catalog, modelId, key, v);
        } catch (const CatalogError&) {
        }
    };
    return store;
}

CatalogLabelEmbedder::CatalogLabelEmbedder(Catalog& catalog, QString modelId,
                                           std::function<const ClipEncoder&()> encoder, QStringList templates)
    : catalog_(catalog)
    , modelId_(std::move(modelId))
    , encoder_(std::move(encoder))
    , templates_(std::move(templates))
{
    const QByteArray joined = templates_.join(QLatin1Char('\n')).toUtf8();
    key_ = QStringLiteral("tags-") +
           QString::fromLatin1(QCryptographicHash::hash(joined, QCryptographicHash::Sha256).toHex().left(16));
}

CatalogLabelEmbedder::~CatalogLabelEmbedder() = default;

QString CatalogLabelEmbedder::storeKey(const QString& label) const
{
    // A unit separator cannot occur in a label (they are simplified text).
    return key_ + QChar(0x1f) + label;
}

torch::Tensor CatalogLabelEmbedder::embed(const QStringList& labels)
{
    std::vector<std::vector<float>> rows(size_t(labels.size()));
    QStringList missing;
    std::vector<size_t> missingAt;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        rows[size_t(i)] = loadVector(catalog_, modelId_, storeKey(labels[i]));
        if (rows[size_t(i)].empty()) {
            missing << labels[i];
            missingAt.push_back(size_t(i));
        }
    }
    if (!missing.isEmpty()) {
        if (!ensemble_) {
            ensemble_ = std::make_unique<PromptEnsemble>(encoder_(), templates_);
            ensemble_->setPrecision(LabelPrecision::Fast); // stored once per library and model
        }
        const torch::Tensor computed = ensemble_->embed(missing).contiguous();
        WriteScope scope(catalog_.connection()); // joins the caller's transaction, if any
        for (qsizetype j = 0; j < missing.size(); ++j) {
            const float* p = computed[j].data_ptr<float>();
            std::vector<float>& row = rows[missingAt[size_t(j)]];
            row.assign(p, p + computed.size(1));
            saveVector(catalog_, modelId_, storeKey(missing[j]), row);
        }
        scope.commit();
        computed_ += int(missing.size());
    }
    const int64_t dim = rows.empty() ? 0 : int64_t(rows.front().size());
    torch::Tensor out = torch::empty({int64_t(rows.size()), dim});
    for (size_t i = 0; i < rows.size(); ++i) {
        // One model id has one width (the id covers the weights' shapes).
        if (int64_t(rows[i].size()) != dim)
            throw CatalogError(QStringLiteral("%1 is damaged: it holds label embeddings of two widths for one "
                                              "model; index the photos into a new library.")
                                   .arg(catalog_.filePath())
                                   .toStdString());
        std::copy(rows[i].begin(), rows[i].end(), out[int64_t(i)].data_ptr<float>());
    }
    return out;
}

} // namespace photosearch
