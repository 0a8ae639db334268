// tp_options_*: the settings builder.
#include "capi_internal.h"

#include <memory>

#include "encoding.h"

using namespace turso::platform;
using turso::platform::capi::guard;

namespace {

// An optional setting's string: NULL resets (returns true with reset set), else text that
// check_setting_text accepts (a control character could split an HTTP header line).
tp_status text_setting(const char *value, bool optional, std::string &target) {
    if (!value) {
        if (!optional) return TP_E_INVALID_ARGUMENT;
        target.clear();
        return TP_OK;
    }
    std::string error;
    if (!check_setting_text(value, error)) return TP_E_INVALID_ARGUMENT;
    target.assign(value);
    return TP_OK;
}

} // namespace

extern "C" {

TP_API tp_status tp_options_new(tp_options **out) {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    return guard([&] {
        *out = new tp_options();
        return TP_OK;
    });
}

TP_API tp_status tp_options_from_env(tp_options **out) {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    return guard([&] {
        auto o = std::make_unique<tp_options>();
        std::string error; // no channel for it in this signature; the header lists the causes
        if (!load_environment(o->options, error)) return TP_E_INVALID_ARGUMENT;
        *out = o.release();
        return TP_OK;
    });
}

TP_API void tp_options_free(tp_options *options) {
    delete options;
}

TP_API tp_status tp_options_set_token(tp_options *options, const char *token) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return guard([&] { return text_setting(token, true, options->options.token); });
}

TP_API tp_status tp_options_set_base_url(tp_options *options, const char *base_url) {
    if (!options || !base_url) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        std::string url, error;
        if (!normalize_base_url(base_url, url, error)) return TP_E_INVALID_ARGUMENT;
        options->options.base_url = std::move(url);
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_org(tp_options *options, const char *org) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return guard([&] { return text_setting(org, true, options->options.org); });
}

TP_API tp_status tp_options_set_region_url(tp_options *options, const char *region_url) {
    if (!options || !region_url) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        std::string error;
        if (!check_http_url(region_url, error)) return TP_E_INVALID_ARGUMENT;
        options->options.region_url = region_url;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_connect_timeout_ms(tp_options *options, int32_t ms) {
    if (!options || ms <= 0) return TP_E_INVALID_ARGUMENT;
    options->options.connect_timeout_ms = ms;
    return TP_OK;
}

TP_API tp_status tp_options_set_timeout_ms(tp_options *options, int32_t ms) {
    if (!options || ms <= 0) return TP_E_INVALID_ARGUMENT;
    options->options.timeout_ms = ms;
    return TP_OK;
}

TP_API tp_status tp_options_set_retry(tp_options *options, int32_t max_attempts, int32_t base_delay_ms) {
    if (!options || max_attempts < 1 || max_attempts > 20 || base_delay_ms < 0 || base_delay_ms > 60000)
        return TP_E_INVALID_ARGUMENT;
    options->options.max_attempts = max_attempts;
    options->options.base_delay_ms = base_delay_ms;
    return TP_OK;
}

TP_API tp_status tp_options_set_user_agent(tp_options *options, const char *user_agent) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return guard([&] { return text_setting(user_agent, false, options->options.user_agent); });
}

TP_API tp_status tp_options_set_ca_file(tp_options *options, const char *ca_file) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return guard([&] { return text_setting(ca_file, true, options->options.ca_file); });
}

TP_API tp_status tp_options_set_verify_tls(tp_options *options, int32_t verify) {
    if (!options || (verify != 0 && verify != 1)) return TP_E_INVALID_ARGUMENT;
    options->options.verify_tls = verify == 1;
    return TP_OK;
}

TP_API tp_status tp_options_set_proxy(tp_options *options, const char *proxy) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return guard([&] { return text_setting(proxy, true, options->options.proxy); });
}

TP_API tp_status tp_options_set_max_response_bytes(tp_options *options, int64_t max_bytes) {
    if (!options || max_bytes <= 0) return TP_E_INVALID_ARGUMENT;
    options->options.max_response_bytes = max_bytes;
    return TP_OK;
}

TP_API tp_status tp_options_set_max_connections(tp_options *options, int32_t max_connections) {
    if (!options || max_connections < 1 || max_connections > 1024) return TP_E_INVALID_ARGUMENT;
    options->options.max_connections = max_connections;
    return TP_OK;
}

TP_API tp_status tp_options_set_log(tp_options *options, tp_log_fn fn, void *userdata, int32_t max_level) {
    if (!options || max_level < TP_LOG_ERROR || max_level > TP_LOG_DEBUG) return TP_E_INVALID_ARGUMENT;
    options->options.log_fn = fn;
    options->options.log_userdata = fn ? userdata : nullptr;
    options->options.log_level = max_level;
    return TP_OK;
}

} // extern "C"
