// The words for a photo's facts; see PhotoInfoText.h.

#include "PhotoInfoText.h"

#include "PhotoInfo.h"

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace photosearch {

QString formatLabel(const QString& catalogFormat)
{
    const QString f = catalogFormat.toLower();
    // HEIF photos are what phones call HEIC; people know that name.
    if (f == QLatin1String("heif"))
        return QStringLiteral("HEIC");
    if (f == QLatin1String("webp"))
        return QStringLiteral("WebP");
    return f.toUpper();
}

QString dateText(const QDateTime& time)
{
    if (!time.isValid())
        return {};
    const QLocale locale;
    return locale.toString(time.date(), QLocale::LongFormat) + QStringLiteral(", ")
        + locale.toString(time.time(), QLocale::ShortFormat);
}

QString placeText(double latitude, double longitude)
{
    const QLocale locale;
    const auto coordinate = [&locale](double value, QChar positive, QChar negative) {
        return locale.toString(std::fabs(value), 'f', 4) + QStringLiteral("° ") + (value < 0 ? negative : positive);
    };
    return coordinate(latitude, QLatin1Char('N'), QLatin1Char('S')) + QStringLiteral(", ")
        + coordinate(longitude, QLatin1Char('E'), QLatin1Char('W'));
}

QString sizeLine(const PhotoInfo& info)
{
    QStringList parts;
    if (info.width > 0 && info.height > 0)
        parts << QStringLiteral("%1 × %2").arg(info.width).arg(info.height);
    if (info.fileSize > 0)
        parts << QLocale().formattedDataSize(info.fileSize, 1, QLocale::DataSizeSIFormat);
    if (!info.format.isEmpty())
        parts << formatLabel(info.format);
    return parts.join(QStringLiteral(" · "));
}

QString cameraLine(const PhotoInfo& info)
{
    QStringList parts;
    if (!info.camera.isEmpty())
        parts << info.camera;
    if (!info.lens.isEmpty())
        parts << info.lens;
    return parts.join(QStringLiteral(" · "));
}

QString scoreText(const std::optional<double>& score)
{
    return score ? QLocale().toString(*score, 'f', 1) : QString();
}

} // namespace photosearch
