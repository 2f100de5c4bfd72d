#pragma once
// Paints a sidebar entry as its name on the left and its count (the text
// in LibrarySidebar::CountRole) right-aligned in the palette's lighter
// placeholder colour, so the counts line up and read as secondary in both
// light and dark palettes. Names that do not fit are elided in the middle
// (folder paths differ at both ends). GUI thread.

#include <QStyledItemDelegate>

namespace photosearch {

class SidebarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    // A little taller than the text: a list of names read at a glance.
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace photosearch
