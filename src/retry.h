// The retry policy: which failures are retried, and how long to wait before the next attempt.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <curl/curl.h>

namespace turso::platform {

inline constexpr int64_t kMaxRetryDelayMs = 60000;

// GET, HEAD, OPTIONS, PUT and DELETE may be repeated without changing the outcome.
bool is_idempotent(std::string_view method);
// Whether a failed attempt may be retried: 429 always (the service did not process it); 502,
// 503, 504 and broken connections for idempotent methods; a connection that could not be made
// at all (resolve/connect failure) for any method, since the request never left.
bool is_retryable(std::string_view method, long http_status, CURLcode transport);
// Retry-After as delta-seconds or an HTTP date, in ms from `now_unix`, capped at 60 s; nullopt
// when absent or unparsable.
std::optional<int64_t> parse_retry_after_ms(std::string_view value, int64_t now_unix);
// The wait before the attempt after `failed_attempt` (1-based): Retry-After when given, else
// base * 2^(failed_attempt-1) with jitter from `random` (half to all of it), capped at 60 s.
int64_t retry_delay_ms(int failed_attempt, int32_t base_delay_ms, std::optional<int64_t> retry_after_ms,
                       uint64_t random);
// A random value for jitter (thread-safe).
uint64_t jitter_random();

} // namespace turso::platform
