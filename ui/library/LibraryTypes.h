#pragma once
// Values the library workers hand to the GUI thread through queued signals.

#include "IndexTypes.h"
#include "SearchEngine.h"

#include <QMetaType>
#include <QString>

#include <vector>

namespace photosearch {

// The answer to one search request.
struct SearchResults {
    int requestId = 0;
    QString description;          // "dog on a beach", or "Similar to IMG_0042.jpg"
    std::vector<SearchHit> hits;  // best first
    qint64 indexedPhotos = 0;     // photos the model's index holds
};

} // namespace photosearch

Q_DECLARE_METATYPE(photosearch::IndexProgress)
Q_DECLARE_METATYPE(photosearch::IndexSummary)
Q_DECLARE_METATYPE(photosearch::SearchResults)
