// Tag corrections: a few rows per photo a person touched.
#include "TagCorrections.h"

#include "Catalog.h"
#include "SqliteConnection.h"
#include "Vocabulary.h"

#include <QDateTime>

#include <stdexcept>

namespace photosearch {

QString correctionTagName(const Catalog& catalog, const QString& tag)
{
    const QString label = normalizedLabel(tag);
    Statement s = catalog.connection().statement(
        "SELECT name FROM tags WHERE name = ?1 COLLATE NOCASE ORDER BY in_vocabulary DESC, name = ?1 DESC LIMIT 1");
    s.bind(1, label);
    return s.next() ? s.text(0) : label;
}

void setTagCorrection(Catalog& catalog, qint64 photoId, const QString& tag, TagVerdict verdict)
{
    const QString name = correctionTagName(catalog, tag);
    if (name.isEmpty())
        throw std::invalid_argument("a tag correction needs a tag name");
    if (name.size() > kMaxLabelLength)
        throw std::invalid_argument(QStringLiteral("a tag is a short label of at most %1 characters")
                                        .arg(kMaxLabelLength)
                                        .toStdString());
    if (!catalog.photo(photoId))
        throw CatalogError(QStringLiteral("%1 has no photo %2 to correct the tags of; it may have been removed.")
                               .arg(catalog.filePath(), QString::number(photoId))
                               .toStdString());
    catalog.connection()
        .statement("INSERT INTO tag_corrections(photo_id, tag, verdict, at_ms) VALUES(?1, ?2, ?3, ?4) "
                   "ON CONFLICT(photo_id, tag) DO UPDATE SET verdict = excluded.verdict, at_ms = excluded.at_ms")
        .bind(1, photoId)
        .bind(2, name)
        .bind(3, int(verdict))
        .bind(4, QDateTime::currentMSecsSinceEpoch())
        .run();
}

bool clearTagCorrection(Catalog& catalog, qint64 photoId, const QString& tag)
{
    const SqliteConnection& db = catalog.connection();
    db.statement("DELETE FROM tag_corrections WHERE photo_id = ?1 AND tag = ?2")
        .bind(1, photoId)
        .bind(2, correctionTagName(catalog, tag))
        .run();
    return db.changes() > 0;
}

std::vector<TagCorrection> tagCorrections(const Catalog& catalog, qint64 photoId)
{
    Statement s = catalog.connection().statement(
        "SELECT tag, verdict FROM tag_corrections WHERE photo_id = ?1 ORDER BY tag");
    s.bind(1, photoId);
    std::vector<TagCorrection> out;
    while (s.next())
        out.push_back({s.text(0), s.int64(1) > 0 ? TagVerdict::Confirmed : TagVerdict::Removed});
    return out;
}

} // namespace photosearch
