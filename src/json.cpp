#include "json.h"

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace turso::platform {

namespace {
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
} // namespace

JsonPtr parse_json(std::string_view text) {
    if (text.empty()) return nullptr;
    const char *end = nullptr;
    JsonPtr root(cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, false));
    if (!root || !end) return nullptr;
    // cJSON stops after the first value; anything but whitespace after it is not JSON.
    for (const char *p = end; p < text.data() + text.size(); ++p)
        if (!is_space(*p)) return nullptr;
    return root;
}

namespace {

// Where a run of plain string bytes ends: the first '"' or '\\' in [p, end), or end. Eight
// bytes at a time (the locations list is 70 short strings: two memchr calls per string cost
// more than the bytes themselves). Raw bytes pass, as in cJSON; the accessors hand them back.
const char *string_run_end(const char *p, const char *end) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    constexpr uint64_t kOnes = 0x0101010101010101u;
    constexpr uint64_t kHighs = 0x8080808080808080u;
    while (end - p >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        uint64_t quote = word ^ (kOnes * '"');
        uint64_t slash = word ^ (kOnes * '\\');
        // A byte's high bit set where that byte is zero; exact for the lowest such byte.
        uint64_t hits = ((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash);
        hits &= kHighs;
        if (hits) return p + (__builtin_ctzll(hits) >> 3);
        p += 8;
    }
#endif
    while (p < end && *p != '"' && *p != '\\')
        ++p;
    return p;
}

// A recursive-descent scanner over the JSON grammar. Limits follow cJSON's, so that whatever
// passes here also parses there: nesting up to 1000 levels, numbers up to 63 characters.
class JsonScanner {
  public:
    explicit JsonScanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

    char document() {
        char first = peek();
        char kind = first == '{' || first == '[' ? first : first ? 'v' : 0;
        if (!value(0)) return 0;
        peek();
        return p_ == end_ ? kind : 0;
    }

  private:
    static constexpr int kMaxDepth = 1000;
    static constexpr ptrdiff_t kMaxNumberChars = 63;
    const char *p_;
    const char *end_;

    // Skips whitespace; the byte there, or 0 at the end (a NUL outside a string is never valid
    // where a token is expected, so the two need not be told apart).
    char peek() {
        const char *p = p_, *end = end_;
        while (p < end && static_cast<unsigned char>(*p) <= ' ' && is_space(*p))
            ++p;
        p_ = p;
        return p < end ? *p : 0;
    }
    bool literal(std::string_view word) {
        if (static_cast<size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
            return false;
        p_ += word.size();
        return true;
    }
    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
    // The four hex digits after a "\\u" at p: their code unit.
    bool hex4(const char *&p, unsigned &unit) {
        if (end_ - p < 4) return false;
        unit = 0;
        for (int i = 0; i < 4; ++i) {
            int h = hex(p[i]);
            if (h < 0) return false;
            unit = unit << 4 | static_cast<unsigned>(h);
        }
        p += 4;
        return true;
    }
    // At an opening quote.
    bool string() {
        const char *p = p_ + 1, *end = end_;
        for (;;) {
            p = string_run_end(p, end);
            if (p == end) return false;
            if (*p++ == '"') {
                p_ = p;
                return true;
            }
            if (p == end) return false;
            char e = *p++;
            if (e == 'u') {
                unsigned unit = 0;
                if (!hex4(p, unit)) return false;
                if (unit >= 0xDC00 && unit <= 0xDFFF) return false; // a lone low surrogate
                if (unit >= 0xD800 && unit <= 0xDBFF) {             // needs its low half
                    if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return false;
                    p += 2;
                    if (!hex4(p, unit) || unit < 0xDC00 || unit > 0xDFFF) return false;
                }
            } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
                       e != 't') {
                return false;
            }
        }
    }
    bool number() {
        const char *start = p_;
        if (*p_ == '-') ++p_;
        if (p_ == end_ || !is_digit(*p_)) return false;
        if (*p_ == '0') {
            ++p_;
        } else {
            while (p_ < end_ && is_digit(*p_))
                ++p_;
        }
        if (p_ < end_ && *p_ == '.') {
            ++p_;
            if (p_ == end_ || !is_digit(*p_)) return false;
            while (p_ < end_ && is_digit(*p_))
                ++p_;
        }
        if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            if (p_ == end_ || !is_digit(*p_)) return false;
            while (p_ < end_ && is_digit(*p_))
                ++p_;
        }
        return p_ - start <= kMaxNumberChars;
    }
    // At the first byte of a value (whitespace already skipped).
    bool value(int depth) {
        if (p_ == end_) return false;
        switch (*p_) {
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        case '[':
        case '{':
            return container(depth);
        default:
            return number();
        }
    }
    bool container(int depth) {
        if (depth >= kMaxDepth) return false;
        const bool object = *p_ == '{';
        const char close = object ? '}' : ']';
        ++p_;
        if (peek() == close) {
            ++p_;
            return true;
        }
        for (;;) {
            if (object) {
                if (peek() != '"' || !string() || peek() != ':') return false;
                ++p_;
            }
            peek();
            if (!value(depth + 1)) return false;
            char next = peek();
            if (next == ',') {
                ++p_;
                continue;
            }
            if (next != close) return false;
            ++p_;
            return true;
        }
    }
};

} // namespace

char json_validate(std::string_view text) {
    return JsonScanner(text).document();
}

const cJSON *json_path(const cJSON *node, std::string_view path) {
    while (node && !path.empty()) {
        size_t dot = path.find('.');
        std::string_view step = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        if (dot != std::string_view::npos && path.empty()) return nullptr; // trailing dot
        if (cJSON_IsObject(node)) {
            const cJSON *found = nullptr;
            for (const cJSON *c = node->child; c; c = c->next)
                if (c->string && step == c->string) {
                    found = c;
                    break;
                }
            node = found;
        } else if (cJSON_IsArray(node)) {
            if (step.empty() || step.size() > 18) return nullptr;
            size_t index = 0;
            for (char ch : step) {
                if (ch < '0' || ch > '9') return nullptr;
                index = index * 10 + static_cast<size_t>(ch - '0');
            }
            const cJSON *c = node->child;
            while (c && index--)
                c = c->next;
            node = c;
        } else {
            return nullptr;
        }
    }
    return node;
}

int64_t json_number_to_int64(double value) {
    if (std::isnan(value)) return 0;
    if (value >= 9223372036854775807.0) return INT64_MAX;
    if (value <= -9223372036854775808.0) return INT64_MIN;
    return static_cast<int64_t>(value);
}

std::string json_to_string(const cJSON *node, bool pretty) {
    char *text = pretty ? cJSON_Print(node) : cJSON_PrintUnformatted(node);
    if (!text) throw std::bad_alloc();
    std::string out;
    try {
        out = text;
    } catch (...) {
        cJSON_free(text);
        throw;
    }
    cJSON_free(text);
    return out;
}

} // namespace turso::platform
