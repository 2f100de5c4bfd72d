#pragma once
// The detail pane's "Text in photo" section: the text the text pass read in
// the photo, in a read-only box that can be selected and copied (keyboard,
// mouse, the Copy button), or, when there is none, one greyed line that says
// why: not read yet, none found, left out by the selection, or failed.
// Object names for tests and accessibility tools: "writtenText" (the box),
// "writtenTextState" (the line), "copyWrittenText" (the button).
//
// Thread rule: GUI thread only.

#include "PhotoInfo.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace photosearch {

class PhotoTextView : public QWidget {
    Q_OBJECT
public:
    explicit PhotoTextView(QWidget* parent = nullptr);

    void setWrittenText(const PhotoWrittenText& text);
    // Nothing known yet (a photo is loading, or its details failed).
    void clear();

    // The line shown instead of the box, for a state without text.
    static QString stateSentence(const PhotoWrittenText& text);

private:
    QLabel* title_;
    QLabel* state_;
    QPlainTextEdit* box_;
    QToolButton* copy_;
};

} // namespace photosearch
