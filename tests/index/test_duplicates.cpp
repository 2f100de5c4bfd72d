// Near-duplicate groups end to end: a folder of originals, derived copies
// (resized, re-compressed, cropped, brightened, EXIF-rotated, byte copies,
// other formats) and distinct photos (other scenes, the same shapes in other
// colours) is indexed with a random tiny CLIP; the groups are exactly the
// expected ones, and the same with another random model. Also: the
// candidate search misses no pair, the hash follows the content through
// re-indexing, the duplicates pass fills in missing hashes, and the CLI.

// LibTorch (via ClipEncoder.h) before Qt.
#include "ClipEncoder.h"

#include "Catalog.h"
#include "CliRun.h"
#include "DuplicateFinder.h"
#include "HashBackfill.h"
#include "Indexer.h"
#include "ModelIdentity.h"
#include "PerceptualHash.h"
#include "PhotoHashes.h"
#include "PhotoScenes.h"
#include "SqliteConnection.h"
#include "TestImages.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTransform>

#include <set>

using namespace photosearch;
namespace ti = photosearch::testimages;

namespace {

QImage scene(int layout, int colours = -1, double shift = 0)
{
    return ti::renderScene(800, 600, {quint32(layout), quint32(colours < 0 ? layout + 1000 : colours), shift});
}

using Groups = std::vector<QStringList>;

Groups pathsOf(const std::vector<DuplicateGroup>& groups)
{
    Groups out;
    for (const DuplicateGroup& g : groups) {
        QStringList paths;
        for (const HashedPhoto& p : g.members)
            paths << p.path;
        out.push_back(paths);
    }
    return out;
}

QString describe(const Groups& groups)
{
    QStringList lines;
    for (const QStringList& g : groups)
        lines << QLatin1Char('[') + g.join(QStringLiteral(", ")) + QLatin1Char(']');
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestDuplicates : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString root_;
    Groups expected_;
    QString distinctPath_; // a photo in no group

    QString path(const QString& name) const { return root_ + QLatin1Char('/') + name; }

    void write(const QImage& image, const QString& name, ImageFormat format = ImageFormat::Jpeg)
    {
        QString error;
        QVERIFY2(ti::writeImage(image, path(name), format, &error), qPrintable(error));
    }

    // A library indexed with a tiny random CLIP of this seed.
    QString indexWithModel(quint64 seed)
    {
        const QString model = temp_.filePath(QStringLiteral("model%1").arg(seed));
        QString error;
        if (!testmodel::writeTinyClipModel(model, &error, seed))
            qFatal("cannot write a tiny model: %s", qPrintable(error));
        const ClipEncoder encoder(model, clip::chooseCompute(clip::DevicePreference::Cpu));
        const QString library = temp_.filePath(QStringLiteral("library%1").arg(seed));
        Indexer indexer(library, encoder.model(), encoder.preprocessor(), modelIdForDirectory(model));
        IndexOptions options;
        options.roots = {root_};
        options.workers = 2;
        options.modelDir = model;
        const IndexSummary s = indexer.run(options);
        if (s.failed != 0)
            qFatal("%lld photos failed to index", (long long)s.failed);
        return library;
    }

    Groups groupsIn(const QString& library)
    {
        const Catalog catalog(library);
        return pathsOf(DuplicateFinder().groups(hashedPhotos(catalog)));
    }

    void logDistances(const QString& library)
    {
        const Catalog catalog(library);
        std::map<QString, quint64> hash;
        for (const HashedPhoto& p : hashedPhotos(catalog))
            hash[p.path] = p.hash;
        for (const QStringList& g : expected_) {
            QStringList d;
            for (const QString& p : g.mid(1))
                d << QStringLiteral("%1:%2").arg(QFileInfo(p).fileName()).arg(hammingDistance(hash[g[0]], hash[p]));
            qInfo("from %s: %s", qPrintable(QFileInfo(g[0]).fileName()), qPrintable(d.join(' ')));
        }
        // The nearest two photos that are not copies of one another.
        const auto groupOf = [&](const QString& p) {
            for (size_t i = 0; i < expected_.size(); ++i)
                if (expected_[i].contains(p))
                    return int(i);
            return -1;
        };
        int nearest = 64;
        QString pair;
        for (auto x = hash.begin(); x != hash.end(); ++x)
            for (auto y = std::next(x); y != hash.end(); ++y) {
                const int d = hammingDistance(x->second, y->second);
                if ((groupOf(x->first) < 0 || groupOf(x->first) != groupOf(y->first)) && d < nearest) {
                    nearest = d;
                    pair = QFileInfo(x->first).fileName() + QLatin1Char(' ') + QFileInfo(y->first).fileName();
                }
            }
        qInfo("nearest photos that are not copies: %s at %d", qPrintable(pair), nearest);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        root_ = temp_.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(root_ + QStringLiteral("/backup")));

        // Group 1: an original, a half-size copy, a quality-30 copy, a PNG
        // and a byte-identical copy in another folder.
        const QImage a = scene(1);
        write(a, QStringLiteral("a.jpg"));
        write(ti::resizedCopy(a, 0.5), QStringLiteral("a-small.jpg"));
        write(ti::recompressedCopy(a, 30), QStringLiteral("a-q30.jpg"));
        write(a, QStringLiteral("a.png"), ImageFormat::Png);
        QVERIFY(QFile::copy(path(QStringLiteral("a.jpg")), path(QStringLiteral("backup/a.jpg"))));
        // Group 2: cropped 4% per side, brightened, double size.
        const QImage b = scene(2);
        write(b, QStringLiteral("b.jpg"));
        write(ti::croppedCopy(b, 0.04), QStringLiteral("b-crop.jpg"));
        write(ti::brightenedCopy(b, 20), QStringLiteral("b-bright.webp"), ImageFormat::Webp);
        write(ti::resizedCopy(b, 2.0), QStringLiteral("b-large.jpg"));
        // Group 3: pixels stored turned, shown upright by the EXIF tag; and a
        // burst frame with the front shape moved by 2% of the width.
        const QImage c = scene(3);
        write(c, QStringLiteral("c.jpg"));
        ti::ExifFields exif;
        exif.orientation = 6;
        QString error;
        QVERIFY2(ti::writeJpegWithExif(c.transformed(QTransform().rotate(-90)), path(QStringLiteral("c-exif.jpg")),
                                       exif, &error),
                 qPrintable(error));
        write(scene(3, -1, 0.02), QStringLiteral("c-burst.jpg"));
        // Distinct: other scenes, the same layouts in other colours, scene 2
        // turned as displayed.
        for (int i = 4; i < 10; ++i)
            write(scene(i), QStringLiteral("other%1.jpg").arg(i));
        write(scene(1, 77), QStringLiteral("a-recoloured.jpg"));
        write(scene(2, 78), QStringLiteral("b-recoloured.jpg"));
        write(b.transformed(QTransform().rotate(90)), QStringLiteral("b-turned.jpg"));
        distinctPath_ = path(QStringLiteral("other4.jpg"));

        const auto group = [&](QStringList names) {
            QStringList paths;
            for (const QString& n : names)
                paths << path(n);
            paths.sort();
            return paths;
        };
        expected_ = {
            group({"a.jpg", "a-small.jpg", "a-q30.jpg", "a.png", "backup/a.jpg"}),
            group({"b.jpg", "b-crop.jpg", "b-bright.webp", "b-large.jpg"}),
            group({"c.jpg", "c-exif.jpg", "c-burst.jpg"}),
        };
    }

    void candidateSearchMissesNoPair()
    {
        // Random hashes with planted neighbours at every distance up to 14:
        // the block search must find exactly the pairs a full comparison finds.
        QRandomGenerator rng(42);
        std::vector<quint64> hashes;
        for (int i = 0; i < 3000; ++i) {
            const quint64 h = rng.generate64();
            hashes.push_back(h);
            quint64 near = h;
            for (int flips = rng.bounded(15); flips > 0; --flips)
                near ^= quint64(1) << rng.bounded(64);
            hashes.push_back(near);
        }
        for (int t : {0, 6, 10, 13}) {
            std::vector<std::pair<int, int>> brute;
            for (int i = 0; i < int(hashes.size()); ++i)
                for (int j = i + 1; j < int(hashes.size()); ++j)
                    if (hammingDistance(hashes[size_t(i)], hashes[size_t(j)]) <= t)
                        brute.emplace_back(i, j);
            const auto found = DuplicateFinder(t).nearPairs(hashes);
            QCOMPARE(found.size(), brute.size());
            QVERIFY(found == brute);
            QVERIFY(t == 0 || found.size() > 100);
        }
    }

    void groupsAreExactlyTheCopies()
    {
        const QString library = indexWithModel(0);
        logDistances(library);
        const Groups groups = groupsIn(library);
        QVERIFY2(groups == expected_, qPrintable("got\n" + describe(groups) + "\nexpected\n" + describe(expected_)));
        // Every Ok photo got a hash at index time.
        const Catalog catalog(library);
        for (const PhotoRecord& r : catalog.photos())
            QVERIFY2(r.phash.has_value(), qPrintable(r.path));
    }

    // The rule is the hash alone: a model with other random weights (whose
    // embeddings differ) gives the same groups.
    void groupsDoNotDependOnTheModel()
    {
        const QString first = temp_.filePath(QStringLiteral("library0"));
        const QString second = indexWithModel(7);
        {
            const Catalog a(first);
            const Catalog b(second);
            const QString idA = modelIdForDirectory(temp_.filePath(QStringLiteral("model0")));
            const QString idB = modelIdForDirectory(temp_.filePath(QStringLiteral("model7")));
            const qint64 photoA = a.photoByPath(distinctPath_)->id;
            const qint64 photoB = b.photoByPath(distinctPath_)->id;
            QVERIFY(a.embedding(photoA, idA) != b.embedding(photoB, idB));
        }
        QVERIFY(groupsIn(second) == groupsIn(first));
    }

    // Same bytes with a new mtime keep the stored hash (not decoded again);
    // new content gets a new hash.
    void hashFollowsTheContent()
    {
        const QString library = temp_.filePath(QStringLiteral("library0"));
        const QString target = path(QStringLiteral("other5.jpg"));
        const quint64 sentinel = 0x923456789abcdef0ULL; // top bit set: stored as a negative integer
        {
            Catalog catalog(library);
            catalog.connection().statement("UPDATE photos SET phash = ?1 WHERE path = ?2")
                .bind(1, qint64(sentinel))
                .bind(2, target)
                .run();
        }
        QFile file(target);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(3600), QFileDevice::FileModificationTime));
        file.close();
        indexWithModel(0);
        {
            const Catalog catalog(library);
            QCOMPARE(*catalog.photoByPath(target)->phash, sentinel);
        }
        write(scene(20), QStringLiteral("other5.jpg"));
        indexWithModel(0);
        const Catalog catalog(library);
        const std::optional<quint64> fresh = catalog.photoByPath(target)->phash;
        QVERIFY(fresh && *fresh != sentinel);
        QVERIFY(hammingDistance(*fresh, perceptualHash(scene(20))) <= 4);
    }

    // Rows indexed before schema 3 have no hash: the duplicates pass decodes
    // them; a file that cannot be decoded is reported and skipped.
    void duplicatesPassFillsMissingHashes()
    {
        const QString library = temp_.filePath(QStringLiteral("library0"));
        const QString broken = path(QStringLiteral("other6.jpg"));
        std::map<QString, quint64> before;
        {
            Catalog catalog(library);
            for (const HashedPhoto& p : hashedPhotos(catalog))
                before[p.path] = p.hash;
            catalog.connection().statement("UPDATE photos SET phash = NULL WHERE path IN (?1, ?2, ?3)")
                .bind(1, path(QStringLiteral("a-q30.jpg")))
                .bind(2, path(QStringLiteral("c-exif.jpg")))
                .bind(3, broken)
                .run();
            QCOMPARE(unhashedPhotos(catalog).size(), size_t(3));
        }
        QFile::remove(broken);
        QStringList warnings;
        qint64 lastDone = 0;
        Catalog catalog(library);
        HashBackfillCallbacks callbacks;
        callbacks.warn = [&](const QString& w) { warnings << w; };
        callbacks.progress = [&](qint64 done, qint64 total) {
            QCOMPARE(total, qint64(3));
            lastDone = done;
        };
        const HashBackfillSummary s = computeMissingHashes(catalog, callbacks, 2);
        QCOMPARE(s.missing, qint64(3));
        QCOMPARE(s.computed, qint64(2));
        QCOMPARE(s.skipped, qint64(1));
        QCOMPARE(lastDone, qint64(3));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(broken), qPrintable(warnings[0]));
        // Decoded for the default 224 px input rather than the tiny model's
        // 64 px: the same hash give or take a bit pair.
        for (const QString name : {"a-q30.jpg", "c-exif.jpg"}) {
            const std::optional<quint64> h = catalog.photoByPath(path(name))->phash;
            QVERIFY(h);
            qInfo("%s: recomputed hash %d bits from the indexer's", qPrintable(name),
                  hammingDistance(*h, before[path(name)]));
            QVERIFY(hammingDistance(*h, before[path(name)]) <= 2);
        }
        QVERIFY(!catalog.photoByPath(broken)->phash);
        QVERIFY(pathsOf(DuplicateFinder().groups(hashedPhotos(catalog))) == expected_);
    }

    void cliPrintsOneLinePerGroup()
    {
        const QString library = temp_.filePath(QStringLiteral("library7"));
        {
            Catalog catalog(library);
            catalog.connection().statement("UPDATE photos SET phash = NULL WHERE path = ?1")
                .bind(1, path(QStringLiteral("b-crop.jpg")))
                .run();
        }
        const testcli::Run run = testcli::runCli({QStringLiteral("duplicates"), QStringLiteral("--library"), library});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QJsonObject> lines = run.lines();
        Groups printed;
        for (const QJsonObject& line : lines) {
            QCOMPARE(line.keys(), QStringList{QStringLiteral("paths")});
            QStringList paths;
            for (const QJsonValue& v : line.value(QStringLiteral("paths")).toArray())
                paths << v.toString();
            printed.push_back(paths);
        }
        QVERIFY2(printed == expected_, qPrintable(describe(printed)));
        QVERIFY2(run.err.contains("1/1"), run.err.constData()); // the missing hash was computed

        const testcli::Run bad = testcli::runCli({QStringLiteral("duplicates"), QStringLiteral("--library"),
                                                  temp_.filePath(QStringLiteral("nowhere"))});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.out.isEmpty());
        QCOMPARE(bad.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestDuplicates)
#include "test_duplicates.moc"
