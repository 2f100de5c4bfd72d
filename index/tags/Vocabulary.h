#pragma once
// Tag vocabularies as text: the default one compiled into the binaries
// (resources/vocabulary/default.txt) and files a person writes, one label
// per line. Parsing only; which vocabulary a library uses is LibraryTags.h.
//
// Thread rule: free functions without shared state; any thread.

#include <QString>
#include <QStringList>

#include <stdexcept>

namespace photosearch {

// A vocabulary file that cannot be used. The message is one sentence naming
// the file (and the line) and saying what to do.
class VocabularyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Limits that keep a wrong file (a photo, a log) from becoming a vocabulary:
// a label is a short noun phrase, a vocabulary a few hundred of them.
constexpr int kMaxLabelLength = 100;   // characters
constexpr int kMaxVocabularySize = 5000; // labels
constexpr qint64 kMaxVocabularyFileBytes = 1 << 20;

// A label as stored: trimmed, inner whitespace folded to single spaces.
QString normalizedLabel(const QString& label);

// Parses "one label per line, '#' comments, blank lines ignored". Labels are
// normalised; repeats (compared case-insensitively) keep the first. Throws
// VocabularyError naming `source` for text that is not a vocabulary: NUL
// bytes or invalid UTF-8 (a binary file), a line over kMaxLabelLength, more
// than kMaxVocabularySize labels, or no label at all.
QStringList parseVocabulary(const QByteArray& bytes, const QString& source);

// Reads and parses a file (at most kMaxVocabularyFileBytes). Throws
// VocabularyError when it cannot be read or parsed.
QStringList readVocabularyFile(const QString& path);

// The built-in vocabulary (about 340 everyday photo subjects).
QStringList defaultVocabulary();

} // namespace photosearch
