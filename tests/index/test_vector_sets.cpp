// A library's vectors are identified by the model's files and the precision
// they were computed in (index/library/VectorSet.h): fp32 and bf16 vectors of
// one model never share a set; an index run adds new photos to the set the
// library already has (in its precision, where the device runs it
// natively); search, similar and tags read that set whatever precision this
// machine would choose. The CLI runs with explicit --dtype so that the suite
// means the same on CPUs with and without bf16 units (bf16 is emulated,
// slowly, on the latter).

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CliRun.h"
#include "GeneratedLibrary.h"
#include "LibraryModel.h"
#include "ModelIdentity.h"
#include "VectorSet.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using photosearch::testcli::Run;
using photosearch::testcli::runCli;
using namespace photosearch;

class TestVectorSets : public QObject {
    Q_OBJECT

    QTemporaryDir temp_;
    QString model_;
    QString filesId_;
    testlib::GeneratedLibrary photos_;

    QString library(const char* name) const { return temp_.filePath(QLatin1String(name)); }

    Run index(const QString& lib, const QStringList& extra = {}) const
    {
        return runCli(QStringList{QStringLiteral("index"), QStringLiteral("--library"), lib, QStringLiteral("--model"),
                                  model_}
                      + extra + QStringList{photos_.root});
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        model_ = testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        filesId_ = modelIdForDirectory(model_);
        photos_ = testlib::generateLibrary(temp_.filePath(QStringLiteral("photos")), 8);
    }

    void cleanupTestCase() { testlib::removeTree(temp_.path()); }

    void idsCarryThePrecision()
    {
        QCOMPARE(vectorSetId(QStringLiteral("clip-00aa"), QStringLiteral("fp32")), QStringLiteral("clip-00aa"));
        QCOMPARE(vectorSetId(QStringLiteral("clip-00aa"), QStringLiteral("bf16")), QStringLiteral("clip-00aa-bf16"));
        QCOMPARE(vectorSetPrecision(QStringLiteral("clip-00aa-bf16")), QStringLiteral("bf16"));
        QCOMPARE(vectorSetPrecision(QStringLiteral("clip-00aa-fp16")), QStringLiteral("fp16"));
        QCOMPARE(vectorSetPrecision(QStringLiteral("clip-00aa")), QStringLiteral("fp32"));
        QVERIFY(isVectorSetOf(QStringLiteral("clip-00aa-bf16"), QStringLiteral("clip-00aa")));
        QVERIFY(isVectorSetOf(QStringLiteral("clip-00aa"), QStringLiteral("clip-00aa")));
        QVERIFY(!isVectorSetOf(QStringLiteral("clip-00ab-bf16"), QStringLiteral("clip-00aa")));
        QVERIFY(!isVectorSetOf(QStringLiteral("clip-00aa-bf16x"), QStringLiteral("clip-00aa")));
    }

    // A library indexed in fp32 stays fp32 when indexed again without
    // --dtype: new photos join its vectors, on any CPU.
    void indexFollowsTheLibrarysPrecision()
    {
        const QString lib = library("fp32-lib");
        const Run first = index(lib, {QStringLiteral("--dtype"), QStringLiteral("fp32")});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        {
            const Catalog catalog(lib);
            QCOMPARE(libraryModelId(catalog), filesId_);
            QCOMPARE(catalog.embeddingCount(filesId_), qint64(photos_.good.size()));
        }
        const QString added = QDir(photos_.root).filePath(QStringLiteral("added-later.jpg"));
        QVERIFY(QFile::copy(photos_.good.at(0), added));
        // Distinct content: a copy would be matched to the original's vector.
        {
            QFile f(added);
            QVERIFY(f.open(QIODevice::Append));
            f.write("distinct trailer");
        }
        const Run second = index(lib);
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QCOMPARE(second.lines().value(0).value(QStringLiteral("added")).toInt(), 1);
        const Catalog catalog(lib);
        QCOMPARE(libraryModelId(catalog), filesId_);
        QCOMPARE(catalog.embeddingCount(filesId_), qint64(photos_.good.size() + 1));
        QCOMPARE(catalog.embeddingCount(vectorSetId(filesId_, QStringLiteral("bf16"))), qint64(0));
        QVERIFY(QFile::remove(added));
    }

    // Another precision asked for is another set: the fp32 vectors are not
    // overwritten or mixed, and search keeps using the set that covers the
    // library until the new one covers as much.
    void anotherPrecisionIsAnotherSet()
    {
        const QString lib = library("two-sets");
        QCOMPARE(index(lib, {QStringLiteral("--dtype"), QStringLiteral("fp32")}).exitCode, 0);
        const QString bf16 = vectorSetId(filesId_, QStringLiteral("bf16"));
        std::vector<float> fp32Vector;
        qint64 photoId = 0;
        {
            const Catalog catalog(lib);
            photoId = catalog.photoIds(PhotoFilter{}).front();
            fp32Vector = catalog.embedding(photoId, filesId_);
            QVERIFY(!fp32Vector.empty());
        }
        // Everything is re-encoded: bf16 vectors of unchanged photos are new.
        const Run second = index(lib, {QStringLiteral("--dtype"), QStringLiteral("bf16")});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        const Catalog catalog(lib);
        QCOMPARE(catalog.embeddingCount(filesId_), qint64(photos_.good.size()));
        QCOMPARE(catalog.embeddingCount(bf16), qint64(photos_.good.size()));
        QCOMPARE(catalog.embedding(photoId, filesId_), fp32Vector);
        const std::vector<float> bf16Vector = catalog.embedding(photoId, bf16);
        QCOMPARE(bf16Vector.size(), fp32Vector.size());
        QVERIFY(bf16Vector != fp32Vector);
        double dot = 0, a = 0, b = 0;
        for (size_t i = 0; i < fp32Vector.size(); ++i) {
            dot += double(fp32Vector[i]) * bf16Vector[i];
            a += double(fp32Vector[i]) * fp32Vector[i];
            b += double(bf16Vector[i]) * bf16Vector[i];
        }
        const double cosine = dot / std::sqrt(a * b);
        QVERIFY2(cosine >= 0.999, qPrintable(QStringLiteral("fp32/bf16 cosine %1").arg(cosine)));
        // The full bf16 run covers the library as well as fp32 did: it takes over.
        QCOMPARE(libraryModelId(catalog), bf16);
        QCOMPARE(existingVectorSet(catalog, filesId_), bf16);
    }

    // A run in another precision over part of the library fills its own set
    // and does not take search over: the library's set covers more photos.
    void partialRunInAnotherPrecisionDoesNotTakeOver()
    {
        const QString lib = library("partial");
        QCOMPARE(index(lib, {QStringLiteral("--dtype"), QStringLiteral("fp32")}).exitCode, 0);
        const QString extra = temp_.filePath(QStringLiteral("extra"));
        QVERIFY(QDir().mkpath(extra));
        const QString photo = QDir(extra).filePath(QStringLiteral("one.jpg"));
        QVERIFY(QFile::copy(photos_.good.at(0), photo));
        {
            QFile f(photo);
            QVERIFY(f.open(QIODevice::Append));
            f.write("another trailer");
        }
        const Run partial = runCli({QStringLiteral("index"), QStringLiteral("--library"), lib, QStringLiteral("--model"),
                                    model_, QStringLiteral("--dtype"), QStringLiteral("bf16"), extra});
        QVERIFY2(partial.exitCode == 0, partial.err.constData());
        QVERIFY2(partial.err.contains("still searches with"), partial.err.constData());
        const Catalog catalog(lib);
        QCOMPARE(catalog.embeddingCount(vectorSetId(filesId_, QStringLiteral("bf16"))), qint64(1));
        QCOMPARE(libraryModelId(catalog), filesId_);
        QCOMPARE(existingVectorSet(catalog, filesId_), filesId_);
        QCOMPARE(vectorSetModel(vectorSetId(filesId_, QStringLiteral("bf16"))), filesId_);
    }

    // Readers use the library's set whatever they would compute in: a
    // library of bf16 vectors searched with --dtype fp32 still finds them.
    void readersFindTheLibrarysSet()
    {
        const QString lib = library("bf16-lib");
        QCOMPARE(index(lib, {QStringLiteral("--dtype"), QStringLiteral("bf16")}).exitCode, 0);
        const QString photo = photos_.good.at(1);
        for (const QString& dtype : {QStringLiteral("fp32"), QStringLiteral("bf16")}) {
            const Run similar = runCli({QStringLiteral("similar"), QStringLiteral("--library"), lib, QStringLiteral("--dtype"),
                                        dtype, QStringLiteral("-k"), QStringLiteral("1"), photo});
            QVERIFY2(similar.exitCode == 0, similar.err.constData());
            QCOMPARE(similar.lines().value(0).value(QStringLiteral("path")).toString(), photo);
            const Run search = runCli({QStringLiteral("search"), QStringLiteral("--library"), lib, QStringLiteral("--dtype"),
                                       dtype, QStringLiteral("--all"), QStringLiteral("a photo")});
            QVERIFY2(search.exitCode == 0, search.err.constData());
            QVERIFY2(!search.err.contains("no photos indexed"), search.err.constData());
            QVERIFY(!search.lines().isEmpty());
        }
        const Catalog catalog(lib);
        QCOMPARE(catalog.embeddingCount(filesId_), qint64(0)); // nothing was written in fp32
    }
};

QTEST_GUILESS_MAIN(TestVectorSets)
#include "test_vector_sets.moc"
