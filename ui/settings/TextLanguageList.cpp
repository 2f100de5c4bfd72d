// The OCR language list; see TextLanguageList.h.

#include "TextLanguageList.h"

#include <QLocale>
#include <QSignalBlocker>

namespace photosearch {

TextLanguageList::TextLanguageList(const QStringList& installed, const QString& chosen, QWidget* parent)
    : QListWidget(parent)
    , chosen_(chosen.split(QLatin1Char('+'), Qt::SkipEmptyParts))
{
    setObjectName(QStringLiteral("textLanguages"));
    setAccessibleName(tr("Languages of the text in photos"));
    QStringList packs = installed;
    for (const QString& pack : chosen_) {
        if (!packs.contains(pack))
            packs << pack;
    }
    for (const QString& pack : packs) {
        const QString name = installed.contains(pack) ? displayName(pack)
                                                      : tr("%1 — not installed").arg(displayName(pack));
        auto* item = new QListWidgetItem(name, this);
        item->setData(Qt::UserRole, pack);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(chosen_.contains(pack) ? Qt::Checked : Qt::Unchecked);
    }
    // A few rows tall: most people have one or two packs.
    const int rows = qBound(1, count(), 5);
    setFixedHeight(rows * qMax(sizeHintForRow(0), fontMetrics().height()) + 2 * frameWidth() + 2);
    connect(this, &QListWidget::itemChanged, this, &TextLanguageList::keepOneChecked);
}

QString TextLanguageList::displayName(const QString& pack)
{
    const QString code = pack.section(QLatin1Char('_'), 0, 0);
    const QLocale::Language language = QLocale::codeToLanguage(code, QLocale::ISO639Part2);
    if (language == QLocale::AnyLanguage || language == QLocale::C)
        return pack;
    return QStringLiteral("%1 (%2)").arg(QLocale::languageToString(language), pack);
}

QString TextLanguageList::languages() const
{
    QStringList checked;
    for (int i = 0; i < count(); ++i) {
        if (item(i)->checkState() == Qt::Checked)
            checked << item(i)->data(Qt::UserRole).toString();
    }
    QStringList ordered;
    for (const QString& pack : chosen_) {
        if (checked.contains(pack))
            ordered << pack;
    }
    for (const QString& pack : checked) {
        if (!ordered.contains(pack))
            ordered << pack;
    }
    return ordered.isEmpty() ? chosen_.join(QLatin1Char('+')) : ordered.join(QLatin1Char('+'));
}

void TextLanguageList::keepOneChecked(QListWidgetItem* changed)
{
    for (int i = 0; i < count(); ++i) {
        if (item(i)->checkState() == Qt::Checked)
            return;
    }
    // Text cannot be read in no language: the last one stays.
    const QSignalBlocker block(this);
    changed->setCheckState(Qt::Checked);
}

} // namespace photosearch
