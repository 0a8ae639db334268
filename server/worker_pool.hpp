// cpp-httplib's thread pool, plus a place where idle keep-alive connections wait without holding a
// worker. cpp-httplib serves a connection on one worker for as long as it stays open, so with 64
// workers a 65th connection waited until some idle one reached its keep-alive timeout (5 s). Now
// a worker whose connection idles while other connections wait for a worker parks it here: one
// thread watches the parked connections (epoll) and hands each back to the pool when its next
// request arrives, or closes it once it has idled for the keep-alive timeout.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <httplib.h>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace tl {

class WorkerPool final : public httplib::ThreadPool {
  public:
    // serve(sock) runs on a worker for a parked connection whose next request arrived.
    WorkerPool(size_t threads, int keep_alive_ms, std::function<void(int)> serve);
    ~WorkerPool() override;
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    void enqueue(std::function<void()> fn) override;
    // Closes the parked connections, then stops the workers as cpp-httplib's pool does.
    void shutdown() override;

    // Connections (new or coming back from parking) waiting for a worker.
    int waiting() const { return waiting_.load(std::memory_order_relaxed); }

    // Takes an idle connection (nothing of its next request read yet) off its worker. False once
    // shutdown began, or if the connection cannot be watched: the caller keeps it then.
    bool park(int sock);

  private:
    using Clock = std::chrono::steady_clock;
    void watch_parked();
    void stop_parking();

    const std::chrono::milliseconds keep_alive_;
    const std::function<void(int)> serve_;
    std::atomic<int> waiting_{0};
    int epoll_ = -1;
    int wake_ = -1; // eventfd: ends watch_parked
    std::mutex mu_;
    std::unordered_map<int, Clock::time_point> parked_; // socket -> when it is closed; with mu_
    bool stopped_ = false;                              // with mu_
    std::thread watcher_;
};

} // namespace tl
