// libFuzzer target: turso-local's request handling (LocalServer::handle, the entry every HTTP
// request goes through) with synthetic requests: any method, raw path, query, Authorization
// header and body. Faults and /admin stay off, so every answer comes from the routes.
// Input: [method][auth][path length][path][query length][query][body].
// Properties: never a 5xx (an internal error is a bug: bad input must get a 4xx), a status in
// range, and a body that is JSON whenever there is one.
#include <cJSON.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <httplib.h>

#include "server.hpp"

#define REQUIRE(cond, ...)                                                                    \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "property failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
            std::fprintf(stderr, __VA_ARGS__);                                                \
            std::fputc('\n', stderr);                                                         \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)

static const char *const kToken = "fuzz-server-token";
static tl::LocalServer *server;

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding, as an HTTP server does before routing (req.path holds the decoded path).
static std::string decode(const std::string &s, bool plus_is_space) {
    std::string out;
    for (size_t i = 0; i < s.size(); i++) {
        if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else if (plus_is_space && s[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    tl::Options o;
    o.data = ":memory:";
    o.token = kToken;
    server = new tl::LocalServer(o); // lives for the whole run: state accumulates, as in a real server
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3) return 0;
    static const char *const methods[] = {"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS", "get"};
    size_t at = 0;
    std::string method = methods[data[at++] % 8];
    uint8_t auth = data[at++];
    size_t plen = data[at++];
    if (at + plen > size) return 0;
    std::string path(reinterpret_cast<const char *>(data + at), plen);
    at += plen;
    size_t qlen = at < size ? data[at++] : 0;
    if (at + qlen > size) return 0;
    std::string query(reinterpret_cast<const char *>(data + at), qlen);
    at += qlen;
    std::string body(reinterpret_cast<const char *>(data + at), size - at);

    httplib::Request req;
    req.method = method;
    // Byte 0x01 in a path stands for the bootstrap user's organization.
    std::string expanded;
    for (char c : path) expanded += c == '\x01' ? std::string("/v1/organizations/local") : std::string(1, c);
    req.target = expanded + (query.empty() ? "" : "?" + query);
    req.path = decode(expanded, false);
    size_t start = 0;
    while (start <= query.size() && !query.empty()) {
        size_t amp = query.find('&', start);
        std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
        size_t eq = pair.find('=');
        req.params.emplace(decode(pair.substr(0, eq), true),
                           eq == std::string::npos ? std::string() : decode(pair.substr(eq + 1), true));
        if (amp == std::string::npos) break;
        start = amp + 1;
    }
    switch (auth % 4) {
    case 0: req.headers.emplace("Authorization", std::string("Bearer ") + kToken); break;
    case 1: req.headers.emplace("Authorization", "Bearer not-a-valid-token"); break;
    case 2: req.headers.emplace("Authorization", std::string("bearer  ") + kToken + " "); break;
    default: break; // none
    }
    if (auth & 4) req.headers.emplace("Content-Type", "application/json");
    req.body = body;

    httplib::Response res;
    server->handle(req, res);
    REQUIRE(res.status >= 100 && res.status <= 599, "status %d", res.status);
    REQUIRE(res.status < 500, "%s %s answered %d: %s", method.c_str(), req.target.c_str(), res.status,
            res.body.c_str());
    if (!res.body.empty()) {
        cJSON *j = cJSON_ParseWithLength(res.body.data(), res.body.size());
        REQUIRE(j != nullptr, "%s %s answered a body that is not JSON: %s", method.c_str(), req.target.c_str(),
                res.body.c_str());
        cJSON_Delete(j);
    }
    return 0;
}
