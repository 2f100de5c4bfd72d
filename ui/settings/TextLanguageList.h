#pragma once
// The Settings dialog's list of OCR language packs: one checkable row per
// installed Tesseract pack ("English (eng)"), the chosen ones checked. A
// chosen pack that is no longer installed stays listed, marked so, so that
// it can be unchecked. At least one stays checked.
//
// Thread rule: GUI thread only.

#include <QListWidget>
#include <QStringList>

namespace photosearch {

class TextLanguageList : public QListWidget {
    Q_OBJECT
public:
    // `chosen` in Tesseract's "eng+deu" form.
    TextLanguageList(const QStringList& installed, const QString& chosen, QWidget* parent = nullptr);

    // The checked packs in "eng+deu" form: the ones chosen before keep their
    // order (the first is Tesseract's main language), new ones follow.
    QString languages() const;

    // "English (eng)"; the code alone when Qt does not know it.
    static QString displayName(const QString& pack);

private:
    void keepOneChecked(QListWidgetItem* changed);

    QStringList chosen_;
};

} // namespace photosearch
