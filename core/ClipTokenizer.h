#pragma once
// CLIP's byte-level BPE tokenizer, giving the same ids as Hugging Face's
// CLIPTokenizerFast (the `tokenizers` pipeline in clip-tokenizer/tokenizer.json):
// <|endoftext|> matched in the raw text, NFC + whitespace folding + lower-case,
// <|startoftext|> matched in the normalised text, the CLIP split pattern,
// GPT-2's byte→unicode table, `</w>` word ends and the ranked merges.

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace photosearch {

class ClipTokenizer {
public:
    // Reads vocab.json and merges.txt from a Hugging Face CLIP model directory.
    // Throws clip::ModelError naming the file that is missing or malformed.
    static ClipTokenizer fromDirectory(const QString& dir);
    ClipTokenizer(const QString& vocabPath, const QString& mergesPath);

    // Ids with startId() first and endId() last, at most maxLength of them
    // (content is cut, the end token stays last); no padding. A maxLength
    // below 2 still gives the two boundary tokens. Safe to call from several
    // threads at once, also on copies of one tokenizer.
    std::vector<int64_t> encode(const QString& text, int maxLength = 77) const;

    int64_t startId() const;
    int64_t endId() const; // also the id of unknown tokens, as in CLIP
    int vocabularySize() const;

private:
    struct State;
    // Shared so that copies are cheap and share one word cache; everything
    // but the mutex-guarded cache is immutable after construction.
    std::shared_ptr<State> state_;
};

} // namespace photosearch
