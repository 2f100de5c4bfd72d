#pragma once
// The search field: type a description (searched as you type, debounced),
// Return searches at once, Esc clears, ↓ opens the history of earlier
// searches. An image file dropped on it asks for photos like that image
// (imageDropped), whether or not it is in the library.
//
// History: the last kHistorySize searches that found something, newest
// first, kept in QSettings ("search/history") so they survive a restart.
// GUI thread only.

#include <QLineEdit>
#include <QStringList>
#include <QTimer>

class QCompleter;
class QStringListModel;

namespace photosearch {

class SearchField : public QLineEdit {
    Q_OBJECT
public:
    static constexpr int kHistorySize = 50;
    static constexpr int kTypingPauseMs = 300;

    explicit SearchField(QWidget* parent = nullptr);

    // Remembers `text` (moved to the front when already there).
    void remember(const QString& text);
    QStringList history() const { return history_; }
    void clearHistory();

Q_SIGNALS:
    // The text to search for (trimmed; empty = clear the results).
    void searchRequested(const QString& text);
    void imageDropped(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void saveHistory();
    void emitSearch();

    QTimer typing_;
    QStringList history_;
    QStringListModel* historyModel_ = nullptr;
    QCompleter* completer_ = nullptr;
};

} // namespace photosearch
