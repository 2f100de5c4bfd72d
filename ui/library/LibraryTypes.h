#pragma once
// Values the library workers hand to the GUI thread through queued signals,
// and what the window asks a search for. Plain values: copied across threads.

#include "Catalog.h"
#include "IndexTypes.h"
#include "PhotoFilter.h"
#include "SearchEngine.h"

#include <QMetaType>
#include <QString>

#include <vector>

namespace photosearch {

// How many hits a search returns at most, unless the window asks otherwise.
inline constexpr int kSearchResults = 200;

// One search as the window asks for it: the engine's SearchRequest without
// its test-only `today`. "Show more" is the same options with all = true.
struct SearchOptions {
    QString text;          // the query language (QueryParser.h)
    PhotoFilter filter;    // the window's folder / date / format filters
    bool all = false;      // the k best, ignoring the relevance cut
    SortOrder sort = SortOrder::Relevance;
    int k = kSearchResults;
};

// The answer to one search request.
struct SearchResults {
    int requestId = 0;
    QString description;          // "dog on a beach", or "Similar to IMG_0042.jpg"
    std::vector<SearchHit> hits;  // best first (newest first with SortOrder::Date)
    qint64 indexedPhotos = 0;     // photos the model's index holds
    // Above the relevance cut ("23 good matches"); a lower bound when moreGood.
    // For "similar" requests: hits.size() (no cut is applied).
    int goodMatches = 0;
    bool moreGood = false;
    float cutScore = 0;           // -inf: no cut (too few photos, or a "similar" request)
    QString understood;           // what the engine searched for
    QString error;                // the query had nothing to search for (one sentence); hits empty
    bool all = false;             // the options' all / sort, for "show more"
    SortOrder sort = SortOrder::Relevance;
};

} // namespace photosearch

Q_DECLARE_METATYPE(photosearch::IndexProgress)
Q_DECLARE_METATYPE(photosearch::IndexSummary)
Q_DECLARE_METATYPE(photosearch::SearchResults)
Q_DECLARE_METATYPE(photosearch::SearchOptions)
Q_DECLARE_METATYPE(photosearch::Catalog::Stats)
