// tp_params_*: the named arguments of a call.
#include "capi_internal.h"

#include <cmath>

#include "encoding.h"
#include "json.h"
#include "request.h"

using namespace turso::platform;
using turso::platform::capi::guard;

namespace {

bool good_name(const char *name) {
    return name && *name && is_valid_utf8(name);
}

tp_status set(tp_params *params, const char *name, ParamValue &&value) {
    if (!params || !good_name(name)) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        params->params.set(name, std::move(value));
        return TP_OK;
    });
}

} // namespace

extern "C" {

TP_API tp_status tp_params_new(tp_params **out) {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    return guard([&] {
        *out = new tp_params();
        return TP_OK;
    });
}

TP_API void tp_params_free(tp_params *params) {
    delete params;
}

TP_API tp_status tp_params_clear(tp_params *params) {
    if (!params) return TP_E_INVALID_ARGUMENT;
    params->params.clear();
    return TP_OK;
}

TP_API tp_status tp_params_set_string(tp_params *params, const char *name, const char *value) {
    if (!value || !is_valid_utf8(value)) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        ParamValue v;
        v.kind = ValueKind::String;
        v.text = value;
        return set(params, name, std::move(v));
    });
}

TP_API tp_status tp_params_set_int64(tp_params *params, const char *name, int64_t value) {
    ParamValue v;
    v.kind = ValueKind::Int;
    v.integer = value;
    return set(params, name, std::move(v));
}

TP_API tp_status tp_params_set_double(tp_params *params, const char *name, double value) {
    if (!std::isfinite(value)) return TP_E_INVALID_ARGUMENT; // JSON has no NaN or infinity
    ParamValue v;
    v.kind = ValueKind::Double;
    v.number = value;
    return set(params, name, std::move(v));
}

TP_API tp_status tp_params_set_bool(tp_params *params, const char *name, int32_t value) {
    ParamValue v;
    v.kind = ValueKind::Bool;
    v.boolean = value != 0;
    return set(params, name, std::move(v));
}

TP_API tp_status tp_params_set_null(tp_params *params, const char *name) {
    ParamValue v;
    v.kind = ValueKind::Null;
    return set(params, name, std::move(v));
}

TP_API tp_status tp_params_set_json(tp_params *params, const char *name, const char *json) {
    if (!json || !is_valid_utf8(json)) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        // Strict: the text is sent as given, so what cJSON tolerates (a byte-order mark, control
        // bytes between tokens) would reach the server.
        if (!json_validate(json)) return TP_E_INVALID_ARGUMENT;
        ParamValue v;
        v.kind = ValueKind::Json;
        v.text = json; // as given: reprinting would round integers past 2^53 through a double
        return set(params, name, std::move(v));
    });
}

TP_API tp_status tp_params_set_bytes(tp_params *params, const char *name, const void *data, size_t len) {
    if ((!data && len) || len > kMaxBodyBytes) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        ParamValue v;
        v.kind = ValueKind::Bytes;
        if (len) v.text.assign(static_cast<const char *>(data), len);
        return set(params, name, std::move(v));
    });
}

TP_API tp_status tp_params_set_cancel(tp_params *params, tp_cancel *cancel) {
    if (!params) return TP_E_INVALID_ARGUMENT;
    params->params.cancel = cancel ? &cancel->cancel : nullptr;
    return TP_OK;
}

TP_API tp_status tp_params_set_timeout_ms(tp_params *params, int32_t ms) {
    if (!params || ms < 0) return TP_E_INVALID_ARGUMENT;
    params->params.timeout_ms = ms;
    return TP_OK;
}

} // extern "C"
