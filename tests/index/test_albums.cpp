// Albums (index/albums): storage of manual and few-shot albums, the linear
// probe, few-shot ranking, auto-albums from tags, and the album commands of
// photosearch-cli as a user runs them. The storage and probe cases build a
// catalog in-process with synthetic embeddings (exact expectations, no
// model); the CLI cases index a generated library with the tiny random CLIP.
// The quality of the probe on a real concept is test_album_quality.cpp.

#include "AlbumLibrary.h"
#include "AlbumStore.h"
#include "Catalog.h"
#include "CliRun.h"
#include "FewShotAlbum.h"
#include "GeneratedLibrary.h"
#include "LinearProbe.h"
#include "SqliteConnection.h"
#include "TagAlbums.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <set>
#include <cstdint>

using namespace photosearch;
using photosearch::testcli::Run;
using photosearch::testcli::runCli;

namespace {

const QString kModel = QStringLiteral("model-a");
constexpr int kDim = 16;

// A deterministic unit vector near axis `axis` (noise from a fixed LCG).
std::vector<float> nearAxis(int axis, uint64_t seed, double noise = 0.35)
{
    uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    std::vector<float> v(kDim);
    double norm = 0;
    for (int d = 0; d < kDim; ++d) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        const double u = double(s >> 11) / double(1ULL << 53) - 0.5;
        v[size_t(d)] = float((d == axis ? 1.0 : 0.0) + noise * u);
        norm += double(v[size_t(d)]) * v[size_t(d)];
    }
    for (float& x : v)
        x = float(x / std::sqrt(norm));
    return v;
}

// Photos 0..n-1 under `dir`; photo i lies near axis axisOf(i).
std::vector<qint64> addPhotos(Catalog& catalog, const QString& dir, int n, const std::function<int(int)>& axisOf,
                              const QString& model = kModel)
{
    std::vector<qint64> ids;
    Catalog::Transaction t(catalog);
    for (int i = 0; i < n; ++i) {
        PhotoRecord r;
        r.path = QDir(dir).filePath(QStringLiteral("p%1.jpg").arg(i, 3, 10, QLatin1Char('0')));
        r.contentHash = QStringLiteral("hash%1").arg(i);
        r.status = PhotoStatus::Ok;
        catalog.insertPhoto(r);
        catalog.putEmbedding(r.id, model, nearAxis(axisOf(i), uint64_t(i) + 1), r.contentHash);
        ids.push_back(r.id);
    }
    t.commit();
    return ids;
}

QString pathOf(const Catalog& catalog, qint64 id)
{
    return catalog.photo(id)->path;
}

} // namespace

class TestAlbums : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    int libraries_ = 0;

    QString newLibraryDir()
    {
        const QString dir = temp_.filePath(QStringLiteral("lib%1").arg(++libraries_));
        QDir().mkpath(dir);
        return dir;
    }

private Q_SLOTS:
    void cleanupTestCase() { testlib::removeTree(temp_.path()); }
    void storeCreatesRenamesAndDeletes();
    void storeKeepsOrderAndRefusesUnknownPaths();
    void deletingAnAlbumKeepsItsPhotos();
    void probeSeparatesAndIsDeterministic();
    void probeNeedsTwoClasses();
    void fewShotRanksTheMarkedConcept();
    void fewShotRetrainsForAnotherModel();
    void tagAlbumsFollowCorrections();
    void cliAlbums();
};

void TestAlbums::storeCreatesRenamesAndDeletes()
{
    Catalog catalog(newLibraryDir());
    AlbumStore store(catalog);
    QVERIFY(store.albums().empty());
    const AlbumRow trip = store.create(QStringLiteral("  Trip  "), AlbumKind::Manual);
    QCOMPARE(trip.name, QStringLiteral("Trip")); // trimmed
    store.create(QStringLiteral("Cats"), AlbumKind::FewShot);
    QCOMPARE(int(store.albums().size()), 2);
    QCOMPARE(store.albums()[0].name, QStringLiteral("Cats")); // by name
    QCOMPARE(store.albums()[0].kind, AlbumKind::FewShot);
    QVERIFY_THROWS_EXCEPTION(AlbumError, store.create(QStringLiteral("Trip"), AlbumKind::Manual));
    QVERIFY_THROWS_EXCEPTION(AlbumError, store.create(QStringLiteral("   "), AlbumKind::Manual));
    QVERIFY_THROWS_EXCEPTION(AlbumError, store.rename(QStringLiteral("Trip"), QStringLiteral("Cats")));
    QVERIFY_THROWS_EXCEPTION(AlbumError, store.rename(QStringLiteral("Nope"), QStringLiteral("Other")));
    store.rename(QStringLiteral("Trip"), QStringLiteral("Holiday"));
    QVERIFY(!store.album(QStringLiteral("Trip")));
    QCOMPARE(store.album(QStringLiteral("Holiday"))->id, trip.id);
    try {
        store.requireAlbum(QStringLiteral("Nope"));
        QFAIL("an unknown album was found");
    } catch (const AlbumError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("\"Nope\"")), e.what());
    }
    store.remove(QStringLiteral("Holiday"));
    QCOMPARE(int(store.albums().size()), 1);
}

void TestAlbums::storeKeepsOrderAndRefusesUnknownPaths()
{
    const QString dir = newLibraryDir();
    Catalog catalog(dir);
    const std::vector<qint64> ids = addPhotos(catalog, dir, 5, [](int) { return 0; });
    AlbumStore store(catalog);
    const AlbumRow a = store.create(QStringLiteral("A"), AlbumKind::Manual);
    QCOMPARE(store.addPhotos(a.id, {ids[3], ids[1]}), 2);
    QCOMPARE(store.addPhotos(a.id, {ids[1], ids[4]}), 1); // ids[1] is already in
    QCOMPARE(store.photos(a.id), (std::vector<qint64>{ids[3], ids[1], ids[4]}));
    QCOMPARE(store.removePhotos(a.id, {ids[1], ids[0]}), 1);
    QCOMPARE(store.photos(a.id), (std::vector<qint64>{ids[3], ids[4]}));
    QCOMPARE(store.photoIdForPath(pathOf(catalog, ids[2])), ids[2]);
    const QString missing = QDir(dir).filePath(QStringLiteral("not-indexed.jpg"));
    try {
        store.photoIdsForPaths({pathOf(catalog, ids[0]), missing});
        QFAIL("a path outside the library was accepted");
    } catch (const AlbumError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(missing), e.what());
    }
    // A path not in the library writes nothing, not even the new album.
    AlbumLibrary albums(catalog, kModel);
    QVERIFY_THROWS_EXCEPTION(AlbumError, albums.add(QStringLiteral("New"), {missing}));
    QVERIFY(!store.album(QStringLiteral("New")));
}

void TestAlbums::deletingAnAlbumKeepsItsPhotos()
{
    const QString dir = newLibraryDir();
    Catalog catalog(dir);
    const std::vector<qint64> ids = addPhotos(catalog, dir, 6, [](int i) { return i % 2; });
    AlbumLibrary albums(catalog, kModel);
    QCOMPARE(albums.add(QStringLiteral("M"), {pathOf(catalog, ids[0]), pathOf(catalog, ids[1])}), 2);
    albums.train(QStringLiteral("F"), {pathOf(catalog, ids[0])}, {pathOf(catalog, ids[1])});
    albums.deleteAlbum(QStringLiteral("M"));
    albums.deleteAlbum(QStringLiteral("F"));
    QCOMPARE(int(catalog.photos().size()), 6);
    QCOMPARE(catalog.embeddingCount(kModel), qint64(6));
    Statement s = catalog.connection().statement(
        "SELECT (SELECT count(*) FROM album_photos) + (SELECT count(*) FROM album_examples) "
        "+ (SELECT count(*) FROM album_models)");
    QVERIFY(s.next());
    QCOMPARE(s.int64(0), qint64(0));
    QVERIFY_THROWS_EXCEPTION(AlbumError, albums.deleteAlbum(QStringLiteral("M")));
}

void TestAlbums::probeSeparatesAndIsDeterministic()
{
    std::vector<std::vector<float>> vectors;
    for (int i = 0; i < 40; ++i)
        vectors.push_back(nearAxis(i % 2, uint64_t(i) + 100));
    std::vector<ProbeExample> examples;
    for (int i = 0; i < 40; ++i)
        examples.push_back(ProbeExample{&vectors[size_t(i)], i % 2 == 1, i % 2 == 1 ? 1.0 : 0.5});
    const LinearProbe a = LinearProbe::train(examples, 1e-3);
    const LinearProbe b = LinearProbe::train(examples, 1e-3);
    QCOMPARE(a.weights(), b.weights());
    QCOMPARE(a.bias(), b.bias());
    for (int i = 0; i < 40; ++i)
        QCOMPARE(a.probability(vectors[size_t(i)]) > 0.5, i % 2 == 1);
    // Stronger regularisation: a smaller weight vector, same ranking side.
    const LinearProbe strong = LinearProbe::train(examples, 1.0);
    double na = 0, ns = 0;
    for (size_t d = 0; d < a.weights().size(); ++d) {
        na += double(a.weights()[d]) * a.weights()[d];
        ns += double(strong.weights()[d]) * strong.weights()[d];
    }
    QVERIFY(ns < na);
    QVERIFY(strong.logit(nearAxis(1, 999)) > strong.logit(nearAxis(0, 999)));
}

void TestAlbums::probeNeedsTwoClasses()
{
    std::vector<float> v = nearAxis(0, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LinearProbe::train({ProbeExample{&v, true, 1}}, 1e-3));
    std::vector<float> shorter(3, 0.5f);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             LinearProbe::train({ProbeExample{&v, true, 1}, ProbeExample{&shorter, false, 1}}, 1e-3));
}

void TestAlbums::fewShotRanksTheMarkedConcept()
{
    // 60 photos near axis 0 ("in the concept"), 120 near axes 1..3.
    const QString dir = newLibraryDir();
    Catalog catalog(dir);
    auto axisOf = [](int i) { return i % 3 == 0 ? 0 : 1 + i % 3; };
    const std::vector<qint64> ids = addPhotos(catalog, dir, 180, axisOf);
    AlbumLibrary albums(catalog, kModel);
    QStringList in;
    for (int i = 0; i < 15; i += 3)
        in << pathOf(catalog, ids[size_t(i)]);
    const FewShotTraining t = albums.train(QStringLiteral("Axis zero"), in, {});
    QVERIFY(t.trained);
    QCOMPARE(t.positives, 5);
    QCOMPARE(t.negatives, 0);
    QCOMPARE(t.weakNegatives, 175); // every other photo: fewer than the sample size
    QCOMPARE(t.withoutEmbedding, 0);

    const std::vector<AlbumPhoto> members = albums.show(QStringLiteral("Axis zero"));
    QVERIFY(members.size() >= 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(members[size_t(i)].path, in[i]); // marked in first, in example order
        QCOMPARE(members[size_t(i)].score, 1.0);
    }
    // Every member beyond the marked ones is near axis 0, and the probe finds
    // all 55 left, although the weak negatives were drawn from those very
    // photos (all 175 others are the sample).
    int correct = 0;
    for (size_t i = 5; i < members.size(); ++i) {
        const qint64 index = members[i].photoId - ids.front();
        QVERIFY(members[i].score >= 0.5 && members[i].score <= members[i - 1].score);
        correct += axisOf(int(index)) == 0 ? 1 : 0;
    }
    qInfo("synthetic few-shot album: %d members beyond the 5 marked, %d of them near the concept axis (of 55)",
          int(members.size()) - 5, correct);
    // With λ = 0.1 the probe cannot memorise the sampled photos of the
    // concept as negatives (λ = 1e-3 let it: only 32 of 55 came back).
    QCOMPARE(correct, 55);
    QCOMPARE(int(members.size()), 60);
    const std::vector<AlbumSummary> listed = albums.list();
    QCOMPARE(int(listed.size()), 1);
    QCOMPARE(listed[0].kind, AlbumKind::FewShot);
    QCOMPARE(listed[0].count, qint64(members.size()));

    // Marking a member out removes it and retrains.
    const QString wrong = members.back().path;
    QCOMPARE(albums.remove(QStringLiteral("Axis zero"), {wrong}), 1);
    for (const AlbumPhoto& p : albums.show(QStringLiteral("Axis zero")))
        QVERIFY(p.path != wrong);
}

void TestAlbums::fewShotRetrainsForAnotherModel()
{
    const QString dir = newLibraryDir();
    Catalog catalog(dir);
    const std::vector<qint64> ids = addPhotos(catalog, dir, 30, [](int i) { return i % 2; });
    {
        // The same photos under a second model, concepts on other axes.
        Catalog::Transaction t(catalog);
        for (size_t i = 0; i < ids.size(); ++i)
            catalog.putEmbedding(ids[i], QStringLiteral("model-b"), nearAxis(5 + int(i % 2), i + 50),
                                 catalog.photo(ids[i])->contentHash);
        t.commit();
    }
    AlbumLibrary a(catalog, kModel);
    QVERIFY(a.train(QStringLiteral("Odd"), {pathOf(catalog, ids[1]), pathOf(catalog, ids[3])},
                    {pathOf(catalog, ids[0])})
                .trained);
    AlbumStore store(catalog);
    const qint64 album = store.requireAlbum(QStringLiteral("Odd")).id;
    QVERIFY(store.probe(album, kModel));
    QVERIFY(!store.probe(album, QStringLiteral("model-b")));
    AlbumLibrary b(catalog, QStringLiteral("model-b"));
    const std::vector<AlbumPhoto> members = b.show(QStringLiteral("Odd")); // trains for model-b on demand
    QVERIFY(store.probe(album, QStringLiteral("model-b")));
    QCOMPARE(members.size(), size_t(15)); // the 2 marked + the other 13 odd photos
    for (const AlbumPhoto& p : members)
        QCOMPARE((p.photoId - ids.front()) % 2, qint64(1));
    // New examples drop every model's probe (they no longer match).
    a.add(QStringLiteral("Odd"), {pathOf(catalog, ids[5])});
    QVERIFY(store.probe(album, kModel));
    QVERIFY(!store.probe(album, QStringLiteral("model-b")));
}

void TestAlbums::tagAlbumsFollowCorrections()
{
    const QString dir = newLibraryDir();
    Catalog catalog(dir);
    const std::vector<qint64> ids = addPhotos(catalog, dir, 10, [](int) { return 0; });
    const SqliteConnection& c = catalog.connection();
    c.exec("INSERT INTO tags(id, name) VALUES (1, 'beach'), (2, 'dog')");
    // beach: assigned to photos 0..4 by model-a, 0..6 by model-b; dog: 0..3.
    for (int i = 0; i < 7; ++i) {
        c.statement("INSERT INTO photo_tag_scores(photo_id, tag_id, model_id, score, assigned) VALUES(?1, 1, ?2, ?3, ?4)")
            .bind(1, ids[size_t(i)]).bind(2, kModel).bind(3, 0.9 - 0.01 * i).bind(4, i < 5 ? 1 : 0).run();
        c.statement("INSERT INTO photo_tag_scores(photo_id, tag_id, model_id, score, assigned) VALUES(?1, 1, 'model-b', 0.8, 1)")
            .bind(1, ids[size_t(i)]).run();
    }
    for (int i = 0; i < 4; ++i)
        c.statement("INSERT INTO photo_tag_scores(photo_id, tag_id, model_id, score, assigned) VALUES(?1, 2, ?2, 0.7, 1)")
            .bind(1, ids[size_t(i)]).bind(2, kModel).run();
    std::vector<TagAlbum> tags = tagAlbums(catalog, kModel);
    QCOMPARE(int(tags.size()), 1); // dog has 4 < kMinTagAlbumPhotos
    QCOMPARE(tags[0].name, QStringLiteral("beach"));
    QCOMPARE(tags[0].count, qint64(5));
    QVERIFY(tagAlbumPhotos(catalog, kModel, QStringLiteral("dog")).empty());

    // A removal wins over the model, a confirmation adds the photo (scored
    // or not): beach = 0..4 - 2 + 6 (scored 0.84) + 9 (unscored, 1).
    c.statement("INSERT INTO tag_corrections(photo_id, tag, verdict) VALUES(?1, 'beach', -1)").bind(1, ids[2]).run();
    c.statement("INSERT INTO tag_corrections(photo_id, tag, verdict) VALUES(?1, 'beach', 1)").bind(1, ids[6]).run();
    c.statement("INSERT INTO tag_corrections(photo_id, tag, verdict) VALUES(?1, 'beach', 1)").bind(1, ids[9]).run();
    c.statement("INSERT INTO tag_corrections(photo_id, tag, verdict) VALUES(?1, 'dog', 1)").bind(1, ids[8]).run();
    tags = tagAlbums(catalog, kModel);
    QCOMPARE(int(tags.size()), 2);
    QCOMPARE(tags[0].count, qint64(6));
    QCOMPARE(tags[1].name, QStringLiteral("dog"));
    QCOMPARE(tags[1].count, qint64(5));
    // Confirmed photos first (score 1), then by the model's score.
    const std::vector<TagAlbumPhoto> beach = tagAlbumPhotos(catalog, kModel, QStringLiteral("beach"));
    std::vector<qint64> order;
    for (const TagAlbumPhoto& p : beach)
        order.push_back(p.photoId);
    QCOMPARE(int(order.size()), 6);
    QCOMPARE((std::set<qint64>{order[0], order[1]}), (std::set<qint64>{ids[6], ids[9]}));
    QCOMPARE(beach[0].score, 1.0);
    QCOMPARE(beach[1].score, 1.0);
    QCOMPARE(std::vector<qint64>(order.begin() + 2, order.end()), (std::vector<qint64>{ids[0], ids[1], ids[3], ids[4]}));
    QCOMPARE(beach[2].score, 0.9);

    AlbumLibrary albums(catalog, kModel);
    const std::vector<AlbumSummary> listed = albums.list();
    QCOMPARE(int(listed.size()), 2);
    QCOMPARE(listed[0].kind, AlbumKind::Tag);
    QCOMPARE(albums.show(QStringLiteral("dog")).size(), size_t(5));
    QVERIFY_THROWS_EXCEPTION(AlbumError, albums.deleteAlbum(QStringLiteral("dog")));
    QVERIFY_THROWS_EXCEPTION(AlbumError, albums.add(QStringLiteral("dog"), {pathOf(catalog, ids[9])}));
    QVERIFY_THROWS_EXCEPTION(AlbumError, albums.train(QStringLiteral("dog"), {pathOf(catalog, ids[9])}, {}));
    // A stored album named like a tag that became an album later wins (the
    // tag album is hidden).
    AlbumStore(catalog).create(QStringLiteral("dog"), AlbumKind::FewShot);
    QCOMPARE(int(albums.list().size()), 2);
    QCOMPARE(albums.list()[1].kind, AlbumKind::FewShot);
}

void TestAlbums::cliAlbums()
{
    const QString model = testlib::tinyClipDir();
    QVERIFY2(!model.isEmpty(), "could not write a tiny CLIP model");
    const testlib::GeneratedLibrary photos = testlib::generateLibrary(temp_.filePath(QStringLiteral("photos")), 6);
    const QString library = temp_.filePath(QStringLiteral("cli-library"));
    auto cli = [&](QStringList args) {
        args.insert(args.size() > 1 && args[0] == QLatin1String("album") ? 2 : 1, QStringLiteral("--library"));
        args.insert(args.size() > 2 && args[0] == QLatin1String("album") ? 3 : 2, library);
        return runCli(args);
    };
    const Run indexed = runCli({QStringLiteral("index"), QStringLiteral("--library"), library, QStringLiteral("--model"),
                                model, photos.root});
    QVERIFY2(indexed.exitCode == 0, indexed.err.constData());
    const QStringList p = photos.good.mid(0, 5);
    QCOMPARE(p.size(), 5);

    // The index run tagged the photos: tags with enough of them are listed
    // as auto-albums; the albums a person makes are the others.
    const auto stored = [](const Run& run) {
        QList<QJsonObject> out;
        for (const QJsonObject& o : run.lines())
            if (o.value(QStringLiteral("kind")).toString() != QLatin1String("tag"))
                out << o;
        return out;
    };
    Run r = cli({QStringLiteral("albums")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(stored(r).isEmpty());

    r = cli(QStringList{QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("Trip")} + p.mid(0, 2));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.lines().value(0), (QJsonObject{{"album", "Trip"}, {"kind", "manual"}, {"added", 2}, {"count", 2}}));
    r = cli(QStringList{QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("Trip")} + p.mid(1, 2));
    QCOMPARE(r.lines().value(0).value(QStringLiteral("added")).toInt(), 1);
    r = cli({QStringLiteral("album"), QStringLiteral("show"), QStringLiteral("Trip")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.lines().size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(r.lines()[i], (QJsonObject{{"path", p[i]}, {"score", 1.0}}));

    // Errors: one line naming what is wrong; nothing written.
    const QString stranger = temp_.filePath(QStringLiteral("stranger.jpg"));
    r = cli({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("Trip"), p[3], stranger});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(stranger.toUtf8()) && r.err.count('\n') == 1, r.err.constData());
    r = cli({QStringLiteral("album"), QStringLiteral("show"), QStringLiteral("Nope")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("\"Nope\"") && r.err.count('\n') == 1, r.err.constData());
    QCOMPARE(cli({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral(" "), p[0]}).exitCode, 2);
    QCOMPARE(runCli({QStringLiteral("album")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("album"), QStringLiteral("add"), QStringLiteral("Other"), p[4]}).exitCode, 0);
    r = cli({QStringLiteral("album"), QStringLiteral("rename"), QStringLiteral("Trip"), QStringLiteral("Other")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("already exists"), r.err.constData());

    // Few-shot: `--positive A B C` and the repeated form both work.
    r = cli({QStringLiteral("album"), QStringLiteral("train"), QStringLiteral("Picked"), QStringLiteral("--positive"),
             p[0], p[1], p[2], QStringLiteral("--negative"), p[3]});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonObject t = r.lines().value(0);
    QCOMPARE(t.value(QStringLiteral("kind")).toString(), QStringLiteral("few-shot"));
    QCOMPARE(t.value(QStringLiteral("positives")).toInt(), 3);
    QCOMPARE(t.value(QStringLiteral("negatives")).toInt(), 1);
    QCOMPARE(t.value(QStringLiteral("trained")).toBool(), true);
    r = cli({QStringLiteral("album"), QStringLiteral("train"), QStringLiteral("Picked"), QStringLiteral("--positive"),
             p[4], QStringLiteral("--positive=") + p[3]});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    t = r.lines().value(0);
    QCOMPARE(t.value(QStringLiteral("positives")).toInt(), 5); // p[3] moved from out to in
    QCOMPARE(t.value(QStringLiteral("negatives")).toInt(), 0);
    r = cli({QStringLiteral("album"), QStringLiteral("show"), QStringLiteral("Picked")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QStringList firstFive;
    for (int i = 0; i < 5; ++i) {
        firstFive << r.lines().value(i).value(QStringLiteral("path")).toString();
        QCOMPARE(r.lines().value(i).value(QStringLiteral("score")).toDouble(), 1.0);
    }
    firstFive.sort();
    QStringList sorted = p;
    sorted.sort();
    QCOMPARE(firstFive, sorted);
    QCOMPARE(t.value(QStringLiteral("count")).toInt(), r.lines().size());
    r = cli({QStringLiteral("album"), QStringLiteral("train"), QStringLiteral("Trip"), QStringLiteral("--positive"), p[0]});
    QCOMPARE(r.exitCode, 1); // a manual album is not retrained into a few-shot one
    QVERIFY2(r.err.contains("manual album"), r.err.constData());

    r = cli({QStringLiteral("albums")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(stored(r).size(), 3);
    QCOMPARE(stored(r)[0], (QJsonObject{{"name", "Other"}, {"kind", "manual"}, {"count", 1}}));
    QCOMPARE(stored(r)[1].value(QStringLiteral("kind")).toString(), QStringLiteral("few-shot"));
    QCOMPARE(stored(r)[2], (QJsonObject{{"name", "Trip"}, {"kind", "manual"}, {"count", 3}}));

    // Deleting albums keeps every photo and file.
    const QByteArray statsBefore = cli({QStringLiteral("stats")}).out;
    for (const char* name : {"Trip", "Picked", "Other"}) {
        r = cli({QStringLiteral("album"), QStringLiteral("delete"), QString::fromLatin1(name)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    QCOMPARE(cli({QStringLiteral("stats")}).out, statsBefore);
    for (const QString& path : p)
        QVERIFY(QFile::exists(path));
    QVERIFY(stored(cli({QStringLiteral("albums")})).isEmpty());
    QCOMPARE(cli({QStringLiteral("album"), QStringLiteral("delete"), QStringLiteral("Trip")}).exitCode, 1);
}


QTEST_GUILESS_MAIN(TestAlbums)
#include "test_albums.moc"
