// Zero-shot tags (index/tags): vocabulary files, the calibrated rule's
// maths, what a run stores, corrections winning over every re-tag, and
// incremental tagging, on a catalog filled with planted embeddings and a
// tiny random CLIP for the label embeddings; then the `tag` and `tags`
// commands on an indexed library.

// LibTorch before Qt (Qt's keywords break LibTorch headers).
#include <torch/torch.h>

#include "Catalog.h"
#include "CliRun.h"
#include "ClipEncoder.h"
#include "GeneratedLibrary.h"
#include "LabelEmbeddings.h"
#include "LibraryTags.h"
#include "SqliteConnection.h"
#include "TagCorrections.h"
#include "TagQueries.h"
#include "Tagger.h"
#include "Vocabulary.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>
#include <set>

using namespace photosearch;
using photosearch::testcli::Run;
using photosearch::testcli::runCli;

namespace {

// Counts label lookups so a test can tell that nothing was embedded.
class CountingEmbedder : public LabelEmbedder {
public:
    explicit CountingEmbedder(LabelEmbedder& inner)
        : inner_(inner)
    {
    }
    torch::Tensor embed(const QStringList& labels) override
    {
        ++calls;
        return inner_.embed(labels);
    }
    QString key() const override { return inner_.key(); }
    int calls = 0;

private:
    LabelEmbedder& inner_;
};

std::vector<float> toVector(const torch::Tensor& t)
{
    const torch::Tensor c = t.contiguous().to(torch::kFloat);
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// (photo, tag name) → (score, assigned) of one model.
std::map<std::pair<qint64, QString>, std::pair<double, bool>> scoreRows(const Catalog& catalog, const QString& model)
{
    Statement s = catalog.connection().statement(
        "SELECT s.photo_id, t.name, s.score, s.assigned FROM photo_tag_scores s JOIN tags t ON t.id = s.tag_id "
        "WHERE s.model_id = ?1");
    s.bind(1, model);
    std::map<std::pair<qint64, QString>, std::pair<double, bool>> rows;
    while (s.next())
        rows[{s.int64(0), s.text(1)}] = {s.real(2), s.int64(3) != 0};
    return rows;
}

QStringList names(const std::vector<PhotoTag>& tags)
{
    QStringList out;
    for (const PhotoTag& t : tags)
        out << t.tag;
    return out;
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

const QStringList kLabels = {QStringLiteral("dog"),   QStringLiteral("cat"),   QStringLiteral("beach"),
                             QStringLiteral("car"),   QStringLiteral("receipt"), QStringLiteral("sunset"),
                             QStringLiteral("snow"),  QStringLiteral("pizza"), QStringLiteral("boat"),
                             QStringLiteral("flower")};

} // namespace

class TestTags : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_;
    std::unique_ptr<ClipEncoder> encoder_;

    // A library of `count` photos: photos 0..planted-1 embed "dog" plus a
    // little noise, the rest are random directions.
    struct Planted {
        std::unique_ptr<Catalog> catalog;
        std::vector<qint64> ids;
        std::unique_ptr<CatalogLabelEmbedder> embedder;
    };

    Planted planted(const QString& name, int count, int dogs, const QString& modelId = QStringLiteral("m1"))
    {
        Planted p;
        const QString dir = temp_.filePath(name);
        QDir().mkpath(dir);
        p.catalog = std::make_unique<Catalog>(dir);
        setLibraryVocabulary(*p.catalog, kLabels);
        p.embedder = std::make_unique<CatalogLabelEmbedder>(*p.catalog, modelId,
                                                            [this]() -> const ClipEncoder& { return *encoder_; });
        // What sets "dog" apart from the other labels (a random CLIP's text
        // embeddings are all alike).
        const torch::Tensor dog = plantedDog(*p.embedder);
        torch::manual_seed(7);
        for (int i = 0; i < count; ++i)
            p.ids.push_back(addPhoto(*p.catalog, modelId, QString::number(i),
                                     i < dogs ? dog + 0.05 * torch::randn_like(dog) : torch::randn_like(dog)));
        return p;
    }

    static torch::Tensor plantedDog(LabelEmbedder& embedder)
    {
        const torch::Tensor labels = embedder.embed(kLabels);
        const torch::Tensor d = labels[0] - labels.mean(0);
        return d / d.norm();
    }

    static qint64 addPhoto(Catalog& catalog, const QString& modelId, const QString& name, const torch::Tensor& v)
    {
        PhotoRecord r;
        r.path = QStringLiteral("/photos/") + name + QStringLiteral(".jpg");
        r.contentHash = QStringLiteral("hash-") + name;
        catalog.insertPhoto(r);
        catalog.putEmbedding(r.id, modelId, toVector(v), r.contentHash);
        return r.id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PHOTOSEARCH_MODEL");
        model_ = testlib::tinyClipDir();
        if (model_.isEmpty())
            QFAIL("could not write a tiny CLIP model for the tests (see the warning above)");
        encoder_ = std::make_unique<ClipEncoder>(model_, clip::chooseCompute(clip::DevicePreference::Cpu));
    }

    void cleanupTestCase() { testlib::removeTree(temp_.path()); }

    void vocabularyFilesAreParsed()
    {
        const QStringList labels = parseVocabulary("# comment\n\n  dog \nBeach   day\r\ndog\nDOG\n#x\ncat", "v.txt");
        QCOMPARE(labels, (QStringList{QStringLiteral("dog"), QStringLiteral("Beach day"), QStringLiteral("cat")}));
    }

    void badVocabulariesAreRefusedWithTheirName()
    {
        const auto refused = [](const QByteArray& bytes, const char* expected) {
            try {
                parseVocabulary(bytes, QStringLiteral("/x/vocab.txt"));
            } catch (const VocabularyError& e) {
                const QString message = QString::fromUtf8(e.what());
                return message.contains(QLatin1String("/x/vocab.txt")) && message.contains(QLatin1String(expected));
            }
            return false;
        };
        QVERIFY(refused("", "holds no label"));
        QVERIFY(refused("# only a comment\n\n   \n", "holds no label"));
        QVERIFY(refused(QByteArray("dog\0cat", 7), "not a text file"));
        QVERIFY(refused("dog\n\xff\xfe\xfd\n", "not UTF-8"));
        QVERIFY(refused("dog\ncat\n" + QByteArray(kMaxLabelLength + 1, 'a') + "\n", "Line 3"));
        QByteArray many;
        for (int i = 0; i <= kMaxVocabularySize; ++i)
            many += "label " + QByteArray::number(i) + "\n";
        QVERIFY(refused(many, "more than"));
        QCOMPARE(parseVocabulary(QByteArray(kMaxLabelLength, 'a'), QStringLiteral("v")).size(), 1);

        const QString big = temp_.filePath(QStringLiteral("big.txt"));
        QVERIFY(writeFile(big, QByteArray(kMaxVocabularyFileBytes + 1, 'a')));
        QVERIFY_THROWS_EXCEPTION(VocabularyError, readVocabularyFile(big));
        QVERIFY_THROWS_EXCEPTION(VocabularyError, readVocabularyFile(temp_.filePath(QStringLiteral("missing.txt"))));
        QVERIFY_THROWS_EXCEPTION(VocabularyError, readVocabularyFile(temp_.path()));
    }

    void theDefaultVocabularyIsCompiledIn()
    {
        const QStringList labels = defaultVocabulary();
        QVERIFY2(labels.size() >= 250 && labels.size() <= 400, qPrintable(QString::number(labels.size())));
        for (const char* expected : {"portrait", "dog", "receipt", "screenshot", "beach", "birthday cake", "car"})
            QVERIFY2(labels.contains(QLatin1String(expected)), expected);
    }

    void theRuleCorrectsPhotoAndTagBias()
    {
        // 40 photos × 3 tags. Tag 0 scores high on everything (a biased
        // label) but stands out on photos 0-3; tag 1 is low everywhere but
        // stands out on photo 5; tag 2 fits nothing (under the neutral
        // labels) and is noise. A flat threshold would give
        // tag 0 to every photo and tag 1 to none.
        // Bounded noise (|noise| ≤ 0.01, spread like a sine): no photo
        // stands out by chance.
        torch::Tensor m = torch::sin(torch::arange(120, torch::kFloat).reshape({40, 3}) * 1.7) * 0.01;
        m.index_put_({torch::indexing::Slice(), 0}, m.index({torch::indexing::Slice(), 0}) + 0.2);
        m.index_put_({torch::indexing::Slice(), 1}, m.index({torch::indexing::Slice(), 1}) - 0.2);
        m.index_put_({torch::indexing::Slice(), 2}, m.index({torch::indexing::Slice(), 2}) - 0.05);
        for (int i = 0; i < 4; ++i)
            m[i][0] += 0.08;
        m[5][1] += 0.25; // margin 0.05 > 0
        const TagRule rule;
        const TagCalibration c = calibrateTags(m, 40, rule);
        const TagDecision d = decideTags(m, tagScores(m, c), rule);
        std::set<std::pair<int, int64_t>> assigned;
        for (int i = 0; i < 40; ++i)
            for (int j = 0; j < d.tags.size(1); ++j)
                if (d.assigned[i][j].item<bool>())
                    assigned.insert({i, d.tags[i][j].item<int64_t>()});
        const std::set<std::pair<int, int64_t>> expected = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {5, 1}};
        QCOMPARE(assigned, expected);

        // Tag 1 on photo 5 stands out as much, but under the neutral margin.
        m[5][1] -= 0.1;
        const TagDecision below = decideTags(m, tagScores(m, c), rule);
        QVERIFY(!below.assigned[5].any().item<bool>());
    }

    void aOnePhotoLibraryKeepsTheTagsThatStandOut()
    {
        torch::Tensor m = torch::full({1, 20}, -0.05);
        m[0][3] = 0.1;
        const TagRule rule;
        const TagDecision d = decideTags(m, tagScores(m, calibrateTags(m, 1, rule)), rule);
        QCOMPARE(d.tags[0][0].item<int64_t>(), 3);
        QVERIFY(d.assigned[0][0].item<bool>());
        QCOMPARE(d.assigned.sum().item<int64_t>(), 1);
    }

    void theCapLimitsTagsPerPhoto()
    {
        torch::Tensor m = torch::zeros({30, 10});
        m[0] += 1; // photo 0 stands out on every tag
        TagRule rule;
        rule.maxTagsPerPhoto = 3;
        rule.storedPerPhoto = 4;
        const TagDecision d = decideTags(m, tagScores(m, calibrateTags(m, 30, rule)), rule);
        QCOMPARE(d.assigned[0].sum().item<int64_t>(), 3);
        QCOMPARE((d.tags[0] >= 0).sum().item<int64_t>(), 4);
    }

    void aRunStoresAssignedTagsAndTheBestFew()
    {
        Planted p = planted(QStringLiteral("store"), 60, 6);
        const TagRunSummary s = tagLibrary(*p.catalog, QStringLiteral("m1"), *p.embedder);
        QCOMPARE(s.tags, int(kLabels.size()));
        QCOMPARE(s.photos, 60);
        QVERIFY(s.full);
        const auto rows = scoreRows(*p.catalog, QStringLiteral("m1"));
        std::map<qint64, int> perPhoto;
        qint64 assigned = 0;
        for (const auto& [key, value] : rows) {
            ++perPhoto[key.first];
            assigned += value.second ? 1 : 0;
            if (value.second)
                QVERIFY(value.first >= TagRule().minZ);
        }
        QCOMPARE(assigned, s.assigned);
        QCOMPARE(int(perPhoto.size()), 60);
        for (const auto& [photo, n] : perPhoto)
            QCOMPARE(n, TagRule().storedPerPhoto);
        // The planted photos carry "dog", as their best tag.
        for (int i = 0; i < 6; ++i) {
            const std::vector<PhotoTag> tags = photoTags(*p.catalog, QStringLiteral("m1"), p.ids[size_t(i)]);
            QVERIFY2(!tags.empty() && tags.front().tag == QLatin1String("dog"), qPrintable(names(tags).join(',')));
        }
        // The planted photos lead the "dog" photos (random ones may follow).
        const std::vector<TaggedPhoto> dogs = photosWithTag(*p.catalog, QStringLiteral("m1"), QStringLiteral("Dog"));
        QVERIFY(dogs.size() >= 6);
        std::set<qint64> dogIds;
        for (size_t i = 0; i < 6; ++i)
            dogIds.insert(dogs[i].photoId);
        QCOMPARE(dogIds, std::set<qint64>(p.ids.begin(), p.ids.begin() + 6));
        for (size_t i = 1; i < dogs.size(); ++i)
            QVERIFY(*dogs[i - 1].score >= *dogs[i].score);
        // Counts agree with what each photo shows.
        std::map<QString, qint64> counted;
        for (qint64 id : p.ids)
            for (const PhotoTag& t : photoTags(*p.catalog, QStringLiteral("m1"), id))
                ++counted[t.tag];
        std::map<QString, qint64> reported;
        for (const TagCount& c : tagCounts(*p.catalog, QStringLiteral("m1")))
            reported[c.tag] = c.photos;
        QCOMPARE(reported, counted);
        QCOMPARE(p.embedder->computed(), int(kLabels.size()) + 5); // labels and neutral ones, once
        qInfo("planted library: %lld tags assigned to 60 photos in %.3f s", s.assigned, s.seconds);
    }

    void correctionsWinOverEveryRetag()
    {
        Planted p = planted(QStringLiteral("corrections"), 40, 5);
        const QString m1 = QStringLiteral("m1");
        tagLibrary(*p.catalog, m1, *p.embedder);
        const qint64 a = p.ids[0], b = p.ids[20], c = p.ids[21];
        QVERIFY(names(photoTags(*p.catalog, m1, a)).contains(QLatin1String("dog")));
        QVERIFY(!names(photoTags(*p.catalog, m1, b)).contains(QLatin1String("dog")));
        removeTag(*p.catalog, a, QStringLiteral("DOG")); // the vocabulary's spelling is kept
        confirmTag(*p.catalog, b, QStringLiteral("dog"));
        confirmTag(*p.catalog, c, QStringLiteral("my  own tag"));
        // dogScored: 0 no score, 1 a score, -1 either (not re-tagged since).
        const auto check = [&](const QString& model, int dogScored) {
            const std::vector<PhotoTag> ta = photoTags(*p.catalog, model, a);
            const std::vector<PhotoTag> tb = photoTags(*p.catalog, model, b);
            const std::vector<PhotoTag> tc = photoTags(*p.catalog, model, c);
            QVERIFY(!names(ta).contains(QLatin1String("dog")));
            QVERIFY(!tb.empty() && tb.front().tag == QLatin1String("dog") && tb.front().confirmed);
            if (dogScored >= 0)
                QCOMPARE(tb.front().score.has_value(), dogScored == 1);
            QVERIFY(!tc.empty() && tc.front().tag == QLatin1String("my own tag") && !tc.front().score);
        };
        check(m1, -1);
        tagLibrary(*p.catalog, m1, *p.embedder); // re-tag: corrected tags get a score row
        check(m1, 1);

        // Another model: its own scores, the same corrections.
        const QString m2 = QStringLiteral("m2");
        CatalogLabelEmbedder other(*p.catalog, m2, [this]() -> const ClipEncoder& { return *encoder_; });
        torch::manual_seed(3);
        for (qint64 id : p.ids)
            p.catalog->putEmbedding(id, m2, toVector(torch::randn({other.embed({QStringLiteral("x")}).size(1)})),
                                    p.catalog->photo(id)->contentHash);
        tagLibrary(*p.catalog, m2, other);
        check(m2, 1);

        // A vocabulary without "dog": confirmed still shows (unscored), and
        // the removal still holds if it comes back.
        setLibraryVocabulary(*p.catalog, {QStringLiteral("cat"), QStringLiteral("beach")});
        tagLibrary(*p.catalog, m1, *p.embedder);
        check(m1, 0);
        setLibraryVocabulary(*p.catalog, kLabels);
        tagLibrary(*p.catalog, m1, *p.embedder);
        check(m1, 1);

        QVERIFY(clearTagCorrection(*p.catalog, a, QStringLiteral("dog")));
        QVERIFY(!clearTagCorrection(*p.catalog, a, QStringLiteral("dog")));
        QVERIFY(names(photoTags(*p.catalog, m1, a)).contains(QLatin1String("dog")));
        QCOMPARE(int(tagCorrections(*p.catalog, b).size()), 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, confirmTag(*p.catalog, a, QStringLiteral("  ")));
        QVERIFY_THROWS_EXCEPTION(CatalogError, confirmTag(*p.catalog, 999999, QStringLiteral("dog")));

        // Counts include confirmed tags outside the vocabulary.
        bool own = false;
        for (const TagCount& t : tagCounts(*p.catalog, m1))
            own = own || (t.tag == QLatin1String("my own tag") && t.photos == 1 && !t.inVocabulary);
        QVERIFY(own);
        p.catalog->removePhoto(c);
        QVERIFY(tagCorrections(*p.catalog, c).empty());
    }

    void newPhotosAreTaggedIncrementally()
    {
        Planted p = planted(QStringLiteral("incremental"), 50, 5);
        const QString m1 = QStringLiteral("m1");
        CountingEmbedder counting(*p.embedder);
        QCOMPARE(untaggedPhotoCount(*p.catalog, m1), 50);
        QVERIFY(tagUntagged(*p.catalog, m1, counting).full); // never calibrated: a full run
        const auto before = scoreRows(*p.catalog, m1);
        counting.calls = 0;
        QCOMPARE(tagUntagged(*p.catalog, m1, counting).photos, 0);
        QCOMPARE(counting.calls, 0); // nothing new: no label lookups at all

        const torch::Tensor dog = plantedDog(*p.embedder);
        const qint64 added = addPhoto(*p.catalog, m1, QStringLiteral("new"), dog);
        const qint64 other = addPhoto(*p.catalog, m1, QStringLiteral("other"), torch::randn_like(dog));
        QCOMPARE(untaggedPhotoCount(*p.catalog, m1), 2);
        const TagRunSummary s = tagUntagged(*p.catalog, m1, counting);
        QCOMPARE(s.photos, 2);
        QVERIFY(!s.full);
        QCOMPARE(untaggedPhotoCount(*p.catalog, m1), 0);
        QVERIFY(names(photoTags(*p.catalog, m1, added)).contains(QLatin1String("dog")));
        auto after = scoreRows(*p.catalog, m1);
        for (auto it = after.begin(); it != after.end();)
            it = (it->first.first == added || it->first.first == other) ? after.erase(it) : std::next(it);
        QCOMPARE(after, before); // the photos tagged before did not move

        // A changed photo is scored again from its new embedding.
        PhotoRecord r = *p.catalog->photo(added);
        r.contentHash = QStringLiteral("changed");
        p.catalog->updatePhoto(r);
        p.catalog->putEmbedding(added, m1, toVector(torch::randn_like(dog)), r.contentHash);
        QCOMPARE(untaggedPhotoCount(*p.catalog, m1), 1);
        QCOMPARE(tagUntagged(*p.catalog, m1, counting).photos, 1);

        // A vocabulary change makes the next incremental run a full one.
        setLibraryVocabulary(*p.catalog, {QStringLiteral("dog"), QStringLiteral("cat")});
        addPhoto(*p.catalog, m1, QStringLiteral("third"), dog);
        const TagRunSummary full = tagUntagged(*p.catalog, m1, counting);
        QVERIFY(full.full);
        QCOMPARE(full.photos, 53);
        QCOMPARE(full.tags, 2);
    }

    void theLibraryFollowsTheDefaultUntilGivenItsOwn()
    {
        const QString dir = temp_.filePath(QStringLiteral("vocab"));
        QDir().mkpath(dir);
        Catalog catalog(dir);
        QVERIFY(!libraryHasOwnVocabulary(catalog));
        QCOMPARE(libraryVocabulary(catalog), defaultVocabulary());
        setLibraryVocabulary(catalog, {QStringLiteral(" b "), QStringLiteral("a"), QStringLiteral("B")});
        QCOMPARE(libraryVocabulary(catalog), (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
        setLibraryVocabulary(catalog, {});
        QCOMPARE(libraryVocabulary(catalog), defaultVocabulary());
    }

    // --- the command line ---

    void theCommandsTagAndShowTheLibrary()
    {
        const QString library = temp_.filePath(QStringLiteral("cli-library"));
        const testlib::GeneratedLibrary photos = testlib::generateLibrary(temp_.filePath(QStringLiteral("cli-photos")), 8);
        const auto lib = [&](QStringList args) {
            args.insert(1, QStringLiteral("--library"));
            args.insert(2, library);
            return args;
        };
        Run r = runCli(lib({QStringLiteral("index"), QStringLiteral("--model"), model_, photos.root}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const int indexed = r.lines().first().value(QStringLiteral("added")).toInt();
        QVERIFY(indexed >= photos.good.size());
        // The index run tags what it added (and embeds the vocabulary once).
        QVERIFY2(r.err.contains("Tagged " + QByteArray::number(indexed) + " photos"), r.err.constData());

        r = runCli(lib({QStringLiteral("tag")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().size(), 1);
        QJsonObject s = r.lines().first();
        QCOMPARE(QStringList(s.keys()), (QStringList{QStringLiteral("assigned"), QStringLiteral("photos"),
                                                     QStringLiteral("seconds"), QStringLiteral("tags")}));
        QCOMPARE(s.value(QStringLiteral("tags")).toInt(), int(defaultVocabulary().size()));
        QCOMPARE(s.value(QStringLiteral("photos")).toInt(), indexed);
        QVERIFY(!r.err.contains("Embedding the vocabulary")); // stored by the index run

        const QString vocabulary = temp_.filePath(QStringLiteral("vocabulary.txt"));
        QVERIFY(writeFile(vocabulary, "# mine\nred car\nbeach\n\ndog\n"));
        r = runCli(lib({QStringLiteral("tag"), QStringLiteral("--vocabulary"), vocabulary}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().first().value(QStringLiteral("tags")).toInt(), 3);

        // Bad files: one sentence naming the file, and the vocabulary stays.
        const QString bad = temp_.filePath(QStringLiteral("bad.txt"));
        for (const QByteArray& bytes : {QByteArray(), QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 11),
                                        QByteArray(500, 'x')}) {
            QVERIFY(writeFile(bad, bytes));
            r = runCli(lib({QStringLiteral("tag"), QStringLiteral("--vocabulary"), bad}));
            QCOMPARE(r.exitCode, 1);
            QVERIFY(r.out.isEmpty());
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.contains(bad.toUtf8()), r.err.constData());
        }
        r = runCli(lib({QStringLiteral("tag")})); // labels stored: no text tower
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.lines().first().value(QStringLiteral("tags")).toInt(), 3);
        QVERIFY(!r.err.contains("Embedding the vocabulary"));

        const QString photo = photos.good.first();
        r = runCli(lib({QStringLiteral("tags"), QStringLiteral("--confirm"), QStringLiteral("my  tag"), photo}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject line = r.lines().first();
        QCOMPARE(line.value(QStringLiteral("path")).toString(), photo);
        QJsonArray tags = line.value(QStringLiteral("tags")).toArray();
        QCOMPARE(tags.first().toObject(), (QJsonObject{{QStringLiteral("tag"), QStringLiteral("my tag")},
                                                       {QStringLiteral("score"), QJsonValue()},
                                                       {QStringLiteral("confirmed"), true}}));
        for (const QJsonValue& t : tags) {
            const QString name = t.toObject().value(QStringLiteral("tag")).toString();
            QVERIFY(QStringList({QStringLiteral("my tag"), QStringLiteral("red car"), QStringLiteral("beach"),
                                 QStringLiteral("dog")})
                        .contains(name));
        }
        r = runCli(lib({QStringLiteral("tags"), QStringLiteral("--remove"), QStringLiteral("my tag"), photo}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QJsonValue& t : r.lines().first().value(QStringLiteral("tags")).toArray())
            QVERIFY(t.toObject().value(QStringLiteral("tag")).toString() != QLatin1String("my tag"));

        // An unknown path: its own error line in place, the others answered.
        const QString unknown = temp_.filePath(QStringLiteral("nowhere.jpg"));
        r = runCli(lib({QStringLiteral("tags"), unknown, photo}));
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.lines().size(), 2);
        QCOMPARE(r.lines()[0].value(QStringLiteral("path")).toString(), unknown);
        QVERIFY(r.lines()[0].value(QStringLiteral("error")).toString().contains(QLatin1String("not in the library")));
        QCOMPARE(r.lines()[1].value(QStringLiteral("path")).toString(), photo);
        QVERIFY(r.err.contains(unknown.toUtf8()));

        QCOMPARE(runCli(lib({QStringLiteral("tags")})).exitCode, 2);
        QCOMPARE(runCli(lib({QStringLiteral("tags"), QStringLiteral("--confirm"), QStringLiteral("a"),
                             QStringLiteral("--remove"), QStringLiteral("b"), photo}))
                     .exitCode,
                 2);
        QCOMPARE(runCli(lib({QStringLiteral("tag"), photo})).exitCode, 2);
        r = runCli({QStringLiteral("tag"), QStringLiteral("--library"), temp_.filePath(QStringLiteral("none"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("There is no library"));
    }
};

QTEST_GUILESS_MAIN(TestTags)
#include "test_tags.moc"
