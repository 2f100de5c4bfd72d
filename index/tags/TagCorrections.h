#pragma once
// A person's verdicts on tags (tag_corrections): confirmed tags always show,
// removed ones never do, whatever any model scores, and they survive
// re-tagging, a vocabulary change and a model change (they name the tag,
// not a model or a tag row). A tag need not be in the vocabulary to be
// confirmed: that is how a person adds their own tags.
//
// Thread rule: like the Catalog it is given, one thread.

#include <QString>

#include <vector>

namespace photosearch {

class Catalog;

enum class TagVerdict { Removed = -1, Confirmed = 1 };

struct TagCorrection {
    QString tag;
    TagVerdict verdict;
};

// Records the verdict (replacing an earlier one for that photo and tag).
// The tag is normalised, and spelled as the vocabulary spells it when they
// differ only in case. Throws std::invalid_argument for a blank tag and
// CatalogError for an unknown photo or a catalog failure.
void setTagCorrection(Catalog& catalog, qint64 photoId, const QString& tag, TagVerdict verdict);
inline void confirmTag(Catalog& catalog, qint64 photoId, const QString& tag)
{
    setTagCorrection(catalog, photoId, tag, TagVerdict::Confirmed);
}
inline void removeTag(Catalog& catalog, qint64 photoId, const QString& tag)
{
    setTagCorrection(catalog, photoId, tag, TagVerdict::Removed);
}
// Forgets the verdict: the model decides again. True when there was one.
bool clearTagCorrection(Catalog& catalog, qint64 photoId, const QString& tag);

std::vector<TagCorrection> tagCorrections(const Catalog& catalog, qint64 photoId);

// The name a correction of `tag` is stored under (see setTagCorrection).
QString correctionTagName(const Catalog& catalog, const QString& tag);

} // namespace photosearch
