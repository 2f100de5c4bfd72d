#pragma once
// The window's way to the sidebar's contents, collections and album edits:
// owns the browse thread and its BrowseWorker (as LibraryController owns the
// index and search threads). Everything here is called on the GUI thread
// and returns at once; answers come back as signals.
//
// Only the latest collection request is answered (a person clicking down
// the sidebar does not queue up every album). After an edit the sidebar is
// read again (sidebarChanged, then sidebarReady), and the collection shown
// last is read again when the edit touched it, so the grid stays current.

#include "LibraryTypes.h"
#include "SidebarTypes.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <memory>

namespace photosearch {

class BrowseWorker;

class LibraryBrowser : public QObject {
    Q_OBJECT
public:
    explicit LibraryBrowser(const QString& libraryDir, QObject* parent = nullptr);
    ~LibraryBrowser() override; // waits for the edit in progress, if any

    // The last contents read (empty before the first sidebarReady).
    const SidebarContents& contents() const { return contents_; }
    // The collection asked for last (Kind::None before any).
    const CollectionRequest& shownCollection() const { return shown_; }

public Q_SLOTS:
    // Reads the sidebar again: after an index run, a model change, or an
    // edit made elsewhere (the CLI).
    void refresh();
    // The photos of one entry; answered by collectionReady with this
    // request's id (returned), unless a newer request came first.
    int showCollection(const photosearch::CollectionRequest& request);
    // Reads the shown collection again; nothing when none is shown.
    void reloadCollection();

    void createAlbum(const QString& name, photosearch::AlbumKind kind);
    void addToAlbum(const QString& name, const QStringList& paths);
    void removeFromAlbum(const QString& name, const QStringList& paths);
    void renameAlbum(const QString& name, const QString& newName);
    void deleteAlbum(const QString& name);
    // Few-shot: marks the photos in or out (the album is created when
    // missing); with `retrain` the probe is trained right after.
    void markForAlbum(const QString& name, const QStringList& paths, bool in, bool retrain = true);
    void trainAlbum(const QString& name);

Q_SIGNALS:
    void sidebarReady(const photosearch::SidebarContents& contents);
    // An album changed: the sidebar is being read again.
    void sidebarChanged();
    // The collection shown is gone (its album was deleted).
    void collectionCleared();
    void collectionReady(const photosearch::SearchResults& results);
    void collectionFailed(const QString& sentence, const QString& detail);
    // A sentence for the status bar after a successful edit.
    void statusMessage(const QString& message);
    // An edit failed: one sentence for the user, the detail for the log.
    void errorOccurred(const QString& sentence, const QString& detail);

private:
    template <typename Call>
    void queue(Call call);
    void onEdited(const QString& message, const QString& oldName, const QString& album);

    QThread thread_;
    QPointer<BrowseWorker> worker_; // deleted (deleteLater) when the thread finishes
    std::shared_ptr<std::atomic_int> latest_;
    SidebarContents contents_;
    CollectionRequest shown_;
};

} // namespace photosearch
