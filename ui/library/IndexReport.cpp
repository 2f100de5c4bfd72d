#include "IndexReport.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <cmath>

namespace photosearch {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("IndexReport", text);
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

QString etaText(double seconds)
{
    if (seconds < 0 || !std::isfinite(seconds))
        return {};
    if (seconds < 60)
        return tr("less than a minute left");
    if (seconds < 90 * 60)
        return tr("about %1 min left").arg(qRound(seconds / 60));
    return tr("about %1 h left").arg(QLocale().toString(seconds / 3600, 'f', 1));
}

QString indexProgressText(const IndexProgress& p)
{
    switch (p.phase) {
    case IndexProgress::Phase::Scanning:
        return tr("Looking for photos… %1 found").arg(number(p.done));
    case IndexProgress::Phase::Indexing: {
        QStringList parts{tr("Indexing %1 of %2 photos").arg(number(p.done), number(p.total))};
        if (p.photosPerSecond > 0)
            parts << tr("%1 photos/s").arg(QLocale().toString(p.photosPerSecond, 'f', 1));
        const QString eta = etaText(p.etaSeconds);
        if (!eta.isEmpty())
            parts << eta;
        return parts.join(QStringLiteral(" · "));
    }
    case IndexProgress::Phase::Finishing:
        return tr("Saving the index…");
    }
    return {};
}

QString indexSummarySentence(const IndexSummary& s)
{
    QStringList parts;
    if (s.added > 0)
        parts << tr("%1 added").arg(number(s.added));
    if (s.updated > 0)
        parts << tr("%1 updated").arg(number(s.updated));
    if (s.removed > 0)
        parts << tr("%1 removed").arg(number(s.removed));
    if (s.unchanged > 0 && !s.cancelled)
        parts << tr("%1 unchanged").arg(number(s.unchanged));
    if (s.failed > 0)
        parts << tr("%1 could not be read — see File ▸ Library Statistics").arg(number(s.failed));
    if (!s.unreadableFolders.isEmpty())
        parts << tr("%1 folders could not be read and were left as they were")
                     .arg(number(s.unreadableFolders.size()));
    const QString detail = parts.isEmpty() ? tr("nothing changed") : parts.join(QStringLiteral(", "));

    // One sentence, whatever happened.
    if (s.cancelled)
        return tr("Indexing was cancelled (%1); what was indexed stays — add the folder again to finish.")
                       .arg(detail);
    if (s.scanned == 0 && !s.missingRoots.isEmpty())
        return tr("No photos were indexed: %1 cannot be read or holds no photos.")
                       .arg(s.missingRoots.join(QStringLiteral(", ")));
    return tr("Indexed %1 photos: %2.").arg(number(s.scanned), detail);
}

} // namespace photosearch
