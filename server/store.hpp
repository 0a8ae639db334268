// SQLite storage: one writer connection behind a mutex, a pool of reader connections (WAL), and
// cached prepared statements on each connection.
#pragma once
#include "checkpointer.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace tl {

// A UNIQUE or other constraint failed: the dispatcher answers 409.
struct ConstraintError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Conn;

// One use of a cached prepared statement; resets and returns it to the cache when destroyed.
class Stmt {
  public:
    Stmt(Conn &conn, const std::string &sql, sqlite3_stmt *s) : conn_(&conn), sql_(&sql), s_(s) {}
    Stmt(Stmt &&o) noexcept : conn_(o.conn_), sql_(o.sql_), s_(o.s_) { o.s_ = nullptr; }
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;
    ~Stmt();

    Stmt &bind(int i, int64_t v);
    Stmt &bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt &bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
    Stmt &bind(int i, const std::string &v);
    Stmt &bind(int i, const char *v);
    Stmt &bind(int i, std::nullptr_t);
    Stmt &bind_blob(int i, const std::string &v);
    template <class... A> Stmt &args(const A &...a) {
        int i = 0;
        (bind(++i, a), ...);
        return *this;
    }

    bool step(); // true while there is a row; throws on error
    void run();  // runs to completion
    int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    bool flag(int col) const { return sqlite3_column_int64(s_, col) != 0; }
    std::string str(int col) const;
    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

  private:
    Conn *conn_;
    const std::string *sql_;
    sqlite3_stmt *s_;
};

class Conn {
  public:
    explicit Conn(const std::string &uri, bool create);
    ~Conn();
    Conn(const Conn &) = delete;
    Conn &operator=(const Conn &) = delete;

    Stmt q(const std::string &sql);
    void exec(const char *sql);
    int64_t last_id() const { return sqlite3_last_insert_rowid(db_); }
    int changes() const { return sqlite3_changes(db_); }
    sqlite3 *raw() const { return db_; }
    [[noreturn]] void raise(int rc) const;

  private:
    friend class Stmt;
    void give_back(const std::string &sql, sqlite3_stmt *s) { cache_[sql].push_back(s); }
    sqlite3 *db_ = nullptr;
    std::unordered_map<std::string, std::vector<sqlite3_stmt *>> cache_;
    std::vector<sqlite3_stmt *> all_;
};

// One read transaction around all the queries of a request: one snapshot, and the WAL read lock
// (file locks) taken once instead of once per statement. Ends (COMMIT) when destroyed.
class ReadTxn {
  public:
    explicit ReadTxn(Conn &c);
    ~ReadTxn();
    ReadTxn(const ReadTxn &) = delete;
    ReadTxn &operator=(const ReadTxn &) = delete;

  private:
    Conn &c_;
};

class Store {
  public:
    // path: a file (created mode 0600) or ":memory:".
    explicit Store(const std::string &path);
    ~Store();

    // Runs fn with the writer connection as one write request, under a savepoint of its own: an
    // exception from fn undoes fn's changes only and is rethrown. Requests that queue up while
    // one batch runs make the next batch, one transaction (group commit: one commit, each page
    // written once, for up to kMaxBatch of them); fn may run on another request's thread while
    // this one waits. write returns only once the transaction holding fn's changes has
    // committed, so a caller never answers before its change is durable and visible to readers.
    // Throws std::runtime_error when that commit failed (fn's changes are then gone too).
    void write(const std::function<void(Conn &)> &fn);

    // A reader connection for the current request (in :memory: mode, the writer under its lock).
    class Lease {
      public:
        Lease(Store &s);
        ~Lease();
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        Conn &conn() { return *conn_; }

      private:
        Store &store_;
        Conn *conn_;
    };

    bool in_memory() const { return memory_; }

  private:
    struct Writer; // a write request in the queue
    void create_schema();
    void run_batch(Writer *const *batch, size_t n);
    std::string uri_;
    bool memory_;
    std::mutex write_mu_; // the writer connection (in :memory: mode, readers too)
    Conn *writer_ = nullptr;
    std::unique_ptr<Checkpointer> checkpointer_; // file mode only
    std::mutex queue_mu_;
    std::deque<Writer *> queue_; // write requests, the one at the front leads
    std::mutex pool_mu_;
    std::vector<Conn *> idle_readers_;
    std::vector<Conn *> all_readers_;
};

int64_t now_seconds();
std::string rfc3339(int64_t unix_seconds);

} // namespace tl
