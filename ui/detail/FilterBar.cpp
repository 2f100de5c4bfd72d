// The filter row above the grid; see FilterBar.h.

#include "FilterBar.h"

#include "FolderLabels.h"
#include "PhotoInfoText.h"

#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QtConcurrent>

namespace photosearch {

namespace {

const QStringList kAllFormats = {QStringLiteral("jpeg"), QStringLiteral("png"),  QStringLiteral("heif"),
                                 QStringLiteral("avif"), QStringLiteral("webp"), QStringLiteral("gif"),
                                 QStringLiteral("tiff"), QStringLiteral("bmp")};

bool sameFilter(const PhotoFilter& a, const PhotoFilter& b)
{
    return a.after == b.after && a.before == b.before && a.folders == b.folders && a.formats == b.formats;
}

QDateTime startOf(const QDate& day)
{
    // Local time, as PhotoFilter compares taken-at times "as written".
    return day.isValid() ? QDateTime(day, QTime(0, 0)) : QDateTime();
}

} // namespace

FilterBar::FilterBar(QWidget* parent)
    : QWidget(parent)
    , when_(new QComboBox(this))
    , folder_(new QComboBox(this))
    , formats_(new QPushButton(this))
    , formatMenu_(new QMenu(this))
    , clear_(new QToolButton(this))
{
    setObjectName(QStringLiteral("filterBar"));
    debounce_.setSingleShot(true);
    debounce_.setInterval(250);
    connect(&debounce_, &QTimer::timeout, this, &FilterBar::emitIfChanged);
    connect(&spellingsWatcher_, &QFutureWatcher<Spellings>::finished, this, &FilterBar::spellingsArrived);
    when_->setObjectName(QStringLiteral("when"));
    when_->addItems({tr("Any time"), tr("Last 30 days"), tr("This year"), tr("Custom…")});
    when_->setToolTip(tr("When the photos were taken (or last changed, when they do not say)"));
    folder_->setObjectName(QStringLiteral("folder"));
    folder_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    folder_->setMinimumContentsLength(12);
    folder_->setToolTip(tr("Only photos in this folder"));
    formats_->setObjectName(QStringLiteral("formats"));
    formats_->setMenu(formatMenu_);
    formats_->setToolTip(tr("Only photos in these formats"));
    clear_->setObjectName(QStringLiteral("clearFilters"));
    clear_->setText(tr("Clear Filters"));
    clear_->setIcon(style()->standardIcon(QStyle::SP_LineEditClearButton));
    clear_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    clear_->setAutoRaise(true);
    clear_->hide();

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(when_);
    layout->addWidget(makeDates());
    layout->addWidget(folder_);
    layout->addWidget(formats_);
    layout->addWidget(clear_);
    layout->addStretch(1);

    setFolders({});
    setFormats(kAllFormats);
    connect(when_, &QComboBox::currentIndexChanged, this, [this](int index) {
        custom_->setVisible(index == Custom);
        changed();
    });
    connect(folder_, &QComboBox::currentIndexChanged, this, &FilterBar::changed);
    connect(clear_, &QToolButton::clicked, this, &FilterBar::clear);
}

QWidget* FilterBar::makeDates()
{
    custom_ = new QWidget(this);
    from_ = new QDateEdit(custom_);
    to_ = new QDateEdit(custom_);
    from_->setObjectName(QStringLiteral("from"));
    to_->setObjectName(QStringLiteral("to"));
    const QDate now = today();
    for (QDateEdit* edit : {from_, to_}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat));
        edit->setDate(now);
        connect(edit, &QDateEdit::dateChanged, this, &FilterBar::changed);
    }
    from_->setDate(now.addMonths(-1));
    // A range cannot end before it starts: each edit bounds the other.
    connect(from_, &QDateEdit::dateChanged, to_, [this](const QDate& d) { to_->setMinimumDate(d); });
    connect(to_, &QDateEdit::dateChanged, from_, [this](const QDate& d) { from_->setMaximumDate(d); });
    auto* layout = new QHBoxLayout(custom_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("From"), custom_));
    layout->addWidget(from_);
    layout->addWidget(new QLabel(tr("To"), custom_));
    layout->addWidget(to_);
    custom_->hide();
    return custom_;
}

void FilterBar::setFolders(const QStringList& folders)
{
    const QString chosen = folder_->currentData().toString();
    const QSignalBlocker block(folder_);
    folder_->clear();
    folder_->addItem(tr("All folders"), QString());
    const QStringList labels = folderLabels(folders);
    for (int i = 0; i < folders.size(); ++i) {
        folder_->addItem(labels.at(i), folders.at(i));
        folder_->setItemData(folder_->count() - 1, QDir::toNativeSeparators(folders.at(i)), Qt::ToolTipRole);
    }
    folder_->setCurrentIndex(std::max(0, folder_->findData(chosen)));
    // Resolving symlinks touches the disk: off the GUI thread, once per list.
    // A newer list's future replaces this one, whose answer is then dropped.
    if (folders != spellingsFor_) {
        spellingsFor_ = folders;
        spellings_.clear();
        spellingsWatcher_.setFuture(QtConcurrent::run([folders] {
            Spellings spellings;
            for (const QString& folder : folders)
                spellings.insert(folder, folderSpellings(folder));
            return spellings;
        }));
    }
    changed();
}

void FilterBar::spellingsArrived()
{
    spellings_ = spellingsWatcher_.result();
    // The chosen folder may have been filtered by its plain path meanwhile.
    if (!folder_->currentData().toString().isEmpty())
        changed();
}

QStringList FilterBar::spellingsOf(const QString& folder) const
{
    const auto known = spellings_.constFind(folder);
    if (known != spellings_.constEnd())
        return *known;
    // The first spelling folderSpellings() gives, without touching the disk.
    return {QDir::cleanPath(QFileInfo(folder).absoluteFilePath())};
}

void FilterBar::setFormats(const QStringList& formats)
{
    QStringList checked;
    for (QAction* action : formatMenu_->actions()) {
        if (action->isChecked())
            checked << action->data().toString();
    }
    formatMenu_->clear();
    for (const QString& f : formats) {
        const QString name = f.toLower();
        QAction* action = formatMenu_->addAction(formatLabel(name));
        action->setObjectName(QStringLiteral("format:") + name);
        action->setData(name);
        action->setCheckable(true);
        action->setChecked(checked.contains(name));
        connect(action, &QAction::toggled, this, &FilterBar::changed);
    }
    changed();
}

void FilterBar::setDateRange(const QDate& from, const QDate& to)
{
    {
        const QSignalBlocker blockFrom(from_), blockTo(to_);
        from_->setMaximumDate(QDate(9999, 12, 31));
        to_->setMinimumDate(QDate(100, 1, 1));
        from_->setDate(from);
        to_->setDate(to);
        to_->setMinimumDate(from);
        from_->setMaximumDate(to);
    }
    when_->setCurrentIndex(Custom);
    changed();
}

void FilterBar::setDateChoice(DateChoice choice)
{
    when_->setCurrentIndex(choice);
}

void FilterBar::setFolder(const QString& folder)
{
    folder_->setCurrentIndex(std::max(0, folder_->findData(folder)));
}

void FilterBar::setFormatChecked(const QString& format, bool checked)
{
    for (QAction* action : formatMenu_->actions()) {
        if (action->data().toString() == format.toLower())
            action->setChecked(checked);
    }
}

void FilterBar::setToday(const QDate& today)
{
    today_ = today;
    changed();
}

QDate FilterBar::today() const
{
    return today_.isValid() ? today_ : QDate::currentDate();
}

PhotoFilter FilterBar::filter() const
{
    PhotoFilter f;
    const QDate now = today();
    switch (when_->currentIndex()) {
    case Last30Days: // today and the 29 days before it
        f.after = startOf(now.addDays(-29));
        break;
    case ThisYear:
        f.after = startOf(QDate(now.year(), 1, 1));
        break;
    case Custom:
        f.after = startOf(from_->date());
        f.before = startOf(to_->date().addDays(1)); // "To 14 March" keeps all of the 14th
        break;
    default:
        break;
    }
    const QString folder = folder_->currentData().toString();
    if (!folder.isEmpty())
        f.folders = spellingsOf(folder);
    for (const QAction* action : formatMenu_->actions()) {
        if (action->isChecked())
            f.formats << action->data().toString();
    }
    return f;
}

void FilterBar::clear()
{
    {
        const QSignalBlocker blockWhen(when_), blockFolder(folder_);
        when_->setCurrentIndex(AnyTime);
        custom_->hide();
        folder_->setCurrentIndex(0);
        for (QAction* action : formatMenu_->actions()) {
            const QSignalBlocker blockAction(action);
            action->setChecked(false);
        }
    }
    changed();
}

void FilterBar::changed()
{
    clear_->setVisible(!filter().isEmpty());
    updateFormatButton();
    debounce_.start();
}

void FilterBar::emitIfChanged()
{
    const PhotoFilter f = filter();
    if (sameFilter(f, emitted_))
        return;
    emitted_ = f;
    Q_EMIT filterChanged(f);
}

void FilterBar::updateFormatButton()
{
    QStringList checked;
    for (const QAction* action : formatMenu_->actions()) {
        if (action->isChecked())
            checked << action->text();
    }
    formats_->setText(checked.isEmpty() ? tr("Any format") : checked.join(QStringLiteral(", ")));
}

} // namespace photosearch
