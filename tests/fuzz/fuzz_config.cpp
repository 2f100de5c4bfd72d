// libFuzzer target: the model folder's JSON files. The input is read as
// config.json (clip::Json + ClipConfig::fromJson) and as
// preprocessor_config.json (PreprocessConfig, Qt's JSON) from a scratch folder.
#include <torch/types.h>

#include "ClipConfig.h"
#include "ImagePreprocessor.h"
#include "Json.h"
#include "ModelError.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <memory>
#include <string_view>

namespace {
std::unique_ptr<QTemporaryDir> scratch;
}

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    scratch = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/ps-fuzz-config-XXXXXX"));
    return scratch->isValid() ? 0 : 2;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const clip::Json json = clip::Json::parse(text);
        const clip::ClipConfig config = clip::ClipConfig::fromJson(json, "config.json");
        (void)config.vision.tokens();
    } catch (const clip::JsonError&) {
    } catch (const clip::ModelError&) {
    }
    QFile file(scratch->filePath(QStringLiteral("preprocessor_config.json")));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.write(reinterpret_cast<const char*>(data), qint64(size));
        file.close();
        try {
            (void)photosearch::PreprocessConfig::fromModelDirectory(scratch->path(), 224);
        } catch (const clip::ModelError&) {
        }
    }
    return 0;
}
