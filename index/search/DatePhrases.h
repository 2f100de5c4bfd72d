#pragma once
// Plain-language dates in a search ("receipt from March", "snow last
// winter", "beach 2019") become a date range filter; the rest of the text
// stays for CLIP, which knows nothing about when a photo was taken.
//
// Pure functions of (text, today): no clock, no locale, no catalog, so the
// same query means the same range in tests, the CLI and the window. Thread
// safe. Linear in the length of the text (each word is looked at with a
// bounded look-ahead).
//
// Grammar (English, case-insensitive, whole words; surrounding brackets and
// trailing punctuation of a word are ignored):
//   point  := YYYY-MM-DD | YYYY-MM | YYYY | MONTH [of|,] YYYY
//           | [the] SEASON [of] YYYY | christmas YYYY
//           | yesterday | today | (last|this|previous) (week|month|year)
//           | (last|this|previous) (MONTH|SEASON|christmas)
//           | (last|past) N (days|weeks|months|years)
//           | MONTH | [the] SEASON | christmas       <- "bare": need a word below
//   phrase := [taken] (between|from) point (and|to|until|till|through) point
//           | [taken] (since|after|before|until) point
//           | [taken] [from|in|during|on|at|of] point     (the word is required
//                                                     for a bare point)
//           | YYYY-YYYY
// Rules chosen (and why):
// - A bare month or season needs "from/in/during/on/at" so that "march of the
//   penguins" or "may" stay text. A bare number is a year only when it is four
//   digits from 1900 to today's year + 1 and the whole word ("3 dogs",
//   "2019.jpg" and "10:30" stay text).
// - A bare month/season/christmas is the most recent one that has begun
//   ("from March" on 2026-02-10 is March 2025): photos are never from the
//   future. "last X" is the most recent one that has ended ("last winter" on
//   2026-01-15 is Dec 2024 - Feb 2025, the winter before the current one);
//   "this X" is the one in progress, else the one in today's year.
// - Seasons are northern-hemisphere meteorological ones: spring Mar-May,
//   summer Jun-Aug, autumn/fall Sep-Nov, winter Dec-Feb named by the year of
//   its December ("winter 2019" = 2019-12-01 .. 2020-02-29). Christmas is
//   Dec 24-26. Weeks run Monday to Sunday (ISO).
// - In a range "from November to February" the end is the first February at
//   or after the start; two absolute ends given backwards are swapped.
// - Several phrases intersect (combineDateRanges); when they do not overlap
//   the last one wins and a note says so.

#include <QDate>
#include <QString>
#include <QStringList>

#include <vector>

namespace photosearch {

// Inclusive [from, to]; an invalid end is open. Both invalid: no date filter.
struct DateRange {
    QDate from;
    QDate to;
    QString description; // describeDateRange(from, to), e.g. "taken in March 2026"

    bool isSet() const { return from.isValid() || to.isValid(); }
    bool contains(const QDate& d) const
    {
        return d.isValid() && (!from.isValid() || d >= from) && (!to.isValid() || d <= to);
    }
};

// One date phrase found in a text, as the user wrote it.
struct DatePhrase {
    QString text;    // e.g. "from March"
    DateRange range; // never open on both ends
};

struct DateExtraction {
    QString rest;                    // the text without its date phrases, whitespace simplified
    std::vector<DatePhrase> phrases; // in the order they appear
};

// Finds and removes the date phrases of `text` relative to `today` (an
// invalid `today` means QDate::currentDate()).
DateExtraction extractDatePhrases(const QString& text, const QDate& today);

// The intersection of all phrases' ranges. When it is empty the last phrase's
// range is returned and one sentence saying so is appended to `notes` (may be
// null). An empty list gives an unset range.
DateRange combineDateRanges(const std::vector<DatePhrase>& phrases, QStringList* notes);

// "taken on 2021-03-05", "taken in March 2026", "taken in 2019",
// "taken between 2019-01-01 and 2021-12-31", "taken on or after 2019-01-01",
// "taken on or before 2018-12-31", or "" for an unset range. English month
// names whatever the locale.
QString describeDateRange(const QDate& from, const QDate& to);

} // namespace photosearch
