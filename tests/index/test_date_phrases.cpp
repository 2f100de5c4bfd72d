// Date phrases: every form of the grammar with fixed `today`s (to pin "the
// most recent March", season and week boundaries across a new year), the
// words that must stay text, how phrases combine, and the descriptions.

#include "DatePhrases.h"

#include <QTest>

using namespace photosearch;

namespace {
const QDate kDec1(2026, 12, 1);  // a Tuesday late in the year
const QDate kFeb10(2026, 2, 10); // before March: "March" is last year's
const QDate kJan15(2026, 1, 15); // inside a winter
const QDate kJan2(2026, 1, 2);   // a Friday whose week began last year

QDate d(int y, int m, int day)
{
    return QDate(y, m, day);
}
} // namespace

class TestDatePhrases : public QObject {
    Q_OBJECT

private:
    // One row: today, input, expected remaining text, expected phrases as
    // written, and the combined range.
    static void row(const char* name, const QDate& today, const QString& input, const QString& rest,
                    const QStringList& phrases, const QDate& from, const QDate& to)
    {
        QTest::newRow(name) << today << input << rest << phrases << from << to;
    }

private Q_SLOTS:
    void extracts_data()
    {
        QTest::addColumn<QDate>("today");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("rest");
        QTest::addColumn<QStringList>("phrases");
        QTest::addColumn<QDate>("from");
        QTest::addColumn<QDate>("to");
        const QDate none;

        // Months: the most recent one that has begun.
        row("from March, Dec", kDec1, "receipt from March", "receipt", {"from March"}, d(2026, 3, 1), d(2026, 3, 31));
        row("from March, Feb", kFeb10, "receipt from March", "receipt", {"from March"}, d(2025, 3, 1), d(2025, 3, 31));
        row("from March, on March 1", d(2026, 3, 1), "from March", "", {"from March"}, d(2026, 3, 1), d(2026, 3, 31));
        row("from March, on Feb 28", d(2026, 2, 28), "from March", "", {"from March"}, d(2025, 3, 1), d(2025, 3, 31));
        row("in February, Feb", kFeb10, "snow in February", "snow", {"in February"}, d(2026, 2, 1), d(2026, 2, 28));
        row("during may", kDec1, "tulips during may", "tulips", {"during may"}, d(2026, 5, 1), d(2026, 5, 31));
        row("upper case", kDec1, "Receipt FROM MARCH", "Receipt", {"FROM MARCH"}, d(2026, 3, 1), d(2026, 3, 31));
        // Years.
        row("bare year", kDec1, "beach 2019", "beach", {"2019"}, d(2019, 1, 1), d(2019, 12, 31));
        row("in year", kDec1, "in 2019", "", {"in 2019"}, d(2019, 1, 1), d(2019, 12, 31));
        row("taken in year", kDec1, "photos taken in 2019 at home", "photos at home", {"taken in 2019"},
            d(2019, 1, 1), d(2019, 12, 31));
        row("year in brackets", kDec1, "dog (2019)", "dog", {"(2019)"}, d(2019, 1, 1), d(2019, 12, 31));
        row("year after comma", kDec1, "beach, 2019", "beach", {"2019"}, d(2019, 1, 1), d(2019, 12, 31));
        row("next year allowed", kDec1, "plan 2027", "plan", {"2027"}, d(2027, 1, 1), d(2027, 12, 31));
        row("1900", kDec1, "train 1900", "train", {"1900"}, d(1900, 1, 1), d(1900, 12, 31));
        // Month and year.
        row("in June 2021", kDec1, "wedding in June 2021", "wedding", {"in June 2021"}, d(2021, 6, 1), d(2021, 6, 30));
        row("June 2021", kDec1, "June 2021", "", {"June 2021"}, d(2021, 6, 1), d(2021, 6, 30));
        row("from June 2021", kDec1, "from June 2021 cake", "cake", {"from June 2021"}, d(2021, 6, 1), d(2021, 6, 30));
        row("march of 2019", kDec1, "march of 2019", "", {"march of 2019"}, d(2019, 3, 1), d(2019, 3, 31));
        row("abbreviation", kDec1, "jun 2021", "", {"jun 2021"}, d(2021, 6, 1), d(2021, 6, 30));
        row("sept.", kDec1, "Sept. 2020", "", {"Sept. 2020"}, d(2020, 9, 1), d(2020, 9, 30));
        row("may with year", kDec1, "may 2021", "", {"may 2021"}, d(2021, 5, 1), d(2021, 5, 31));
        // Seasons.
        row("last winter, Dec", kDec1, "snow last winter", "snow", {"last winter"}, d(2025, 12, 1), d(2026, 2, 28));
        row("last winter, Jan", kJan15, "snow last winter", "snow", {"last winter"}, d(2024, 12, 1), d(2025, 2, 28));
        row("this winter, Jan", kJan15, "snow this winter", "snow", {"this winter"}, d(2025, 12, 1), d(2026, 2, 28));
        // Boundaries: the last day of a winter is still in it.
        row("this winter, last day", d(2026, 2, 28), "this winter", "", {"this winter"}, d(2025, 12, 1), d(2026, 2, 28));
        row("last winter, last day", d(2026, 2, 28), "last winter", "", {"last winter"}, d(2024, 12, 1), d(2025, 2, 28));
        row("last winter, day after", d(2026, 3, 1), "last winter", "", {"last winter"}, d(2025, 12, 1), d(2026, 2, 28));
        row("this winter, autumn", d(2026, 10, 1), "this winter", "", {"this winter"}, d(2026, 12, 1), d(2027, 2, 28));
        row("last summer, Dec", kDec1, "last summer", "", {"last summer"}, d(2026, 6, 1), d(2026, 8, 31));
        row("last summer, Jan", kJan15, "last summer", "", {"last summer"}, d(2025, 6, 1), d(2025, 8, 31));
        row("this summer, Dec", kDec1, "this summer", "", {"this summer"}, d(2026, 6, 1), d(2026, 8, 31));
        row("this summer, Jan", kJan15, "this summer", "", {"this summer"}, d(2026, 6, 1), d(2026, 8, 31));
        row("summer 2019", kDec1, "lake summer 2019", "lake", {"summer 2019"}, d(2019, 6, 1), d(2019, 8, 31));
        row("the summer of 2019", kDec1, "in the summer of 2019", "", {"in the summer of 2019"}, d(2019, 6, 1), d(2019, 8, 31));
        row("winter 2019", kDec1, "winter 2019", "", {"winter 2019"}, d(2019, 12, 1), d(2020, 2, 29));
        row("fall 2020", kDec1, "fall 2020", "", {"fall 2020"}, d(2020, 9, 1), d(2020, 11, 30));
        row("in the summer, Jan", kJan15, "in the summer", "", {"in the summer"}, d(2025, 6, 1), d(2025, 8, 31));
        row("during winter, Jan", kJan15, "during winter", "", {"during winter"}, d(2025, 12, 1), d(2026, 2, 28));
        // Days, weeks, months, years relative to today.
        row("yesterday", kDec1, "cake yesterday", "cake", {"yesterday"}, d(2026, 11, 30), d(2026, 11, 30));
        row("today", kDec1, "today", "", {"today"}, kDec1, kDec1);
        row("yesterday, Jan 1", QDate(2026, 1, 1), "yesterday", "", {"yesterday"}, d(2025, 12, 31), d(2025, 12, 31));
        row("last week", kDec1, "last week", "", {"last week"}, d(2026, 11, 23), d(2026, 11, 29));
        row("this week", kDec1, "this week", "", {"this week"}, d(2026, 11, 30), d(2026, 12, 6));
        row("this week, new year", kJan2, "this week", "", {"this week"}, d(2025, 12, 29), d(2026, 1, 4));
        row("last week, new year", kJan2, "from last week", "", {"from last week"}, d(2025, 12, 22), d(2025, 12, 28));
        row("last month", kDec1, "last month", "", {"last month"}, d(2026, 11, 1), d(2026, 11, 30));
        row("last month, Jan", kJan15, "last month", "", {"last month"}, d(2025, 12, 1), d(2025, 12, 31));
        row("this month", kDec1, "this month", "", {"this month"}, d(2026, 12, 1), d(2026, 12, 31));
        row("last year", kDec1, "last year", "", {"last year"}, d(2025, 1, 1), d(2025, 12, 31));
        row("previous year", kDec1, "previous year", "", {"previous year"}, d(2025, 1, 1), d(2025, 12, 31));
        row("this year", kDec1, "this year", "", {"this year"}, d(2026, 1, 1), d(2026, 12, 31));
        row("last 7 days", kDec1, "last 7 days", "", {"last 7 days"}, d(2026, 11, 25), kDec1);
        row("past 2 weeks", kDec1, "past 2 weeks", "", {"past 2 weeks"}, d(2026, 11, 18), kDec1);
        row("last March, Dec", kDec1, "last March", "", {"last March"}, d(2026, 3, 1), d(2026, 3, 31));
        row("last March, Feb", kFeb10, "last March", "", {"last March"}, d(2025, 3, 1), d(2025, 3, 31));
        // Numeric dates.
        row("on ISO day", kDec1, "party on 2021-03-05", "party", {"on 2021-03-05"}, d(2021, 3, 5), d(2021, 3, 5));
        row("ISO month", kDec1, "2021-03", "", {"2021-03"}, d(2021, 3, 1), d(2021, 3, 31));
        row("ISO single digits", kDec1, "2021-3-5", "", {"2021-3-5"}, d(2021, 3, 5), d(2021, 3, 5));
        row("year span word", kDec1, "2019-2021", "", {"2019-2021"}, d(2019, 1, 1), d(2021, 12, 31));
        // Ranges.
        row("between years", kDec1, "between 2019 and 2021", "", {"between 2019 and 2021"}, d(2019, 1, 1), d(2021, 12, 31));
        row("from to years", kDec1, "hikes from 2019 to 2021", "hikes", {"from 2019 to 2021"}, d(2019, 1, 1), d(2021, 12, 31));
        row("backwards", kDec1, "between 2021 and 2019", "", {"between 2021 and 2019"}, d(2019, 1, 1), d(2021, 12, 31));
        row("months range", kDec1, "from March to June", "", {"from March to June"}, d(2026, 3, 1), d(2026, 6, 30));
        row("range over new year", kFeb10, "from November to February", "", {"from November to February"},
            d(2025, 11, 1), d(2026, 2, 28));
        row("month year range", kDec1, "from March 2019 until June 2020", "", {"from March 2019 until June 2020"},
            d(2019, 3, 1), d(2020, 6, 30));
        row("range to today", kDec1, "from 2025-06-01 to today", "", {"from 2025-06-01 to today"}, d(2025, 6, 1), kDec1);
        row("range end not a date", kDec1, "from 2019 to dogs", "to dogs", {"from 2019"}, d(2019, 1, 1), d(2019, 12, 31));
        row("since", kDec1, "since 2019", "", {"since 2019"}, d(2019, 1, 1), none);
        row("after", kDec1, "after March 2021", "", {"after March 2021"}, d(2021, 4, 1), none);
        row("before", kDec1, "before 2019", "", {"before 2019"}, none, d(2018, 12, 31));
        row("until", kDec1, "until June 2021", "", {"until June 2021"}, none, d(2021, 6, 30));
        // Christmas.
        row("christmas 2020", kDec1, "tree christmas 2020", "tree", {"christmas 2020"}, d(2020, 12, 24), d(2020, 12, 26));
        row("at christmas, Dec", kDec1, "at christmas", "", {"at christmas"}, d(2025, 12, 24), d(2025, 12, 26));
        row("last christmas, Jan", kJan2, "last christmas", "", {"last christmas"}, d(2025, 12, 24), d(2025, 12, 26));
        // Several phrases intersect.
        row("intersect", kDec1, "in 2019 during summer 2019", "", {"in 2019", "during summer 2019"},
            d(2019, 6, 1), d(2019, 8, 31));
        row("since and until", kDec1, "since 2019 until 2020", "", {"since 2019", "until 2020"}, d(2019, 1, 1), d(2020, 12, 31));
        row("conflict: last wins", kDec1, "2019 beach 2020", "beach", {"2019", "2020"}, d(2020, 1, 1), d(2020, 12, 31));
        // Words that stay text.
        row("march of the penguins", kDec1, "march of the penguins", "march of the penguins", {}, none, none);
        row("may alone", kDec1, "may", "may", {}, none, none);
        row("may flowers", kDec1, "may flowers", "may flowers", {}, none, none);
        row("3 dogs", kDec1, "3 dogs", "3 dogs", {}, none, none);
        row("file name", kDec1, "2019.jpg", "2019.jpg", {}, none, none);
        row("time", kDec1, "10:30 meeting", "10:30 meeting", {}, none, none);
        row("too old", kDec1, "1899 train", "1899 train", {}, none, none);
        row("too new", kDec1, "2028 olympics", "2028 olympics", {}, none, none);
        row("five digits", kDec1, "20190", "20190", {}, none, none);
        row("money", kDec1, "$2019", "$2019", {}, none, none);
        row("hash", kDec1, "#2019", "#2019", {}, none, none);
        row("decade", kDec1, "the 1980s", "the 1980s", {}, none, none);
        row("bad month", kDec1, "2019-13", "2019-13", {}, none, none);
        row("bad day", kDec1, "2019-02-30", "2019-02-30", {}, none, none);
        row("abbreviation alone", kDec1, "card from Jan", "card from Jan", {}, none, none);
        row("season alone", kDec1, "summer dress", "summer dress", {}, none, none);
        row("christmas tree", kDec1, "christmas tree", "christmas tree", {}, none, none);
        row("in the garden", kDec1, "dog in the garden", "dog in the garden", {}, none, none);
        row("taken alone", kDec1, "taken by mom", "taken by mom", {}, none, none);
        row("last dogs", kDec1, "last 3 dogs", "last 3 dogs", {}, none, none);
        row("punctuation between", kDec1, "June! 2021", "June!", {"2021"}, d(2021, 1, 1), d(2021, 12, 31));
        row("spaces kept simple", kDec1, "  dog   on  a beach ", "dog on a beach", {}, none, none);
        row("empty", kDec1, "", "", {}, none, none);
    }

    void extracts()
    {
        QFETCH(QDate, today);
        QFETCH(QString, input);
        QFETCH(QString, rest);
        QFETCH(QStringList, phrases);
        QFETCH(QDate, from);
        QFETCH(QDate, to);

        const DateExtraction found = extractDatePhrases(input, today);
        QCOMPARE(found.rest, rest);
        QStringList texts;
        for (const DatePhrase& p : found.phrases) {
            texts << p.text;
            QVERIFY(p.range.isSet());
            QCOMPARE(p.range.description, describeDateRange(p.range.from, p.range.to));
        }
        QCOMPARE(texts, phrases);
        QStringList notes;
        const DateRange range = combineDateRanges(found.phrases, &notes);
        QCOMPARE(range.from, from);
        QCOMPARE(range.to, to);
        QCOMPARE(range.isSet(), !phrases.isEmpty());
    }

    void conflictNote()
    {
        QStringList notes;
        const DateRange r = combineDateRanges(extractDatePhrases("2019 beach 2020", kDec1).phrases, &notes);
        QCOMPARE(notes, QStringList{"the dates do not overlap; used only the last one, \"2020\""});
        QCOMPARE(r.description, QString("taken in 2020"));
        notes.clear();
        combineDateRanges(extractDatePhrases("in 2019 during summer 2019", kDec1).phrases, &notes);
        QVERIFY(notes.isEmpty());
        QVERIFY(!combineDateRanges({}, nullptr).isSet());
    }

    void describes_data()
    {
        QTest::addColumn<QDate>("from");
        QTest::addColumn<QDate>("to");
        QTest::addColumn<QString>("text");
        QTest::newRow("day") << d(2021, 3, 5) << d(2021, 3, 5) << QString("taken on 2021-03-05");
        QTest::newRow("month") << d(2026, 3, 1) << d(2026, 3, 31) << QString("taken in March 2026");
        QTest::newRow("leap February") << d(2024, 2, 1) << d(2024, 2, 29) << QString("taken in February 2024");
        QTest::newRow("year") << d(2019, 1, 1) << d(2019, 12, 31) << QString("taken in 2019");
        QTest::newRow("years") << d(2019, 1, 1) << d(2021, 12, 31) << QString("taken between 2019-01-01 and 2021-12-31");
        QTest::newRow("winter") << d(2019, 12, 1) << d(2020, 2, 29) << QString("taken between 2019-12-01 and 2020-02-29");
        QTest::newRow("from only") << d(2019, 1, 1) << QDate() << QString("taken on or after 2019-01-01");
        QTest::newRow("to only") << QDate() << d(2018, 12, 31) << QString("taken on or before 2018-12-31");
        QTest::newRow("none") << QDate() << QDate() << QString("");
    }

    void describes()
    {
        QFETCH(QDate, from);
        QFETCH(QDate, to);
        QFETCH(QString, text);
        QCOMPARE(describeDateRange(from, to), text);
    }

    // Linear: a megabyte of text finishes (no time is asserted) with every
    // phrase found.
    void longText()
    {
        const QString unit = QStringLiteral("dog in 2019 ");
        const QString text = unit.repeated(1024 * 1024 / unit.size());
        const DateExtraction found = extractDatePhrases(text, kDec1);
        QCOMPARE(found.phrases.size(), size_t(1024 * 1024 / unit.size()));
        QVERIFY(found.rest.startsWith("dog dog dog"));
    }

    void invalidTodayMeansNow()
    {
        const DateExtraction found = extractDatePhrases("this year", QDate());
        QCOMPARE(found.phrases.size(), size_t(1));
        QCOMPARE(found.phrases.front().range.from, QDate(QDate::currentDate().year(), 1, 1));
    }
};

QTEST_GUILESS_MAIN(TestDatePhrases)
#include "test_date_phrases.moc"
