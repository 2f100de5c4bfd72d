#include "ClipTokenizer.h"

#include "clip/ModelError.h"
#include "clip/ModelFiles.h"
#include "clip/Utf8.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringView>

#include <algorithm>
#include <array>
#include <mutex>
#include <queue>
#include <string>
#include <unordered_map>

namespace photosearch {

namespace {

using clip::appendUtf8;

const QString kStartToken = QStringLiteral("<|startoftext|>");
const QString kEndToken = QStringLiteral("<|endoftext|>");

// Long words are rare and would let one hostile text fill the cache.
constexpr size_t kMaxCachedWordBytes = 64;
constexpr size_t kMaxCacheEntries = 50000;

[[noreturn]] void fail(const QString& message)
{
    throw clip::ModelError(message.toStdString());
}

QByteArray readFile(const QString& path, const QString& what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        fail(QStringLiteral("%1 %2 cannot be read (%3).").arg(what, path, file.errorString()));
    return file.readAll();
}

// GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others
// are moved to U+0100 onwards, so that every byte is a visible non-space
// character and merges.txt can be a plain text file.
std::array<char32_t, 256> bytesToUnicode()
{
    std::array<char32_t, 256> table{};
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        table[b] = printable ? char32_t(b) : next++;
    }
    return table;
}

uint64_t pairKey(int32_t left, int32_t right)
{
    return uint64_t(uint32_t(left)) << 32 | uint32_t(right);
}

// Next code point of `text` at `i`, advancing `i`. A lone surrogate reads as
// U+FFFD, which is what its UTF-8 encoding would be replaced with anyway.
char32_t nextCodePoint(QStringView text, qsizetype& i)
{
    const char16_t c = text[i++].unicode();
    if (QChar::isHighSurrogate(c) && i < text.size() && text[i].isLowSurrogate())
        return QChar::surrogateToUcs4(c, text[i++].unicode());
    return QChar::isSurrogate(c) ? char32_t(0xFFFD) : char32_t(c);
}

// Whether NFC never joins the code point starting at `i` to what comes
// before it: a starter that is not a mark nor a Hangul vowel/final jamo (the
// only kinds of second character in Unicode's canonical compositions).
bool isNfcBoundary(QStringView text, qsizetype i)
{
    const char32_t c = nextCodePoint(text, i);
    if (c < 0x80)
        return true;
    if (c >= 0x1160 && c <= 0x11FF)
        return false;
    return QChar::combiningClass(c) == 0 && !QChar::isMark(c);
}

// Where the piece of `text` that starts at `start` should end for normalize().
qsizetype pieceEnd(QStringView text, qsizetype start)
{
    constexpr qsizetype kPiece = 64;
    for (qsizetype i = start + 1; i < text.size(); ++i) {
        if (text[i].isLowSurrogate() && text[i - 1].isHighSurrogate())
            continue;
        if (i - start >= 2 * kPiece)
            return i; // a run of marks without a boundary: only garbage has one
        // Qt 6.4 skips the code point after a composition outside the BMP
        // (e.g. a Chakma vowel), so that one starts a piece of its own.
        if ((i - start >= kPiece || text[i - 1].isLowSurrogate()) && isNfcBoundary(text, i))
            return i;
    }
    return text.size();
}

// NFC, then lower-case per code point, as the reference's normalizer does.
// QString::normalized and toLower insert and remove code units one at a time
// and bubble-sort combining marks, which takes minutes on a hostile megabyte;
// on pieces that start at an NFC boundary they give the same text in linear
// time.
QString normalize(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype start = 0, end = 0; start < text.size(); start = end) {
        end = pieceEnd(text, start);
        out += text.mid(start, end - start).toString().normalized(QString::NormalizationForm_C).toLower();
    }
    return out;
}

} // namespace

struct ClipTokenizer::State {
    struct Merge {
        int32_t rank;
        int32_t id;
    };

    int64_t startId = 0;
    int64_t endId = 0;
    int vocabularySize = 0;
    std::array<int32_t, 256> byteId{};    // a byte inside a word
    std::array<int32_t, 256> byteEndId{}; // a byte ending a word (with </w>)
    std::unordered_map<uint64_t, Merge> merges;

    mutable std::mutex cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int64_t>> cache;

    const Merge* findMerge(int32_t left, int32_t right) const
    {
        const auto it = merges.find(pairKey(left, right));
        return it == merges.end() ? nullptr : &it->second;
    }

    void appendWord(const std::string& word, std::vector<int64_t>& out) const;
    void bpe(const std::string& word, std::vector<int64_t>& out) const;
    void appendPreTokenized(QStringView text, std::vector<int64_t>& out, size_t limit) const;
};

// The lowest-ranked adjacent pair is merged first, leftmost on ties, as in
// `tokenizers`. Symbols form a linked list and candidate pairs sit in a heap;
// entries made stale by earlier merges are skipped when popped, which keeps a
// huge word at O(n log n) instead of rescanning it after every merge.
void ClipTokenizer::State::bpe(const std::string& word, std::vector<int64_t>& out) const
{
    struct Symbol {
        int32_t id; // -1 once merged into its left neighbour
        ptrdiff_t prev;
        ptrdiff_t next;
    };
    struct Candidate {
        int32_t rank;
        int32_t id;
        ptrdiff_t pos;
        bool operator<(const Candidate& o) const // priority_queue pops the largest
        {
            return rank != o.rank ? rank > o.rank : pos > o.pos;
        }
    };

    const ptrdiff_t n = ptrdiff_t(word.size());
    std::vector<Symbol> symbols(word.size());
    for (ptrdiff_t i = 0; i < n; ++i) {
        const auto byte = uint8_t(word[i]);
        symbols[i] = {i + 1 == n ? byteEndId[byte] : byteId[byte], i - 1, i + 1 == n ? -1 : i + 1};
    }

    std::vector<Candidate> heapStorage;
    heapStorage.reserve(size_t(n));
    std::priority_queue<Candidate> queue(std::less<Candidate>(), std::move(heapStorage));
    const auto consider = [&](ptrdiff_t pos) {
        const Symbol& s = symbols[pos];
        if (s.next < 0)
            return;
        if (const Merge* m = findMerge(s.id, symbols[s.next].id))
            queue.push({m->rank, m->id, pos});
    };
    for (ptrdiff_t i = 0; i + 1 < n; ++i)
        consider(i);

    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& left = symbols[top.pos];
        if (left.id < 0 || left.next < 0)
            continue;
        Symbol& right = symbols[left.next];
        const Merge* m = findMerge(left.id, right.id);
        if (!m || m->rank != top.rank) // ranks are unique, so this is the same pair
            continue;
        left.id = top.id;
        right.id = -1;
        left.next = right.next;
        if (left.next >= 0)
            symbols[left.next].prev = top.pos;
        if (left.prev >= 0)
            consider(left.prev);
        consider(top.pos);
    }

    for (ptrdiff_t i = n > 0 ? 0 : -1; i >= 0; i = symbols[i].next)
        out.push_back(symbols[i].id);
}

void ClipTokenizer::State::appendWord(const std::string& word, std::vector<int64_t>& out) const
{
    const bool cacheable = word.size() <= kMaxCachedWordBytes;
    if (cacheable) {
        const std::lock_guard lock(cacheMutex);
        const auto it = cache.find(word);
        if (it != cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    const size_t before = out.size();
    bpe(word, out); // outside the lock: other threads keep encoding meanwhile
    if (cacheable) {
        const std::lock_guard lock(cacheMutex);
        if (cache.size() >= kMaxCacheEntries)
            cache.clear();
        cache.emplace(word, std::vector<int64_t>(out.begin() + ptrdiff_t(before), out.end()));
    }
}

// The CLIP split pattern
//   <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// by hand, followed by the byte-level pre-tokenizer's GPT-2 pattern, which
// changes only the special-token matches: it cuts them into "<|", the letters
// and "|>". Stops after the word that brings `out` to `limit` ids; later text
// cannot change earlier words, so that equals tokenizing all and truncating.
void ClipTokenizer::State::appendPreTokenized(QStringView text, std::vector<int64_t>& out,
                                              size_t limit) const
{
    static const std::string kSpecialNames[] = {"startoftext", "endoftext"};
    static const std::string kSpecialOpen = "<|";
    static const std::string kSpecialClose = "|>";

    const auto isLetter = [](char32_t c) { return QChar::isLetter(c); };
    const auto isNumber = [](char32_t c) { return QChar::isNumber(c); };
    const auto isOther = [](char32_t c) {
        return !QChar::isSpace(c) && !QChar::isLetter(c) && !QChar::isNumber(c);
    };

    std::string word;
    qsizetype i = 0;
    while (i < text.size() && out.size() < limit) {
        const qsizetype start = i;
        const char32_t c = nextCodePoint(text, i);
        if (QChar::isSpace(c))
            continue;

        if (c == '<') {
            const QStringView rest = text.mid(start);
            const int special = rest.startsWith(kStartToken) ? 0 : rest.startsWith(kEndToken) ? 1 : -1;
            if (special >= 0) {
                appendWord(kSpecialOpen, out);
                appendWord(kSpecialNames[special], out);
                appendWord(kSpecialClose, out);
                i = start + (special == 0 ? kStartToken : kEndToken).size();
                continue;
            }
        }

        word.clear();
        appendUtf8(word, c);
        if (c == '\'' && i < text.size()) {
            const QStringView rest = text.mid(i, std::min<qsizetype>(2, text.size() - i));
            const char16_t a = rest[0].unicode();
            if (a == 's' || a == 't' || a == 'm' || a == 'd') {
                word += char(a);
                ++i;
                appendWord(word, out);
                continue;
            }
            if (rest == QStringView(u"re") || rest == QStringView(u"ve") || rest == QStringView(u"ll")) {
                word += rest.toLatin1().toStdString();
                i += 2;
                appendWord(word, out);
                continue;
            }
        }

        // Letters and other symbols run on; numbers are single code points.
        const auto continues = isLetter(c) ? +isLetter : isNumber(c) ? nullptr : +isOther;
        while (continues && i < text.size()) {
            qsizetype j = i;
            const char32_t d = nextCodePoint(text, j);
            if (!continues(d))
                break;
            appendUtf8(word, d);
            i = j;
        }
        appendWord(word, out);
    }
}

ClipTokenizer ClipTokenizer::fromDirectory(const QString& dir)
{
    const std::string d = dir.toStdString();
    return ClipTokenizer(QString::fromStdString(clip::modelFilePath(d, "vocab.json")),
                         QString::fromStdString(clip::modelFilePath(d, "merges.txt")));
}

ClipTokenizer::ClipTokenizer(const QString& vocabPath, const QString& mergesPath)
    : state_(std::make_shared<State>())
{
    const QString vocabWhat = QStringLiteral("Tokenizer vocabulary");
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(readFile(vocabPath, vocabWhat), &error);
    if (error.error != QJsonParseError::NoError)
        fail(QStringLiteral("%1 %2 is not valid JSON (%3 at byte %4).")
                 .arg(vocabWhat, vocabPath, error.errorString())
                 .arg(error.offset));
    if (!doc.isObject())
        fail(QStringLiteral("%1 %2 is not a JSON object mapping tokens to ids.").arg(vocabWhat, vocabPath));

    const QJsonObject object = doc.object();
    QHash<QString, int32_t> vocab;
    vocab.reserve(object.size());
    for (auto it = object.begin(); it != object.end(); ++it) {
        const double id = it.value().toDouble(-1);
        if (id < 0 || id > INT32_MAX || id != double(int32_t(id)))
            fail(QStringLiteral("%1 %2 gives token \"%3\" an id that is not a non-negative integer.")
                     .arg(vocabWhat, vocabPath, it.key()));
        vocab.insert(it.key(), int32_t(id));
    }
    const auto special = [&](const QString& token) {
        const auto it = vocab.constFind(token);
        if (it == vocab.cend())
            fail(QStringLiteral("%1 %2 has no %3 token.").arg(vocabWhat, vocabPath, token));
        return *it;
    };
    State& s = *state_;
    s.startId = special(kStartToken);
    s.endId = special(kEndToken);
    s.vocabularySize = int(vocab.size());

    const auto table = bytesToUnicode();
    for (int b = 0; b < 256; ++b) {
        const QString symbol = QString::fromUcs4(&table[b], 1);
        s.byteId[b] = vocab.value(symbol, int32_t(s.endId));
        s.byteEndId[b] = vocab.value(symbol + QStringLiteral("</w>"), int32_t(s.endId));
    }

    const QString mergesWhat = QStringLiteral("Tokenizer merges file");
    const QString merges = QString::fromUtf8(readFile(mergesPath, mergesWhat));
    int32_t rank = 0;
    int lineNumber = 0;
    for (QStringView line : QStringView(merges).split(u'\n')) {
        ++lineNumber;
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith(u"#version"))
            continue;
        const auto parts = line.split(u' ');
        if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty())
            fail(QStringLiteral("%1 %2 has a malformed line %3 (expected two tokens separated by a space).")
                     .arg(mergesWhat, mergesPath)
                     .arg(lineNumber));
        const auto left = vocab.constFind(parts[0].toString());
        const auto right = vocab.constFind(parts[1].toString());
        const auto merged = vocab.constFind(parts[0].toString().append(parts[1]));
        if (left == vocab.cend() || right == vocab.cend() || merged == vocab.cend())
            fail(QStringLiteral("%1 %2 line %3 uses a token that is not in the vocabulary.")
                     .arg(mergesWhat, mergesPath)
                     .arg(lineNumber));
        // A repeated pair takes its later rank, as in `tokenizers` and CLIP's own code.
        s.merges[pairKey(*left, *right)] = {rank++, *merged};
    }
}

std::vector<int64_t> ClipTokenizer::encode(const QString& text, int maxLength) const
{
    const State& s = *state_;
    const size_t limit = size_t(std::max(maxLength, 2) - 1); // start token + content
    std::vector<int64_t> ids{s.startId};

    // <|endoftext|> is a non-normalised added token: matched case-sensitively in
    // the raw text, and the text between matches is normalised piece by piece.
    for (qsizetype from = 0; ids.size() < limit;) {
        const qsizetype end = text.indexOf(kEndToken, from);
        const QStringView raw = QStringView(text).mid(from, (end < 0 ? text.size() : end) - from);
        // Whitespace folding is left out: the split drops whitespace runs anyway.
        const QString normalized = normalize(raw);

        // <|startoftext|> is a normalised added token, so "<|StartOfText|>" counts too.
        for (qsizetype at = 0; ids.size() < limit;) {
            const qsizetype next = normalized.indexOf(kStartToken, at);
            s.appendPreTokenized(QStringView(normalized).mid(at, (next < 0 ? normalized.size() : next) - at),
                                 ids, limit);
            if (next < 0)
                break;
            ids.push_back(s.startId);
            at = next + kStartToken.size();
        }
        if (end < 0)
            break;
        ids.push_back(s.endId);
        from = end + kEndToken.size();
    }

    if (ids.size() > limit)
        ids.resize(limit);
    ids.push_back(s.endId);
    return ids;
}

int64_t ClipTokenizer::startId() const { return state_->startId; }
int64_t ClipTokenizer::endId() const { return state_->endId; }
int ClipTokenizer::vocabularySize() const { return state_->vocabularySize; }

} // namespace photosearch
