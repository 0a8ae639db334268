// The settings a client is made from, their checks, and the environment the official CLI reads.
#pragma once

#include <cstddef>
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
    int32_t max_attempts = TP_DEFAULT_MAX_ATTEMPTS;
    int32_t base_delay_ms = TP_DEFAULT_RETRY_BASE_DELAY_MS;
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

// Longest string setting (token, organization, URLs, user agent, paths).
inline constexpr size_t kMaxSettingBytes = 8192;

// A string setting that may end up in a header line: at most kMaxSettingBytes, UTF-8, no
// control characters. On failure sets `error` to the end of a sentence ("is not valid UTF-8").
bool check_setting_text(std::string_view value, std::string &error);
// Checks an absolute http(s) URL with no user name or password, backslash, query or fragment
// and returns it without trailing '/'s; on failure returns false and sets `error`.
bool normalize_base_url(std::string_view url, std::string &out, std::string &error);
// As normalize_base_url but keeps the URL as given (the region URL may end in '/').
bool check_http_url(std::string_view url, std::string &error);

// Fills token, base URL and org from the environment (see tp_options_from_env). A variable
// that is set to a value the setters would refuse leaves `options` as it was, returns false
// and names the variable (or file) in `error`, never the value.
bool load_environment(Options &options, std::string &error);
// The official CLI's login in a settings.json file: its "token" and "organization" (each ""
// when the file or the key is missing).
struct CliLogin {
    std::string token, organization;
};
CliLogin login_from_settings_file(const std::string &path);

} // namespace turso::platform
