// libFuzzer target: the search query language and its date phrases. Byte 0
// picks `today` (so that relative dates land on different years and month
// ends); the rest is the query as UTF-8. Paths ending in .jpg count as
// images so that image terms are parsed too, without touching the disk.
#include "DatePhrases.h"
#include "QueryParser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const QDate today = QDate(2024, 2, 29).addDays(int(data[0]) * 37 - 4000);
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const auto isImage = [](const QString& path) { return path.endsWith(QLatin1String(".jpg")); };
    const photosearch::ParsedQuery query = photosearch::parseQuery(text, today, isImage);
    (void)photosearch::describe(query);
    for (const photosearch::QueryTerm& term : query.terms)
        if (!(term.weight == term.weight) || term.weight == 0 || term.weight > photosearch::kMaxWeight
            || term.weight < -photosearch::kMaxWeight)
            __builtin_trap(); // the contract in QueryParser.h
    const photosearch::DateExtraction dates = photosearch::extractDatePhrases(text, today);
    QStringList notes;
    (void)photosearch::combineDateRanges(dates.phrases, &notes);
    return 0;
}
