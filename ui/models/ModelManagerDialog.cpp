// File ▸ Models… (ModelManagerDialog.h). GUI thread only; the list, removal,
// discarding a partial download and import checks run on worker threads
// (QtConcurrent) and their answers are shown when they arrive, the latest
// list winning (generation_).

#include "ModelManagerDialog.h"

#include "DownloadPanel.h"
#include "DownloadText.h"
#include "FolderImporter.h"
#include "KnownModels.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace photosearch {
namespace {

constexpr int kPathRole = Qt::UserRole;
constexpr int kCurrentRole = Qt::UserRole + 1;

enum Column { NameColumn, DimColumn, SizeColumn, FolderColumn };

QLabel* heading(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

struct RemoveResult {
    bool ok = false;
    QString error;
};

// One refresh's reading of the disk.
struct Listing {
    std::vector<InstalledModelRow> rows;
    std::vector<KnownModelState> known; // for "Resume" and "Discard partial download"
};

} // namespace

ModelManagerDialog::ModelManagerDialog(const QString& currentModelDir, QWidget* parent)
    : QDialog(parent)
    , currentDir_(currentModelDir)
    , panel_(new DownloadPanel(this))
    , importer_(new FolderImporter(this))
{
    setObjectName(QStringLiteral("modelManager"));
    setWindowTitle(tr("Models"));
    resize(fontMetrics().averageCharWidth() * 120, fontMetrics().height() * 36);
    auto* layout = new QVBoxLayout(this);
    buildInstalled(layout);
    layout->addSpacing(fontMetrics().height() / 2);
    buildAvailable(layout);
    layout->addWidget(panel_);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("modelStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->hide();
    layout->addWidget(status_);
    layout->addSpacing(fontMetrics().height() / 2);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(panel_, &DownloadPanel::finished, this, [this](const QString& dir) {
        setStatus(tr("%1 is installed: select it above and click Use this model.")
                      .arg(modelDisplayName(panel_->repo())));
        selectAfterRefresh_ = dir;
        refresh();
    });
    // A stopped download may have kept parts: read again, so that the row
    // offers to resume or discard them.
    connect(panel_, &DownloadPanel::cancelled, this, &ModelManagerDialog::refresh);
    connect(panel_, &DownloadPanel::failed, this, &ModelManagerDialog::refresh);
    connect(panel_, &DownloadPanel::dismissed, this, [this] { updateButtons(); });
    connect(importer_, &FolderImporter::checking, this, [this](const QString& dir) {
        setStatus(tr("Checking %1…").arg(QDir::toNativeSeparators(dir)));
        updateButtons();
    });
    connect(importer_, &FolderImporter::accepted, this, [this](const QString& dir) {
        setStatus({});
        Q_EMIT modelChosen(dir);
        accept();
    });
    connect(importer_, &FolderImporter::rejected, this, [this](const QString&, const QString& sentence) {
        setStatus(sentence);
        updateButtons();
    });
    refresh();
}

void ModelManagerDialog::buildInstalled(QVBoxLayout* layout)
{
    layout->addWidget(heading(tr("On this computer"), this));
    installed_ = new QTreeWidget(this);
    installed_->setObjectName(QStringLiteral("installedModels"));
    installed_->setAccessibleName(tr("Installed models"));
    installed_->setHeaderLabels({tr("Model"), tr("Dimensions"), tr("Size on disk"), tr("Folder")});
    installed_->setRootIsDecorated(false);
    installed_->setUniformRowHeights(true);
    installed_->header()->setStretchLastSection(true);
    layout->addWidget(installed_, 1);
    installedNote_ = new QLabel(tr("Looking for models…"), this);
    installedNote_->setObjectName(QStringLiteral("installedNote"));
    installedNote_->setWordWrap(true);
    layout->addWidget(installedNote_);

    auto* row = new QHBoxLayout;
    use_ = new QPushButton(tr("Use this model"), this);
    use_->setObjectName(QStringLiteral("useModel"));
    use_->setToolTip(tr("Search the library with the selected model; photos are indexed again for it."));
    remove_ = new QPushButton(tr("Remove…"), this);
    remove_->setObjectName(QStringLiteral("removeModel"));
    remove_->setToolTip(tr("Delete the selected model's folder (not possible for the model in use)."));
    import_ = new QPushButton(tr("Import folder…"), this);
    import_->setObjectName(QStringLiteral("importModel"));
    import_->setToolTip(tr("Use a CLIP model folder you already have."));
    row->addWidget(use_);
    row->addWidget(remove_);
    row->addStretch(1);
    row->addWidget(import_);
    layout->addLayout(row);

    connect(installed_, &QTreeWidget::itemSelectionChanged, this, &ModelManagerDialog::updateButtons);
    connect(installed_, &QTreeWidget::itemActivated, this, &ModelManagerDialog::useSelected);
    connect(use_, &QPushButton::clicked, this, &ModelManagerDialog::useSelected);
    connect(remove_, &QPushButton::clicked, this, &ModelManagerDialog::askRemoveSelected);
    connect(import_, &QPushButton::clicked, this, [this] { importer_->choose(this); });
}

void ModelManagerDialog::buildAvailable(QVBoxLayout* layout)
{
    layout->addWidget(heading(tr("Available to download"), this));
    available_ = new QWidget(this);
    available_->setObjectName(QStringLiteral("availableModels"));
    availableLayout_ = new QVBoxLayout(available_);
    availableLayout_->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(available_);
}

QString ModelManagerDialog::statusText() const
{
    return status_->isVisible() || !status_->text().isEmpty() ? status_->text() : QString();
}

void ModelManagerDialog::setStatus(const QString& sentence)
{
    status_->setText(sentence);
    status_->setVisible(!sentence.isEmpty());
}

void ModelManagerDialog::refresh()
{
    loading_ = true;
    updateButtons();
    // Only the latest read counts: one started before a removal must not
    // bring the removed model back.
    const int generation = ++generation_;
    auto* watcher = new QFutureWatcher<Listing>(this);
    connect(watcher, &QFutureWatcher<Listing>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != generation_)
            return;
        const Listing listing = watcher->result();
        loading_ = false;
        showInstalled(listing.rows);
        showAvailable(listing.rows, listing.known);
        updateButtons();
        Q_EMIT refreshed();
    });
    const QString current = currentDir_;
    watcher->setFuture(QtConcurrent::run([current] { return Listing{scanInstalledModels(current), scanKnownModels()}; }));
}

void ModelManagerDialog::showInstalled(const std::vector<InstalledModelRow>& rows)
{
    const QString keep = selectAfterRefresh_.isEmpty() && installed_->currentItem()
                             ? installed_->currentItem()->data(NameColumn, kPathRole).toString()
                             : selectAfterRefresh_;
    selectAfterRefresh_.clear();
    installed_->clear();
    const QLocale locale;
    for (const InstalledModelRow& row : rows) {
        auto* item = new QTreeWidgetItem(installed_);
        item->setText(NameColumn, row.current ? tr("%1 (in use)").arg(row.model.name) : row.model.name);
        item->setText(DimColumn, locale.toString(row.model.dim));
        item->setText(SizeColumn, formatBytes(row.bytesOnDisk));
        item->setText(FolderColumn, QDir::toNativeSeparators(row.model.path));
        item->setToolTip(FolderColumn, item->text(FolderColumn));
        item->setToolTip(NameColumn, row.model.repo.isEmpty() ? row.model.id : row.model.repo);
        item->setData(NameColumn, kPathRole, row.model.path);
        item->setData(NameColumn, kCurrentRole, row.current);
        item->setTextAlignment(DimColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
        if (row.current) {
            QFont font = item->font(NameColumn);
            font.setBold(true);
            item->setFont(NameColumn, font);
        }
        if (!keep.isEmpty() && QDir::cleanPath(row.model.path) == QDir::cleanPath(keep))
            installed_->setCurrentItem(item);
    }
    for (int column = NameColumn; column < FolderColumn; ++column)
        installed_->resizeColumnToContents(column);
    installedNote_->setText(rows.empty() ? tr("No model is installed yet: download one below or import a folder.")
                                         : QString());
    installedNote_->setVisible(rows.empty());
}

void ModelManagerDialog::showAvailable(const std::vector<InstalledModelRow>& rows,
                                       const std::vector<KnownModelState>& known)
{
    QSet<QString> withParts;
    for (const KnownModelState& state : known)
        if (state.hasParts)
            withParts.insert(state.repo);
    QSet<QString> installedRepos;
    for (const InstalledModelRow& row : rows)
        if (!row.model.repo.isEmpty())
            installedRepos.insert(row.model.repo);
    while (QLayoutItem* item = availableLayout_->takeAt(0)) {
        delete item->widget();
        delete item->layout();
        delete item;
    }
    int offered = 0;
    for (const KnownModel& model : knownModels()) {
        if (installedRepos.contains(model.repo))
            continue;
        ++offered;
        auto* row = new QWidget(available_);
        auto* rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        // The name and size on one line, the description quieter below it.
        auto* text = new QVBoxLayout;
        text->setSpacing(0);
        auto* name = new QLabel(model.approxBytes > 0
                                    ? tr("%1 (%2)").arg(model.name, approxSizeText(model.approxBytes))
                                    : model.name,
                                row);
        QFont bold = name->font();
        bold.setBold(true);
        name->setFont(bold);
        text->addWidget(name);
        if (!model.description.isEmpty()) {
            auto* description = new QLabel(model.description, row);
            description->setWordWrap(true);
            description->setForegroundRole(QPalette::PlaceholderText);
            text->addWidget(description);
        }
        const bool parts = withParts.contains(model.repo);
        auto* download = new QPushButton(parts ? tr("Resume download") : tr("Download"), row);
        download->setObjectName(QStringLiteral("download:%1").arg(model.repo));
        download->setAccessibleName(parts ? tr("Resume download %1").arg(model.name) : tr("Download %1").arg(model.name));
        download->setProperty("photosearchRepo", model.repo);
        const QString repo = model.repo;
        connect(download, &QPushButton::clicked, this, [this, repo] { downloadModel(repo); });
        rowLayout->addLayout(text, 1);
        if (parts) {
            auto* discard = new QPushButton(tr("Discard partial download"), row);
            discard->setObjectName(QStringLiteral("discard:%1").arg(model.repo));
            discard->setToolTip(tr("Delete the files a stopped download kept; the next download starts from zero."));
            connect(discard, &QPushButton::clicked, this, [this, repo] { discardPartial(repo); });
            rowLayout->addWidget(discard, 0, Qt::AlignVCenter);
        }
        rowLayout->addWidget(download, 0, Qt::AlignVCenter);
        availableLayout_->addWidget(row);
    }
    if (offered == 0)
        availableLayout_->addWidget(new QLabel(tr("Every offered model is on this computer."), available_));
}

void ModelManagerDialog::updateButtons()
{
    const QTreeWidgetItem* item = installed_->currentItem();
    const bool selected = item && item->isSelected() && !loading_;
    const bool current = selected && item->data(NameColumn, kCurrentRole).toBool();
    use_->setEnabled(selected && !current);
    remove_->setEnabled(selected && !current && !removing_);
    import_->setEnabled(!importer_->isChecking());
    const bool busy = panel_->isRunning() || removing_;
    for (QPushButton* button : available_->findChildren<QPushButton*>())
        button->setEnabled(!busy);
}

void ModelManagerDialog::useSelected()
{
    const QTreeWidgetItem* item = installed_->currentItem();
    if (!item || !use_->isEnabled())
        return;
    Q_EMIT modelChosen(item->data(NameColumn, kPathRole).toString());
    accept();
}

void ModelManagerDialog::askRemoveSelected()
{
    const QTreeWidgetItem* item = installed_->currentItem();
    if (!item || !remove_->isEnabled() || confirm_)
        return;
    const QString path = item->data(NameColumn, kPathRole).toString();
    const QString name = item->text(NameColumn);
    // Window-modal and asynchronous (open, not exec): no nested event loop,
    // so downloads and lists keep arriving while the question is asked.
    confirm_ = new QMessageBox(QMessageBox::Question, tr("Remove %1?").arg(name),
                               tr("Delete %1 from this computer? Its folder %2 (%3) is removed; you can "
                                  "download it again later.")
                                   .arg(name, QDir::toNativeSeparators(path), item->text(SizeColumn)),
                               QMessageBox::Yes | QMessageBox::Cancel, this);
    confirm_->setObjectName(QStringLiteral("confirmRemove"));
    confirm_->setDefaultButton(QMessageBox::Cancel);
    confirm_->button(QMessageBox::Yes)->setText(tr("Remove"));
    confirm_->setAttribute(Qt::WA_DeleteOnClose);
    connect(confirm_, &QMessageBox::finished, this, [this, path, name](int result) {
        if (result == QMessageBox::Yes)
            removeModel(path, name);
    });
    confirm_->open();
}

void ModelManagerDialog::removeModel(const QString& path, const QString& name)
{
    removing_ = true;
    updateButtons();
    auto* watcher = new QFutureWatcher<RemoveResult>(this);
    connect(watcher, &QFutureWatcher<RemoveResult>::finished, this, [this, watcher, name] {
        watcher->deleteLater();
        removing_ = false;
        const RemoveResult result = watcher->result();
        if (!result.ok) {
            qWarning("removing model %s failed: %s", qPrintable(name), qPrintable(result.error));
            setStatus(result.error);
        } else {
            setStatus(tr("%1 was removed.").arg(name));
        }
        refresh();
    });
    watcher->setFuture(QtConcurrent::run([path] {
        RemoveResult result;
        result.ok = ModelStore::remove(path, &result.error);
        return result;
    }));
}

void ModelManagerDialog::discardPartial(const QString& repo)
{
    removing_ = true;
    updateButtons();
    auto* watcher = new QFutureWatcher<RemoveResult>(this);
    connect(watcher, &QFutureWatcher<RemoveResult>::finished, this, [this, watcher, repo] {
        watcher->deleteLater();
        removing_ = false;
        const RemoveResult result = watcher->result();
        if (!result.ok) {
            qWarning("discarding the partial download of %s failed: %s", qPrintable(repo), qPrintable(result.error));
            setStatus(result.error);
        } else {
            setStatus(tr("The partial download of %1 was discarded.").arg(modelDisplayName(repo)));
        }
        refresh();
    });
    watcher->setFuture(QtConcurrent::run([repo] {
        RemoveResult result;
        result.ok = ModelStore::discardPartial(repo, &result.error);
        return result;
    }));
}

void ModelManagerDialog::importFolder(const QString& dir)
{
    importer_->check(dir);
}

void ModelManagerDialog::downloadModel(const QString& repo)
{
    setStatus({});
    panel_->start(repo);
    updateButtons();
}

void ModelManagerDialog::done(int result)
{
    // A hidden dialog must not keep downloading unseen; the parts stay.
    if (panel_->isRunning())
        panel_->cancel();
    QDialog::done(result);
}

} // namespace photosearch
