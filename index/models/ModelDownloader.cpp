// One model download (ModelDownloader.h): take the repo's lock, probe every
// file's size and digest (HEAD), check the disk, fetch the files one by one
// (FileTransfer), check that the staged folder loads and install it
// (ModelInstaller). Every step is asynchronous on the caller's thread;
// blocking work (the lock, the disk check, loading and installing) runs off
// it with runOffThread.
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
#include <QLockFile>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTimer>

#include <memory>
#include <utility>
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

// The disk's answer before the first byte is fetched (checkSpace).
struct SpaceCheck {
    bool folderMade = false;
    qint64 needed = 0;
    qint64 available = -1; // -1: unknown
    QString rootPath;
};

// The outcome of the last step (checkAndInstall).
struct InstallOutcome {
    QString problem; // checkStagedModel's reason; empty when the model loads
    QString error;   // installStaged's sentence; empty when installed
};

struct LockOutcome {
    std::shared_ptr<QLockFile> lock; // null when not taken
    QLockFile::LockError error = QLockFile::NoError;
};

LockOutcome takeLock(const QString& lockPath)
{
    LockOutcome out;
    if (!QDir().mkpath(QFileInfo(lockPath).absolutePath())) {
        out.error = QLockFile::PermissionError;
        return out;
    }
    auto lock = std::make_shared<QLockFile>(lockPath);
    // A download may run for an hour: the lock is stale only when the
    // process that holds it is gone, never because of its age.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0))
        out.lock = std::move(lock);
    else
        out.error = lock->error();
    return out;
}

SpaceCheck checkSpace(const QString& staging, const QStringList& stagedPaths, const std::vector<qint64>& sizes)
{
    SpaceCheck check;
    for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] < 0)
            continue;
        const QFileInfo staged(stagedPaths[int(i)]);
        const QFileInfo part(stagedPaths[int(i)] + QStringLiteral(".part"));
        const qint64 have = staged.exists() && staged.size() == sizes[i] ? sizes[i] : part.exists() ? part.size() : 0;
        check.needed += qMax<qint64>(0, sizes[i] - have);
    }
    check.folderMade = QDir().mkpath(staging);
    const QStorageInfo storage(staging);
    if (storage.isValid()) {
        check.available = storage.bytesAvailable();
        check.rootPath = storage.rootPath();
    }
    return check;
}

} // namespace

// Owned by ModelDownloader::run_ alone; fail() and cancel() drop it at once.
// Whatever may arrive later (a worker's result, the trailing timer) holds a
// weak_ptr (whileAlive) and is dropped once the Run is gone; signal
// connections use `q` as context and are cut in stop().
struct ModelDownloader::Run : std::enable_shared_from_this<ModelDownloader::Run> {
    ModelDownloader* q;
    QString repo, name, revision, staging;
    QStringList files;
    QHash<QString, QString> pins;
    QPointer<QObject> owner = new QObject; // network, probe, transfer, timer
    QNetworkAccessManager* network = new QNetworkAccessManager(owner);
    QPointer<FileProbe> probe;
    QPointer<FileTransfer> transfer;
    // Held from start to end; worker steps hold a copy, so that a cancel
    // during a rename does not let another download in before it is done.
    std::shared_ptr<QLockFile> lock;
    std::vector<RemoteFile> remote;
    int index = 0;
    qint64 doneBefore = 0; // bytes of the files before `index`
    qint64 total = 0;
    QElapsedTimer clock;
    qint64 lastEmitMs = -1000, rateMs = 0, rateBytes = 0;
    double rate = 0;
    // A throttled update is sent later, so that a transfer that stalls right
    // after it does not leave a window showing an old count.
    QPointer<QTimer> trailing;
    qint64 latestFileBytes = 0;

    QString stagedPath(const QString& file) const { return staging + QLatin1Char('/') + file; }
    QUrl urlOf(const QString& file) const { return resolveUrl(ModelDownloader::endpoint(), repo, revision, file); }

    // `step(run, args…)` only while this Run is still the downloader's.
    template <typename F>
    auto whileAlive(F step)
    {
        return [weak = weak_from_this(), step](auto&&... args) {
            if (const std::shared_ptr<Run> run = weak.lock())
                step(*run, std::forward<decltype(args)>(args)...);
        };
    }

    void lockThenProbe();
    void probeNext();
    void checkSpaceThenFetch();
    void fetchNext();
    void verifyAndInstall();
    void report(qint64 fileBytes, bool force);
    void stop();
};

void ModelDownloader::Run::stop()
{
    if (trailing)
        trailing->stop();
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
    lock.reset(); // a worker step still running keeps its own copy
}

void ModelDownloader::Run::lockThenProbe()
{
    const QString path = ModelStore::lockFileFor(repo);
    runOffThread<LockOutcome>(q, [path] { return takeLock(path); }, whileAlive([path](Run& run, LockOutcome out) {
        if (!out.lock) {
            if (out.error == QLockFile::LockFailedError)
                return run.q->fail(alreadyDownloadingSentence(run.name), QStringLiteral("%1 is held").arg(path));
            return run.q->fail(fileWriteSentence(run.files.value(0), QFileInfo(path).absolutePath()),
                               QStringLiteral("cannot create the lock %1 (QLockFile error %2)").arg(path).arg(int(out.error)));
        }
        run.lock = std::move(out.lock);
        run.probeNext();
    }));
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
    QStringList paths;
    std::vector<qint64> sizes;
    total = 0;
    for (int i = 0; i < files.size(); ++i) {
        paths << stagedPath(files[i]);
        sizes.push_back(remote[size_t(i)].size);
        if (sizes.back() < 0)
            total = -1; // unknown until that file's GET answers; report 0
        else if (total >= 0)
            total += sizes.back();
    }
    // stat() per file, mkpath and statvfs: the disk may be slow or remote.
    const QString dir = staging;
    runOffThread<SpaceCheck>(
        q, [dir, paths, sizes, held = lock] { return checkSpace(dir, paths, sizes); },
        whileAlive([](Run& run, const SpaceCheck& check) {
            if (!check.folderMade)
                return run.q->fail(fileWriteSentence(run.files.value(0), run.staging),
                                   QStringLiteral("mkpath %1 failed").arg(run.staging));
            if (check.available >= 0 && check.available < check.needed) {
                return run.q->fail(diskFullSentence(run.name, check.needed, check.rootPath),
                                   QStringLiteral("%1 bytes needed, %2 free on %3")
                                       .arg(check.needed)
                                       .arg(check.available)
                                       .arg(check.rootPath));
            }
            run.clock.start();
            run.fetchNext();
        }));
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
            auto fire = whileAlive([](Run& run) { run.report(run.latestFileBytes, true); });
            QObject::connect(trailing, &QTimer::timeout, q, [fire] { fire(); });
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
    // Loading the model reads 600 MB+, and replacing an older install
    // deletes a folder as large: both off the caller's (GUI) thread.
    const QString dir = staging;
    const QString target = ModelStore::folderFor(repo);
    auto work = [dir, target, held = lock] {
        InstallOutcome out;
        out.problem = checkStagedModel(dir);
        if (out.problem.isEmpty() && !installStaged(dir, target, &out.error) && out.error.isEmpty())
            out.error = QStringLiteral("The downloaded model could not be moved into %1.").arg(target);
        return out;
    };
    runOffThread<InstallOutcome>(q, work, whileAlive([dir, target](Run& run, const InstallOutcome& out) {
        if (!out.problem.isEmpty()) {
            // The loader's words are for the log; the user gets what to do.
            return run.q->fail(QStringLiteral("The downloaded files of %1 do not form a usable CLIP model; "
                                              "choose another model or report this.")
                                   .arg(run.name),
                               QStringLiteral("%1: %2").arg(dir, out.problem));
        }
        if (!out.error.isEmpty())
            return run.q->fail(out.error, QStringLiteral("install %1 → %2").arg(dir, target));
        ModelDownloader* q = run.q;
        const std::shared_ptr<Run> self = std::move(q->run_);
        self->stop();
        Q_EMIT q->finished(target);
    }));
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
    run_ = std::make_shared<Run>();
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
        auto report = r.whileAlive([repo](Run& run) {
            run.q->fail(QStringLiteral("\"%1\" is not a Hugging Face repo name; use the form owner/name, "
                                       "e.g. openai/clip-vit-base-patch32.")
                            .arg(repo),
                        QStringLiteral("invalid repo name"));
        });
        QTimer::singleShot(0, this, [report] { report(); });
        return true;
    }
    r.staging = ModelStore::partialFolderFor(r.repo);
    r.lockThenProbe();
    return true;
}

void ModelDownloader::cancel()
{
    if (!run_)
        return;
    const std::shared_ptr<Run> run = std::move(run_);
    run->stop();
    Q_EMIT cancelled();
}

// Ends the run before the signal (isRunning() is false in the slot, so the
// slot may start another); its network objects go later.
void ModelDownloader::fail(const QString& sentence, const QString& detail)
{
    if (!run_)
        return;
    const std::shared_ptr<Run> run = std::move(run_);
    run->stop();
    qWarning("model download of %s failed: %s", qPrintable(run->repo), qPrintable(detail));
    Q_EMIT failed(sentence, detail);
}

} // namespace photosearch
