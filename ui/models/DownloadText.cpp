// The models room's words for sizes and progress (DownloadText.h). Sizes
// come from formatBytes (index/models/DownloadMessages.h), the one byte
// formatter, so that the window, its failure sentences and the CLI agree.
// Pure functions; any thread.

#include "DownloadText.h"

#include "DownloadMessages.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <cmath>

namespace photosearch {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("DownloadText", text);
}

} // namespace

QString approxSizeText(qint64 bytes)
{
    if (bytes <= 0)
        return {};
    return tr("about %1").arg(formatBytes(bytes));
}

QString downloadOfferText(const KnownModel& model, qint64 exactBytes, bool resume)
{
    const QString size = exactBytes > 0 ? formatBytes(exactBytes) : approxSizeText(model.approxBytes);
    const QString verb = resume ? tr("Resume download") : tr("Download");
    if (size.isEmpty())
        return QStringLiteral("%1 %2").arg(verb, model.name);
    return QStringLiteral("%1 %2 (%3)").arg(verb, model.name, size);
}

QString downloadEtaText(double seconds)
{
    if (seconds < 0 || !std::isfinite(seconds))
        return {};
    if (seconds < 90)
        return tr("about %1 s left").arg(qMax(1, qRound(seconds)));
    if (seconds < 90 * 60)
        return tr("about %1 min left").arg(qRound(seconds / 60));
    return tr("about %1 h left").arg(QLocale().toString(seconds / 3600, 'f', 1));
}

QString downloadProgressText(const DownloadProgress& p)
{
    QStringList parts;
    if (p.bytesTotal > 0)
        parts << tr("%1 of %2").arg(formatBytes(p.bytesDone), formatBytes(p.bytesTotal));
    else
        parts << formatBytes(p.bytesDone);
    if (p.bytesPerSecond > 0) {
        parts << tr("%1/s").arg(formatBytes(qint64(p.bytesPerSecond)));
        if (p.bytesTotal > p.bytesDone)
            parts << downloadEtaText(double(p.bytesTotal - p.bytesDone) / p.bytesPerSecond);
    }
    return parts.join(QStringLiteral(" · "));
}

QString modelDisplayName(const QString& repo)
{
    const KnownModel* known = findKnownModel(repo);
    return known ? known->name : repo;
}

} // namespace photosearch
