// The opaque handles of the C ABI and the guards that keep C++ exceptions from crossing it.
#pragma once

#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "batch.h"
#include "cancel.h"
#include "client.h"
#include "options.h"
#include "params.h"
#include "result.h"
#include "turso_platform.h"

struct tp_options {
    turso::platform::Options options;
    // Why the last tp_options_* call on these options failed, "" after one that succeeded
    // (tp_options_error): `error`, or `fixed_error` when there was no memory to build it.
    std::string error;
    const char *fixed_error = nullptr;
};

struct tp_client {
    explicit tp_client(turso::platform::Options options) : client(std::move(options)) {}
    turso::platform::Client client;
};

struct tp_params {
    turso::platform::Params params;
};

struct tp_result {
    turso::platform::Result result;
};

struct tp_cancel {
    turso::platform::Cancel cancel;
};

struct tp_batch {
    explicit tp_batch(turso::platform::Client &client) : batch(client) {}
    turso::platform::Batch batch;
    std::vector<tp_result> results; // filled once the batch ran
};

namespace turso::platform::capi {

// Runs f (returning tp_status); exceptions become TP_E_NOMEM / TP_E_INTERNAL, and a size past
// what a string can hold (only a caller's length can be that large) TP_E_INVALID_ARGUMENT.
template <typename F> tp_status guard(F &&f) noexcept {
    try {
        return f();
    } catch (const std::bad_alloc &) {
        return TP_E_NOMEM;
    } catch (const std::length_error &) {
        return TP_E_INVALID_ARGUMENT;
    } catch (...) {
        return TP_E_INTERNAL;
    }
}

// Hands a result to the caller through *out and returns its status. A result that cannot be
// allocated leaves *out NULL and returns TP_E_NOMEM.
tp_status deliver(tp_result **out, Result &&result) noexcept;

// Runs f (returning a Result) and delivers it; an exception becomes a result of TP_E_NOMEM,
// TP_E_INVALID_ARGUMENT (std::length_error, as in guard) or TP_E_INTERNAL (its message the
// status' sentence).
template <typename F> tp_status call_guarded(tp_result **out, F &&f) noexcept {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    tp_status failure;
    try {
        return deliver(out, f());
    } catch (const std::bad_alloc &) {
        failure = TP_E_NOMEM;
    } catch (const std::length_error &) {
        failure = TP_E_INVALID_ARGUMENT;
    } catch (...) {
        failure = TP_E_INTERNAL;
    }
    auto *r = new (std::nothrow) tp_result();
    if (!r) return TP_E_NOMEM;
    r->result.status = failure;
    *out = r;
    return failure;
}

// A result for a bad argument.
inline tp_status invalid(tp_result **out, const char *op, std::string message) noexcept {
    return call_guarded(out, [&] { return Result::failure(TP_E_INVALID_ARGUMENT, op, std::move(message)); });
}

// Checks a C string argument: not NULL and valid UTF-8 (empty allowed when allow_empty).
// On failure sets error to "<fn>: <name> must not be ...".
bool check_string(const char *value, const char *fn, const char *name, bool allow_empty, std::string &error);

} // namespace turso::platform::capi
