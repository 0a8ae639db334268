// Turning an HTTP answer (code + body) into a status, a message and a parsed value. Pure: fuzzed.
#pragma once

#include <string>
#include <string_view>

#include "json.h"
#include "turso_platform.h"

namespace turso::platform {

struct ParsedResponse {
    tp_status status = TP_OK;
    std::string message;    // "" on success
    std::string error_code; // the service's "code", when has_error_code
    bool has_error_code = false;
    JsonPtr value;              // an error answer's parsed body; nullptr for an empty or non-JSON body
    bool value_pending = false; // a 2xx body found valid but not parsed: Result::json() parses it
};

// `answer` is the operation's answer kind: "object" (a 2xx body must be a JSON object),
// "object|array" (an object or an array), "empty" or "" (any JSON value). Every kind accepts an
// empty 2xx body. A non-empty 2xx body that is not the JSON promised gives TP_E_BAD_RESPONSE. A
// A valid 2xx body is checked, not parsed (value_pending): building the tree is most of a call's
// cost, so it is paid only by callers that read it. A
// non-2xx answer gets the status of its code and the message of its JSON "error" (else the body
// text, trimmed and bounded, else the status' sentence); its body need not be JSON.
ParsedResponse parse_response(long http_status, std::string_view body, std::string_view answer);

// Text made safe for a one-line message: invalid UTF-8 and control characters replaced, runs of
// whitespace collapsed, cut to at most max_bytes at a character boundary (with "..." added).
std::string one_line(std::string_view text, size_t max_bytes);

} // namespace turso::platform
