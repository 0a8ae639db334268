// Background WAL checkpoints: the pages the writer commits to the WAL are copied into the database
// file (with its two fsyncs) by a thread of its own, not inside the commit of whichever write
// request happened to cross SQLite's auto-checkpoint threshold.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sqlite3.h>
#include <string>
#include <thread>

namespace tl {

class Checkpointer {
  public:
    // Takes over the writer's WAL hook (this replaces SQLite's auto-checkpoint) and checkpoints
    // from its own connection to uri. Destroy it before the writer connection is closed.
    Checkpointer(const std::string &uri, sqlite3 *writer);
    ~Checkpointer();
    Checkpointer(const Checkpointer &) = delete;
    Checkpointer &operator=(const Checkpointer &) = delete;

  private:
    static int on_commit(void *self, sqlite3 *db, const char *schema, int wal_pages);
    void run();

    sqlite3 *writer_;
    sqlite3 *db_ = nullptr; // the checkpointing connection
    std::mutex mu_;
    std::condition_variable wake_;
    bool wanted_ = false, stop_ = false; // with mu_
    std::atomic<int> copied_{0};         // WAL pages copied by the thread's last checkpoint
    std::thread thread_;
};

} // namespace tl
