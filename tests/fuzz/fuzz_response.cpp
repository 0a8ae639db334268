// libFuzzer target: the response parser (src/response.h) and the JSON helpers behind tp_value
// (src/json.h). Input: [answer kind][http status: 2 bytes][path length][path][body].
// Properties: a 2xx non-empty body is accepted exactly when it is the JSON promised; an error
// always has a one-line, valid UTF-8, bounded message; serialising a value gives JSON that
// parses again to the same text; number conversion saturates instead of overflowing.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "encoding.h"
#include "json.h"
#include "response.h"

namespace tp = turso::platform;

#include "require.h"

static bool one_line_ok(const std::string &s, size_t max) {
    if (!tp::is_valid_utf8(s) || s.size() > max + 3) return false;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return false;
    return true;
}

static void walk(const cJSON *node, int depth) {
    if (!node || depth > 64) return;
    if (cJSON_IsNumber(node)) {
        double d = node->valuedouble;
        int64_t i = tp::json_number_to_int64(d);
        // Saturated from 2^63 up and -2^63 down; exact (truncated) in between, where every
        // double's integer part fits. (An earlier version saturated from 9.2e18: off by 2^63 -
        // 9.2e18, so 9212345012354740993 looked wrong when it was converted right.)
        if (std::isnan(d))
            REQUIRE(i == 0);
        else if (d >= 9223372036854775808.0)
            REQUIRE(i == INT64_MAX);
        else if (d <= -9223372036854775808.0)
            REQUIRE(i == INT64_MIN);
        else
            REQUIRE(i == static_cast<int64_t>(std::trunc(d)));
    }
    for (const cJSON *c = node->child; c; c = c->next)
        walk(c, depth + 1);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    static const char *const kinds[] = {"object", "object|array", "empty", ""};
    const char *answer = kinds[data[0] % 4];
    long http = 100 + ((data[1] << 8) | data[2]) % 500;
    size_t path_len = data[3];
    if (4 + path_len > size) return 0;
    std::string_view path(reinterpret_cast<const char *>(data + 4), path_len);
    std::string_view body(reinterpret_cast<const char *>(data + 4 + path_len), size - 4 - path_len);

    tp::ParsedResponse p = tp::parse_response(http, body, answer);
    bool blank = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (http >= 200 && http < 300) {
        if (p.status == TP_OK && !blank) {
            // Checked now, parsed later: what the check passed must parse, and be the kind promised.
            REQUIRE(p.value_pending);
            p.value = tp::parse_json(body);
            REQUIRE(p.value != nullptr);
            if (std::string_view(answer) == "object") REQUIRE(cJSON_IsObject(p.value.get()));
            if (std::string_view(answer) == "object|array")
                REQUIRE(cJSON_IsObject(p.value.get()) || cJSON_IsArray(p.value.get()));
        }
        if (blank) REQUIRE(p.status == TP_OK);
        if (p.status != TP_OK) REQUIRE(p.status == TP_E_BAD_RESPONSE);
        if (tp::parse_json(body) == nullptr && !blank) REQUIRE(p.status == TP_E_BAD_RESPONSE);
    } else {
        REQUIRE(p.status != TP_OK);
        REQUIRE(!p.message.empty());
        REQUIRE(one_line_ok(p.message, 4096));
    }

    const cJSON *root = p.value.get();
    if (root) {
        walk(root, 0);
        tp::json_path(root, path); // any path, any tree: no crash, no read past the end
        for (bool pretty : {false, true}) {
            std::string text = tp::json_to_string(root, pretty);
            tp::JsonPtr again = tp::parse_json(text);
            REQUIRE(again != nullptr);
            REQUIRE(tp::json_to_string(again.get(), pretty) == text);
        }
    }
    size_t max = path_len + 1;
    REQUIRE(one_line_ok(tp::one_line(body, max), max));
    return 0;
}
