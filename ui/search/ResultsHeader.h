#pragma once
// The line above the grid that says what the grid shows and how it was cut:
// "23 good matches for “red car” · Show all 200", what the query was
// understood as ("red car, taken in March 2025"), and the order (best first
// or newest first). "Show all" asks for the same search without the
// relevance cut; the order box asks for the other order.
// GUI thread only.

#include "LibraryTypes.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace photosearch {

class ResultsHeader : public QWidget {
    Q_OBJECT
public:
    explicit ResultsHeader(QWidget* parent = nullptr);

    // A search's results (text, image or similar).
    void showSearch(const SearchResults& results);
    // Anything else the grid shows (an album, a folder, duplicates).
    void showCollection(const QString& sentence);
    void clear();

    SortOrder sortOrder() const;
    void setSortOrder(SortOrder order);
    QString text() const;

    // "23 good matches for “red car”" and the like: also used by the status bar.
    static QString summary(const SearchResults& results);

Q_SIGNALS:
    void showAllRequested();
    void sortOrderChanged(photosearch::SortOrder order);

private:
    QLabel* sentence_ = nullptr;
    QLabel* understood_ = nullptr;
    QComboBox* sort_ = nullptr;
};

} // namespace photosearch
