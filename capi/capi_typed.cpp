// The typed functions, one per operation (generated into typed_operations.inc), and the one
// function they all call.
#include "capi_internal.h"

#include "encoding.h"
#include "operations.h"
#include "request.h"

using namespace turso::platform;

namespace {

// One positional argument of a typed function, as the generated code passes it.
struct TypedArg {
    const char *name;
    const char *value;
    size_t len;       // for bytes
    bool is_bytes;    // a multipart file: value/len
    bool may_be_null; // "org": NULL means the client's default organization
};

constexpr size_t kMaxPositional = 16;

tp_status call_typed(tp_client *client, const char *op_id, const TypedArg *args, size_t n,
                     const tp_params *params, tp_result **out) {
    return capi::call_guarded(out, [&] {
        const Operation *op = find_operation(op_id);
        if (!op) return Result::failure(TP_E_INTERNAL, nullptr, "typed function of an unknown operation");
        std::string fn = std::string("tp_") + op_id;
        for (char &c : fn)
            if (c == '.') c = '_';
        if (!client) return Result::failure(TP_E_INVALID_ARGUMENT, op->id, fn + ": client must not be NULL");
        if (n > kMaxPositional)
            return Result::failure(TP_E_INTERNAL, op->id, "too many positional arguments");
        PositionalArg positional[kMaxPositional];
        size_t count = 0;
        for (size_t i = 0; i < n; ++i) {
            const TypedArg &a = args[i];
            if (a.is_bytes) {
                if (!a.value || a.len == 0)
                    return Result::failure(TP_E_INVALID_ARGUMENT, op->id,
                                           fn + ": " + a.name + " must not be empty");
                if (a.len > kMaxBodyBytes)
                    return Result::failure(TP_E_INVALID_ARGUMENT, op->id,
                                           fn + ": " + a.name + " is larger than " +
                                               std::to_string(kMaxBodyBytes) + " bytes");
                positional[count++] = {a.name, std::string_view(a.value, a.len), true};
                continue;
            }
            if (!a.value && a.may_be_null) continue; // falls back to params, then the client's default
            if (!a.value || !*a.value)
                return Result::failure(TP_E_INVALID_ARGUMENT, op->id,
                                       fn + ": " + a.name + " must not be empty");
            std::string_view value(a.value);
            if (!is_valid_utf8(value))
                return Result::failure(TP_E_INVALID_ARGUMENT, op->id,
                                       fn + ": " + a.name + " is not valid UTF-8");
            positional[count++] = {a.name, value, false};
        }
        return client->client.call(*op, positional, count, params ? &params->params : nullptr);
    });
}

} // namespace

extern "C" {
#include "typed_operations.inc"
}
