// The text pass's sentences; see TextReport.h.

#include "TextReport.h"

#include "IndexReport.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QStringList>

namespace photosearch {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("TextReport", text);
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

QString textProgressText(const TextPassProgress& p, double etaSeconds)
{
    if (p.total <= 0)
        return tr("Looking for photos with text…");
    QStringList parts{tr("Reading text in photos: %1 of %2").arg(number(p.done), number(p.total))};
    if (!p.currentPath.isEmpty())
        parts << QFileInfo(p.currentPath).fileName();
    const QString eta = etaText(etaSeconds);
    if (!eta.isEmpty())
        parts << eta;
    return parts.join(QStringLiteral(" · "));
}

QString textSummarySentence(const TextPassSummary& s)
{
    QStringList parts;
    if (s.read > 0)
        parts << tr("read %1 photos (%2 hold text)").arg(number(s.read), number(s.withText));
    if (s.skipped > 0)
        parts << tr("left out %1 that did not look like they hold text").arg(number(s.skipped));
    if (s.failed > 0)
        parts << tr("%1 could not be read").arg(number(s.failed));
    if (s.cancelled)
        return parts.isEmpty() ? tr("Reading text in photos was cancelled; nothing was read yet.")
                               : tr("Reading text in photos was cancelled (%1); what was read stays.")
                                     .arg(parts.join(QStringLiteral(", ")));
    if (s.examined == 0)
        return tr("Text in photos: every photo is up to date.");
    return tr("Text in photos: %1.").arg(parts.isEmpty() ? tr("nothing new") : parts.join(QStringLiteral(", ")));
}

} // namespace photosearch
