// One model download (ModelDownloader.h): probe every file's size and digest
// (HEAD), check the disk, fetch the files one by one (FileTransfer), check
// that the staged folder loads, install it (ModelInstaller). Every step is
// asynchronous on the caller's thread; blocking work runs off it.
//
// A Run owns its network objects through `owner`, which is deleted later,
// not now: a failure is reported from inside a reply's own signal, where
// deleting that reply would pull the floor from under Qt.

#include "ModelDownloader.h"

#include "DownloadMessages.h"
#include "FileProbe.h"
#include "FileTransfer.h"
#include "HfResponse.h"
#include "KnownModels.h"
#include "ModelInstaller.h"
#include "ModelStore.h"
#include "OffThread.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTimer>

#include <vector>

namespace photosearch {
namespace {

const QStringList kStandardFiles = {QStringLiteral("config.json"), QStringLiteral("model.safetensors"),
                                    QStringLiteral("vocab.json"), QStringLiteral("merges.txt"),
                                    QStringLiteral("preprocessor_config.json")};

bool isValidRepo(const QString& repo)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"));
    return re.match(repo).hasMatch() && !repo.contains(QLatin1String(".."));
}

} // namespace

struct ModelDownloader::Run {
    ModelDownloader* q;
    QString repo, name, revision, staging;
    QStringList files;
    QHash<QString, QString> pins;
    QPointer<QObject> owner = new QObject; // network, probe, transfer; context for worker results
    QNetworkAccessManager* network = new QNetworkAccessManager(owner);
    QPointer<FileProbe> probe;
    QPointer<FileTransfer> transfer;
    std::vector<RemoteFile> remote;
    int index = 0;
    qint64 doneBefore = 0; // bytes of the files before `index`
    qint64 total = 0;
    QElapsedTimer clock;
    qint64 lastEmitMs = -1000, rateMs = 0, rateBytes = 0;
    double rate = 0;
    // A throttled update is sent later, so that a transfer that stalls right
    // after it does not leave a window showing an old count.
    QTimer* trailing = nullptr;
    qint64 latestFileBytes = 0;

    QString stagedPath(const QString& file) const { return staging + QLatin1Char('/') + file; }
    QUrl urlOf(const QString& file) const { return resolveUrl(ModelDownloader::endpoint(), repo, revision, file); }

    void probeNext();
    void checkSpaceThenFetch();
    void fetchNext();
    void verifyAndInstall();
    void report(qint64 fileBytes, bool force);
    void stop();
};

void ModelDownloader::Run::stop()
{
    if (transfer)
        transfer->stop();
    if (probe)
        probe->disconnect();
    if (owner) {
        owner->disconnect();
        for (QObject* child : owner->children())
            child->disconnect(q);
        owner->deleteLater();
    }
}

void ModelDownloader::Run::probeNext()
{
    if (index == files.size()) {
        index = 0;
        return checkSpaceThenFetch();
    }
    const QString file = files[index];
    probe = new FileProbe(network, file, urlOf(file), owner);
    QObject::connect(probe, &FileProbe::known, q, [this](const RemoteFile& r) {
        remote.push_back(r);
        probe->deleteLater();
        ++index;
        probeNext();
    });
    QObject::connect(probe, &FileProbe::failed, q, [this](const QString& s, const QString& d) { q->fail(s, d); });
    probe->start();
}

void ModelDownloader::Run::checkSpaceThenFetch()
{
    qint64 needed = 0;
    total = 0;
    for (int i = 0; i < files.size(); ++i) {
        const qint64 size = remote[size_t(i)].size;
        if (size < 0) {
            total = -1; // unknown until that file's GET answers; report 0
            continue;
        }
        if (total >= 0)
            total += size;
        const QFileInfo staged(stagedPath(files[i]));
        const QFileInfo part(stagedPath(files[i]) + QStringLiteral(".part"));
        const qint64 have = staged.exists() && staged.size() == size ? size : part.exists() ? part.size() : 0;
        needed += qMax<qint64>(0, size - have);
    }
    if (!QDir().mkpath(staging))
        return q->fail(fileWriteSentence(files.value(0), staging), QStringLiteral("mkpath %1 failed").arg(staging));
    const QStorageInfo storage(staging);
    if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < needed) {
        return q->fail(diskFullSentence(name, needed, storage.rootPath()),
                       QStringLiteral("%1 bytes needed, %2 free on %3")
                           .arg(needed)
                           .arg(storage.bytesAvailable())
                           .arg(storage.rootPath()));
    }
    clock.start();
    fetchNext();
}

void ModelDownloader::Run::fetchNext()
{
    if (index == files.size())
        return verifyAndInstall();
    const QString file = files[index];
    const RemoteFile& r = remote[size_t(index)];
    const QFileInfo staged(stagedPath(file));
    // Verified and renamed by an earlier run that stopped later on.
    if (r.size >= 0 && staged.exists() && staged.size() == r.size && !QFileInfo::exists(stagedPath(file) + ".part")) {
        doneBefore += r.size;
        ++index;
        return fetchNext();
    }
    TransferSpec spec{file, urlOf(file), stagedPath(file) + QStringLiteral(".part"), stagedPath(file), r.size,
                      pins.value(file, r.sha256)};
    transfer = new FileTransfer(network, spec, owner);
    QObject::connect(transfer, &FileTransfer::progressed, q, [this](qint64 bytes) { report(bytes, false); });
    QObject::connect(transfer, &FileTransfer::completed, q, [this] {
        const qint64 size = QFileInfo(stagedPath(files[index])).size();
        doneBefore += size;
        transfer->deleteLater();
        ++index;
        report(0, true);
        fetchNext();
    });
    QObject::connect(transfer, &FileTransfer::failed, q, [this](const QString& s, const QString& d) { q->fail(s, d); });
    transfer->start();
}

void ModelDownloader::Run::report(qint64 fileBytes, bool force)
{
    const qint64 now = clock.isValid() ? clock.elapsed() : 0;
    const qint64 done = doneBefore + fileBytes;
    // A smoothed rate over half-second samples: per-chunk rates jump around.
    if (now - rateMs >= 500) {
        const double instant = rateMs > 0 || rateBytes > 0 ? double(done - rateBytes) * 1000.0 / double(now - rateMs) : 0;
        rate = rate <= 0 ? instant : 0.7 * rate + 0.3 * qMax(0.0, instant);
        rateMs = now;
        rateBytes = done;
    }
    latestFileBytes = fileBytes;
    if (!force && now - lastEmitMs < 100) { // a window needs no more than ten updates a second
        if (!trailing) {
            trailing = new QTimer(owner);
            trailing->setSingleShot(true);
            QObject::connect(trailing, &QTimer::timeout, owner, [this] { report(latestFileBytes, true); });
        }
        if (!trailing->isActive())
            trailing->start(int(100 - (now - lastEmitMs)));
        return;
    }
    if (trailing)
        trailing->stop();
    lastEmitMs = now;
    DownloadProgress p;
    p.file = files.value(index);
    p.bytesDone = done;
    p.bytesTotal = qMax<qint64>(0, total);
    p.bytesPerSecond = rate;
    Q_EMIT q->progress(p);
}

void ModelDownloader::Run::verifyAndInstall()
{
    const QString dir = staging;
    runOffThread<QString>(owner, [dir] { return checkStagedModel(dir); }, [this](const QString& problem) {
        if (!problem.isEmpty()) {
            return q->fail(QStringLiteral("The downloaded files of %1 do not form a usable CLIP model (%2); "
                                          "choose another model or report this.")
                               .arg(repo, problem),
                           problem);
        }
        QString error;
        if (!installStaged(staging, ModelStore::folderFor(repo), &error))
            return q->fail(error, QStringLiteral("install %1 → %2").arg(staging, ModelStore::folderFor(repo)));
        const QString installed = ModelStore::folderFor(repo);
        std::unique_ptr<Run> self = std::move(q->run_);
        self->stop();
        Q_EMIT self->q->finished(installed);
    });
}

ModelDownloader::ModelDownloader(QObject* parent)
    : QObject(parent)
{
}

ModelDownloader::~ModelDownloader()
{
    if (run_)
        run_->stop();
}

QString ModelDownloader::endpoint()
{
    const QString custom = qEnvironmentVariable("HF_ENDPOINT");
    return custom.isEmpty() ? QStringLiteral("https://huggingface.co") : custom;
}

bool ModelDownloader::isRunning() const
{
    return run_ != nullptr;
}

bool ModelDownloader::start(const QString& repo)
{
    if (run_)
        return false;
    run_ = std::make_unique<Run>();
    Run& r = *run_;
    r.q = this;
    r.repo = repo.trimmed();
    const KnownModel* known = findKnownModel(r.repo);
    r.name = known ? known->name : r.repo;
    r.revision = known ? known->revision : QStringLiteral("main");
    r.files = known ? known->files : kStandardFiles;
    r.pins = known ? known->pinnedSha256 : QHash<QString, QString>();
    if (!isValidRepo(r.repo)) {
        // Reported from the event loop, like every other failure, not from inside start().
        QTimer::singleShot(0, r.owner, [this, repo] {
            fail(QStringLiteral("\"%1\" is not a Hugging Face repo name; use the form owner/name, "
                                "e.g. openai/clip-vit-base-patch32.")
                     .arg(repo),
                 QStringLiteral("invalid repo name"));
        });
        return true;
    }
    r.staging = ModelStore::partialFolderFor(r.repo);
    r.probeNext();
    return true;
}

void ModelDownloader::cancel()
{
    if (!run_)
        return;
    std::unique_ptr<Run> run = std::move(run_);
    run->stop();
    Q_EMIT cancelled();
}

// Ends the run before the signal (isRunning() is false in the slot, so the
// slot may start another); its network objects go later.
void ModelDownloader::fail(const QString& sentence, const QString& detail)
{
    if (!run_)
        return;
    std::unique_ptr<Run> run = std::move(run_);
    run->stop();
    qWarning("model download of %s failed: %s", qPrintable(run->repo), qPrintable(detail));
    Q_EMIT failed(sentence, detail);
}

} // namespace photosearch
