// The album questions (see AlbumPrompts.h): QInputDialog / QMessageBox
// wrappers that trim and check the answer. Thread rule: GUI thread (modal
// dialogs); nothing here touches the library.

#include "AlbumPrompts.h"

#include <QCoreApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

namespace photosearch {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("AlbumPrompts", text);
}

} // namespace

std::optional<QString> askNewAlbumName(QWidget* parent, AlbumKind kind)
{
    const bool fewShot = kind == AlbumKind::FewShot;
    bool ok = false;
    const QString name = QInputDialog::getText(
        parent, fewShot ? tr("New Few-Shot Album") : tr("New Album"),
        fewShot ? tr("Name of the album (it learns from the photos you mark as belonging or not):")
                : tr("Name of the album:"),
        QLineEdit::Normal, QString(), &ok).trimmed();
    if (!ok || name.isEmpty())
        return std::nullopt;
    return name;
}

std::optional<QString> askAlbumRename(QWidget* parent, const QString& name)
{
    bool ok = false;
    const QString newName = QInputDialog::getText(parent, tr("Rename Album"), tr("New name of “%1”:").arg(name),
                                                  QLineEdit::Normal, name, &ok).trimmed();
    if (!ok || newName.isEmpty() || newName == name)
        return std::nullopt;
    return newName;
}

bool confirmAlbumDelete(QWidget* parent, const QString& name, AlbumKind kind)
{
    const QString what = kind == AlbumKind::FewShot ? tr("Delete the few-shot album “%1” and the photos marked for it?")
                                                    : tr("Delete the album “%1”?");
    QMessageBox box(QMessageBox::Question, tr("Delete Album"), what.arg(name), QMessageBox::Cancel, parent);
    box.setInformativeText(tr("Only the album goes: its photos stay in your library, and no file is ever deleted."));
    QPushButton* remove = box.addButton(tr("Delete Album"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == remove;
}

QString menuText(const QString& name)
{
    return QString(name).replace(QLatin1Char('&'), QStringLiteral("&&"));
}

} // namespace photosearch
