#include "worker_pool.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace tl {

namespace {
constexpr int kWatchTickMs = 100; // how often expired parked connections are closed
} // namespace

WorkerPool::WorkerPool(size_t threads, int keep_alive_ms, std::function<void(int)> serve)
    : httplib::ThreadPool(threads), keep_alive_(keep_alive_ms), serve_(std::move(serve)) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_;
    if (epoll_ < 0 || wake_ < 0 || ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev) != 0) {
        std::string why = std::strerror(errno);
        if (epoll_ >= 0) ::close(epoll_);
        if (wake_ >= 0) ::close(wake_);
        httplib::ThreadPool::shutdown(); // the workers are running already
        throw std::runtime_error("cannot set up the connection watcher: " + why);
    }
    watcher_ = std::thread([this] { watch_parked(); });
}

WorkerPool::~WorkerPool() {
    stop_parking(); // in case cpp-httplib never called shutdown
    ::close(epoll_);
    ::close(wake_);
}

void WorkerPool::enqueue(std::function<void()> fn) {
    waiting_.fetch_add(1, std::memory_order_relaxed);
    httplib::ThreadPool::enqueue([this, fn = std::move(fn)] {
        waiting_.fetch_sub(1, std::memory_order_relaxed);
        fn();
    });
}

void WorkerPool::shutdown() {
    stop_parking(); // first: the watcher must not hand connections to stopped workers
    httplib::ThreadPool::shutdown();
}

bool WorkerPool::park(int sock) {
    std::lock_guard<std::mutex> g(mu_);
    if (stopped_) return false;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP; // a request, or the peer closing
    ev.data.fd = sock;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, sock, &ev) != 0) return false;
    parked_[sock] = Clock::now() + keep_alive_;
    return true;
}

void WorkerPool::stop_parking() {
    {
        std::lock_guard<std::mutex> g(mu_);
        if (stopped_) return;
        stopped_ = true;
        for (const auto &p : parked_) {
            ::shutdown(p.first, SHUT_RDWR);
            ::close(p.first);
        }
        parked_.clear();
    }
    uint64_t one = 1;
    ssize_t ignored = ::write(wake_, &one, sizeof one);
    (void)ignored;
    if (watcher_.joinable()) watcher_.join();
}

void WorkerPool::watch_parked() {
    epoll_event events[64];
    std::vector<int> ready;
    for (;;) {
        int n = ::epoll_wait(epoll_, events, 64, kWatchTickMs);
        ready.clear();
        {
            std::lock_guard<std::mutex> g(mu_);
            if (stopped_) return;
            for (int i = 0; i < n; ++i) {
                int fd = events[i].data.fd;
                if (fd == wake_ || parked_.erase(fd) == 0) continue;
                ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
                ready.push_back(fd);
            }
            auto now = Clock::now();
            for (auto it = parked_.begin(); it != parked_.end();) {
                if (it->second > now) {
                    ++it;
                    continue;
                }
                ::epoll_ctl(epoll_, EPOLL_CTL_DEL, it->first, nullptr);
                ::shutdown(it->first, SHUT_RDWR);
                ::close(it->first);
                it = parked_.erase(it);
            }
        }
        // Outside the lock, before shutdown can stop the workers (shutdown joins this thread first).
        for (int fd : ready)
            enqueue([this, fd] { serve_(fd); });
    }
}

} // namespace tl
