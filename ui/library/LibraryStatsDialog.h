#pragma once
// File ▸ Library Statistics: how many photos, by format, how many failed,
// and every failure with its reason (from Catalog::stats()).

#include "Catalog.h"

#include <QDialog>

class QTableWidget;

namespace photosearch {

class LibraryStatsDialog : public QDialog {
    Q_OBJECT
public:
    LibraryStatsDialog(const QString& libraryDir, const Catalog::Stats& stats, QWidget* parent = nullptr);

    // At most this many failures are listed (one table item per cell is
    // built on the GUI thread); a line says how many more there are.
    static constexpr int kMaxFailureRows = 1000;

    int failureRows() const;

private:
    QTableWidget* failures_ = nullptr;
};

} // namespace photosearch
