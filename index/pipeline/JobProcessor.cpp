// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include <torch/types.h>

#include "JobProcessor.h"

#include "ContentMatcher.h"
#include "PhotoReader.h"

#include <exception>
#include <optional>

namespace photosearch {
namespace {

// The outcome's row as the scan saw the file; the rest is filled on the way.
PhotoOutcome outcomeFor(const IndexJob& job)
{
    PhotoOutcome r;
    r.record.id = job.existing ? job.existing->id : 0;
    r.record.path = job.file.path;
    r.record.size = job.file.size;
    r.record.mtimeMs = job.file.mtimeMs;
    return r;
}

void copyMetadata(const PhotoRecord& from, PhotoRecord& to)
{
    to.width = from.width;
    to.height = from.height;
    to.format = from.format;
    to.takenAt = from.takenAt;
    to.camera = from.camera;
    to.lens = from.lens;
    to.hasGps = from.hasGps;
    to.latitude = from.latitude;
    to.longitude = from.longitude;
    to.phash = from.phash; // same bytes, same picture
    to.status = PhotoStatus::Ok;
    to.error.clear();
}

} // namespace

JobProcessor::JobProcessor(ContentMatcher& matcher, const ImagePreprocessor& preprocessor, bool reducedDecode)
    : matcher_(matcher)
    , preprocessor_(preprocessor)
    , reducedDecode_(reducedDecode)
{
}

PhotoOutcome JobProcessor::process(const IndexJob& job) const
{
    try {
        return triage(job);
    } catch (const std::exception& e) {
        // Bad input is handled in triage(); this is a bug or an exhausted
        // resource, still recorded against the file.
        PhotoOutcome r = outcomeFor(job);
        r.record.status = PhotoStatus::Unreadable;
        r.record.error = QStringLiteral("Unexpected error: %1").arg(QString::fromUtf8(e.what()).simplified());
        return r;
    }
}

PhotoOutcome JobProcessor::triage(const IndexJob& job) const
{
    PhotoOutcome r = outcomeFor(job);
    const PhotoFile file = readPhotoFile(job.file.path);
    if (file.vanished) {
        r.kind = PhotoOutcome::Kind::Vanished;
        return r;
    }
    if (!file.error.isEmpty()) {
        r.kind = PhotoOutcome::Kind::Failed;
        r.record.status = PhotoStatus::Unreadable;
        r.record.error = file.error;
        return r;
    }
    r.record.contentHash = file.contentHash;
    if (job.existingEmbedded && job.existing->contentHash == file.contentHash)
        return touched(job, file, std::move(r));
    // A known path is never another photo's new place: only new paths claim.
    if (!job.existing)
        if (std::optional<ContentMatcher::Missing> gone = matcher_.claimMissing(file.contentHash))
            return moved(std::move(gone->record), gone->embedded, file, std::move(r));
    if (const PhotoRecord* source = matcher_.embeddedSource(file.contentHash)) {
        r.kind = PhotoOutcome::Kind::Copied;
        r.sourceId = source->id;
        copyMetadata(*source, r.record);
        return r;
    }
    decode(file, r);
    return r;
}

PhotoOutcome JobProcessor::touched(const IndexJob& job, const PhotoFile& file, PhotoOutcome r)
{
    // Same bytes: no decoding, but the metadata is read again (cheap), so a
    // reader that improved since (HEIC EXIF) fills it in.
    PhotoRecord rec = *job.existing;
    rec.size = r.record.size;
    rec.mtimeMs = r.record.mtimeMs;
    readMetadataInto(file.bytes, rec);
    r.record = std::move(rec);
    r.kind = PhotoOutcome::Kind::Touched;
    return r;
}

PhotoOutcome JobProcessor::moved(PhotoRecord missingRecord, bool embedded, const PhotoFile& file,
                                 PhotoOutcome r) const
{
    // The row moves with its tags, albums and other models' vectors; only a
    // missing vector for this model is computed.
    missingRecord.path = r.record.path;
    missingRecord.size = r.record.size;
    missingRecord.mtimeMs = r.record.mtimeMs;
    r.record = std::move(missingRecord);
    r.moved = true;
    if (embedded) {
        r.kind = PhotoOutcome::Kind::Moved;
        return r;
    }
    decode(file, r);
    return r;
}

void JobProcessor::decode(const PhotoFile& file, PhotoOutcome& r) const
{
    decodePhoto(file.bytes, preprocessor_, reducedDecode_, r.record, r.pixels);
    const bool ok = r.record.status == PhotoStatus::Ok;
    r.kind = ok ? PhotoOutcome::Kind::Encode : PhotoOutcome::Kind::Failed;
    if (!ok)
        r.pixels = torch::Tensor(); // a failure goes to the writer, which has no use for pixels
}

} // namespace photosearch
