#pragma once
// What an empty library shows once a model is there: one click adds the
// user's Pictures folder (QStandardPaths::PicturesLocation), another picks
// any folder. Indexing then starts and search answers while it runs.
// GUI thread only; checks only whether the Pictures folder exists (a stat).

#include <QWidget>

class QLabel;
class QPushButton;

namespace photosearch {

class AddFoldersPage : public QWidget {
    Q_OBJECT
public:
    explicit AddFoldersPage(QWidget* parent = nullptr);

    // The Pictures folder offered, or empty when the system has none.
    QString picturesFolder() const { return pictures_; }

Q_SIGNALS:
    void folderChosen(const QString& folder);

private:
    void chooseOther();

    QString pictures_;
    QPushButton* addPictures_ = nullptr;
};

} // namespace photosearch
