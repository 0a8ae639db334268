// A client: its settings and connections, and the three ways to call (operation, raw request,
// and the prepared request both come down to).
#pragma once

#include <atomic>

#include <cstddef>
#include <string_view>

#include "operations.h"
#include "options.h"
#include "params.h"
#include "pool.h"
#include "request.h"
#include "result.h"
#include "transfer.h"

namespace turso::platform {

class Client {
  public:
    // Throws std::bad_alloc.
    explicit Client(Options options);

    const Options &options() const { return options_; }
    HandlePool &pool() { return pool_; }
    // Calls waiting on this client now: single calls, and each running batch's concurrency (the
    // spin policy's count, spin.h).
    std::atomic<int> &calls_running() { return calls_running_; }
    const HeaderLists &header_lists() const { return header_lists_; }

    // Calls an operation; argument errors come back as a TP_E_INVALID_ARGUMENT result.
    Result call(const Operation &op, const PositionalArg *args, size_t arg_count, const Params *params);
    // Sends a raw request relative to the base URL.
    Result request(std::string_view method, std::string_view path, std::string_view body, bool has_body,
                   const Params *call_params);
    // Runs a prepared request, attempt after attempt as the retry policy allows.
    Result execute(const HttpRequest &request);

  private:
    Options options_;
    HeaderLists header_lists_;
    HandlePool pool_;
    std::atomic<int> calls_running_{0};
};

// Counts `calls` among a client's running calls (Client::calls_running) while it lives: one for a
// single call, a batch's concurrency for a running batch.
class RunningCalls {
  public:
    RunningCalls(std::atomic<int> &count, int calls)
        : count_(count), calls_(calls), running_(count.fetch_add(calls) + calls) {}
    ~RunningCalls() { count_.fetch_sub(calls_); }
    RunningCalls(const RunningCalls &) = delete;
    RunningCalls &operator=(const RunningCalls &) = delete;
    int running() const { return running_; } // these included, when they started

  private:
    std::atomic<int> &count_;
    int calls_;
    int running_;
};

// Sleeps `ms`, waking early (returning false) once `cancel` is triggered.
bool sleep_unless_cancelled(int64_t ms, const Cancel *cancel);

} // namespace turso::platform
