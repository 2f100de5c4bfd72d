#pragma once
// The sentences the window shows about a text pass: live progress and the
// summary at the end (as IndexReport does for index runs).

#include "TextPass.h"

#include <QString>

namespace photosearch {

// "Reading text in photos: 12 of 340 · receipt.jpg · about 3 min left".
QString textProgressText(const TextPassProgress& progress, double etaSeconds = -1);

// "Read the text in 12 photos (5 hold text); 300 did not look like they do."
// or, for a cancelled pass, what stays.
QString textSummarySentence(const TextPassSummary& summary);

} // namespace photosearch
