#include "checkpointer.hpp"

#include <stdexcept>

namespace tl {

namespace {
// SQLite's own auto-checkpoint threshold: the thread copies pages once this many are waiting.
constexpr int kStartPages = 1000;
// The WAL starts over from its beginning only when a transaction begins with every page of it
// copied, which under continuous writes a checkpoint from another thread never catches. Past
// this size (16 MB) the writer itself copies the last pages, between two transactions, and the
// next transaction starts the WAL over.
constexpr int kBackstopPages = 4000;
} // namespace

Checkpointer::Checkpointer(const std::string &uri, sqlite3 *writer) : writer_(writer) {
    int rc = sqlite3_open_v2(uri.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("cannot open the checkpoint connection: " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    // A connection learns that the file is in WAL mode when it first reads it; until then a
    // checkpoint on it does nothing at all (and says SQLITE_OK).
    char *err = nullptr;
    if (sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        sqlite3_close(db_);
        throw std::runtime_error("cannot read the database for checkpoints: " + msg);
    }
    thread_ = std::thread([this] { run(); });
    sqlite3_wal_hook(writer_, on_commit, this);
}

Checkpointer::~Checkpointer() {
    sqlite3_wal_hook(writer_, nullptr, nullptr);
    {
        std::lock_guard<std::mutex> g(mu_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close(db_);
}

// Runs in the writer's thread after each commit, with the writer's lock still held by the caller.
int Checkpointer::on_commit(void *p, sqlite3 *db, const char *schema, int wal_pages) {
    auto *self = static_cast<Checkpointer *>(p);
    int copied = self->copied_.load();
    if (wal_pages >= kBackstopPages) {
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (wal_pages >= kStartPages && (wal_pages < copied || wal_pages - copied >= kStartPages)) {
        // kStartPages new since the thread's last checkpoint (or the WAL started over since).
        {
            std::lock_guard<std::mutex> g(self->mu_);
            self->wanted_ = true;
        }
        self->wake_.notify_one();
    }
    return SQLITE_OK;
}

void Checkpointer::run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        wake_.wait(lock, [this] { return wanted_ || stop_; });
        if (stop_) return;
        wanted_ = false;
        lock.unlock();
        // PASSIVE: copies what no reader still needs, never waits for the writer or readers.
        int wal_pages = 0, copied = 0;
        if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied) ==
            SQLITE_OK)
            copied_.store(copied);
        lock.lock();
    }
}

} // namespace tl
