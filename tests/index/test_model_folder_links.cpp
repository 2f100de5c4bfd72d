// Privacy: paths in a model folder cannot make the app read outside it. A
// file of the folder (config.json, model.safetensors, vocab.json,
// merges.txt, preprocessor_config.json) that is a symbolic link resolving
// outside the folder is refused with one sentence, by every reader: the
// import/install check and model id (modelIdForDirectory, checkStagedModel),
// the weights and config (ClipModel::load), the tokenizer and the
// preprocessor config. Links inside the folder, a folder reached through a
// link, and Hugging Face's hub cache layout (snapshots/<rev>/file ->
// ../../blobs/<sha>) still load. The one gate is clip::modelFilePath.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"
#include "ClipModel.h"
#include "ClipTokenizer.h"
#include "ImagePreprocessor.h"
#include "ModelError.h"

#include "ModelIdentity.h"
#include "ModelInstaller.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace photosearch;

namespace {

const QStringList kFiles = {QStringLiteral("config.json"), QStringLiteral("model.safetensors"),
                            QStringLiteral("vocab.json"), QStringLiteral("merges.txt"),
                            QStringLiteral("preprocessor_config.json")};

// The ModelError text of `load`, or "" when it loads.
QString refusal(const std::function<void()>& load)
{
    try {
        load();
        return {};
    } catch (const clip::ModelError& e) {
        return QString::fromUtf8(e.what());
    }
}

} // namespace

class TestModelFolderLinks : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;   // the tiny model, plain files
    QString modelId_; // its id

    QString path(const QString& name) const { return temp_.filePath(name); }

    // A copy of the model in `name`, every file copied.
    QString copyModel(const QString& name) const
    {
        const QString dir = path(name);
        QDir().mkpath(dir);
        for (const QString& f : kFiles)
            QFile::copy(QDir(model_).filePath(f), QDir(dir).filePath(f));
        return dir;
    }

    // A copy of the model whose `file` is replaced by a link to `target`.
    QString modelWithLink(const QString& name, const QString& file, const QString& target) const
    {
        const QString dir = copyModel(name);
        QFile::remove(QDir(dir).filePath(file));
        if (!QFile::link(target, QDir(dir).filePath(file)))
            qFatal("cannot make a symbolic link in %s", qPrintable(dir));
        return dir;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        model_ = path(QStringLiteral("model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(model_, &error), qPrintable(error));
        modelId_ = modelIdForDirectory(model_);
        // The outside copy the links point at: readable, a valid model file,
        // so that only the containment check can refuse it.
        QVERIFY(QFileInfo(copyModel(QStringLiteral("outside"))).isDir());
    }

    // Each file, linked to its twin outside the folder: refused by the
    // import check and by the reader that opens it, naming the file.
    void linkOutsideIsRefused_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString& f : kFiles)
            QTest::newRow(qPrintable(f)) << f;
    }
    void linkOutsideIsRefused()
    {
        QFETCH(QString, file);
        const QString outside = QDir(path(QStringLiteral("outside"))).filePath(file);
        const QString dir = modelWithLink(QStringLiteral("abs-") + file, file, outside);

        const QString importCheck = refusal([&] { modelIdForDirectory(dir); });
        const QString reader = refusal([&] {
            if (file == QLatin1String("vocab.json") || file == QLatin1String("merges.txt"))
                ClipTokenizer::fromDirectory(dir);
            else if (file == QLatin1String("preprocessor_config.json"))
                PreprocessConfig::fromModelDirectory(dir, 64);
            else
                clip::ClipModel::load(dir.toStdString(), clip::ComputeOptions{});
        });
        for (const QString& message : {importCheck, reader}) {
            QVERIFY2(message.contains(QLatin1String("outside the model folder")), qPrintable(message));
            QVERIFY2(message.contains(file), qPrintable(message));
        }
        QVERIFY(checkStagedModel(dir).contains(QLatin1String("outside the model folder")));
        QVERIFY_THROWS_EXCEPTION(clip::ModelError, ClipEncoder(dir, clip::ComputeOptions{}));
    }

    // The two the issue names: a system file, and a relative climb out.
    void systemFileAndRelativeClimbAreRefused()
    {
        const QString relative = modelWithLink(QStringLiteral("relative"), QStringLiteral("model.safetensors"),
                                               QStringLiteral("../outside/model.safetensors"));
        QVERIFY(refusal([&] { modelIdForDirectory(relative); }).contains(QLatin1String("outside the model folder")));
        QVERIFY(refusal([&] { clip::ClipModel::load(relative.toStdString(), {}); })
                    .contains(QLatin1String("outside the model folder")));

        if (!QFileInfo(QStringLiteral("/etc/passwd")).isFile())
            QSKIP("no /etc/passwd on this system");
        const QString passwd = modelWithLink(QStringLiteral("passwd"), QStringLiteral("config.json"),
                                             QStringLiteral("/etc/passwd"));
        const QString message = refusal([&] { modelIdForDirectory(passwd); });
        QVERIFY2(message.contains(QLatin1String("/etc/passwd")), qPrintable(message));
        // Refused before anything was read: the message is ours, not a JSON error about its content.
        QVERIFY2(message.contains(QLatin1String("outside the model folder")), qPrintable(message));
    }

    // Links that stay inside, and a folder reached through a link, load.
    void linksInsideLoad()
    {
        const QString dir = copyModel(QStringLiteral("inside"));
        QDir(dir).mkpath(QStringLiteral("weights"));
        QVERIFY(QFile::rename(QDir(dir).filePath(QStringLiteral("model.safetensors")),
                              QDir(dir).filePath(QStringLiteral("weights/real.safetensors"))));
        QVERIFY(QFile::link(QStringLiteral("weights/real.safetensors"), QDir(dir).filePath(QStringLiteral("model.safetensors"))));
        QCOMPARE(modelIdForDirectory(dir), modelId_);
        ClipEncoder encoder(dir, clip::ComputeOptions{});
        QVERIFY(checkStagedModel(dir).isEmpty());

        const QString alias = path(QStringLiteral("alias"));
        QVERIFY(QFile::link(model_, alias));
        QCOMPARE(modelIdForDirectory(alias), modelId_);
        ClipEncoder viaAlias(alias, clip::ComputeOptions{});
    }

    // huggingface_hub's cache: snapshot files link to the repo's blobs/.
    // Those load; a link into another repo's blobs does not.
    void hubCacheSnapshotLoads()
    {
        const QDir repo(path(QStringLiteral("hub/models--x--tiny")));
        repo.mkpath(QStringLiteral("blobs"));
        repo.mkpath(QStringLiteral("snapshots/abc123"));
        for (const QString& f : kFiles) {
            const QString blob = QStringLiteral("blobs/") + QString(f).replace(QLatin1Char('.'), QLatin1Char('_'));
            QVERIFY(QFile::copy(QDir(model_).filePath(f), repo.filePath(blob)));
            QVERIFY(QFile::link(QStringLiteral("../../") + blob, repo.filePath(QStringLiteral("snapshots/abc123/") + f)));
        }
        const QString snapshot = repo.filePath(QStringLiteral("snapshots/abc123"));
        QCOMPARE(modelIdForDirectory(snapshot), modelId_);
        ClipEncoder encoder(snapshot, clip::ComputeOptions{});

        const QDir other(path(QStringLiteral("hub/models--y--other")));
        other.mkpath(QStringLiteral("blobs"));
        other.mkpath(QStringLiteral("snapshots/def"));
        for (const QString& f : kFiles)
            QVERIFY(QFile::link(repo.filePath(QStringLiteral("snapshots/abc123/") + f),
                                other.filePath(QStringLiteral("snapshots/def/") + f)));
        QVERIFY(refusal([&] { modelIdForDirectory(other.filePath(QStringLiteral("snapshots/def"))); })
                    .contains(QLatin1String("outside the model folder")));
    }
};

QTEST_GUILESS_MAIN(TestModelFolderLinks)
#include "test_model_folder_links.moc"
