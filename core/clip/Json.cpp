#include "Json.h"

#include "Utf8.h"

#include <charconv>
#include <system_error>

namespace clip {

class JsonParser {
public:
    explicit JsonParser(std::string_view text) : s_(text) {}

    Json parseDocument()
    {
        Json v = parseValue(0);
        skipSpace();
        if (pos_ != s_.size())
            fail("unexpected text after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const char* what) const
    {
        throw JsonError(std::string("invalid JSON at byte ") + std::to_string(pos_) + ": " + what);
    }

    void skipSpace()
    {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }

    bool consume(std::string_view word)
    {
        if (s_.substr(pos_, word.size()) == word) {
            pos_ += word.size();
            return true;
        }
        return false;
    }

    Json parseValue(int depth)
    {
        if (depth > 512)
            fail("nesting too deep");
        skipSpace();
        if (pos_ >= s_.size())
            fail("unexpected end of input");
        Json v;
        const char c = s_[pos_];
        if (c == '{') {
            ++pos_;
            v.type_ = Json::Type::Object;
            v.object_ = std::make_shared<Json::Object>();
            skipSpace();
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                return v;
            }
            for (;;) {
                skipSpace();
                if (pos_ >= s_.size() || s_[pos_] != '"')
                    fail("expected a string key");
                std::string key = parseString();
                skipSpace();
                if (pos_ >= s_.size() || s_[pos_] != ':')
                    fail("expected ':'");
                ++pos_;
                (*v.object_)[std::move(key)] = parseValue(depth + 1);
                skipSpace();
                if (pos_ < s_.size() && s_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                if (pos_ < s_.size() && s_[pos_] == '}') {
                    ++pos_;
                    return v;
                }
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            ++pos_;
            v.type_ = Json::Type::Array;
            v.array_ = std::make_shared<Json::Array>();
            skipSpace();
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                return v;
            }
            for (;;) {
                v.array_->push_back(parseValue(depth + 1));
                skipSpace();
                if (pos_ < s_.size() && s_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                if (pos_ < s_.size() && s_[pos_] == ']') {
                    ++pos_;
                    return v;
                }
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v.type_ = Json::Type::String;
            v.string_ = parseString();
            return v;
        }
        if (consume("true")) {
            v.type_ = Json::Type::Bool;
            v.bool_ = true;
            return v;
        }
        if (consume("false")) {
            v.type_ = Json::Type::Bool;
            return v;
        }
        if (consume("null"))
            return v;
        if (c == '-' || (c >= '0' && c <= '9'))
            return parseNumber();
        // Python's json module writes these for non-finite floats.
        if (consume("NaN") || consume("Infinity") || consume("-Infinity"))
            fail("non-finite numbers are not supported");
        fail("unexpected character");
    }

    Json parseNumber()
    {
        const size_t start = pos_;
        bool integral = true;
        if (s_[pos_] == '-')
            ++pos_;
        auto digits = [&] {
            const size_t d = pos_;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
                ++pos_;
            if (pos_ == d)
                fail("expected a digit");
        };
        digits();
        if (pos_ < s_.size() && s_[pos_] == '.') {
            integral = false;
            ++pos_;
            digits();
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            integral = false;
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'))
                ++pos_;
            digits();
        }
        // from_chars, unlike strtod, ignores the locale (a German locale
        // would read "0.00001" as 0).
        const char* first = s_.data() + start;
        const char* last = s_.data() + pos_;
        Json v;
        v.type_ = Json::Type::Number;
        if (std::from_chars(first, last, v.number_).ec == std::errc::result_out_of_range)
            fail("number out of range");
        if (integral) {
            int64_t n = 0;
            if (std::from_chars(first, last, n).ec == std::errc()) {
                v.isInteger_ = true;
                v.integer_ = n;
            }
        }
        return v;
    }

    unsigned parseHex4()
    {
        if (pos_ + 4 > s_.size())
            fail("truncated \\u escape");
        unsigned u = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = s_[pos_++];
            u <<= 4;
            if (h >= '0' && h <= '9')
                u |= unsigned(h - '0');
            else if (h >= 'a' && h <= 'f')
                u |= unsigned(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                u |= unsigned(h - 'A' + 10);
            else
                fail("bad \\u escape");
        }
        return u;
    }

    std::string parseString()
    {
        ++pos_; // opening quote
        std::string out;
        for (;;) {
            if (pos_ >= s_.size())
                fail("unterminated string");
            const char c = s_[pos_++];
            if (c == '"')
                return out;
            if (static_cast<unsigned char>(c) < 0x20)
                fail("control character in string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size())
                fail("unterminated escape");
            const char e = s_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned cp = parseHex4();
                if (cp >= 0xD800 && cp < 0xDC00) {
                    // A high surrogate must be followed by a low one.
                    if (pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                        pos_ += 2;
                        const unsigned lo = parseHex4();
                        if (lo < 0xDC00 || lo > 0xDFFF)
                            fail("unpaired surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else {
                        fail("unpaired surrogate");
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail("unpaired surrogate");
                }
                appendUtf8(out, char32_t(cp));
                break;
            }
            default:
                fail("unknown escape");
            }
        }
    }

    std::string_view s_;
    size_t pos_ = 0;
};

Json Json::parse(std::string_view text)
{
    return JsonParser(text).parseDocument();
}

static const char* typeName(Json::Type t)
{
    switch (t) {
    case Json::Type::Null: return "null";
    case Json::Type::Bool: return "a boolean";
    case Json::Type::Number: return "a number";
    case Json::Type::String: return "a string";
    case Json::Type::Array: return "an array";
    case Json::Type::Object: return "an object";
    }
    return "?";
}

static JsonError typeError(const char* wanted, Json::Type got)
{
    return JsonError(std::string("expected ") + wanted + ", found " + typeName(got));
}

bool Json::asBool() const
{
    if (type_ != Type::Bool)
        throw typeError("a boolean", type_);
    return bool_;
}

double Json::asDouble() const
{
    if (type_ != Type::Number)
        throw typeError("a number", type_);
    return number_;
}

int64_t Json::asInt() const
{
    if (!isInteger())
        throw typeError("an integer", type_);
    return integer_;
}

const std::string& Json::asString() const
{
    if (type_ != Type::String)
        throw typeError("a string", type_);
    return string_;
}

const Json::Array& Json::asArray() const
{
    if (type_ != Type::Array)
        throw typeError("an array", type_);
    return *array_;
}

const Json::Object& Json::asObject() const
{
    if (type_ != Type::Object)
        throw typeError("an object", type_);
    return *object_;
}

const Json* Json::find(std::string_view key) const
{
    if (type_ != Type::Object)
        return nullptr;
    auto it = object_->find(key);
    return it == object_->end() ? nullptr : &it->second;
}

namespace {

// An optional member read with `get`; a member of the wrong type is an error
// that names the key.
template<typename T, typename Get>
T memberOr(const Json& object, std::string_view key, T fallback, Get get)
{
    const Json* v = object.find(key);
    if (!v || v->isNull())
        return fallback;
    try {
        return get(*v);
    } catch (const JsonError& e) {
        throw JsonError("\"" + std::string(key) + "\": " + e.what());
    }
}

} // namespace

int64_t Json::intOr(std::string_view key, int64_t fallback) const
{
    return memberOr(*this, key, fallback, [](const Json& v) { return v.asInt(); });
}

double Json::numberOr(std::string_view key, double fallback) const
{
    return memberOr(*this, key, fallback, [](const Json& v) { return v.asDouble(); });
}

std::string Json::stringOr(std::string_view key, const std::string& fallback) const
{
    return memberOr(*this, key, fallback, [](const Json& v) { return v.asString(); });
}

} // namespace clip
