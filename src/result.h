// What a call hands back: status, HTTP code, message, headers, raw body and parsed value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json.h"
#include "turso_platform.h"

namespace turso::platform {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Result {
    tp_status status = TP_OK;
    int32_t http_status = 0;
    std::string message;
    std::string error_code;
    bool has_error_code = false;
    const char *op = nullptr; // static (from the operations table), nullptr for raw requests
    int32_t attempts = 0;
    std::string body;
    Headers headers;
    // The parsed body. A successful body is parsed on the first json() (results are used by one
    // thread at a time, so the lazy parse needs no lock).
    mutable JsonPtr value;
    mutable bool value_pending = false;

    const cJSON *json() const {
        if (value_pending) {
            value_pending = false;
            value = parse_json(body);
        }
        return value.get();
    }

    static Result failure(tp_status status, const char *op, std::string message) {
        Result r;
        r.status = status;
        r.op = op;
        r.message = std::move(message);
        return r;
    }
    // The first header with this name (ASCII case-insensitive), or nullptr.
    const char *header(std::string_view name) const;
};

} // namespace turso::platform
