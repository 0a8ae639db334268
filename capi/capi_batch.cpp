// tp_batch_*: many calls at once.
#include "capi_internal.h"

#include <climits>

using namespace turso::platform;
using turso::platform::capi::guard;

extern "C" {

TP_API tp_status tp_batch_new(tp_client *client, tp_batch **out) {
    if (!out) return TP_E_INVALID_ARGUMENT;
    *out = nullptr;
    if (!client) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        *out = new tp_batch(client->client);
        return TP_OK;
    });
}

TP_API void tp_batch_free(tp_batch *batch) {
    delete batch;
}

TP_API tp_status tp_batch_add(tp_batch *batch, const char *op_id, const tp_params *params,
                              int32_t *index_out) {
    if (!batch || !op_id || batch->batch.has_run() || batch->batch.size() >= INT32_MAX)
        return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        size_t index = batch->batch.add_call(op_id, params ? &params->params : nullptr);
        if (index_out) *index_out = static_cast<int32_t>(index);
        return TP_OK;
    });
}

TP_API tp_status tp_batch_add_request(tp_batch *batch, const char *method, const char *path, const char *body,
                                      size_t body_len, int32_t *index_out) {
    if (!batch || batch->batch.has_run() || batch->batch.size() >= INT32_MAX) return TP_E_INVALID_ARGUMENT;
    return guard([&] {
        size_t index = batch->batch.add_request(method, path, body, body_len);
        if (index_out) *index_out = static_cast<int32_t>(index);
        return TP_OK;
    });
}

TP_API tp_status tp_batch_set_concurrency(tp_batch *batch, int32_t concurrency) {
    if (!batch || concurrency < 1 || concurrency > 1024) return TP_E_INVALID_ARGUMENT;
    batch->batch.set_concurrency(concurrency);
    return TP_OK;
}

TP_API tp_status tp_batch_set_progress(tp_batch *batch, tp_progress_fn fn, void *userdata) {
    if (!batch) return TP_E_INVALID_ARGUMENT;
    batch->batch.set_progress(fn, userdata);
    return TP_OK;
}

TP_API tp_status tp_batch_run(tp_batch *batch) {
    if (!batch || batch->batch.has_run()) return TP_E_INVALID_ARGUMENT;
    tp_status status = guard([&] { return batch->batch.run(); });
    // The results move into tp_result handles; if that fails they read as NULL.
    guard([&] {
        std::vector<Result> results = batch->batch.take_results();
        batch->results.resize(results.size());
        for (size_t i = 0; i < results.size(); ++i)
            batch->results[i].result = std::move(results[i]);
        return TP_OK;
    });
    return status;
}

TP_API void tp_batch_cancel(tp_batch *batch) {
    if (batch) batch->batch.cancel();
}

TP_API int32_t tp_batch_size(const tp_batch *batch) {
    return batch ? static_cast<int32_t>(batch->batch.size()) : 0;
}

TP_API const tp_result *tp_batch_result(const tp_batch *batch, int32_t index) {
    if (!batch || index < 0) return nullptr;
    size_t i = static_cast<size_t>(index);
    return i < batch->results.size() ? &batch->results[i] : nullptr;
}

} // extern "C"
