// The Classify panel (see ClassifyPanel.h): drop zone, labels, results
// table and filing into albums. Thread rule: GUI thread; classifying and
// filing are queued to the ClassifyService's worker, and dropped folders are
// expanded on a short-lived QThread whose answer comes back via finished().

#include "ClassifyPanel.h"

#include "ClassifyService.h"
#include "ClassifyTableModel.h"
#include "ImageDrops.h"
#include "ZeroShotClassifier.h"

#include <QDragEnterEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>
#include <QtDebug>

#include <memory>

namespace photosearch {
namespace {

QString imagesNotInLibrary(int n)
{
    return n == 1 ? ClassifyPanel::tr("1 image is not in the library; add its folder first.")
                  : ClassifyPanel::tr("%1 images are not in the library; add their folder first.").arg(n);
}

} // namespace

ClassifyPanel::ClassifyPanel(ClassifyService* service, QWidget* parent)
    : QWidget(parent)
    , service_(service)
    , model_(new ClassifyTableModel(this))
    , sorted_(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("classifyPanel"));
    setAcceptDrops(true);

    labelsEdit_ = new QLineEdit(this);
    labelsEdit_->setObjectName(QStringLiteral("classifyLabels"));
    labelsEdit_->setPlaceholderText(tr("Labels, separated by commas: cat, dog, receipt"));
    labelsEdit_->setClearButtonEnabled(true);
    noModel_ = new QLabel(tr("No CLIP model is chosen, so images cannot be classified; choose one with "
                             "File ▸ Models…."),
                          this);
    noModel_->setObjectName(QStringLiteral("classifyNoModel"));
    noModel_->setWordWrap(true);

    sorted_->setSourceModel(model_);
    sorted_->setSortRole(ClassifyTableModel::SortRole);
    table_ = new QTableView(this);
    table_->setObjectName(QStringLiteral("classifyTable"));
    table_->setModel(sorted_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder); // drop order until a header is clicked
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setIconSize(QSize(ClassifyTableModel::kThumbnailSize, ClassifyTableModel::kThumbnailSize));
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setHighlightSections(false);
    // The thumbnail's column fits it; the file name takes the room left.
    connect(model_, &QAbstractItemModel::modelReset, this, &ClassifyPanel::sizeColumns);
    connect(model_, &QAbstractItemModel::rowsInserted, this, &ClassifyPanel::sizeColumns);
    table_->verticalHeader()->setDefaultSectionSize(ClassifyTableModel::kThumbnailSize + 6);
    table_->horizontalHeader()->setMinimumSectionSize(ClassifyTableModel::kThumbnailSize + 8);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideMiddle);

    status_ = new QLabel(this);
    status_->setWordWrap(true);
    progress_ = new QProgressBar(this);
    progress_->setTextVisible(false);
    progress_->setMaximumWidth(160);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName(QStringLiteral("classifyCancel"));

    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(status_, 1);
    statusRow->addWidget(progress_);
    statusRow->addWidget(cancel_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(labelsEdit_);
    layout->addWidget(noModel_);
    layout->addWidget(buildDropZone());
    layout->addWidget(table_, 1);
    layout->addLayout(statusRow);
    layout->addWidget(buildAlbumRow());

    labelTimer_.setSingleShot(true);
    labelTimer_.setInterval(kLabelDebounceMs);
    connect(labelsEdit_, &QLineEdit::textChanged, this, [this] { labelTimer_.start(); });
    connect(labelsEdit_, &QLineEdit::returnPressed, this, &ClassifyPanel::labelsEdited);
    connect(&labelTimer_, &QTimer::timeout, this, &ClassifyPanel::labelsEdited);
    connect(cancel_, &QPushButton::clicked, this, &ClassifyPanel::cancelRun);
    connect(service_, &ClassifyService::imageClassified, this, &ClassifyPanel::imageClassified);
    connect(service_, &ClassifyService::finished, this, &ClassifyPanel::runFinished);
    connect(service_, &ClassifyService::failed, this, &ClassifyPanel::runFailed);
    connect(service_, &ClassifyService::albumsFiled, this, &ClassifyPanel::filed);
    connect(service_, &ClassifyService::status, this, [this](int requestId, const QString& message) {
        if (requestId == requestId_)
            setStatus(message);
    });
    updateControls();
}

QWidget* ClassifyPanel::buildDropZone()
{
    auto* zone = new QWidget(this);
    dropZone_ = new QLabel(tr("Drop images or folders here"), zone);
    dropZone_->setAlignment(Qt::AlignCenter);
    dropZone_->setMinimumHeight(44);
    setDropHighlight(false);
    auto* add = new QPushButton(tr("Add Images…"), zone);
    connect(add, &QPushButton::clicked, this, &ClassifyPanel::chooseImages);
    auto* row = new QHBoxLayout(zone);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(dropZone_, 1);
    row->addWidget(add);
    return zone;
}

QWidget* ClassifyPanel::buildAlbumRow()
{
    auto* box = new QWidget(this);
    putIntoAlbums_ = new QPushButton(tr("Put into Albums by Label"), box);
    putIntoAlbums_->setObjectName(QStringLiteral("putIntoAlbums"));
    putIntoAlbums_->setToolTip(tr("Adds each image in the library to the manual album named after its best label."));
    threshold_ = new QSpinBox(box);
    threshold_->setObjectName(QStringLiteral("classifyThreshold"));
    threshold_->setRange(0, 100);
    threshold_->setValue(50);
    threshold_->setSuffix(QStringLiteral(" %"));
    threshold_->setToolTip(tr("Only images whose best label is at least this probable go into an album."));
    auto* thresholdLabel = new QLabel(tr("when at least"), box);
    thresholdLabel->setBuddy(threshold_);
    clear_ = new QPushButton(tr("Clear"), box);
    connect(putIntoAlbums_, &QPushButton::clicked, this, &ClassifyPanel::putIntoAlbums);
    connect(clear_, &QPushButton::clicked, this, &ClassifyPanel::clear);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(putIntoAlbums_);
    row->addWidget(thresholdLabel);
    row->addWidget(threshold_);
    row->addStretch(1);
    row->addWidget(clear_);
    return box;
}

void ClassifyPanel::sizeColumns()
{
    QHeaderView* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    if (model_->columnCount() <= ClassifyTableModel::FileColumn)
        return;
    header->setSectionResizeMode(ClassifyTableModel::ThumbnailColumn, QHeaderView::Fixed);
    header->resizeSection(ClassifyTableModel::ThumbnailColumn, ClassifyTableModel::kThumbnailSize + 12);
    header->setSectionResizeMode(ClassifyTableModel::FileColumn, QHeaderView::Stretch);
    header->setStretchLastSection(false);
    // Label columns as wide as their name or "100.0 %", so that the file
    // names keep the spare width.
    for (int column = ClassifyTableModel::FileColumn + 1; column < model_->columnCount(); ++column)
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
}

void ClassifyPanel::setModelDir(const QString& modelDir)
{
    if (modelDir == modelDir_)
        return;
    modelDir_ = modelDir;
    model_->clearResults(); // answers of another model
    startRun();
}

void ClassifyPanel::setLabelsText(const QString& text)
{
    labelsEdit_->setText(text);
    labelsEdited(); // at once, not after the debounce
}

QString ClassifyPanel::statusText() const
{
    return status_->text();
}

void ClassifyPanel::setStatus(const QString& text)
{
    status_->setText(text);
}

void ClassifyPanel::setDropHighlight(bool on)
{
    dropZone_->setStyleSheet(on ? QStringLiteral("QLabel { border: 2px dashed palette(highlight); border-radius: 6px;"
                                                 " background: palette(alternate-base); }")
                                : QStringLiteral("QLabel { border: 2px dashed palette(mid); border-radius: 6px;"
                                                 " color: palette(dark); }"));
}

void ClassifyPanel::updateControls()
{
    const bool running = requestId_ != 0;
    noModel_->setVisible(modelDir_.isEmpty());
    progress_->setVisible(running || expanding_ > 0);
    cancel_->setVisible(running);
    bool anyAnswer = false;
    for (int row = 0; row < model_->rowCount() && !anyAnswer; ++row)
        anyAnswer = model_->result(row) && model_->result(row)->ok();
    putIntoAlbums_->setEnabled(anyAnswer && !running && albumRequestId_ == 0);
    clear_->setEnabled(model_->rowCount() > 0);
}

void ClassifyPanel::labelsEdited()
{
    labelTimer_.stop();
    const QStringList labels = ZeroShotClassifier::splitLabels(labelsEdit_->text());
    if (labels == labels_)
        return;
    labels_ = labels;
    model_->setLabels(labels_);
    startRun();
}

void ClassifyPanel::startRun()
{
    // A running request stops between images; its images still pending are
    // in the new request (with images added meanwhile).
    if (requestId_ != 0)
        service_->cancel();
    requestId_ = 0;
    runTotal_ = runDone_ = 0;
    const QStringList pending = model_->pendingPaths();
    if (pending.isEmpty() || modelDir_.isEmpty() || labels_.isEmpty()) {
        if (model_->rowCount() == 0)
            setStatus(addNote_);
        else if (modelDir_.isEmpty())
            setStatus(QString()); // the no-model sentence is on show
        else if (labels_.isEmpty())
            setStatus(tr("Type the labels to classify with above, separated by commas."));
        else
            setStatus(summary());
        updateControls();
        return;
    }
    runTotal_ = int(pending.size());
    requestId_ = service_->classify(pending, labels_, modelDir_);
    progress_->setRange(0, runTotal_);
    progress_->setValue(0);
    setStatus(tr("Classifying %1 of %2…").arg(1).arg(runTotal_));
    updateControls();
}

void ClassifyPanel::cancelRun()
{
    if (requestId_ == 0)
        return;
    service_->cancel();
    requestId_ = 0;
    setStatus(tr("Cancelled after %1 of %2 images; edit the labels or add images to go on.")
                  .arg(runDone_)
                  .arg(runTotal_));
    updateControls();
    Q_EMIT classificationFinished();
}

void ClassifyPanel::imageClassified(int requestId, const ClassifyRow& row)
{
    if (requestId != requestId_)
        return; // a stale run's answer for other labels
    model_->setResult(row);
    ++runDone_;
    progress_->setValue(runDone_);
    if (runDone_ < runTotal_)
        setStatus(tr("Classifying %1 of %2…").arg(runDone_ + 1).arg(runTotal_));
}

QString ClassifyPanel::summary() const
{
    int answered = 0, unreadable = 0;
    QString firstError;
    for (int row = 0; row < model_->rowCount(); ++row) {
        if (const auto& r = model_->result(row)) {
            ++(r->ok() ? answered : unreadable);
            if (!r->ok() && firstError.isEmpty())
                firstError = r->error;
        }
    }
    QString text = answered == 1 ? tr("1 image classified.") : tr("%1 images classified.").arg(answered);
    if (unreadable > 0)
        text += QLatin1Char(' ') + (unreadable == 1 ? firstError
                                                    : tr("%1 images could not be read, e.g. %2")
                                                          .arg(unreadable)
                                                          .arg(firstError));
    if (!addNote_.isEmpty())
        text += QLatin1Char(' ') + addNote_;
    return text;
}

void ClassifyPanel::runFinished(int requestId)
{
    if (requestId != requestId_)
        return;
    requestId_ = 0;
    setStatus(summary());
    updateControls();
    Q_EMIT classificationFinished();
}

void ClassifyPanel::runFailed(int requestId, const QString& sentence, const QString& detail)
{
    if (requestId != requestId_)
        return;
    qWarning("Classify: %s (%s)", qPrintable(sentence), qPrintable(detail));
    requestId_ = 0;
    setStatus(sentence);
    updateControls();
    Q_EMIT classificationFinished();
}

void ClassifyPanel::chooseImages()
{
    const QString start = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add Images"), start, tr("Images (*.jpg *.jpeg *.png *.webp *.gif *.bmp *.tif *.tiff *.heic *.heif *.avif)"));
    if (!files.isEmpty())
        addImages(files);
}

void ClassifyPanel::addImages(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    // Folders are walked and unknown names sniffed on a thread of their own:
    // a dropped folder may hold thousands of files on a slow disk.
    auto result = std::make_shared<ImageExpansion>();
    QThread* thread = QThread::create([paths, result] { *result = expandImagePaths(paths); });
    connect(thread, &QThread::finished, this, [this, result] { expanded(*result); });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    ++expanding_;
    setStatus(tr("Adding images…"));
    progress_->setRange(0, 0);
    updateControls();
    thread->start();
}

void ClassifyPanel::expanded(const ImageExpansion& expansion)
{
    --expanding_;
    QStringList notes;
    if (expansion.leftOut > 0)
        notes << tr("Only the first %1 images were added; %2 more were left out.")
                     .arg(kDroppedImageCap)
                     .arg(expansion.leftOut);
    if (expansion.notImages > 0)
        notes << (expansion.notImages == 1 ? tr("1 file is not an image and was skipped.")
                                           : tr("%1 files are not images and were skipped.").arg(expansion.notImages));
    addNote_ = notes.join(QLatin1Char(' '));
    const QStringList added = model_->addPaths(expansion.images);
    Q_EMIT imagesAdded(int(added.size()));
    if (!added.isEmpty() || requestId_ == 0)
        startRun();
    updateControls();
}

void ClassifyPanel::putIntoAlbums()
{
    const double threshold = threshold_->value() / 100.0;
    QList<AlbumAssignment> assignments;
    int below = 0;
    for (int row = 0; row < model_->rowCount(); ++row) {
        const auto& r = model_->result(row);
        if (!r || !r->ok())
            continue;
        if (r->bestProbability() + 1e-9 < threshold)
            ++below;
        else
            assignments << AlbumAssignment{r->path, r->label};
    }
    albumNote_ = below == 0 ? QString()
                          : (below == 1 ? tr("1 image was below the %1 % threshold and was left out.")
                                        : tr("%2 images were below the %1 % threshold and were left out."))
                                .arg(threshold_->value())
                                .arg(below);
    if (assignments.isEmpty()) {
        setStatus(tr("No image is confident enough for an album; lower the threshold.") + QLatin1Char(' ') + albumNote_);
        return;
    }
    albumRequestId_ = service_->putIntoAlbums(assignments);
    setStatus(tr("Putting %1 images into albums…").arg(assignments.size()));
    updateControls();
}

void ClassifyPanel::filed(int requestId, const AlbumFiling& filing)
{
    if (requestId != albumRequestId_)
        return;
    albumRequestId_ = 0;
    QStringList parts;
    if (!filing.error.isEmpty())
        parts << filing.error;
    else if (!filing.albums.isEmpty())
        parts << (filing.added == 0 ? tr("The images were already in the albums %1.")
                                    : tr("Added %1 images to the albums %2.").arg(filing.added))
                     .arg(filing.albums.join(QStringLiteral(", ")));
    if (filing.notInLibrary > 0)
        parts << imagesNotInLibrary(filing.notInLibrary);
    if (!albumNote_.isEmpty())
        parts << albumNote_;
    const QString message = parts.join(QLatin1Char(' '));
    setStatus(message);
    updateControls();
    Q_EMIT albumsFiled(filing.albums, message);
}

void ClassifyPanel::clear()
{
    if (requestId_ != 0)
        service_->cancel();
    requestId_ = 0;
    addNote_.clear();
    model_->clear();
    setStatus(QString());
    updateControls();
}

void ClassifyPanel::dragEnterEvent(QDragEnterEvent* event)
{
    if (!hasLocalImages(event->mimeData(), DroppedFolders::Expand))
        return; // ignored: the cursor says "no"
    event->setDropAction(Qt::CopyAction);
    event->accept();
    setDropHighlight(true);
}

void ClassifyPanel::dragMoveEvent(QDragMoveEvent* event)
{
    event->setDropAction(Qt::CopyAction);
    event->accept();
}

void ClassifyPanel::dragLeaveEvent(QDragLeaveEvent* event)
{
    setDropHighlight(false);
    QWidget::dragLeaveEvent(event);
}

void ClassifyPanel::dropEvent(QDropEvent* event)
{
    setDropHighlight(false);
    const QStringList paths = localDropPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->setDropAction(Qt::CopyAction);
    event->accept();
    addImages(paths);
}

} // namespace photosearch
