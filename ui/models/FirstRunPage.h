#pragma once
// The page a new user sees before any CLIP model is chosen: what a model is
// (and that everything stays on this computer), one big button for the
// recommended model, smaller ones for the other known models (each with
// "Discard partial download" beside "Resume download" when a cancelled or
// failed download kept parts), "Import a model folder…", and while a download runs the shared DownloadPanel in
// place of the offer. Emits modelReady(dir) once a model is installed or an
// imported folder checked; the main window then switches to the library.
//
// Why a page and not a dialog: without a model there is nothing else to do,
// and a failure sentence must stay in view next to Retry.
// Thread rule: GUI thread only. What the offer says about each model
// (installed already, parts to resume) is read on a worker thread
// (scanKnownModels) and shown when it arrives.

#include "ModelScan.h"

#include <QHash>
#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;

namespace photosearch {

class DownloadPanel;
class FolderImporter;
struct KnownModel;

class FirstRunPage : public QWidget {
    Q_OBJECT
public:
    explicit FirstRunPage(QWidget* parent = nullptr);

    DownloadPanel* downloadPanel() const { return panel_; }

public Q_SLOTS:
    // Starts (or resumes) the download of a known model; emits modelReady
    // at once when it is installed already.
    void downloadModel(const QString& repo);
    // Checks `dir` off the GUI thread; emits modelReady when it is a model,
    // else shows why not.
    void importFolder(const QString& dir);
    // Reads again which known models are installed or half-downloaded.
    void rescan();
    // Deletes the parts a cancelled or failed download of `repo` kept (off
    // the GUI thread), then reads the offer again.
    void discardPartial(const QString& repo);

Q_SIGNALS:
    void modelReady(const QString& dir);

private:
    void buildOffer(QWidget* column);
    void updateOffer();
    void showOffer(const QString& focusRepo);
    void onScanned(const std::vector<KnownModelState>& states);
    QPushButton* buttonFor(const QString& repo) const;
    // The model's offer button with "Discard partial download" beside it.
    QLayout* offerRow(QPushButton* button, const QString& repo, QWidget* offer);

    QWidget* offer_ = nullptr;
    QPushButton* recommended_ = nullptr;
    QLabel* recommendedNote_ = nullptr;
    std::vector<QPushButton*> others_;
    QPushButton* import_ = nullptr;
    QLabel* importStatus_ = nullptr;
    QLabel* offerStatus_ = nullptr; // a discard that failed
    QHash<QString, QPushButton*> discards_; // repo → "Discard partial download"
    DownloadPanel* panel_ = nullptr;
    FolderImporter* importer_ = nullptr;
    QHash<QString, KnownModelState> states_;
    QHash<QString, qint64> exactBytes_; // repo → size the server gave
    int scanGeneration_ = 0;
};

} // namespace photosearch
