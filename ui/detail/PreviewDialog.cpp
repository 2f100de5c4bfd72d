// The large preview; see PreviewDialog.h.

#include "PreviewDialog.h"

#include "ElidedLabel.h"
#include "PreviewDecoder.h"
#include "ImageView.h"

#include <QDir>
#include <QFileInfo>
#include <QKeyEvent>
#include <QScreen>
#include <QVBoxLayout>

#include <algorithm>

namespace photosearch {

PreviewDialog::PreviewDialog(QWidget* parent)
    : QDialog(parent)
    , decoder_(new PreviewDecoder(this))
    , image_(new ImageView(this))
    , caption_(new ElidedLabel(this))
{
    setObjectName(QStringLiteral("largePreview"));
    setWindowTitle(tr("Preview"));
    image_->setObjectName(QStringLiteral("previewImage"));
    caption_->setObjectName(QStringLiteral("caption"));
    caption_->setAlignment(Qt::AlignCenter);
    // Keys go to the dialog: Space must close it, not press a button.
    image_->setFocusPolicy(Qt::NoFocus);
    setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(image_, 1);
    layout->addWidget(caption_);

    connect(decoder_, &PreviewDecoder::decoded, this,
            [this](int, const QString& path, const QImage& image, QSize box, const QString& error) {
                if (path != currentPath())
                    return;
                if (image.isNull())
                    image_->showSentence(error);
                else
                    image_->setImage(image, box);
                Q_EMIT imageShown(path);
            });
    connect(image_, &ImageView::largerImageWanted, this, [this] {
        if (index_ >= 0)
            decoder_->request(currentPath(), image_->neededBox());
    });
}

PreviewDialog::~PreviewDialog() = default;

void PreviewDialog::showPreview(const QStringList& paths, int index)
{
    paths_ = paths;
    index_ = -1;
    if (paths_.isEmpty())
        return;
    fitToScreen();
    show();
    raise();
    activateWindow();
    setFocus();
    go(std::clamp(index, 0, int(paths_.size()) - 1));
}

void PreviewDialog::fitToScreen()
{
    const QWidget* anchor = parentWidget() ? parentWidget()->window() : this;
    const QScreen* screen = anchor->screen();
    if (!screen)
        return;
    // Nearly the whole screen, leaving the desktop visible around it.
    const QRect available = screen->availableGeometry();
    const QSize size = available.size() * 0.92;
    resize(size);
    move(available.center() - QPoint(size.width() / 2, size.height() / 2));
}

void PreviewDialog::go(int index)
{
    if (index < 0 || index >= paths_.size() || index == index_)
        return;
    index_ = index;
    const QString path = paths_.at(index_);
    caption_->setFullText(tr("%1 — %2 of %3")
                              .arg(QFileInfo(path).fileName())
                              .arg(index_ + 1)
                              .arg(paths_.size()));
    caption_->setToolTip(QDir::toNativeSeparators(path));
    setWindowTitle(QFileInfo(path).fileName());
    image_->showSentence(tr("Loading…"));
    decoder_->request(path, image_->neededBox(QSize(1024, 1024)));
    Q_EMIT currentChanged(path);
}

void PreviewDialog::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Left:
        go(index_ - 1);
        return;
    case Qt::Key_Right:
        go(index_ + 1);
        return;
    case Qt::Key_Space:
    case Qt::Key_Escape:
        decoder_->cancel();
        close();
        return;
    default:
        QDialog::keyPressEvent(event);
    }
}

} // namespace photosearch
