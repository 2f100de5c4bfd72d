// A photo's tags with scores and verdict buttons; see TagList.h.

#include "TagList.h"

#include "PhotoInfoText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace photosearch {

TagList::TagList(QWidget* parent)
    : QWidget(parent)
    , rows_(new QVBoxLayout)
    , none_(new QLabel(tr("No tags."), this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    rows_->setContentsMargins(0, 0, 0, 0);
    rows_->setSpacing(0);
    layout->addLayout(rows_);
    none_->setEnabled(false); // the palette's secondary text colour
    layout->addWidget(none_);
}

void TagList::setTags(const std::vector<PhotoInfoTag>& tags)
{
    while (QLayoutItem* item = rows_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const PhotoInfoTag& tag : tags)
        rows_->addWidget(makeRow(tag));
    none_->setVisible(tags.empty());
}

void TagList::setBusy(const QString& tag)
{
    if (QWidget* row = findChild<QWidget*>(QStringLiteral("tag:") + tag, Qt::FindDirectChildrenOnly))
        row->setEnabled(false);
}

QWidget* TagList::makeRow(const PhotoInfoTag& tag)
{
    auto* row = new QWidget(this);
    row->setObjectName(QStringLiteral("tag:") + tag.tag);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* name = new QLabel(tag.confirmed ? QStringLiteral("✓ ") + tag.tag : tag.tag, row);
    name->setObjectName(QStringLiteral("name"));
    if (tag.confirmed) {
        QFont bold = name->font();
        bold.setBold(true);
        name->setFont(bold);
        name->setToolTip(tr("You confirmed this tag."));
    }
    layout->addWidget(name, 1);

    auto* score = new QLabel(scoreText(tag.score), row);
    score->setObjectName(QStringLiteral("score"));
    score->setEnabled(false); // secondary text colour from the palette
    score->setToolTip(tr("How clearly the model sees this tag in the photo, in standard deviations above a "
                         "typical photo of the library."));
    layout->addWidget(score);

    const QString tagName = tag.tag;
    if (!tag.confirmed) {
        auto* confirm = new QToolButton(row);
        confirm->setObjectName(QStringLiteral("confirm"));
        confirm->setText(QStringLiteral("✓"));
        confirm->setToolTip(tr("Confirm “%1”: it stays on this photo whatever the model says.").arg(tag.tag));
        confirm->setAutoRaise(true);
        connect(confirm, &QToolButton::clicked, this, [this, tagName] { Q_EMIT confirmRequested(tagName); });
        layout->addWidget(confirm);
    }
    auto* remove = new QToolButton(row);
    remove->setObjectName(QStringLiteral("remove"));
    remove->setText(QStringLiteral("×"));
    remove->setToolTip(tr("Remove “%1” from this photo.").arg(tag.tag));
    remove->setAutoRaise(true);
    connect(remove, &QToolButton::clicked, this, [this, tagName] { Q_EMIT removeRequested(tagName); });
    layout->addWidget(remove);
    return row;
}

} // namespace photosearch
