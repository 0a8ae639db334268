// bench-stub-server: a stand-in for turso-local when it is not built, so that the clients can
// still be compared (bench/run.py --server stub). NOT turso-local and not an implementation of
// the API: it answers the few requests the benchmarks send (locations, the "default" group,
// database create / token / delete / list) from memory, with cpp-httplib configured as
// turso-local configures it (a big thread pool, keep-alive without a request cap, TCP_NODELAY).
//
//   bench-stub-server --listen 127.0.0.1:0 --data IGNORED --token TOKEN
//
// Prints "turso-local listening on http://HOST:PORT" like turso-local, so run.py starts either.
#include <httplib.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <string>

namespace {

std::string locations_json() {
    static const char *const codes[] = {"ams", "arn", "bog", "bos", "cdg", "den", "dfw", "ewr", "fra", "gdl", "gig",
                                        "gru", "hkg", "iad", "jnb", "lax", "lhr", "mad", "mia", "nrt", "ord", "otp",
                                        "qro", "scl", "sea", "sin", "sjc", "syd", "waw", "yul", "yyz"};
    std::string out = "{\"locations\":{";
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        if (i) out += ',';
        out += std::string("\"aws-") + codes[i] + "\":\"Location " + codes[i] + "\"";
    }
    return out + "}}";
}

std::string database_json(const std::string &name) {
    return "{\"Name\":\"" + name + "\",\"DbId\":\"00000000-0000-0000-0000-000000000000\",\"Hostname\":\"" + name +
           "-local.turso.io\",\"group\":\"default\",\"type\":\"logical\",\"primaryRegion\":\"aws-ams\"}";
}

// The value of "name" in a flat JSON object; enough for the benchmarks' bodies.
std::string name_of(const std::string &body) {
    size_t key = body.find("\"name\"");
    if (key == std::string::npos) return "";
    size_t start = body.find('"', body.find(':', key) + 1);
    size_t end = body.find('"', start + 1);
    return start == std::string::npos || end == std::string::npos ? "" : body.substr(start + 1, end - start - 1);
}

} // namespace

int main(int argc, char **argv) {
    std::string listen = "127.0.0.1:0", token;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--listen")) listen = argv[i + 1];
        if (!std::strcmp(argv[i], "--token")) token = argv[i + 1];
    }
    std::string host = listen.substr(0, listen.rfind(':'));
    int port = std::stoi(listen.substr(listen.rfind(':') + 1));

    httplib::Server server;
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(100000);

    const std::string bearer = "Bearer " + token, locations = locations_json();
    std::mutex mutex;
    std::set<std::string> databases;
    auto authorized = [&](const httplib::Request &req, httplib::Response &res) {
        if (req.get_header_value("Authorization") == bearer) return true;
        res.status = 401;
        res.set_content("{\"error\":\"unauthorized\"}", "application/json");
        return false;
    };
    auto error = [](httplib::Response &res, int status, const char *message) {
        res.status = status;
        res.set_content(std::string("{\"error\":\"") + message + "\"}", "application/json");
    };

    server.Get("/v1/locations", [&](const httplib::Request &req, httplib::Response &res) {
        if (authorized(req, res)) res.set_content(locations, "application/json");
    });
    server.Get("/v1/organizations/local/groups/default", [&](const httplib::Request &req, httplib::Response &res) {
        if (authorized(req, res))
            res.set_content("{\"group\":{\"name\":\"default\",\"locations\":[\"aws-ams\"],\"primary\":\"aws-ams\"}}",
                            "application/json");
    });
    server.Get("/v1/organizations/local/databases", [&](const httplib::Request &req, httplib::Response &res) {
        if (!authorized(req, res)) return;
        std::string out = "{\"databases\":[";
        std::lock_guard<std::mutex> lock(mutex);
        for (const auto &name : databases) {
            if (out.back() != '[') out += ',';
            out += database_json(name);
        }
        res.set_content(out + "]}", "application/json");
    });
    server.Post("/v1/organizations/local/databases", [&](const httplib::Request &req, httplib::Response &res) {
        if (!authorized(req, res)) return;
        std::string name = name_of(req.body);
        if (name.empty()) return error(res, 400, "name is required");
        std::lock_guard<std::mutex> lock(mutex);
        if (!databases.insert(name).second) return error(res, 409, "database already exists");
        res.set_content("{\"database\":" + database_json(name) + "}", "application/json");
    });
    server.Post(R"(/v1/organizations/local/databases/([^/]+)/auth/tokens)",
                [&](const httplib::Request &req, httplib::Response &res) {
                    if (!authorized(req, res)) return;
                    std::lock_guard<std::mutex> lock(mutex);
                    if (!databases.count(req.matches[1])) return error(res, 404, "database not found");
                    res.set_content("{\"jwt\":\"eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl\"}", "application/json");
                });
    server.Delete(R"(/v1/organizations/local/databases/([^/]+))", [&](const httplib::Request &req, httplib::Response &res) {
        if (!authorized(req, res)) return;
        std::lock_guard<std::mutex> lock(mutex);
        if (!databases.erase(req.matches[1])) return error(res, 404, "database not found");
        res.set_content("{\"database\":\"" + std::string(req.matches[1]) + "\"}", "application/json");
    });

    if (port == 0) port = server.bind_to_any_port(host);
    else if (!server.bind_to_port(host, port)) port = -1;
    if (port < 0) {
        std::fprintf(stderr, "cannot listen on %s\n", listen.c_str());
        return 1;
    }
    std::printf("turso-local listening on http://%s:%d\n", host.c_str(), port);
    std::fflush(stdout);
    server.listen_after_bind();
}
