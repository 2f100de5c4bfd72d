#include "ComputeArgs.h"

#include <stdexcept>

namespace photosearch::cli {

clip::ComputeOptions computeFromArgs(const CliArgs& args, torch::ScalarType preferred)
{
    try {
        const clip::DevicePreference device =
            clip::parseDevicePreference(args.value(QStringLiteral("device"), QStringLiteral("auto")).toStdString());
        torch::ScalarType dtype = torch::ScalarType::Undefined;
        if (args.has(QStringLiteral("dtype")))
            dtype = clip::parseDtype(args.value(QStringLiteral("dtype")).toStdString());
        return clip::chooseCompute(device, dtype, preferred);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

} // namespace photosearch::cli
