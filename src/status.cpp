#include "status.h"

namespace turso::platform {

namespace {
struct StatusInfo {
    tp_status code;
    const char *name;
    const char *message;
};

constexpr StatusInfo kStatuses[] = {
    {TP_OK, "TP_OK", "success"},
    {TP_E_INVALID_ARGUMENT, "TP_E_INVALID_ARGUMENT", "invalid argument"},
    {TP_E_NOMEM, "TP_E_NOMEM", "out of memory"},
    {TP_E_INTERNAL, "TP_E_INTERNAL", "internal error in turso-platform"},
    {TP_E_NETWORK, "TP_E_NETWORK", "network error"},
    {TP_E_TIMEOUT, "TP_E_TIMEOUT", "timed out"},
    {TP_E_TLS, "TP_E_TLS", "TLS error"},
    {TP_E_CANCELLED, "TP_E_CANCELLED", "cancelled"},
    {TP_E_BAD_RESPONSE, "TP_E_BAD_RESPONSE", "the response is not the JSON expected"},
    {TP_E_RESPONSE_TOO_LARGE, "TP_E_RESPONSE_TOO_LARGE", "the response is larger than allowed"},
    {TP_E_BAD_REQUEST, "TP_E_BAD_REQUEST", "bad request"},
    {TP_E_UNAUTHORIZED, "TP_E_UNAUTHORIZED", "missing or invalid token"},
    {TP_E_PAYMENT_REQUIRED, "TP_E_PAYMENT_REQUIRED", "not available in the organization's plan"},
    {TP_E_FORBIDDEN, "TP_E_FORBIDDEN", "forbidden"},
    {TP_E_NOT_FOUND, "TP_E_NOT_FOUND", "resource not found"},
    {TP_E_CONFLICT, "TP_E_CONFLICT", "resource already exists"},
    {TP_E_UNPROCESSABLE, "TP_E_UNPROCESSABLE", "unprocessable request"},
    {TP_E_RATE_LIMITED, "TP_E_RATE_LIMITED", "rate limited"},
    {TP_E_SERVER, "TP_E_SERVER", "server error"},
    {TP_E_HTTP, "TP_E_HTTP", "unexpected HTTP status"},
};

const StatusInfo *lookup(tp_status status) {
    for (const auto &s : kStatuses)
        if (s.code == status) return &s;
    return nullptr;
}
} // namespace

const char *status_name(tp_status status) {
    const StatusInfo *s = lookup(status);
    return s ? s->name : "TP_E_UNKNOWN";
}

const char *status_message(tp_status status) {
    const StatusInfo *s = lookup(status);
    return s ? s->message : "unknown status code";
}

tp_status status_for_http(long http_status) {
    if (http_status >= 200 && http_status < 300) return TP_OK;
    switch (http_status) {
    case 400:
        return TP_E_BAD_REQUEST;
    case 401:
        return TP_E_UNAUTHORIZED;
    case 402:
        return TP_E_PAYMENT_REQUIRED;
    case 403:
        return TP_E_FORBIDDEN;
    case 404:
        return TP_E_NOT_FOUND;
    case 409:
        return TP_E_CONFLICT;
    case 422:
        return TP_E_UNPROCESSABLE;
    case 429:
        return TP_E_RATE_LIMITED;
    default:
        break;
    }
    if (http_status >= 500 && http_status < 600) return TP_E_SERVER;
    return TP_E_HTTP;
}

} // namespace turso::platform
