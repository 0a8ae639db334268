// libcurl handles of a client: one share (DNS cache, TLS sessions) and a pool of easy handles,
// each with its own multi handle, so that a finished call leaves its connection open for the
// next call that takes the handle (keep-alive reuse without sharing a connection cache across
// threads, which libcurl does not support).
#pragma once

#include <curl/curl.h>
#include <mutex>
#include <vector>

#include "spin.h"

namespace turso::platform {

struct PooledHandle {
    CURL *easy = nullptr;
    CURLM *multi = nullptr;  // drives `easy` for single calls, with a cancel check between polls
    bool configured = false; // the client's fixed options are set (Transfer::prepare)
    SpinPolicy spin;         // whether its single calls wait for the answer by spinning first
};

class HandlePool {
  public:
    // Keeps at most `max_idle` handles open between calls. Throws std::bad_alloc.
    explicit HandlePool(int max_idle);
    ~HandlePool();
    HandlePool(const HandlePool &) = delete;
    HandlePool &operator=(const HandlePool &) = delete;

    // A handle for one call (the most recently used one first: its connection is warmest).
    // Throws std::bad_alloc.
    PooledHandle *acquire();
    void release(PooledHandle *handle);
    // A multi handle for a batch, with the connections a previous batch left open. Its easy
    // handles must all be removed before release_multi. Throws std::bad_alloc.
    CURLM *acquire_multi();
    void release_multi(CURLM *multi);

  private:
    static void lock(CURL *, curl_lock_data data, curl_lock_access, void *self);
    static void unlock(CURL *, curl_lock_data data, void *self);
    static void destroy(PooledHandle *handle);

    CURLSH *share_ = nullptr;
    std::mutex share_locks_[CURL_LOCK_DATA_LAST];
    std::mutex mutex_;
    std::vector<PooledHandle *> idle_;
    std::vector<CURLM *> idle_multis_;
    size_t max_idle_;
};

// Releases a pooled handle at scope exit.
class HandleLease {
  public:
    explicit HandleLease(HandlePool &pool) : pool_(pool), handle_(pool.acquire()) {}
    ~HandleLease() { pool_.release(handle_); }
    HandleLease(const HandleLease &) = delete;
    HandleLease &operator=(const HandleLease &) = delete;
    PooledHandle *operator->() const { return handle_; }
    PooledHandle *get() const { return handle_; }

  private:
    HandlePool &pool_;
    PooledHandle *handle_;
};

} // namespace turso::platform
