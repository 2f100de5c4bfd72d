// The query language reader: clean the input, split it into signed terms of
// plain and quoted segments, then read each term (weight, image, dates,
// text). Every step is linear and none can fail: problems become notes.

#include "QueryParser.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace photosearch {
namespace {

// Longest path tried as an image: PATH_MAX on Linux.
constexpr qsizetype kMaxPathLength = 4096;

struct Segment {
    QString text;
    bool quoted = false;
};

// The words between two operators.
struct RawTerm {
    bool negative = false;
    bool explicitOperator = false;
    std::vector<Segment> segments;

    bool hasText() const
    {
        for (const Segment& s : segments) {
            if (!s.text.trimmed().isEmpty())
                return true;
        }
        return false;
    }
    bool hasQuote() const
    {
        for (const Segment& s : segments) {
            if (s.quoted)
                return true;
        }
        return false;
    }
};

bool isQuote(QChar c)
{
    return c == QLatin1Char('"') || c == QChar(0x201C) || c == QChar(0x201D);
}

// Cuts over-long input (never inside a surrogate pair), turns control
// characters into spaces and drops lone surrogate halves, which could not be
// encoded for the tokenizer.
QString sanitize(const QString& text, QStringList& notes)
{
    QString s = text;
    if (s.size() > kMaxQueryLength) {
        qsizetype cut = kMaxQueryLength;
        if (s.at(cut - 1).isHighSurrogate())
            --cut;
        s = text.left(cut);
        notes << QStringLiteral("the query was cut to its first %1 characters").arg(kMaxQueryLength);
    }
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            out += c;
            out += s.at(++i);
        } else if (c.isSurrogate()) {
            continue;
        } else if (c.category() == QChar::Other_Control) {
            out += QLatin1Char(' ');
        } else {
            out += c;
        }
    }
    return out;
}

// Splits at `+`/`-` found at the start of a word; quotes protect their
// content and an open quote runs to the end (`*unclosedQuote`).
std::vector<RawTerm> splitTerms(const QString& s, bool* unclosedQuote)
{
    std::vector<RawTerm> terms(1);
    QString plain;
    bool wordStart = true;
    const auto flushPlain = [&] {
        if (!plain.isEmpty())
            terms.back().segments.push_back({plain, false});
        plain.clear();
    };
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (isQuote(c)) {
            flushPlain();
            qsizetype end = i + 1;
            while (end < s.size() && !isQuote(s.at(end)))
                ++end;
            *unclosedQuote = *unclosedQuote || end == s.size();
            terms.back().segments.push_back({s.mid(i + 1, end - i - 1), true});
            i = end;
            wordStart = true;
        } else if (wordStart && (c == QLatin1Char('+') || c == QLatin1Char('-'))) {
            flushPlain();
            // An operator before anything else signs the first term.
            const bool reuseFirst = terms.size() == 1 && !terms.back().explicitOperator
                && !terms.back().hasText() && !terms.back().hasQuote();
            if (reuseFirst)
                terms.back().segments.clear();
            else
                terms.emplace_back();
            terms.back().explicitOperator = true;
            terms.back().negative = c == QLatin1Char('-');
        } else {
            plain += c;
            wordStart = c.isSpace();
        }
    }
    flushPlain();
    return terms;
}

QString simplifiedText(const RawTerm& t)
{
    QStringList parts;
    for (const Segment& s : t.segments)
        parts << s.text;
    return parts.join(QLatin1Char(' ')).simplified();
}

// Removes a weight prefix ("2:", "0.5:", "nan:") from the term's first
// plain segment and returns it as written, or "" when there is none. The
// character after ':' must not be a digit: "10:30" is a time.
QString takeWeightPrefix(RawTerm& t)
{
    if (t.segments.empty() || t.segments.front().quoted)
        return {};
    static const QRegularExpression re(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?|\\.\\d+|inf(?:inity)?|nan):(?!\\d)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(t.segments.front().text);
    if (!m.hasMatch())
        return {};
    t.segments.front().text.remove(0, m.capturedLength(0));
    return m.captured(1);
}

// Removes a `text:` prefix (any case, after the weight) from the term's first
// plain segment; true when there was one.
bool takeTextPrefix(RawTerm& t)
{
    if (t.segments.empty() || t.segments.front().quoted)
        return false;
    static const QRegularExpression re(QStringLiteral("^\\s*text:"), QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(t.segments.front().text);
    if (!m.hasMatch())
        return false;
    t.segments.front().text.remove(0, m.capturedLength(0));
    return true;
}

// The weight written as `written` (regex-checked above), or 0 to drop the
// term; notes say what was changed.
double resolveWeight(const QString& written, const QString& label, QStringList& notes)
{
    if (written.isEmpty())
        return 1.0;
    const QString lower = written.toLower();
    bool ok = false;
    double w = QLocale::c().toDouble(written, &ok);
    if (lower.startsWith(QLatin1String("inf")) || !ok) // digits only, so !ok is an overflow
        w = std::numeric_limits<double>::infinity();
    if (lower == QLatin1String("nan")) {
        notes << QStringLiteral("ignored the weight \"%1\" of \"%2\" (not a number)").arg(written, label);
        return 1.0;
    }
    if (w == 0.0) {
        notes << QStringLiteral("ignored \"%1\" (weight 0)").arg(label);
        return 0.0;
    }
    if (w > kMaxWeight) {
        notes << QStringLiteral("lowered the weight of \"%1\" to %2").arg(label).arg(kMaxWeight);
        return kMaxWeight;
    }
    return w;
}

// The absolute path when the term is one plain segment naming an image file
// (as written, or with `~` expanded), else "".
QString imagePath(const RawTerm& t, const std::function<bool(const QString&)>& isImageFile)
{
    if (!isImageFile || t.segments.size() != 1 || t.segments.front().quoted)
        return {};
    const QString written = t.segments.front().text.trimmed();
    if (written.isEmpty() || written.size() > kMaxPathLength)
        return {};
    QStringList candidates{written};
    if (written == QLatin1String("~") || written.startsWith(QLatin1String("~/")))
        candidates << QDir::homePath() + written.mid(1);
    for (const QString& candidate : candidates) {
        if (isImageFile(candidate))
            return QDir::cleanPath(QFileInfo(candidate).absoluteFilePath());
    }
    return {};
}

// The term's text; date phrases are taken out of plain segments when
// `readDates` and appended to `phrases`. `*plainLeft`: some plain (unquoted)
// words remain besides the dates.
QString termText(const RawTerm& t, bool readDates, const QDate& today, std::vector<DatePhrase>& phrases,
                 bool* plainLeft)
{
    QStringList pieces;
    *plainLeft = false;
    for (const Segment& s : t.segments) {
        QString piece = s.text;
        if (!s.quoted && readDates) {
            DateExtraction found = extractDatePhrases(piece, today);
            piece = found.rest;
            for (DatePhrase& p : found.phrases)
                phrases.push_back(std::move(p));
        }
        piece = piece.simplified();
        if (!piece.isEmpty())
            pieces << piece;
        *plainLeft = *plainLeft || (!s.quoted && !piece.isEmpty());
    }
    return pieces.join(QLatin1Char(' '));
}

// Reads the terms of one query, collecting notes and date phrases.
struct Reader {
    QDate today;
    const std::function<bool(const QString&)>& isImageFile;
    ParsedQuery out;
    std::vector<DatePhrase> phrases;
    int emptyTerms = 0;

    void read(RawTerm t)
    {
        const QString written = takeWeightPrefix(t);
        const bool textPrefix = takeTextPrefix(t);
        if (!t.hasText() && !t.hasQuote()) {
            ++emptyTerms;
            return;
        }
        QueryTerm term;
        term.quoted = t.hasQuote();
        const size_t phrasesBefore = phrases.size();
        bool plainLeft = false;
        const QString text = termText(t, !t.negative, today, phrases, &plainLeft);
        // Wholly quoted once its dates are out: `"wifi password" from March`.
        term.textOnly = textPrefix || (term.quoted && !plainLeft);
        const double weight = term.textOnly ? textWeight(written, simplifiedText(t))
                                            : resolveWeight(written, simplifiedText(t), out.notes);
        if (weight == 0.0) {
            phrases.resize(phrasesBefore); // a dropped term's dates go with it
            return;
        }
        term.weight = t.negative ? -weight : weight;
        const QString path = term.textOnly ? QString() : imagePath(t, isImageFile);
        if (!path.isEmpty()) {
            phrases.resize(phrasesBefore); // the whole term names a file, not a date
            term.kind = QueryTerm::Image;
            term.text = path;
            out.notes << QStringLiteral("image: %1").arg(path);
            out.terms.push_back(term);
            return;
        }
        term.text = text;
        if (!term.text.isEmpty())
            out.terms.push_back(term);
        else if (phrases.size() == phrasesBefore)
            ++emptyTerms; // only quotes around nothing, e.g. `""`
    }

    // Written text is required or excluded, not weighed: 1, or 0 for a
    // written weight of zero (the term is dropped, as any other).
    double textWeight(const QString& written, const QString& label)
    {
        if (written.isEmpty())
            return 1.0;
        bool ok = false;
        if (QLocale::c().toDouble(written, &ok) == 0.0 && ok) {
            out.notes << QStringLiteral("ignored \"%1\" (weight 0)").arg(label);
            return 0.0;
        }
        out.notes << QStringLiteral("ignored the weight \"%1\" of \"%2\" (written text is required, not weighed)")
                         .arg(written, label);
        return 1.0;
    }

    void finish()
    {
        if (emptyTerms == 1)
            out.notes << QStringLiteral("ignored an empty term");
        else if (emptyTerms > 1)
            out.notes << QStringLiteral("ignored %1 empty terms").arg(emptyTerms);
        if (!phrases.empty()) {
            out.dates = combineDateRanges(phrases, &out.notes);
            out.notes << out.dates.description;
        }
        if (out.terms.empty() && !out.dates.isSet()) {
            out.error = QStringLiteral("Nothing to search for: type some words, an image path or a date "
                                       "such as \"from March\".");
        } else if (!out.terms.empty() && !out.hasPositiveTerm()) {
            out.error = QStringLiteral("Nothing to look for: \"-\" terms only push results away, so add a "
                                       "term without \"-\".");
        } else if (out.terms.empty()) {
            out.notes << QStringLiteral("no words or images: all photos %1").arg(out.dates.description);
        }
    }
};

} // namespace

bool ParsedQuery::hasPositiveTerm() const
{
    for (const QueryTerm& t : terms) {
        if (t.weight > 0)
            return true;
    }
    return false;
}

ParsedQuery parseQuery(const QString& text, const QDate& today,
                       const std::function<bool(const QString&)>& isImageFile)
{
    Reader reader{today.isValid() ? today : QDate::currentDate(), isImageFile, {}, {}, 0};
    const QString clean = sanitize(text, reader.out.notes);
    bool unclosedQuote = false;
    std::vector<RawTerm> terms = splitTerms(clean, &unclosedQuote);
    if (unclosedQuote)
        reader.out.notes << QStringLiteral("a quote was not closed; it runs to the end");
    // An empty query, or spaces, is one blank implicit term: not "ignored".
    const bool blankQuery = terms.size() == 1 && !terms.front().explicitOperator
        && !terms.front().hasText() && !terms.front().hasQuote();
    if (!blankQuery) {
        for (RawTerm& t : terms)
            reader.read(std::move(t));
    }
    reader.finish();
    return std::move(reader.out);
}

QString describe(const ParsedQuery& query)
{
    if (!query.error.isEmpty())
        return query.error;
    if (query.terms.empty())
        return QStringLiteral("all photos %1").arg(query.dates.description);
    QString line;
    for (size_t i = 0; i < query.terms.size(); ++i) {
        const QueryTerm& t = query.terms[i];
        if (i > 0 || t.weight < 0)
            line += t.weight < 0 ? (i ? QStringLiteral(" - ") : QStringLiteral("- ")) : QStringLiteral(" + ");
        if (t.kind == QueryTerm::Image)
            line += QStringLiteral("image %1").arg(t.text);
        else if (t.textOnly)
            line += (t.quoted ? QStringLiteral("text:\"%1\"") : QStringLiteral("text:%1")).arg(t.text);
        else
            line += QStringLiteral("\"%1\"").arg(t.text);
        if (std::abs(t.weight) != 1.0)
            line += QStringLiteral(" x%1").arg(std::abs(t.weight));
    }
    if (query.dates.isSet())
        line += QStringLiteral(", ") + query.dates.description;
    return line;
}

} // namespace photosearch
