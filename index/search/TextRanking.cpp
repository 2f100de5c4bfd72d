#include "TextRanking.h"

#include "Catalog.h"
#include "PhotoTextStore.h"
#include "QueryParser.h"

#include <QSet>
#include <QtDebug>

#include <algorithm>
#include <cmath>
#include <limits>

namespace photosearch {
namespace {

// Photos a written-text requirement may name: every photo of a large
// library (the set filters CLIP's search, so it must be complete).
constexpr int kRequirementLimit = 1000000;
// Words of one query looked up in the text index; a longer query's tail adds
// little coverage and only slows the FTS query.
constexpr int kMaxRankWords = 16;

// Folded for comparison with the stopword list only (the FTS index folds
// the words it is given by itself).
QString folded(const QString& word)
{
    QString out;
    for (const QChar c : word.normalized(QString::NormalizationForm_KD))
        if (c.category() != QChar::Mark_NonSpacing)
            out += c;
    return out.toCaseFolded();
}

// Words that carry no meaning of their own in a photo search ("a photo of
// the receipt"), English as the query language; each would match nearly
// every photo with text as a prefix.
const QSet<QString>& stopwords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char* w :
             {"a",      "an",    "the",   "of",    "in",    "on",    "at",    "to",    "for",   "from",   "by",
              "with",   "and",   "or",    "but",   "is",    "are",   "was",   "were",  "be",    "been",   "it",
              "its",    "this",  "that",  "these", "those", "my",    "our",   "your",  "his",   "her",    "their",
              "me",     "we",    "you",   "he",    "she",   "they",  "i",     "as",    "into",  "onto",   "over",
              "under",  "near",  "some",  "any",   "all",   "no",    "not",   "there", "here",  "where",  "which",
              "who",    "what",  "when",  "how",   "has",   "have",  "had",   "do",    "does",  "did",    "about",
              "photo",  "photos", "picture", "pictures", "image", "images", "pic", "pics", "shot", "shows",
              "showing", "taken", "one"})
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

std::unordered_set<qint64> toSet(const std::vector<qint64>& ids)
{
    return {ids.begin(), ids.end()};
}

} // namespace

QStringList splitWrittenWords(const QString& text)
{
    QStringList words;
    QString word;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        // A surrogate pair is one character (letters beyond the BMP).
        const char32_t code = c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()
                                  ? QChar::surrogateToUcs4(c, text.at(i + 1))
                                  : char32_t(c.unicode());
        const int width = code > 0xFFFF ? 2 : 1;
        if (QChar::isLetterOrNumber(code) || QChar::isMark(code)) {
            word += text.mid(i, width);
        } else if (!word.isEmpty()) {
            words << word;
            word.clear();
        }
        i += width - 1;
    }
    if (!word.isEmpty())
        words << word;
    return words;
}

QStringList contentWords(const QString& text)
{
    QStringList out;
    for (const QString& w : splitWrittenWords(text)) {
        const QString f = folded(w);
        if (f.size() > 1 && !stopwords().contains(f))
            out << w;
    }
    return out;
}

TextQuery textQuery(const ParsedQuery& query)
{
    TextQuery out;
    QSet<QString> seen;
    for (const QueryTerm& term : query.terms) {
        if (term.textOnly) {
            TextQuery::Requirement r;
            r.phrase = term.quoted;
            // `text:the who`: stopwords count when nothing else is left.
            r.words = r.phrase ? splitWrittenWords(term.text) : contentWords(term.text);
            if (r.words.isEmpty())
                r.words = splitWrittenWords(term.text);
            if (r.words.isEmpty())
                continue; // punctuation only: nothing the index can hold
            (term.weight > 0 ? out.required : out.excluded).push_back(r);
            continue;
        }
        if (term.weight <= 0)
            continue;
        out.hasPictureTerms = true;
        if (term.kind != QueryTerm::Text)
            continue;
        for (const QString& w : contentWords(term.text)) {
            if (out.rankWords.size() < kMaxRankWords && !seen.contains(folded(w))) {
                seen.insert(folded(w));
                out.rankWords << w;
            }
        }
    }
    return out;
}

void PhotoSelection::restrictTo(const std::unordered_set<qint64>& ids)
{
    if (!only) {
        only = ids;
        return;
    }
    for (auto it = only->begin(); it != only->end();)
        it = ids.count(*it) ? std::next(it) : only->erase(it);
}

float TextRanking::bonus(double coverage, const ScoreBackground& background, float bestClipScore)
{
    if (!(coverage > 0))
        return 0;
    const float sigma = background.samples >= RelevanceCut::kMinSamples ? background.sigma : kFallbackSigma;
    float full = float(kFullCoverageSigmas) * sigma;
    if (std::isfinite(bestClipScore))
        full = std::max(full, bestClipScore - (background.median - float(kHeadroomSigmas) * sigma));
    return float(std::pow(std::min(coverage, 1.0), kCoverageExponent)) * full;
}

MergedRanking TextRanking::merge(const std::vector<std::pair<qint64, float>>& clipHits,
                                 const std::unordered_map<qint64, double>& coverage,
                                 const std::vector<TextCandidate>& extra, const ScoreBackground& background)
{
    MergedRanking out;
    std::vector<float> clipScores;
    const float best = clipHits.empty() ? -std::numeric_limits<float>::infinity() : clipHits.front().second;
    std::vector<TextCandidate> all = extra;
    for (const auto& [id, score] : clipHits) {
        const auto c = coverage.find(id);
        all.push_back({id, score, c == coverage.end() ? 0.0 : c->second});
        clipScores.push_back(score);
    }
    // Every word written: one bonus for all such photos, enough to lift the
    // lowest of them a sigma above CLIP's best (so they keep CLIP's order).
    const float sigma = background.samples >= RelevanceCut::kMinSamples ? background.sigma : kFallbackSigma;
    float fullBonus = bonus(1.0, background, best);
    for (const TextCandidate& t : all)
        if (t.coverage >= 1.0 && std::isfinite(best))
            fullBonus = std::max(fullBonus, best + sigma - t.clipScore);
    // CLIP's candidates first, so that equal scores keep CLIP's order.
    std::rotate(all.begin(), all.begin() + long(extra.size()), all.end());
    for (const TextCandidate& t : all) {
        const float b = t.coverage >= 1.0 ? fullBonus : bonus(t.coverage, background, best);
        out.photos.push_back({t.id, t.clipScore + b, t.coverage > 0});
    }
    // Stable: equal scores keep CLIP's order, then the store's.
    std::stable_sort(out.photos.begin(), out.photos.end(),
                     [](const MergedPhoto& a, const MergedPhoto& b) { return a.score > b.score; });
    // Where CLIP alone cut, or the kZ threshold when it kept nothing: every
    // photo CLIP kept stays good (text only raises scores), and photos raised
    // above that score join them. When CLIP's break rule cut above the kZ
    // threshold (a group of matches over near misses), the cut stays there:
    // the threshold would let the near misses back in.
    const int clipGood = RelevanceCut::relevantCount(clipScores, background);
    const float threshold = RelevanceCut::threshold(background);
    out.cutScore = threshold;
    if (clipGood > 0) {
        const float lastGood = clipScores[size_t(clipGood - 1)];
        const bool cutAboveThreshold = clipGood < int(clipScores.size()) && clipScores[size_t(clipGood)] >= threshold;
        out.cutScore = cutAboveThreshold ? lastGood : std::min(threshold, lastGood);
    }
    while (out.goodMatches < int(out.photos.size()) && out.photos[size_t(out.goodMatches)].score >= out.cutScore)
        ++out.goodMatches;
    return out;
}

TextMatcher::TextMatcher(const Catalog& catalog)
    : catalog_(catalog)
{
}

std::vector<qint64> TextMatcher::matching(const TextQuery::Requirement& r, int limit) const
{
    std::vector<qint64> ids;
    for (const TextMatch& m : PhotoTextStore(catalog_).match(r.words, r.phrase, limit)) {
        // Every word (or the phrase) must be there, not some of them.
        if (m.coverage >= 1.0 - 1e-9)
            ids.push_back(m.photoId);
    }
    return ids;
}

void TextMatcher::restrict(const TextQuery& query, PhotoSelection& selection) const
{
    try {
        for (const TextQuery::Requirement& r : query.required)
            selection.restrictTo(toSet(matching(r, kRequirementLimit)));
        for (const TextQuery::Requirement& r : query.excluded)
            for (qint64 id : matching(r, kRequirementLimit))
                selection.except.insert(id);
    } catch (const CatalogError& e) {
        // No text table (a read-only library of an older version) or a
        // damaged one: nothing is known to be written anywhere.
        qWarning("Written text could not be searched: %s", e.what());
        if (!query.required.empty())
            selection.only = std::unordered_set<qint64>{};
    }
}

std::unordered_map<qint64, double> TextMatcher::coverage(const QStringList& words, int limit,
                                                        const PhotoSelection& selection) const
{
    std::unordered_map<qint64, double> out;
    if (words.isEmpty())
        return out;
    try {
        // A filter (dates, `text:` terms) applies before the limit: the best
        // `limit` of the whole library may all lie outside it.
        const int fetch = selection.everything() ? limit : kRequirementLimit;
        for (const TextMatch& m : PhotoTextStore(catalog_).match(words, false, fetch)) {
            if (int(out.size()) >= limit)
                break;
            if (selection.allows(m.photoId))
                out.emplace(m.photoId, m.coverage);
        }
    } catch (const CatalogError& e) {
        qWarning("Written text could not be searched: %s", e.what());
    }
    return out;
}

std::vector<qint64> TextMatcher::requiredOnly(const TextQuery& query, int limit,
                                              const PhotoSelection& selection) const
{
    std::vector<qint64> out;
    if (query.required.empty())
        return out;
    try {
        // The first requirement's order; `selection` already holds the others.
        for (qint64 id : matching(query.required.front(), kRequirementLimit)) {
            if (int(out.size()) >= limit)
                break;
            if (selection.allows(id))
                out.push_back(id);
        }
    } catch (const CatalogError& e) {
        qWarning("Written text could not be searched: %s", e.what());
    }
    return out;
}

bool TextMatcher::anyTextRead() const
{
    try {
        return PhotoTextStore(catalog_).counts().read > 0;
    } catch (const CatalogError&) {
        return false;
    }
}

} // namespace photosearch
