#pragma once
// Zero-shot tags for the whole library from stored embeddings: no image is
// decoded. Every photo's margins against the vocabulary are one matrix
// product ([photos × D] × [D × tags], in chunks), calibrated per tag over
// the library and decided by the rule of TagRule.h.
//
// What is stored (photo_tag_scores, per model): for each photo its
// TagRule::storedPerPhoto best tags by calibrated score, with `assigned`
// set on those the rule gives it (always among them), plus a row for each
// tag a correction names, so that a confirmed tag has a score to show. So
// 100k photos × 300 tags write about 500k rows, not 30M. `score` is the
// calibrated z (robust standard deviations over the library's typical
// photo for that tag); assigned tags have score ≥ TagRule::minZ.
// tag_calibration keeps each tag's centre and scale, tagged_photos the
// content hash each photo was scored from. One transaction per chunk of
// photos: an interrupted run leaves whole chunks, and tagUntagged() finishes.
//
// Thread rule: runs on the caller's thread with the caller's Catalog.

#include "TagRule.h"

#include <QString>

#include <functional>

namespace photosearch {

class Catalog;
class ClipEncoder;
class LabelEmbedder;

struct TagRunSummary {
    int tags = 0;        // vocabulary size
    qint64 photos = 0;   // photos scored by this run
    qint64 assigned = 0; // tags assigned to them by the model (before corrections)
    double seconds = 0;
    bool full = false;   // the whole library was (re)calibrated and scored
};

// Scores every photo with a valid embedding for `modelId` against the
// library's vocabulary (LibraryTags.h), replacing that model's scores.
// Throws CatalogError on a catalog failure, and what the embedder throws.
TagRunSummary tagLibrary(Catalog& catalog, const QString& modelId, LabelEmbedder& labels, const TagRule& rule = {});

// Photos with a valid embedding for `modelId` that were never scored from
// their current content (new, changed, or left by an interrupted run).
qint64 untaggedPhotoCount(const Catalog& catalog, const QString& modelId);

// Brings the library's tags up to date after an index run: scores the
// untagged photos on the stored calibration, so nothing already tagged
// changes. Runs tagLibrary() instead when the vocabulary, the prompt
// templates or the rule changed since the last full run, or when the
// untagged photos outnumber those the calibration was measured on (the
// library more than doubled). One query and no embedder call when nothing
// is new.
TagRunSummary tagUntagged(Catalog& catalog, const QString& modelId, LabelEmbedder& labels, const TagRule& rule = {});

// After an index run, for the CLI and the window alike: opens the library's
// catalog and tags what the run added or changed (tagUntagged), with the
// label embeddings stored in the catalog and `encoder` for those missing
// (asked for only then: after a run that added nothing, or with the
// vocabulary's embeddings stored, tagging loads no model).
// Throws what tagUntagged throws; the caller reports it without failing the
// index run (`tag` can be run again).
TagRunSummary tagIndexedPhotos(const QString& libraryDir, const QString& modelId,
                               const std::function<const ClipEncoder&()>& encoder);

} // namespace photosearch
