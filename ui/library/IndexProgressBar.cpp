#include "IndexProgressBar.h"

#include "IndexReport.h"

#include <QDir>

namespace photosearch {

IndexProgressBar::IndexProgressBar(QWidget* parent)
    : RunProgressBar({QStringLiteral("indexProgress"), QStringLiteral("pauseIndexing"), QStringLiteral("cancelIndexing"),
                      tr("Pause indexing"), tr("Go on indexing"), tr("Stop indexing; what was indexed so far stays.")},
                     180, parent)
{
}

void IndexProgressBar::start(const QString& folder)
{
    restart(tr("Preparing to index %1…").arg(QDir::toNativeSeparators(folder)));
}

void IndexProgressBar::setProgress(const IndexProgress& p)
{
    setBar(p.done, p.phase == IndexProgress::Phase::Indexing ? p.total : 0);
    showText(indexProgressText(p));
}

} // namespace photosearch
