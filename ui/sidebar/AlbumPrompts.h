#pragma once
// The small questions album editing asks a person — a name for a new
// album, a new name, "delete this album?" — shared by the sidebar and the
// grid's album menu so that both word them the same way. Modal dialogs on
// the GUI thread; nothing here touches the library.

#include "AlbumStore.h"

#include <QString>

#include <optional>

class QWidget;

namespace photosearch {

// The trimmed name typed for a new album of `kind`; none when cancelled or empty.
std::optional<QString> askNewAlbumName(QWidget* parent, AlbumKind kind);
// The trimmed new name; none when cancelled, empty or unchanged.
std::optional<QString> askAlbumRename(QWidget* parent, const QString& name);
// True when the person confirms; the question says that files stay.
bool confirmAlbumDelete(QWidget* parent, const QString& name, AlbumKind kind);

// "Beach & Sea" as a menu entry shows the ampersand instead of a shortcut.
QString menuText(const QString& name);

} // namespace photosearch
