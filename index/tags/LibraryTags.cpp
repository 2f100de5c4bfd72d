// The library's vocabulary in the tags table. The choice between the
// default and an own vocabulary is the setting kOwnVocabulary, so an own
// vocabulary that happens to equal today's default still stays put.
#include "LibraryTags.h"

#include "Catalog.h"
#include "SqliteConnection.h"
#include "Vocabulary.h"

#include <QSet>

namespace photosearch {

namespace {

const QString kOwnVocabulary = QStringLiteral("tags/own_vocabulary");

QStringList tableVocabulary(const Catalog& catalog)
{
    Statement s = catalog.connection().statement("SELECT name FROM tags WHERE in_vocabulary = 1 ORDER BY id");
    QStringList names;
    while (s.next())
        names << s.text(0);
    return names;
}

// Sets in_vocabulary for exactly `labels` (inserting missing ones), then
// drops rows that are neither in it nor named by a correction.
std::vector<qint64> writeVocabulary(const SqliteConnection& db, const QStringList& labels)
{
    db.statement("UPDATE tags SET in_vocabulary = 0").run();
    std::vector<qint64> ids;
    for (const QString& label : labels) {
        db.statement("INSERT INTO tags(name, in_vocabulary) VALUES(?1, 1) "
                     "ON CONFLICT(name) DO UPDATE SET in_vocabulary = 1")
            .bind(1, label)
            .run();
        Statement s = db.statement("SELECT id FROM tags WHERE name = ?1");
        s.bind(1, label);
        ids.push_back(s.next() ? s.int64(0) : -1);
    }
    db.statement("DELETE FROM tags WHERE in_vocabulary = 0 AND name NOT IN (SELECT tag FROM tag_corrections)").run();
    // Out of the vocabulary: no model may keep scoring them.
    db.statement("DELETE FROM photo_tag_scores WHERE tag_id IN (SELECT id FROM tags WHERE in_vocabulary = 0)").run();
    db.statement("DELETE FROM tag_calibration WHERE tag_id IN (SELECT id FROM tags WHERE in_vocabulary = 0)").run();
    return ids;
}

QStringList deduplicated(const QStringList& labels)
{
    QStringList out;
    QSet<QString> seen;
    for (const QString& raw : labels) {
        const QString label = normalizedLabel(raw);
        if (!label.isEmpty() && !seen.contains(label.toCaseFolded())) {
            seen.insert(label.toCaseFolded());
            out << label;
        }
    }
    return out;
}

} // namespace

bool libraryHasOwnVocabulary(const Catalog& catalog)
{
    return catalog.setting(kOwnVocabulary) == QLatin1String("1");
}

QStringList libraryVocabulary(const Catalog& catalog)
{
    if (libraryHasOwnVocabulary(catalog)) {
        const QStringList own = tableVocabulary(catalog);
        if (!own.isEmpty())
            return own;
    }
    return defaultVocabulary();
}

void setLibraryVocabulary(Catalog& catalog, const QStringList& labels)
{
    const QStringList clean = deduplicated(labels);
    WriteScope scope(catalog.connection());
    catalog.setSetting(kOwnVocabulary, clean.isEmpty() ? QStringLiteral("0") : QStringLiteral("1"));
    writeVocabulary(catalog.connection(), clean.isEmpty() ? defaultVocabulary() : clean);
    scope.commit();
}

std::vector<qint64> syncVocabularyTags(Catalog& catalog)
{
    const QStringList labels = libraryVocabulary(catalog);
    WriteScope scope(catalog.connection());
    std::vector<qint64> ids = writeVocabulary(catalog.connection(), labels);
    scope.commit();
    return ids;
}

} // namespace photosearch
