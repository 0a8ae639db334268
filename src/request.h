// Building the HTTP request of a call: URL (each path segment encoded), query, JSON or multipart
// body, from an operation and its arguments, or from a raw method + path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cancel.h"
#include "operations.h"
#include "options.h"
#include "params.h"

namespace turso::platform {

// Longest request URL (base URL, path and query, percent-encoded): far above what servers take
// (turso-local answers 414 past 8 KiB) and below libcurl's 1 MiB request buffer, past which it
// fails as if memory ran out.
inline constexpr size_t kMaxUrlBytes = 65536;
// Longest request body or file a caller may pass (a length past it is not a real buffer).
inline constexpr uint64_t kMaxBodyBytes = uint64_t(1) << 32;

struct HttpRequest {
    std::string method;
    std::string url;
    bool with_auth = true; // false for another host (locations.closest)
    bool has_body = false;
    std::string body; // JSON, when has_body
    bool multipart = false;
    std::string file; // the multipart field "file", when multipart
    const Cancel *cancel = nullptr;
    int32_t timeout_ms = 0;   // 0 = the client's
    const char *op = nullptr; // static
    const char *answer = "";  // the operation's answer kind; "" = any JSON
};

// An argument the typed C functions pass positionally (a path parameter or a required field).
struct PositionalArg {
    std::string_view name;
    std::string_view value;
    bool is_bytes;
};

// Fills `out` for a call of `op`. Positional arguments win over params of the same name; "org"
// falls back to the client's default. On bad input returns false with `error` naming the
// argument ("databases.create: unknown parameter 'nmae'"). Throws std::bad_alloc.
bool build_operation_request(const Options &options, const Operation &op, const PositionalArg *args,
                             size_t arg_count, const Params *params, HttpRequest &out, std::string &error);

// Fills `out` for tp_request: path relative to the base URL, starting with '/', already encoded.
bool build_raw_request(const Options &options, std::string_view method, std::string_view path,
                       std::string_view body, bool has_body, const Params *call_params, HttpRequest &out,
                       std::string &error);

} // namespace turso::platform
