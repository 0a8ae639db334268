#include "pool.h"

#include <new>

namespace turso::platform {

namespace {
constexpr size_t kMaxIdleMultis = 4;

// libcurl's global state, set up once before the first handle (thread-safe since 7.84).
void global_init() {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) throw std::bad_alloc();
}
} // namespace

HandlePool::HandlePool(int max_idle) : max_idle_(max_idle > 0 ? static_cast<size_t>(max_idle) : 1) {
    global_init();
    share_ = curl_share_init();
    if (!share_) throw std::bad_alloc();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &HandlePool::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &HandlePool::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    idle_.reserve(max_idle_);
    idle_multis_.reserve(kMaxIdleMultis);
}

HandlePool::~HandlePool() {
    for (CURLM *m : idle_multis_)
        curl_multi_cleanup(m);
    for (PooledHandle *h : idle_)
        destroy(h);
    curl_share_cleanup(share_); // last: every easy handle using it is gone
}

void HandlePool::lock(CURL *, curl_lock_data data, curl_lock_access, void *self) {
    static_cast<HandlePool *>(self)->share_locks_[data].lock();
}

void HandlePool::unlock(CURL *, curl_lock_data data, void *self) {
    static_cast<HandlePool *>(self)->share_locks_[data].unlock();
}

void HandlePool::destroy(PooledHandle *handle) {
    if (!handle) return;
    if (handle->multi) curl_multi_cleanup(handle->multi);
    if (handle->easy) curl_easy_cleanup(handle->easy);
    delete handle;
}

PooledHandle *HandlePool::acquire() {
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (!idle_.empty()) {
            PooledHandle *h = idle_.back();
            idle_.pop_back();
            return h;
        }
    }
    auto *h = new PooledHandle();
    h->easy = curl_easy_init();
    h->multi = curl_multi_init();
    // The share survives curl_easy_reset, so it is attached once.
    if (!h->easy || !h->multi || curl_easy_setopt(h->easy, CURLOPT_SHARE, share_) != CURLE_OK) {
        destroy(h);
        throw std::bad_alloc();
    }
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, 2L);
    return h;
}

void HandlePool::release(PooledHandle *handle) {
    if (!handle) return;
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (idle_.size() < max_idle_) {
            idle_.push_back(handle); // capacity reserved: never throws
            return;
        }
    }
    destroy(handle);
}

} // namespace turso::platform

namespace turso::platform {

CURLM *HandlePool::acquire_multi() {
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (!idle_multis_.empty()) {
            CURLM *m = idle_multis_.back();
            idle_multis_.pop_back();
            return m;
        }
    }
    CURLM *m = curl_multi_init();
    if (!m) throw std::bad_alloc();
    return m;
}

void HandlePool::release_multi(CURLM *multi) {
    if (!multi) return;
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (idle_multis_.size() < kMaxIdleMultis) {
            idle_multis_.push_back(multi);
            return;
        }
    }
    curl_multi_cleanup(multi);
}

} // namespace turso::platform
