// The settings a client is made from, their checks, and the environment the official CLI reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "turso_platform.h"

namespace turso::platform {

inline constexpr const char *kDefaultBaseUrl = "https://api.turso.tech";
inline constexpr const char *kDefaultRegionUrl = "https://region.turso.io/";

struct Options {
    std::string token;                      // empty = none
    std::string base_url = kDefaultBaseUrl; // never with a trailing '/'
    std::string org;                        // empty = none
    std::string region_url = kDefaultRegionUrl;
    int32_t connect_timeout_ms = 10000;
    int32_t timeout_ms = 60000;
    int32_t max_attempts = 3;
    int32_t base_delay_ms = 200;
    std::string user_agent = "turso-platform/" TP_VERSION_STRING;
    std::string ca_file; // empty = the system's
    bool verify_tls = true;
    std::string proxy; // empty = libcurl's default
    int64_t max_response_bytes = int64_t(64) << 20;
    int32_t max_connections = 16;
    tp_log_fn log_fn = nullptr;
    void *log_userdata = nullptr;
    int32_t log_level = TP_LOG_INFO;
};

// Checks an absolute http(s) URL with no query or fragment and returns it without trailing
// '/'s; on failure returns false and sets `error`.
bool normalize_base_url(std::string_view url, std::string &out, std::string &error);
// As normalize_base_url but keeps the URL as given (the region URL may end in '/').
bool check_http_url(std::string_view url, std::string &error);

// Fills token, base URL and org from the environment (see tp_options_from_env).
void load_environment(Options &options);
// The "token" of a settings.json file, or "" when the file or the key is missing.
std::string token_from_settings_file(const std::string &path);

} // namespace turso::platform
