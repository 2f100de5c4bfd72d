// The search field (see SearchField.h): typing pause, history in QSettings
// with a completer, and image drops. Thread rule: GUI thread only; drags are
// judged by URL names alone (hasLocalImages), the files looked at on drop.

#include "SearchField.h"

#include "ImageDrops.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCompleter>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QSettings>
#include <QStringListModel>

namespace photosearch {
namespace {
const char* const kHistoryKey = "search/history";
}

SearchField::SearchField(QWidget* parent)
    : QLineEdit(parent)
{
    setObjectName(QStringLiteral("searchField"));
    setPlaceholderText(tr("Describe a photo — “dog on a beach”, “receipt from March” — or drop an image here"));
    setClearButtonEnabled(true);
    setAccessibleName(tr("Search photos"));
    setAcceptDrops(true);

    history_ = QSettings().value(QLatin1String(kHistoryKey)).toStringList();
    historyModel_ = new QStringListModel(history_, this);
    completer_ = new QCompleter(historyModel_, this);
    completer_->setCaseSensitivity(Qt::CaseInsensitive);
    completer_->setFilterMode(Qt::MatchContains);
    completer_->setCompletionMode(QCompleter::PopupCompletion);
    setCompleter(completer_);
    // Choosing a history entry searches for it at once.
    connect(completer_, qOverload<const QString&>(&QCompleter::activated), this, [this](const QString& text) {
        setText(text);
        emitSearch();
    });

    typing_.setSingleShot(true);
    typing_.setInterval(kTypingPauseMs);
    connect(&typing_, &QTimer::timeout, this, &SearchField::emitSearch);
    connect(this, &QLineEdit::textEdited, this, [this] { typing_.start(); });
    connect(this, &QLineEdit::returnPressed, this, &SearchField::emitSearch);
    connect(this, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.isEmpty()) // the clear button, Esc or a cleared field
            emitSearch();
    });
}

void SearchField::emitSearch()
{
    typing_.stop();
    Q_EMIT searchRequested(text().trimmed());
}

void SearchField::remember(const QString& text)
{
    const QString entry = text.trimmed();
    if (entry.isEmpty())
        return;
    history_.removeAll(entry);
    history_.prepend(entry);
    while (history_.size() > kHistorySize)
        history_.removeLast();
    saveHistory();
}

void SearchField::clearHistory()
{
    history_.clear();
    saveHistory();
}

void SearchField::saveHistory()
{
    historyModel_->setStringList(history_);
    QSettings().setValue(QLatin1String(kHistoryKey), history_);
}

void SearchField::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape && !(completer_->popup() && completer_->popup()->isVisible())) {
        clear();
        return;
    }
    // ↓ on an empty field shows the whole history.
    if (event->key() == Qt::Key_Down && text().isEmpty() && !history_.isEmpty()) {
        completer_->setCompletionPrefix(QString());
        completer_->complete();
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void SearchField::dragEnterEvent(QDragEnterEvent* event)
{
    if (hasLocalImages(event->mimeData()))
        event->acceptProposedAction();
    else
        QLineEdit::dragEnterEvent(event);
}

void SearchField::dragMoveEvent(QDragMoveEvent* event)
{
    if (hasLocalImages(event->mimeData()))
        event->acceptProposedAction();
    else
        QLineEdit::dragMoveEvent(event);
}

void SearchField::dropEvent(QDropEvent* event)
{
    const QStringList images = localImagePaths(event->mimeData());
    if (images.isEmpty()) {
        QLineEdit::dropEvent(event);
        return;
    }
    event->acceptProposedAction();
    Q_EMIT imageDropped(images.first());
}

} // namespace photosearch
