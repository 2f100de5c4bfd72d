#pragma once
// The words the model pages show for sizes and download progress, in one
// place so that the first-run page and the model manager say the same thing:
// "Download ViT-B/32 (about 600 MB)", "312 MB of 605 MB · 8.4 MB/s · about
// 35 s left". Sizes are decimal (MB = 10^6 bytes), as Hugging Face shows them.
// Pure functions; any thread.

#include "DownloadMessages.h"
#include "KnownModels.h"
#include "ModelDownloader.h"

#include <QString>

namespace photosearch {

// Sizes alone ("605 MB") come from formatBytes (DownloadMessages.h).
// "about 600 MB"; empty when the size is not known.
QString approxSizeText(qint64 bytes);
// "Download ViT-B/32 (about 600 MB)", or with the exact size once the
// server said it; "Resume download …" when parts are kept.
QString downloadOfferText(const KnownModel& model, qint64 exactBytes, bool resume);
// "312 MB of 605 MB · 8.4 MB/s · about 35 s left"; parts that are not known
// yet are left out.
QString downloadProgressText(const DownloadProgress& progress);
// "about 35 s left", "about 4 min left"; empty when unknown.
QString downloadEtaText(double seconds);
// The model's display name for `repo`: the known name, else the repo.
QString modelDisplayName(const QString& repo);

} // namespace photosearch
