// tp_op_*: introspection of the operations table.
#include "capi_internal.h"

#include "operations.h"

using namespace turso::platform;

namespace {
const ParamSpec *param_at(int32_t i, int32_t j) {
    const Operation *op = operation_at(i);
    if (!op || j < 0 || j >= op->param_count) return nullptr;
    return &op->params[j];
}
} // namespace

extern "C" {

TP_API int32_t tp_op_count(void) {
    return operation_count();
}

TP_API const char *tp_op_id(int32_t i) {
    const Operation *op = operation_at(i);
    return op ? op->id : nullptr;
}

TP_API const char *tp_op_method(int32_t i) {
    const Operation *op = operation_at(i);
    return op ? op->method : nullptr;
}

TP_API const char *tp_op_path(int32_t i) {
    const Operation *op = operation_at(i);
    return op ? op->path : nullptr;
}

TP_API int32_t tp_op_find(const char *op_id) {
    return op_id ? operation_index(op_id) : -1;
}

TP_API int32_t tp_op_param_count(int32_t i) {
    const Operation *op = operation_at(i);
    return op ? op->param_count : -1;
}

TP_API const char *tp_op_param_name(int32_t i, int32_t j) {
    const ParamSpec *p = param_at(i, j);
    return p ? p->name : nullptr;
}

TP_API int32_t tp_op_param_kind(int32_t i, int32_t j) {
    const ParamSpec *p = param_at(i, j);
    return p ? p->kind : -1;
}

TP_API int32_t tp_op_param_required(int32_t i, int32_t j) {
    const ParamSpec *p = param_at(i, j);
    return p ? (p->required ? 1 : 0) : -1;
}

} // extern "C"
