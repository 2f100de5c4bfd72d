#pragma once
// A label showing one decoded photo as large as it fits, sharp on high-DPI
// screens (the pixmap is made at the label's size × devicePixelRatio and
// tagged with that ratio), or a sentence in its place (loading, failed).
//
// Resizing rescales the image already decoded; it is never decoded here.
// When the label grows well past what the decoded image covers,
// largerImageWanted() asks the owner (once the resizing settles) to decode
// it again at neededBox().
//
// Thread rule: GUI thread only.

#include <QImage>
#include <QLabel>
#include <QSize>
#include <QTimer>

namespace photosearch {

class ImageView : public QLabel {
    Q_OBJECT
public:
    explicit ImageView(QWidget* parent = nullptr);

    // `image` was decoded to fit `box` (device pixels).
    void setImage(const QImage& image, QSize box);
    // Drops the image and shows `sentence` instead.
    void showSentence(const QString& sentence);
    bool hasImage() const { return !source_.isNull(); }
    // Asks the layout for the height the photo needs at the given width (its
    // aspect ratio; 4:3 before it arrives), so that a pane puts its text
    // right under the photo. Off: the view takes whatever room it is given.
    void setHugsImage(bool hugs);
    bool hasHeightForWidth() const override { return hugs_; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The device pixels the image should be decoded to fit now (at least
    // `minimum` per side, so that a not yet laid out label asks for a usable
    // image).
    QSize neededBox(QSize minimum = QSize(480, 480)) const;

Q_SIGNALS:
    void largerImageWanted();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rescale();
    bool coversNeed() const;

    QImage source_;
    QSize decodedBox_;
    QTimer settle_;
    bool hugs_ = false; // a resize drag ends before a new decode starts
};

} // namespace photosearch
