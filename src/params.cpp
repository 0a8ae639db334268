#include "params.h"

namespace turso::platform {

void Params::set(std::string_view name, ParamValue value) {
    for (auto &entry : values)
        if (entry.first == name) {
            entry.second = std::move(value);
            return;
        }
    values.emplace_back(std::string(name), std::move(value));
}

const ParamValue *Params::get(std::string_view name) const {
    for (const auto &entry : values)
        if (entry.first == name) return &entry.second;
    return nullptr;
}

void Params::clear() {
    values.clear();
    cancel = nullptr;
    timeout_ms = 0;
}

const char *value_kind_name(ValueKind kind) {
    switch (kind) {
    case ValueKind::String:
        return "a string";
    case ValueKind::Int:
        return "an integer";
    case ValueKind::Double:
        return "a number";
    case ValueKind::Bool:
        return "a boolean";
    case ValueKind::Null:
        return "null";
    case ValueKind::Json:
        return "JSON";
    case ValueKind::Bytes:
        return "bytes";
    }
    return "unknown";
}

} // namespace turso::platform
