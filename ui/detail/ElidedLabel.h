#pragma once
// A one-line label that shortens its text in the middle ("IMG_20…_0042.jpg")
// to the width it is given, instead of widening its window; the whole text
// stays selectable through fullText() and shows as the tooltip.
//
// Thread rule: GUI thread only.

#include <QLabel>

namespace photosearch {

class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    const QString& fullText() const { return full_; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void elide();

    QString full_;
};

} // namespace photosearch
