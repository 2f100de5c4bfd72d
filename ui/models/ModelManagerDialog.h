#pragma once
// File ▸ Models…: the CLIP models on this computer (name, dimensions, size on
// disk, folder; the library's current one marked) with "Use this model",
// "Remove…" (not the current one) and "Import folder…", and the known models
// not yet installed, each with Download (or Resume download, with "Discard
// partial download" beside it, when a stopped download kept parts) and the
// shared DownloadPanel for progress, Cancel and Retry. "Use this model" emits modelChosen(dir) and
// closes; the main window switches the library (re-indexing is the library
// layer's business).
//
// Thread rule: GUI thread. The list (ModelStore::installed plus a folder
// walk for sizes, the known models' parts), removal, discarding parts and
// import checks run on worker threads; the
// dialog shows their answers when they arrive. Closing the dialog cancels a
// download in flight; its parts are kept and the next Download resumes.

#include "ModelScan.h"

#include <QDialog>
#include <QPointer>

#include <vector>

class QLabel;
class QMessageBox;
class QPushButton;
class QTreeWidget;
class QVBoxLayout;

namespace photosearch {

class DownloadPanel;
class FolderImporter;

class ModelManagerDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelManagerDialog(const QString& currentModelDir, QWidget* parent = nullptr);

    DownloadPanel* downloadPanel() const { return panel_; }
    // True until the first list has arrived, and during a refresh.
    bool isLoading() const { return loading_; }
    // What the dialog said last (a removal or import that failed, a finished
    // download); empty when nothing.
    QString statusText() const;

    void done(int result) override;

public Q_SLOTS:
    void refresh();
    // Checks `dir` off the GUI thread; emits modelChosen when it is a model.
    void importFolder(const QString& dir);
    void downloadModel(const QString& repo);

Q_SIGNALS:
    void modelChosen(const QString& dir);
    // The installed list was (re)read and is shown.
    void refreshed();

private:
    void buildInstalled(QVBoxLayout* layout);
    void buildAvailable(QVBoxLayout* layout);
    void showInstalled(const std::vector<InstalledModelRow>& rows);
    void showAvailable(const std::vector<InstalledModelRow>& rows, const std::vector<KnownModelState>& known);
    void updateButtons();
    void useSelected();
    void askRemoveSelected();
    void removeModel(const QString& path, const QString& name);
    void discardPartial(const QString& repo);
    void setStatus(const QString& sentence);

    QString currentDir_;
    QTreeWidget* installed_ = nullptr;
    QLabel* installedNote_ = nullptr;
    QPushButton* use_ = nullptr;
    QPushButton* remove_ = nullptr;
    QPushButton* import_ = nullptr;
    QWidget* available_ = nullptr;
    QVBoxLayout* availableLayout_ = nullptr;
    DownloadPanel* panel_ = nullptr;
    FolderImporter* importer_ = nullptr;
    QLabel* status_ = nullptr;
    QPointer<QMessageBox> confirm_;
    bool loading_ = false;
    bool removing_ = false;
    int generation_ = 0;
    QString selectAfterRefresh_;
};

} // namespace photosearch
