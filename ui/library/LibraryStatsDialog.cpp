#include "LibraryStatsDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStringList>
#include <QTableWidget>
#include <QVBoxLayout>

namespace photosearch {

LibraryStatsDialog::LibraryStatsDialog(const QString& libraryDir, const Catalog::Stats& stats, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("libraryStatistics"));
    setWindowTitle(tr("Library Statistics"));
    resize(720, 460);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    const QLocale locale;
    form->addRow(tr("Library:"), new QLabel(QDir::toNativeSeparators(libraryDir), this));
    form->addRow(tr("Photos:"), new QLabel(locale.toString(stats.photos), this));
    form->addRow(tr("Indexed:"), new QLabel(locale.toString(stats.photos - stats.failed), this));
    form->addRow(tr("Could not be read:"), new QLabel(locale.toString(stats.failed), this));
    QStringList formats;
    for (const auto& [format, count] : stats.byFormat)
        formats << QStringLiteral("%1 %2").arg(format.isEmpty() ? tr("unknown") : format, locale.toString(count));
    auto* formatsLabel = new QLabel(formats.isEmpty() ? tr("none") : formats.join(QStringLiteral(", ")), this);
    formatsLabel->setWordWrap(true);
    form->addRow(tr("Formats:"), formatsLabel);
    layout->addLayout(form);

    if (!stats.failures.empty()) {
        layout->addWidget(new QLabel(tr("Files that could not be indexed:"), this));
        const int rows = int(qMin<size_t>(stats.failures.size(), size_t(kMaxFailureRows)));
        failures_ = new QTableWidget(rows, 2, this);
        failures_->setObjectName(QStringLiteral("failures"));
        failures_->setHorizontalHeaderLabels({tr("File"), tr("Reason")});
        failures_->setEditTriggers(QAbstractItemView::NoEditTriggers);
        failures_->setSelectionBehavior(QAbstractItemView::SelectRows);
        failures_->verticalHeader()->hide();
        failures_->horizontalHeader()->setStretchLastSection(true);
        for (int row = 0; row < rows; ++row) {
            const auto& [path, reason] = stats.failures[size_t(row)];
            auto* file = new QTableWidgetItem(QDir::toNativeSeparators(path));
            file->setToolTip(file->text());
            auto* why = new QTableWidgetItem(reason);
            why->setToolTip(reason);
            failures_->setItem(row, 0, file);
            failures_->setItem(row, 1, why);
        }
        failures_->resizeColumnToContents(0);
        layout->addWidget(failures_, 1);
        if (stats.failures.size() > size_t(rows)) {
            auto* more = new QLabel(tr("…and %1 more, not listed here.")
                                        .arg(locale.toString(qint64(stats.failures.size() - size_t(rows)))),
                                    this);
            more->setObjectName(QStringLiteral("moreFailures"));
            layout->addWidget(more);
        }
    } else {
        layout->addStretch(1);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

int LibraryStatsDialog::failureRows() const
{
    return failures_ ? failures_->rowCount() : 0;
}

} // namespace photosearch
