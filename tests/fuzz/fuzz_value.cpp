// libFuzzer target: the public tp_value_* accessors over any JSON a server could send, reached
// the way a caller reaches them (tp_result_value of a result holding that body).
// Input: [path length][path][body]. Properties: iteration, indexing and length agree; a member
// found by tp_value_get has that key; scalar accessors answer "nothing" for the wrong type;
// tp_value_to_json gives JSON that parses again; NULL is accepted everywhere.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "capi_internal.h"
#include "json.h"
#include "turso_platform.h"

namespace tp = turso::platform;

#include "require.h"

static void walk(const tp_value *v, int depth) {
    tp_value_type t = tp_value_type_of(v);
    REQUIRE(t >= TP_VALUE_NULL && t <= TP_VALUE_OBJECT);
    if (t != TP_VALUE_STRING) REQUIRE(tp_value_string(v) == nullptr);
    if (t != TP_VALUE_NUMBER) REQUIRE(tp_value_number(v) == 0 && tp_value_int64(v) == 0);
    if (t != TP_VALUE_BOOL) REQUIRE(tp_value_bool(v) == 0);
    REQUIRE(tp_value_is_null(v) == (t == TP_VALUE_NULL));
    if (t == TP_VALUE_STRING) REQUIRE(tp_value_string(v) != nullptr);
    size_t n = 0;
    for (const tp_value *c = tp_value_first(v); c; c = tp_value_next(c), n++) {
        if (n < 64) REQUIRE(tp_value_at(v, n) == c); // indexing is linear: keep inputs fast
        if (t == TP_VALUE_OBJECT) {
            const char *key = tp_value_key(c);
            REQUIRE(key != nullptr);
            if (n < 64 && std::strlen(key) < 64) {
                const tp_value *found = tp_value_get(v, key);
                REQUIRE(found != nullptr && std::strcmp(tp_value_key(found), key) == 0);
            }
        } else {
            REQUIRE(tp_value_key(c) == nullptr);
        }
        if (depth < 32) walk(c, depth + 1);
    }
    REQUIRE(n == tp_value_length(v));
    if (t == TP_VALUE_ARRAY || t == TP_VALUE_OBJECT)
        REQUIRE(tp_value_at(v, n) == nullptr);
    else
        REQUIRE(n == 0);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t path_len = data[0];
    if (1 + path_len > size) return 0;
    std::string path(reinterpret_cast<const char *>(data + 1), path_len);
    std::string body(reinterpret_cast<const char *>(data + 1 + path_len), size - 1 - path_len);

    tp_result *r = new tp_result();
    r->result.body = body;
    r->result.value = tp::parse_json(body);
    const tp_value *root = tp_result_value(r);
    REQUIRE((root != nullptr) == (r->result.value != nullptr));
    if (root) {
        walk(root, 0);
        tp_value_path(root, path.c_str()); // any path on any tree
        for (int32_t pretty = 0; pretty <= 1; pretty++) {
            char *text = nullptr;
            REQUIRE(tp_value_to_json(root, pretty, &text) == TP_OK && text);
            REQUIRE(tp::parse_json(text) != nullptr);
            tp_string_free(text);
        }
    }
    // NULL everywhere answers "nothing".
    REQUIRE(tp_value_type_of(nullptr) == TP_VALUE_NONE);
    REQUIRE(tp_value_get(nullptr, path.c_str()) == nullptr);
    REQUIRE(tp_value_path(nullptr, path.c_str()) == nullptr);
    REQUIRE(tp_value_get(root, nullptr) == nullptr);
    tp_result_free(r);
    return 0;
}
