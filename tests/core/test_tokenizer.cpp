// ClipTokenizer against the ids Hugging Face's CLIPTokenizerFast gives
// (golden.json), plus edge cases whose expected ids come from the same
// `tokenizers` pipeline (clip-tokenizer/tokenizer.json, tokenizers 0.23.2).

#include "ClipTokenizer.h"
#include "clip/ModelError.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <optional>
#include <random>
#include <thread>

using photosearch::ClipTokenizer;
using Ids = std::vector<int64_t>;

namespace {

const QString kSharedDir = QStringLiteral(PHOTOSEARCH_TEST_SHARED_DIR);
constexpr int64_t kStart = 49406;
constexpr int64_t kEnd = 49407;

Ids toIds(const QJsonArray& array)
{
    Ids ids;
    for (const QJsonValue& v : array)
        ids.push_back(v.toInteger());
    return ids;
}

QString idsText(const Ids& ids)
{
    QStringList parts;
    for (int64_t id : ids)
        parts << QString::number(id);
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

// What the tokenizer gives when cut to maxLength after the fact.
Ids truncated(Ids ids, int maxLength)
{
    if (ids.size() > size_t(maxLength)) {
        ids.resize(size_t(maxLength - 1));
        ids.push_back(kEnd);
    }
    return ids;
}

// The message of the clip::ModelError that `f` throws, or a null string.
QString modelErrorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const clip::ModelError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

const QByteArray kTinyVocab = R"({"<|startoftext|>": 0, "<|endoftext|>": 1, "a": 2, "b</w>": 3, "ab</w>": 4})";
const QByteArray kTinyMerges = "#version: 0.2\na b</w>\n";

} // namespace

Q_DECLARE_METATYPE(Ids)

class TestTokenizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void golden_data();
    void golden();
    void reference_data();
    void reference();
    void sameVocabularyInBothCopies();

    void emptyAndWhitespace();
    void maxLength();
    void earlyStopEqualsFullTokenization();
    void hugeSingleWord();
    void hugeManyWords();
    void canonicalEquivalentsGiveSameIds();
    void compositionsAcrossPieces();
    void hostileNormalization();
    void invalidUtf8AndControlCharacters();
    void loneSurrogates();
    void uppercaseEndTokenIsNotSpecial();
    void concurrentEncode();
    void cacheEvictionKeepsResults();

    void tinyVocabularyAndUnknownBytes();
    void missingFiles();
    void vocabularyNotJson();
    void vocabularyWrongShape();
    void mergesMalformed();

private:
    bool haveShared() const { return tokenizer_.has_value(); }

    std::optional<ClipTokenizer> tokenizer_;
    QJsonArray golden_;
};

void TestTokenizer::initTestCase()
{
    const QString modelDir = kSharedDir + QStringLiteral("/fixtures/tiny-clip");
    QFile goldenFile(modelDir + QStringLiteral("/golden.json"));
    if (!QFileInfo::exists(modelDir + QStringLiteral("/vocab.json")) || !goldenFile.open(QIODevice::ReadOnly))
        return; // tests needing the shared copy skip themselves
    golden_ = QJsonDocument::fromJson(goldenFile.readAll()).object().value(QStringLiteral("tokens")).toArray();
    QVERIFY(!golden_.isEmpty());
    tokenizer_ = ClipTokenizer::fromDirectory(modelDir);
}

void TestTokenizer::golden_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Ids>("expected");
    if (!haveShared())
        QTest::newRow("no shared fixtures") << QString() << Ids{};
    for (int i = 0; i < golden_.size(); ++i) {
        const QJsonObject entry = golden_[i].toObject();
        const QString text = entry.value(QStringLiteral("text")).toString();
        QTest::addRow("%d %s", i, qPrintable(text.simplified().left(30))) << text << toIds(entry.value(QStringLiteral("ids")).toArray());
    }
}

void TestTokenizer::golden()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    QFETCH(QString, text);
    QFETCH(Ids, expected);
    QCOMPARE(idsText(tokenizer_->encode(text)), idsText(expected));
}

void TestTokenizer::reference_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Ids>("expected");
    const auto row = [](const char* name, const QString& text, const Ids& ids) {
        QTest::newRow(name) << text << ids;
    };
    // Added tokens: <|endoftext|> only verbatim in the raw text; <|startoftext|> after lower-casing.
    row("raw end token mid-text", QStringLiteral("a<|endoftext|>b"), {kStart, 320, kEnd, 321, kEnd});
    row("end token alone", QStringLiteral("<|endoftext|>"), {kStart, kEnd, kEnd});
    row("mixed-case start token", QStringLiteral("<|StartOfText|>x"), {kStart, kStart, 343, kEnd});
    row("both specials", QStringLiteral("<|startoftext|><|endoftext|>"), {kStart, kStart, kEnd, kEnd});
    row("contraction after end token", QStringLiteral("x<|endoftext|>'s"), {kStart, 343, kEnd, 568, kEnd});
    row("end token inside brackets", QStringLiteral("<<|endoftext|>|>"), {kStart, 283, kEnd, 91, 285, kEnd});
    // The raw split comes before NFC, so the combining mark cannot join the '>'.
    row("combining mark after end token", QStringLiteral("<|endoftext|>\u0338"), {kStart, kEnd, 136, 372, kEnd});
    // Upper-case end token: ordinary text, cut into "<|", "endoftext", "|>" by the byte-level split.
    row("upper-case end token", QStringLiteral("<|ENDOFTEXT|>"), {kStart, 27, 347, 40786, 4160, 91, 285, kEnd});
    row("upper-case end token, punctuation", QStringLiteral("<|EndOfText|>!!"), {kStart, 27, 347, 40786, 4160, 91, 285, 748, kEnd});
    row("upper-case end token, contraction", QStringLiteral("a<|ENDOFTEXT|>'s"),
        {kStart, 320, 27, 347, 40786, 4160, 91, 285, 568, kEnd});
    // Lower-casing is per code point and full: no final sigma, İ → i + U+0307.
    row("greek capitals", QStringLiteral("ΟΔΟΣ"), {kStart, 138, 123, 138, 112, 138, 123, 139, 481, kEnd});
    row("dotted capital I", QStringLiteral("İstanbul"), {kStart, 328, 16384, 11231, kEnd});
    row("titlecase digraph", QStringLiteral("ǅ"), {kStart, 131, 484, kEnd});
    row("sharp s", QStringLiteral("ß"), {kStart, 127, 509, kEnd});
    row("decomposed e acute", QStringLiteral("e\u0301"), {kStart, 4166, kEnd});
    row("ligature", QStringLiteral("ﬁne"), {kStart, 171, 105, 223, 1422, kEnd});
    row("unicode spaces", QStringLiteral("\u00A0nbsp\u2003em\u3000ideo\u0085x"), {kStart, 6459, 4393, 2270, 1909, 334, 343, kEnd});
    row("zero-width space", QStringLiteral("x\u200By"), {kStart, 343, 9844, 344, kEnd});
    row("other numbers", QStringLiteral("١٢٣ Ⅻ ½"), {kStart, 149, 350, 149, 351, 149, 352, 158, 227, 375, 33613, kEnd});
    row("contractions", QStringLiteral("don't'll'RE 'sam"), {kStart, 847, 713, 1342, 982, 568, 687, kEnd});
    row("apostrophe in punctuation run", QStringLiteral("!!'s"), {kStart, 1443, 262, 338, kEnd});
    row("NUL and control", QString::fromUtf16(u"x\u0000y\u0001z", 5), {kStart, 343, 444, 344, 445, 345, kEnd});
    row("replacement character", QStringLiteral("ok \uFFFD\uFFFD ok"), {kStart, 2481, 47356, 39802, 2481, kEnd});
    row("byte order mark", QStringLiteral("\uFEFF\u0300x"), {kStart, 171, 119, 123, 136, 478, 343, kEnd});
    // Qt 6.4's own NFC misses the composition after a composed Chakma vowel.
    row("after a supplementary composition", QStringLiteral("\U00011131\U00011127>\u0338"),
        {kStart, 172, 239, 226, 106, 22684, 363, kEnd});
    row("Chakma words", QStringLiteral("\U00011107\U00011131\U00011127\U00011107\U00011131\U00011127>\u0338"),
        {kStart, 172, 239, 226, 485, 172, 239, 226, 362, 172, 239, 226, 485, 172, 239, 226, 106, 22684, 363, kEnd});
    row("Chakma then Greek", QStringLiteral("\U00011107\U00011131\U00011127\u03C9\u0313\u0301\u0345"),
        {kStart, 172, 239, 226, 485, 172, 239, 226, 362, 157, 122, 353, kEnd});
    row("emoji ZWJ sequence", QStringLiteral("\U0001F468\u200D\U0001F469"), {kStart, 25023, 964, 358, kEnd});
}

void TestTokenizer::reference()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    QFETCH(QString, text);
    QFETCH(Ids, expected);
    QCOMPARE(idsText(tokenizer_->encode(text)), idsText(expected));
}

void TestTokenizer::sameVocabularyInBothCopies()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    const ClipTokenizer real = ClipTokenizer::fromDirectory(kSharedDir + QStringLiteral("/clip-tokenizer"));
    QCOMPARE(real.vocabularySize(), 49408);
    QCOMPARE(tokenizer_->vocabularySize(), 49408);
    QCOMPARE(real.startId(), kStart);
    QCOMPARE(real.endId(), kEnd);
    for (const QJsonValue& entry : std::as_const(golden_)) {
        const QString text = entry.toObject().value(QStringLiteral("text")).toString();
        QCOMPARE(real.encode(text), tokenizer_->encode(text));
    }
}

void TestTokenizer::emptyAndWhitespace()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    const Ids bare{kStart, kEnd};
    QCOMPARE(tokenizer_->encode(QString()), bare);
    QCOMPARE(tokenizer_->encode(QStringLiteral("")), bare);
    QCOMPARE(tokenizer_->encode(QStringLiteral("     ")), bare);
    QCOMPARE(tokenizer_->encode(QStringLiteral(" \t\n\r\v\f\u00A0\u2028\u3000 ")), bare);
    QCOMPARE(tokenizer_->encode(QString(100000, QLatin1Char(' '))), bare);
}

void TestTokenizer::maxLength()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    const QString text = QStringLiteral("the quick brown fox jumps over the lazy dog");
    const Ids full = tokenizer_->encode(text);
    QCOMPARE(full.size(), size_t(11));
    QCOMPARE(tokenizer_->encode(text, 5), (Ids{kStart, 518, 3712, 2866, kEnd}));
    QCOMPARE(tokenizer_->encode(text, 3), (Ids{kStart, 518, kEnd}));
    QCOMPARE(tokenizer_->encode(text, 11), full);
    QCOMPARE(tokenizer_->encode(text, 1000), full);
    // Fewer than two is meaningless; the boundary tokens are always there.
    for (int n : {2, 1, 0, -5})
        QCOMPARE(tokenizer_->encode(text, n), (Ids{kStart, kEnd}));
    // A special token that falls on the cut is cut like any other.
    QCOMPARE(tokenizer_->encode(QStringLiteral("a<|endoftext|>b"), 3), (Ids{kStart, 320, kEnd}));
    QCOMPARE(tokenizer_->encode(QStringLiteral("<|startoftext|>a b"), 3), (Ids{kStart, kStart, kEnd}));
}

// The tokenizer stops reading once it has enough ids; that must never change them.
void TestTokenizer::earlyStopEqualsFullTokenization()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    QStringList texts;
    for (const QJsonValue& entry : std::as_const(golden_))
        texts << entry.toObject().value(QStringLiteral("text")).toString();
    texts << QStringLiteral("a<|endoftext|>b<|startoftext|>c <|ENDOFTEXT|> d'll e");
    for (const QString& text : std::as_const(texts)) {
        const Ids full = tokenizer_->encode(text, 1 << 20);
        for (int n = 2; n <= int(full.size()) + 1; ++n)
            QCOMPARE(idsText(tokenizer_->encode(text, n)), idsText(truncated(full, n)));
    }
}

void TestTokenizer::hugeSingleWord()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    const QString text(1 << 20, QLatin1Char('x'));
    QElapsedTimer timer;
    timer.start();
    const Ids ids = tokenizer_->encode(text);
    const qint64 ms = timer.elapsed();
    qInfo("1 MB single word: %lld ms", ms);
    QVERIFY2(ms < 5000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
    Ids expected(76, 32035); // "xxxx" blocks, as the reference gives
    expected[0] = kStart;
    expected.push_back(kEnd);
    QCOMPARE(ids, expected);
}

void TestTokenizer::hugeManyWords()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    std::mt19937 random(42);
    std::uniform_int_distribution<int> pick(0, 26);
    QString text(1 << 20, Qt::Uninitialized);
    for (QChar& c : text) {
        const int k = pick(random);
        c = k == 26 ? QLatin1Char(' ') : QChar(u'a' + k);
    }
    QElapsedTimer timer;
    timer.start();
    const Ids ids = tokenizer_->encode(text);
    const qint64 ms = timer.elapsed();
    qInfo("1 MB of random words: %lld ms", ms);
    QVERIFY2(ms < 5000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
    QCOMPARE(ids.size(), size_t(77));
    QCOMPARE(ids.front(), kStart);
    QCOMPARE(ids.back(), kEnd);
    // Only the beginning matters, so a prefix with some slack gives the same ids.
    QCOMPARE(ids, tokenizer_->encode(text.left(4000)));
}

// NFC comes first, so canonically equivalent texts must give the same ids.
void TestTokenizer::canonicalEquivalentsGiveSameIds()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    const QStringList parts = {
        QStringLiteral("e\u0301"), QStringLiteral("\u00E9"), QStringLiteral("a\u0323\u0302"), QStringLiteral("a\u0302\u0323"),
        QStringLiteral("\u03C9\u0313\u0301\u0345"), QStringLiteral("\u1100\u1161\u11A8"), QStringLiteral("\uAC00\u11A8"),
        QStringLiteral("\u1161"), QStringLiteral("\u0CC6\u0CC2\u0CD5"), QStringLiteral("\u0B47\u0B3E"), QStringLiteral("\u0344"),
        QStringLiteral("\u0F73"), QStringLiteral(">\u0338"), QStringLiteral("\u0130"), QStringLiteral("A"), QStringLiteral("x"),
        QStringLiteral(" "), QStringLiteral("'s"), QStringLiteral("7"), QStringLiteral("\U0001D15E"),
        // Qt 6.4 cannot compose a vowel sign of another script straight after
        // a composed Chakma vowel; no real text has that, so keep them apart.
        QStringLiteral("\U00011131\U00011127 "), QStringLiteral("\U00011131\U00011127>\u0338"),
    };
    std::mt19937 random(7);
    for (int round = 0; round < 200; ++round) {
        QString text;
        const int length = int(random() % 3000);
        for (int i = 0; i < length; ++i)
            text += parts[int(random() % parts.size())];
        const QString composed = text.normalized(QString::NormalizationForm_C);
        const QString decomposed = text.normalized(QString::NormalizationForm_D);
        const Ids ids = tokenizer_->encode(text, 1 << 20);
        QCOMPARE(idsText(tokenizer_->encode(composed, 1 << 20)), idsText(ids));
        QCOMPARE(idsText(tokenizer_->encode(decomposed, 1 << 20)), idsText(ids));
    }
}

// Long texts are normalised in pieces of some 64 code units; a piece must
// never end inside something NFC composes. Put every junction of every
// canonical decomposition Qt knows where a piece could end.
void TestTokenizer::compositionsAcrossPieces()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    int checked = 0;
    for (char32_t c = 0xA0; c <= 0x10FFFF; ++c) {
        if (QChar::isSurrogate(c) || QChar::decompositionTag(c) != QChar::Canonical)
            continue;
        if (c >= 0xAC00 && c < 0xD7A4 && c % 13 != 0)
            continue; // Hangul syllables are all alike; a sample will do
        const QList<uint> parts = QChar::decomposition(c).toUcs4();
        const QString composed = QString::fromUcs4(&c, 1);
        for (qsizetype k = 1; k < parts.size(); ++k) {
            const QString head = QString::fromUcs4(reinterpret_cast<const char32_t*>(parts.constData()), k);
            const QString tail = QString::fromUcs4(reinterpret_cast<const char32_t*>(parts.constData()) + k, parts.size() - k);
            for (qsizetype junction : {64, 128, 256}) {
                const QString pad(junction - head.size(), QLatin1Char(' '));
                const Ids split = tokenizer_->encode(pad + head + tail + QStringLiteral("b"), 1 << 20);
                const Ids whole = tokenizer_->encode(pad + composed + QStringLiteral("b"), 1 << 20);
                if (split != whole)
                    QFAIL(qPrintable(QStringLiteral("U+%1 split after %2 code points: %3 vs %4")
                                         .arg(uint(c), 4, 16, QLatin1Char('0'))
                                         .arg(k)
                                         .arg(idsText(split), idsText(whole))));
                ++checked;
            }
        }
    }
    QVERIFY(checked > 3000);
}

// Qt's own normalisation and lower-casing are quadratic on such text.
void TestTokenizer::hostileNormalization()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    const std::pair<const char*, QString> texts[] = {
        {"unsorted marks", QStringLiteral("a") + QStringLiteral("\u0301\u0323").repeated(1 << 19)},
        {"marks that decompose", QStringLiteral("\u0F73\u0F72").repeated(1 << 19)},
        {"pairs that compose", QStringLiteral("e\u0301").repeated(1 << 19)},
        {"capitals that lower-case to two", QStringLiteral("\u0130").repeated(1 << 20)},
        {"conjoining jamo", QStringLiteral("\u1100\u1161\u11A8").repeated(1 << 18)},
    };
    for (const auto& [name, text] : texts) {
        QElapsedTimer timer;
        timer.start();
        const Ids ids = tokenizer_->encode(text);
        const qint64 ms = timer.elapsed();
        qInfo("1 MB of %s: %lld ms", name, ms);
        QVERIFY2(ms < 5000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
        QCOMPARE(ids.size(), size_t(77));
        QCOMPARE(ids.back(), kEnd);
    }
}

void TestTokenizer::invalidUtf8AndControlCharacters()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    // Each invalid byte becomes U+FFFD, which tokenizes like any symbol.
    QCOMPARE(tokenizer_->encode(QString::fromUtf8("ok \xFF\xFE ok")), (Ids{kStart, 2481, 47356, 39802, 2481, kEnd}));

    const QByteArray junk("\xC3\x28\xA0\xA1\xE2\x28\xA1\xF0\x90\x28\xBC\xF8\xA1\xA1\xA1\xA1\xED\xA0\x80\xC0\xAF", 21);
    for (const QByteArray& bytes : {junk, junk.repeated(1000), QByteArray("a\0b\x01\x1b[31m\x7f", 10)}) {
        const Ids ids = tokenizer_->encode(QString::fromUtf8(bytes));
        QVERIFY(ids.size() >= 2 && ids.size() <= 77);
        QCOMPARE(ids.front(), kStart);
        QCOMPARE(ids.back(), kEnd);
        QVERIFY(std::count(ids.begin(), ids.end(), kEnd) == 1);
    }
    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls += QChar(c);
    controls += QChar(0x7F);
    controls += QChar(0x9F);
    const Ids ids = tokenizer_->encode(controls.repeated(10));
    QCOMPARE(ids.size(), size_t(77));
    QCOMPARE(ids.back(), kEnd);
}

void TestTokenizer::loneSurrogates()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    // A QString can hold what no UTF-8 text can; such units read as U+FFFD.
    const QString lone = QStringLiteral("a") + QChar(0xD800) + QStringLiteral("b") + QChar(0xDC00) + QChar(0xDBFF);
    const QString replaced = QStringLiteral("a\uFFFDb\uFFFD\uFFFD");
    QCOMPARE(tokenizer_->encode(lone), tokenizer_->encode(replaced));
    QCOMPARE(tokenizer_->encode(QString(1000, QChar(0xD83D))).back(), kEnd);
}

void TestTokenizer::uppercaseEndTokenIsNotSpecial()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    // normalized=false: only the exact spelling is the end token; other
    // spellings are text, so the end id appears only last.
    for (const QString& text : {QStringLiteral("cat <|ENDOFTEXT|> dog"), QStringLiteral("cat <|EndOfText|>dog"),
                                QStringLiteral("<| endoftext |>")}) {
        const Ids ids = tokenizer_->encode(text);
        QCOMPARE(std::count(ids.begin(), ids.end(), kEnd), 1);
        QCOMPARE(ids.back(), kEnd);
    }
    const Ids ids = tokenizer_->encode(QStringLiteral("cat <|ENDOFTEXT|> dog"));
    QCOMPARE(ids, (Ids{kStart, 2368, 27, 347, 40786, 4160, 91, 285, 1929, kEnd}));
}

void TestTokenizer::concurrentEncode()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    // A fresh tokenizer, so that the threads race to fill one empty cache.
    const ClipTokenizer shared = ClipTokenizer::fromDirectory(kSharedDir + QStringLiteral("/fixtures/tiny-clip"));
    std::vector<QString> texts;
    std::vector<Ids> expected;
    for (const QJsonValue& entry : std::as_const(golden_)) {
        texts.push_back(entry.toObject().value(QStringLiteral("text")).toString());
        expected.push_back(toIds(entry.toObject().value(QStringLiteral("ids")).toArray()));
    }
    constexpr int kThreads = 4;
    std::vector<int> mismatches(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            const ClipTokenizer copy = shared; // copies share the cache too
            for (int round = 0; round < 50; ++round) {
                for (size_t i = 0; i < texts.size(); ++i) {
                    const size_t k = (i + size_t(t) * 7) % texts.size();
                    // Unique words as well, so that the cache keeps growing meanwhile.
                    const QString extra = QStringLiteral(" w%1x%2y").arg(round).arg(t);
                    if ((t % 2 ? copy : shared).encode(texts[k]) != expected[k]
                        || copy.encode(extra).size() < 3)
                        ++mismatches[size_t(t)];
                }
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    QCOMPARE(mismatches, std::vector<int>(kThreads, 0));
}

void TestTokenizer::cacheEvictionKeepsResults()
{
    if (!haveShared())
        QSKIP("shared fixtures not copied into the build tree");
    const ClipTokenizer tokenizer = ClipTokenizer::fromDirectory(kSharedDir + QStringLiteral("/fixtures/tiny-clip"));
    const QString probe = QStringLiteral("photosearch tokenizer");
    const Ids before = tokenizer.encode(probe);
    // More distinct words than the cache holds, so it is cleared at least once.
    QString words;
    for (int i = 0; i < 60000; ++i) {
        for (int k = i; k > 0; k /= 26)
            words += QChar(u'a' + k % 26);
        words += QLatin1Char(' ');
        if (words.size() > 2000) {
            tokenizer.encode(words, 1 << 20);
            words.clear();
        }
    }
    QCOMPARE(tokenizer.encode(probe), before);
    QCOMPARE(tokenizer.encode(probe), tokenizer_->encode(probe));
}

void TestTokenizer::tinyVocabularyAndUnknownBytes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeFile(dir.filePath(QStringLiteral("vocab.json")), kTinyVocab);
    writeFile(dir.filePath(QStringLiteral("merges.txt")), kTinyMerges);
    const ClipTokenizer tokenizer = ClipTokenizer::fromDirectory(dir.path());
    QCOMPARE(tokenizer.vocabularySize(), 5);
    QCOMPARE(tokenizer.startId(), 0);
    QCOMPARE(tokenizer.endId(), 1);
    QCOMPARE(tokenizer.encode(QStringLiteral("AB")), (Ids{0, 4, 1}));
    // Symbols missing from the vocabulary become the unknown (= end) id, one each.
    QCOMPARE(tokenizer.encode(QStringLiteral("ba")), (Ids{0, 1, 1, 1}));

    // Moving and copying keep a working tokenizer.
    ClipTokenizer copy = tokenizer;
    ClipTokenizer moved = std::move(copy);
    QCOMPARE(moved.encode(QStringLiteral("ab ab")), (Ids{0, 4, 4, 1}));
}

void TestTokenizer::missingFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString message = modelErrorOf([&] { ClipTokenizer::fromDirectory(dir.path()); });
    QVERIFY2(message.contains(dir.filePath(QStringLiteral("vocab.json"))), qPrintable(message));

    writeFile(dir.filePath(QStringLiteral("vocab.json")), kTinyVocab);
    message = modelErrorOf([&] { ClipTokenizer::fromDirectory(dir.path()); });
    QVERIFY2(message.contains(dir.filePath(QStringLiteral("merges.txt"))), qPrintable(message));
    QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(message));
}

void TestTokenizer::vocabularyNotJson()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString vocab = dir.filePath(QStringLiteral("vocab.json"));
    writeFile(dir.filePath(QStringLiteral("merges.txt")), kTinyMerges);
    for (const QByteArray& bytes : {QByteArray("{\"a\": 1,"), QByteArray(), QByteArray("\xff\xfe garbage")}) {
        writeFile(vocab, bytes);
        const QString message = modelErrorOf([&] { ClipTokenizer(vocab, dir.filePath(QStringLiteral("merges.txt"))); });
        QVERIFY2(message.contains(vocab) && message.contains(QStringLiteral("not valid JSON")), qPrintable(message));
    }
}

void TestTokenizer::vocabularyWrongShape()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString vocab = dir.filePath(QStringLiteral("vocab.json"));
    const QString merges = dir.filePath(QStringLiteral("merges.txt"));
    writeFile(merges, kTinyMerges);
    const QByteArray cases[] = {
        "[1, 2, 3]",
        R"({"<|startoftext|>": 0, "<|endoftext|>": "one", "a": 2, "b</w>": 3, "ab</w>": 4})",
        R"({"<|startoftext|>": 0, "<|endoftext|>": -1, "a": 2, "b</w>": 3, "ab</w>": 4})",
        R"({"<|startoftext|>": 0, "<|endoftext|>": 1.5, "a": 2, "b</w>": 3, "ab</w>": 4})",
        R"({"<|endoftext|>": 1, "a": 2, "b</w>": 3, "ab</w>": 4})",
        R"({"<|startoftext|>": 0, "a": 2, "b</w>": 3, "ab</w>": 4})",
    };
    for (const QByteArray& bytes : cases) {
        writeFile(vocab, bytes);
        const QString message = modelErrorOf([&] { ClipTokenizer(vocab, merges); });
        QVERIFY2(message.contains(vocab), qPrintable(QString::fromUtf8(bytes) + QStringLiteral(" → ") + message));
    }
}

void TestTokenizer::mergesMalformed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString vocab = dir.filePath(QStringLiteral("vocab.json"));
    const QString merges = dir.filePath(QStringLiteral("merges.txt"));
    writeFile(vocab, kTinyVocab);
    const std::pair<QByteArray, QString> cases[] = {
        {"#version: 0.2\na b</w>\na b c\n", QStringLiteral("line 3")},
        {"#version: 0.2\nab</w>\n", QStringLiteral("line 2")},
        {"#version: 0.2\na  b</w>\n", QStringLiteral("line 2")},
        {"#version: 0.2\na zz\n", QStringLiteral("line 2")}, // token not in the vocabulary
        {"a b</w>\nb</w> a\n", QStringLiteral("line 2")},    // merged token not in the vocabulary
    };
    for (const auto& [bytes, where] : cases) {
        writeFile(merges, bytes);
        const QString message = modelErrorOf([&] { ClipTokenizer(vocab, merges); });
        QVERIFY2(message.contains(merges) && message.contains(where), qPrintable(message));
    }
    // Windows line ends and a blank last line are accepted.
    writeFile(merges, "#version: 0.2\r\na b</w>\r\n\r\n");
    QCOMPARE(ClipTokenizer(vocab, merges).encode(QStringLiteral("ab")), (Ids{0, 4, 1}));
}

QTEST_APPLESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
