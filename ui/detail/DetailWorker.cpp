// Reads details and stores tag verdicts off the GUI thread; see DetailWorker.h.

#include "DetailWorker.h"

#include "Catalog.h"
#include "LibraryLocation.h"
#include "LibraryModel.h"
#include "PhotoTextStore.h"
#include "TagCorrections.h"
#include "TagQueries.h"

#include <QDir>
#include <QFileInfo>

#include <stdexcept>

namespace photosearch {

namespace {

PhotoInfo infoFrom(const PhotoRecord& r)
{
    PhotoInfo info;
    info.path = r.path;
    info.fileSize = r.size;
    info.width = r.width;
    info.height = r.height;
    info.format = r.format;
    info.takenAt = r.takenAt;
    info.camera = r.camera;
    info.lens = r.lens;
    info.hasGps = r.hasGps;
    info.latitude = r.latitude;
    info.longitude = r.longitude;
    return info;
}

// The photo's text as the text pass left it. A catalog without the text
// table (an older one opened read-only) or an unreadable row is shown as
// "not read yet": the rest of the details still come.
PhotoWrittenText writtenTextOf(const Catalog& catalog, qint64 photoId)
{
    PhotoWrittenText written;
    try {
        const std::optional<PhotoText> t = PhotoTextStore(catalog).text(photoId);
        if (!t)
            return written;
        switch (t->status) {
        case PhotoTextStatus::Read: written.state = PhotoWrittenText::State::Read; break;
        case PhotoTextStatus::Skipped: written.state = PhotoWrittenText::State::Skipped; break;
        case PhotoTextStatus::Failed: written.state = PhotoWrittenText::State::Failed; break;
        }
        written.text = t->text.trimmed();
        written.confidence = t->confidence;
        written.languages = t->languages;
        written.error = t->error;
    } catch (const std::exception& e) {
        qWarning("the text read in photo %lld could not be loaded: %s", photoId, e.what());
    }
    return written;
}

} // namespace

DetailWorker::DetailWorker(QString libraryDir, std::shared_ptr<std::atomic_int> latest)
    : libraryDir_(std::move(libraryDir))
    , latest_(std::move(latest))
{
}

DetailWorker::~DetailWorker() = default;

Catalog* DetailWorker::catalog()
{
    if (!catalog_)
        catalog_ = std::make_unique<Catalog>(libraryDir_, LibraryLocation::catalogAccess(libraryDir_));
    return catalog_.get();
}

std::optional<PhotoRecord> DetailWorker::record(const QString& path)
{
    // Photos are stored clean and under resolved roots: try the path as
    // given, then resolved (the CLI's `tags` does the same).
    const QFileInfo file(path);
    for (const QString& candidate : {QDir::cleanPath(file.absoluteFilePath()), file.canonicalFilePath()}) {
        if (candidate.isEmpty())
            continue;
        if (std::optional<PhotoRecord> r = catalog()->photoByPath(candidate))
            return r;
    }
    return std::nullopt;
}

void DetailWorker::load(int requestId, const QString& path, const QString& modelId)
{
    if (requestId != latest_->load())
        return; // a newer photo was asked for meanwhile
    try {
        const std::optional<PhotoRecord> r = record(path);
        if (!r) {
            Q_EMIT infoFailed(requestId, path, tr("This photo is not in the library; add its folder to see its details."));
            return;
        }
        PhotoInfo info = infoFrom(*r);
        info.path = path; // as the caller knows it, so that it can match the answer
        info.modelId = modelId.isEmpty() ? libraryModelId(*catalog()) : modelId;
        if (!info.modelId.isEmpty()) {
            for (const PhotoTag& t : photoTags(*catalog(), info.modelId, r->id))
                info.tags.push_back(PhotoInfoTag{t.tag, t.score, t.confirmed});
        }
        info.writtenText = writtenTextOf(*catalog(), r->id);
        Q_EMIT infoReady(requestId, info);
    } catch (const std::exception& e) {
        qWarning("details of %s: %s", qPrintable(path), e.what());
        catalog_.reset(); // opened again on the next request
        Q_EMIT infoFailed(requestId, path, tr("The details of this photo cannot be read from the library."));
    }
}

void DetailWorker::confirmTag(const QString& path, const QString& tag)
{
    correct(path, tag, true);
}

void DetailWorker::removeTag(const QString& path, const QString& tag)
{
    correct(path, tag, false);
}

void DetailWorker::correct(const QString& path, const QString& tag, bool confirm)
{
    // As the CLI's `tag`: a read-only library is not written, and says so.
    if (LibraryLocation::isReadOnly(libraryDir_)) {
        Q_EMIT correctionFailed(path, tr("The tag could not be changed: the library is read-only "
                                         "(PHOTOSEARCH_READ_ONLY=1, or a folder that cannot be written)."));
        return;
    }
    try {
        const std::optional<PhotoRecord> r = record(path);
        if (!r) {
            Q_EMIT correctionFailed(path, tr("This photo is no longer in the library; its tags cannot be changed."));
            return;
        }
        if (confirm)
            photosearch::confirmTag(*catalog(), r->id, tag);
        else
            photosearch::removeTag(*catalog(), r->id, tag);
        Q_EMIT tagsChanged(path);
    } catch (const std::exception& e) {
        qWarning("tag correction on %s (%s): %s", qPrintable(path), qPrintable(tag), e.what());
        catalog_.reset();
        Q_EMIT correctionFailed(path, tr("The tag could not be changed; the library could not be written."));
    }
}

} // namespace photosearch
