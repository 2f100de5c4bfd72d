#pragma once
// The sentences the window shows about an index run: live progress and the
// summary at the end.

#include "IndexTypes.h"

#include <QString>

namespace photosearch {

// "Indexing 120 of 1,234 photos · 8.3 photos/s · about 2 min left".
QString indexProgressText(const IndexProgress& progress);

// "Indexed 1,234 photos: 1,200 added, 3 could not be read — see File ▸
// Library Statistics." or, for a cancelled run, what stays and what to do.
QString indexSummarySentence(const IndexSummary& summary);

// "about 2 min left"; empty when unknown.
QString etaText(double seconds);

} // namespace photosearch
