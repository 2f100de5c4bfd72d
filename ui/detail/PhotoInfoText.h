#pragma once
// The words the detail pane and the preview use for a photo's facts
// ("Saturday 14 March 2026, 16:02", "48.8584° N, 2.2945° E",
// "4032 × 3024 · 3.1 MB · JPEG"), in one place so that both say the same.
//
// Thread rule: pure functions; any thread (they use the default QLocale).

#include <QDateTime>
#include <QString>

#include <optional>

namespace photosearch {

struct PhotoInfo;

// "JPEG", "PNG", "HEIC", "AVIF", "WebP", ... for a catalog format name
// ("jpeg", "heif", ...); the name upper-cased when unknown to this list.
QString formatLabel(const QString& catalogFormat);

// The day and the minute in the user's locale; empty for an invalid time.
QString dateText(const QDateTime& time);

// "48.8584° N, 2.2945° E".
QString placeText(double latitude, double longitude);

// "4032 × 3024 · 3.1 MB · JPEG", leaving out what is unknown.
QString sizeLine(const PhotoInfo& info);

// "Canon EOS R5 · RF 24-105mm F4 L" (either part may be missing).
QString cameraLine(const PhotoInfo& info);

// "0.82" style score of a tag, or empty when it has none.
QString scoreText(const std::optional<double>& score);

} // namespace photosearch
