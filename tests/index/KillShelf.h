#pragma once
// The photo folder the kill-resilience driver (kill_resilience.cpp) indexes:
// distinct generated photos (each from its own picture seed, so that no two
// share content or an embedding) in nested subfolders, and the changes made
// to it between index runs: files added, rewritten with other content,
// moved (renamed, into other or new subfolders, over another file) and
// deleted. It remembers what is on disk and every path that went away, so
// the checks know what the catalog must and must not hold.

#include <QSet>
#include <QString>
#include <QStringList>

#include <random>

namespace photosearch::killtest {

struct ShelfCounts {
    int added = 0;
    int changed = 0;
    int moved = 0;
    int deleted = 0;
};

class KillShelf {
public:
    // `root` is created when missing.
    KillShelf(const QString& root, quint64 seed);

    // Writes `count` new photos. False with `error` when one cannot be written.
    bool populate(int count, QString* error);

    // One round of changes, sized as fractions of the shelf: about 4% each
    // added, rewritten, moved and deleted (at least one of each).
    bool mutate(QString* error);

    const QString& root() const { return root_; }
    QStringList files() const;          // on disk now, absolute, sorted
    const QSet<QString>& gone() const { return gone_; } // deleted or moved away, not on disk now
    const ShelfCounts& counts() const { return counts_; }

private:
    bool writePhoto(const QString& path, QString* error);
    QString newPath(bool freshFolder);
    QString pickFile();
    bool addOne(QString* error);
    bool changeOne(QString* error);
    bool moveOne(QString* error);
    bool deleteOne(QString* error);

    QString root_;
    std::mt19937_64 rng_;
    QSet<QString> files_;
    QSet<QString> gone_;
    QStringList folders_;
    int nextPicture_ = 1;
    int nextName_ = 0;
    ShelfCounts counts_;
};

} // namespace photosearch::killtest
