// The first-run page (FirstRunPage.h). GUI thread only: what it shows about
// each known model comes from scanKnownModels on a worker thread, and
// discarding a partial download runs there too (QtConcurrent), because both
// walk folders that may hold gigabytes.

#include "FirstRunPage.h"

#include "DownloadPanel.h"
#include "DownloadText.h"
#include "FolderImporter.h"
#include "KnownModels.h"

#include <QDir>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace photosearch {
namespace {

const char* const kRepoProperty = "photosearchRepo";

const KnownModel* recommendedModel()
{
    const auto& models = knownModels();
    for (const KnownModel& model : models)
        if (model.recommended)
            return &model;
    return models.empty() ? nullptr : &models.front();
}

QFont scaledFont(QFont font, double factor, bool bold)
{
    font.setPointSizeF(font.pointSizeF() * factor);
    font.setBold(bold);
    return font;
}

} // namespace

FirstRunPage::FirstRunPage(QWidget* parent)
    : QWidget(parent)
    , panel_(new DownloadPanel(this))
    , importer_(new FolderImporter(this))
{
    setObjectName(QStringLiteral("firstRunPage"));
    // One readable column in the middle, as wide as ~70 characters of the
    // user's font, so that it scales with the font and the screen's DPI.
    auto* outer = new QHBoxLayout(this);
    auto* column = new QWidget(this);
    column->setMaximumWidth(fontMetrics().averageCharWidth() * 72);
    outer->addStretch(1);
    outer->addWidget(column, 4);
    outer->addStretch(1);

    auto* layout = new QVBoxLayout(column);
    layout->addStretch(1);
    auto* title = new QLabel(tr("Find any photo by describing it"), column);
    title->setObjectName(QStringLiteral("firstRunTitle"));
    title->setFont(scaledFont(title->font(), 1.8, true));
    title->setWordWrap(true);
    layout->addWidget(title);
    auto* intro = new QLabel(tr("PhotoSearch needs a CLIP model: a neural network that understands both pictures "
                                "and words, so that \"a dog on a beach\" finds your beach photos with dogs. "
                                "It runs on this computer; your photos and searches never leave it."),
                             column);
    intro->setObjectName(QStringLiteral("firstRunIntro"));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addSpacing(fontMetrics().height());

    offer_ = new QWidget(column);
    buildOffer(offer_);
    layout->addWidget(offer_);
    panel_->setParent(column);
    layout->addWidget(panel_);
    layout->addStretch(2);

    connect(panel_, &DownloadPanel::finished, this, [this](const QString& dir) {
        rescan();
        Q_EMIT modelReady(dir);
    });
    connect(panel_, &DownloadPanel::cancelled, this, [this](const QString& repo, bool partsKept) {
        states_[repo].repo = repo;
        states_[repo].hasParts = partsKept;
        showOffer(repo);
    });
    connect(panel_, &DownloadPanel::dismissed, this, [this](const QString& repo, bool partsKept) {
        states_[repo].repo = repo;
        states_[repo].hasParts = states_[repo].hasParts || partsKept;
        showOffer(repo);
    });
    connect(importer_, &FolderImporter::checking, this, [this](const QString& dir) {
        import_->setEnabled(false);
        importStatus_->setText(tr("Checking %1…").arg(QDir::toNativeSeparators(dir)));
        importStatus_->show();
    });
    connect(importer_, &FolderImporter::accepted, this, [this](const QString& dir) {
        import_->setEnabled(true);
        importStatus_->hide();
        Q_EMIT modelReady(dir);
    });
    connect(importer_, &FolderImporter::rejected, this, [this](const QString&, const QString& sentence) {
        import_->setEnabled(true);
        importStatus_->setText(sentence);
        importStatus_->show();
    });
    rescan();
}

void FirstRunPage::buildOffer(QWidget* offer)
{
    auto* layout = new QVBoxLayout(offer);
    layout->setContentsMargins(0, 0, 0, 0);
    const KnownModel* best = recommendedModel();
    if (best) {
        recommended_ = new QPushButton(offer);
        recommended_->setObjectName(QStringLiteral("downloadRecommended"));
        recommended_->setProperty(kRepoProperty, best->repo);
        recommended_->setFont(scaledFont(recommended_->font(), 1.2, true));
        recommended_->setMinimumHeight(recommended_->fontMetrics().height() * 5 / 2);
        recommended_->setDefault(true);
        recommended_->setAccessibleDescription(best->description);
        layout->addLayout(offerRow(recommended_, best->repo, offer));
        recommendedNote_ = new QLabel(best->description.isEmpty()
                                          ? tr("Recommended.")
                                          : tr("Recommended — %1").arg(best->description),
                                      offer);
        recommendedNote_->setWordWrap(true);
        recommendedNote_->setForegroundRole(QPalette::PlaceholderText);
        layout->addWidget(recommendedNote_);
    }
    bool headed = false;
    for (const KnownModel& model : knownModels()) {
        if (best && model.repo == best->repo)
            continue;
        if (!headed) {
            layout->addSpacing(fontMetrics().height() / 2);
            layout->addWidget(new QLabel(tr("Other models:"), offer));
            headed = true;
        }
        // Smaller than the recommended one: a plain button and its line.
        auto* button = new QPushButton(offer);
        button->setObjectName(QStringLiteral("download:%1").arg(model.repo));
        button->setProperty(kRepoProperty, model.repo);
        button->setAccessibleDescription(model.description);
        layout->addLayout(offerRow(button, model.repo, offer));
        others_.push_back(button);
        if (!model.description.isEmpty()) {
            auto* note = new QLabel(model.description, offer);
            note->setWordWrap(true);
            note->setForegroundRole(QPalette::PlaceholderText);
            note->setIndent(fontMetrics().averageCharWidth() * 2);
            layout->addWidget(note);
        }
    }
    layout->addSpacing(fontMetrics().height() / 2);
    import_ = new QPushButton(tr("Import a model folder…"), offer);
    import_->setObjectName(QStringLiteral("importModel"));
    import_->setToolTip(tr("Use a CLIP model folder you already have (config.json, model.safetensors, "
                           "vocab.json, merges.txt)."));
    layout->addWidget(import_, 0, Qt::AlignLeft);
    importStatus_ = new QLabel(offer);
    importStatus_->setObjectName(QStringLiteral("importStatus"));
    importStatus_->setWordWrap(true);
    importStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    importStatus_->hide();
    layout->addWidget(importStatus_);
    offerStatus_ = new QLabel(offer);
    offerStatus_->setObjectName(QStringLiteral("offerStatus"));
    offerStatus_->setWordWrap(true);
    offerStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    offerStatus_->hide();
    layout->addWidget(offerStatus_);

    std::vector<QPushButton*> buttons = others_;
    if (recommended_)
        buttons.insert(buttons.begin(), recommended_);
    for (QPushButton* button : buttons)
        connect(button, &QPushButton::clicked, this,
                [this, button] { downloadModel(button->property(kRepoProperty).toString()); });
    connect(import_, &QPushButton::clicked, this, [this] { importer_->choose(this); });
    updateOffer();
}

QLayout* FirstRunPage::offerRow(QPushButton* button, const QString& repo, QWidget* offer)
{
    auto* row = new QHBoxLayout;
    row->addWidget(button, button == recommended_ ? 1 : 0);
    auto* discard = new QPushButton(tr("Discard partial download"), offer);
    discard->setObjectName(QStringLiteral("discard:%1").arg(repo));
    discard->setToolTip(tr("Delete the files a stopped download of %1 kept; the next download starts from zero.")
                            .arg(modelDisplayName(repo)));
    discard->hide(); // shown by updateOffer when the scan finds parts
    connect(discard, &QPushButton::clicked, this, [this, repo] { discardPartial(repo); });
    row->addWidget(discard, 0, Qt::AlignVCenter);
    if (button != recommended_)
        row->addStretch(1);
    discards_.insert(repo, discard);
    return row;
}

QPushButton* FirstRunPage::buttonFor(const QString& repo) const
{
    if (recommended_ && recommended_->property(kRepoProperty).toString() == repo)
        return recommended_;
    for (QPushButton* button : others_)
        if (button->property(kRepoProperty).toString() == repo)
            return button;
    return nullptr;
}

void FirstRunPage::updateOffer()
{
    for (const KnownModel& model : knownModels()) {
        QPushButton* button = buttonFor(model.repo);
        if (!button)
            continue;
        const KnownModelState state = states_.value(model.repo);
        const qint64 exact = exactBytes_.value(model.repo);
        QString text;
        if (!state.installedPath.isEmpty())
            text = tr("Use %1 (already on this computer)").arg(model.name);
        else
            text = downloadOfferText(model, exact, state.hasParts);
        button->setText(text);
        button->setAccessibleName(text);
        if (QPushButton* discard = discards_.value(model.repo))
            discard->setVisible(state.hasParts && state.installedPath.isEmpty());
    }
}

void FirstRunPage::showOffer(const QString& focusRepo)
{
    if (panel_->bytesTotal() > 0)
        exactBytes_[focusRepo] = panel_->bytesTotal();
    updateOffer();
    offer_->show();
    if (QPushButton* button = buttonFor(focusRepo))
        button->setFocus(Qt::OtherFocusReason);
    rescan(); // the kept parts, as the disk has them
}

void FirstRunPage::downloadModel(const QString& repo)
{
    const QString installed = states_.value(repo).installedPath;
    if (!installed.isEmpty()) {
        Q_EMIT modelReady(installed);
        return;
    }
    importStatus_->hide();
    offer_->hide();
    panel_->start(repo);
}

void FirstRunPage::discardPartial(const QString& repo)
{
    QPushButton* discard = discards_.value(repo);
    if (discard)
        discard->setEnabled(false);
    offerStatus_->hide();
    struct Outcome {
        bool ok = false;
        QString error;
    };
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, discard, repo] {
        watcher->deleteLater();
        const Outcome outcome = watcher->result();
        if (discard)
            discard->setEnabled(true);
        if (!outcome.ok) {
            qWarning("discarding the partial download of %s failed: %s", qPrintable(repo), qPrintable(outcome.error));
            offerStatus_->setText(outcome.error);
            offerStatus_->show();
        } else {
            states_[repo].hasParts = false;
            updateOffer();
        }
        rescan();
    });
    watcher->setFuture(QtConcurrent::run([repo] {
        Outcome outcome;
        outcome.ok = ModelStore::discardPartial(repo, &outcome.error);
        return outcome;
    }));
}

void FirstRunPage::importFolder(const QString& dir)
{
    importer_->check(dir);
}

void FirstRunPage::rescan()
{
    // Only the latest scan counts: a slow one must not undo a newer answer.
    const int generation = ++scanGeneration_;
    auto* watcher = new QFutureWatcher<std::vector<KnownModelState>>(this);
    connect(watcher, &QFutureWatcher<std::vector<KnownModelState>>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == scanGeneration_)
            onScanned(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&scanKnownModels));
}

void FirstRunPage::onScanned(const std::vector<KnownModelState>& states)
{
    for (const KnownModelState& state : states)
        states_[state.repo] = state;
    updateOffer();
}

} // namespace photosearch
