// The detail pane; see PhotoDetailPane.h.

#include "PhotoDetailPane.h"

#include "ElidedLabel.h"
#include "PreviewDecoder.h"
#include "ImageView.h"
#include "PhotoDetails.h"
#include "PhotoInfoText.h"
#include "PhotoTextView.h"
#include "TagList.h"

#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace photosearch {

namespace {

QLabel* factLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long values wrap instead of widening the pane.
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    return label;
}

} // namespace

PhotoDetailPane::PhotoDetailPane(const QString& libraryDir, QWidget* parent)
    : QWidget(parent)
    , details_(new PhotoDetails(libraryDir, this))
    , decoder_(new PreviewDecoder(this))
    , pages_(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("detailPane"));
    auto* empty = new QLabel(tr("Select a photo to see its details."), pages_);
    empty->setObjectName(QStringLiteral("emptyState"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setEnabled(false); // the palette's secondary text colour
    pages_->addWidget(empty);
    pages_->addWidget(makeDetails());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pages_);

    connect(details_, &PhotoDetails::infoReady, this, &PhotoDetailPane::showInfo);
    connect(details_, &PhotoDetails::infoFailed, this, &PhotoDetailPane::showFailure);
    connect(details_, &PhotoDetails::tagsChanged, this, [this](const QString& path) {
        Q_EMIT tagsChanged(path);
        if (path == path_)
            details_->load(path_, modelId_);
    });
    connect(details_, &PhotoDetails::correctionFailed, this, [this](const QString& path, const QString& sentence) {
        if (path != path_)
            return;
        message_->setText(sentence);
        message_->show();
        details_->load(path_, modelId_); // re-enables the row
    });
    connect(decoder_, &PreviewDecoder::decoded, this,
            [this](int, const QString& path, const QImage& image, QSize box, const QString& error) {
                onDecoded(path, image, box, error);
            });
    connect(image_, &ImageView::largerImageWanted, this, &PhotoDetailPane::requestImage);
    connect(tags_, &TagList::confirmRequested, this, [this](const QString& tag) {
        tags_->setBusy(tag);
        details_->confirmTag(path_, tag);
    });
    connect(tags_, &TagList::removeRequested, this, [this](const QString& tag) {
        tags_->setBusy(tag);
        details_->removeTag(path_, tag);
    });
}

PhotoDetailPane::~PhotoDetailPane() = default;

QWidget* PhotoDetailPane::makeDetails()
{
    auto* page = new QWidget(pages_);
    image_ = new ImageView(page);
    image_->setObjectName(QStringLiteral("largeImage"));
    image_->setHugsImage(true);
    name_ = new ElidedLabel(page);
    name_->setObjectName(QStringLiteral("fileName"));
    name_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont title = name_->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.15);
    name_->setFont(title);
    message_ = factLabel(page);
    message_->setObjectName(QStringLiteral("message"));
    message_->hide();

    date_ = factLabel(page);
    date_->setObjectName(QStringLiteral("date"));
    camera_ = factLabel(page);
    camera_->setObjectName(QStringLiteral("camera"));
    place_ = factLabel(page);
    place_->setObjectName(QStringLiteral("place"));
    size_ = factLabel(page);
    size_->setObjectName(QStringLiteral("size"));
    auto* facts = new QFormLayout;
    facts->setContentsMargins(0, 0, 0, 0);
    facts->addRow(tr("Taken:"), date_);
    facts->addRow(tr("Camera:"), camera_);
    facts->addRow(tr("Place:"), place_);
    facts->addRow(tr("File:"), size_);

    writtenText_ = new PhotoTextView(page);
    writtenText_->setObjectName(QStringLiteral("writtenTextSection"));

    tagsTitle_ = new QLabel(tr("Tags"), page);
    tagsTitle_->setFont(title);
    tags_ = new TagList(page);
    tags_->setObjectName(QStringLiteral("tags"));

    auto* layout = new QVBoxLayout(page);
    const int gap = style()->pixelMetric(QStyle::PM_LayoutVerticalSpacing);
    layout->addWidget(image_);
    layout->addSpacing(gap);
    layout->addWidget(name_);
    layout->addWidget(message_);
    layout->addLayout(facts);
    layout->addSpacing(gap);
    layout->addWidget(writtenText_);
    layout->addSpacing(gap);
    layout->addWidget(tagsTitle_);
    layout->addWidget(tags_);
    layout->addStretch(1); // the spare height goes here, the buttons stay at the bottom
    layout->addWidget(makeButtons());
    return page;
}

QWidget* PhotoDetailPane::makeButtons()
{
    auto* row = new QWidget(pages_);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    const auto add = [this, row, layout](const QString& text, const char* objectName,
                                         void (PhotoDetailPane::*signal)(const QString&)) {
        auto* button = new QPushButton(text, row);
        button->setObjectName(QString::fromLatin1(objectName));
        connect(button, &QPushButton::clicked, this, [this, signal] {
            if (!path_.isEmpty())
                Q_EMIT(this->*signal)(path_);
        });
        layout->addWidget(button);
    };
    add(tr("Find Similar"), "findSimilar", &PhotoDetailPane::findSimilarRequested);
    add(tr("Open"), "open", &PhotoDetailPane::openRequested);
    add(tr("Show in Folder"), "showInFolder", &PhotoDetailPane::showInFolderRequested);
    return row;
}

void PhotoDetailPane::setPhoto(const QString& path)
{
    if (path.isEmpty()) {
        clear();
        return;
    }
    if (path == path_)
        return;
    path_ = path;
    pages_->setCurrentIndex(1);
    name_->setToolTip(QDir::toNativeSeparators(path));
    name_->setFullText(QFileInfo(path).fileName());
    message_->hide();
    for (QLabel* fact : {date_, camera_, place_, size_})
        fact->clear();
    tags_->setTags({});
    writtenText_->clear();
    image_->showSentence(tr("Loading…"));
    details_->load(path_, modelId_);
    requestImage();
}

void PhotoDetailPane::clear()
{
    path_.clear();
    details_->cancel();
    decoder_->cancel();
    image_->showSentence(QString());
    pages_->setCurrentIndex(0);
}

void PhotoDetailPane::reload()
{
    if (!path_.isEmpty())
        details_->load(path_, modelId_);
}

void PhotoDetailPane::setModelId(const QString& modelId)
{
    if (modelId == modelId_)
        return;
    modelId_ = modelId;
    if (!path_.isEmpty())
        details_->load(path_, modelId_);
}

void PhotoDetailPane::showInfo(const PhotoInfo& info)
{
    if (info.path != path_)
        return;
    const auto setFact = [](QLabel* label, const QString& text) {
        label->setText(text.isEmpty() ? tr("Unknown") : text);
        label->setEnabled(!text.isEmpty()); // "Unknown" in the secondary colour
    };
    setFact(date_, dateText(info.takenAt));
    setFact(camera_, cameraLine(info));
    setFact(place_, info.hasGps ? placeText(info.latitude, info.longitude) : QString());
    setFact(size_, sizeLine(info));
    tags_->setTags(info.tags);
    writtenText_->setWrittenText(info.writtenText);
    tagsTitle_->setToolTip(info.modelId.isEmpty() ? tr("No model is chosen for this library: no tags yet.")
                                                  : QString());
    Q_EMIT detailsShown(info.path);
}

void PhotoDetailPane::showFailure(const QString& path, const QString& sentence)
{
    if (path != path_)
        return;
    message_->setText(sentence);
    message_->show();
    tags_->setTags({});
    writtenText_->clear();
    Q_EMIT detailsShown(path);
}

void PhotoDetailPane::requestImage()
{
    if (!path_.isEmpty())
        decoder_->request(path_, image_->neededBox());
}

void PhotoDetailPane::onDecoded(const QString& path, const QImage& image, QSize box, const QString& error)
{
    if (path != path_)
        return;
    if (image.isNull())
        image_->showSentence(error);
    else
        image_->setImage(image, box);
    Q_EMIT imageShown(path);
}

} // namespace photosearch
