#pragma once
// Which tags a library uses: the tags table (name, in_vocabulary). A library
// follows the built-in default vocabulary (and so gains the tags a newer
// build adds) until a person gives it one of their own.
//
// Thread rule: like the Catalog it is given, one thread.

#include <QString>
#include <QStringList>

#include <vector>

namespace photosearch {

class Catalog;

// The library's vocabulary: its own when set, else defaultVocabulary().
QStringList libraryVocabulary(const Catalog& catalog);
bool libraryHasOwnVocabulary(const Catalog& catalog);

// Makes `labels` the library's own vocabulary (normalised, repeats dropped;
// an empty list goes back to the default). Tags that leave the vocabulary
// lose their scores; a tag a correction names keeps its row.
void setLibraryVocabulary(Catalog& catalog, const QStringList& labels);

// Makes the tags table match libraryVocabulary() and returns their ids in
// its order. Called by the tagger before each full run.
std::vector<qint64> syncVocabularyTags(Catalog& catalog);

} // namespace photosearch
