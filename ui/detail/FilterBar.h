#pragma once
// The filter row above the grid: when (Any time, Last 30 days, This year,
// Custom… with From/To dates), which folder (the library's roots, "All
// folders" first) and which formats (a menu of checkable formats; none
// checked = any). "Clear Filters" shows only while something is set.
//
// filterChanged() carries the PhotoFilter the catalog and SearchEngine
// expect: `after` inclusive at 00:00 of From, `before` exclusive at 00:00 of
// the day after To (so "To 14 March" keeps that whole day), folders in every
// spelling folderSpellings() gives, formats as PhotoRecord::format spells
// them ("jpeg", "heif", ...). It is emitted a moment after the last change,
// so that stepping through dates does not start a search per step.
//
// Thread rule: GUI thread only. folderSpellings() resolves symlinks on the
// disk (slow on a network share), so setFolders() works them out once per
// folder list on a pool thread and keeps them; until they arrive a folder is
// filtered by its plain cleaned path, and the filter is sent again with every
// spelling once they do.

#include "PhotoFilter.h"

#include <QDate>
#include <QFutureWatcher>
#include <QHash>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QMenu;
class QPushButton;
class QToolButton;

namespace photosearch {

class FilterBar : public QWidget {
    Q_OBJECT
public:
    enum DateChoice { AnyTime = 0, Last30Days, ThisYear, Custom };

    explicit FilterBar(QWidget* parent = nullptr);

    // The library's roots (absolute). The chosen one stays chosen when it is
    // still among them.
    void setFolders(const QStringList& folders);
    // The formats offered, as the catalog spells them (Catalog::Stats::byFormat
    // keys); the default is every format PhotoSearch reads.
    void setFormats(const QStringList& formats);
    // Chooses Custom with this range (both dates valid, from <= to).
    void setDateRange(const QDate& from, const QDate& to);
    void setDateChoice(DateChoice choice);
    // "All folders" or one of setFolders()'.
    void setFolder(const QString& folder);
    void setFormatChecked(const QString& format, bool checked);

    // What is set now (not waiting for the debounce).
    PhotoFilter filter() const;
    // The day "today" is taken to be (tests pin it); invalid = the current date.
    void setToday(const QDate& today);

public Q_SLOTS:
    void clear();

Q_SIGNALS:
    void filterChanged(const photosearch::PhotoFilter& filter);

private:
    QWidget* makeDates();
    void changed();
    void emitIfChanged();
    void updateFormatButton();
    QDate today() const;
    // Every spelling of `folder` once worked out, else its cleaned path.
    QStringList spellingsOf(const QString& folder) const;
    void spellingsArrived();

    QComboBox* when_;
    QDateEdit* from_;
    QDateEdit* to_;
    QWidget* custom_;
    QComboBox* folder_;
    QPushButton* formats_;
    QMenu* formatMenu_;
    QToolButton* clear_;
    QTimer debounce_;
    PhotoFilter emitted_;
    QDate today_;
    // folder -> folderSpellings(folder), for the last setFolders() list.
    using Spellings = QHash<QString, QStringList>;
    Spellings spellings_;
    QStringList spellingsFor_; // the list spellings_ is (or is being) worked out for
    QFutureWatcher<Spellings> spellingsWatcher_;
};

} // namespace photosearch
