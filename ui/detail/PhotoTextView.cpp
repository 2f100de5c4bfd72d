// The detail pane's text section; see PhotoTextView.h.

#include "PhotoTextView.h"

#include <QClipboard>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace photosearch {

namespace {

// The box grows with the text up to this many lines, then scrolls: a page
// of a letter must not push the tags and buttons out of the pane.
constexpr int kMaxVisibleLines = 8;

} // namespace

PhotoTextView::PhotoTextView(QWidget* parent)
    : QWidget(parent)
    , title_(new QLabel(tr("Text in Photo"), this))
    , state_(new QLabel(this))
    , box_(new QPlainTextEdit(this))
    , copy_(new QToolButton(this))
{
    QFont bold = title_->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title_->setFont(bold);
    state_->setObjectName(QStringLiteral("writtenTextState"));
    state_->setWordWrap(true);
    state_->setEnabled(false); // the palette's secondary text colour
    state_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    box_->setObjectName(QStringLiteral("writtenText"));
    box_->setAccessibleName(tr("Text in photo"));
    box_->setReadOnly(true);
    box_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    box_->setTabChangesFocus(true);
    box_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    box_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    copy_->setObjectName(QStringLiteral("copyWrittenText"));
    copy_->setText(tr("Copy"));
    copy_->setToolTip(tr("Copy the text read in this photo"));
    copy_->setAutoRaise(true);
    connect(copy_, &QToolButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(box_->toPlainText()); });

    auto* head = new QHBoxLayout;
    head->setContentsMargins(0, 0, 0, 0);
    head->addWidget(title_, 1);
    head->addWidget(copy_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(head);
    layout->addWidget(state_);
    layout->addWidget(box_);
    clear();
}

QString PhotoTextView::stateSentence(const PhotoWrittenText& text)
{
    using State = PhotoWrittenText::State;
    switch (text.state) {
    case State::NotRead: return tr("Text not read yet.");
    case State::Read: return text.text.isEmpty() ? tr("No text found.") : QString();
    case State::Skipped: return tr("Not read: this photo does not look like it holds text.");
    case State::Failed: return tr("The text in this photo could not be read.");
    }
    return {};
}

void PhotoTextView::setWrittenText(const PhotoWrittenText& text)
{
    using State = PhotoWrittenText::State;
    const bool hasText = text.state == State::Read && !text.text.isEmpty();
    box_->setPlainText(hasText ? text.text : QString());
    box_->setVisible(hasText);
    copy_->setVisible(hasText);
    state_->setText(stateSentence(text));
    state_->setVisible(!hasText);
    title_->setEnabled(hasText);
    QString tip;
    if (hasText)
        tip = tr("Read with %1; mean word confidence %2%.").arg(text.languages).arg(qRound(text.confidence));
    else if (text.state == State::NotRead)
        tip = tr("File ▸ Read Text in Photos reads it.");
    else if (text.state == State::Skipped)
        tip = tr("Turn on “Read text in every photo” in Settings to read it anyway.");
    else if (text.state == State::Failed)
        tip = text.error;
    title_->setToolTip(tip);
    state_->setToolTip(tip);
    if (hasText) {
        // Up to kMaxVisibleLines lines tall, then the box scrolls.
        const int lines = qBound(1, int(text.text.count(QLatin1Char('\n'))) + 1, kMaxVisibleLines);
        const QFontMetrics metrics(box_->font());
        const int frame = 2 * box_->frameWidth() + int(2 * box_->document()->documentMargin());
        // Half a line spare: rounding in the layout must not bring a scroll bar.
        box_->setFixedHeight(lines * metrics.lineSpacing() + metrics.lineSpacing() / 2 + frame);
    }
}

void PhotoTextView::clear()
{
    box_->clear();
    box_->hide();
    copy_->hide();
    state_->clear();
    state_->show();
    title_->setEnabled(false);
    title_->setToolTip(QString());
}

} // namespace photosearch
