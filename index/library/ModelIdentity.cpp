#include "ModelIdentity.h"

#include "ModelError.h"
#include "ModelFiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

namespace photosearch {
namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw clip::ModelError(QStringLiteral("Cannot read %1 (%2).").arg(path, f.errorString()).toStdString());
    return f.readAll();
}

// modelDir/name through the model folder's containment check (ModelFiles.h).
QString modelFile(const QString& modelDir, const char* name)
{
    return QString::fromStdString(clip::modelFilePath(modelDir.toStdString(), name));
}

} // namespace

QString modelIdForDirectory(const QString& modelDir)
{
    // Not hashed, but a folder whose tokenizer links outside is no model to
    // import or list (the tokenizer would refuse it when loading).
    modelFile(modelDir, "vocab.json");
    modelFile(modelDir, "merges.txt");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(readAll(modelFile(modelDir, "config.json")));
    // Other preprocessing gives other vectors from the same weights.
    const QString preprocessor = modelFile(modelDir, "preprocessor_config.json");
    if (QFile::exists(preprocessor))
        hash.addData(readAll(preprocessor));

    const QString weightsPath = modelFile(modelDir, "model.safetensors");
    QFile weights(weightsPath);
    if (!weights.open(QIODevice::ReadOnly))
        throw clip::ModelError(
            QStringLiteral("Cannot read %1 (%2).").arg(weightsPath, weights.errorString()).toStdString());
    const qint64 size = weights.size();
    hash.addData(QByteArray::number(size));
    // The header (8-byte length + JSON) names every tensor with its place;
    // 16 samples of the data tell fine-tuned weights of the same shape apart.
    constexpr qint64 kHeaderCap = 100 * 1024 * 1024;
    quint64 headerLength = 0;
    if (weights.read(reinterpret_cast<char*>(&headerLength), 8) == 8 && headerLength <= quint64(kHeaderCap))
        hash.addData(weights.read(qint64(headerLength)));
    constexpr int kSamples = 16;
    constexpr qint64 kSampleBytes = 64 * 1024;
    for (int i = 0; i < kSamples; ++i) {
        if (!weights.seek(size * i / kSamples))
            break;
        hash.addData(weights.read(kSampleBytes));
    }

    return QStringLiteral("clip-") + QString::fromLatin1(hash.result().toHex().left(16));
}

} // namespace photosearch
