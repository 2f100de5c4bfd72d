#pragma once
// Which CLIP model a library is searched with: the one it was last indexed
// with, or chosen in the app; kept in the catalog's settings so that the CLI
// and the window agree.

#include <QString>

namespace photosearch {

class Catalog;

// Empty when the library has none yet.
QString libraryModelDir(const Catalog& catalog);

// The model to use with this library, the same for the CLI and the app:
// the one asked for (`--model`, a choice in the window), else the library's
// own, else $PHOTOSEARCH_MODEL (a default for libraries that have none,
// which never switches a library to vectors it does not have). Absolute and
// clean; empty when there is none.
QString resolveLibraryModelDir(const Catalog* catalog, const QString& requested = {});
QString libraryModelId(const Catalog& catalog);
void setLibraryModel(Catalog& catalog, const QString& modelDir, const QString& modelId);

// After an index run: the run's model becomes the library's when the library
// has none, when it is the library's model folder (perhaps with new files),
// or when the run finished and its model now has vectors for at least as
// many photos as the library's model. An interrupted run, or one
// over part of the library only, must not switch search to a model that
// sees part of the photos (index every folder with the new model to switch,
// or choose it in the app).
void recordIndexedModel(Catalog& catalog, const QString& modelDir, const QString& modelId, bool cancelled);

// After an index run with `modelId`: a sentence telling that the library
// still searches with its other model (how many photos each has, how to
// switch), or empty when the run's model is the library's. The CLI and the
// window show it as is.
QString otherModelNotice(const Catalog& catalog, const QString& modelId);

} // namespace photosearch
