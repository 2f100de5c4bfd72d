// The Settings dialog (see SettingsDialog.h): fills the form from
// AppSettings::load() and, on OK, saves and emits settingsChanged (saying
// whether the library moved). Thread rule: GUI thread only; touches QSettings
// and a folder chooser, never the library itself.

#include "SettingsDialog.h"

#include "TextLanguageList.h"
#include "TextRecognizer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

namespace photosearch {

SettingsDialog::SettingsDialog(const QString& currentLibrary, const QString& currentModel, QWidget* parent)
    : QDialog(parent)
    , currentLibrary_(currentLibrary)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    const AppSettings s = AppSettings::load();
    auto* form = new QFormLayout;

    library_ = new QLineEdit(QDir::toNativeSeparators(currentLibrary), this);
    library_->setObjectName(QStringLiteral("libraryLocation"));
    auto* browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::chooseLibrary);
    auto* libraryRow = new QHBoxLayout;
    libraryRow->addWidget(library_, 1);
    libraryRow->addWidget(browse);
    form->addRow(tr("&Library:"), libraryRow);
    libraryNote_ = new QLabel(tr("The catalog of your photos lives here; the photos stay where they are. "
                                 "A new location is used from the next start."),
                              this);
    libraryNote_->setWordWrap(true);
    libraryNote_->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), libraryNote_);

    auto* model = new QLabel(currentModel.isEmpty() ? tr("none yet") : QDir::toNativeSeparators(currentModel), this);
    model->setTextInteractionFlags(Qt::TextSelectableByMouse);
    model->setWordWrap(true);
    auto* manage = new QPushButton(tr("Manage Models…"), this);
    manage->setObjectName(QStringLiteral("manageModels"));
    connect(manage, &QPushButton::clicked, this, &SettingsDialog::manageModelsRequested);
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(model, 1);
    modelRow->addWidget(manage);
    form->addRow(tr("Model:"), modelRow);

    device_ = new QComboBox(this);
    device_->setObjectName(QStringLiteral("computeDevice"));
    device_->addItem(tr("Automatic (GPU when there is one)"), int(AppSettings::Device::Auto));
    device_->addItem(tr("CPU"), int(AppSettings::Device::Cpu));
    device_->addItem(tr("GPU (CUDA)"), int(AppSettings::Device::Gpu));
    device_->setCurrentIndex(device_->findData(int(s.device)));
    form->addRow(tr("&Device:"), device_);

    threads_ = new QSpinBox(this);
    threads_->setObjectName(QStringLiteral("computeThreads"));
    threads_->setRange(0, 256);
    threads_->setSpecialValueText(tr("Automatic (%1)").arg(QThread::idealThreadCount()));
    threads_->setValue(s.threads);
    form->addRow(tr("CPU &threads:"), threads_);

    watch_ = new QCheckBox(tr("Pick up new, changed and deleted photos in added folders"), this);
    watch_->setObjectName(QStringLiteral("watchFolders"));
    watch_->setChecked(s.watchFolders);
    form->addRow(tr("Watch folders:"), watch_);
    share_ = new QCheckBox(tr("Share thumbnails with the file manager (~/.cache/thumbnails)"), this);
    share_->setObjectName(QStringLiteral("shareThumbnails"));
    share_->setChecked(s.shareThumbnails);
    form->addRow(tr("Thumbnails:"), share_);
    addTextRows(form, s);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

void SettingsDialog::addTextRows(QFormLayout* form, const AppSettings& s)
{
    // A directory listing of the tessdata folder: small, so read here.
    const QStringList installed = TextRecognizer::installedLanguages();
    textLanguages_ = new TextLanguageList(installed, s.textLanguages, this);
    form->addRow(tr("Text &languages:"), textLanguages_);
    if (installed.isEmpty()) {
        auto* note = new QLabel(tr("No Tesseract language pack is installed; install one (e.g. "
                                   "apt install tesseract-ocr-eng) to read text in photos."),
                                this);
        note->setWordWrap(true);
        note->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(QString(), note);
    }
    readEveryPhoto_ = new QCheckBox(tr("Read text in every photo"), this);
    readEveryPhoto_->setObjectName(QStringLiteral("readTextInEveryPhoto"));
    readEveryPhoto_->setToolTip(tr("Slower: by default only photos that look like documents, signs, "
                                   "screenshots and the like are read."));
    readEveryPhoto_->setChecked(s.readTextInEveryPhoto);
    form->addRow(tr("Text in photos:"), readEveryPhoto_);
}

void SettingsDialog::chooseLibrary()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose the Library Folder"), library_->text());
    if (!dir.isEmpty())
        library_->setText(QDir::toNativeSeparators(dir));
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s = AppSettings::load();
    const QString typed = QDir::cleanPath(QDir::fromNativeSeparators(library_->text().trimmed()));
    s.libraryDir = typed == QDir::cleanPath(currentLibrary_) ? s.libraryDir : typed;
    s.device = AppSettings::Device(device_->currentData().toInt());
    s.threads = threads_->value();
    s.watchFolders = watch_->isChecked();
    s.shareThumbnails = share_->isChecked();
    s.textLanguages = textLanguages_->languages();
    s.readTextInEveryPhoto = readEveryPhoto_->isChecked();
    return s;
}

void SettingsDialog::accept()
{
    const AppSettings s = settings();
    const bool moved = !s.libraryDir.isEmpty() && QDir::cleanPath(s.libraryDir) != QDir::cleanPath(currentLibrary_);
    s.save();
    Q_EMIT settingsChanged(s, moved);
    QDialog::accept();
}

} // namespace photosearch
