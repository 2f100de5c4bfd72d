#pragma once
// The window's sidebar: a tree of the library's folders, the auto-albums
// made from tags ("Albums"), the person's own albums ("My albums", manual
// and few-shot) and the near-duplicate groups, each entry with its count.
// Choosing an entry (mouse or keyboard) asks the LibraryBrowser for its
// photos and emits collectionRequested; the grid gets them from the
// browser's collectionReady.
//
// Album editing from here: the "+" button and the context menu make
// albums; F2 / Rename… and Delete / Delete… change them (a deletion is
// confirmed, and says that files are never deleted). The contents come
// from the browser (sidebarReady); the tree is rebuilt from them, keeping
// the chosen entry and what was expanded.
//
// GUI thread only; everything slow happens on the browser's thread.

#include "SidebarTypes.h"

#include <QWidget>

#include <optional>

class QAction;
class QMenu;
class QModelIndex;
class QStandardItem;
class QStandardItemModel;
class QToolButton;
class QTreeView;

namespace photosearch {

class LibraryBrowser;

class LibrarySidebar : public QWidget {
    Q_OBJECT
public:
    // Item data roles the entries carry.
    enum Role {
        KindRole = Qt::UserRole + 1, // int(CollectionRequest::Kind); None for section titles and hints
        KeyRole,                     // CollectionRequest::key
        CountRole,                   // the count as shown, e.g. "42"
        AlbumKindRole,               // int(AlbumKind), for "My albums" entries
    };

    // `browser` must outlive the sidebar. Reads the sidebar at once.
    explicit LibrarySidebar(LibraryBrowser* browser, QWidget* parent = nullptr);

    QTreeView* view() const { return view_; }
    QStandardItemModel* model() const { return model_; }
    // The entry that stands for `request`; invalid when none does.
    QModelIndex indexFor(const CollectionRequest& request) const;
    // The context menu an entry gets (new for the caller, who deletes it).
    QMenu* contextMenuFor(const QModelIndex& index);

public Q_SLOTS:
    // Chooses the entry (as a click would); nothing when there is none.
    void select(const photosearch::CollectionRequest& request);
    // No entry chosen: call when the grid shows something else (a search),
    // so that choosing the same entry again loads it again.
    void clearChoice();
    // Ask for a name, then create (the "+" button and "New album…").
    void newAlbum(photosearch::AlbumKind kind);
    void renameCurrentAlbum();
    void deleteCurrentAlbum();

Q_SIGNALS:
    // An entry was chosen; its photos follow through LibraryBrowser::collectionReady.
    void collectionRequested(const photosearch::CollectionRequest& request);

private:
    void rebuild(const SidebarContents& contents);
    QStandardItem* addSection(const QString& title, const QString& accessibleName);
    void addFolders(const SidebarContents& contents);
    void addTagAlbums(const SidebarContents& contents);
    void addAlbums(const SidebarContents& contents);
    void addDuplicates(const SidebarContents& contents);
    void onCurrentChanged(const QModelIndex& current);
    std::optional<AlbumEntry> currentAlbum() const;
    void showContextMenu(const QPoint& pos);

    LibraryBrowser* browser_;
    QTreeView* view_;
    QStandardItemModel* model_;
    QToolButton* addButton_;
    QAction* renameAction_;
    QAction* deleteAction_;
    bool rebuilding_ = false;
    bool duplicatesExpanded_ = false;
};

} // namespace photosearch
