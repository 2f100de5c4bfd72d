#pragma once
// The main window. Search and the photo grid arrive with the library; for
// now it shows where the library is and says what is not there yet.

#include <QMainWindow>

class QLineEdit;
class QLabel;

namespace photosearch {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString& libraryDir, QWidget* parent = nullptr);

private:
    void showAbout();

    QString libraryDir_;
    QLineEdit* search_ = nullptr;
    QLabel* placeholder_ = nullptr;
};

} // namespace photosearch
