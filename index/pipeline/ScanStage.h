#pragma once
// The run's first stage, before any thread starts: find the image files
// under the roots and diff them against the catalog (IndexPlan). The scan
// itself is dropped once planned: for a large library it is the biggest
// thing the run would otherwise hold on to.

#include "IndexControl.h"
#include "IndexPlan.h"
#include "IndexTypes.h"

#include <functional>

namespace photosearch {

class Catalog;

struct ScannedPlan {
    IndexPlan plan;
    qint64 scanned = 0;     // image files found under the roots
    bool cancelled = false; // cancelled while scanning: the plan removes nothing
    double seconds = 0;     // scanning and planning
};

ScannedPlan scanAndPlan(const IndexOptions& options, const Catalog& catalog, const QString& modelId,
                        IndexControl& control, const std::function<void(const IndexProgress&)>& report);

} // namespace photosearch
