#pragma once
// A photo's tags in the detail pane: one row per tag with its score, a mark
// on the ones a person confirmed, Remove (×) on each and Confirm (✓) on the
// unconfirmed ones. Each row's objectName is "tag:<name>", its buttons'
// "remove" and "confirm" (tests and accessibility tools find them so).
//
// Thread rule: GUI thread only.

#include "PhotoInfo.h"

#include <QWidget>

#include <vector>

class QVBoxLayout;
class QLabel;

namespace photosearch {

class TagList : public QWidget {
    Q_OBJECT
public:
    explicit TagList(QWidget* parent = nullptr);

    void setTags(const std::vector<PhotoInfoTag>& tags);
    // While a verdict is being stored, its row is greyed out.
    void setBusy(const QString& tag);

Q_SIGNALS:
    void confirmRequested(const QString& tag);
    void removeRequested(const QString& tag);

private:
    QWidget* makeRow(const PhotoInfoTag& tag);

    QVBoxLayout* rows_;
    QLabel* none_;
};

} // namespace photosearch
