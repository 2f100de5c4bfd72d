#include "DownloadText.h"

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

QString modelSizeText(qint64 bytes)
{
    // One decimal only where it says something: "1.7 GB", "8.4 MB", "605 MB".
    double value = double(bytes);
    while (value >= 1000)
        value /= 1000;
    const int precision = value < 10 && bytes >= 1000 ? 1 : 0;
    return QLocale().formattedDataSize(bytes, precision, QLocale::DataSizeSIFormat);
}

QString approxSizeText(qint64 bytes)
{
    if (bytes <= 0)
        return {};
    return tr("about %1").arg(modelSizeText(bytes));
}

QString downloadOfferText(const KnownModel& model, qint64 exactBytes, bool resume)
{
    const QString size = exactBytes > 0 ? modelSizeText(exactBytes) : approxSizeText(model.approxBytes);
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
        parts << tr("%1 of %2").arg(modelSizeText(p.bytesDone), modelSizeText(p.bytesTotal));
    else
        parts << modelSizeText(p.bytesDone);
    if (p.bytesPerSecond > 0) {
        parts << tr("%1/s").arg(modelSizeText(qint64(p.bytesPerSecond)));
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
