#pragma once
// The sidebar's work on the library, on LibraryBrowser's browse thread:
// reading what the sidebar lists, the photos of one entry, and every album
// edit (create, add, remove, rename, delete, mark in/out, train). It opens
// its own Catalog connection (one per thread) on first use and keeps it.
//
// Every public method runs on the worker's thread (queued by the browser)
// and answers through a signal; nothing throws out of it. An error is one
// sentence for the user plus the detail for the log. Edits never touch a
// photo row or a file: albums only point at photos.
//
// The model id is read from the catalog on every call (libraryModelId), so
// a model chosen meanwhile is picked up without telling the worker.

#include "LibraryTypes.h"
#include "SidebarTypes.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace photosearch {

class Catalog;

class BrowseWorker : public QObject {
    Q_OBJECT
public:
    BrowseWorker(const QString& libraryDir, std::shared_ptr<const std::atomic_int> latestCollection);
    ~BrowseWorker() override;

    void sidebar();
    // Skipped when a newer collection request is already queued.
    void collection(int requestId, const photosearch::CollectionRequest& request);

    void createAlbum(const QString& name, photosearch::AlbumKind kind);
    void addToAlbum(const QString& name, const QStringList& paths);
    // Manual: takes the photos out; few-shot: marks them out and retrains.
    void removeFromAlbum(const QString& name, const QStringList& paths);
    void renameAlbum(const QString& name, const QString& newName);
    void deleteAlbum(const QString& name);
    // Few-shot only (created when missing): marks the photos in or out
    // without training; trainAlbum follows.
    void markForAlbum(const QString& name, const QStringList& paths, bool in);
    void trainAlbum(const QString& name);

Q_SIGNALS:
    void sidebarReady(const photosearch::SidebarContents& contents);
    void collectionReady(const photosearch::SearchResults& results);
    void collectionFailed(int requestId, const QString& sentence, const QString& detail);
    // After a successful edit: `message` for the status bar; `album` is the
    // album's name after the edit (empty once deleted), `oldName` before it.
    void edited(const QString& message, const QString& oldName, const QString& album);
    void failed(const QString& sentence, const QString& detail);

private:
    Catalog& catalog();
    QString modelId();
    // Runs one edit; on success reports `edited` with what it returned, on
    // failure `failed` with `what` ("The album “Beach” could not be renamed").
    void edit(const QString& oldName, const QString& newName, const QString& what,
              const std::function<QString()>& change);
    // The sentence for an exception from the catalog or the albums; `what`
    // says which action failed, without the closing full stop.
    QString sentenceFor(const std::exception& e, const QString& what) const;

    QString libraryDir_;
    std::shared_ptr<const std::atomic_int> latest_;
    std::unique_ptr<Catalog> catalog_;
};

} // namespace photosearch
