#include "faults.hpp"

#include "api.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <cmath>
#include <dirent.h>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace tl {

bool glob_match(const std::string &pattern, const std::string &text) {
    size_t p = 0, t = 0, star = std::string::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

static int64_t int_field(const cJSON *spec, const char *key, int64_t dflt, int64_t lo, int64_t hi) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, key);
    if (!v || cJSON_IsNull(v)) return dflt;
    if (!cJSON_IsNumber(v) || v->valuedouble != std::floor(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi)
        fail(400, std::string("fault field '") + key + "' must be an integer in [" + std::to_string(lo) +
                      ", " + std::to_string(hi) + "]");
    return static_cast<int64_t>(v->valuedouble);
}

static std::string str_field(const cJSON *spec, const char *key, const std::string &dflt) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, key);
    if (!v || cJSON_IsNull(v)) return dflt;
    if (!cJSON_IsString(v) || !*v->valuestring)
        fail(400, std::string("fault field '") + key + "' must be a string");
    return v->valuestring;
}

Fault Faults::add(const cJSON *spec) {
    if (!cJSON_IsObject(spec)) fail(400, "a fault is a JSON object");
    Fault f;
    f.method = str_field(spec, "method", "*");
    for (auto &c : f.method)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    f.path = str_field(spec, "path", "*");
    f.kind = str_field(spec, "kind", "");
    if (f.kind != "latency" && f.kind != "status" && f.kind != "reset" && f.kind != "truncate" &&
        f.kind != "malformed")
        fail(400, "fault 'kind' must be one of latency, status, reset, truncate, malformed");
    f.latency_ms = int_field(spec, "latency_ms", 0, 0, 600000);
    f.status = int_field(spec, "status", f.kind == "status" ? 500 : 200, 100, 599);
    f.retry_after = int_field(spec, "retry_after", -1, 0, 86400);
    f.count = int_field(spec, "count", -1, 1, INT64_C(1) << 40);
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(spec, "rate");
    if (rate && !cJSON_IsNull(rate)) {
        if (!cJSON_IsNumber(rate) || !(rate->valuedouble >= 0 && rate->valuedouble <= 1))
            fail(400, "fault field 'rate' must be a number in [0, 1]");
        f.rate = rate->valuedouble;
    }
    std::lock_guard<std::mutex> g(mu_);
    f.id = next_id_++;
    list_.push_back(f);
    any_ = true;
    return f;
}

Json fault_json(const Fault &f) {
    Json j = json_object();
    cJSON *p = j.get();
    jint(p, "id", f.id);
    jstr(p, "method", f.method);
    jstr(p, "path", f.path);
    jstr(p, "kind", f.kind);
    jint(p, "latency_ms", f.latency_ms);
    jint(p, "status", f.status);
    if (f.retry_after >= 0) jint(p, "retry_after", f.retry_after);
    cJSON_AddNumberToObject(p, "rate", f.rate);
    if (f.count >= 0)
        jint(p, "count", f.count);
    else
        jnull(p, "count");
    jint(p, "fired", f.fired);
    return j;
}

Json Faults::list_json() {
    Json arr = json_array();
    std::lock_guard<std::mutex> g(mu_);
    for (const auto &f : list_)
        jpush(arr.get(), fault_json(f));
    return jwrap("faults", std::move(arr));
}

void Faults::clear() {
    std::lock_guard<std::mutex> g(mu_);
    list_.clear();
    any_ = false;
}

bool Faults::remove(int64_t id) {
    std::lock_guard<std::mutex> g(mu_);
    for (auto it = list_.begin(); it != list_.end(); ++it)
        if (it->id == id) {
            list_.erase(it);
            any_ = !list_.empty();
            return true;
        }
    return false;
}

Faults::Decision Faults::check(const std::string &method, const std::string &path) {
    Decision d;
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::lock_guard<std::mutex> g(mu_);
    for (auto &f : list_) {
        if (f.count == 0) continue;
        if (f.method != "*" && f.method != method) continue;
        if (!glob_match(f.path, path)) continue;
        if (f.kind != "latency" && d.action) continue;
        if (f.rate < 1.0 && std::uniform_real_distribution<double>(0, 1)(rng) >= f.rate) continue;
        if (f.count > 0) --f.count;
        ++f.fired;
        if (f.kind == "latency")
            d.latency_ms += f.latency_ms;
        else
            d.action = f;
    }
    return d;
}

// The connection's socket: the one whose local and peer ports are this request's.
static int find_socket(const httplib::Request &req) {
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) return -1;
    int found = -1;
    while (dirent *e = readdir(dir)) {
        char *end;
        long fd = std::strtol(e->d_name, &end, 10);
        if (*end || fd < 0 || fd == dirfd(dir)) continue;
        sockaddr_storage local{}, peer{};
        socklen_t ll = sizeof local, pl = sizeof peer;
        if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr *>(&local), &ll) != 0) continue;
        if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr *>(&peer), &pl) != 0) continue;
        auto port = [](const sockaddr_storage &a) -> int {
            if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in &>(a).sin_port);
            if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6 &>(a).sin6_port);
            return -1;
        };
        if (port(local) == req.local_port && port(peer) == req.remote_port) {
            found = static_cast<int>(fd);
            break;
        }
    }
    closedir(dir);
    return found;
}

void apply_fault(const Fault &f, const httplib::Request &req, httplib::Response &res) {
    if (f.kind == "status") {
        res.status = static_cast<int>(f.status);
        if (f.retry_after >= 0) res.set_header("Retry-After", std::to_string(f.retry_after));
        res.set_content("{\"error\":\"injected fault: status " + std::to_string(f.status) + "\"}",
                        "application/json");
    } else if (f.kind == "malformed") {
        res.status = 200;
        res.set_content("{\"this is\": not JSON <html>", "application/json");
    } else if (f.kind == "truncate" || f.kind == "reset") {
        if (f.kind == "reset") {
            int fd = find_socket(req);
            int pair[2];
            if (fd >= 0 && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0) {
                // Abort the TCP connection (RST, nothing answered) while httplib keeps a valid
                // descriptor number: it writes into a dead socketpair and closes that instead.
                linger lg{1, 0};
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
                close(pair[1]);
                dup2(pair[0], fd);
                close(pair[0]);
                res.status = 500;
                res.set_content("", "text/plain");
                return;
            }
        }
        // Promise more bytes than are sent, then give up: httplib closes the connection.
        std::string body = "{\"databases\": [{\"Name\": \"trunc";
        size_t promised = body.size() + 64;
        res.status = 200;
        res.set_content_provider(promised, "application/json",
                                 [body, f](size_t offset, size_t, httplib::DataSink &sink) {
                                     if (offset == 0 && f.kind == "truncate")
                                         sink.write(body.data(), body.size());
                                     return false;
                                 });
    }
}

} // namespace tl
