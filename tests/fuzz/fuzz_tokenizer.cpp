// libFuzzer target: CLIP BPE tokenizer. Input byte 0 chooses the mode:
// 0xFF: the rest is merges.txt, read with a small vocabulary (the test
// models' 512 byte symbols, written at start-up, so that each input does not
// parse the real 49,408-token vocab.json again), then a sentence is encoded;
// otherwise byte 0 is the maximum length and the rest is UTF-8 (or not) text
// to encode with the vocabulary folder PHOTOSEARCH_FUZZ_VOCAB (vocab.json +
// merges.txt), see packaging/fuzz.sh.
#include "ClipDirWriter.h"
#include "ClipTokenizer.h"
#include "FuzzFile.h"
#include "clip/ModelError.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {
std::unique_ptr<photosearch::ClipTokenizer> tokenizer;
std::unique_ptr<QTemporaryDir> smallVocab; // vocab.json for the merges.txt inputs
// Its merged tokens, as in packaging/fuzz.sh's merges seed.
const std::vector<photosearch::testmodel::Merge> kMerges = {
    {"o", "n</w>"}, {"d", "o"}, {"do", "g</w>"}, {"b", "e"}, {"a", "c"}, {"ac", "h</w>"}, {"be", "ach</w>"}};
}

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    const char* dir = std::getenv("PHOTOSEARCH_FUZZ_VOCAB");
    if (!dir) {
        std::fprintf(stderr, "Set PHOTOSEARCH_FUZZ_VOCAB to a folder holding vocab.json and merges.txt.\n");
        std::exit(2);
    }
    tokenizer = std::make_unique<photosearch::ClipTokenizer>(
        photosearch::ClipTokenizer::fromDirectory(QString::fromLocal8Bit(dir)));
    smallVocab = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/ps-fuzz-vocab-XXXXXX"));
    QFile vocab(smallVocab->filePath(QStringLiteral("vocab.json")));
    if (!vocab.open(QIODevice::WriteOnly) || vocab.write(photosearch::testmodel::clipVocabJson(kMerges)) <= 0)
        std::exit(2);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] == 0xFF) {
        const FuzzFile merges(data + 1, size - 1);
        try {
            const photosearch::ClipTokenizer t(smallVocab->filePath(QStringLiteral("vocab.json")),
                                               QString::fromStdString(merges.path()));
            t.encode(QStringLiteral("a dog on the beach, 2019 ☀️ café"));
        } catch (const clip::ModelError&) {
        }
        return 0;
    }
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const std::vector<int64_t> ids = tokenizer->encode(text, int(data[0]));
    const size_t limit = data[0] < 2 ? 2 : data[0];
    if (ids.size() < 2 || ids.size() > limit || ids.front() != tokenizer->startId() || ids.back() != tokenizer->endId())
        __builtin_trap(); // the contract in ClipTokenizer.h
    for (const int64_t id : ids)
        if (id < 0 || id >= tokenizer->vocabularySize())
            __builtin_trap();
    return 0;
}
