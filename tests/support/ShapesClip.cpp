// Training and export of the shapes CLIP (see ShapesClip.h). The forward is
// written with plain LibTorch ops so that autograd gives the gradients and
// the weights keep their Hugging Face names from creation to export.

// LibTorch before Qt.
#include <torch/torch.h>

#include "ShapesClip.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImageWriter>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace photosearch::shapes {

namespace {

// Bump when the world, the captions, the tokenizer or the training change:
// a cached model directory with another stamp is rebuilt.
constexpr const char* kFixtureVersion = "shapes-clip 1";
constexpr double kLayerNormEps = 1e-5;
constexpr double kMaxLogLogitScale = 4.6052; // ln 100, CLIP's clamp

// BPE on one word as CLIP runs it: repeatedly merge every occurrence of the
// adjacent pair with the lowest rank until no ranked pair is left.
std::vector<std::string> bpe(const std::string& word, const std::map<testmodel::Merge, size_t>& ranks)
{
    std::vector<std::string> symbols;
    for (size_t i = 0; i < word.size(); ++i)
        symbols.push_back(std::string(1, word[i]) + (i + 1 == word.size() ? "</w>" : ""));
    for (;;) {
        size_t best = std::numeric_limits<size_t>::max();
        for (size_t i = 0; i + 1 < symbols.size(); ++i) {
            const auto it = ranks.find({symbols[i], symbols[i + 1]});
            if (it != ranks.end())
                best = std::min(best, it->second);
        }
        if (best == std::numeric_limits<size_t>::max())
            return symbols;
        std::vector<std::string> merged;
        for (size_t i = 0; i < symbols.size(); ++i) {
            if (i + 1 < symbols.size()) {
                const auto it = ranks.find({symbols[i], symbols[i + 1]});
                if (it != ranks.end() && it->second == best) {
                    merged.push_back(symbols[i] + symbols[i + 1]);
                    ++i;
                    continue;
                }
            }
            merged.push_back(symbols[i]);
        }
        symbols = std::move(merged);
    }
}

// Merges added word by word: a new merge ranks after all earlier ones, and
// an earlier word always has an earlier pair to merge until it is one
// token, so adding merges for later words never splits earlier ones.
std::vector<testmodel::Merge> buildMerges(const QStringList& words)
{
    std::vector<testmodel::Merge> merges;
    std::map<testmodel::Merge, size_t> ranks;
    for (const QString& w : words) {
        for (;;) {
            const std::vector<std::string> symbols = bpe(w.toStdString(), ranks);
            if (symbols.size() < 2)
                break;
            const testmodel::Merge m{symbols[0], symbols[1]};
            ranks.emplace(m, merges.size());
            merges.push_back(m);
        }
    }
    return merges;
}

torch::Tensor quickGelu(const torch::Tensor& h)
{
    return h * torch::sigmoid(h * 1.702);
}

// The symmetric InfoNCE loss of the CLIP paper on unit-length embeddings.
torch::Tensor clipLoss(const torch::Tensor& images, const torch::Tensor& texts, const torch::Tensor& logLogitScale)
{
    const torch::Tensor i = images / images.norm(2, -1, true);
    const torch::Tensor t = texts / texts.norm(2, -1, true);
    const torch::Tensor logits = logLogitScale.exp() * torch::matmul(i, t.t());
    const torch::Tensor labels = torch::arange(logits.size(0), torch::kLong);
    return (torch::nn::functional::cross_entropy(logits, labels)
            + torch::nn::functional::cross_entropy(logits.t(), labels))
           / 2;
}

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

QStringList tokenWords()
{
    QStringList words;
    for (Colour c : allColours())
        words << colourName(c);
    for (Shape s : allShapes())
        words << shapeName(s) << shapePlural(s);
    for (Background b : allBackgrounds())
        words << backgroundName(b).split(QLatin1Char(' '));
    words << sizeName(Size::Small) << sizeName(Size::Large);
    for (int n = 1; n <= 3; ++n)
        words << countWord(n);
    // Caption glue and the words of resources/prompts/templates.txt.
    words << QStringLiteral("a an the of on with in and background photo picture image close up cropped good "
                            "bright dark blurry my nice some shape shapes this is big tiny gray colour color "
                            "corners round")
                 .split(QLatin1Char(' '));
    words.removeDuplicates();
    return words;
}

const std::vector<testmodel::Merge>& tokenizerMerges()
{
    static const std::vector<testmodel::Merge> merges = buildMerges(tokenWords());
    return merges;
}

int vocabularySize()
{
    return 512 + int(tokenizerMerges().size()) + 2;
}

bool writeTokenizer(const QString& dir, QString* error)
{
    const QDir d(dir);
    return testmodel::writeFileAtomically(d.filePath(QStringLiteral("vocab.json")),
                                          testmodel::clipVocabJson(tokenizerMerges()), error)
           && testmodel::writeFileAtomically(d.filePath(QStringLiteral("merges.txt")),
                                             testmodel::clipMergesTxt(tokenizerMerges()), error);
}

// ---------------------------------------------------------------- the model

void TrainableClip::add(const std::string& name, torch::Tensor value)
{
    value = value.to(torch::kFloat32).contiguous().set_requires_grad(true);
    ordered_.emplace_back(name, value);
    byName_.emplace(name, value);
}

// Standard deviations as transformers' CLIPPreTrainedModel._init_weights.
void TrainableClip::addLayers(const std::string& prefix, int d, int layers)
{
    const double inStd = std::pow(d, -0.5) * std::pow(2 * layers, -0.5);
    const double outStd = std::pow(d, -0.5);
    const double fcStd = std::pow(2 * d, -0.5);
    for (int l = 0; l < layers; ++l) {
        const std::string p = prefix + "encoder.layers." + std::to_string(l) + ".";
        add(p + "layer_norm1.weight", torch::ones({d}));
        add(p + "layer_norm1.bias", torch::zeros({d}));
        for (const char* proj : {"q_proj", "k_proj", "v_proj"}) {
            add(p + "self_attn." + proj + ".weight", torch::randn({d, d}) * inStd);
            add(p + "self_attn." + proj + ".bias", torch::zeros({d}));
        }
        add(p + "self_attn.out_proj.weight", torch::randn({d, d}) * outStd);
        add(p + "self_attn.out_proj.bias", torch::zeros({d}));
        add(p + "layer_norm2.weight", torch::ones({d}));
        add(p + "layer_norm2.bias", torch::zeros({d}));
        add(p + "mlp.fc1.weight", torch::randn({4 * d, d}) * fcStd);
        add(p + "mlp.fc1.bias", torch::zeros({4 * d}));
        add(p + "mlp.fc2.weight", torch::randn({d, 4 * d}) * inStd);
        add(p + "mlp.fc2.bias", torch::zeros({d}));
    }
}

TrainableClip::TrainableClip(const ClipArchitecture& a, uint64_t seed)
    : arch_(a)
{
    torch::manual_seed(seed);
    const int tw = a.textWidth;
    const int vw = a.visionWidth;
    add("text_model.embeddings.token_embedding.weight", torch::randn({vocabularySize(), tw}) * 0.02);
    add("text_model.embeddings.position_embedding.weight", torch::randn({a.positions, tw}) * 0.02);
    addLayers("text_model.", tw, a.textLayers);
    add("text_model.final_layer_norm.weight", torch::ones({tw}));
    add("text_model.final_layer_norm.bias", torch::zeros({tw}));
    add("text_projection.weight", torch::randn({a.projection, tw}) * std::pow(tw, -0.5));

    const int grid = a.imageSize / a.patchSize;
    add("vision_model.embeddings.class_embedding", torch::randn({vw}) * std::pow(vw, -0.5));
    add("vision_model.embeddings.patch_embedding.weight", torch::randn({vw, 3, a.patchSize, a.patchSize}) * 0.02);
    add("vision_model.embeddings.position_embedding.weight", torch::randn({grid * grid + 1, vw}) * 0.02);
    add("vision_model.pre_layrnorm.weight", torch::ones({vw}));
    add("vision_model.pre_layrnorm.bias", torch::zeros({vw}));
    addLayers("vision_model.", vw, a.visionLayers);
    add("vision_model.post_layernorm.weight", torch::ones({vw}));
    add("vision_model.post_layernorm.bias", torch::zeros({vw}));
    add("visual_projection.weight", torch::randn({a.projection, vw}) * std::pow(vw, -0.5));
    add("logit_scale", torch::tensor(2.6592)); // ln(1 / 0.07), CLIP's start
}

torch::Tensor TrainableClip::layer(const std::string& p, torch::Tensor x, int heads, const torch::Tensor& mask) const
{
    const int64_t b = x.size(0);
    const int64_t len = x.size(1);
    const int64_t d = x.size(2);
    const int64_t hd = d / heads;
    auto linear = [&](const torch::Tensor& in, const std::string& name) {
        return torch::linear(in, parameter(p + name + ".weight"), parameter(p + name + ".bias"));
    };
    auto split = [&](const torch::Tensor& t) { return t.view({b, len, heads, hd}).transpose(1, 2); };

    torch::Tensor h = torch::layer_norm(x, {d}, parameter(p + "layer_norm1.weight"), parameter(p + "layer_norm1.bias"),
                                        kLayerNormEps);
    const torch::Tensor q = split(linear(h, "self_attn.q_proj"));
    const torch::Tensor k = split(linear(h, "self_attn.k_proj"));
    const torch::Tensor v = split(linear(h, "self_attn.v_proj"));
    torch::Tensor scores = torch::matmul(q * (1.0 / std::sqrt(double(hd))), k.transpose(-2, -1));
    if (mask.defined())
        scores = scores + mask;
    const torch::Tensor a = torch::matmul(torch::softmax(scores, -1), v).transpose(1, 2).reshape({b, len, d});
    x = x + linear(a, "self_attn.out_proj");
    h = torch::layer_norm(x, {d}, parameter(p + "layer_norm2.weight"), parameter(p + "layer_norm2.bias"),
                          kLayerNormEps);
    return x + linear(quickGelu(linear(h, "mlp.fc1")), "mlp.fc2");
}

torch::Tensor TrainableClip::tower(const std::string& prefix, torch::Tensor x, int layers, int heads,
                                   const torch::Tensor& mask) const
{
    for (int l = 0; l < layers; ++l)
        x = layer(prefix + "encoder.layers." + std::to_string(l) + ".", x, heads, mask);
    return x;
}

torch::Tensor TrainableClip::encodeTokens(const std::vector<std::vector<int64_t>>& ids) const
{
    const int64_t b = int64_t(ids.size());
    const int64_t endId = vocabularySize() - 1;
    int64_t len = 1;
    for (const auto& seq : ids)
        len = std::max(len, int64_t(seq.size()));
    // Padding with the end token is harmless: the causal mask hides it from
    // the pooled position, the first end token.
    std::vector<int64_t> flat(size_t(b * len), endId);
    std::vector<int64_t> pooled(size_t(b), 0);
    for (int64_t i = 0; i < b; ++i) {
        const auto& seq = ids[size_t(i)];
        std::copy(seq.begin(), seq.end(), flat.begin() + i * len);
        pooled[size_t(i)] = int64_t(std::find(seq.begin(), seq.end(), endId) - seq.begin()) % int64_t(seq.size());
    }
    const int64_t d = arch_.textWidth;
    const torch::Tensor tokens = torch::tensor(flat, torch::kLong);
    torch::Tensor x = parameter("text_model.embeddings.token_embedding.weight").index_select(0, tokens).view({b, len, d})
                      + parameter("text_model.embeddings.position_embedding.weight").narrow(0, 0, len);
    const torch::Tensor mask =
        torch::full({len, len}, -std::numeric_limits<float>::infinity()).triu(1).view({1, 1, len, len});
    x = tower("text_model.", x, arch_.textLayers, arch_.textHeads, mask);
    x = x.index({torch::arange(b, torch::kLong), torch::tensor(pooled, torch::kLong)});
    x = torch::layer_norm(x, {d}, parameter("text_model.final_layer_norm.weight"),
                          parameter("text_model.final_layer_norm.bias"), kLayerNormEps);
    return torch::matmul(x, parameter("text_projection.weight").t());
}

torch::Tensor TrainableClip::encodeImages(const torch::Tensor& pixels) const
{
    const int64_t b = pixels.size(0);
    const int64_t p = arch_.patchSize;
    const int64_t g = arch_.imageSize / p;
    const int64_t d = arch_.visionWidth;
    // A stride-P convolution with a PxP kernel, as one product over patches.
    const torch::Tensor patches =
        pixels.reshape({b, 3, g, p, g, p}).permute({0, 2, 4, 1, 3, 5}).reshape({b, g * g, 3 * p * p});
    const torch::Tensor weight = parameter("vision_model.embeddings.patch_embedding.weight").reshape({d, 3 * p * p});
    torch::Tensor x = torch::matmul(patches, weight.t());
    const torch::Tensor cls = parameter("vision_model.embeddings.class_embedding").view({1, 1, d}).expand({b, 1, d});
    x = torch::cat({cls, x}, 1) + parameter("vision_model.embeddings.position_embedding.weight");
    x = torch::layer_norm(x, {d}, parameter("vision_model.pre_layrnorm.weight"),
                          parameter("vision_model.pre_layrnorm.bias"), kLayerNormEps);
    x = tower("vision_model.", x, arch_.visionLayers, arch_.visionHeads, {}).select(1, 0);
    x = torch::layer_norm(x, {d}, parameter("vision_model.post_layernorm.weight"),
                          parameter("vision_model.post_layernorm.bias"), kLayerNormEps);
    return torch::matmul(x, parameter("visual_projection.weight").t());
}

bool TrainableClip::save(const QString& dir, QString* error) const
{
    std::vector<testmodel::NamedTensor> tensors;
    for (const auto& [name, value] : ordered_) {
        const torch::Tensor t = value.detach().to(torch::kFloat32).contiguous();
        tensors.push_back({name, t.sizes().vec(),
                           std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel())});
    }
    testmodel::ClipSpec spec;
    spec.text = {arch_.textWidth, 4 * arch_.textWidth, arch_.textLayers, arch_.textHeads};
    spec.vision = {arch_.visionWidth, 4 * arch_.visionWidth, arch_.visionLayers, arch_.visionHeads};
    spec.mergeCount = int(tokenizerMerges().size());
    spec.positions = arch_.positions;
    spec.imageSize = arch_.imageSize;
    spec.patchSize = arch_.patchSize;
    spec.projection = arch_.projection;
    const QDir d(dir);
    return testmodel::writeFileAtomically(d.filePath(QStringLiteral("config.json")), testmodel::clipConfigJson(spec),
                                          error)
           && testmodel::writeFileAtomically(d.filePath(QStringLiteral("preprocessor_config.json")),
                                             testmodel::clipPreprocessorJson(arch_.imageSize), error)
           && testmodel::writeFileAtomically(d.filePath(QStringLiteral("model.safetensors")),
                                             testmodel::safetensorsBytes(std::move(tensors)), error);
}

// ---------------------------------------------------------------- training

torch::Tensor scenePixels(const Scene& scene, const ImagePreprocessor& preprocessor, int renderPx, int jpegQuality)
{
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(jpegQuality);
    writer.write(render(scene, renderPx));
    buffer.close();
    QImage decoded;
    decoded.loadFromData(jpeg, "JPEG");
    return preprocessor.toTensor(decoded);
}

namespace {

struct Schedule {
    int steps;
    double peak;
    // Linear warm-up over the first 10%, then cosine decay to zero.
    double at(int step) const
    {
        const int warm = std::max(1, steps / 10);
        if (step < warm)
            return peak * (step + 1) / warm;
        const double t = double(step - warm) / std::max(1, steps - warm);
        return peak * 0.5 * (1 + std::cos(3.141592653589793 * t));
    }
};

// AdamW with weight decay on matrices only (not on gains, biases, the
// temperature or embeddings), as CLIP trains.
torch::optim::AdamW makeOptimizer(const TrainableClip& model, const TrainOptions& o)
{
    std::vector<torch::Tensor> decay, keep;
    for (const auto& [name, value] : model.parameters()) {
        const bool matrix = value.dim() >= 2 && name.find("embedding") == std::string::npos;
        (matrix ? decay : keep).push_back(value);
    }
    auto options = [&](double wd) {
        return std::make_unique<torch::optim::AdamWOptions>(
            torch::optim::AdamWOptions(o.learningRate).betas({0.9, 0.98}).eps(1e-6).weight_decay(wd));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, options(o.weightDecay));
    groups.emplace_back(keep, options(0.0));
    return torch::optim::AdamW(groups, torch::optim::AdamWOptions(o.learningRate));
}

// The training world: families of scenes that are the same picture but for
// the shape, one scene for each shape. A batch is made of whole families,
// so within a family only the shape tells the captions apart. With
// uniformly random batches, colour and background alone separate almost
// every pair and the loss has little left to gain from shape. (Measured:
// shape accuracy stays at chance either way within the time budget; the
// families are kept as the setting most likely to learn it.)
std::vector<Scene> trainingWorld(const TrainOptions& o)
{
    const size_t family = allShapes().size();
    std::vector<Scene> world;
    for (const Scene& base : scenes(o.seed, int((size_t(o.scenes) + family - 1) / family)))
        for (Shape shape : allShapes()) {
            Scene s = base;
            s.shape = shape;
            world.push_back(std::move(s));
        }
    return world;
}

// Whole families in shuffled order, reshuffled each epoch.
class BatchSampler {
public:
    BatchSampler(size_t scenes, size_t familySize)
        : familySize_(familySize)
        , order_(scenes / familySize)
    {
        std::iota(order_.begin(), order_.end(), 0);
        next_ = order_.size(); // shuffled before the first batch
    }

    std::vector<int64_t> next(int size, SplitMix64& random)
    {
        std::vector<int64_t> batch;
        while (int(batch.size()) < size) {
            if (next_ == order_.size()) { // a new epoch: Fisher-Yates
                for (size_t i = order_.size(); i > 1; --i)
                    std::swap(order_[i - 1], order_[size_t(random.below(int(i)))]);
                next_ = 0;
            }
            const int64_t first = order_[next_++] * int64_t(familySize_);
            for (size_t i = 0; i < familySize_ && int(batch.size()) < size; ++i)
                batch.push_back(first + int64_t(i));
        }
        return batch;
    }

private:
    size_t familySize_;
    std::vector<int64_t> order_;
    size_t next_ = 0;
};

torch::Tensor renderAll(const std::vector<Scene>& scenes, const ImagePreprocessor& preprocessor)
{
    std::vector<torch::Tensor> pixels;
    pixels.reserve(scenes.size());
    for (const Scene& s : scenes)
        pixels.push_back(scenePixels(s, preprocessor));
    return torch::stack(pixels);
}

// One optimisation step on `batch` (scene indices). Captions take a fresh
// wording each time a scene comes round; a quarter name every attribute.
double trainStep(TrainableClip& model, torch::optim::AdamW& optimizer, const ClipTokenizer& tokenizer,
                 const std::vector<Scene>& scenes, const torch::Tensor& pixels, const std::vector<int64_t>& batch,
                 SplitMix64& random)
{
    std::vector<std::vector<int64_t>> ids;
    std::vector<uint8_t> flips;
    for (int64_t i : batch) {
        const uint64_t variant = random.chance(0.25) ? 0 : random.next() | 1;
        ids.push_back(tokenizer.encode(caption(scenes[size_t(i)], variant), model.architecture().positions));
        flips.push_back(random.chance(0.5));
    }
    torch::Tensor images = pixels.index_select(0, torch::tensor(batch, torch::kLong));
    const torch::Tensor flip = torch::tensor(flips, torch::kBool).view({-1, 1, 1, 1});
    images = torch::where(flip, images.flip({3}), images);

    optimizer.zero_grad();
    const torch::Tensor loss = clipLoss(model.encodeImages(images), model.encodeTokens(ids), model.logLogitScale());
    loss.backward();
    std::vector<torch::Tensor> all;
    for (const auto& entry : model.parameters())
        all.push_back(entry.second);
    torch::nn::utils::clip_grad_norm_(all, 1.0);
    optimizer.step();
    {
        torch::NoGradGuard noGrad;
        model.logLogitScale().clamp_(0, kMaxLogLogitScale);
    }
    return loss.item<double>();
}

} // namespace

TrainReport train(TrainableClip& model, const ClipTokenizer& tokenizer, const ImagePreprocessor& preprocessor,
                  const TrainOptions& o)
{
    auto log = [&](const QString& line) {
        if (o.log)
            o.log(line);
    };
    torch::set_num_threads(o.threads);
    TrainReport report;
    QElapsedTimer timer;
    timer.start();
    const std::vector<Scene> world = trainingWorld(o);
    const torch::Tensor pixels = renderAll(world, preprocessor);
    report.renderSeconds = timer.elapsed() / 1000.0;
    log(QStringLiteral("rendered %1 scenes in %2 s").arg(o.scenes).arg(report.renderSeconds, 0, 'f', 1));

    timer.restart();
    torch::optim::AdamW optimizer = makeOptimizer(model, o);
    const Schedule schedule{o.steps, o.learningRate};
    SplitMix64 random(o.seed * 0x9E3779B97F4A7C15ull + 1);
    BatchSampler sampler(world.size(), allShapes().size());
    std::vector<double> losses;
    for (int step = 0; step < o.steps; ++step) {
        const std::vector<int64_t> batch = sampler.next(o.batch, random);
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions&>(group.options()).lr(schedule.at(step));
        losses.push_back(trainStep(model, optimizer, tokenizer, world, pixels, batch, random));
        if (step % 50 == 0 || step + 1 == o.steps)
            log(QStringLiteral("step %1/%2 loss %3 scale %4 (%5 s)")
                    .arg(step + 1).arg(o.steps).arg(losses.back(), 0, 'f', 3)
                    .arg(std::exp(model.logLogitScale().item<double>()), 0, 'f', 1)
                    .arg(timer.elapsed() / 1000.0, 0, 'f', 1));
    }
    report.trainSeconds = timer.elapsed() / 1000.0;
    report.firstLoss = losses.empty() ? 0 : losses.front();
    const size_t tail = std::min<size_t>(20, losses.size());
    report.lastLoss = tail ? std::accumulate(losses.end() - tail, losses.end(), 0.0) / tail : 0;
    report.logitScale = std::exp(model.logLogitScale().item<double>());
    return report;
}

// ---------------------------------------------------------------- the fixture

QString stampFileName()
{
    return QStringLiteral("shapes-clip.stamp");
}

QString fixtureVersion(const TrainOptions& o)
{
    const ClipArchitecture& a = o.architecture;
    return QStringLiteral("%1; seed %2; scenes %3; steps %4; batch %5; lr %6; wd %7; text %8x%9x%10; "
                          "vision %11x%12x%13; image %14/%15; projection %16")
        .arg(QLatin1String(kFixtureVersion)).arg(o.seed).arg(o.scenes).arg(o.steps).arg(o.batch)
        .arg(o.learningRate).arg(o.weightDecay).arg(a.textWidth).arg(a.textLayers).arg(a.textHeads)
        .arg(a.visionWidth).arg(a.visionLayers).arg(a.visionHeads).arg(a.imageSize).arg(a.patchSize)
        .arg(a.projection);
}

namespace {

QByteArray readSmallFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(4096) : QByteArray();
}

// Tokenizer files first (training reads them back through ClipTokenizer),
// then the trained weights, the stamp last.
bool buildInto(const QString& dir, const TrainOptions& o, QString* error, TrainReport* report)
{
    if (!writeTokenizer(dir, error))
        return false;
    const ClipTokenizer tokenizer = ClipTokenizer::fromDirectory(dir);
    PreprocessConfig pre;
    pre.shortestEdge = pre.cropSize = o.architecture.imageSize;
    TrainableClip model(o.architecture, o.seed);
    const TrainReport r = train(model, tokenizer, ImagePreprocessor(pre), o);
    if (report)
        *report = r;
    return model.save(dir, error)
           && testmodel::writeFileAtomically(QDir(dir).filePath(stampFileName()), fixtureVersion(o).toUtf8(), error);
}

} // namespace

bool makeShapesClip(const QString& dir, const TrainOptions& o, QString* error, bool* reused, TrainReport* report)
{
    const QString version = fixtureVersion(o);
    const bool current = readSmallFile(QDir(dir).filePath(stampFileName())) == version.toUtf8();
    if (reused)
        *reused = current;
    if (current)
        return true;

    const QString pid = QString::number(QCoreApplication::applicationPid());
    const QString temp = dir + QStringLiteral(".tmp-") + pid;
    const QString old = dir + QStringLiteral(".old-") + pid;
    QDir(temp).removeRecursively();
    if (!QDir().mkpath(temp))
        return fail(error, QStringLiteral("cannot create %1").arg(temp));
    if (!buildInto(temp, o, error, report))
        return false;
    // A stale model moves aside before the new one takes its name.
    if (QFileInfo::exists(dir) && !QDir().rename(dir, old))
        return fail(error, QStringLiteral("cannot move the old model %1 aside").arg(dir));
    if (!QDir().rename(temp, dir))
        return fail(error, QStringLiteral("cannot rename %1 to %2").arg(temp, dir));
    QDir(old).removeRecursively();
    return true;
}

} // namespace photosearch::shapes
