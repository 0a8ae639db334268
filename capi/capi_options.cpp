// tp_options_*: the settings builder. Every call records on the options why it failed, or ""
// (tp_options_error); the reason names the setting or the environment variable, never the value.
#include "capi_internal.h"

#include <memory>

#include "encoding.h"
#include "status.h"

using namespace turso::platform;
using turso::platform::capi::guard;

namespace {

tp_status refuse(std::string &why, std::string text) {
    why = std::move(text);
    return TP_E_INVALID_ARGUMENT;
}

// Runs f(why), which returns a tp_status and on TP_E_INVALID_ARGUMENT has put the reason in
// `why`, and records the outcome on `options` for tp_options_error.
template <typename F> tp_status record(tp_options *options, F &&f) noexcept {
    options->error.clear();
    options->fixed_error = nullptr;
    std::string why;
    tp_status status = guard([&] { return f(why); });
    if (status == TP_OK) return status;
    // After an exception (memory ran out) there is no reason to give: the status' sentence.
    if (status == TP_E_INVALID_ARGUMENT && !why.empty())
        options->error = std::move(why); // a move: cannot throw
    else
        options->fixed_error = status_message(status);
    return status;
}

// A string setting named `name`: NULL resets an optional one, else text that check_setting_text
// accepts (a control character could split an HTTP header line).
tp_status text_setting(const char *value, bool optional, const char *name, std::string &target,
                       std::string &why) {
    if (!value) {
        if (!optional) return refuse(why, std::string(name) + " must not be NULL");
        target.clear();
        return TP_OK;
    }
    std::string error;
    if (!check_setting_text(value, error)) return refuse(why, std::string(name) + " " + error);
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
        std::string error;
        tp_status status = TP_OK;
        // A bad value still hands back the options (defaults only: load_environment applied
        // nothing) so that the caller can read which variable it was.
        if (!load_environment(o->options, error)) {
            status = TP_E_INVALID_ARGUMENT;
            if (error.empty())
                o->fixed_error = status_message(status);
            else
                o->error = std::move(error);
        }
        *out = o.release();
        return status;
    });
}

TP_API void tp_options_free(tp_options *options) {
    delete options;
}

TP_API const char *tp_options_error(const tp_options *options) {
    if (!options) return "";
    return options->fixed_error ? options->fixed_error : options->error.c_str();
}

TP_API tp_status tp_options_set_token(tp_options *options, const char *token) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        return text_setting(token, true, "token", options->options.token, why);
    });
}

TP_API tp_status tp_options_set_base_url(tp_options *options, const char *base_url) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (!base_url) return refuse(why, "base_url must not be NULL");
        std::string url, error;
        if (!normalize_base_url(base_url, url, error)) return refuse(why, "base_url: " + error);
        options->options.base_url = std::move(url);
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_org(tp_options *options, const char *org) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        return text_setting(org, true, "org", options->options.org, why);
    });
}

TP_API tp_status tp_options_set_region_url(tp_options *options, const char *region_url) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (!region_url) return refuse(why, "region_url must not be NULL");
        std::string error;
        if (!check_http_url(region_url, error)) return refuse(why, "region_url: " + error);
        options->options.region_url = region_url;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_connect_timeout_ms(tp_options *options, int32_t ms) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (ms <= 0) return refuse(why, "connect_timeout_ms must be greater than 0");
        options->options.connect_timeout_ms = ms;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_timeout_ms(tp_options *options, int32_t ms) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (ms <= 0) return refuse(why, "timeout_ms must be greater than 0");
        options->options.timeout_ms = ms;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_retry(tp_options *options, int32_t max_attempts, int32_t base_delay_ms) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (max_attempts < 1 || max_attempts > 20) return refuse(why, "max_attempts must be from 1 to 20");
        if (base_delay_ms < 0 || base_delay_ms > 60000)
            return refuse(why, "base_delay_ms must be from 0 to 60000");
        options->options.max_attempts = max_attempts;
        options->options.base_delay_ms = base_delay_ms;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_user_agent(tp_options *options, const char *user_agent) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        return text_setting(user_agent, false, "user_agent", options->options.user_agent, why);
    });
}

TP_API tp_status tp_options_set_ca_file(tp_options *options, const char *ca_file) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        return text_setting(ca_file, true, "ca_file", options->options.ca_file, why);
    });
}

TP_API tp_status tp_options_set_verify_tls(tp_options *options, int32_t verify) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (verify != 0 && verify != 1) return refuse(why, "verify_tls must be 0 or 1");
        options->options.verify_tls = verify == 1;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_proxy(tp_options *options, const char *proxy) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        return text_setting(proxy, true, "proxy", options->options.proxy, why);
    });
}

TP_API tp_status tp_options_set_max_response_bytes(tp_options *options, int64_t max_bytes) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (max_bytes <= 0) return refuse(why, "max_response_bytes must be greater than 0");
        options->options.max_response_bytes = max_bytes;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_max_connections(tp_options *options, int32_t max_connections) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (max_connections < 1 || max_connections > 1024)
            return refuse(why, "max_connections must be from 1 to 1024");
        options->options.max_connections = max_connections;
        return TP_OK;
    });
}

TP_API tp_status tp_options_set_log(tp_options *options, tp_log_fn fn, void *userdata, int32_t max_level) {
    if (!options) return TP_E_INVALID_ARGUMENT;
    return record(options, [&](std::string &why) -> tp_status {
        if (max_level < TP_LOG_ERROR || max_level > TP_LOG_DEBUG)
            return refuse(why, "max_level must be from TP_LOG_ERROR (0) to TP_LOG_DEBUG (3)");
        options->options.log_fn = fn;
        options->options.log_userdata = fn ? userdata : nullptr;
        options->options.log_level = max_level;
        return TP_OK;
    });
}

} // extern "C"
