#include "options.h"

#include <cstdio>
#include <cstdlib>
#include <curl/curl.h>

#include "encoding.h"
#include "json.h"

namespace turso::platform {

namespace {

constexpr long kMaxSettingsBytes = 1 << 20;

const char *env(const char *name) {
    const char *value = std::getenv(name);
    return value && *value ? value : nullptr;
}

struct UrlHandle {
    CURLU *u = curl_url();
    ~UrlHandle() { curl_url_cleanup(u); }
};

bool read_file(const std::string &path, std::string &out) {
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    char buf[4096];
    size_t n;
    bool ok = true;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        if (out.size() + n > static_cast<size_t>(kMaxSettingsBytes)) {
            ok = false;
            break;
        }
        out.append(buf, n);
    }
    std::fclose(f);
    return ok;
}

} // namespace

bool check_setting_text(std::string_view value, std::string &error) {
    if (value.size() > kMaxSettingBytes) {
        error = "is longer than " + std::to_string(kMaxSettingBytes) + " bytes";
        return false;
    }
    if (!is_valid_utf8(value)) {
        error = "is not valid UTF-8";
        return false;
    }
    for (char c : value)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            error = "contains a control character (such as CR or LF)";
            return false;
        }
    return true;
}

bool check_http_url(std::string_view url, std::string &error) {
    // The messages never quote the URL: it may carry a password.
    if (url.empty()) {
        error = "the URL must not be empty";
        return false;
    }
    if (url.size() > kMaxSettingBytes) {
        error = "the URL is longer than " + std::to_string(kMaxSettingBytes) + " bytes";
        return false;
    }
    if (!is_valid_utf8(url)) {
        error = "the URL is not valid UTF-8";
        return false;
    }
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
            error = "the URL must not contain spaces or control characters";
            return false;
        }
    // Parsers disagree on a backslash ("http://a\\@b/" is host a to some, b to others).
    if (url.find('\\') != std::string_view::npos) {
        error = "the URL must not contain a backslash";
        return false;
    }
    // "http://" or "https://" (any case) and then an authority, not "https:/h" nor "https:///h".
    std::string lower(url.substr(0, 8));
    for (char &c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    size_t after = lower.rfind("http://", 0) == 0 ? 7 : lower.rfind("https://", 0) == 0 ? 8 : 0;
    if (after == 0 || url.size() <= after || url[after] == '/') {
        error = "the URL must start with http:// or https:// and a host";
        return false;
    }
    // A user name or password would be echoed wherever the URL is shown (logs,
    // tp_client_base_url); the API authenticates with the token alone.
    std::string_view authority = url.substr(after, url.find('/', after) - after);
    if (authority.find('@') != std::string_view::npos) {
        error = "the URL must not contain a user name or password (user@host)";
        return false;
    }
    // libcurl's parser forgets an empty query or fragment ("https://h/#"), so look at the text.
    if (url.find_first_of("?#") != std::string_view::npos) {
        error = "the URL must not have a query or fragment";
        return false;
    }
    UrlHandle h;
    if (!h.u) throw std::bad_alloc();
    std::string text(url);
    if (curl_url_set(h.u, CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
        error = "the URL is not a valid absolute URL";
        return false;
    }
    char *scheme = nullptr, *query = nullptr, *fragment = nullptr;
    curl_url_get(h.u, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(h.u, CURLUPART_QUERY, &query, 0);
    curl_url_get(h.u, CURLUPART_FRAGMENT, &fragment, 0);
    std::string s = scheme ? scheme : "";
    bool has_query = query != nullptr, has_fragment = fragment != nullptr;
    curl_free(scheme);
    curl_free(query);
    curl_free(fragment);
    if (s != "http" && s != "https") {
        error = "the URL must start with http:// or https://";
        return false;
    }
    if (has_query || has_fragment) {
        error = "the URL must not have a query or fragment";
        return false;
    }
    return true;
}

bool normalize_base_url(std::string_view url, std::string &out, std::string &error) {
    if (!check_http_url(url, error)) return false;
    while (!url.empty() && url.back() == '/')
        url.remove_suffix(1);
    out.assign(url);
    return true;
}

CliLogin login_from_settings_file(const std::string &path) {
    CliLogin login;
    std::string text;
    if (!read_file(path, text)) return login;
    JsonPtr root = parse_json(text);
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(root.get(), "token");
    if (cJSON_IsString(token) && token->valuestring) login.token = token->valuestring;
    const cJSON *org = cJSON_GetObjectItemCaseSensitive(root.get(), "organization");
    if (cJSON_IsString(org) && org->valuestring) login.organization = org->valuestring;
    return login;
}

bool load_environment(Options &options, std::string &error) {
    // A value that is set but bad is an error naming where it came from (never the value):
    // ignoring it would send the token to the default host, or a bad token as a header.
    std::string source, token;
    CliLogin login; // the official CLI's, when the token is its
    std::string login_file;
    if (const char *t = env("TURSO_API_TOKEN")) {
        source = "TURSO_API_TOKEN";
        token = t;
    } else if (const char *t2 = env("TURSO_TOKEN")) {
        source = "TURSO_TOKEN";
        token = t2;
    } else {
        // The official CLI keeps its login in settings.json; the first folder that is set wins.
        std::string folder;
        if (const char *f = env("TURSO_CONFIG_FOLDER"))
            folder = f;
        else if (const char *x = env("XDG_CONFIG_HOME"))
            folder = std::string(x) + "/turso";
        else if (const char *h = env("HOME"))
            folder = std::string(h) + "/.config/turso";
        if (!folder.empty()) {
            login_file = folder + "/settings.json";
            source = "the \"token\" of " + login_file;
            login = login_from_settings_file(login_file);
            token = login.token;
        }
    }
    std::string why;
    if (!token.empty() && !check_setting_text(token, why)) {
        error = source + " " + why;
        return false;
    }

    const char *base_name = "TURSO_API_BASEURL";
    const char *base = env(base_name);
    if (!base) base = env(base_name = "TURSO_BASE_URL");
    std::string base_url = options.base_url;
    if (base && !normalize_base_url(base, base_url, why)) {
        error = std::string(base_name) + ": " + why;
        return false;
    }

    // TURSO_ORG, else the organization `turso org switch` chose for the CLI's own login (only
    // with that login's token: another account's token and the CLI's organization would mix).
    std::string org;
    if (const char *o = env("TURSO_ORG")) {
        org = o;
        if (!check_setting_text(org, why)) {
            error = "TURSO_ORG " + why;
            return false;
        }
    } else if (!login.token.empty() && !login.organization.empty()) {
        org = login.organization;
        if (!check_setting_text(org, why)) {
            error = "the \"organization\" of " + login_file + " " + why;
            return false;
        }
    }

    options.token = std::move(token);
    options.base_url = std::move(base_url);
    if (!org.empty()) options.org = std::move(org);
    return true;
}

} // namespace turso::platform
