// What every route handler sees: the request context, the error type, the route table entry.
#pragma once
#include "json.hpp"
#include "store.hpp"

#include <cstdint>
#include <functional>
#include <httplib.h>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tl {

class LocalServer;

// Thrown by handlers: the dispatcher rolls back and answers {"error": message} with status.
struct ApiError : std::runtime_error {
    int status;
    ApiError(int s, const std::string &m) : std::runtime_error(without_nul(m)), status(s) {}

  private:
    // what() is a C string: a NUL a client sent (a path segment "loc%00al") would cut the message.
    static std::string without_nul(std::string m) {
        for (size_t p; (p = m.find('\0')) != std::string::npos;)
            m.replace(p, 1, "\xEF\xBF\xBD");
        return m;
    }
};
[[noreturn]] inline void fail(int status, const std::string &message) {
    throw ApiError(status, message);
}

// Scopes of platform API tokens (the spec's names); an unscoped token has them all.
enum Scope : uint32_t {
    SC_READ = 1u << 0,
    SC_DB_CREATE = 1u << 1,
    SC_DB_DELETE = 1u << 2,
    SC_DB_CONFIGURE = 1u << 3,
    SC_DB_MINT = 1u << 4,
    SC_DB_ROTATE = 1u << 5,
    SC_GROUP_CONFIGURE = 1u << 6,
    SC_GROUP_MINT = 1u << 7,
    SC_GROUP_ROTATE = 1u << 8,
    SC_MANAGE = 1u << 9, // organizations, members, invites, tokens: only unrestricted tokens
    SC_ORG = 1u << 10,   // reads across the whole organization: not for group-scoped tokens
    SC_ALL = (1u << 11) - 1,
};
uint32_t parse_scopes(const std::vector<std::string> &names, std::string &bad); // 0 + bad on error
std::vector<std::string> scope_names(const std::string &stored);

// Who is calling: resolved from the platform token.
struct Principal {
    int64_t user_id = 0;
    std::string username;
    int64_t token_id = 0;
    std::string org_restrict;   // slug, or "" for any organization
    std::string group_restrict; // group name, or ""
    uint32_t scopes = SC_ALL;
};

// A JSON request body, read leniently about case (the CLI sends Go field names like "Name").
class Body {
  public:
    explicit Body(const std::string &text); // throws ApiError 400 if not a JSON object
    std::optional<std::string> str(const char *key) const;
    std::optional<bool> boolean(const char *key) const;
    std::optional<int64_t> integer(const char *key) const;
    std::optional<std::vector<std::string>> strings(const char *key) const;
    const cJSON *raw(const char *key) const; // nullptr if absent or null
    std::string require_str(const char *key) const;
    bool empty() const { return empty_; } // no body at all (or only white space)
    // 400 if one of these fields is present as null (where a PATCH must not take null for absent).
    void no_nulls(std::initializer_list<const char *> keys) const;

  private:
    Json doc_;
    Json shadow_; // only for a body with \u0000: the same text with \u0001 there (see raw)
    bool empty_ = false;
};

struct Ctx {
    Ctx(const httplib::Request &rq, httplib::Response &rs, LocalServer &s, Conn &c, const Principal &w,
        std::vector<std::string> p)
        : req(rq), res(rs), srv(s), db(c), who(w), params(std::move(p)) {}
    const httplib::Request &req;
    httplib::Response &res;
    LocalServer &srv;
    Conn &db; // the writer inside a transaction for mutating routes, else a reader
    const Principal &who;
    std::vector<std::string> params; // decoded path parameters, in order
    // Filled by the dispatcher for routes under an organization:
    int64_t org_id = 0;
    std::string org_slug, org_type;
    int role = -1;
    bool invalidate_auth = false; // set by handlers that revoke tokens: clears the auth cache after commit
    // Work that needs no database (signing a token), run by the dispatcher once the request's
    // transaction committed, outside the single writer. It must not refer to the Ctx: use res.
    std::function<void()> after_commit;
    // The answer reply() was given: the dispatcher prints it, for a write once the transaction
    // committed (printing is no work for the single writer).
    Json reply_doc;

    Body &body();
    Body &required_body(); // 400 without a body, for operations whose spec requires one
    bool has_query(const char *name) const { return req.has_param(name); }
    std::string query(const char *name) const { return req.get_param_value(name); }
    void reply(Json j); // 200 with j as the body
    void reply_empty();
    void need_role(int min_role, const char *what) const;

  private:
    std::optional<Body> body_;
};

// 200 with j as the body.
void reply_json(httplib::Response &res, const Json &j);

using Handler = void (*)(Ctx &);

enum OrgMode { ORG_NONE = 0, ORG_PARAM = 1, ORG_PERSONAL = 2 };

struct Route {
    const char *method;
    std::string path; // template: /v1/organizations/{org}/databases/{db}
    Handler handler;
    OrgMode org_mode;
    int min_role;   // for organization routes
    uint32_t scope; // needed in the token's scopes
};

// Route tables, one per area (routes_*.cpp).
void add_token_routes(std::vector<Route> &r);
void add_org_routes(std::vector<Route> &r);
void add_member_routes(std::vector<Route> &r);
void add_group_routes(std::vector<Route> &r);
void add_database_routes(std::vector<Route> &r);
void add_instance_routes(std::vector<Route> &r);
void add_jwt_routes(std::vector<Route> &r);

} // namespace tl
