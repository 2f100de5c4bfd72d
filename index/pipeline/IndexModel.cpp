// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/types.h>

#include "IndexModel.h"

#include "ClipConfig.h"
#include "ModelError.h"
#include "ModelFiles.h"
#include "TowerEngine.h"

#include <stdexcept>

namespace photosearch {

IndexModel::IndexModel(const clip::TowerEngine& towers, const ImagePreprocessor& preprocessor)
    : IndexModel(int(towers.config().projectionDim), towers.compute(), preprocessor,
                 [&towers]() -> const clip::TowerEngine& { return towers; })
{
    towers_ = &towers;
}

IndexModel::IndexModel(int dimension, const clip::ComputeOptions& compute, const ImagePreprocessor& preprocessor,
                       Loader load)
    : dimension_(dimension)
    , compute_(compute)
    , preprocessor_(preprocessor)
    , load_(std::move(load))
{
}

IndexModel IndexModel::fromDirectory(const QString& modelDir, const clip::ComputeOptions& compute, Loader load)
{
    const clip::ClipConfig config = clip::ClipConfig::fromFile(clip::modelFilePath(modelDir.toStdString(), "config.json"));
    // As ClipEncoder makes it from the same files once the weights are loaded.
    const ImagePreprocessor preprocessor(PreprocessConfig::fromModelDirectory(modelDir, int(config.vision.imageSize)));
    return IndexModel(int(config.projectionDim), compute, preprocessor, std::move(load));
}

const clip::TowerEngine& IndexModel::towers()
{
    if (towers_)
        return *towers_;
    const clip::TowerEngine& loaded = load_();
    if (int(loaded.config().projectionDim) != dimension_)
        throw clip::ModelError("The model's config.json changed while indexing (" +
                               std::to_string(loaded.config().projectionDim) + "-dimensional vectors instead of " +
                               std::to_string(dimension_) + "); index again.");
    // The vectors are stored under a set named for this precision (VectorSet.h).
    if (loaded.compute().dtype != compute_.dtype || loaded.compute().device != compute_.device)
        throw std::logic_error("IndexModel: the loader returned towers computing other than the run was planned for");
    towers_ = &loaded;
    return loaded;
}

} // namespace photosearch
