// The read side of tags: assignments ∪ confirmed − removed, in SQL.
#include "TagQueries.h"

#include "Catalog.h"
#include "SqliteConnection.h"
#include "TagCorrections.h"

namespace photosearch {

namespace {

// (photo, tag name, score, confirmed) rows that show, for model ?1: the
// model's assignments not removed, confirmed scored tags, and confirmed
// tags the model does not score.
#define PS_SHOWN_TAGS                                                                                     \
    "SELECT s.photo_id AS photo_id, t.name AS tag, s.score AS score, coalesce(c.verdict, 0) > 0 AS confirmed " \
    "FROM photo_tag_scores s JOIN tags t ON t.id = s.tag_id JOIN photos p ON p.id = s.photo_id "              \
    "LEFT JOIN tag_corrections c ON c.photo_id = s.photo_id AND c.tag = t.name "                              \
    "WHERE s.model_id = ?1 AND t.in_vocabulary = 1 AND p.status = 0 "                                         \
    "AND (c.verdict > 0 OR (c.verdict IS NULL AND s.assigned = 1)) "                                          \
    "UNION ALL "                                                                                              \
    "SELECT c.photo_id, c.tag, NULL, 1 FROM tag_corrections c JOIN photos p ON p.id = c.photo_id "            \
    "WHERE c.verdict > 0 AND p.status = 0 AND NOT EXISTS (SELECT 1 FROM photo_tag_scores s "                  \
    "JOIN tags t ON t.id = s.tag_id WHERE s.photo_id = c.photo_id AND s.model_id = ?1 AND t.name = c.tag "    \
    "AND t.in_vocabulary = 1)"

std::optional<double> optionalReal(const Statement& s, int column)
{
    return s.isNull(column) ? std::nullopt : std::optional<double>(s.real(column));
}

} // namespace

std::vector<PhotoTag> photoTags(const Catalog& catalog, const QString& modelId, qint64 photoId)
{
    Statement s = catalog.connection().statement(
        "SELECT tag, score, confirmed FROM (" PS_SHOWN_TAGS ") WHERE photo_id = ?2 "
        "ORDER BY confirmed DESC, score IS NULL, score DESC, tag");
    s.bind(1, modelId).bind(2, photoId);
    std::vector<PhotoTag> out;
    while (s.next())
        out.push_back({s.text(0), optionalReal(s, 1), s.int64(2) != 0});
    return out;
}

std::vector<TagCount> tagCounts(const Catalog& catalog, const QString& modelId)
{
    Statement s = catalog.connection().statement(
        "SELECT shown.tag, count(*), coalesce((SELECT in_vocabulary FROM tags WHERE name = shown.tag), 0) "
        "FROM (" PS_SHOWN_TAGS ") shown GROUP BY shown.tag ORDER BY count(*) DESC, shown.tag");
    s.bind(1, modelId);
    std::vector<TagCount> out;
    while (s.next())
        out.push_back({s.text(0), s.int64(1), s.int64(2) != 0});
    return out;
}

std::vector<TaggedPhoto> photosWithTag(const Catalog& catalog, const QString& modelId, const QString& tag)
{
    Statement s = catalog.connection().statement(
        "SELECT photo_id, score, confirmed FROM (" PS_SHOWN_TAGS ") WHERE tag = ?2 "
        "ORDER BY confirmed DESC, score IS NULL, score DESC, photo_id");
    s.bind(1, modelId).bind(2, correctionTagName(catalog, tag));
    std::vector<TaggedPhoto> out;
    while (s.next())
        out.push_back({s.int64(0), optionalReal(s, 1), s.int64(2) != 0});
    return out;
}

} // namespace photosearch
