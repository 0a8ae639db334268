#include "batch.h"

#include <chrono>
#include <deque>
#include <optional>

#include "encoding.h"
#include "response.h"
#include "spin.h"
#include "transfer.h"

namespace turso::platform {

using Clock = std::chrono::steady_clock;

struct Batch::Item {
    HttpRequest request;
    Result result;
    bool done = false;
    std::unique_ptr<Transfer> transfer;
    PooledHandle *handle = nullptr; // while an attempt runs
    int attempts = 0;
    size_t index = 0;
    Clock::time_point wake;
    std::optional<AttemptOutcome> last; // of the attempt before a retry, until the retry starts
};

namespace {
constexpr int kMaxPollMs = 100;
}

Batch::Batch(Client &client) : client_(client) {}

Batch::~Batch() {
    for (auto &item : items_)
        if (item && item->handle) client_.pool().release(item->handle);
}

size_t Batch::add_failed(const char *op, std::string message) {
    auto item = std::make_unique<Item>();
    item->result = Result::failure(TP_E_INVALID_ARGUMENT, op, std::move(message));
    item->done = true;
    item->index = items_.size();
    items_.push_back(std::move(item));
    return items_.size() - 1;
}

size_t Batch::add_call(std::string_view op_id, const Params *params) {
    const Operation *op = find_operation(op_id);
    if (!op) return add_failed(nullptr, "tp_batch_add: unknown operation '" + one_line(op_id, 100) + "'");
    auto item = std::make_unique<Item>();
    std::string error;
    if (!build_operation_request(client_.options(), *op, nullptr, 0, params, item->request, error))
        return add_failed(op->id, std::move(error));
    item->index = items_.size();
    items_.push_back(std::move(item));
    return items_.size() - 1;
}

size_t Batch::add_request(const char *method, const char *path, const char *body, size_t body_len) {
    if (!method) return add_failed(nullptr, "tp_batch_add_request: method must not be NULL");
    if (!path) return add_failed(nullptr, "tp_batch_add_request: path must not be NULL");
    if (!body && body_len)
        return add_failed(nullptr, "tp_batch_add_request: body is NULL but body_len is not 0");
    auto item = std::make_unique<Item>();
    std::string error;
    if (!build_raw_request(client_.options(), method, path, std::string_view(body ? body : "", body_len),
                           body != nullptr, nullptr, item->request, error))
        return add_failed(nullptr, std::move(error));
    item->index = items_.size();
    items_.push_back(std::move(item));
    return items_.size() - 1;
}

std::vector<Result> Batch::take_results() {
    std::vector<Result> results;
    results.reserve(items_.size());
    for (auto &item : items_)
        results.push_back(std::move(item->result));
    return results;
}

void Batch::fail_unfinished(tp_status status) noexcept {
    for (auto &item : items_)
        if (!item->done) {
            item->result = Result();
            item->result.status = status;
            item->result.op = item->request.op;
            item->result.attempts = item->attempts;
            item->done = true;
        }
}

void Batch::cancel_unfinished() {
    for (auto &item : items_)
        if (!item->done) {
            int attempts = item->attempts;
            item->result = Result::failure(TP_E_CANCELLED, item->request.op, "cancelled");
            item->result.attempts = attempts;
            item->done = true;
        }
}

void Batch::cancel() noexcept {
    cancelled_.store(true);
    try {
        std::lock_guard<std::mutex> guard(multi_mutex_);
        if (multi_) curl_multi_wakeup(multi_);
    } catch (...) {
        // No lock, no wakeup: the run loop still sees the flag at its next poll timeout.
    }
}

// One run of the batch: owns the multi handle and the queues.
class Batch::Runner {
  public:
    explicit Runner(Batch &batch) : b_(batch), opts_(batch.client_.options()), pool_(batch.client_.pool()) {}

    ~Runner() {
        // Whatever is still in flight (cancel, or an exception) is detached and released.
        for (auto &item : b_.items_)
            if (item->handle) {
                curl_multi_remove_handle(multi_, item->handle->easy);
                pool_.release(item->handle);
                item->handle = nullptr;
            }
        {
            std::lock_guard<std::mutex> guard(b_.multi_mutex_);
            b_.multi_ = nullptr;
        }
        pool_.release_multi(cache_); // keeps its connections if the client's budget allows
    }

    tp_status run() {
        counted_.emplace(b_.client_.calls_running(), b_.concurrency_); // until the run ends (spin.h)
        cache_ = pool_.acquire_multi(); // connections of earlier batches stay warm in it
        multi_ = cache_->multi;
        curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(b_.concurrency_));
        {
            std::lock_guard<std::mutex> guard(b_.multi_mutex_);
            b_.multi_ = multi_;
        }
        total_ = b_.items_.size();
        for (size_t i = 0; i < total_; ++i) {
            if (b_.items_[i]->done)
                finished();
            else
                ready_.push_back(i);
        }
        while (done_ < total_ && !b_.cancelled_.load()) {
            wake_due();
            start_ready();
            keep_fewer_once_all_started();
            int still = 0;
            CURLMcode mc = curl_multi_perform(multi_, &still);
            if (mc == CURLM_OUT_OF_MEMORY) throw std::bad_alloc();
            int queued = 0;
            while (CURLMsg *msg = curl_multi_info_read(multi_, &queued))
                if (msg->msg == CURLMSG_DONE) {
                    Item *item = nullptr;
                    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char **>(&item));
                    if (item) complete(*item, msg->data.result);
                }
            if (done_ >= total_) break;
            // Room for more and calls waiting to start: start them now. Polling first would
            // sleep up to kMaxPollMs with nothing in flight (100 ms per call at concurrency 1).
            if (running_ < static_cast<size_t>(b_.concurrency_) && !ready_.empty()) continue;
            if (spin_for_answers()) continue;
            curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(), nullptr);
        }
        if (done_ >= total_) return TP_OK;
        b_.cancel_unfinished();
        return TP_E_CANCELLED;
    }

  private:
    // With fewer calls waiting on the client than CPUs (this batch's concurrency, other batches',
    // single calls), an answer is first waited for by polling without sleeping, as single calls
    // do (spin.h). True while the loop should go on polling that way.
    bool spin_for_answers() {
        if (wait_ && done_ != done_when_wait_began_) { // an answer came while it polled
            wait_->answered();
            wait_.reset();
        }
        if (running_ == 0) return false;
        if (!wait_) {
            wait_.emplace(spin_, SpinPolicy::leaves_a_cpu(b_.client_.calls_running().load()));
            done_when_wait_began_ = done_;
        }
        if (wait_->keep_polling()) return true;
        wait_.reset(); // it sleeps now; the next wait begins after it
        return false;
    }

    // Once every call has started, each one that ends closes its connection while more stay open
    // than the client keeps between calls (tp_options_set_max_connections), so that the batch
    // ends with connections the pool can keep rather than too many, all closed.
    void keep_fewer_once_all_started() {
        if (trimming_ || !ready_.empty() || !waiting_.empty()) return;
        int32_t keep = opts_.max_connections < b_.concurrency_ ? opts_.max_connections : b_.concurrency_;
        curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(keep));
        trimming_ = true;
    }

    void finished() {
        ++done_;
        if (b_.progress_)
            b_.progress_(b_.progress_userdata_, static_cast<int32_t>(done_), static_cast<int32_t>(total_));
    }

    void finish_cancelled(Item &item) {
        item.result = Result::failure(TP_E_CANCELLED, item.request.op, "cancelled");
        item.result.attempts = item.attempts;
        item.transfer.reset();
        item.done = true;
        finished();
    }

    void wake_due() {
        if (waiting_.empty()) return;
        auto now = Clock::now();
        for (size_t i = 0; i < waiting_.size();) {
            Item &item = *b_.items_[waiting_[i]];
            if (item.wake <= now || (item.request.cancel && item.request.cancel->is_triggered())) {
                ready_.push_front(waiting_[i]); // a retry goes before calls not yet started
                waiting_.erase(waiting_.begin() + static_cast<long>(i));
            } else {
                ++i;
            }
        }
    }

    void start_ready() {
        while (running_ < static_cast<size_t>(b_.concurrency_) && !ready_.empty()) {
            Item &item = *b_.items_[ready_.front()];
            ready_.pop_front();
            if (item.request.cancel && item.request.cancel->is_triggered()) {
                finish_cancelled(item);
                continue;
            }
            // A retry whose wait ended in time but found no free slot until the call's timeout
            // passed is not sent: the call ends with the answer it had, as a single call would.
            if (item.last && item.transfer->ms_left() <= 0) {
                finish(item, *item.last);
                continue;
            }
            item.last.reset();
            if (!item.transfer)
                item.transfer = std::make_unique<Transfer>(opts_, b_.client_.header_lists(), item.request,
                                                           &b_.cancelled_);
            item.handle = pool_.acquire();
            log_attempt_start(opts_, item.request);
            item.transfer->prepare(*item.handle, cache_->sockets);
            curl_easy_setopt(item.handle->easy, CURLOPT_PRIVATE, static_cast<void *>(&item));
            ++item.attempts;
            if (curl_multi_add_handle(multi_, item.handle->easy) != CURLM_OK) {
                pool_.release(item.handle);
                item.handle = nullptr;
                throw std::bad_alloc();
            }
            ++running_;
        }
    }

    void complete(Item &item, CURLcode code) {
        curl_multi_remove_handle(multi_, item.handle->easy);
        --running_;
        AttemptOutcome outcome = item.transfer->finish(item.handle->easy, code);
        log_attempt_end(opts_, outcome, item.transfer->elapsed_ms());
        pool_.release(item.handle);
        item.handle = nullptr;
        int64_t delay = b_.cancelled_.load()
                            ? -1
                            : retry_after_attempt(opts_, item.request, outcome, item.transfer->headers,
                                                  item.attempts, item.transfer->ms_left());
        if (delay >= 0) {
            log_retry(opts_, item.request, outcome, item.attempts, delay);
            item.wake = Clock::now() + std::chrono::milliseconds(delay);
            item.last = std::move(outcome);
            waiting_.push_back(item.index);
            return;
        }
        if (outcome.transport_status == TP_E_CANCELLED) {
            finish_cancelled(item);
            return;
        }
        finish(item, outcome);
    }

    // The call's result from its last attempt (the transfer still holds that answer).
    void finish(Item &item, const AttemptOutcome &outcome) {
        item.result = make_result(*item.transfer, outcome, item.attempts);
        item.last.reset(); // after: `outcome` may be it
        // Kept until the batch is freed: its headers without the room reserved for a longer answer
        // (8 of 64 bytes; a typical answer has 3-5).
        item.result.headers.shrink_to_fit();
        item.transfer.reset();
        item.done = true;
        finished();
    }

    int poll_timeout_ms() const {
        int timeout = kMaxPollMs;
        if (!waiting_.empty()) {
            auto now = Clock::now();
            for (size_t i : waiting_) {
                auto left =
                    std::chrono::duration_cast<std::chrono::milliseconds>(b_.items_[i]->wake - now).count();
                if (left < timeout) timeout = left < 0 ? 0 : static_cast<int>(left);
            }
        }
        return timeout;
    }

    Batch &b_;
    const Options &opts_;
    HandlePool &pool_;
    BatchCache *cache_ = nullptr;
    CURLM *multi_ = nullptr; // cache_'s
    bool trimming_ = false;  // keep_fewer_once_all_started did its part
    std::optional<RunningCalls> counted_;
    SpinPolicy spin_;
    std::optional<SpinWait> wait_;
    size_t done_when_wait_began_ = 0;
    std::deque<size_t> ready_;
    std::vector<size_t> waiting_;
    size_t running_ = 0, done_ = 0, total_ = 0;
};

tp_status Batch::run() {
    ran_ = true;
    try {
        // A cancel that came first is kept: the thread that cancels cannot know whether the run
        // began. Nothing is sent, and the run says so even when every call had failed when added.
        if (cancelled_.load()) {
            cancel_unfinished();
            return TP_E_CANCELLED;
        }
        Runner runner(*this);
        return runner.run();
    } catch (const std::bad_alloc &) {
        fail_unfinished(TP_E_NOMEM);
        throw;
    } catch (...) {
        fail_unfinished(TP_E_INTERNAL);
        throw;
    }
}

} // namespace turso::platform
