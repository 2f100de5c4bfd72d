#pragma once
// The large preview (Space on the grid): one photo as large as the screen
// allows, decoded off the GUI thread; Left/Right step through the list it
// was given, Space or Esc closes it. The caption names the photo and its
// place in the list.
//
// Thread rule: GUI thread only.

#include <QDialog>
#include <QStringList>

namespace photosearch {

class ElidedLabel;
class PreviewDecoder;
class ImageView;

class PreviewDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreviewDialog(QWidget* parent = nullptr);
    ~PreviewDialog() override;

    // Shows paths[index], sized to fit the screen of the parent window.
    void showPreview(const QStringList& paths, int index);
    int currentIndex() const { return index_; }
    QString currentPath() const { return paths_.value(index_); }

Q_SIGNALS:
    // Left/Right moved to another photo (the grid may follow).
    void currentChanged(const QString& path);
    // The image of `path` is on screen (or the sentence why it is not).
    void imageShown(const QString& path);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void go(int index);
    void fitToScreen();

    PreviewDecoder* decoder_;
    ImageView* image_;
    ElidedLabel* caption_;
    QStringList paths_;
    int index_ = -1;
};

} // namespace photosearch
