#include "transfer.h"

#include <cstring>
#include <ctime>
#include <new>
#include <strings.h>

#include "log.h"
#include "response.h"
#include "retry.h"

namespace turso::platform {

namespace {

constexpr size_t kMaxHeaders = 256;
// libcurl bounds an answer's headers (300 KB) but not the trailers after a chunked body, which it
// keeps too: a server sending them without end grew a call by 200 MB a second until its timeout.
constexpr size_t kMaxHeaderBytes = 1 << 20;

// Sets an option; a failure here can only be memory (every value is checked beforehand).
template <typename T> void set(CURL *easy, CURLoption option, T value) {
    CURLcode rc = curl_easy_setopt(easy, option, value);
    if (rc == CURLE_OUT_OF_MEMORY) throw std::bad_alloc();
}

curl_slist *append(curl_slist *list, const std::string &line) {
    curl_slist *next = curl_slist_append(list, line.c_str());
    if (!next) {
        curl_slist_free_all(list);
        throw std::bad_alloc();
    }
    return next;
}

tp_status status_for_curl(CURLcode code) {
    switch (code) {
    case CURLE_OK:
        return TP_OK;
    case CURLE_OPERATION_TIMEDOUT:
        return TP_E_TIMEOUT;
    case CURLE_ABORTED_BY_CALLBACK:
        return TP_E_CANCELLED;
    case CURLE_FILESIZE_EXCEEDED:
        return TP_E_RESPONSE_TOO_LARGE;
    case CURLE_OUT_OF_MEMORY:
        return TP_E_NOMEM;
    case CURLE_URL_MALFORMAT:
        return TP_E_INVALID_ARGUMENT;
    // What libcurl says of a status line that is not HTTP/1.x nnn ("Received HTTP/0.9", an
    // unsupported response code): the URL's scheme was checked before anything was sent.
    case CURLE_UNSUPPORTED_PROTOCOL:
        return TP_E_BAD_RESPONSE;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return TP_E_TLS;
    default:
        return TP_E_NETWORK;
    }
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

} // namespace

HeaderLists::HeaderLists(const Options &options) {
    try {
        for (int auth = 0; auth < 2; ++auth)
            for (int kind = 0; kind < 4; ++kind) {
                curl_slist *list = append(nullptr, "Accept: application/json"); // freed by append on failure
                // The token goes only to the base URL: requests elsewhere (the region URL) never
                // carry it, and redirects are not followed, so it cannot reach another host.
                if (auth && !options.token.empty())
                    list = append(list, "Authorization: Bearer " + options.token);
                if (kind == 1) list = append(list, "Content-Type: application/json");
                if (kind == 0) list = append(list, "Content-Type:"); // libcurl's form type, for no body
                // No 100-continue round trip before a body. Without a body libcurl sends neither
                // header, and every header given is one more it compares with its own per call.
                if (kind != 3) list = append(list, "Expect:");
                lists_[auth][kind] = list;
            }
    } catch (...) {
        clear();
        throw;
    }
}

HeaderLists::~HeaderLists() {
    clear();
}

void HeaderLists::clear() {
    for (auto &row : lists_)
        for (curl_slist *&list : row) {
            curl_slist_free_all(list);
            list = nullptr;
        }
}

curl_slist *HeaderLists::get(const HttpRequest &request) const {
    int kind = request.multipart ? 2 : request.has_body ? 1 : request.method == "POST" ? 0 : 3;
    return lists_[request.with_auth ? 1 : 0][kind];
}

Transfer::Transfer(const Options &options, const HeaderLists &header_lists, const HttpRequest &request,
                   const std::atomic<bool> *batch_cancel)
    : options_(options), request_(request), batch_cancel_(batch_cancel), header_lists_(header_lists),
      timeout_ms_(request.timeout_ms > 0 ? request.timeout_ms : options.timeout_ms),
      deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_)) {
    error_buffer_[0] = '\0';
}

Transfer::~Transfer() {
    curl_mime_free(mime_);
}

bool Transfer::cancelled() const {
    return (request_.cancel && request_.cancel->is_triggered()) ||
           (batch_cancel_ && batch_cancel_->load(std::memory_order_relaxed));
}

int64_t Transfer::elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_)
        .count();
}

int64_t Transfer::ms_left() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now())
        .count();
}

size_t Transfer::on_write(char *data, size_t size, size_t count, void *self) {
    auto *t = static_cast<Transfer *>(self);
    size_t n = size * count;
    if (t->body.size() + n > static_cast<uint64_t>(t->options_.max_response_bytes)) {
        t->too_large_ = true;
        return 0; // aborts the transfer with CURLE_WRITE_ERROR
    }
    try {
        t->body.append(data, n);
    } catch (...) {
        return 0;
    }
    return n;
}

size_t Transfer::on_header(char *data, size_t size, size_t count, void *self) {
    auto *t = static_cast<Transfer *>(self);
    size_t n = size * count;
    t->header_bytes_ += n;
    if (t->header_bytes_ > kMaxHeaderBytes) {
        t->headers_too_large_ = true;
        return 0; // aborts the transfer
    }
    std::string_view line = trim(std::string_view(data, n));
    try {
        if (line.rfind("HTTP/", 0) == 0) {
            t->headers.clear(); // a new response (after a 1xx): only the last one's headers count
        } else if (!line.empty()) {
            size_t colon = line.find(':');
            std::string_view name = colon != std::string_view::npos ? trim(line.substr(0, colon)) : "";
            // Past kMaxHeaders only Retry-After is kept: the retry waits as the server asked.
            bool keep = t->headers.size() < kMaxHeaders ||
                        (name.size() == 11 && strncasecmp(name.data(), "Retry-After", 11) == 0);
            if (!name.empty() && keep)
                t->headers.emplace_back(std::string(name), std::string(trim(line.substr(colon + 1))));
        }
    } catch (...) {
        return 0;
    }
    return n;
}

int Transfer::on_progress(void *self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<Transfer *>(self)->cancelled() ? 1 : 0;
}

// libcurl silently re-sends a request whose reused connection died before any answer; for a
// POST or PATCH the server may have acted on the first one, so a second send is refused.
int Transfer::on_prereq(void *self, char *, char *, int, int) {
    auto *t = static_cast<Transfer *>(self);
    // Even when the kept connection was reset before the request went out, libcurl cannot say
    // so: its request size and upload counters stay 0 after a would-block write although TLS
    // records of the request had left (a POST received in full was sent twice), so no resend.
    if (++t->sends_ > 1 && !is_idempotent(t->request_.method)) {
        t->refused_resend_ = true;
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

void Transfer::prepare(PooledHandle &handle, SocketCount &sockets) {
    CURL *easy = handle.easy;
    curl_mime_free(mime_);
    mime_ = nullptr;
    body.clear();
    headers.clear();
    headers.reserve(8); // a typical answer's few headers, without regrowing
    too_large_ = false;
    header_bytes_ = 0;
    headers_too_large_ = false;
    sends_ = 0;
    refused_resend_ = false;
    error_buffer_[0] = '\0';
    started_ = std::chrono::steady_clock::now();

    // What is the same for every call of the client goes on a handle once: a pooled handle only
    // ever serves its own client. (curl_easy_reset and these options were 6% of a call.)
    if (!handle.configured) {
        curl_easy_reset(easy);
        set(easy, CURLOPT_NOSIGNAL, 1L);
        set(easy, CURLOPT_TCP_NODELAY, 1L);
        set(easy, CURLOPT_PROTOCOLS_STR, "http,https");
        set(easy, CURLOPT_FOLLOWLOCATION, 0L);
        set(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
        // No compression: the API's answers are small, and servers that pick brotli for them
        // (cpp-httplib, hence turso-local) spend milliseconds per answer compressing.
        set(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
        set(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
        set(easy, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
        set(easy, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
        if (!options_.ca_file.empty()) set(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
        if (!options_.proxy.empty()) set(easy, CURLOPT_PROXY, options_.proxy.c_str());
        set(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
        set(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
        set(easy, CURLOPT_XFERINFOFUNCTION, &Transfer::on_progress);
        set(easy, CURLOPT_NOPROGRESS, 0L);
        set(easy, CURLOPT_PREREQFUNCTION, &Transfer::on_prereq);
        handle.configured = true;
    }

    // This call's: every option a previous call of the handle may have set is set again.
    HandlePool::count_sockets(easy, &sockets);
    set(easy, CURLOPT_ERRORBUFFER, error_buffer_);
    set(easy, CURLOPT_URL, request_.url.c_str());
    set(easy, CURLOPT_HTTPHEADER, header_lists_.get(request_));
    // What is left of the call's timeout, rounded up so that libcurl never gives up before the
    // deadline (the retry decision then sees it passed); 0 would mean none, so at least 1 ms.
    int64_t left_us =
        std::chrono::duration_cast<std::chrono::microseconds>(deadline_ - std::chrono::steady_clock::now())
            .count();
    int64_t left_ms = (left_us + 999) / 1000;
    set(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(left_ms > 1 ? left_ms : 1));
    set(easy, CURLOPT_WRITEDATA, this);
    set(easy, CURLOPT_HEADERDATA, this);
    set(easy, CURLOPT_XFERINFODATA, this);
    set(easy, CURLOPT_PREREQDATA, this);

    const std::string &method = request_.method;
    set(easy, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    if (request_.multipart) {
        mime_ = curl_mime_init(easy);
        if (!mime_) throw std::bad_alloc();
        curl_mimepart *part = curl_mime_addpart(mime_);
        if (!part || curl_mime_name(part, "file") != CURLE_OK ||
            curl_mime_filename(part, "file") != CURLE_OK ||
            curl_mime_type(part, "application/octet-stream") != CURLE_OK ||
            curl_mime_data(part, request_.file.data(), request_.file.size()) != CURLE_OK)
            throw std::bad_alloc();
        set(easy, CURLOPT_MIMEPOST, mime_);
    } else if (request_.has_body || method == "POST") {
        set(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
        set(easy, CURLOPT_POSTFIELDS, request_.body.c_str());
    } else if (method != "HEAD") {
        set(easy, CURLOPT_HTTPGET, 1L); // also ends a previous call's POST
    }
    set(easy, CURLOPT_CUSTOMREQUEST,
        method != "GET" && method != "POST" && method != "HEAD" ? method.c_str() : nullptr);
}

AttemptOutcome Transfer::finish(CURL *easy, CURLcode code) {
    AttemptOutcome o;
    o.code = code;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &o.http_status);
    if (mime_) {
        curl_easy_setopt(easy, CURLOPT_MIMEPOST, static_cast<curl_mime *>(nullptr));
        curl_mime_free(mime_);
        mime_ = nullptr;
    }
    if (code == CURLE_OK) return o;
    if (headers_too_large_) {
        o.transport_status = TP_E_BAD_RESPONSE;
        o.message =
            "the response's headers and trailers passed " + std::to_string(kMaxHeaderBytes >> 20) + " MiB";
    } else if (too_large_ || code == CURLE_FILESIZE_EXCEEDED) {
        o.transport_status = TP_E_RESPONSE_TOO_LARGE;
        o.message = "the response is larger than the limit of " +
                    std::to_string(options_.max_response_bytes) + " bytes";
    } else if (refused_resend_) {
        o.code = CURLE_GOT_NOTHING; // what the first send got; not retried for this method
        o.transport_status = TP_E_NETWORK;
        o.message = "the connection broke before an answer came; not sent again, since the server may have "
                    "received the request";
    } else if (code == CURLE_ABORTED_BY_CALLBACK || cancelled()) {
        o.transport_status = TP_E_CANCELLED;
        o.message = "cancelled";
    } else if (code == CURLE_OPERATION_TIMEDOUT && ms_left() <= 0) {
        // libcurl would name this attempt's share of it; the caller set the whole call's.
        o.transport_status = TP_E_TIMEOUT;
        o.message = "the call's timeout of " + std::to_string(timeout_ms_) + " ms passed";
    } else {
        o.transport_status = status_for_curl(code);
        o.message = error_buffer_[0] ? error_buffer_ : curl_easy_strerror(code);
        while (!o.message.empty() && (o.message.back() == '\n' || o.message.back() == ' '))
            o.message.pop_back();
    }
    return o;
}

Result make_result(Transfer &transfer, const AttemptOutcome &outcome, int32_t attempts) {
    Result r;
    r.op = transfer.request().op;
    r.attempts = attempts;
    if (outcome.transport_status != TP_OK) {
        r.status = outcome.transport_status;
        r.message = outcome.message;
        if (outcome.transport_status == TP_E_RESPONSE_TOO_LARGE) {
            r.http_status = static_cast<int32_t>(outcome.http_status);
            r.headers = std::move(transfer.headers);
        }
        return r;
    }
    r.http_status = static_cast<int32_t>(outcome.http_status);
    ParsedResponse parsed = parse_response(outcome.http_status, transfer.body, transfer.request().answer);
    r.status = parsed.status;
    r.message = std::move(parsed.message);
    r.error_code = std::move(parsed.error_code);
    r.has_error_code = parsed.has_error_code;
    r.value = std::move(parsed.value);
    r.value_pending = parsed.value_pending;
    r.body = std::move(transfer.body);
    r.headers = std::move(transfer.headers);
    return r;
}

int64_t retry_after_attempt(const Options &options, const HttpRequest &request, const AttemptOutcome &outcome,
                            const Headers &headers, int attempt, int64_t ms_left) {
    if (attempt >= options.max_attempts) return -1;
    if (request.cancel && request.cancel->is_triggered()) return -1;
    if (outcome.transport_status == TP_E_CANCELLED || outcome.transport_status == TP_E_RESPONSE_TOO_LARGE)
        return -1;
    if (!is_retryable(request.method, outcome.http_status, outcome.code)) return -1;
    std::optional<int64_t> retry_after;
    if (outcome.code == CURLE_OK)
        for (const auto &h : headers)
            if (h.first.size() == 11 && strncasecmp(h.first.c_str(), "Retry-After", 11) == 0) {
                retry_after = parse_retry_after_ms(h.second, static_cast<int64_t>(std::time(nullptr)));
                break;
            }
    int64_t delay = retry_delay_ms(attempt, options.base_delay_ms, retry_after, jitter_random());
    return delay < ms_left ? delay : -1; // no retry the timeout would cut short before it began
}

void log_attempt_start(const Options &options, const HttpRequest &request) {
    if (log_enabled(options, TP_LOG_DEBUG))
        log_line(options, TP_LOG_DEBUG, "-> " + request.method + " " + request.url);
}

void log_attempt_end(const Options &options, const AttemptOutcome &outcome, int64_t elapsed_ms) {
    if (!log_enabled(options, TP_LOG_DEBUG)) return;
    std::string ms = " (" + std::to_string(elapsed_ms) + " ms)";
    if (outcome.transport_status == TP_OK)
        log_line(options, TP_LOG_DEBUG, "<- " + std::to_string(outcome.http_status) + ms);
    else
        log_line(options, TP_LOG_DEBUG, "<- failed: " + outcome.message + ms);
}

void log_retry(const Options &options, const HttpRequest &request, const AttemptOutcome &outcome, int attempt,
               int64_t delay_ms) {
    if (!log_enabled(options, TP_LOG_WARN)) return;
    std::string why =
        outcome.transport_status == TP_OK ? "HTTP " + std::to_string(outcome.http_status) : outcome.message;
    log_line(options, TP_LOG_WARN,
             request.method + " " + request.url + " failed (" + why + "); retrying in " +
                 std::to_string(delay_ms) + " ms (attempt " + std::to_string(attempt + 1) + " of " +
                 std::to_string(options.max_attempts) + ")");
}

} // namespace turso::platform
