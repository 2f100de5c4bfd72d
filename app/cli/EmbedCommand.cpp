#include "CliArgs.h"
#include "ClipEncoder.h"
#include "Commands.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <torch/torch.h>

#include <cstdio>

namespace photosearch::cli {

int embedCommand(const QStringList& args)
{
    const CliArgs a(args, {QStringLiteral("model"), QStringLiteral("device"), QStringLiteral("dtype"),
                           QStringLiteral("text"), QStringLiteral("image")},
                    {QStringLiteral("normalize")});
    const QString modelDir = a.required(QStringLiteral("model"));
    if (!a.positionals().isEmpty())
        throw UsageError("embed takes its inputs as --text T or --image PATH");

    struct Input {
        bool isImage;
        QString value;
    };
    std::vector<Input> inputs;
    QStringList texts;
    for (const auto& [name, value] : a.options()) {
        if (name == QLatin1String("text") || name == QLatin1String("image")) {
            inputs.push_back({name == QLatin1String("image"), value});
            if (name == QLatin1String("text"))
                texts << value;
        }
    }
    if (inputs.empty())
        throw UsageError("embed needs at least one --text or --image");

    clip::DevicePreference device;
    torch::ScalarType dtype = torch::ScalarType::Undefined;
    try {
        device = clip::parseDevicePreference(a.value(QStringLiteral("device"), QStringLiteral("auto")).toStdString());
        if (a.has(QStringLiteral("dtype")))
            dtype = clip::parseDtype(a.value(QStringLiteral("dtype")).toStdString());
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    requireModelFolder(modelDir); // before chooseCompute, which may take seconds to start CUDA
    // fp32 unless asked: `embed` is the reference output (get_*_features), not
    // library work, so it prefers the exact precision the device runs.
    const clip::ComputeOptions compute = clip::chooseCompute(device, dtype, torch::kFloat32);
    QElapsedTimer timer;
    timer.start();
    const ClipEncoder encoder(modelDir, compute);
    std::fprintf(stderr, "Loaded %s on %s in %.2f s\n", qPrintable(modelDir), clip::describe(compute).c_str(),
                 double(timer.elapsed()) / 1000.0);

    // Every image is decoded before any output, so a bad file fails the
    // command without leaving half the lines printed.
    std::vector<torch::Tensor> pixels;
    for (const Input& in : inputs)
        if (in.isImage)
            pixels.push_back(encoder.preprocessor().load(in.value));
    torch::Tensor textEmb = encoder.embedTexts(texts);
    torch::Tensor imageEmb = encoder.embedPixels(pixels);
    if (a.has(QStringLiteral("normalize"))) {
        textEmb = ClipEncoder::normalized(textEmb);
        imageEmb = ClipEncoder::normalized(imageEmb);
    }
    textEmb = textEmb.contiguous();
    imageEmb = imageEmb.contiguous();

    int64_t nextText = 0, nextImage = 0;
    for (const Input& in : inputs) {
        const torch::Tensor row = in.isImage ? imageEmb[nextImage++] : textEmb[nextText++];
        QJsonArray values;
        const float* p = row.data_ptr<float>();
        for (int64_t i = 0; i < row.numel(); ++i)
            values.append(double(p[i]));
        printJsonLine(QJsonObject{{QStringLiteral("input"), in.value}, {QStringLiteral("embedding"), values}});
    }
    return 0;
}

} // namespace photosearch::cli
