#pragma once
// The detail pane beside the grid: the selected photo large, its file name,
// date, camera and lens, place, size, the text read in it (PhotoTextView),
// and its tags with scores (each can be removed or confirmed), with Find
// Similar / Open / Show in Folder. An empty state when nothing is selected.
//
// The facts and tags come from PhotoDetails (its own thread and catalog
// connection), the image from an PreviewDecoder at the pane's size ×
// devicePixelRatio: the GUI thread never waits on the disk. What is shown
// follows the palette (no colours of its own), so light and dark themes
// and their changes need nothing here.
//
// Thread rule: GUI thread only.

#include "PhotoInfo.h"

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace photosearch {

class ElidedLabel;
class PreviewDecoder;
class ImageView;
class PhotoDetails;
class PhotoTextView;
class TagList;

class PhotoDetailPane : public QWidget {
    Q_OBJECT
public:
    explicit PhotoDetailPane(const QString& libraryDir, QWidget* parent = nullptr);
    ~PhotoDetailPane() override;

    // Shows `path` (absolute, as the results list it); an empty path clears.
    void setPhoto(const QString& path);
    void clear();
    // Reads the shown photo's facts again (the text pass or a tag run
    // changed them); the image stays.
    void reload();
    const QString& photo() const { return path_; }
    // The model whose tags are shown; empty (the default): the library's.
    void setModelId(const QString& modelId);

Q_SIGNALS:
    void findSimilarRequested(const QString& path);
    void openRequested(const QString& path);
    void showInFolderRequested(const QString& path);
    // A verdict on one of the photo's tags was stored (tag albums change).
    void tagsChanged(const QString& path);
    // The facts of `path` are on screen (or the sentence why they are not).
    void detailsShown(const QString& path);
    // The large image of `path` is on screen (or the sentence why it is not).
    void imageShown(const QString& path);

private:
    QWidget* makeDetails();
    QWidget* makeButtons();
    void showInfo(const PhotoInfo& info);
    void showFailure(const QString& path, const QString& sentence);
    // `error` is the decoder's sentence when `image` is null.
    void onDecoded(const QString& path, const QImage& image, QSize box, const QString& error);
    void requestImage();

    PhotoDetails* details_;
    PreviewDecoder* decoder_;
    QString path_;
    QString modelId_;
    QStackedWidget* pages_;
    ImageView* image_;
    ElidedLabel* name_;
    QLabel* message_;
    QLabel* date_;
    QLabel* camera_;
    QLabel* place_;
    QLabel* size_;
    QLabel* tagsTitle_;
    PhotoTextView* writtenText_;
    TagList* tags_;
};

} // namespace photosearch
