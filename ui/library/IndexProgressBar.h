#pragma once
// The status bar's index-run widget (RunProgressBar): what is happening
// (done/total, photos/s, ETA), a progress bar, Pause/Resume and Cancel.
// Object names: "indexProgress", "pauseIndexing", "cancelIndexing".

#include "IndexTypes.h"
#include "RunProgressBar.h"

namespace photosearch {

class IndexProgressBar : public RunProgressBar {
    Q_OBJECT
public:
    explicit IndexProgressBar(QWidget* parent = nullptr);

    void start(const QString& folder);
    void setProgress(const IndexProgress& progress);
    void setStatus(const QString& text) { showText(text); }
};

} // namespace photosearch
