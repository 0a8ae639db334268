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

bool check_http_url(std::string_view url, std::string &error) {
    if (url.empty()) {
        error = "the URL must not be empty";
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
    // "http://" or "https://" (any case) and then an authority, not "https:/h" nor "https:///h".
    std::string lower(url.substr(0, 8));
    for (char &c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    size_t after = lower.rfind("http://", 0) == 0 ? 7 : lower.rfind("https://", 0) == 0 ? 8 : 0;
    if (after == 0 || url.size() <= after || url[after] == '/') {
        error = "the URL must start with http:// or https:// and a host";
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
        error = "not an absolute URL: " + text;
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

std::string token_from_settings_file(const std::string &path) {
    std::string text;
    if (!read_file(path, text)) return {};
    JsonPtr root = parse_json(text);
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(root.get(), "token");
    if (!cJSON_IsString(token) || !token->valuestring || !*token->valuestring) return {};
    std::string value = token->valuestring;
    return is_valid_utf8(value) ? value : std::string();
}

void load_environment(Options &options) {
    if (const char *t = env("TURSO_API_TOKEN")) {
        options.token = t;
    } else if (const char *t2 = env("TURSO_TOKEN")) {
        options.token = t2;
    } else {
        // The official CLI keeps its login in settings.json; the first folder that is set wins.
        std::string folder;
        if (const char *f = env("TURSO_CONFIG_FOLDER"))
            folder = f;
        else if (const char *x = env("XDG_CONFIG_HOME"))
            folder = std::string(x) + "/turso";
        else if (const char *h = env("HOME"))
            folder = std::string(h) + "/.config/turso";
        if (!folder.empty()) options.token = token_from_settings_file(folder + "/settings.json");
    }
    if (!is_valid_utf8(options.token)) options.token.clear();

    const char *base = env("TURSO_API_BASEURL");
    if (!base) base = env("TURSO_BASE_URL");
    std::string normalized, error;
    if (base && normalize_base_url(base, normalized, error)) options.base_url = normalized;

    if (const char *org = env("TURSO_ORG"))
        if (is_valid_utf8(org)) options.org = org;
}

} // namespace turso::platform
