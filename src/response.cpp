#include "response.h"

#include "encoding.h"
#include "status.h"

namespace turso::platform {

namespace {

constexpr size_t kMaxMessageBytes = 300;

bool is_blank(std::string_view text) {
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    return true;
}

// The length of the UTF-8 character starting at s[0] if it is valid, else 0.
size_t utf8_char_length(std::string_view s) {
    for (size_t len = 1; len <= 4 && len <= s.size(); ++len)
        if (is_valid_utf8(s.substr(0, len))) return len;
    return 0;
}

const char *string_member(const cJSON *object, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(item) && item->valuestring ? item->valuestring : nullptr;
}

} // namespace

std::string one_line(std::string_view text, size_t max_bytes) {
    std::string out;
    bool space = false;
    size_t i = 0;
    while (i < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        size_t len = 1;
        std::string_view piece;
        if (c < 0x20 || c == 0x7F) {
            space = !out.empty();
            ++i;
            continue;
        }
        if (c == ' ') {
            space = !out.empty();
            ++i;
            continue;
        }
        if (c >= 0x80) {
            len = utf8_char_length(text.substr(i));
            piece = len ? text.substr(i, len) : std::string_view("?");
            if (!len) len = 1;
        } else {
            piece = text.substr(i, 1);
        }
        if (out.size() + (space ? 1 : 0) + piece.size() > max_bytes) {
            out += "...";
            return out;
        }
        if (space) out.push_back(' ');
        space = false;
        out.append(piece);
        i += len;
    }
    return out;
}

ParsedResponse parse_response(long http_status, std::string_view body, std::string_view answer) {
    ParsedResponse r;
    r.status = status_for_http(http_status);
    bool blank = is_blank(body);

    if (r.status == TP_OK) {
        if (blank) return r;
        char kind = json_validate(body);
        if (!kind) {
            r.status = TP_E_BAD_RESPONSE;
            r.message = "the response body is not JSON";
        } else if (answer == "object" && kind != '{') {
            r.status = TP_E_BAD_RESPONSE;
            r.message = "the response body is not a JSON object";
        } else if (answer == "object|array" && kind != '{' && kind != '[') {
            r.status = TP_E_BAD_RESPONSE;
            r.message = "the response body is not a JSON object or array";
        } else {
            r.value_pending = true;
        }
        return r;
    }

    if (!blank) r.value = parse_json(body);

    // An error answer: the service's {"error": "...", "code": "..."} when there is one.
    const char *error = nullptr;
    if (cJSON_IsObject(r.value.get())) {
        error = string_member(r.value.get(), "error");
        if (!error) error = string_member(r.value.get(), "message");
        if (const char *code = string_member(r.value.get(), "code")) {
            r.error_code = one_line(code, kMaxMessageBytes);
            r.has_error_code = true;
        }
    }
    if (error && !is_blank(error))
        r.message = one_line(error, kMaxMessageBytes);
    else if (!blank && !r.value)
        r.message = one_line(body, kMaxMessageBytes);
    if (r.message.empty())
        r.message = "HTTP " + std::to_string(http_status) + ": " + status_message(r.status);
    return r;
}

} // namespace turso::platform
