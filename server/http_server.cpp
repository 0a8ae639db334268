#include "http_server.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace tl {

namespace {

int to_ms(time_t sec, time_t usec) {
    return static_cast<int>(sec * 1000 + usec / 1000);
}

// An idle connection checks this often whether other connections wait for its worker.
constexpr int kIdleSliceMs = 50;

thread_local bool t_request_too_large = false;

// One connection's I/O for cpp-httplib's request parser and response writer. Reads come from a
// buffer that lives as long as the connection (so bytes of a pipelined next request are kept);
// writes collect in a buffer sent by flush() once the answer is complete.
class ConnectionStream final : public httplib::Stream {
  public:
    ConnectionStream(int sock, int stop_fd, int read_timeout_ms, int write_timeout_ms, size_t byte_limit)
        : sock_(sock), stop_fd_(stop_fd), read_timeout_ms_(read_timeout_ms),
          write_timeout_ms_(write_timeout_ms), byte_limit_(byte_limit) {
        out_.reserve(4096);
    }

    bool is_readable() const override { return in_off_ < in_len_ || wait(POLLIN, read_timeout_ms_); }
    bool is_writable() const override { return !write_failed_; }

    ssize_t read(char *ptr, size_t size) override {
        if (read_ >= byte_limit_) {
            t_request_too_large = true;
            return -1;
        }
        size = std::min(size, byte_limit_ - read_);
        ssize_t n;
        if (in_off_ < in_len_ || size < sizeof in_) {
            if (in_off_ == in_len_) {
                ssize_t got = receive(in_, sizeof in_);
                if (got <= 0) return got;
                in_off_ = 0;
                in_len_ = static_cast<size_t>(got);
            }
            n = static_cast<ssize_t>(std::min(size, in_len_ - in_off_));
            std::memcpy(ptr, in_ + in_off_, static_cast<size_t>(n));
            in_off_ += static_cast<size_t>(n);
        } else {
            n = receive(ptr, size); // a large body goes straight through
            if (n <= 0) return n;
        }
        read_ += static_cast<size_t>(n);
        return n;
    }

    ssize_t write(const char *ptr, size_t size) override {
        if (write_failed_) return -1;
        if (head_pending_ && size >= 10 && std::memcmp(ptr, "HTTP/1.1 1", 10) == 0) {
            // An interim answer (100 Continue): the client waits for it before it sends the
            // body, so it goes out now, and the next write is still the answer's head.
            out_.append(ptr, size);
            return flush() ? static_cast<ssize_t>(size) : -1;
        }
        if (head_pending_) { // cpp-httplib writes an answer's status line and headers at once
            head_pending_ = false;
            std::string_view head(ptr, size);
            size_t end = head.find("\r\n\r\n");
            if (end != std::string_view::npos) head = head.substr(0, end + 2);
            close_after_ = head.find("\r\nConnection: close\r\n") != std::string_view::npos;
        }
        out_.append(ptr, size);
        if (out_.size() >= kFlushAt && !flush()) return -1;
        return static_cast<ssize_t>(size);
    }

    void get_remote_ip_and_port(std::string &ip, int &port) const override {
        if (remote_port_ < 0) address(getpeername, remote_ip_, remote_port_);
        ip = remote_ip_;
        port = remote_port_;
    }

    void get_local_ip_and_port(std::string &ip, int &port) const override {
        if (local_port_ < 0) address(getsockname, local_ip_, local_port_);
        ip = local_ip_;
        port = local_port_;
    }

    socket_t socket() const override { return sock_; }

    // Before each request: the next write is an answer's head.
    void begin_answer() {
        head_pending_ = true;
        close_after_ = false;
        read_ = 0;
        t_request_too_large = false;
    }
    // Whether the answer said "Connection: close". Turso-local says so when part of a request
    // stays unread (a GET's body, cpp-httplib's 400s): what follows must not be taken for the
    // next request.
    bool close_after() const { return close_after_; }

    // Waits until the next request's first bytes (or the end of the connection) are there.
    // False on timeout or when the server stops.
    bool wait_for_request(int timeout_ms) const { return in_off_ < in_len_ || wait(POLLIN, timeout_ms); }
    // Nothing of a next request read yet: the connection can change hands.
    bool nothing_buffered() const { return in_off_ == in_len_; }

    // Sends what the answer wrote. False when the peer is gone or stalls past the write timeout.
    bool flush() {
        size_t sent = 0;
        while (!write_failed_ && sent < out_.size()) {
            ssize_t n = ::send(sock_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                sent += static_cast<size_t>(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!wait(POLLOUT, write_timeout_ms_)) write_failed_ = true;
            } else {
                write_failed_ = true;
            }
        }
        out_.clear();
        return !write_failed_;
    }

  private:
    static constexpr size_t kFlushAt = 64 * 1024;

    // Polls the socket for events and the stop pipe: true when the socket is ready first.
    bool wait(short events, int timeout_ms) const {
        pollfd fds[2] = {{sock_, events, 0}, {stop_fd_, POLLIN, 0}};
        for (;;) {
            int n = ::poll(fds, 2, timeout_ms);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0 || fds[1].revents) return false;
            return fds[0].revents != 0;
        }
    }

    ssize_t receive(char *buf, size_t len) {
        for (;;) {
            ssize_t n = ::recv(sock_, buf, len, MSG_DONTWAIT);
            if (n >= 0) return n;
            if (errno == EINTR) continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait(POLLIN, read_timeout_ms_)) return -1;
        }
    }

    void address(int (*get)(int, sockaddr *, socklen_t *), std::string &ip, int &port) const {
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        char text[INET6_ADDRSTRLEN] = "";
        port = 0;
        if (get(sock_, reinterpret_cast<sockaddr *>(&addr), &len) != 0) return;
        if (addr.ss_family == AF_INET) {
            auto *in = reinterpret_cast<const sockaddr_in *>(&addr);
            inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
            port = ntohs(in->sin_port);
        } else if (addr.ss_family == AF_INET6) {
            auto *in6 = reinterpret_cast<const sockaddr_in6 *>(&addr);
            inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
            port = ntohs(in6->sin6_port);
        }
        ip = text;
    }

    int sock_, stop_fd_, read_timeout_ms_, write_timeout_ms_;
    size_t byte_limit_, read_ = 0; // of this request
    char in_[16 * 1024];
    size_t in_off_ = 0, in_len_ = 0;
    std::string out_;
    bool write_failed_ = false, head_pending_ = false, close_after_ = false;
    mutable std::string remote_ip_, local_ip_;
    mutable int remote_port_ = -1, local_port_ = -1;
};

enum class Next { request, park, close };

// Waits for the next request on a keep-alive connection, up to keep_alive_ms, in slices. While
// other connections wait for a worker, the connection is to be parked instead: at once once this
// worker served it a request (so that busy connections take turns with waiting ones; never
// before, or workers could hand connections around without serving any), else after a slice idle.
Next next_request(const ConnectionStream &strm, const WorkerPool *pool, int keep_alive_ms,
                  const std::atomic<bool> &stopping, bool served) {
    auto others_wait = [&] { return pool && pool->waiting() > 0 && strm.nothing_buffered(); };
    if (served && others_wait()) return Next::park;
    for (int left = keep_alive_ms;;) {
        int slice = std::min(left, kIdleSliceMs);
        if (strm.wait_for_request(slice)) return Next::request;
        left -= slice;
        if (stopping.load() || left <= 0) return Next::close;
        if (others_wait()) return Next::park;
    }
}

} // namespace

bool HttpServer::request_too_large() {
    return t_request_too_large;
}

void HttpServer::set_worker_threads(size_t threads) {
    new_task_queue = [this, threads] {
        auto *pool = new WorkerPool(threads, to_ms(keep_alive_timeout_sec_, 0),
                                    [this](int sock) { process_and_close_socket(sock); });
        pool_.store(pool);
        return pool;
    };
}

HttpServer::HttpServer() {
    if (::pipe2(stop_pipe_, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    // Called for each socket cpp-httplib tries, just before bind: the last one is the listener.
    set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        listen_sock_ = sock;
    });
}

bool HttpServer::bind_to_port(const std::string &host, int port) {
    if (!httplib::Server::bind_to_port(host, port)) return false;
    widen_backlog();
    return true;
}

int HttpServer::bind_to_any_port(const std::string &host) {
    int port = httplib::Server::bind_to_any_port(host);
    if (port > 0) widen_backlog();
    return port;
}

void HttpServer::widen_backlog() {
    // listen() again on a listening socket only changes its backlog (the kernel caps it at
    // net.core.somaxconn). Should it fail, the server still works, with cpp-httplib's backlog.
    if (listen_sock_ >= 0 && ::listen(listen_sock_, SOMAXCONN) != 0)
        std::fprintf(stderr, "turso-local: cannot widen the listen queue: %s\n", std::strerror(errno));
}

HttpServer::~HttpServer() {
    stop(); // the connections poll the pipe: they must be gone before it closes
    for (int fd : stop_pipe_)
        if (fd >= 0) ::close(fd);
}

void HttpServer::sleep_unless_stopped(int ms) const {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0 || stopping_.load()) return;
        pollfd p{stop_pipe_[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) > 0) return; // faults cap ms at 600,000
    }
}

void HttpServer::stop() {
    // Written once and never read: the pipe stays readable for every connection's poll.
    if (!stopping_.exchange(true)) {
        ssize_t ignored = ::write(stop_pipe_[1], "x", 1);
        (void)ignored;
    }
    httplib::Server::stop();
}

bool HttpServer::process_and_close_socket(socket_t sock) {
    static const std::function<void(httplib::Request &)> no_setup;
    bool ok = false;
    {
        ConnectionStream strm(sock, stop_pipe_[0], to_ms(read_timeout_sec_, read_timeout_usec_),
                              to_ms(write_timeout_sec_, write_timeout_usec_), request_byte_limit_);
        WorkerPool *pool = pool_.load();
        for (size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
            bool served = left != keep_alive_max_count_;
            Next next = next_request(strm, pool, to_ms(keep_alive_timeout_sec_, 0), stopping_, served);
            // Parked, the connection comes back to a worker (this function) with its next request.
            if (next == Next::park && pool->park(sock)) return true;
            if (next != Next::request) break;
            bool connection_closed = false;
            strm.begin_answer();
            ok = process_request(strm, left == 1, connection_closed, no_setup);
            // Even after a failure: a truncated answer (a fault) is sent as far as it got.
            if (!strm.flush()) ok = false;
            if (!ok || connection_closed || strm.close_after()) break;
        }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

} // namespace tl
