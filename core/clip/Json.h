#pragma once
// A small JSON reader for the files a CLIP model directory holds
// (config.json, the safetensors header). The CLIP library must build with
// nothing but LibTorch, so it cannot use Qt's JSON classes.

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clip {

class JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Json {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };
    using Array = std::vector<Json>;
    using Object = std::map<std::string, Json, std::less<>>;

    Json() = default;

    // Parses a complete JSON text; throws JsonError with the byte offset of
    // the first problem. Nesting deeper than 512 levels is rejected so that a
    // hostile file cannot exhaust the stack.
    static Json parse(std::string_view text);

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isNumber() const { return type_ == Type::Number; }
    bool isString() const { return type_ == Type::String; }
    bool isArray() const { return type_ == Type::Array; }
    bool isObject() const { return type_ == Type::Object; }
    bool isBool() const { return type_ == Type::Bool; }
    // True for numbers written without fraction or exponent that fit int64.
    bool isInteger() const { return type_ == Type::Number && isInteger_; }

    bool asBool() const;
    double asDouble() const;
    int64_t asInt() const;
    const std::string& asString() const;
    const Array& asArray() const;
    const Object& asObject() const;

    // Object member or nullptr when absent (or when this is not an object).
    const Json* find(std::string_view key) const;

    // Convenience accessors with defaults for optional config fields; they
    // throw JsonError when the member exists with the wrong type.
    int64_t intOr(std::string_view key, int64_t fallback) const;
    double numberOr(std::string_view key, double fallback) const;
    std::string stringOr(std::string_view key, const std::string& fallback) const;

private:
    friend class JsonParser;
    Type type_ = Type::Null;
    bool bool_ = false;
    bool isInteger_ = false;
    double number_ = 0;
    int64_t integer_ = 0;
    std::string string_;
    std::shared_ptr<Array> array_;
    std::shared_ptr<Object> object_;
};

} // namespace clip
