// The query language: rclip's `2:dog + ./pool.jpg - fruit` with a real
// temporary image file, weights and their limits, quotes (never split nor
// read for dates), written-text terms (wholly quoted, or `text:`), date
// phrases merged into the filter, odd input (empty,
// only operators, control characters, surrogates, a megabyte) and the one
// line `describe` prints. Today is fixed at 2026-12-01.

#include "QueryParser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace photosearch;

namespace {
const QDate kToday(2026, 12, 1);

// The caller's rule in the app is "an existing file in an image format";
// here the name is enough.
bool isImage(const QString& path)
{
    const QFileInfo info(path);
    return info.isFile() && QStringList{"jpg", "png"}.contains(info.suffix().toLower());
}

// "text|2|dog|" or "image|-1|/x/pool.jpg|" or "text|1|on a|quoted" or
// "text|1|wifi|written" (textOnly) or "text|1|wifi password|quoted,written".
QStringList termStrings(const ParsedQuery& q)
{
    QStringList out;
    for (const QueryTerm& t : q.terms) {
        QStringList flags;
        if (t.quoted)
            flags << "quoted";
        if (t.textOnly)
            flags << "written";
        out << QStringLiteral("%1|%2|%3|%4")
                   .arg(QString(t.kind == QueryTerm::Image ? "image" : "text"))
                   .arg(t.weight)
                   .arg(t.text, flags.join(','));
    }
    return out;
}
} // namespace

class TestQueryParser : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString dir_; // canonical path of temp_, which is the current directory
    QString oldCurrent_;
    QByteArray oldHome_;

    // "@" in expected strings stands for the temporary directory.
    QString at(QString s) const { return s.replace('@', dir_); }
    QStringList at(QStringList list) const
    {
        for (QString& s : list)
            s = at(s);
        return list;
    }

    static void touch(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write("not decoded here") < 0)
            qFatal("cannot write %s", qPrintable(path));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        dir_ = QDir(temp_.path()).canonicalPath();
        touch(dir_ + "/pool.jpg");
        touch(dir_ + "/my photo.png");
        touch(dir_ + "/2019.jpg");
        touch(dir_ + "/notes.txt");
        oldCurrent_ = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir_));
        oldHome_ = qgetenv("HOME");
        qputenv("HOME", dir_.toUtf8()); // for "~/pool.jpg"
    }

    void cleanupTestCase()
    {
        QDir::setCurrent(oldCurrent_);
        qputenv("HOME", oldHome_);
    }

    void parses_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("terms");
        QTest::addColumn<QDate>("from");
        QTest::addColumn<QDate>("to");
        QTest::addColumn<QStringList>("notes");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("line"); // describe()
        const QDate none;
        const QString nothing = "Nothing to search for: type some words, an image path or a date such as \"from March\".";
        const QString onlyNegative = "Nothing to look for: \"-\" terms only push results away, so add a term without \"-\".";
        const auto row = [](const char* name, const QString& query, const QStringList& terms, const QDate& from,
                             const QDate& to, const QStringList& notes, const QString& error, const QString& line) {
            QTest::newRow(name) << query << terms << from << to << notes << error << line;
        };

        // rclip's example and its parts.
        row("rclip example", "2:dog + ./pool.jpg - fruit", {"text|2|dog|", "image|1|@/pool.jpg|", "text|-1|fruit|"},
            none, none, {"image: @/pool.jpg"}, "", "\"dog\" x2 + image @/pool.jpg - \"fruit\"");
        row("one term of many words", "dog on a beach", {"text|1|dog on a beach|"}, none, none, {}, "", "\"dog on a beach\"");
        row("spaces collapse", "  dog \t on   a beach  ", {"text|1|dog on a beach|"}, none, none, {}, "", "\"dog on a beach\"");
        row("minus at word start", "dog -cat", {"text|1|dog|", "text|-1|cat|"}, none, none, {}, "", "\"dog\" - \"cat\"");
        row("plus inside a word", "dog+cat c++", {"text|1|dog+cat c++|"}, none, none, {}, "", "\"dog+cat c++\"");
        row("hyphen inside a word", "t-shirt", {"text|1|t-shirt|"}, none, none, {}, "", "\"t-shirt\"");
        row("leading plus", "+ dog", {"text|1|dog|"}, none, none, {}, "", "\"dog\"");
        // Weights.
        row("half", "0.5:cat", {"text|0.5|cat|"}, none, none, {}, "", "\"cat\" x0.5");
        row("dot half", ".5:cat + dog", {"text|0.5|cat|", "text|1|dog|"}, none, none, {}, "", "\"cat\" x0.5 + \"dog\"");
        row("weight then space", "3: dog", {"text|3|dog|"}, none, none, {}, "", "\"dog\" x3");
        row("negative weight", "dog - 2:cat", {"text|1|dog|", "text|-2|cat|"}, none, none, {}, "", "\"dog\" - \"cat\" x2");
        row("time is text", "10:30 meeting", {"text|1|10:30 meeting|"}, none, none, {}, "", "\"10:30 meeting\"");
        row("url is text", "http://x", {"text|1|http://x|"}, none, none, {}, "", "\"http://x\"");
        row("weight zero", "0:cat + dog", {"text|1|dog|"}, none, none, {"ignored \"cat\" (weight 0)"}, "", "\"dog\"");
        row("huge weight", "1000:dog", {"text|100|dog|"}, none, none, {"lowered the weight of \"dog\" to 100"}, "", "\"dog\" x100");
        row("overflowing weight", QString(400, '9') + ":dog", {"text|100|dog|"}, none, none,
            {"lowered the weight of \"dog\" to 100"}, "", "\"dog\" x100");
        row("inf weight", "inf:dog", {"text|100|dog|"}, none, none, {"lowered the weight of \"dog\" to 100"}, "", "\"dog\" x100");
        row("nan weight", "NaN:dog", {"text|1|dog|"}, none, none, {"ignored the weight \"NaN\" of \"dog\" (not a number)"},
            "", "\"dog\"");
        row("weight of nothing", "2:", {}, none, none, {"ignored an empty term"}, nothing, nothing);
        // Quotes. A wholly quoted term is written text (OCR) only: these rows
        // went to CLIP before written text was searched (issue 17).
        row("quoted operators", "\"2:dog + cat - fruit\"", {"text|1|2:dog + cat - fruit|quoted,written"}, none, none,
            {}, "", "text:\"2:dog + cat - fruit\"");
        row("quoted date", "\"receipt from March\"", {"text|1|receipt from March|quoted,written"}, none, none, {}, "",
            "text:\"receipt from March\"");
        row("quoted year", "\"2019\"", {"text|1|2019|quoted,written"}, none, none, {}, "", "text:\"2019\"");
        row("weighted quote", "2:\"dog on a beach\"", {"text|1|dog on a beach|quoted,written"}, none, none,
            {"ignored the weight \"2\" of \"dog on a beach\" (written text is required, not weighed)"}, "",
            "text:\"dog on a beach\"");
        row("mixed quote and words", "dog \"from March\" 2019",
            {"text|1|dog from March|quoted"}, QDate(2019, 1, 1), QDate(2019, 12, 31), {"taken in 2019"}, "",
            "\"dog from March\", taken in 2019");
        row("typographic quotes", "\u201Csmart + quotes\u201D", {"text|1|smart + quotes|quoted,written"}, none, none,
            {}, "", "text:\"smart + quotes\"");
        row("unclosed quote", "\"unclosed dog + cat", {"text|1|unclosed dog + cat|quoted,written"}, none, none,
            {"a quote was not closed; it runs to the end"}, "", "text:\"unclosed dog + cat\"");
        row("quoted path is text", "\"./pool.jpg\"", {"text|1|./pool.jpg|quoted,written"}, none, none, {}, "",
            "text:\"./pool.jpg\"");
        row("quoted beside a picture term", "receipt + \"hardware store\"",
            {"text|1|receipt|", "text|1|hardware store|quoted,written"}, none, none, {}, "",
            "\"receipt\" + text:\"hardware store\"");
        row("quoted negative", "receipt - \"draft\"", {"text|1|receipt|", "text|-1|draft|quoted,written"}, none, none,
            {}, "", "\"receipt\" - text:\"draft\"");
        row("quoted once its date is out", "\"wifi password\" from March", {"text|1|wifi password|quoted,written"},
            QDate(2026, 3, 1), QDate(2026, 3, 31), {"taken in March 2026"}, "",
            "text:\"wifi password\", taken in March 2026");
        // `text:` terms: written text only, words anywhere.
        row("text prefix", "text:wifi password", {"text|1|wifi password|written"}, none, none, {}, "",
            "text:wifi password");
        row("text prefix in capitals", "TEXT: Wifi", {"text|1|Wifi|written"}, none, none, {}, "", "text:Wifi");
        row("text prefix and quotes", "text:\"wifi password\"", {"text|1|wifi password|quoted,written"}, none, none, {},
            "", "text:\"wifi password\"");
        row("text prefix negative", "receipt - text:draft", {"text|1|receipt|", "text|-1|draft|written"}, none, none,
            {}, "", "\"receipt\" - text:draft");
        row("text prefix reads dates", "text:receipt 2019", {"text|1|receipt|written"}, QDate(2019, 1, 1),
            QDate(2019, 12, 31), {"taken in 2019"}, "", "text:receipt, taken in 2019");
        row("text prefix keeps a quoted year", "text:\"2019\"", {"text|1|2019|quoted,written"}, none, none, {}, "",
            "text:\"2019\"");
        row("weighted text prefix", "2:text:wifi", {"text|1|wifi|written"}, none, none,
            {"ignored the weight \"2\" of \"wifi\" (written text is required, not weighed)"}, "", "text:wifi");
        row("text prefix weight zero", "0:text:wifi + dog", {"text|1|dog|"}, none, none, {"ignored \"wifi\" (weight 0)"},
            "", "\"dog\"");
        row("text prefix is never an image", "text:pool.jpg", {"text|1|pool.jpg|written"}, none, none, {}, "",
            "text:pool.jpg");
        row("text prefix alone", "text:", {}, none, none, {"ignored an empty term"}, nothing, nothing);
        row("text prefix only negative", "- text:draft", {"text|-1|draft|written"}, none, none, {}, onlyNegative,
            onlyNegative);
        row("text prefix starts a term only", "dog text:wifi", {"text|1|dog text:wifi|"}, none, none, {}, "",
            "\"dog text:wifi\"");
        row("a word ending in text:", "context: wifi", {"text|1|context: wifi|"}, none, none, {}, "",
            "\"context: wifi\"");
        row("empty quotes", "\"\"", {}, none, none, {"ignored an empty term"}, nothing, nothing);
        row("empty quotes after a term", "dog + \"\"", {"text|1|dog|"}, none, none, {"ignored an empty term"}, "", "\"dog\"");
        // Images.
        row("bare image name", "pool.jpg", {"image|1|@/pool.jpg|"}, none, none, {"image: @/pool.jpg"}, "", "image @/pool.jpg");
        row("image with spaces", "my photo.png + sunset", {"image|1|@/my photo.png|", "text|1|sunset|"}, none, none,
            {"image: @/my photo.png"}, "", "image @/my photo.png + \"sunset\"");
        row("home image", "~/pool.jpg", {"image|1|@/pool.jpg|"}, none, none, {"image: @/pool.jpg"}, "", "image @/pool.jpg");
        row("weighted negative image", "dog - 0.5:./pool.jpg", {"text|1|dog|", "image|-0.5|@/pool.jpg|"}, none, none,
            {"image: @/pool.jpg"}, "", "\"dog\" - image @/pool.jpg x0.5");
        row("image named like a year", "./2019.jpg", {"image|1|@/2019.jpg|"}, none, none, {"image: @/2019.jpg"}, "",
            "image @/2019.jpg");
        row("missing image is text", "./missing.jpg", {"text|1|./missing.jpg|"}, none, none, {}, "", "\"./missing.jpg\"");
        row("not an image is text", "notes.txt", {"text|1|notes.txt|"}, none, none, {}, "", "\"notes.txt\"");
        // Dates.
        row("receipt from March", "receipt from March", {"text|1|receipt|"}, QDate(2026, 3, 1), QDate(2026, 3, 31),
            {"taken in March 2026"}, "", "\"receipt\", taken in March 2026");
        row("dates only", "from March", {}, QDate(2026, 3, 1), QDate(2026, 3, 31),
            {"taken in March 2026", "no words or images: all photos taken in March 2026"}, "",
            "all photos taken in March 2026");
        row("date term disappears", "dog + 2019", {"text|1|dog|"}, QDate(2019, 1, 1), QDate(2019, 12, 31),
            {"taken in 2019"}, "", "\"dog\", taken in 2019");
        row("weighted date only", "2: 2019", {}, QDate(2019, 1, 1), QDate(2019, 12, 31),
            {"taken in 2019", "no words or images: all photos taken in 2019"}, "", "all photos taken in 2019");
        row("date in minus term stays text", "dog - snow in winter", {"text|1|dog|", "text|-1|snow in winter|"}, none,
            none, {}, "", "\"dog\" - \"snow in winter\"");
        row("year in minus term stays text", "dog - 2019", {"text|1|dog|", "text|-1|2019|"}, none, none, {}, "",
            "\"dog\" - \"2019\"");
        row("hyphens of a date", "t-shirt 2021-03-05", {"text|1|t-shirt|"}, QDate(2021, 3, 5), QDate(2021, 3, 5),
            {"taken on 2021-03-05"}, "", "\"t-shirt\", taken on 2021-03-05");
        row("between years", "hikes between 2019 and 2021", {"text|1|hikes|"}, QDate(2019, 1, 1), QDate(2021, 12, 31),
            {"taken between 2019-01-01 and 2021-12-31"}, "", "\"hikes\", taken between 2019-01-01 and 2021-12-31");
        row("dates across terms intersect", "beach 2019 + sunset in summer 2019", {"text|1|beach|", "text|1|sunset|"},
            QDate(2019, 6, 1), QDate(2019, 8, 31), {"taken between 2019-06-01 and 2019-08-31"}, "",
            "\"beach\" + \"sunset\", taken between 2019-06-01 and 2019-08-31");
        row("dates conflict", "beach 2019 + snow 2020", {"text|1|beach|", "text|1|snow|"}, QDate(2020, 1, 1),
            QDate(2020, 12, 31), {"the dates do not overlap; used only the last one, \"2020\"", "taken in 2020"}, "",
            "\"beach\" + \"snow\", taken in 2020");
        row("not dates", "march of the penguins + 3 dogs", {"text|1|march of the penguins|", "text|1|3 dogs|"}, none,
            none, {}, "", "\"march of the penguins\" + \"3 dogs\"");
        // Nothing searchable.
        row("empty", "", {}, none, none, {}, nothing, nothing);
        row("spaces", "   ", {}, none, none, {}, nothing, nothing);
        row("only operators", "+ - +", {}, none, none, {"ignored 3 empty terms"}, nothing, nothing);
        row("trailing operator", "dog +", {"text|1|dog|"}, none, none, {"ignored an empty term"}, "", "\"dog\"");
        row("only negative", "- fruit", {"text|-1|fruit|"}, none, none, {}, onlyNegative, onlyNegative);
        row("negative with a date", "from March - fruit", {"text|-1|fruit|"}, QDate(2026, 3, 1), QDate(2026, 3, 31),
            {"taken in March 2026"}, onlyNegative, onlyNegative);
        // Odd characters.
        row("control characters", QString("dog\x01" "beach\x07\n"), {"text|1|dog beach|"}, none, none, {}, "",
            "\"dog beach\"");
        row("non-BMP", QString::fromUtf8("\xF0\x9F\x90\x95 on a beach"),
            {QString::fromUtf8("text|1|\xF0\x9F\x90\x95 on a beach|")}, none, none, {}, "",
            QString::fromUtf8("\"\xF0\x9F\x90\x95 on a beach\""));
        row("lone surrogate", QString(QChar(0xD800)) + "dog", {"text|1|dog|"}, none, none, {}, "", "\"dog\"");
    }

    void parses()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, terms);
        QFETCH(QDate, from);
        QFETCH(QDate, to);
        QFETCH(QStringList, notes);
        QFETCH(QString, error);
        QFETCH(QString, line);

        const ParsedQuery q = parseQuery(query, kToday, isImage);
        QCOMPARE(termStrings(q), at(terms));
        QCOMPARE(q.dates.from, from);
        QCOMPARE(q.dates.to, to);
        QCOMPARE(q.notes, at(notes));
        QCOMPARE(q.error, error);
        QCOMPARE(q.ok(), error.isEmpty());
        QCOMPARE(describe(q), at(line));
    }

    void withoutImageCallback()
    {
        const ParsedQuery q = parseQuery("./pool.jpg", kToday, {});
        QCOMPARE(termStrings(q), QStringList{"text|1|./pool.jpg|"});
    }

    // The callback sees the term as written, then with `~` expanded.
    void imageCandidates()
    {
        QStringList asked;
        parseQuery("~/a.jpg + b c.png", kToday, [&](const QString& p) {
            asked << p;
            return false;
        });
        QCOMPARE(asked, (QStringList{"~/a.jpg", dir_ + "/a.jpg", "b c.png"}));
    }

    // A megabyte: cut to kMaxQueryLength, still linear (no time asserted).
    void megabyte()
    {
        const QString unit = "dog + ";
        const ParsedQuery q = parseQuery(unit.repeated(1024 * 1024 / unit.size()), kToday, isImage);
        QCOMPARE(q.notes, QStringList{"the query was cut to its first 2000 characters"});
        QCOMPARE(q.terms.size(), size_t(kMaxQueryLength / unit.size() + 1));
        QCOMPARE(q.terms.back().text, QString("do"));

        const ParsedQuery quotes = parseQuery(QString(1024 * 1024, '"'), kToday, isImage);
        QCOMPARE(quotes.error.isEmpty(), false);

        const ParsedQuery dates = parseQuery(QString("in 2019 ").repeated(1024 * 1024 / 8), kToday, isImage);
        QCOMPARE(dates.dates.from, QDate(2019, 1, 1));
        QVERIFY(dates.terms.empty());
    }

    // The cut never splits a surrogate pair.
    void cutKeepsPairs()
    {
        const QString dog = QString::fromUtf8("\xF0\x9F\x90\x95");
        const ParsedQuery q = parseQuery("a" + dog.repeated(kMaxQueryLength), kToday, isImage);
        QCOMPARE(q.terms.size(), size_t(1));
        QCOMPARE(q.terms.front().text.size(), kMaxQueryLength - 1);
        QVERIFY(q.terms.front().text.back().isLowSurrogate());
    }
};

QTEST_GUILESS_MAIN(TestQueryParser)
#include "test_query_parser.moc"
