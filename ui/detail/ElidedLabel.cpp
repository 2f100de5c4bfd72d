// A label shortened in the middle to its width; see ElidedLabel.h.

#include "ElidedLabel.h"

#include <QEvent>

namespace photosearch {

ElidedLabel::ElidedLabel(QWidget* parent)
    : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
}

void ElidedLabel::setFullText(const QString& text)
{
    full_ = text;
    elide();
}

void ElidedLabel::elide()
{
    setText(fontMetrics().elidedText(full_, Qt::ElideMiddle, contentsRect().width()));
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::changeEvent(QEvent* event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        elide();
}

} // namespace photosearch
