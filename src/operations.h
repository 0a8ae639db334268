// The operations table: every Platform API operation this library knows (from operations.tsv).
#pragma once

#include <cstdint>
#include <string_view>

#include "turso_platform.h"

namespace turso::platform {

// One parameter of an operation: its name (as callers give it), its name on the wire, its kind
// (TP_PARAM_PATH/QUERY/BODY/FILE) and whether the typed C function takes it positionally.
struct ParamSpec {
    const char *name;
    const char *wire;
    int kind;
    bool required;
};

// One operation: id ("databases.create"), method, path template (or an absolute URL for another
// host), what a 2xx body is ("object", "object|array", "empty"), and its parameters.
struct Operation {
    const char *id;
    const char *method;
    const char *path;
    const char *answer;
    const ParamSpec *params;
    int param_count;
};

int operation_count();
// Operation i, or nullptr when out of range.
const Operation *operation_at(int i);
// The index of an operation id, or -1.
int operation_index(std::string_view id);
const Operation *find_operation(std::string_view id);
// The parameter of op with this name, or nullptr.
const ParamSpec *find_param(const Operation &op, std::string_view name);

} // namespace turso::platform
