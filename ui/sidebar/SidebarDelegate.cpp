// Painting of a sidebar row (see SidebarDelegate.h): name elided in the
// middle, count right-aligned in the placeholder colour, a little taller rows.
// Thread rule: GUI thread (item delegates paint there).

#include "SidebarDelegate.h"

#include "LibrarySidebar.h"

#include <QApplication>
#include <QPainter>

namespace photosearch {
namespace {

constexpr int kGap = 12;        // between a name and its count, in pixels
constexpr int kRowPadding = 6;  // added to the style's row height

QPalette::ColorGroup colorGroup(const QStyleOptionViewItem& opt)
{
    if (!(opt.state & QStyle::State_Enabled))
        return QPalette::Disabled;
    return opt.state & QStyle::State_Active ? QPalette::Normal : QPalette::Inactive;
}

} // namespace

QSize SidebarDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    return QStyledItemDelegate::sizeHint(option, index) + QSize(0, kRowPadding);
}

void SidebarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QString count = index.data(LibrarySidebar::CountRole).toString();
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(2, 0, -4, 0);
    const QString name = opt.text;

    opt.text.clear(); // background, focus and icon from the style; the text below
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = colorGroup(opt);
    painter->save();
    painter->setFont(opt.font);
    int countWidth = 0;
    if (!count.isEmpty()) {
        countWidth = opt.fontMetrics.horizontalAdvance(count) + kGap;
        painter->setPen(opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
        painter->drawText(textRect, Qt::AlignRight | Qt::AlignVCenter, count);
    }
    const QRect nameRect = textRect.adjusted(0, 0, -countWidth, 0);
    const bool hint = !(index.flags() & Qt::ItemIsSelectable) && index.parent().isValid();
    painter->setPen(opt.palette.color(group, selected ? QPalette::HighlightedText
                                             : hint   ? QPalette::PlaceholderText
                                                      : QPalette::Text));
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(name, Qt::ElideMiddle, nameRect.width()));
    painter->restore();
}

} // namespace photosearch
