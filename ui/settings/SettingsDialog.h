#pragma once
// Edit ▸ Settings: library location, model (through the model manager),
// device (automatic / CPU / GPU), threads, folder watching, shared
// thumbnails, the text in photos (language packs, every photo or not). OK saves AppSettings and emits settingsChanged(); a new
// library location takes effect at the next start (the window says so).
// GUI thread only; touches QSettings only.

#include "AppSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace photosearch {

class TextLanguageList;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const QString& currentLibrary, const QString& currentModel, QWidget* parent = nullptr);

    AppSettings settings() const;

Q_SIGNALS:
    void settingsChanged(const photosearch::AppSettings& settings, bool libraryMoved);
    void manageModelsRequested();

private:
    void chooseLibrary();
    void addTextRows(QFormLayout* form, const AppSettings& s);
    void accept() override;

    QString currentLibrary_;
    QLineEdit* library_ = nullptr;
    QLabel* libraryNote_ = nullptr;
    QComboBox* device_ = nullptr;
    QSpinBox* threads_ = nullptr;
    QCheckBox* watch_ = nullptr;
    QCheckBox* share_ = nullptr;
    TextLanguageList* textLanguages_ = nullptr;
    QCheckBox* readEveryPhoto_ = nullptr;
};

} // namespace photosearch
