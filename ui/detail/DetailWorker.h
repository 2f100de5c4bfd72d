#pragma once
// Reads one photo's details (catalog row, tags, the text read in it) and
// records a person's verdicts on its tags, with its own Catalog connection.
//
// Thread rule: lives on PhotoDetails' thread; every slot is called through
// queued connections, so the GUI thread never waits on the catalog. The
// catalog is opened on first use, on this thread (a Catalog belongs to the
// thread that made it). Latest request wins: a load whose id is no longer
// `latest` when it reaches this thread is skipped.

#include "PhotoInfo.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace photosearch {

class Catalog;
struct PhotoRecord;

class DetailWorker : public QObject {
    Q_OBJECT
public:
    DetailWorker(QString libraryDir, std::shared_ptr<std::atomic_int> latest);
    ~DetailWorker() override;

public Q_SLOTS:
    // `modelId` empty: the library's model (the CLI's `tags` rule).
    void load(int requestId, const QString& path, const QString& modelId);
    void confirmTag(const QString& path, const QString& tag);
    void removeTag(const QString& path, const QString& tag);

Q_SIGNALS:
    void infoReady(int requestId, const photosearch::PhotoInfo& info);
    void infoFailed(int requestId, const QString& path, const QString& sentence);
    // A verdict was stored: whoever shows `path` reloads it.
    void tagsChanged(const QString& path);
    void correctionFailed(const QString& path, const QString& sentence);

private:
    Catalog* catalog(); // throws CatalogError
    std::optional<PhotoRecord> record(const QString& path);
    void correct(const QString& path, const QString& tag, bool confirm);

    QString libraryDir_;
    std::shared_ptr<std::atomic_int> latest_;
    std::unique_ptr<Catalog> catalog_;
};

} // namespace photosearch
