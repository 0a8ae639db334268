#include "config.hpp"

#include <cstdlib>
#include <cstring>

namespace tl {

const char *usage_text() {
    return R"(Usage: turso-local [options]

A local server speaking the Turso Platform API (https://api.turso.tech), with its state in SQLite.

Options:
  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080; port 0 picks a free port)
  --data PATH          SQLite file holding all state (default ./turso-local.db, created mode 0600);
                       ":memory:" keeps nothing
  --token TOKEN        platform API token of the bootstrap user "local" (personal organization
                       "local"), created if missing. Without it a random token is generated and
                       printed once on stderr
  --user NAME:TOKEN    add a user NAME (personal organization NAME) with this platform token;
                       repeatable. Names: lowercase letters, digits, dashes
  --admin-token TOKEN  enable the /admin routes (faults, users) for this bearer token
  --domain D           domain of database hostnames <db>-<org>.D (default turso.io)
  --fault SPEC         inject a fault: a JSON object as POST /admin/faults takes, e.g.
                       '{"method":"GET","path":"/v1/organizations/*","kind":"status","status":503}';
                       repeatable
  --threads N          HTTP worker threads (default max(64, 8 x cores)); with more open
                       connections than threads, connections take turns
  --help               show this text

When ready it prints exactly one line on stdout, "turso-local listening on http://HOST:PORT".
SIGINT and SIGTERM stop it cleanly. See docs/turso-local.md for the API, the admin and fault
routes and token verification.
)";
}

static bool parse_listen(const std::string &v, Options &o) {
    size_t colon = v.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    std::string host = v.substr(0, colon), port = v.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
        return false;
    int p = std::atoi(port.c_str());
    if (p > 65535) return false;
    o.host = host;
    o.port = p;
    return true;
}

ParseResult parse_args(int argc, char **argv, Options &o, std::string &error) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i], value;
        if (arg == "--help" || arg == "-h") return PARSE_HELP;
        size_t eq = arg.find('=');
        bool inline_value = arg.compare(0, 2, "--") == 0 && eq != std::string::npos;
        if (inline_value) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        auto need = [&]() -> bool {
            if (inline_value) return true;
            if (i + 1 >= argc) {
                error = arg + " needs a value";
                return false;
            }
            value = argv[++i];
            return true;
        };
        if (arg == "--listen") {
            if (!need()) return PARSE_ERROR;
            if (!parse_listen(value, o)) {
                error = "--listen wants HOST:PORT, got '" + value + "'";
                return PARSE_ERROR;
            }
        } else if (arg == "--data") {
            if (!need()) return PARSE_ERROR;
            if (value.empty()) {
                error = "--data needs a path or :memory:";
                return PARSE_ERROR;
            }
            o.data = value;
        } else if (arg == "--token") {
            if (!need()) return PARSE_ERROR;
            if (value.empty()) {
                error = "--token must not be empty";
                return PARSE_ERROR;
            }
            o.token = value;
        } else if (arg == "--user") {
            if (!need()) return PARSE_ERROR;
            size_t colon = value.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
                error = "--user wants NAME:TOKEN";
                return PARSE_ERROR;
            }
            o.users.emplace_back(value.substr(0, colon), value.substr(colon + 1));
        } else if (arg == "--admin-token") {
            if (!need()) return PARSE_ERROR;
            if (value.empty()) {
                error = "--admin-token must not be empty";
                return PARSE_ERROR;
            }
            o.admin_token = value;
        } else if (arg == "--domain") {
            if (!need()) return PARSE_ERROR;
            if (value.empty() || value.find('/') != std::string::npos) {
                error = "--domain wants a domain name";
                return PARSE_ERROR;
            }
            o.domain = value;
        } else if (arg == "--fault") {
            if (!need()) return PARSE_ERROR;
            o.faults.push_back(value);
        } else if (arg == "--threads") {
            if (!need()) return PARSE_ERROR;
            int n = std::atoi(value.c_str());
            if (n < 1 || n > 4096) {
                error = "--threads wants a number from 1 to 4096";
                return PARSE_ERROR;
            }
            o.threads = n;
        } else {
            error = "unknown option '" + arg + "' (see --help)";
            return PARSE_ERROR;
        }
    }
    return PARSE_OK;
}

} // namespace tl
