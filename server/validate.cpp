#include "validate.hpp"

#include <cctype>

namespace tl {

bool valid_name(const std::string &s) {
    if (s.empty() || s.size() > 64 || s[0] == '-') return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

bool parse_expiration(const std::string &s, int64_t &seconds) {
    if (s.empty() || s == "never") {
        seconds = -1;
        return true;
    }
    const long double limit_ns = 100.0L * 366 * 86400 * 1e9L;
    long double total_ns = 0;
    size_t i = 0;
    while (i < s.size()) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        long double n = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            n = n * 10 + (s[i] - '0');
            if (n > limit_ns) return false;
            ++i;
        }
        size_t u = i;
        while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
            ++i;
        std::string unit = s.substr(u, i - u);
        long double mult;
        if (unit == "ns")
            mult = 1;
        else if (unit == "us")
            mult = 1e3L;
        else if (unit == "ms")
            mult = 1e6L;
        else if (unit == "s")
            mult = 1e9L;
        else if (unit == "m")
            mult = 60e9L;
        else if (unit == "h")
            mult = 3600e9L;
        else if (unit == "d")
            mult = 86400e9L;
        else if (unit == "w")
            mult = 7 * 86400e9L;
        else
            return false;
        total_ns += n * mult;
        if (total_ns > limit_ns) return false;
    }
    if (total_ns <= 0) return false;
    int64_t secs = static_cast<int64_t>(total_ns / 1e9L);
    if (static_cast<long double>(secs) * 1e9L < total_ns) ++secs;
    seconds = secs;
    return true;
}

bool valid_size_limit(const std::string &s) {
    if (s.empty()) return true;
    size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
        ++i;
    if (i == 0 || i > 15) return false;
    std::string unit;
    for (size_t k = i; k < s.size(); ++k)
        unit += static_cast<char>(std::tolower(static_cast<unsigned char>(s[k])));
    return unit.empty() || unit == "b" || unit == "kb" || unit == "mb" || unit == "gb" || unit == "tb";
}

namespace {
// The length of the well-formed UTF-8 sequence at s[i], 0 if there is none (RFC 3629).
size_t utf8_sequence(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    unsigned c = byte(0);
    if (c < 0x80) return 1;
    auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
        return byte(k) >= lo && byte(k) <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c >= 0xE1 && c <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}
} // namespace

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_sequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string printable_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_sequence(s, i);
        if (n == 0 || s[i] == '\0') {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

bool valid_email(const std::string &s) {
    if (s.size() < 3 || s.size() > 254 || !valid_utf8(s)) return false;
    size_t at = s.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == s.size() || s.find('@', at + 1) != std::string::npos)
        return false;
    for (unsigned char c : s)
        if (c <= ' ' || c == '/' || c == '\\' || c == '"' || c == '<' || c == '>' || c == 127) return false;
    return true;
}

int parse_role(const std::string &s) {
    if (s == "viewer") return ROLE_VIEWER;
    if (s == "member") return ROLE_MEMBER;
    if (s == "admin") return ROLE_ADMIN;
    if (s == "owner") return ROLE_OWNER;
    return -1;
}

const char *role_name(int role) {
    switch (role) {
    case ROLE_VIEWER:
        return "viewer";
    case ROLE_MEMBER:
        return "member";
    case ROLE_ADMIN:
        return "admin";
    case ROLE_OWNER:
        return "owner";
    default:
        return "none";
    }
}

} // namespace tl
