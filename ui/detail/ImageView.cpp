// A photo scaled to fit, sharp on high-DPI screens; see ImageView.h.

#include "ImageView.h"

#include <QPixmap>
#include <QResizeEvent>

#include <algorithm>

namespace photosearch {

ImageView::ImageView(QWidget* parent)
    : QLabel(parent)
{
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    // The pixmap follows the label's size, never the reverse.
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    setMinimumSize(64, 64);
    settle_.setSingleShot(true);
    settle_.setInterval(200);
    connect(&settle_, &QTimer::timeout, this, [this] {
        if (hasImage() && !coversNeed())
            Q_EMIT largerImageWanted();
    });
}

void ImageView::setImage(const QImage& image, QSize box)
{
    source_ = image;
    decodedBox_ = box;
    if (hugs_)
        updateGeometry(); // the aspect ratio may have changed
    rescale();
}

void ImageView::setHugsImage(bool hugs)
{
    hugs_ = hugs;
    QSizePolicy policy(QSizePolicy::Ignored, hugs ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    policy.setHeightForWidth(hugs);
    setSizePolicy(policy);
    updateGeometry();
}

int ImageView::heightForWidth(int width) const
{
    if (!hugs_)
        return -1;
    const QMargins m = contentsMargins();
    const int inner = width - m.left() - m.right();
    const double aspect = source_.isNull() ? 0.75 : double(source_.height()) / source_.width();
    return int(inner * aspect + 0.5) + m.top() + m.bottom();
}

QSize ImageView::sizeHint() const
{
    const int width = std::max(this->width(), 240);
    return hugs_ ? QSize(width, heightForWidth(width)) : QSize(width, width * 3 / 4);
}

QSize ImageView::minimumSizeHint() const
{
    // Never the pixmap's size: the pixmap follows the view, not the reverse.
    return QSize(64, 64);
}

void ImageView::showSentence(const QString& sentence)
{
    source_ = QImage();
    decodedBox_ = QSize();
    settle_.stop();
    setPixmap(QPixmap());
    setText(sentence);
}

QSize ImageView::neededBox(QSize minimum) const
{
    const qreal ratio = devicePixelRatioF();
    const QSize logical = contentsRect().size();
    return QSize(std::max(minimum.width(), int(logical.width() * ratio + 0.5)),
                 std::max(minimum.height(), int(logical.height() * ratio + 0.5)));
}

bool ImageView::coversNeed() const
{
    // An image smaller than the box it was decoded for is the whole photo:
    // decoding again would not make it larger.
    const bool wholePhoto = source_.width() < decodedBox_.width() - 1 && source_.height() < decodedBox_.height() - 1;
    if (wholePhoto)
        return true;
    const QSize need = neededBox(QSize(1, 1));
    // 10% slack: a small growth is not worth a decode.
    return need.width() <= decodedBox_.width() * 1.1 && need.height() <= decodedBox_.height() * 1.1;
}

void ImageView::rescale()
{
    if (source_.isNull())
        return;
    const qreal ratio = devicePixelRatioF();
    const QSize target = source_.size().scaled(contentsRect().size() * ratio, Qt::KeepAspectRatio);
    if (target.isEmpty())
        return;
    // Never enlarged past the decoded pixels beyond the label's need: a small
    // photo is shown at its size, not blown up.
    const QSize size = target.width() > source_.width() ? source_.size() : target;
    QPixmap pixmap = QPixmap::fromImage(size == source_.size()
                                            ? source_
                                            : source_.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    pixmap.setDevicePixelRatio(ratio);
    setPixmap(pixmap);
}

void ImageView::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    rescale();
    if (hasImage() && !coversNeed())
        settle_.start();
}

} // namespace photosearch
