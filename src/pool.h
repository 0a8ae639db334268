// libcurl handles of a client: one share (DNS cache, TLS sessions) and a pool of easy handles,
// each with its own multi handle, so that a finished call leaves its connection open for the
// next call that takes the handle (keep-alive reuse without sharing a connection cache across
// threads, which libcurl does not support); and the multi handles of batches, whose connections
// stay open for the next batch. Single calls keep at most max_connections idle connections, and
// so does each of the (at most kMaxIdleMultis) idle batch sets.
#pragma once

#include <atomic>
#include <cstdint>
#include <curl/curl.h>
#include <mutex>
#include <vector>

#include "spin.h"

namespace turso::platform {

// Sockets open in one connection cache (a multi handle), counted by libcurl's open and close
// socket callbacks (count_sockets): what the cache keeps open once idle, exactly.
struct SocketCount {
    std::atomic<int> open{0};
};

struct PooledHandle {
    CURL *easy = nullptr;
    CURLM *multi = nullptr;  // drives `easy` for single calls, with a cancel check between polls
    bool configured = false; // the client's fixed options are set (Transfer::prepare)
    SpinPolicy spin;         // whether its single calls wait for the answer by spinning first
    SocketCount sockets;     // of `multi`: at most one (CURLMOPT_MAXCONNECTS)
    uint64_t idle_since = 0; // the pool's release count when it came back
};

// A batch's multi handle and the sockets it keeps.
struct BatchCache {
    CURLM *multi = nullptr;
    SocketCount sockets;
};

class HandlePool {
  public:
    // Keeps at most `max_connections` connections of single calls open between calls, as many
    // easy handles, and up to kMaxIdleMultis batch sets of at most that many connections each.
    // Throws std::bad_alloc.
    explicit HandlePool(int max_connections);
    ~HandlePool();
    HandlePool(const HandlePool &) = delete;
    HandlePool &operator=(const HandlePool &) = delete;

    // A handle for one call: the most recently used one that holds a connection (the warmest),
    // else the most recently used.
    // Throws std::bad_alloc.
    PooledHandle *acquire();
    void release(PooledHandle *handle);
    // A multi handle for a batch, with the connections a previous batch left open. Its easy
    // handles must all be removed before release_multi. Throws std::bad_alloc.
    BatchCache *acquire_multi();
    void release_multi(BatchCache *cache);

    // Points the socket callbacks of `easy` at `count` for the connections it opens next.
    static void count_sockets(CURL *easy, SocketCount *count);

  private:
    static void lock(CURL *, curl_lock_data data, curl_lock_access, void *self);
    static void unlock(CURL *, curl_lock_data data, void *self);
    static void destroy(PooledHandle *handle);
    static void destroy(BatchCache *cache);

    // Under mutex_: takes the least recently used idle handles out of the pool until their
    // connections fit in max_connections_; the caller destroys them after unlocking.
    void evict_over_budget(std::vector<PooledHandle *> &handles);
    void uncount(size_t sockets) {
        idle_connections_ = sockets < idle_connections_ ? idle_connections_ - sockets : 0;
    }

    CURLSH *share_ = nullptr;
    std::mutex share_locks_[CURL_LOCK_DATA_LAST];
    std::mutex mutex_;
    std::vector<PooledHandle *> idle_;
    std::vector<BatchCache *> idle_multis_;
    size_t max_connections_;
    size_t idle_connections_ = 0; // sockets of the idle handles
    uint64_t releases_ = 0;       // a clock for "least recently used"
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
