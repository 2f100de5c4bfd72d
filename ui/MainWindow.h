#pragma once
// The main window: a search field over a thumbnail grid of results, File ▸
// Add Folder / Choose Model / Library Statistics, and the index run's
// progress in the status bar. The library work happens in LibraryController
// on worker threads; this class only wires widgets to it.
//
// The File-menu dialogs end in public slots (addFolder, chooseModel,
// showStatistics, ...) that tests call directly with a path.

#include "IndexTypes.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QAction;
class QLabel;
class QLineEdit;
class QMessageBox;
class QStackedWidget;

namespace photosearch {

class IndexProgressBar;
class LibraryController;
class ResultsModel;
class ResultsView;
struct SearchResults;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString& libraryDir, QWidget* parent = nullptr);
    ~MainWindow() override;

    LibraryController* controller() const { return controller_; }
    ResultsModel* results() const { return results_; }
    ResultsView* resultsView() const { return view_; }
    // True from the first close request until the window has really closed
    // (closing during an index run waits for the run to stop).
    bool isClosing() const { return closing_; }

public Q_SLOTS:
    // Index `folder` into the library (File ▸ Add Folder… ends here).
    void addFolder(const QString& folder);
    // Use the CLIP model in `dir` from now on (File ▸ Choose Model…).
    bool chooseModel(const QString& dir);
    // Search for what the search field says (Return).
    void runSearch();
    void showSimilar(const QString& path);
    // File ▸ Library Statistics (a non-modal dialog).
    void showStatistics();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildMenus();
    void chooseFolderDialog();
    void chooseModelDialog();
    void offerChooseModel(const QString& sentence);
    void showError(const QString& sentence, const QString& detail);
    void showPlaceholder(const QString& text);
    void showResults(const SearchResults& results);
    void indexingStarted(const QString& folder);
    void indexingEnded();
    void openPhoto(const QString& path);
    void openFolderOf(const QString& path);
    void showAbout();
    QString idleText() const;

    QString libraryDir_;
    LibraryController* controller_ = nullptr;
    QLineEdit* search_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QLabel* placeholder_ = nullptr;
    ResultsModel* results_ = nullptr;
    ResultsView* view_ = nullptr;
    IndexProgressBar* progress_ = nullptr;
    QAction* addFolderAction_ = nullptr;
    QAction* chooseModelAction_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* cancelAction_ = nullptr;
    QTimer typingTimer_;
    QPointer<QMessageBox> modelBox_;
    QPointer<QMessageBox> errorBox_;
    bool closing_ = false;
    bool shownOnce_ = false;
};

} // namespace photosearch
