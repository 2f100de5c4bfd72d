#pragma once
// `search` and `similar` over whichever embedder a backend gives: the full
// CLI embeds queries with CLIP (ClipSearchBackend.cpp); the quick search
// answers from the catalog alone and leaves the rest to the full CLI
// (QuickSearch.h). Free of LibTorch.

#include "QueryEmbedder.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <stdexcept>

namespace photosearch {
class Catalog;
}

namespace photosearch::cli {

class CliArgs;

// Thrown by a backend or its embedder when this process cannot answer (the
// quick search without LibTorch): runSearch passes it on having printed
// nothing, and the caller hands the command to the full CLI.
class NeedsFullCli : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SearchModel {
    QString setId;                           // the library's vector set to search
    std::unique_ptr<QueryEmbedder> embedder; // asked only for what the catalog has not cached
};

// The set and embedder for the model in `modelDir`. May throw UsageError.
using SearchBackend = std::function<SearchModel(const CliArgs& args, const Catalog& catalog, const QString& modelDir)>;

enum class SearchMode { Text, Similar };

int runSearch(const QStringList& args, SearchMode mode, const SearchBackend& backend);

} // namespace photosearch::cli
