#include "pool.h"

#include <new>
#include <sys/socket.h>
#include <unistd.h>

namespace turso::platform {

namespace {
constexpr size_t kMaxIdleMultis = 4;

// libcurl's global state, set up once before the first handle (thread-safe since 7.84).
void global_init() {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) throw std::bad_alloc();
}

// As libcurl opens and closes its sockets, plus the count of the cache they belong to.
curl_socket_t open_socket(void *count, curlsocktype, struct curl_sockaddr *address) {
    curl_socket_t s = socket(address->family, address->socktype, address->protocol);
    if (s != CURL_SOCKET_BAD) static_cast<SocketCount *>(count)->open.fetch_add(1, std::memory_order_relaxed);
    return s;
}

int close_socket(void *count, curl_socket_t s) {
    static_cast<SocketCount *>(count)->open.fetch_sub(1, std::memory_order_relaxed);
    return close(s);
}

size_t open_sockets(const SocketCount &count) {
    int n = count.open.load(std::memory_order_relaxed);
    return n > 0 ? static_cast<size_t>(n) : 0;
}
} // namespace

HandlePool::HandlePool(int max_connections)
    : max_connections_(max_connections > 0 ? static_cast<size_t>(max_connections) : 1) {
    global_init();
    share_ = curl_share_init();
    if (!share_) throw std::bad_alloc();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &HandlePool::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &HandlePool::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    idle_.reserve(max_connections_);
    idle_multis_.reserve(kMaxIdleMultis);
}

HandlePool::~HandlePool() {
    for (BatchCache *c : idle_multis_)
        destroy(c);
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

void HandlePool::count_sockets(CURL *easy, SocketCount *count) {
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, static_cast<void *>(count));
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &close_socket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, static_cast<void *>(count));
}

void HandlePool::destroy(PooledHandle *handle) {
    if (!handle) return;
    if (handle->multi) curl_multi_cleanup(handle->multi); // closes its sockets: counts them down
    if (handle->easy) curl_easy_cleanup(handle->easy);
    delete handle;
}

void HandlePool::destroy(BatchCache *cache) {
    if (!cache) return;
    if (cache->multi) curl_multi_cleanup(cache->multi);
    delete cache;
}

void HandlePool::evict_over_budget(std::vector<PooledHandle *> &handles) {
    // Single calls' idle connections only: a batch's set is held to the limit on its own
    // (release_multi). Counting both together closed a whole set of 16 for the 17th connection
    // a single call opened after it, so every batch reconnected.
    while (idle_connections_ > max_connections_) {
        size_t oldest_handle = idle_.size();
        uint64_t oldest = UINT64_MAX;
        for (size_t i = 0; i < idle_.size(); ++i)
            if (open_sockets(idle_[i]->sockets) && idle_[i]->idle_since < oldest) {
                oldest = idle_[i]->idle_since;
                oldest_handle = i;
            }
        if (oldest_handle < idle_.size()) {
            PooledHandle *h = idle_[oldest_handle];
            handles.push_back(h);
            uncount(open_sockets(h->sockets));
            idle_.erase(idle_.begin() + static_cast<long>(oldest_handle));
        } else {
            idle_connections_ = 0; // nothing holds a socket: the count was off; start again
        }
    }
}

PooledHandle *HandlePool::acquire() {
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (!idle_.empty()) {
            // The most recently used handle that holds a connection, else the most recent: after
            // a batch the handles it used come back on top with no connection of their own
            // (theirs stay with the batch), and a call taking one of those would reconnect.
            size_t pick = idle_.size() - 1;
            for (size_t i = idle_.size(); i-- > 0;)
                if (open_sockets(idle_[i]->sockets)) {
                    pick = i;
                    break;
                }
            PooledHandle *h = idle_[pick];
            idle_.erase(idle_.begin() + static_cast<long>(pick));
            uncount(open_sockets(h->sockets));
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
    // Two connections kept per handle: the API's and the closest-region host's, so that a thread
    // alternating locations.closest with other calls does not reconnect for each.
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, 2L);
    return h;
}

void HandlePool::release(PooledHandle *handle) {
    if (!handle) return;
    std::vector<PooledHandle *> handles;
    try {
        std::lock_guard<std::mutex> guard(mutex_);
        if (idle_.size() < max_connections_) {
            handle->idle_since = ++releases_;
            idle_.push_back(handle); // capacity reserved: never throws
            idle_connections_ += open_sockets(handle->sockets);
            handle = nullptr;
            evict_over_budget(handles);
        }
    } catch (...) {
        // No room to note a victim: the budget is met at the next release.
    }
    destroy(handle);
    for (PooledHandle *h : handles)
        destroy(h);
}

BatchCache *HandlePool::acquire_multi() {
    {
        std::lock_guard<std::mutex> guard(mutex_);
        if (!idle_multis_.empty()) {
            BatchCache *c = idle_multis_.back();
            idle_multis_.pop_back();
            return c;
        }
    }
    auto *c = new BatchCache();
    c->multi = curl_multi_init();
    if (!c->multi) {
        delete c;
        throw std::bad_alloc();
    }
    return c;
}

void HandlePool::release_multi(BatchCache *cache) {
    if (!cache) return;
    {
        std::lock_guard<std::mutex> guard(mutex_);
        // Kept with at most max_connections open (the batch trims itself to that once all its
        // calls started); one with more is closed whole.
        if (idle_multis_.size() < kMaxIdleMultis && open_sockets(cache->sockets) <= max_connections_) {
            idle_multis_.push_back(cache); // capacity reserved: never throws
            cache = nullptr;
        }
    }
    destroy(cache);
}

} // namespace turso::platform
