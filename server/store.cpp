#include "store.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tl {

namespace {
const char *kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orgs(
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, type TEXT NOT NULL,
  uuid TEXT NOT NULL, overages INTEGER NOT NULL DEFAULT 0, require_mfa INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS members(
  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY(org_id, user_id));
CREATE INDEX IF NOT EXISTS members_user ON members(user_id);
CREATE TABLE IF NOT EXISTS invites(
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  email TEXT NOT NULL, role TEXT NOT NULL, token TEXT NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE(org_id, email));
CREATE TABLE IF NOT EXISTS grp(
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE, name TEXT NOT NULL,
  primary_loc TEXT NOT NULL, version TEXT NOT NULL, delete_protection INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0, key BLOB NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE(org_id, name));
CREATE TABLE IF NOT EXISTS group_locations(
  group_id INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE, location TEXT NOT NULL,
  added INTEGER NOT NULL, PRIMARY KEY(group_id, location));
CREATE TABLE IF NOT EXISTS dbs(
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL REFERENCES grp(id) ON DELETE CASCADE, name TEXT NOT NULL,
  size_limit TEXT NOT NULL DEFAULT '', block_reads INTEGER NOT NULL DEFAULT 0,
  block_writes INTEGER NOT NULL DEFAULT 0, allow_attach INTEGER NOT NULL DEFAULT 0,
  delete_protection INTEGER NOT NULL DEFAULT 0, allowed_ips TEXT NOT NULL DEFAULT '[]',
  allowed_vpcs TEXT NOT NULL DEFAULT '[]', is_schema INTEGER NOT NULL DEFAULT 0,
  schema_name TEXT NOT NULL DEFAULT '', archived INTEGER NOT NULL DEFAULT 0,
  seed_bytes INTEGER NOT NULL DEFAULT 0, key BLOB NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE(org_id, name));
CREATE INDEX IF NOT EXISTS dbs_group ON dbs(group_id);
CREATE TABLE IF NOT EXISTS instances(
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, db_id INTEGER NOT NULL REFERENCES dbs(id) ON DELETE CASCADE,
  name TEXT NOT NULL, type TEXT NOT NULL, location TEXT NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE(db_id, name));
CREATE TABLE IF NOT EXISTS api_tokens(
  id INTEGER PRIMARY KEY, public_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT, kind TEXT NOT NULL,
  hash BLOB NOT NULL UNIQUE, org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE, group_name TEXT,
  scopes TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, UNIQUE(user_id, name));
CREATE TABLE IF NOT EXISTS audit_logs(
  id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  code TEXT NOT NULL, message TEXT NOT NULL, origin TEXT NOT NULL, author TEXT NOT NULL,
  data TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS audit_org ON audit_logs(org_id, id);
CREATE TABLE IF NOT EXISTS dumps(
  id TEXT PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  data BLOB NOT NULL, created_at INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');
)SQL";
} // namespace

// ---- Stmt

Stmt::~Stmt() {
    if (!s_) return;
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    conn_->give_back(*sql_, s_);
}

Stmt &Stmt::bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
}
Stmt &Stmt::bind(int i, const std::string &v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt &Stmt::bind(int i, const char *v) {
    if (!v) return bind(i, nullptr);
    sqlite3_bind_text(s_, i, v, -1, SQLITE_TRANSIENT);
    return *this;
}
Stmt &Stmt::bind(int i, std::nullptr_t) {
    sqlite3_bind_null(s_, i);
    return *this;
}
Stmt &Stmt::bind_blob(int i, const std::string &v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}

bool Stmt::step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    conn_->raise(rc);
}

void Stmt::run() {
    while (step()) {
    }
}

std::string Stmt::str(int col) const {
    const void *p = sqlite3_column_blob(s_, col);
    int n = sqlite3_column_bytes(s_, col);
    return p ? std::string(static_cast<const char *>(p), static_cast<size_t>(n)) : std::string();
}

// ---- Conn

Conn::Conn(const std::string &uri, bool create) {
    // SQLite's memory statistics take a global mutex on every allocation, which all the reader
    // threads contend for; nothing here reads them. Only possible before SQLite initializes (in a
    // process that used SQLite already, this does nothing).
    static const bool memstatus_off = [] {
        if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK) return true;
        return false;
    }();
    (void)memstatus_off;
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error("cannot open database: " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    sqlite3_extended_result_codes(db_, 1);
}

Conn::~Conn() {
    for (auto *s : all_)
        sqlite3_finalize(s);
    sqlite3_close(db_);
}

Stmt Conn::q(const std::string &sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, std::vector<sqlite3_stmt *>()).first;
    sqlite3_stmt *s = nullptr;
    if (!it->second.empty()) {
        s = it->second.back();
        it->second.pop_back();
    } else {
        int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr);
        if (rc != SQLITE_OK) raise(rc);
        all_.push_back(s);
    }
    return Stmt(*this, it->first, s);
}

void Conn::exec(const char *sql) {
    char *err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConstraintError(msg);
        throw std::runtime_error("sqlite: " + msg);
    }
}

void Conn::raise(int rc) const {
    std::string msg = sqlite3_errmsg(db_);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConstraintError(msg);
    throw std::runtime_error("sqlite: " + msg);
}

ReadTxn::ReadTxn(Conn &c) : c_(c) {
    c_.q("BEGIN").run();
}

ReadTxn::~ReadTxn() {
    if (sqlite3_get_autocommit(c_.raw())) return; // nothing open
    try {
        c_.q("COMMIT").run();
    } catch (...) {
        sqlite3_exec(c_.raw(), "ROLLBACK", nullptr, nullptr, nullptr); // never leave a snapshot open
    }
}

// ---- Store

// Brings a data file open to group or others down to 0600 (and says so on stderr).
static void tighten(int fd, const std::string &path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw std::runtime_error("cannot stat " + path + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw std::runtime_error(path + " is not a regular file");
    mode_t mode = st.st_mode & 07777;
    if ((mode & 077) == 0) return;
    if (::fchmod(fd, 0600) != 0) {
        char old[8];
        std::snprintf(old, sizeof old, "%04o", static_cast<unsigned>(mode));
        throw std::runtime_error(path + " has mode " + old +
                                 " (readable by others) and cannot be made 0600: " + std::strerror(errno) +
                                 "; fix it with chmod 600");
    }
    std::fprintf(stderr, "turso-local: %s had mode %04o; it is now 0600\n", path.c_str(),
                 static_cast<unsigned>(mode));
}

Store::Store(const std::string &path) {
    memory_ = path.empty() || path == ":memory:";
    if (memory_) {
        uri_ = ":memory:";
    } else {
        // Create the file ourselves so that it is private (0600) from the start; SQLite gives the
        // -wal and -shm files the same mode.
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
        // An existing file (or its -wal, -shm) open to group or others holds token hashes and
        // signing keys for anyone to read: tighten it to 0600, or refuse to start.
        try {
            tighten(fd, path);
            for (const char *suffix : {"-wal", "-shm"}) {
                int side = ::open((path + suffix).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
                if (side < 0) continue; // not there (yet): SQLite creates it with the file's mode
                try {
                    tighten(side, path + suffix);
                } catch (...) {
                    ::close(side);
                    throw;
                }
                ::close(side);
            }
        } catch (...) {
            ::close(fd);
            throw;
        }
        ::close(fd);
        uri_ = path;
    }
    writer_ = new Conn(uri_, true);
    try {
        if (!memory_) {
            writer_->exec("PRAGMA journal_mode=WAL");
            // WAL + NORMAL: a commit is in the WAL file (the OS has it) before we answer, so a
            // kill -9 loses nothing acknowledged; only a power loss could lose the last commits.
            writer_->exec("PRAGMA synchronous=NORMAL");
        }
        writer_->exec("PRAGMA foreign_keys=ON");
        create_schema();
        if (!memory_) checkpointer_ = std::make_unique<Checkpointer>(uri_, writer_->raw());
    } catch (...) {
        delete writer_;
        throw;
    }
}

Store::~Store() {
    checkpointer_.reset(); // it uses the writer's WAL hook
    for (auto *c : all_readers_)
        delete c;
    delete writer_;
}

void Store::create_schema() {
    writer_->exec("BEGIN IMMEDIATE");
    try {
        writer_->exec(kSchema);
        writer_->exec("COMMIT");
    } catch (...) {
        writer_->exec("ROLLBACK");
        throw;
    }
}

namespace {
constexpr size_t kMaxBatch = 32; // write requests in one transaction, at most
} // namespace

// A write request in the queue. Its fn runs on the thread that leads its batch, while the
// request's own thread waits; error carries fn's exception, or the batch's failure, back.
struct Store::Writer {
    explicit Writer(const std::function<void(Conn &)> &f) : fn(&f) {}
    const std::function<void(Conn &)> *fn;
    std::exception_ptr error;
    bool done = false;          // with queue_mu_
    std::condition_variable cv; // with queue_mu_
};

// LevelDB's writer queue: the request at the front of the queue leads. It takes the requests
// queued behind it (up to kMaxBatch), runs them all in one transaction, then wakes them and the
// next leader. The writer connection changes hands once per batch rather than once per request,
// and no thread sleeps between two requests of a batch.
void Store::write(const std::function<void(Conn &)> &fn) {
    Writer me(fn);
    std::unique_lock<std::mutex> queue_lock(queue_mu_);
    queue_.push_back(&me);
    me.cv.wait(queue_lock, [&] { return me.done || queue_.front() == &me; });
    if (!me.done) {
        Writer *batch[kMaxBatch]; // no allocation here: a throw would leave this at the front
        size_t n = std::min(queue_.size(), kMaxBatch);
        std::copy_n(queue_.begin(), n, batch);
        queue_lock.unlock();
        run_batch(batch, n);
        queue_lock.lock();
        for (size_t i = 0; i < n; ++i) {
            Writer *w = batch[i];
            queue_.pop_front();
            w->done = true;
            if (w != &me) w->cv.notify_one(); // under the lock: a woken request may free w
        }
        if (!queue_.empty()) queue_.front()->cv.notify_one();
    }
    queue_lock.unlock();
    if (me.error) std::rethrow_exception(me.error);
}

// One transaction for the batch, a savepoint for each request in it: a request that throws
// undoes its own changes only. If the transaction itself fails (BEGIN, a savepoint, COMMIT),
// nothing of the batch is kept and every request in it fails.
void Store::run_batch(Writer *const *batch, size_t n) {
    std::lock_guard<std::mutex> lock(write_mu_);
    Conn &w = *writer_;
    try {
        w.q("BEGIN IMMEDIATE").run(); // cached statements: no parsing per request
        for (size_t i = 0; i < n; ++i) {
            Writer *r = batch[i];
            w.q("SAVEPOINT request").run();
            try {
                (*r->fn)(w);
            } catch (...) {
                r->error = std::current_exception();
            }
            if (r->error) w.q("ROLLBACK TO request").run();
            w.q("RELEASE request").run();
        }
        w.q("COMMIT").run();
    } catch (const std::exception &e) {
        try {
            w.exec("ROLLBACK");
        } catch (...) {
            // Nothing left to undo: the transaction is over either way.
        }
        auto failure = std::make_exception_ptr(
            std::runtime_error(std::string("the write transaction failed: ") + e.what()));
        for (size_t i = 0; i < n; ++i)
            if (!batch[i]->error) batch[i]->error = failure; // a request's own error stays its answer
    }
}

Store::Lease::Lease(Store &s) : store_(s), conn_(nullptr) {
    if (s.memory_) {
        s.write_mu_.lock();
        conn_ = s.writer_;
        return;
    }
    {
        std::lock_guard<std::mutex> g(s.pool_mu_);
        if (!s.idle_readers_.empty()) {
            conn_ = s.idle_readers_.back();
            s.idle_readers_.pop_back();
            return;
        }
    }
    Conn *c = new Conn(s.uri_, false);
    try {
        c->exec("PRAGMA foreign_keys=ON");
        c->exec("PRAGMA query_only=ON");
    } catch (...) {
        delete c;
        throw;
    }
    std::lock_guard<std::mutex> g(s.pool_mu_);
    s.all_readers_.push_back(c);
    conn_ = c;
}

Store::Lease::~Lease() {
    if (store_.memory_) {
        store_.write_mu_.unlock();
        return;
    }
    std::lock_guard<std::mutex> g(store_.pool_mu_);
    store_.idle_readers_.push_back(conn_);
}

int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string rfc3339(int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace tl
