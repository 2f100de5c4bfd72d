// The sidebar tree (see LibrarySidebar.h): rebuilt from the browser's
// contents, entries asking the browser for their photos, album editing.
// Thread rule: GUI thread only; reads and edits run on the browser's thread.

#include "LibrarySidebar.h"

#include "AlbumPrompts.h"
#include "FolderLabels.h"
#include "LibraryBrowser.h"
#include "SidebarDelegate.h"
#include "SidebarText.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QStandardItemModel>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace photosearch {
namespace {

using Kind = CollectionRequest::Kind;

// Beyond this many groups the Duplicates entry lists them all at once only:
// thousands of rows of file names help nobody find anything.
constexpr int kMaxListedGroups = 300;

QStandardItem* entry(const QString& text, Kind kind, const QString& key, const QString& count,
                     const QString& spoken)
{
    auto* item = new QStandardItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setData(int(kind), LibrarySidebar::KindRole);
    item->setData(key, LibrarySidebar::KeyRole);
    item->setData(count, LibrarySidebar::CountRole);
    item->setData(spoken, Qt::AccessibleTextRole);
    item->setToolTip(spoken);
    return item;
}

// A line in an empty section saying how to fill it; not selectable.
QStandardItem* hint(const QString& text)
{
    auto* item = new QStandardItem(text);
    item->setFlags(Qt::ItemIsEnabled);
    item->setData(int(Kind::None), LibrarySidebar::KindRole);
    return item;
}

} // namespace

LibrarySidebar::LibrarySidebar(LibraryBrowser* browser, QWidget* parent)
    : QWidget(parent)
    , browser_(browser)
    , view_(new QTreeView(this))
    , model_(new QStandardItemModel(this))
    , addButton_(new QToolButton(this))
{
    setObjectName(QStringLiteral("sidebar"));
    view_->setObjectName(QStringLiteral("sidebarTree"));
    view_->setAccessibleName(tr("Library"));
    view_->setModel(model_);
    view_->setItemDelegate(new SidebarDelegate(view_));
    view_->setHeaderHidden(true);
    view_->setUniformRowHeights(true);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    view_->setFrameShape(QFrame::NoFrame);

    // Shortcuts on the tree only: F2 and Delete mean other things in the grid.
    renameAction_ = new QAction(tr("Rename…"), view_);
    renameAction_->setShortcut(Qt::Key_F2);
    renameAction_->setShortcutContext(Qt::WidgetShortcut);
    connect(renameAction_, &QAction::triggered, this, &LibrarySidebar::renameCurrentAlbum);
    deleteAction_ = new QAction(tr("Delete…"), view_);
    deleteAction_->setShortcut(QKeySequence::Delete);
    deleteAction_->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteAction_, &QAction::triggered, this, &LibrarySidebar::deleteCurrentAlbum);
    view_->addAction(renameAction_);
    view_->addAction(deleteAction_);

    addButton_->setObjectName(QStringLiteral("newAlbumButton"));
    addButton_->setText(QStringLiteral("+"));
    addButton_->setToolTip(tr("New album"));
    addButton_->setAccessibleName(tr("New album"));
    addButton_->setAutoRaise(true);
    addButton_->setMinimumSize(32, 24); // an easy target, though it shows one character
    addButton_->setPopupMode(QToolButton::InstantPopup);
    auto* addMenu = new QMenu(addButton_);
    addMenu->addAction(tr("New Album…"), this, [this] { newAlbum(AlbumKind::Manual); });
    addMenu->addAction(tr("New Few-Shot Album…"), this, [this] { newAlbum(AlbumKind::FewShot); });
    addButton_->setMenu(addMenu);

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(4, 2, 4, 2);
    buttons->addWidget(addButton_);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(view_, 1);
    layout->addLayout(buttons);

    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    connect(view_, &QWidget::customContextMenuRequested, this, &LibrarySidebar::showContextMenu);
    connect(browser_, &LibraryBrowser::sidebarReady, this, &LibrarySidebar::rebuild);
    rebuild(browser_->contents());
    browser_->refresh();
}

QStandardItem* LibrarySidebar::addSection(const QString& title, const QString& accessibleName)
{
    auto* section = new QStandardItem(title);
    section->setFlags(Qt::ItemIsEnabled);
    section->setData(int(Kind::None), KindRole);
    section->setData(accessibleName, Qt::AccessibleTextRole);
    QFont bold = font();
    bold.setBold(true);
    section->setFont(bold);
    model_->appendRow(section);
    return section;
}

void LibrarySidebar::addFolders(const SidebarContents& c)
{
    QStandardItem* section = addSection(tr("Folders"), tr("Folders, %n", nullptr, int(c.folders.size())));
    const QIcon icon = style()->standardIcon(QStyle::SP_DirIcon);
    // By name unless two share it (the full path is the tooltip either way).
    QStringList paths;
    for (const FolderEntry& f : c.folders)
        paths << f.path;
    const QStringList labels = folderLabels(paths);
    for (size_t i = 0; i < c.folders.size(); ++i) {
        const FolderEntry& f = c.folders[i];
        QStandardItem* item = entry(labels.at(qsizetype(i)), Kind::Folder, f.path, QString::number(f.photos),
                                    tr("Folder %1, %2").arg(QDir::toNativeSeparators(f.path), photosText(f.photos)));
        item->setIcon(icon);
        section->appendRow(item);
    }
    if (c.folders.empty())
        section->appendRow(hint(tr("Add a folder to index it")));
}

void LibrarySidebar::addTagAlbums(const SidebarContents& c)
{
    QStandardItem* section = addSection(tr("Albums"), tr("Albums made from tags"));
    for (const TagAlbumEntry& t : c.tagAlbums)
        section->appendRow(entry(t.tag, Kind::Tag, t.tag, QString::number(t.photos),
                                 tr("Album %1 (photos tagged %1), %2").arg(t.tag, photosText(t.photos))));
    if (c.tagAlbums.empty())
        section->appendRow(hint(tr("No tag is on 5 photos yet")));
}

void LibrarySidebar::addAlbums(const SidebarContents& c)
{
    QStandardItem* section = addSection(tr("My albums"), tr("My albums"));
    for (const AlbumEntry& a : c.albums) {
        const bool fewShot = a.kind == AlbumKind::FewShot;
        // The kind as a lighter word beside the count: the one difference
        // that matters when editing (marking vs adding).
        const QString count = fewShot ? tr("few-shot · %1").arg(a.photos) : QString::number(a.photos);
        QStandardItem* item = entry(a.name, Kind::Album, a.name, count,
                                    fewShot ? tr("Few-shot album %1, %2").arg(a.name, photosText(a.photos))
                                            : tr("Album %1, %2").arg(a.name, photosText(a.photos)));
        item->setData(int(a.kind), AlbumKindRole);
        section->appendRow(item);
    }
    if (c.albums.empty())
        section->appendRow(hint(tr("Use + to make an album")));
}

void LibrarySidebar::addDuplicates(const SidebarContents& c)
{
    QStandardItem* section = addSection(tr("Duplicates"), tr("Near-duplicates"));
    const int groups = int(c.duplicateGroups.size());
    if (groups == 0) {
        section->appendRow(hint(tr("No near-duplicates")));
        return;
    }
    const QString label = groups == 1 ? tr("1 group") : tr("%1 groups").arg(groups);
    QStandardItem* all = entry(label, Kind::AllDuplicates, QString(), QString(),
                               tr("Near-duplicates, %1; expand to see each group").arg(label));
    section->appendRow(all);
    if (groups > kMaxListedGroups)
        return;
    for (const DuplicateGroupEntry& g : c.duplicateGroups) {
        const QString name = QFileInfo(g.firstPath).fileName();
        all->appendRow(entry(name, Kind::DuplicateGroup, g.firstPath, QString::number(g.size),
                             tr("%1 and its copies, %2").arg(name, photosText(g.size))));
    }
}

void LibrarySidebar::rebuild(const SidebarContents& contents)
{
    const QModelIndex allDuplicates = indexFor(CollectionRequest{Kind::AllDuplicates, {}});
    if (allDuplicates.isValid())
        duplicatesExpanded_ = view_->isExpanded(allDuplicates);
    rebuilding_ = true; // selecting the entry again below must not load it again
    model_->clear();
    addFolders(contents);
    addTagAlbums(contents);
    addAlbums(contents);
    addDuplicates(contents);
    view_->expandToDepth(0);
    const QModelIndex again = indexFor(CollectionRequest{Kind::AllDuplicates, {}});
    if (again.isValid())
        view_->setExpanded(again, duplicatesExpanded_);
    // The browser knows the shown collection under its current name (after a rename).
    const QModelIndex shown = indexFor(browser_->shownCollection());
    if (shown.isValid())
        view_->setCurrentIndex(shown);
    rebuilding_ = false;
}

QModelIndex LibrarySidebar::indexFor(const CollectionRequest& request) const
{
    if (!request.isValid())
        return {};
    const QModelIndexList found =
        model_->match(model_->index(0, 0), KeyRole, request.key, -1, Qt::MatchExactly | Qt::MatchRecursive);
    for (const QModelIndex& i : found)
        if (i.data(KindRole).toInt() == int(request.kind))
            return i;
    return {};
}

void LibrarySidebar::select(const CollectionRequest& request)
{
    const QModelIndex index = indexFor(request);
    if (index.isValid())
        view_->setCurrentIndex(index);
}

void LibrarySidebar::onCurrentChanged(const QModelIndex& current)
{
    const auto kind = Kind(current.data(KindRole).toInt());
    if (rebuilding_ || !current.isValid() || kind == Kind::None)
        return;
    const CollectionRequest request{kind, current.data(KeyRole).toString()};
    browser_->showCollection(request);
    Q_EMIT collectionRequested(request);
}

void LibrarySidebar::clearChoice()
{
    rebuilding_ = true;
    view_->selectionModel()->clear();
    rebuilding_ = false;
    browser_->showCollection({}); // drops an answer still on its way
}

std::optional<AlbumEntry> LibrarySidebar::currentAlbum() const
{
    const QModelIndex current = view_->currentIndex();
    if (Kind(current.data(KindRole).toInt()) != Kind::Album)
        return std::nullopt;
    return AlbumEntry{current.data(KeyRole).toString(), AlbumKind(current.data(AlbumKindRole).toInt()), 0};
}

void LibrarySidebar::newAlbum(AlbumKind kind)
{
    if (const std::optional<QString> name = askNewAlbumName(this, kind))
        browser_->createAlbum(*name, kind);
}

void LibrarySidebar::renameCurrentAlbum()
{
    const std::optional<AlbumEntry> album = currentAlbum();
    if (!album)
        return;
    if (const std::optional<QString> newName = askAlbumRename(this, album->name))
        browser_->renameAlbum(album->name, *newName);
}

void LibrarySidebar::deleteCurrentAlbum()
{
    const std::optional<AlbumEntry> album = currentAlbum();
    if (album && confirmAlbumDelete(this, album->name, album->kind))
        browser_->deleteAlbum(album->name);
}

QMenu* LibrarySidebar::contextMenuFor(const QModelIndex& index)
{
    auto* menu = new QMenu(this);
    const bool album = Kind(index.data(KindRole).toInt()) == Kind::Album;
    if (album) {
        view_->setCurrentIndex(index); // the actions work on the current entry
        menu->addAction(renameAction_);
        menu->addAction(deleteAction_);
        menu->addSeparator();
    }
    menu->addAction(tr("New Album…"), this, [this] { newAlbum(AlbumKind::Manual); });
    menu->addAction(tr("New Few-Shot Album…"), this, [this] { newAlbum(AlbumKind::FewShot); });
    return menu;
}

void LibrarySidebar::showContextMenu(const QPoint& pos)
{
    QMenu* menu = contextMenuFor(view_->indexAt(pos));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(view_->viewport()->mapToGlobal(pos));
}

} // namespace photosearch
