#include "capi_internal.h"

#include "encoding.h"
#include "status.h"

namespace turso::platform::capi {

tp_status deliver(tp_result **out, Result &&result) noexcept {
    auto *r = new (std::nothrow) tp_result();
    if (!r) return TP_E_NOMEM;
    r->result = std::move(result); // moves of strings and vectors never throw
    *out = r;
    return r->result.status;
}

bool check_string(const char *value, const char *fn, const char *name, bool allow_empty, std::string &error) {
    if (!value || (!allow_empty && !*value)) {
        error = std::string(fn) + ": " + name + " must not be " + (value ? "empty" : "NULL");
        return false;
    }
    if (!is_valid_utf8(value)) {
        error = std::string(fn) + ": " + name + " is not valid UTF-8";
        return false;
    }
    return true;
}

} // namespace turso::platform::capi

using namespace turso::platform;

extern "C" {

TP_API const char *tp_version(void) {
    return TP_VERSION_STRING;
}

TP_API int32_t tp_version_number(void) {
    return TP_VERSION_NUMBER;
}

TP_API const char *tp_status_name(tp_status status) {
    return status_name(status);
}

TP_API const char *tp_status_message(tp_status status) {
    return status_message(status);
}

} // extern "C"
