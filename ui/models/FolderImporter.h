#pragma once
// "Import a model folder…": the user picks a folder (QFileDialog) and it is
// checked to be a CLIP model directory (modelIdForDirectory) on a worker
// thread before it is accepted, so that a folder on a slow disk or a
// gigabyte checkpoint never freezes the window. Shared by the first-run page
// and the model manager.
// Thread rule: GUI thread; the check runs in QThreadPool::globalInstance().
// A check still running when this object goes is finished and dropped.

#include <QObject>
#include <QString>

class QWidget;

namespace photosearch {

class FolderImporter : public QObject {
    Q_OBJECT
public:
    explicit FolderImporter(QObject* parent = nullptr);

    bool isChecking() const { return checking_; }

public Q_SLOTS:
    // Opens a folder dialog over `parent`; checks the chosen folder.
    void choose(QWidget* parent);
    // Checks `dir`; emits accepted or rejected when done. A second call
    // while one runs is ignored (returns at once).
    void check(const QString& dir);

Q_SIGNALS:
    void checking(const QString& dir);
    void accepted(const QString& dir, const QString& modelId);
    // `sentence` names the file that is missing or broken.
    void rejected(const QString& dir, const QString& sentence);

private:
    bool checking_ = false;
};

} // namespace photosearch
