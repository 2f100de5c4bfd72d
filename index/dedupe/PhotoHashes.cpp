#include "PhotoHashes.h"

#include "Catalog.h"
#include "SqliteConnection.h"

namespace photosearch {

// phash holds the 64 bits as SQLite's signed integer; the casts between
// quint64 and qint64 keep every bit.

std::vector<HashedPhoto> hashedPhotos(const Catalog& catalog)
{
    Statement s = catalog.connection().statement(
        "SELECT id, path, phash FROM photos WHERE status = 0 AND phash IS NOT NULL ORDER BY path");
    std::vector<HashedPhoto> out;
    while (s.next())
        out.push_back({s.int64(0), s.text(1), quint64(s.int64(2))});
    return out;
}

std::vector<UnhashedPhoto> unhashedPhotos(const Catalog& catalog)
{
    Statement s = catalog.connection().statement(
        "SELECT id, path, content_hash FROM photos WHERE status = 0 AND phash IS NULL ORDER BY path");
    std::vector<UnhashedPhoto> out;
    while (s.next())
        out.push_back({s.int64(0), s.text(1), s.text(2)});
    return out;
}

bool storePerceptualHash(Catalog& catalog, const UnhashedPhoto& photo, quint64 hash)
{
    const SqliteConnection& db = catalog.connection();
    Statement s = db.statement("UPDATE photos SET phash = ?1 WHERE id = ?2 AND content_hash = ?3 AND status = 0");
    s.bind(1, qint64(hash)).bind(2, photo.id).bind(3, photo.contentHash);
    s.run();
    return db.changes() > 0;
}

} // namespace photosearch
