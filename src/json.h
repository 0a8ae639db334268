// cJSON behind RAII, and the read-only helpers the tp_value accessors use.
#pragma once

#include <cjson/cJSON.h>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace turso::platform {

struct JsonDeleter {
    void operator()(cJSON *node) const { cJSON_Delete(node); }
};
using JsonPtr = std::unique_ptr<cJSON, JsonDeleter>;

// Parses all of `text` as one JSON value (surrounding whitespace allowed); nullptr when it is not.
JsonPtr parse_json(std::string_view text);
// The kind of the one JSON value `text` holds ('{', '[', or 'v' for a scalar), or 0 when it is
// not JSON, without building a tree: a strict RFC 8259 check that accepts nothing parse_json
// refuses (the response fuzzer checks this), so a value found valid can be parsed later.
char json_validate(std::string_view text);
// Follows a dotted path of object keys and array indexes ("databases.0.Name"); nullptr if a
// step is missing.
const cJSON *json_path(const cJSON *node, std::string_view path);
// A number as int64: fractions truncated, saturating at the int64 range, NaN as 0.
int64_t json_number_to_int64(double value);
// Serialises a value; throws std::bad_alloc when memory runs out.
std::string json_to_string(const cJSON *node, bool pretty);

} // namespace turso::platform
