#include "FtsQuery.h"

namespace photosearch {

namespace {

QString quotedString(const QString& text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

bool hasLetterOrDigit(const QString& word)
{
    for (const QChar c : word)
        if (c.isLetterOrNumber())
            return true;
    return false;
}

} // namespace

QStringList ftsWords(const QStringList& words)
{
    QStringList out;
    QStringList folded;
    for (const QString& raw : words) {
        const QString word = raw.trimmed();
        if (!hasLetterOrDigit(word) || folded.contains(word.toCaseFolded()))
            continue;
        folded << word.toCaseFolded();
        out << word;
    }
    return out;
}

QString ftsWordQuery(const QString& word, bool prefix)
{
    const bool asPrefix = prefix && word.size() >= kMinPrefixLength;
    return quotedString(word) + (asPrefix ? QStringLiteral("*") : QString());
}

QString ftsAnyQuery(const QStringList& words, bool prefix)
{
    QStringList parts;
    for (const QString& word : words)
        parts << ftsWordQuery(word, prefix);
    return parts.join(QStringLiteral(" OR "));
}

QString ftsPhraseQuery(const QStringList& words)
{
    return quotedString(words.join(QLatin1Char(' ')));
}

} // namespace photosearch
