// Request dispatch: faults, path decoding, authentication, route matching, organization access,
// and one SQLite transaction around every mutating call.
#include "model.hpp"
#include "server.hpp"
#include "validate.hpp"

#include <algorithm>
#include <cstdio>
#include <strings.h>

namespace tl {

void send_error(httplib::Response &res, int status, const std::string &message) {
    Json j = json_object();
    jstr(j.get(), "error", printable_utf8(message)); // messages may quote a client's bytes
    res.status = status;
    res.set_content(json_print(j.get()), "application/json");
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Splits the raw path on '/' and percent-decodes each segment on its own, so that an encoded slash
// stays inside its segment (and then simply makes an invalid name).
static std::vector<std::string> split_path(const std::string &raw) {
    std::vector<std::string> segs;
    size_t i = raw.empty() || raw[0] != '/' ? 0 : 1;
    while (i <= raw.size()) {
        size_t slash = raw.find('/', i);
        if (slash == std::string::npos) slash = raw.size();
        std::string seg;
        for (size_t k = i; k < slash; ++k) {
            int hi, lo;
            if (raw[k] == '%' && k + 2 < slash && (hi = hexval(raw[k + 1])) >= 0 &&
                (lo = hexval(raw[k + 2])) >= 0) {
                seg += static_cast<char>(hi * 16 + lo);
                k += 2;
            } else {
                seg += raw[k];
            }
        }
        segs.push_back(std::move(seg));
        i = slash + 1;
    }
    if (segs.size() > 1 && segs.back().empty()) segs.pop_back(); // a trailing slash
    return segs;
}

static bool is_placeholder(const std::string &s) {
    return !s.empty() && s[0] == '{';
}

bool LocalServer::path_matches(size_t r, const std::vector<std::string> &segs) const {
    const auto &tmpl = route_segs_[r];
    if (tmpl.size() != segs.size()) return false;
    for (size_t i = 0; i < tmpl.size(); ++i)
        if (is_placeholder(tmpl[i]) ? segs[i].empty() : tmpl[i] != segs[i]) return false;
    return true;
}

const Route *LocalServer::match(const std::string &method, const std::vector<std::string> &segs,
                                std::vector<std::string> &params, bool &path_known) const {
    path_known = false;
    for (size_t r = 0; r < routes_.size(); ++r) {
        if (!path_matches(r, segs)) continue;
        path_known = true;
        const auto &tmpl = route_segs_[r];
        if (method != routes_[r].method) continue;
        params.clear();
        for (size_t i = 0; i < tmpl.size(); ++i)
            if (is_placeholder(tmpl[i])) params.push_back(segs[i]);
        return &routes_[r];
    }
    return nullptr;
}

std::string LocalServer::allowed_methods(const std::vector<std::string> &segs) const {
    std::vector<std::string> methods;
    for (size_t r = 0; r < routes_.size(); ++r) {
        if (!path_matches(r, segs)) continue;
        methods.push_back(routes_[r].method);
        if (methods.back() == "GET") methods.push_back("HEAD");
    }
    methods.push_back("OPTIONS");
    std::string allow;
    for (size_t i = 0; i < methods.size(); ++i)
        if (std::find(methods.begin(), methods.begin() + i, methods[i]) == methods.begin() + i)
            allow += (allow.empty() ? "" : ", ") + methods[i];
    return allow;
}

bool LocalServer::answer_unknown_method(const httplib::Request &req, httplib::Response &res) const {
    // cpp-httplib stops at the request line for a method it does not know: method and target are
    // set, no header is read yet (so no authentication is possible), and the rest of the request
    // stays unread, so the connection must not be reused.
    static const char *const known[] = {"GET",     "HEAD",    "POST",  "PUT",   "DELETE",
                                        "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"};
    if (!req.headers.empty() || req.method.empty() || req.target.empty() || req.target[0] != '/')
        return false;
    for (const char *m : known)
        if (req.method == m) return false;
    for (char c : req.method)
        if (c < 'A' || c > 'Z') return false;
    std::vector<std::string> segs = split_path(req.target.substr(0, req.target.find('?')));
    std::vector<std::string> params;
    bool path_known = false;
    match(req.method, segs, params, path_known);
    if (!path_known) {
        send_error(res, 404, "no such route: " + req.method + " " + req.target);
        return true;
    }
    res.set_header("Allow", allowed_methods(segs));
    send_error(res, 405, "method " + req.method + " not allowed here");
    return true;
}

void LocalServer::handle(const httplib::Request &req, httplib::Response &res) {
    std::string raw = req.target.substr(0, req.target.find('?'));
    if (faults_.any() && raw.compare(0, 7, "/admin/") != 0 && raw != "/admin") {
        auto d = faults_.check(req.method, raw);
        if (d.latency_ms > 0) http_.sleep_unless_stopped(d.latency_ms); // a stop ends the delay
        if (d.action) {
            apply_fault(*d.action, req, res);
            return;
        }
    }
    std::vector<std::string> segs = split_path(raw);
    const std::string &first = segs.empty() ? std::string() : segs[0];
    if (first == "admin") return handle_admin(*this, req, res, segs);
    if (first == "v1" || first == "v2" || first == "local") return handle_api(req, res, segs);
    send_error(res, 404, "not found: this server answers /v1, /v2, /local and /admin");
}

static bool bearer(const httplib::Request &req, std::string &token) {
    auto it = req.headers.find("Authorization");
    if (it == req.headers.end()) return false;
    const std::string &v = it->second;
    if (v.size() < 7 || strncasecmp(v.c_str(), "Bearer ", 7) != 0) return false;
    size_t start = 7;
    while (start < v.size() && v[start] == ' ')
        ++start;
    token = v.substr(start);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.pop_back();
    return !token.empty();
}

// Resolves the organization of the route and the caller's role in it.
static void resolve_org(Ctx &ctx, const Route &route) {
    std::string slug = route.org_mode == ORG_PARAM ? ctx.params[0] : ctx.who.username;
    auto s = ctx.db.q("SELECT o.id, o.type, m.role FROM orgs o LEFT JOIN members m "
                      "ON m.org_id = o.id AND m.user_id = ? WHERE o.slug = ?");
    s.args(ctx.who.user_id, slug);
    if (!s.step()) fail(404, "organization " + slug + " not found");
    if (s.is_null(2)) fail(403, "you are not a member of organization " + slug);
    ctx.org_id = s.i64(0);
    ctx.org_type = s.str(1);
    ctx.org_slug = slug;
    ctx.role = parse_role(s.str(2));
    if (!ctx.who.org_restrict.empty() && ctx.who.org_restrict != slug)
        fail(403, "this API token is restricted to organization " + ctx.who.org_restrict);
    if (ctx.role < route.min_role)
        fail(403, std::string("this needs the role ") + role_name(route.min_role) +
                      " or higher in organization " + slug + " (you are " + role_name(ctx.role) + ")");
}

static void run(Ctx &ctx, const Route &route) {
    if ((ctx.who.scopes & route.scope) != route.scope)
        fail(403, "this API token's scopes do not allow this call");
    if (route.org_mode != ORG_NONE) resolve_org(ctx, route);
    // Handlers see only the parameters after the organization, so that /v1/groups/{group} and
    // /v1/organizations/{org}/groups/{group} share one handler.
    if (route.org_mode == ORG_PARAM) ctx.params.erase(ctx.params.begin());
    route.handler(ctx);
}

void LocalServer::handle_api(const httplib::Request &req, httplib::Response &res,
                             std::vector<std::string> &segs) {
    std::string token;
    if (!bearer(req, token)) return send_error(res, 401, "missing or malformed Authorization: Bearer header");
    Principal who;
    try {
        if (!auth_->authenticate(token, who)) return send_error(res, 401, "invalid or revoked token");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "turso-local: authentication failed: %s\n", e.what());
        return send_error(res, 500, "internal error");
    }
    std::string method = req.method == "HEAD" ? "GET" : req.method;
    std::vector<std::string> params;
    bool path_known = false;
    const Route *route = match(method, segs, params, path_known);
    if (!route) {
        if (path_known) {
            // RFC 9110: a 405 lists the methods the resource has; OPTIONS answers just that list.
            res.set_header("Allow", allowed_methods(segs));
            if (method == "OPTIONS") {
                res.status = 204;
                return;
            }
            return send_error(res, 405, "method " + req.method + " not allowed here");
        }
        return send_error(res, 404, "no such route: " + req.method + " " + req.path);
    }
    bool writing = method != "GET";
    try {
        if (!writing) {
            Store::Lease lease(*store_);
            ReadTxn txn(lease.conn());
            Ctx ctx{req, res, *this, lease.conn(), who, std::move(params)};
            run(ctx, *route);
            if (ctx.reply_doc) reply_json(res, ctx.reply_doc);
            if (ctx.after_commit) ctx.after_commit();
            return;
        }
        bool invalidate = false;
        std::function<void()> after_commit;
        Json reply_doc;
        store_->write([&](Conn &w) {
            Ctx ctx{req, res, *this, w, who, std::move(params)};
            run(ctx, *route);
            invalidate = ctx.invalidate_auth;
            after_commit = std::move(ctx.after_commit);
            reply_doc = std::move(ctx.reply_doc);
        });
        if (invalidate) auth_->invalidate();
        if (reply_doc) reply_json(res, reply_doc);
        if (after_commit) after_commit();
    } catch (const ApiError &e) {
        send_error(res, e.status, e.what());
    } catch (const ConstraintError &) {
        send_error(res, 409, "already exists");
    } catch (const std::bad_alloc &) {
        send_error(res, 500, "out of memory");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "turso-local: internal error on %s %s: %s\n", req.method.c_str(),
                     req.path.c_str(), e.what());
        send_error(res, 500, "internal error");
    }
}

} // namespace tl
