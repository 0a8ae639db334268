// The named arguments of one call, with the type each was given, and the call's settings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cancel.h"

namespace turso::platform {

enum class ValueKind { String, Int, Double, Bool, Null, Json, Bytes };

struct ParamValue {
    ValueKind kind = ValueKind::Null;
    std::string text; // String, Json (already checked to parse) and Bytes
    int64_t integer = 0;
    double number = 0;
    bool boolean = false;
};

struct Params {
    // Few entries per call: a vector searched linearly beats a map.
    std::vector<std::pair<std::string, ParamValue>> values;
    Cancel *cancel = nullptr; // borrowed
    int32_t timeout_ms = 0;   // 0 = the client's

    void set(std::string_view name, ParamValue value);
    const ParamValue *get(std::string_view name) const;
    void clear();
};

const char *value_kind_name(ValueKind kind);

} // namespace turso::platform
