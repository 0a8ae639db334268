// tp_result_* and tp_value_*: reading what a call handed back.
#include "capi_internal.h"

#include "json.h"
#include "status.h"

using namespace turso::platform;
using turso::platform::capi::guard;

namespace {
// A tp_value is a cJSON node of its result's tree.
const cJSON *node(const tp_value *value) {
    return reinterpret_cast<const cJSON *>(value);
}
const tp_value *wrap(const cJSON *n) {
    return reinterpret_cast<const tp_value *>(n);
}
} // namespace

extern "C" {

TP_API void tp_result_free(tp_result *result) {
    delete result;
}

TP_API tp_status tp_result_status(const tp_result *result) {
    return result ? result->result.status : TP_E_INVALID_ARGUMENT;
}

TP_API int32_t tp_result_http_status(const tp_result *result) {
    return result ? result->result.http_status : 0;
}

TP_API const char *tp_result_message(const tp_result *result) {
    if (!result) return "the result is NULL";
    const Result &r = result->result;
    // A failure always says something, even when it had no text of its own (out of memory).
    if (r.message.empty() && r.status != TP_OK) return status_message(r.status);
    return r.message.c_str();
}

TP_API const char *tp_result_error_code(const tp_result *result) {
    return result && result->result.has_error_code ? result->result.error_code.c_str() : nullptr;
}

TP_API const char *tp_result_op(const tp_result *result) {
    return result ? result->result.op : nullptr;
}

TP_API int32_t tp_result_attempts(const tp_result *result) {
    return result ? result->result.attempts : 0;
}

TP_API const char *tp_result_body(const tp_result *result, size_t *len) {
    if (!result) {
        if (len) *len = 0;
        return "";
    }
    if (len) *len = result->result.body.size();
    return result->result.body.c_str();
}

TP_API const char *tp_result_header(const tp_result *result, const char *name) {
    return result && name ? result->result.header(name) : nullptr;
}

TP_API const tp_value *tp_result_value(const tp_result *result) {
    return result ? wrap(result->result.json()) : nullptr;
}

TP_API tp_value_type tp_value_type_of(const tp_value *value) {
    const cJSON *n = node(value);
    if (!n) return TP_VALUE_NONE;
    switch (n->type & 0xFF) {
    case cJSON_NULL:
        return TP_VALUE_NULL;
    case cJSON_True:
    case cJSON_False:
        return TP_VALUE_BOOL;
    case cJSON_Number:
        return TP_VALUE_NUMBER;
    case cJSON_String:
        return TP_VALUE_STRING;
    case cJSON_Array:
        return TP_VALUE_ARRAY;
    case cJSON_Object:
        return TP_VALUE_OBJECT;
    default:
        return TP_VALUE_NONE;
    }
}

TP_API const tp_value *tp_value_get(const tp_value *value, const char *key) {
    const cJSON *n = node(value);
    if (!n || !key || !cJSON_IsObject(n)) return nullptr;
    return wrap(cJSON_GetObjectItemCaseSensitive(n, key));
}

TP_API const tp_value *tp_value_at(const tp_value *value, size_t index) {
    const cJSON *n = node(value);
    if (!n || !(cJSON_IsArray(n) || cJSON_IsObject(n))) return nullptr;
    const cJSON *c = n->child;
    while (c && index--)
        c = c->next;
    return wrap(c);
}

TP_API size_t tp_value_length(const tp_value *value) {
    const cJSON *n = node(value);
    if (!n || !(cJSON_IsArray(n) || cJSON_IsObject(n))) return 0;
    size_t count = 0;
    for (const cJSON *c = n->child; c; c = c->next)
        ++count;
    return count;
}

TP_API const tp_value *tp_value_first(const tp_value *value) {
    const cJSON *n = node(value);
    if (!n || !(cJSON_IsArray(n) || cJSON_IsObject(n))) return nullptr;
    return wrap(n->child);
}

TP_API const tp_value *tp_value_next(const tp_value *value) {
    const cJSON *n = node(value);
    return n ? wrap(n->next) : nullptr;
}

TP_API const char *tp_value_key(const tp_value *value) {
    const cJSON *n = node(value);
    return n ? n->string : nullptr;
}

TP_API const char *tp_value_string(const tp_value *value) {
    const cJSON *n = node(value);
    return cJSON_IsString(n) ? n->valuestring : nullptr;
}

TP_API double tp_value_number(const tp_value *value) {
    const cJSON *n = node(value);
    return cJSON_IsNumber(n) ? n->valuedouble : 0.0;
}

TP_API int64_t tp_value_int64(const tp_value *value) {
    const cJSON *n = node(value);
    return cJSON_IsNumber(n) ? json_number_to_int64(n->valuedouble) : 0;
}

TP_API int32_t tp_value_bool(const tp_value *value) {
    return cJSON_IsTrue(node(value)) ? 1 : 0;
}

TP_API int32_t tp_value_is_null(const tp_value *value) {
    return cJSON_IsNull(node(value)) ? 1 : 0;
}

TP_API const tp_value *tp_value_path(const tp_value *value, const char *path) {
    if (!value || !path) return nullptr;
    return wrap(json_path(node(value), path));
}

TP_API tp_status tp_value_to_json(const tp_value *value, int32_t pretty, char **out) {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!value) return TP_E_INVALID_ARGUMENT;
    char *text = pretty ? cJSON_Print(node(value)) : cJSON_PrintUnformatted(node(value));
    if (!text) return TP_E_NOMEM;
    *out = text;
    return TP_OK;
}

TP_API void tp_string_free(char *string) {
    if (string) cJSON_free(string);
}

} // extern "C"
