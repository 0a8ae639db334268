// One HTTP exchange on a libcurl easy handle: options, callbacks, and what came back. Used for
// single calls and batches alike, attempt after attempt.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <curl/curl.h>
#include <string>

#include "options.h"
#include "pool.h"
#include "request.h"
#include "result.h"

namespace turso::platform {

// The request header lists of a client, built once and shared by every call (libcurl only reads
// them): Accept, Authorization when the request goes to the base URL, Content-Type, no Expect.
class HeaderLists {
  public:
    explicit HeaderLists(const Options &options); // throws std::bad_alloc
    ~HeaderLists();
    HeaderLists(const HeaderLists &) = delete;
    HeaderLists &operator=(const HeaderLists &) = delete;
    curl_slist *get(const HttpRequest &request) const;

  private:
    void clear();
    // [with_auth][0 = POST without a body, 1 = JSON body, 2 = multipart, 3 = any other method
    // without a body: GET, HEAD, DELETE, and PUT or PATCH with nothing to send]
    curl_slist *lists_[2][4] = {};
};

struct AttemptOutcome {
    CURLcode code = CURLE_OK;
    long http_status = 0;
    tp_status transport_status = TP_OK; // TP_OK when an HTTP answer came in full
    std::string message;                // the transport's message when it failed
};

class Transfer {
  public:
    // `batch_cancel` (may be null) aborts the transfer when set, as the request's cancel does.
    // The call's timeout (the request's, else the client's) starts now and bounds every attempt
    // and every wait between them.
    Transfer(const Options &options, const HeaderLists &header_lists, const HttpRequest &request,
             const std::atomic<bool> *batch_cancel);
    ~Transfer();
    Transfer(const Transfer &) = delete;
    Transfer &operator=(const Transfer &) = delete;

    // Sets `easy` up for one attempt (resetting what a previous one left), its new connections
    // counted in `sockets` (of the multi handle it runs on). Throws std::bad_alloc.
    void prepare(PooledHandle &handle, SocketCount &sockets);
    // The attempt's outcome once libcurl finished it with `code`.
    AttemptOutcome finish(CURL *easy, CURLcode code);
    bool cancelled() const;
    // Milliseconds since prepare().
    int64_t elapsed_ms() const;
    // Milliseconds left of the call's timeout (<= 0 once it passed).
    int64_t ms_left() const;

    const HttpRequest &request() const { return request_; }
    std::string body;
    Headers headers;

  private:
    static size_t on_write(char *data, size_t size, size_t count, void *self);
    static size_t on_header(char *data, size_t size, size_t count, void *self);
    static int on_progress(void *self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
    static int on_prereq(void *self, char *, char *, int, int);

    const Options &options_;
    const HttpRequest &request_;
    const std::atomic<bool> *batch_cancel_;
    const HeaderLists &header_lists_;
    curl_mime *mime_ = nullptr;
    bool too_large_ = false;
    size_t header_bytes_ = 0;        // of this attempt, trailers included
    bool headers_too_large_ = false; // they passed kMaxHeaderBytes
    int sends_ = 0;                  // how often libcurl was about to send the request this attempt
    bool refused_resend_ = false;    // a non-idempotent request libcurl wanted to send again
    std::chrono::steady_clock::time_point started_;
    int64_t timeout_ms_;
    std::chrono::steady_clock::time_point deadline_;
    char error_buffer_[CURL_ERROR_SIZE];
};

// The result of a finished exchange: the transport failure, or the parsed answer.
Result make_result(Transfer &transfer, const AttemptOutcome &outcome, int32_t attempts);

// Whether to retry after attempt `attempt` (1-based) and after how long (ms); -1 = no retry,
// also when the wait would not end `ms_left` ms from now (the call's timeout).
int64_t retry_after_attempt(const Options &options, const HttpRequest &request, const AttemptOutcome &outcome,
                            const Headers &headers, int attempt, int64_t ms_left);

// "-> GET url", "<- 200 (12 ms)", and a warning before a retry.
void log_attempt_start(const Options &options, const HttpRequest &request);
void log_attempt_end(const Options &options, const AttemptOutcome &outcome, int64_t elapsed_ms);
void log_retry(const Options &options, const HttpRequest &request, const AttemptOutcome &outcome, int attempt,
               int64_t delay_ms);

} // namespace turso::platform
