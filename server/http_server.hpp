// cpp-httplib's Server with turso-local's own connection loop. cpp-httplib 0.11 (Debian 12) polls
// the socket before every read and every write, writes headers and body in two sends, asks the
// kernel for both socket addresses on every request and wakes every 10 ms while a keep-alive
// connection idles: eleven system calls for a small GET. This loop keeps cpp-httplib's request
// parsing, routing and response writing (Server::process_request) and does the I/O itself: one
// poll while a connection idles, one recv per request, one send per answer. A stop wakes every
// idle connection at once through a pipe instead of the 10 ms ticks.
#pragma once
#include <atomic>
#include <cstdint>
#include <httplib.h>

#include "worker_pool.hpp"

namespace tl {

class HttpServer : public httplib::Server {
  public:
    HttpServer();
    ~HttpServer() override;
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    // cpp-httplib's, then the listen queue widened to what the system allows (they hide
    // httplib::Server's): Debian's cpp-httplib is a shared library built with a backlog of 5, so
    // a client opening 16 connections at once lost the SYNs past the sixth and waited a second
    // for TCP to send them again.
    bool bind_to_port(const std::string &host, int port);
    int bind_to_any_port(const std::string &host);

    // Serves connections on `threads` workers (a WorkerPool: idle connections give their worker
    // up while other connections wait for one). Call before listening.
    void set_worker_threads(size_t threads);

    // Sleeps ms milliseconds, or less when the server stops meanwhile (an injected latency must
    // not hold up a SIGTERM).
    void sleep_unless_stopped(int ms) const;

    // Stops listening and wakes every connection waiting for its next request (hides
    // httplib::Server::stop, which leaves them to their keep-alive timeout).
    void stop();

    // The most bytes one request may take, request line, headers and body together (cpp-httplib
    // limits only a line's length and a Content-Length body: three million headers, or a chunked
    // body of any size, were read into memory). Past it reading fails and the request ends.
    void set_request_byte_limit(size_t bytes) { request_byte_limit_ = bytes; }
    // Whether the request this thread is reading went past that limit (for the error handler,
    // which sees only the status cpp-httplib made of the failed read).
    static bool request_too_large();

  private:
    // Overrides cpp-httplib's per-connection loop (a private virtual of httplib::Server).
    bool process_and_close_socket(socket_t sock) override;

    void widen_backlog();

    std::atomic<WorkerPool *> pool_{nullptr}; // the pool serving connections, once listening
    int listen_sock_ = -1;                    // the socket cpp-httplib last created to listen on
    int stop_pipe_[2] = {-1, -1};             // readable once stop() ran
    std::atomic<bool> stopping_{false};
    size_t request_byte_limit_ = SIZE_MAX;
};

} // namespace tl
