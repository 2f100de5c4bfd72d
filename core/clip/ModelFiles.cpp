#include "ModelFiles.h"

#include "ModelError.h"

#include <filesystem>
#include <system_error>

namespace clip {
namespace fs = std::filesystem;

namespace {

// Both paths canonical: `path` is below `root` without a ".." step.
bool isInside(const fs::path& path, const fs::path& root)
{
    const fs::path relative = path.lexically_relative(root);
    return !relative.empty() && *relative.begin() != "..";
}

// <repo>/blobs for a hub cache snapshot folder <repo>/snapshots/<revision>; empty otherwise.
fs::path hubBlobsFor(const fs::path& root)
{
    std::error_code ec;
    const fs::path snapshots = root.parent_path();
    if (snapshots.filename() != "snapshots")
        return {};
    const fs::path blobs = snapshots.parent_path() / "blobs";
    return fs::is_directory(blobs, ec) ? fs::canonical(blobs, ec) : fs::path();
}

} // namespace

std::string modelFilePath(const std::string& dir, const std::string& name)
{
    const fs::path file = fs::path(dir) / name;
    std::error_code ec;
    // By type before anyone opens it: opening a FIFO waits for a writer, for ever.
    const fs::file_status status = fs::status(file, ec);
    if (!ec && fs::exists(status) && !fs::is_regular_file(status))
        throw ModelError("Model file " + file.string()
                         + " is not a regular file (a folder, pipe or device); replace it with the file itself.");
    const fs::path root = fs::canonical(dir, ec);
    if (ec)
        return file.string();
    // A missing file or a dangling link resolves to dir/name (nothing can be
    // read through it): the reader then reports the file as missing.
    const fs::path target = fs::weakly_canonical(file, ec);
    if (ec || isInside(target, root))
        return file.string();
    const fs::path blobs = hubBlobsFor(root);
    if (!blobs.empty() && isInside(target, blobs))
        return file.string();
    throw ModelError("Model file " + file.string() + " is a link to " + target.string()
                     + ", outside the model folder; copy that file into the folder to use it.");
}

} // namespace clip
