#pragma once
// The search query language (rclip's, plus dates): `2:dog + ./pool.jpg - fruit`
// turns into weighted text and image terms and a date filter, which the
// SearchEngine combines (sum of weight × embedding). Pure logic: no catalog,
// no model, no clock (the caller passes `today`), no file system except
// through the caller's `isImageFile`; thread safe.
//
// It never throws and never fails on odd input: whatever cannot be used is
// dropped with a note, and `error` is set only when nothing searchable is
// left. Work is linear in the input; input beyond kMaxQueryLength characters
// is cut off first (CLIP reads 77 tokens anyway).
//
// Syntax, and the rules chosen:
// - Terms are joined by `+` and `-`; the first term is `+` unless written
//   otherwise. `+`/`-` are operators only at the start of a word (at the start,
//   after whitespace or after a closing quote), so "t-shirt", "2021-03-05",
//   "c++" and "./my-photo.jpg" keep theirs; "dog -cat" negates cat.
// - Words between operators form ONE term: "dog on a beach" is one text.
//   Whitespace inside a term is collapsed to single spaces.
// - "Quoted phrases" (ASCII " or typographic “ ”) are literal text: operators,
//   weights, dates and colons inside stay text; a quote left open reads to the
//   end (with a note). A term may mix quoted and plain words; `quoted` is then
//   true and only the plain words are read for dates. A quoted term is never an
//   image.
// - Written text only: a term that is wholly quoted once its date phrases are
//   out (`"wifi password"`, `"wifi password" from March`, `2:"wifi password"`)
//   or starts with `text:` (any case, after the weight:
//   `text:wifi password`, `- text:draft`) asks for text written in the photos
//   (OCR) and nothing else: `textOnly` is set and CLIP never sees it. Quoted
//   written text is an exact phrase, `text:` words are each required
//   anywhere (SearchEngine / TextRanking.h). Written text is required or
//   excluded, not weighed: a weight other than 1 is dropped with a note (its
//   sign stays). A `text:` term is never an image; its plain words are read
//   for dates like any other term's (`text:receipt 2019`; quote to keep a
//   year as text: `text:"2019"`). A term that mixes quoted and plain words
//   without `text:` stays a picture term, as before.
// - Weight: a term starting with a decimal number (`2`, `0.5`, `.5`; or the
//   words inf/infinity/nan, to reject them politely) directly followed by `:`
//   whose next character is not a digit. So "10:30 meeting" (a time) and
//   "2:2019" are text, as is "http://x" (not a number); write "2: 2019" to
//   weigh a year. Weight 0 drops the term; above kMaxWeight (or inf) it is
//   lowered to kMaxWeight; nan is ignored (weight 1); each with a note. A `-`
//   term's weight is negative.
// - Image term: an unquoted term whose whole text (after its weight) names an
//   image file by `isImageFile`, tried as written and with a leading `~`
//   expanded to the home directory (relative paths are relative to the
//   current directory). `text` is then the absolute, clean path.
// - Dates: date phrases (DatePhrases.h) are read from the plain words of `+`
//   text terms only; in a `-` term ("- snow in winter") they stay text, since
//   excluding a period is not what a filter does. A term that is only a date
//   disappears; the ranges of all phrases intersect (see combineDateRanges).
// - Valid queries: at least one `+` term, or no terms but a date ("from
//   March": every photo of that period, which the engine lists by date; a
//   note says so). Only `-` terms is an error: there is nothing to rank
//   towards.

#include "DatePhrases.h"

#include <QDate>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace photosearch {

struct QueryTerm {
    enum Kind { Text, Image };
    Kind kind = Text;
    QString text;        // the words for CLIP, or the image's absolute path
    double weight = 1.0; // finite, non-zero, |weight| <= kMaxWeight; negative for a `-` term
    bool quoted = false; // some of the text was in quotes (so not read for dates)
    // Written text only (wholly quoted, or `text:`): matched against the text
    // read in photos, never embedded; an exact phrase when also `quoted`.
    bool textOnly = false;
};

struct ParsedQuery {
    std::vector<QueryTerm> terms; // in the order written
    DateRange dates;              // unset when the query names no date
    QStringList notes;            // what was understood or dropped, for the user
    QString error;                // one sentence; set only when nothing searchable is left

    bool ok() const { return error.isEmpty(); }
    bool hasPositiveTerm() const;
};

constexpr int kMaxQueryLength = 2000; // characters kept from the input
constexpr double kMaxWeight = 100.0;

// Reads `text`. `today` anchors relative dates (invalid: the current date).
// `isImageFile` says whether a path is an existing regular file in an image
// format; it may be empty (no image terms then).
ParsedQuery parseQuery(const QString& text, const QDate& today,
                       const std::function<bool(const QString&)>& isImageFile);

// One line saying what was understood, e.g.
//   "dog" x2 + image /x/pool.jpg - "fruit", taken in March 2026
//   "receipt" + text:"hardware store" - text:draft
//   all photos taken in March 2026
// or the error when there is one.
QString describe(const ParsedQuery& query);

} // namespace photosearch
