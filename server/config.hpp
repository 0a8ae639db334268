// Command-line options of turso-local.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace tl {

struct Options {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string data = "./turso-local.db";
    std::string token; // bootstrap user "local"; empty = generate one
    std::vector<std::pair<std::string, std::string>> users;
    std::string admin_token; // empty = /admin disabled
    std::string domain = "turso.io";
    std::vector<std::string> faults; // JSON objects, as POST /admin/faults takes
    int threads = 0;                 // 0 = default
};

enum ParseResult { PARSE_OK, PARSE_HELP, PARSE_ERROR };
ParseResult parse_args(int argc, char **argv, Options &out, std::string &error);
const char *usage_text();

} // namespace tl
