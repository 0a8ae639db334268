#include "client.h"

#include <chrono>
#include <thread>

#include "log.h"
#include "transfer.h"

namespace turso::platform {

namespace {

constexpr int kPollMs = 50; // how often a running call looks at its cancel flag

// Drives one attempt on the handle's own multi handle, so that a cancel is seen within kPollMs
// whatever the transfer is doing (curl_easy_perform would only look once a second).
CURLcode perform(PooledHandle &h, Transfer &t, bool may_spin) {
    if (curl_multi_add_handle(h.multi, h.easy) != CURLM_OK) return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    bool finished = false;
    SpinWait wait(h.spin, may_spin); // see spin.h
    for (;;) {
        int running = 0;
        CURLMcode mc = curl_multi_perform(h.multi, &running);
        if (mc != CURLM_OK) {
            result = mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
            break;
        }
        int queued = 0;
        while (CURLMsg *msg = curl_multi_info_read(h.multi, &queued))
            if (msg->msg == CURLMSG_DONE) {
                result = msg->data.result;
                finished = true;
            }
        if (finished || running == 0) {
            wait.answered();
            break;
        }
        if (t.cancelled()) {
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (wait.keep_polling()) continue; // curl_multi_perform polls without waiting
        curl_multi_poll(h.multi, nullptr, 0, kPollMs, nullptr);
    }
    curl_multi_remove_handle(h.multi, h.easy);
    return result;
}

} // namespace

bool sleep_unless_cancelled(int64_t ms, const Cancel *cancel) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        if (cancel && cancel->is_triggered()) return false;
        auto now = std::chrono::steady_clock::now();
        if (now >= until) return true;
        auto step = std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(10));
        std::this_thread::sleep_for(step);
    }
}

Client::Client(Options options)
    : options_(std::move(options)), header_lists_(options_), pool_(options_.max_connections) {}

Result Client::call(const Operation &op, const PositionalArg *args, size_t arg_count, const Params *params) {
    HttpRequest request;
    std::string error;
    if (!build_operation_request(options_, op, args, arg_count, params, request, error))
        return Result::failure(TP_E_INVALID_ARGUMENT, op.id, std::move(error));
    return execute(request);
}

Result Client::request(std::string_view method, std::string_view path, std::string_view body, bool has_body,
                       const Params *call_params) {
    HttpRequest request;
    std::string error;
    if (!build_raw_request(options_, method, path, body, has_body, call_params, request, error))
        return Result::failure(TP_E_INVALID_ARGUMENT, nullptr, std::move(error));
    return execute(request);
}

Result Client::execute(const HttpRequest &request) {
    if (request.cancel && request.cancel->is_triggered())
        return Result::failure(TP_E_CANCELLED, request.op, "cancelled");
    RunningCalls running(calls_running_, 1);
    HandleLease handle(pool_);
    Transfer transfer(options_, header_lists_, request, nullptr);
    for (int attempt = 1;; ++attempt) {
        log_attempt_start(options_, request);
        transfer.prepare(*handle.get(), handle->sockets);
        AttemptOutcome outcome = transfer.finish(
            handle->easy, perform(*handle.get(), transfer, SpinPolicy::leaves_a_cpu(running.running())));
        log_attempt_end(options_, outcome, transfer.elapsed_ms());
        int64_t delay =
            retry_after_attempt(options_, request, outcome, transfer.headers, attempt, transfer.ms_left());
        if (delay >= 0) {
            log_retry(options_, request, outcome, attempt, delay);
            if (sleep_unless_cancelled(delay, request.cancel)) continue;
            Result r = Result::failure(TP_E_CANCELLED, request.op, "cancelled");
            r.attempts = attempt;
            return r;
        }
        return make_result(transfer, outcome, attempt);
    }
}

} // namespace turso::platform
