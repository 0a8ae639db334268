// Pure text helpers: percent-encoding of URL parts and UTF-8 validation (fuzzed directly).
#pragma once

#include <string>
#include <string_view>

namespace turso::platform {

// One path segment: RFC 3986 unreserved characters kept, every other byte as %XX (uppercase),
// including '/', '%', '+', '@' and non-ASCII; "." and ".." become "%2E" and "%2E%2E" so they
// arrive as one literal segment instead of being resolved.
std::string percent_encode_segment(std::string_view segment);
// A query-string key or value: unreserved kept, everything else %XX.
std::string percent_encode_query(std::string_view value);
// True when text is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

} // namespace turso::platform
