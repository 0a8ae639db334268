#include "operations.h"

#include <cstring>

namespace turso::platform {

#include "operations_table.inc"

static constexpr int kCount = static_cast<int>(sizeof kOperations / sizeof kOperations[0]);

int operation_count() {
    return kCount;
}

const Operation *operation_at(int i) {
    return i >= 0 && i < kCount ? &kOperations[i] : nullptr;
}

int operation_index(std::string_view id) {
    // ~80 entries: a linear scan of short strings is faster than building a map.
    for (int i = 0; i < kCount; ++i)
        if (id == kOperations[i].id) return i;
    return -1;
}

const Operation *find_operation(std::string_view id) {
    return operation_at(operation_index(id));
}

const ParamSpec *find_param(const Operation &op, std::string_view name) {
    for (int j = 0; j < op.param_count; ++j)
        if (name == op.params[j].name) return &op.params[j];
    return nullptr;
}

} // namespace turso::platform
