#pragma once
// Album editing for the photos selected in the grid: the context menu's
// "Add to album ▸", "Mark as belonging to ▸" / "Mark as not belonging to ▸"
// (few-shot albums, retrained right after) and "Remove from “X”" when the
// grid shows a stored album, plus the Delete key's slot. Removing only ever
// takes photos out of an album; files are never deleted.
//
// The albums offered are the browser's last sidebar contents, so building a
// menu never waits on the catalog. GUI thread only; the edits themselves
// run on the browser's thread.

#include "SidebarTypes.h"

#include <QObject>
#include <QStringList>

class QMenu;
class QWidget;

namespace photosearch {

class LibraryBrowser;

class AlbumActions : public QObject {
    Q_OBJECT
public:
    // `browser` must outlive this; `dialogParent` parents the name prompts.
    AlbumActions(LibraryBrowser* browser, QWidget* dialogParent, QObject* parent = nullptr);

    // A new menu for `paths` (the caller owns it: exec, then delete), for
    // the grid showing `shown` (LibraryBrowser::shownCollection(), or an
    // invalid request for search results).
    QMenu* menuFor(const QStringList& paths, const CollectionRequest& shown, QWidget* parent = nullptr);
    // The same entries appended to an existing menu (the grid's own).
    void addTo(QMenu* menu, const QStringList& paths, const CollectionRequest& shown);

public Q_SLOTS:
    // The grid's Delete key: takes `paths` out of the album the grid shows
    // (a few-shot album: marks them out and retrains). False, and nothing
    // done, when the grid shows no stored album.
    bool removeSelectionFromShownAlbum(const QStringList& paths);

private:
    void addAlbumMenu(QMenu* menu, const QStringList& paths);
    void addMarkMenu(QMenu* menu, const QStringList& paths, bool in);
    // The stored album `shown` stands for, if any.
    const AlbumEntry* storedAlbum(const CollectionRequest& shown) const;

    LibraryBrowser* browser_;
    QWidget* dialogParent_;
};

} // namespace photosearch
