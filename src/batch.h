// Many calls run concurrently on one libcurl multi handle, with a concurrency limit, retries,
// progress reports and cancellation from another thread. Results stay in the order added.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "client.h"

namespace turso::platform {

using ProgressFn = void (*)(void *userdata, int32_t done, int32_t total);

class Batch {
  public:
    explicit Batch(Client &client);
    ~Batch();
    Batch(const Batch &) = delete;
    Batch &operator=(const Batch &) = delete;

    // Appends a call; its arguments are checked now and a problem becomes that call's result.
    // Returns the index. Throws std::bad_alloc.
    size_t add_call(std::string_view op_id, const Params *params);
    size_t add_request(const char *method, const char *path, const char *body, size_t body_len);
    void set_concurrency(int concurrency) { concurrency_ = concurrency; }
    void set_progress(ProgressFn fn, void *userdata) {
        progress_ = fn;
        progress_userdata_ = userdata;
    }

    bool has_run() const { return ran_; }
    // TP_OK once every call ran, TP_E_CANCELLED when cancelled. Throws std::bad_alloc.
    tp_status run();
    // Safe from any thread, before, during or after run (a cancel before run is kept).
    void cancel() noexcept;

    size_t size() const { return items_.size(); }
    // After run: moves every result out, in the order added. Throws std::bad_alloc.
    std::vector<Result> take_results();

  private:
    struct Item;
    class Runner;

    size_t add_failed(const char *op, std::string message);
    void fail_unfinished(tp_status status) noexcept;
    // Every call not finished ends TP_E_CANCELLED ("cancelled"). Throws std::bad_alloc.
    void cancel_unfinished();

    Client &client_;
    std::vector<std::unique_ptr<Item>> items_;
    int concurrency_ = 16;
    ProgressFn progress_ = nullptr;
    void *progress_userdata_ = nullptr;
    bool ran_ = false;
    std::atomic<bool> cancelled_{false};
    std::mutex multi_mutex_; // guards multi_ for cancel() on other threads
    CURLM *multi_ = nullptr;
};

} // namespace turso::platform
