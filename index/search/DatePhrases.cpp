// Date phrases: a small recursive-descent reader over the words of a text.
// Each reader looks at a bounded number of words from a position and says
// how many it used, so the scan stays linear and the grammar stays in
// small pieces (see DatePhrases.h for the grammar and the rules chosen).

#include "DatePhrases.h"

#include <array>

namespace photosearch {
namespace {

// A whitespace-separated word. `core` is the lower-case word without
// surrounding brackets and trailing punctuation ("(June" -> "june",
// "2019." -> "2019"), which is what the grammar reads; a phrase may only
// span words that punctuation does not separate.
struct Word {
    QString raw;
    QString core;
    bool leadPunct = false;
    bool trailPunct = false;
};

bool allLetters(const QString& s)
{
    for (const QChar c : s) {
        if (!c.isLetter())
            return false;
    }
    return !s.isEmpty();
}

std::vector<Word> splitWords(const QString& text)
{
    static const QString leading = QStringLiteral("([{'\"");
    static const QString trailing = QStringLiteral(")]}'\".,;:!?");
    std::vector<Word> words;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text.at(i).isSpace())
            ++i;
        const qsizetype start = i;
        while (i < n && !text.at(i).isSpace())
            ++i;
        if (i == start)
            break;
        Word w;
        w.raw = text.mid(start, i - start);
        qsizetype b = 0, e = w.raw.size();
        while (b < e && leading.contains(w.raw.at(b)))
            ++b;
        while (e > b && trailing.contains(w.raw.at(e - 1)))
            --e;
        w.leadPunct = b > 0;
        w.core = w.raw.mid(b, e - b).toLower();
        // "Sept. 2020": the dot of an abbreviation does not end a phrase.
        const bool abbreviation = w.raw.size() - e == 1 && w.raw.at(e) == QLatin1Char('.')
            && w.core.size() <= 4 && allLetters(w.core);
        w.trailPunct = e < w.raw.size() && !abbreviation;
        words.push_back(std::move(w));
    }
    return words;
}

// True when words[i .. i+count) exist and no punctuation separates them.
bool joined(const std::vector<Word>& w, size_t i, size_t count)
{
    if (count == 0 || i + count > w.size())
        return false;
    for (size_t k = i; k + 1 < i + count; ++k) {
        if (w[k].trailPunct || w[k + 1].leadPunct)
            return false;
    }
    return true;
}

bool isOneOf(const QString& s, std::initializer_list<const char*> options)
{
    for (const char* o : options) {
        if (s == QLatin1String(o))
            return true;
    }
    return false;
}

const std::array<const char*, 12> kMonthNames = {"january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"};

// 1..12 for a full month name, 0 otherwise. Abbreviations ("jan") only
// count beside a year (monthWithYear): "a card from Jan" is a person.
int fullMonth(const QString& s)
{
    for (size_t m = 0; m < kMonthNames.size(); ++m) {
        if (s == QLatin1String(kMonthNames[m]))
            return int(m) + 1;
    }
    return 0;
}

int monthWithYear(const QString& s)
{
    static const std::array<const char*, 12> abbrev = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
        "aug", "sep", "oct", "nov", "dec"};
    if (const int m = fullMonth(s))
        return m;
    if (s == QLatin1String("sept"))
        return 9;
    for (size_t m = 0; m < abbrev.size(); ++m) {
        if (s == QLatin1String(abbrev[m]))
            return int(m) + 1;
    }
    return 0;
}

enum Season { Spring = 0, Summer, Autumn, Winter, NoSeason };

Season season(const QString& s)
{
    if (s == QLatin1String("spring"))
        return Spring;
    if (s == QLatin1String("summer"))
        return Summer;
    if (s == QLatin1String("autumn") || s == QLatin1String("fall"))
        return Autumn;
    if (s == QLatin1String("winter"))
        return Winter;
    return NoSeason;
}

bool allDigits(const QString& s, qsizetype from, qsizetype count)
{
    if (from < 0 || count <= 0 || from + count > s.size())
        return false;
    for (qsizetype k = from; k < from + count; ++k) {
        if (s.at(k) < QLatin1Char('0') || s.at(k) > QLatin1Char('9'))
            return false;
    }
    return true;
}

// A plausible photo year: four digits, 1900 .. today's year + 1 (a camera
// clock set a little ahead); anything else is more likely a count or a code.
int plausibleYear(const QString& s, const QDate& today)
{
    if (s.size() != 4 || !allDigits(s, 0, 4))
        return 0;
    const int y = s.toInt();
    return (y >= 1900 && y <= today.year() + 1) ? y : 0;
}

QDate monthEnd(int year, int month)
{
    return QDate(year, month, 1).addMonths(1).addDays(-1);
}

// Something that happens once a year: a month, a season or Christmas.
enum class Cycle { None, Month, Season, Christmas };

struct Span {
    QDate from;
    QDate to;
};

// The occurrence of a yearly cycle in `year` (a winter belongs to the year
// of its December).
Span occurrence(Cycle cycle, int which, int year)
{
    switch (cycle) {
    case Cycle::Month:
        return {QDate(year, which, 1), monthEnd(year, which)};
    case Cycle::Season: {
        const int firstMonth = 3 + 3 * which; // Mar, Jun, Sep, Dec
        const QDate from(year, firstMonth, 1);
        return {from, from.addMonths(3).addDays(-1)};
    }
    case Cycle::Christmas:
        return {QDate(year, 12, 24), QDate(year, 12, 26)};
    case Cycle::None:
        break;
    }
    return {};
}

// The most recent occurrence that has begun: "from March".
Span mostRecentBegun(Cycle c, int which, const QDate& today)
{
    int y = today.year();
    while (occurrence(c, which, y).from > today)
        --y;
    return occurrence(c, which, y);
}

// The most recent occurrence that has ended: "last winter".
Span mostRecentEnded(Cycle c, int which, const QDate& today)
{
    int y = today.year();
    while (occurrence(c, which, y).to >= today)
        --y;
    return occurrence(c, which, y);
}

// The occurrence in progress, else the one of today's year: "this summer".
Span current(Cycle c, int which, const QDate& today)
{
    const Span previous = occurrence(c, which, today.year() - 1);
    if (previous.to >= today)
        return previous;
    return occurrence(c, which, today.year());
}

// The first occurrence starting on or after `anchor`: the end of "from
// November to February".
Span firstFrom(Cycle c, int which, const QDate& anchor)
{
    int y = anchor.year() - 1;
    while (occurrence(c, which, y).from < anchor)
        ++y;
    return occurrence(c, which, y);
}

// A date expression. A "bare" one (a month, season or Christmas without a
// year) has `cycle` set: it needs a connecting word, and a range can
// resolve it again relative to its start.
struct Point {
    size_t length = 0; // words used; 0 = none
    QDate from;
    QDate to;
    Cycle cycle = Cycle::None;
    int which = 0;
};

Point makePoint(size_t length, const Span& s)
{
    Point p;
    p.length = length;
    p.from = s.from;
    p.to = s.to;
    return p;
}

Point bare(size_t length, Cycle c, int which, const QDate& today)
{
    Point p = makePoint(length, mostRecentBegun(c, which, today));
    p.cycle = c;
    p.which = which;
    return p;
}

// "2021-03-05", "2021-03", "2019-2021" in one word.
Point numericWord(const QString& s, const QDate& today)
{
    if (const int y = plausibleYear(s, today))
        return makePoint(1, {QDate(y, 1, 1), QDate(y, 12, 31)});
    if (s.size() < 6 || s.at(4) != QLatin1Char('-'))
        return {};
    const int y = plausibleYear(s.left(4), today);
    if (y == 0)
        return {};
    if (s.size() == 9 && allDigits(s, 5, 4)) {
        const int y2 = plausibleYear(s.mid(5), today);
        if (y2 >= y)
            return makePoint(1, {QDate(y, 1, 1), QDate(y2, 12, 31)});
        return {};
    }
    const QStringList parts = s.mid(5).split(QLatin1Char('-'));
    for (const QString& part : parts) {
        if (part.size() < 1 || part.size() > 2 || !allDigits(part, 0, part.size()))
            return {};
    }
    const int m = parts.at(0).toInt();
    if (parts.size() == 1 && m >= 1 && m <= 12)
        return makePoint(1, {QDate(y, m, 1), monthEnd(y, m)});
    const QDate day = parts.size() == 2 ? QDate(y, m, parts.at(1).toInt()) : QDate();
    if (day.isValid())
        return makePoint(1, {day, day});
    return {};
}

// "June 2021", "june of 2021", "the summer of 2019", "christmas 2020".
Point namedWithYear(const std::vector<Word>& w, size_t i, const QDate& today)
{
    size_t k = i;
    if (joined(w, k, 2) && w[k].core == QLatin1String("the"))
        ++k;
    if (!joined(w, k, 2))
        return {};
    const QString& name = w[k].core;
    size_t yearAt = k + 1;
    if (w[yearAt].core == QLatin1String("of") && joined(w, k, 3))
        ++yearAt;
    const int y = plausibleYear(w[yearAt].core, today);
    if (y == 0)
        return {};
    const size_t length = yearAt + 1 - i;
    const bool hasThe = k > i;
    if (const int m = monthWithYear(name); m && !hasThe)
        return makePoint(length, occurrence(Cycle::Month, m, y));
    if (const Season s = season(name); s != NoSeason)
        return makePoint(length, occurrence(Cycle::Season, s, y));
    if (name == QLatin1String("christmas") && !hasThe)
        return makePoint(length, occurrence(Cycle::Christmas, 0, y));
    return {};
}

// A month, season or Christmas by itself; resolved to the most recent one
// that has begun.
Point bareCycle(const std::vector<Word>& w, size_t i, const QDate& today)
{
    if (i >= w.size())
        return {};
    if (const int m = fullMonth(w[i].core))
        return bare(1, Cycle::Month, m, today);
    if (w[i].core == QLatin1String("christmas"))
        return bare(1, Cycle::Christmas, 0, today);
    const bool hasThe = w[i].core == QLatin1String("the") && joined(w, i, 2);
    const size_t k = hasThe ? i + 1 : i;
    if (const Season s = season(w[k].core); s != NoSeason)
        return bare(k + 1 - i, Cycle::Season, s, today);
    return {};
}

// "last week", "this month", "previous year": calendar periods.
Point calendarPeriod(bool last, const QString& unit, const QDate& today)
{
    if (unit == QLatin1String("week")) {
        const QDate monday = today.addDays(1 - today.dayOfWeek()).addDays(last ? -7 : 0);
        return makePoint(2, {monday, monday.addDays(6)});
    }
    if (unit == QLatin1String("month")) {
        const QDate first = QDate(today.year(), today.month(), 1).addMonths(last ? -1 : 0);
        return makePoint(2, {first, monthEnd(first.year(), first.month())});
    }
    if (unit == QLatin1String("year")) {
        const int y = today.year() - (last ? 1 : 0);
        return makePoint(2, {QDate(y, 1, 1), QDate(y, 12, 31)});
    }
    return {};
}

// "last 30 days", "past 2 weeks": a rolling window that ends today.
Point rollingWindow(const std::vector<Word>& w, size_t i, const QDate& today)
{
    if (!joined(w, i, 3) || !isOneOf(w[i].core, {"last", "past"}))
        return {};
    const QString& count = w[i + 1].core;
    if (count.size() > 4 || !allDigits(count, 0, count.size()))
        return {};
    const int n = count.toInt();
    const QString& unit = w[i + 2].core;
    QDate from;
    if (isOneOf(unit, {"day", "days"}))
        from = today.addDays(-n);
    else if (isOneOf(unit, {"week", "weeks"}))
        from = today.addDays(-7 * qint64(n));
    else if (isOneOf(unit, {"month", "months"}))
        from = today.addMonths(-n);
    else if (isOneOf(unit, {"year", "years"}))
        from = today.addYears(-n);
    if (n < 1 || !from.isValid())
        return {};
    return makePoint(3, {from.addDays(1), today});
}

// yesterday, today, last/this/previous + week|month|year|MONTH|SEASON|christmas.
Point relative(const std::vector<Word>& w, size_t i, const QDate& today)
{
    const QString& first = w[i].core;
    if (first == QLatin1String("today"))
        return makePoint(1, {today, today});
    if (first == QLatin1String("yesterday"))
        return makePoint(1, {today.addDays(-1), today.addDays(-1)});
    if (Point p = rollingWindow(w, i, today); p.length)
        return p;
    if (!joined(w, i, 2) || !isOneOf(first, {"last", "this", "previous"}))
        return {};
    const bool last = first != QLatin1String("this");
    const QString& unit = w[i + 1].core;
    if (Point p = calendarPeriod(last, unit, today); p.length)
        return p;
    Cycle c = Cycle::None;
    int which = 0;
    if ((which = fullMonth(unit)))
        c = Cycle::Month;
    else if ((which = season(unit)) != NoSeason)
        c = Cycle::Season;
    else if (unit == QLatin1String("christmas"))
        c = Cycle::Christmas, which = 0;
    if (c == Cycle::None)
        return {};
    return makePoint(2, last ? mostRecentEnded(c, which, today) : current(c, which, today));
}

Point parsePoint(const std::vector<Word>& w, size_t i, const QDate& today)
{
    if (i >= w.size())
        return {};
    if (Point p = relative(w, i, today); p.length)
        return p;
    if (Point p = numericWord(w[i].core, today); p.length)
        return p;
    if (Point p = namedWithYear(w, i, today); p.length)
        return p;
    return bareCycle(w, i, today);
}

struct Match {
    size_t length = 0;
    QDate from;
    QDate to;
};

// "between 2019 and 2021", "from March to June": a bare end is the first
// one at or after the start; absolute ends given backwards are swapped.
Match rangePhrase(const std::vector<Word>& w, size_t i, const QDate& today)
{
    if (!joined(w, i, 4) || !isOneOf(w[i].core, {"between", "from"}))
        return {};
    const bool between = w[i].core == QLatin1String("between");
    const Point a = parsePoint(w, i + 1, today);
    const size_t joinAt = i + 1 + a.length;
    if (!a.length || !joined(w, i, joinAt + 2 - i))
        return {};
    const QString& link = w[joinAt].core;
    if (between ? link != QLatin1String("and") : !isOneOf(link, {"to", "until", "till", "through", "-"}))
        return {};
    Point b = parsePoint(w, joinAt + 1, today);
    if (!b.length || !joined(w, i, joinAt + 1 + b.length - i))
        return {};
    if (b.cycle != Cycle::None) {
        const Span s = firstFrom(b.cycle, b.which, a.from);
        b.from = s.from;
        b.to = s.to;
    }
    Match m{joinAt + 1 + b.length - i, a.from, b.to};
    if (b.to < a.from)
        m.from = b.from, m.to = a.to;
    return m;
}

// "since 2019", "after March", "before 2020", "until June 2021": one open end.
Match openPhrase(const std::vector<Word>& w, size_t i, const QDate& today)
{
    if (!joined(w, i, 2) || !isOneOf(w[i].core, {"since", "after", "before", "until"}))
        return {};
    const Point p = parsePoint(w, i + 1, today);
    if (!p.length || !joined(w, i, 1 + p.length))
        return {};
    const QString& word = w[i].core;
    Match m;
    m.length = 1 + p.length;
    if (word == QLatin1String("since"))
        m.from = p.from;
    else if (word == QLatin1String("after"))
        m.from = p.to.addDays(1);
    else if (word == QLatin1String("before"))
        m.to = p.from.addDays(-1);
    else
        m.to = p.to;
    return m;
}

// "[from|in|during|on|at] point"; a bare point needs the connecting word.
Match connectedPhrase(const std::vector<Word>& w, size_t i, const QDate& today)
{
    const bool connector = joined(w, i, 2) && isOneOf(w[i].core, {"from", "in", "during", "on", "at"});
    const size_t at = connector ? i + 1 : i;
    const Point p = parsePoint(w, at, today);
    if (!p.length || (p.cycle != Cycle::None && !connector) || !joined(w, i, at - i + p.length))
        return {};
    return {at - i + p.length, p.from, p.to};
}

// The longest phrase starting at word i, with an optional leading "taken".
Match phraseAt(const std::vector<Word>& w, size_t i, const QDate& today)
{
    const size_t start = i;
    if (joined(w, i, 2) && w[i].core == QLatin1String("taken"))
        ++i;
    Match m = rangePhrase(w, i, today);
    if (!m.length)
        m = openPhrase(w, i, today);
    if (!m.length)
        m = connectedPhrase(w, i, today);
    if (m.length)
        m.length += i - start;
    return m;
}

// Drops separators left dangling by a removed phrase ("beach, 2019").
QString tidy(const QString& text)
{
    static const QString separators = QStringLiteral(",;:");
    qsizetype b = 0, e = text.size();
    while (b < e && (separators.contains(text.at(b)) || text.at(b).isSpace()))
        ++b;
    while (e > b && (separators.contains(text.at(e - 1)) || text.at(e - 1).isSpace()))
        --e;
    return text.mid(b, e - b);
}

QString joinWords(const std::vector<Word>& w, size_t from, size_t count)
{
    QStringList parts;
    for (size_t k = from; k < from + count; ++k)
        parts << w[k].raw;
    return parts.join(QLatin1Char(' '));
}

} // namespace

DateExtraction extractDatePhrases(const QString& text, const QDate& todayIn)
{
    const QDate today = todayIn.isValid() ? todayIn : QDate::currentDate();
    const std::vector<Word> words = splitWords(text);
    DateExtraction out;
    QStringList kept;
    for (size_t i = 0; i < words.size();) {
        const Match m = phraseAt(words, i, today);
        if (m.length == 0) {
            kept << words[i].raw;
            ++i;
            continue;
        }
        DatePhrase phrase;
        phrase.text = joinWords(words, i, m.length);
        phrase.range.from = m.from;
        phrase.range.to = m.to;
        phrase.range.description = describeDateRange(m.from, m.to);
        out.phrases.push_back(std::move(phrase));
        i += m.length;
    }
    const QString rest = kept.join(QLatin1Char(' '));
    out.rest = out.phrases.empty() ? rest : tidy(rest);
    return out;
}

DateRange combineDateRanges(const std::vector<DatePhrase>& phrases, QStringList* notes)
{
    DateRange r;
    for (const DatePhrase& p : phrases) {
        if (p.range.from.isValid() && (!r.from.isValid() || p.range.from > r.from))
            r.from = p.range.from;
        if (p.range.to.isValid() && (!r.to.isValid() || p.range.to < r.to))
            r.to = p.range.to;
    }
    if (r.from.isValid() && r.to.isValid() && r.from > r.to) {
        r = phrases.back().range;
        if (notes) {
            *notes << QStringLiteral("the dates do not overlap; used only the last one, \"%1\"")
                          .arg(phrases.back().text);
        }
    }
    r.description = describeDateRange(r.from, r.to);
    return r;
}

QString describeDateRange(const QDate& from, const QDate& to)
{
    const auto iso = [](const QDate& d) { return d.toString(Qt::ISODate); };
    if (!from.isValid() && !to.isValid())
        return {};
    if (!to.isValid())
        return QStringLiteral("taken on or after %1").arg(iso(from));
    if (!from.isValid())
        return QStringLiteral("taken on or before %1").arg(iso(to));
    if (from == to)
        return QStringLiteral("taken on %1").arg(iso(from));
    if (from.day() == 1 && to == monthEnd(from.year(), from.month())) {
        const QString month = QString::fromLatin1(kMonthNames[size_t(from.month() - 1)]);
        return QStringLiteral("taken in %1%2 %3").arg(month.left(1).toUpper(), month.mid(1)).arg(from.year());
    }
    if (from == QDate(from.year(), 1, 1) && to == QDate(from.year(), 12, 31))
        return QStringLiteral("taken in %1").arg(from.year());
    return QStringLiteral("taken between %1 and %2").arg(iso(from), iso(to));
}

} // namespace photosearch
