#pragma once
// FTS5 MATCH strings built from a person's words. Each word becomes a quoted
// FTS5 string (so that no word is ever read as FTS syntax: AND, NEAR, ^, :),
// which the table's tokenizer splits as it split the indexed text.

#include <QString>
#include <QStringList>

namespace photosearch {

// The words worth a query: trimmed, repeats (case-insensitive) dropped, and
// those with no letter or digit left out (they tokenize to nothing).
QStringList ftsWords(const QStringList& words);

// One word: `"word"`, or `"word"*` (also a prefix) when `prefix` and the word
// has at least kMinPrefixLength characters (shorter prefixes match most of a
// library: "a*").
QString ftsWordQuery(const QString& word, bool prefix);
constexpr int kMinPrefixLength = 3;

// Any of the words (OR), each as ftsWordQuery.
QString ftsAnyQuery(const QStringList& words, bool prefix);

// The words as one exact sequence: `"w1 w2 w3"`.
QString ftsPhraseQuery(const QStringList& words);

} // namespace photosearch
