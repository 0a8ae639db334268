// Input rules: names, locations, expirations, sizes, e-mail addresses, roles.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tl {

// Database, group, organization and user names: lowercase letters, digits and dashes, 1..64
// characters, not starting with a dash.
bool valid_name(const std::string &s);

// Location codes (the 2023 list plus a few aws- ones), with descriptions.
const std::vector<std::pair<std::string, std::string>> &all_locations();
bool valid_location(const std::string &code);
std::string location_description(const std::string &code);
std::vector<std::string> closest_locations(const std::string &code); // up to 3, nearest first

// "1w2d6h3m" (units ns us ms s m h d w) -> seconds (rounded up, > 0), or -1 for "never" / "".
// False if malformed, zero or absurdly long (over 100 years).
bool parse_expiration(const std::string &s, int64_t &seconds);

// "1gb", "256mb", "1000" (bytes), or "" (no limit).
bool valid_size_limit(const std::string &s);

bool valid_email(const std::string &s);
// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view s);
// `s` with every byte that is not part of well-formed UTF-8, and NUL, replaced by U+FFFD: for
// text a client sent that goes back in an answer.
std::string printable_utf8(std::string_view s);

enum Role { ROLE_VIEWER = 0, ROLE_MEMBER = 1, ROLE_ADMIN = 2, ROLE_OWNER = 3 };
int parse_role(const std::string &s); // -1 if not a role
const char *role_name(int role);

} // namespace tl
