// The sidebar room's shared words; see SidebarText.h. Pure functions, any thread.

#include "SidebarText.h"

#include <QCoreApplication>

namespace photosearch {

QString photosText(qint64 n)
{
    return n == 1 ? QCoreApplication::translate("photosearch::SidebarText", "1 photo")
                  : QCoreApplication::translate("photosearch::SidebarText", "%1 photos").arg(n);
}

} // namespace photosearch
