#pragma once
// The window icon, painted with QPainter at each size asked for: the same
// picture as resources/icons/photosearch.svg (which the desktop file
// installs), without needing Qt's SVG plugin at run time.
// GUI thread only (QPixmap).

#include <QIcon>

namespace photosearch {

QIcon appIcon();

} // namespace photosearch
