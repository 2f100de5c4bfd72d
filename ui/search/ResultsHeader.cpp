// The line above the grid (see ResultsHeader.h): the matches sentence with
// its "show all" link, the query as understood, and the sort order.
// Thread rule: GUI thread only.

#include "ResultsHeader.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

#include <limits>

namespace photosearch {

ResultsHeader::ResultsHeader(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("resultsHeader"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 0, 2, 0);
    sentence_ = new QLabel(this);
    sentence_->setObjectName(QStringLiteral("resultsSentence"));
    sentence_->setTextFormat(Qt::RichText);
    sentence_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(sentence_, &QLabel::linkActivated, this, [this](const QString& link) {
        if (link == QLatin1String("all"))
            Q_EMIT showAllRequested();
    });
    understood_ = new QLabel(this);
    understood_->setObjectName(QStringLiteral("understoodQuery"));
    understood_->setForegroundRole(QPalette::PlaceholderText);
    understood_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long query must not widen the window's middle: the sidebar would be
    // squeezed. The whole text stays in the tooltip.
    understood_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    understood_->setMinimumWidth(0);
    sort_ = new QComboBox(this);
    sort_->setObjectName(QStringLiteral("sortOrder"));
    sort_->setAccessibleName(tr("Sort results"));
    sort_->addItem(tr("Best match first"), int(SortOrder::Relevance));
    sort_->addItem(tr("Newest first"), int(SortOrder::Date));
    connect(sort_, &QComboBox::activated, this, [this] { Q_EMIT sortOrderChanged(sortOrder()); });
    layout->addWidget(sentence_);
    layout->addWidget(understood_, 1);
    layout->addWidget(sort_);
    clear();
}

SortOrder ResultsHeader::sortOrder() const
{
    return SortOrder(sort_->currentData().toInt());
}

void ResultsHeader::setSortOrder(SortOrder order)
{
    sort_->setCurrentIndex(sort_->findData(int(order)));
}

QString ResultsHeader::text() const
{
    return sentence_->text();
}

QString ResultsHeader::summary(const SearchResults& r)
{
    const QLocale locale;
    const qint64 shown = qint64(r.hits.size());
    const QString what = r.description.toHtmlEscaped();
    const bool cut = r.cutScore > -std::numeric_limits<float>::infinity();
    if (r.all && r.goodMatches == 0 && shown > 0 && cut)
        return tr("No clear matches for “%1”; the %2 closest photos").arg(what, locale.toString(shown));
    if (!r.all && cut && r.goodMatches == 1 && !r.moreGood)
        return tr("1 good match for “%1”").arg(what);
    if (!r.all && cut && r.goodMatches > 0)
        return tr("%1%2 good matches for “%3”")
            .arg(locale.toString(qint64(r.goodMatches)), r.moreGood ? QStringLiteral("+") : QString(), what);
    if (shown == 1)
        return tr("1 photo for “%1”").arg(what);
    return tr("%1 photos for “%2”").arg(locale.toString(shown), what);
}

void ResultsHeader::showSearch(const SearchResults& r)
{
    QString sentence = summary(r);
    // The cut hid photos: offer them ("Show all") — the same search, uncut.
    if ((!r.all || r.goodMatches == 0) && r.indexedPhotos > qint64(r.hits.size()) && r.hits.size() < size_t(kSearchResults))
        sentence += QStringLiteral(" · <a href=\"all\">%1</a>").arg(tr("Show more"));
    sentence_->setText(sentence);
    QString understood = r.understood;
    if (understood.size() > 1 && understood.startsWith(QLatin1Char('"')) && understood.endsWith(QLatin1Char('"')))
        understood = understood.mid(1, understood.size() - 2);
    understood_->setText(understood.isEmpty() || understood == r.description
                             ? QString()
                             : tr("searched for %1").arg(r.understood));
    understood_->setToolTip(understood_->text());
    sort_->setVisible(true);
    setSortOrder(r.sort);
}

void ResultsHeader::showCollection(const QString& sentence)
{
    sentence_->setText(sentence.toHtmlEscaped());
    understood_->clear();
    sort_->setVisible(false);
}

void ResultsHeader::clear()
{
    sentence_->clear();
    understood_->clear();
    sort_->setVisible(false);
}

} // namespace photosearch
