#pragma once
// The main window. It composes the rooms and wires them to the library:
//
//   no model          → the first-run page (download or import a model)
//   model, no folder  → "add your Pictures folder"
//   otherwise         → search field over [sidebar | filters, results line,
//                       thumbnail grid or Classify tab | detail pane]
//
// Every room does its own work off the GUI thread (LibraryController for
// index runs and searches, LibraryBrowser for the sidebar and albums,
// the detail pane's own PhotoDetails, ClassifyService for the Classify tab,
// TextController for the text-in-photos pass);
// this class only passes requests and answers between them. It is split
// into four files: MainWindow.cpp (layout, pages, closing),
// MainWindowMenus.cpp (menus, shortcuts, dialogs),
// MainWindowResults.cpp (what the grid shows and what acts on it) and
// MainWindowText.cpp (when the text pass runs and what shows it).
//
// The File-menu dialogs end in public slots (addFolder, chooseModel, ...)
// that tests call directly with a path.

#include "IndexTypes.h"
#include "LibraryTypes.h"

#include <QMainWindow>
#include <QPointer>
#include <QStringList>

class QAction;
class QLabel;
class QMessageBox;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace photosearch {

class AddFoldersPage;
class AlbumActions;
class ClassifyPanel;
class ClassifyService;
class FilterBar;
class FirstRunPage;
class IndexProgressBar;
class LibraryBrowser;
class LibraryController;
class LibrarySidebar;
class PhotoDetailPane;
class ResultsHeader;
class ResultsModel;
class ResultsView;
class SearchField;
class TextController;
class TextProgressBar;
struct AppSettings;
struct CollectionRequest;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString& libraryDir, QWidget* parent = nullptr);
    ~MainWindow() override;

    LibraryController* controller() const { return controller_; }
    ResultsModel* results() const { return results_; }
    ResultsView* resultsView() const { return view_; }
    SearchField* searchField() const { return search_; }
    ClassifyPanel* classifyPanel() const { return classify_; }
    PhotoDetailPane* detailPane() const { return detail_; }
    FirstRunPage* firstRunPage() const { return firstRun_; }
    TextController* textController() const { return text_; }
    // True from the first close request until the window has really closed
    // (closing during an index run waits for the run to stop).
    bool isClosing() const { return closing_; }
    // Nothing in flight that would change what the window shows: the library
    // is open, no search, collection, thumbnail or detail is loading.
    bool isSettled() const;

public Q_SLOTS:
    // Index `folder` into the library (File ▸ Add Folder… ends here).
    void addFolder(const QString& folder);
    // Use the CLIP model in `dir` from now on (the model manager, the first
    // run page and File ▸ Import Model Folder… end here).
    bool chooseModel(const QString& dir);
    // Search for `text` as if typed and confirmed.
    void searchFor(const QString& text);
    // Search for what the search field says (Return).
    void runSearch();
    void showSimilar(const QString& path);
    // File ▸ Library Statistics (a non-modal dialog).
    void showStatistics();
    // Shows the Classify tab (drop images there).
    void showClassify();
    // File ▸ Read Text in Photos: the text pass with the Settings' options.
    void readTextInPhotos();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // MainWindow.cpp
    QWidget* buildMainPage();
    QWidget* buildStatusPage();
    QWidget* buildResultsTab();
    void connectController();
    void updatePage();
    void showError(const QString& sentence, const QString& detail);
    void showPlaceholder(const QString& text);
    void indexingStarted(const QString& folder);
    void indexingEnded();
    QString idleText() const;
    void applySettings(const AppSettings& settings);

    // MainWindowMenus.cpp
    void buildMenus();
    void chooseFolderDialog();
    void importModelDialog();
    void showModelManager();
    void showSettings();
    void showAbout();
    void openPhoto(const QString& path);
    void openFolderOf(const QString& path);

    // MainWindowText.cpp
    void connectText();
    void startTextPassWhenIdle();
    void closeWhenStopped();

    // MainWindowResults.cpp
    void connectResults();
    void search(const SearchOptions& options);
    void showResults(const SearchResults& results);
    void showCollection();
    void showCollectionResults(const SearchResults& results);
    void selectionChanged();
    QStringList selectedPaths() const;
    void showLargePreview();
    void removeSelectionFromAlbum();
    void gridContextMenu(const QPoint& globalPos);

    QString libraryDir_;
    LibraryController* controller_ = nullptr;
    LibraryBrowser* browser_ = nullptr;
    AlbumActions* albumActions_ = nullptr;
    ClassifyService* classifier_ = nullptr;

    QStackedWidget* pages_ = nullptr;
    FirstRunPage* firstRun_ = nullptr;
    AddFoldersPage* addFolders_ = nullptr;
    QWidget* mainPage_ = nullptr;
    QWidget* statusPage_ = nullptr; // opening the library, or why it could not be opened
    QLabel* statusText_ = nullptr;
    SearchField* search_ = nullptr;
    QSplitter* splitter_ = nullptr;
    LibrarySidebar* sidebar_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    FilterBar* filters_ = nullptr;
    ResultsHeader* header_ = nullptr;
    QStackedWidget* resultStack_ = nullptr;
    QLabel* placeholder_ = nullptr;
    ResultsModel* results_ = nullptr;
    ResultsView* view_ = nullptr;
    ClassifyPanel* classify_ = nullptr;
    PhotoDetailPane* detail_ = nullptr;
    IndexProgressBar* progress_ = nullptr;
    TextController* text_ = nullptr;
    TextProgressBar* textProgress_ = nullptr;

    QAction* addFolderAction_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* cancelAction_ = nullptr;
    QAction* readTextAction_ = nullptr;
    QPointer<QMessageBox> errorBox_;

    // What the grid shows: the last search's options (text or similar), or
    // an album / folder / tag / duplicates collection from the sidebar.
    SearchOptions options_;
    QString similarPath_;       // set when the grid shows "similar to"
    bool showingCollection_ = false;
    bool collectionPending_ = false;
    bool statisticsPending_ = false;
    bool libraryOpen_ = false;
    // The detail pane is loading the current photo's facts / large image.
    bool detailInfoPending_ = false;
    bool detailImagePending_ = false;
    bool closing_ = false;
    bool controllerStopped_ = false; // its threads have ended (stopped() arrived)
    bool textStopped_ = false;       // the text thread has ended (after a close request)
    // An index run wrote photos: the text pass runs when no run is left.
    bool textPassWanted_ = false;
    bool quietRun_ = false; // the index run going was started by the watcher
    bool textAutoPaused_ = false; // the text pass waits for an index run (not the user's pause)
    bool shownOnce_ = false;
};

} // namespace photosearch
