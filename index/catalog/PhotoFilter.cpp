#include "PhotoFilter.h"

#include <QDir>
#include <QFileInfo>

namespace photosearch {

// Every path the photos under `folder` may be stored by. Roots are stored
// resolved (canonicalRoots in IndexPlan.h) and what lies below them as
// walked, so each ancestor is tried resolved with the rest as typed: one of
// them is the root the photos were indexed under.
QStringList folderSpellings(const QString& folder)
{
    const QString clean = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    QStringList spellings = {clean};
    QString rest;
    for (QString dir = clean;;) {
        const QString resolved = QFileInfo(dir).canonicalFilePath();
        if (!resolved.isEmpty())
            spellings << (rest.isEmpty() ? resolved : QDir::cleanPath(resolved + QLatin1Char('/') + rest));
        const qsizetype slash = dir.lastIndexOf(QLatin1Char('/'));
        if (slash <= 0)
            break;
        rest = rest.isEmpty() ? dir.mid(slash + 1) : dir.mid(slash + 1) + QLatin1Char('/') + rest;
        dir = dir.left(slash);
    }
    spellings.removeDuplicates();
    return spellings;
}

} // namespace photosearch
