// libFuzzer target: the percent-encoders and the UTF-8 check of src/encoding.h.
// Properties, not just "no crash": an encoded segment or query part holds only unreserved
// characters and %XX escapes, decodes back to the input exactly, and is never "." or ".."
// (which a server would resolve); is_valid_utf8 agrees with an independent decoder.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "encoding.h"

namespace tp = turso::platform;

static bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

static int hex(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1; // lowercase is not what the encoder promises
}

[[noreturn]] static void broken(const char *what, std::string_view in, const std::string &out) {
    std::fprintf(stderr, "%s: input %zu bytes, output \"%s\"\n", what, in.size(), out.c_str());
    std::abort();
}

static void check_encoded(const char *what, std::string_view in, const std::string &out) {
    std::string decoded;
    for (size_t i = 0; i < out.size(); i++) {
        unsigned char c = static_cast<unsigned char>(out[i]);
        if (c == '%') {
            if (i + 2 >= out.size()) broken(what, in, out);
            int hi = hex(static_cast<unsigned char>(out[i + 1])), lo = hex(static_cast<unsigned char>(out[i + 2]));
            if (hi < 0 || lo < 0) broken(what, in, out);
            decoded.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (unreserved(c)) {
            decoded.push_back(static_cast<char>(c));
        } else {
            broken(what, in, out);
        }
    }
    if (decoded != in) broken(what, in, out);
}

// An independent UTF-8 validator (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF.
static bool reference_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<size_t>(n) >= s.size()) return false; // truncated sequence
        for (int k = 1; k <= n; k++) {
            unsigned char d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += static_cast<size_t>(n) + 1;
    }
    return true;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view in(reinterpret_cast<const char *>(data), size);
    std::string seg = tp::percent_encode_segment(in);
    check_encoded("percent_encode_segment", in, seg);
    if (seg == "." || seg == "..") broken("percent_encode_segment kept a dot segment", in, seg);
    check_encoded("percent_encode_query", in, tp::percent_encode_query(in));
    if (tp::is_valid_utf8(in) != reference_utf8(in)) {
        std::fprintf(stderr, "is_valid_utf8 says %d, the reference %d\n", tp::is_valid_utf8(in), reference_utf8(in));
        std::abort();
    }
    return 0;
}
