#include "PhotoTextStore.h"

#include "Catalog.h"
#include "FtsQuery.h"
#include "SqliteConnection.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace photosearch {

namespace {

// The join that makes a row valid: its photo is Ok and still has the content
// the text was read from.
#define PS_VALID_TEXT "photo_text t JOIN photos p ON p.id = t.photo_id AND p.status = 0 " \
                      "AND t.content_hash = p.content_hash"

// `text` and, after it, the joined forms of its hyphenated and apostrophised
// words ("Wi-Fi" → "WiFi", "e-mail" → "email", "don't" → "dont"): the FTS
// tokenizer splits at those marks, and people type the words joined.
// Appended, so that phrases over the text as written still match.
QString searchTextOf(const QString& text)
{
    static const QRegularExpression joined(QStringLiteral("[\\p{L}\\p{N}]+(?:['\u2019\\-\u2010\u2011][\\p{L}\\p{N}]+)+"),
                                           QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression marks(QStringLiteral("['\u2019\\-\u2010\u2011]"));
    QStringList forms;
    for (auto it = joined.globalMatch(text); it.hasNext();)
        forms << it.next().captured(0).remove(marks);
    return forms.isEmpty() ? text : text + QLatin1Char('\n') + forms.join(QLatin1Char(' '));
}

QString wordsToJson(const std::vector<std::pair<QString, float>>& words)
{
    QJsonArray array;
    for (const auto& [word, confidence] : words)
        array.append(QJsonArray{word, double(qRound(confidence * 10.0f)) / 10.0});
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

std::vector<std::pair<QString, float>> wordsFromJson(const QString& json)
{
    std::vector<std::pair<QString, float>> words;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue& value : array) {
        const QJsonArray pair = value.toArray();
        if (pair.size() == 2 && pair[0].isString())
            words.emplace_back(pair[0].toString(), float(pair[1].toDouble()));
    }
    return words;
}

PhotoTextStatus statusFrom(qint64 value)
{
    switch (value) {
    case 1:
        return PhotoTextStatus::Skipped;
    case 2:
        return PhotoTextStatus::Failed;
    default:
        return PhotoTextStatus::Read;
    }
}

// Valid Read rows matching the FTS query, with their bm25 rank; `limit` -1:
// all of them.
std::vector<TextMatch> ftsMatches(const SqliteConnection& db, const QString& query, int limit)
{
    Statement s = db.statement("SELECT f.rowid, bm25(photo_text_fts) FROM photo_text_fts f JOIN " PS_VALID_TEXT
                               " WHERE t.photo_id = f.rowid AND photo_text_fts MATCH ?1 AND t.status = 0 "
                               "ORDER BY bm25(photo_text_fts) LIMIT ?2");
    s.bind(1, query).bind(2, qint64(limit));
    std::vector<TextMatch> out;
    while (s.next())
        out.push_back({s.int64(0), 1.0, s.real(1)});
    return out;
}

std::set<qint64> rowsMatching(const SqliteConnection& db, const QString& query)
{
    Statement s = db.statement("SELECT rowid FROM photo_text_fts WHERE photo_text_fts MATCH ?1");
    s.bind(1, query);
    std::set<qint64> rows;
    while (s.next())
        rows.insert(s.int64(0));
    return rows;
}

} // namespace

PhotoTextStore::PhotoTextStore(const Catalog& catalog)
    : catalog_(catalog)
{
}

std::optional<PhotoText> PhotoTextStore::text(qint64 photoId) const
{
    Statement s = catalog_.connection().statement(
        "SELECT t.status, t.text, t.words, t.confidence, t.languages, t.error, t.likelihood FROM " PS_VALID_TEXT
        " WHERE t.photo_id = ?1");
    s.bind(1, photoId);
    if (!s.next())
        return std::nullopt;
    PhotoText out;
    out.photoId = photoId;
    out.status = statusFrom(s.int64(0));
    out.text = s.text(1);
    out.words = wordsFromJson(s.text(2));
    out.confidence = float(s.real(3));
    out.languages = s.text(4);
    out.error = s.text(5);
    out.likelihood = float(s.real(6));
    return out;
}

void PhotoTextStore::put(qint64 photoId, const QString& contentHash, const PhotoText& text)
{
    const bool read = text.status == PhotoTextStatus::Read;
    const QString indexed = !read ? QString() : text.text.isEmpty() ? indexedWords(text.words) : text.text;
    catalog_.connection()
        .statement("INSERT INTO photo_text(photo_id, content_hash, languages, status, text, words, confidence, "
                   "likelihood, error, read_at_ms, search_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                   "ON CONFLICT(photo_id) DO UPDATE SET content_hash = excluded.content_hash, "
                   "languages = excluded.languages, status = excluded.status, text = excluded.text, "
                   "words = excluded.words, confidence = excluded.confidence, likelihood = excluded.likelihood, "
                   "error = excluded.error, read_at_ms = excluded.read_at_ms, search_text = excluded.search_text")
        .bind(1, photoId)
        .bind(2, contentHash)
        .bind(3, text.languages)
        .bind(4, int(text.status))
        .bind(5, indexed)
        .bind(6, read ? wordsToJson(text.words) : QString())
        .bind(7, double(text.confidence))
        .bind(8, double(text.likelihood))
        .bind(9, text.error)
        .bind(10, QDateTime::currentMSecsSinceEpoch())
        .bind(11, searchTextOf(indexed))
        .run();
}

std::vector<TextMatch> PhotoTextStore::match(const QStringList& words, bool phrase, int limit) const
{
    const QStringList terms = ftsWords(words);
    if (terms.isEmpty() || limit <= 0)
        return {};
    const SqliteConnection& db = catalog_.connection();
    // A phrase keeps the words as written: its repeats and their order
    // ("the cat and the hat"), which ftsWords would drop.
    if (phrase)
        return ftsMatches(db, ftsPhraseQuery(words), limit);
    // bm25 orders photos with any of the words; coverage (how many of the
    // words a photo has) comes first, so "blue heron" prefers both words.
    // Every photo with any word is ranked (no limit before the coverage sort):
    // a long text holding both words ranks low by bm25 and would otherwise be
    // cut behind a thousand short texts holding one of them.
    std::vector<TextMatch> any = ftsMatches(db, ftsAnyQuery(terms, true), -1);
    // Among equal coverage, whole words before prefixes: "cafe" before
    // "cafeteria" (bm25 gives a prefix match the same weight).
    std::unordered_map<qint64, int> found, whole;
    for (const QString& term : terms) {
        for (const qint64 row : rowsMatching(db, ftsWordQuery(term, true)))
            ++found[row];
        for (const qint64 row : rowsMatching(db, ftsWordQuery(term, false)))
            ++whole[row];
    }
    for (TextMatch& m : any)
        m.coverage = double(found[m.photoId]) / double(terms.size());
    const auto wholeWords = [&whole](qint64 id) {
        const auto it = whole.find(id);
        return it == whole.end() ? 0 : it->second;
    };
    std::stable_sort(any.begin(), any.end(), [&wholeWords](const TextMatch& a, const TextMatch& b) {
        if (a.coverage != b.coverage)
            return a.coverage > b.coverage;
        return wholeWords(a.photoId) > wholeWords(b.photoId);
    });
    if (int(any.size()) > limit)
        any.resize(size_t(limit));
    return any;
}

std::vector<qint64> PhotoTextStore::photosToRead(const QString& languages, bool all) const
{
    // Skipped rows do not depend on the languages (the selection does not);
    // Failed rows wait for new content or a run with `all`, like the indexer's.
    Statement s = catalog_.connection().statement(
        "SELECT p.id FROM photos p LEFT JOIN photo_text t ON t.photo_id = p.id WHERE p.status = 0 AND "
        "(t.photo_id IS NULL OR t.content_hash <> p.content_hash OR (t.status = 0 AND t.languages <> ?1) "
        "OR (?2 AND t.status <> 0)) ORDER BY p.id");
    s.bind(1, languages).bind(2, all ? 1 : 0);
    std::vector<qint64> ids;
    while (s.next())
        ids.push_back(s.int64(0));
    return ids;
}

PhotoTextCounts PhotoTextStore::counts() const
{
    PhotoTextCounts out;
    Statement s = catalog_.connection().statement(
        "SELECT coalesce(sum(t.status = 0), 0), coalesce(sum(t.status = 0 AND t.text <> ''), 0), "
        "coalesce(sum(t.status = 1), 0), coalesce(sum(t.status = 2), 0) FROM " PS_VALID_TEXT);
    if (s.next()) {
        out.read = s.int64(0);
        out.withText = s.int64(1);
        out.skipped = s.int64(2);
        out.failed = s.int64(3);
    }
    Statement all = catalog_.connection().statement("SELECT count(*) FROM photos WHERE status = 0");
    if (all.next())
        out.unread = all.int64(0) - out.read - out.skipped - out.failed;
    return out;
}

void PhotoTextStore::rebuildIndex() const
{
    const SqliteConnection& db = catalog_.connection();
    WriteScope scope(db);
    db.exec("DELETE FROM photo_text_fts");
    db.exec("INSERT INTO photo_text_fts(rowid, text) SELECT photo_id, search_text FROM photo_text "
            "WHERE search_text <> ''");
    scope.commit();
}

QString PhotoTextStore::indexedWords(const std::vector<std::pair<QString, float>>& words)
{
    QStringList list;
    for (const auto& word : words)
        list << word.first;
    return list.join(QLatin1Char(' '));
}

} // namespace photosearch
