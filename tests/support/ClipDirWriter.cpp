// The model-directory file formats (see ClipDirWriter.h), byte for byte as
// TinyModel wrote them before they were shared.

#include "ClipDirWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cstring>

namespace photosearch::testmodel {

namespace {

// The fields ClipConfig reads for one tower, plus `extra`.
QJsonObject tower(const TowerSpec& s, const QJsonObject& extra)
{
    QJsonObject t{{"hidden_size", s.hidden},      {"intermediate_size", s.intermediate},
                  {"num_hidden_layers", s.layers}, {"num_attention_heads", s.heads},
                  {"hidden_act", "quick_gelu"},    {"layer_norm_eps", 1e-5}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        t.insert(it.key(), it.value());
    return t;
}

} // namespace

QByteArray safetensorsBytes(std::vector<NamedTensor> tensors)
{
    std::sort(tensors.begin(), tensors.end(),
              [](const NamedTensor& a, const NamedTensor& b) { return a.name < b.name; });
    std::string header = R"({"__metadata__":{"format":"pt"})";
    uint64_t offset = 0;
    for (const NamedTensor& t : tensors) {
        std::string shape;
        for (int64_t d : t.shape)
            shape += (shape.empty() ? "" : ",") + std::to_string(d);
        const uint64_t end = offset + 4 * t.data.size();
        header += ",\"" + t.name + R"(":{"dtype":"F32","shape":[)" + shape + "],\"data_offsets\":["
                  + std::to_string(offset) + "," + std::to_string(end) + "]}";
        offset = end;
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');

    QByteArray out;
    out.reserve(int(8 + header.size() + offset));
    for (int i = 0; i < 8; ++i)
        out.append(char(uint64_t(header.size()) >> (8 * i) & 0xFF));
    out.append(header.data(), qsizetype(header.size()));
    for (const NamedTensor& t : tensors) {
        for (float v : t.data) {
            uint32_t bits;
            std::memcpy(&bits, &v, 4);
            for (int i = 0; i < 4; ++i)
                out.append(char(bits >> (8 * i) & 0xFF));
        }
    }
    return out;
}

// GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest
// move to U+0100 onwards, which makes CLIP's order plain code-point order.
QByteArray clipVocabJson(const std::vector<Merge>& merges)
{
    std::vector<char32_t> symbols;
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        symbols.push_back(printable ? char32_t(b) : next++);
    }
    std::sort(symbols.begin(), symbols.end());
    QJsonObject vocab;
    int id = 0;
    for (char32_t c : symbols)
        vocab.insert(QString::fromUcs4(&c, 1), id++);
    for (char32_t c : symbols)
        vocab.insert(QString::fromUcs4(&c, 1) + QStringLiteral("</w>"), id++);
    for (const Merge& m : merges)
        vocab.insert(QString::fromStdString(m.first + m.second), id++);
    vocab.insert(QStringLiteral("<|startoftext|>"), id++);
    vocab.insert(QStringLiteral("<|endoftext|>"), id++);
    return QJsonDocument(vocab).toJson(QJsonDocument::Compact);
}

QByteArray clipMergesTxt(const std::vector<Merge>& merges)
{
    QByteArray out = "#version: 0.2\n"; // the tokenizer skips this line, as CLIP's file has it
    for (const Merge& m : merges)
        out += QByteArray::fromStdString(m.first) + ' ' + QByteArray::fromStdString(m.second) + '\n';
    return out;
}

QByteArray clipConfigJson(const ClipSpec& spec)
{
    const QJsonObject text = tower(spec.text, {{"model_type", "clip_text_model"},
                                               {"vocab_size", spec.vocabulary()},
                                               {"max_position_embeddings", spec.positions},
                                               {"bos_token_id", spec.startId()},
                                               {"eos_token_id", spec.endId()}, // pooling finds the first of these
                                               {"pad_token_id", spec.endId()}});
    const QJsonObject vision = tower(spec.vision, {{"model_type", "clip_vision_model"},
                                                   {"image_size", spec.imageSize},
                                                   {"patch_size", spec.patchSize},
                                                   {"num_channels", 3}});
    const QJsonObject root{{"architectures", QJsonArray{"CLIPModel"}},
                           {"model_type", "clip"},
                           {"projection_dim", spec.projection},
                           {"logit_scale_init_value", spec.logitScaleInit},
                           {"text_config", text},
                           {"vision_config", vision}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray clipPreprocessorJson(int imageSize)
{
    const QJsonObject root{{"image_processor_type", "CLIPImageProcessor"},
                           {"size", QJsonObject{{"shortest_edge", imageSize}}},
                           {"crop_size", QJsonObject{{"height", imageSize}, {"width", imageSize}}},
                           {"do_resize", true},
                           {"do_center_crop", true},
                           {"do_normalize", true},
                           {"resample", 3},
                           {"image_mean", QJsonArray{0.48145466, 0.4578275, 0.40821073}},
                           {"image_std", QJsonArray{0.26862954, 0.26130258, 0.27577711}}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error)
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return false;
}

} // namespace photosearch::testmodel
