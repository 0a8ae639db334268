// tp_client_*, tp_cancel_*, tp_call and tp_request: making calls.
#include "capi_internal.h"

#include "encoding.h"
#include "operations.h"
#include "response.h"

using namespace turso::platform;
using turso::platform::capi::call_guarded;
using turso::platform::capi::check_string;
using turso::platform::capi::guard;
using turso::platform::capi::invalid;

extern "C" {

TP_API tp_status tp_client_new(const tp_options *options, tp_client **out) {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    return guard([&] {
        *out = new tp_client(options ? options->options : Options());
        return TP_OK;
    });
}

TP_API void tp_client_free(tp_client *client) {
    delete client;
}

TP_API const char *tp_client_base_url(const tp_client *client) {
    return client ? client->client.options().base_url.c_str() : nullptr;
}

TP_API const char *tp_client_org(const tp_client *client) {
    if (!client || client->client.options().org.empty()) return nullptr;
    return client->client.options().org.c_str();
}

TP_API tp_status tp_cancel_new(tp_cancel **out) {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    return guard([&] {
        *out = new tp_cancel();
        return TP_OK;
    });
}

TP_API void tp_cancel_free(tp_cancel *cancel) {
    delete cancel;
}

TP_API void tp_cancel_trigger(tp_cancel *cancel) {
    if (cancel) cancel->cancel.trigger();
}

TP_API void tp_cancel_reset(tp_cancel *cancel) {
    if (cancel) cancel->cancel.reset();
}

TP_API int32_t tp_cancel_is_triggered(const tp_cancel *cancel) {
    return cancel && cancel->cancel.is_triggered() ? 1 : 0;
}

TP_API tp_status tp_call(tp_client *client, const char *op_id, const tp_params *params, tp_result **out) {
    if (!client) return invalid(out, nullptr, "tp_call: client must not be NULL");
    if (!op_id) return invalid(out, nullptr, "tp_call: op_id must not be NULL");
    return call_guarded(out, [&] {
        const Operation *op = find_operation(op_id);
        if (!op)
            return Result::failure(TP_E_INVALID_ARGUMENT, nullptr,
                                   "tp_call: unknown operation '" + one_line(op_id, 100) + "'");
        return client->client.call(*op, nullptr, 0, params ? &params->params : nullptr);
    });
}

TP_API tp_status tp_request_with(tp_client *client, const char *method, const char *path, const char *body,
                                 size_t body_len, const tp_params *call_params, tp_result **out) {
    return call_guarded(out, [&] {
        std::string error;
        if (!client)
            return Result::failure(TP_E_INVALID_ARGUMENT, nullptr, "tp_request: client must not be NULL");
        if (!check_string(method, "tp_request", "method", false, error) ||
            !check_string(path, "tp_request", "path", false, error))
            return Result::failure(TP_E_INVALID_ARGUMENT, nullptr, std::move(error));
        if (!body && body_len)
            return Result::failure(TP_E_INVALID_ARGUMENT, nullptr,
                                   "tp_request: body is NULL but body_len is not 0");
        return client->client.request(method, path, std::string_view(body ? body : "", body_len),
                                      body != nullptr, call_params ? &call_params->params : nullptr);
    });
}

TP_API tp_status tp_request(tp_client *client, const char *method, const char *path, const char *body,
                            size_t body_len, tp_result **out) {
    return tp_request_with(client, method, path, body, body_len, nullptr, out);
}

} // extern "C"
