#include "json.h"

#include <cmath>
#include <cstdlib>
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
