#include "retry.h"

#include <atomic>
#include <chrono>
#include <string>

namespace turso::platform {

bool is_idempotent(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
           method == "DELETE";
}

bool is_retryable(std::string_view method, long http_status, CURLcode transport) {
    switch (transport) {
    case CURLE_OK:
        if (http_status == 429) return true;
        return (http_status == 502 || http_status == 503 || http_status == 504) && is_idempotent(method);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return true;
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return is_idempotent(method);
    default:
        return false;
    }
}

std::optional<int64_t> parse_retry_after_ms(std::string_view value, int64_t now_unix) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    if (value.empty() || value.size() > 64) return std::nullopt;
    bool digits = true;
    for (char c : value)
        if (c < '0' || c > '9') digits = false;
    if (digits) {
        int64_t seconds = 0;
        for (char c : value) {
            seconds = seconds * 10 + (c - '0');
            if (seconds > kMaxRetryDelayMs / 1000) return kMaxRetryDelayMs;
        }
        return seconds * 1000;
    }
    std::string text(value);
    time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == static_cast<time_t>(-1)) return std::nullopt;
    int64_t delta = static_cast<int64_t>(when) - now_unix;
    if (delta <= 0) return 0;
    if (delta > kMaxRetryDelayMs / 1000) return kMaxRetryDelayMs;
    return delta * 1000;
}

int64_t retry_delay_ms(int failed_attempt, int32_t base_delay_ms, std::optional<int64_t> retry_after_ms,
                       uint64_t random) {
    if (retry_after_ms) return *retry_after_ms < kMaxRetryDelayMs ? *retry_after_ms : kMaxRetryDelayMs;
    int shift = failed_attempt - 1;
    if (shift < 0) shift = 0;
    if (shift > 20) shift = 20;
    int64_t delay = static_cast<int64_t>(base_delay_ms < 0 ? 0 : base_delay_ms) << shift;
    if (delay > kMaxRetryDelayMs) delay = kMaxRetryDelayMs;
    // Jitter spreads clients that failed together: a delay between half and all of the step.
    int64_t half = delay / 2;
    return half + (half > 0 ? static_cast<int64_t>(random % static_cast<uint64_t>(half + 1)) : 0);
}

uint64_t jitter_random() {
    // splitmix64 over a shared counter seeded by the clock: cheap, lock-free, good enough.
    static std::atomic<uint64_t> state{
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
    uint64_t z = state.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed) + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace turso::platform
