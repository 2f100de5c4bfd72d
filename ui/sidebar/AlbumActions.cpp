// The grid's album menus (see AlbumActions.h), built from the browser's last
// sidebar contents. Thread rule: GUI thread; every edit is queued to the
// LibraryBrowser, which runs it on its browse thread.

#include "AlbumActions.h"

#include "AlbumPrompts.h"
#include "LibraryBrowser.h"

#include <QMenu>

namespace photosearch {

AlbumActions::AlbumActions(LibraryBrowser* browser, QWidget* dialogParent, QObject* parent)
    : QObject(parent)
    , browser_(browser)
    , dialogParent_(dialogParent)
{
}

const AlbumEntry* AlbumActions::storedAlbum(const CollectionRequest& shown) const
{
    if (shown.kind != CollectionRequest::Kind::Album)
        return nullptr;
    for (const AlbumEntry& a : browser_->contents().albums)
        if (a.name == shown.key)
            return &a;
    return nullptr;
}

QMenu* AlbumActions::menuFor(const QStringList& paths, const CollectionRequest& shown, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    addTo(menu, paths, shown);
    return menu;
}

void AlbumActions::addTo(QMenu* menu, const QStringList& paths, const CollectionRequest& shown)
{
    if (paths.isEmpty())
        return;
    addAlbumMenu(menu, paths);
    addMarkMenu(menu, paths, true);
    addMarkMenu(menu, paths, false);
    if (const AlbumEntry* album = storedAlbum(shown)) {
        menu->addSeparator();
        const QString name = album->name;
        QAction* remove = menu->addAction(
            album->kind == AlbumKind::FewShot ? tr("Mark as Not Belonging to “%1”").arg(menuText(name))
                                              : tr("Remove from “%1”").arg(menuText(name)),
            this, [this, paths] { removeSelectionFromShownAlbum(paths); });
        remove->setShortcut(QKeySequence::Delete); // shown as a hint; the grid owns the key
        remove->setObjectName(QStringLiteral("removeFromShownAlbum"));
    }
}

// Manual albums take photos as they are.
void AlbumActions::addAlbumMenu(QMenu* menu, const QStringList& paths)
{
    QMenu* sub = menu->addMenu(tr("Add to Album"));
    sub->setObjectName(QStringLiteral("addToAlbumMenu"));
    for (const AlbumEntry& a : browser_->contents().albums)
        if (a.kind == AlbumKind::Manual) {
            const QString name = a.name;
            sub->addAction(menuText(name), this, [this, name, paths] { browser_->addToAlbum(name, paths); });
        }
    if (!sub->isEmpty())
        sub->addSeparator();
    sub->addAction(tr("New Album…"), this, [this, paths] {
        if (const std::optional<QString> name = askNewAlbumName(dialogParent_, AlbumKind::Manual)) {
            browser_->createAlbum(*name, AlbumKind::Manual);
            browser_->addToAlbum(*name, paths); // queued after the creation
        }
    });
}

// Few-shot albums learn from photos marked in and out; each mark retrains.
void AlbumActions::addMarkMenu(QMenu* menu, const QStringList& paths, bool in)
{
    QMenu* sub = menu->addMenu(in ? tr("Mark as Belonging to") : tr("Mark as Not Belonging to"));
    sub->setObjectName(in ? QStringLiteral("markInMenu") : QStringLiteral("markOutMenu"));
    for (const AlbumEntry& a : browser_->contents().albums)
        if (a.kind == AlbumKind::FewShot) {
            const QString name = a.name;
            sub->addAction(menuText(name), this, [this, name, paths, in] { browser_->markForAlbum(name, paths, in); });
        }
    if (in) {
        if (!sub->isEmpty())
            sub->addSeparator();
        sub->addAction(tr("New Few-Shot Album…"), this, [this, paths] {
            if (const std::optional<QString> name = askNewAlbumName(dialogParent_, AlbumKind::FewShot))
                browser_->markForAlbum(*name, paths, true); // creates it
        });
    } else if (sub->isEmpty()) {
        sub->setEnabled(false); // nothing to mark out of yet
    }
}

bool AlbumActions::removeSelectionFromShownAlbum(const QStringList& paths)
{
    const AlbumEntry* album = storedAlbum(browser_->shownCollection());
    if (!album || paths.isEmpty())
        return false;
    browser_->removeFromAlbum(album->name, paths);
    return true;
}

} // namespace photosearch
