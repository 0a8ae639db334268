// Fault injection for tests: latency, error statuses (with Retry-After), reset connections,
// truncated and malformed bodies. Off unless faults are added (--fault or POST /admin/faults).
#pragma once
#include "json.hpp"

#include <atomic>
#include <cstdint>
#include <httplib.h>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tl {

struct Fault {
    int64_t id = 0;
    std::string method = "*", path = "*", kind;
    int64_t latency_ms = 0, status = 500, retry_after = -1;
    double rate = 1.0;
    int64_t count = -1; // remaining firings, -1 = unlimited
    int64_t fired = 0;
};

bool glob_match(const std::string &pattern, const std::string &text);

class Faults {
  public:
    // Parses and adds a fault; throws ApiError(400) on a bad spec.
    Fault add(const cJSON *spec);
    Json list_json();
    void clear();
    bool remove(int64_t id);

    // What fires for one request: the sum of matching latencies and the first other fault.
    struct Decision {
        int64_t latency_ms = 0;
        std::optional<Fault> action;
    };
    Decision check(const std::string &method, const std::string &path);
    bool any() const { return any_.load(std::memory_order_relaxed); }

  private:
    std::mutex mu_;
    std::vector<Fault> list_;
    int64_t next_id_ = 1;
    std::atomic<bool> any_{false};
};

Json fault_json(const Fault &f);

// Answers (or breaks) the response as the fault says. local_port identifies our listening socket.
void apply_fault(const Fault &f, const httplib::Request &req, httplib::Response &res);

} // namespace tl
