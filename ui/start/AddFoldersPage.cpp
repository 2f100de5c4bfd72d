// The empty library's page (see AddFoldersPage.h): "Add My Pictures (…)"
// when the Pictures folder exists, and a folder chooser either way.
// Thread rule: GUI thread only; one stat of the Pictures folder when built.

#include "AddFoldersPage.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace photosearch {

AddFoldersPage::AddFoldersPage(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("addFoldersPage"));
    const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (!pictures.isEmpty() && QFileInfo(pictures).isDir())
        pictures_ = QDir::cleanPath(pictures);

    auto* title = new QLabel(tr("Which photos should PhotoSearch look through?"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    auto* sentence = new QLabel(tr("Add a folder: its photos are indexed on this computer, and you can search "
                                   "while that runs. New photos in it are picked up by themselves."),
                                this);
    sentence->setWordWrap(true);
    sentence->setAlignment(Qt::AlignCenter);

    addPictures_ = new QPushButton(this);
    addPictures_->setObjectName(QStringLiteral("addPicturesFolder"));
    addPictures_->setDefault(true);
    addPictures_->setMinimumHeight(addPictures_->sizeHint().height() * 3 / 2);
    if (pictures_.isEmpty()) {
        addPictures_->hide();
    } else {
        addPictures_->setText(tr("Add My Pictures (%1)").arg(QDir::toNativeSeparators(pictures_)));
        connect(addPictures_, &QPushButton::clicked, this, [this] { Q_EMIT folderChosen(pictures_); });
    }
    auto* other = new QPushButton(pictures_.isEmpty() ? tr("Add a Folder…") : tr("Add Another Folder…"), this);
    other->setObjectName(QStringLiteral("addOtherFolder"));
    connect(other, &QPushButton::clicked, this, &AddFoldersPage::chooseOther);

    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(sentence);
    column->addSpacing(16);
    column->addWidget(addPictures_);
    column->addWidget(other);
    auto* box = new QWidget(this);
    box->setLayout(column);
    box->setMaximumWidth(560);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(box, 0, Qt::AlignHCenter);
    layout->addStretch(2);
}

void AddFoldersPage::chooseOther()
{
    const QString start = pictures_.isEmpty() ? QDir::homePath() : pictures_;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Folder to Library"), start);
    if (!folder.isEmpty())
        Q_EMIT folderChosen(QDir::cleanPath(folder));
}

} // namespace photosearch
