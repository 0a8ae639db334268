// /admin routes, for tests: faults and users. Enabled only with an admin token.
#include "crypto.hpp"
#include "server.hpp"

#include <cstdlib>
#include <strings.h>

namespace tl {

static void reply(httplib::Response &res, Json j) {
    res.status = 200;
    res.set_content(json_print(j.get()), "application/json");
}

static Json parse_object(const std::string &body) {
    Json j = json_parse(body);
    if (!j || !cJSON_IsObject(j.get())) fail(400, "request body must be a JSON object");
    return j;
}

static void admin_users(LocalServer &srv, const httplib::Request &req, httplib::Response &res) {
    if (req.method == "POST") {
        Json j = parse_object(req.body);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(j.get(), "name");
        const cJSON *token = cJSON_GetObjectItemCaseSensitive(j.get(), "token");
        if (!cJSON_IsString(name) || !cJSON_IsString(token) || !*token->valuestring)
            fail(400, "body must be {\"name\": string, \"token\": string}");
        try {
            srv.add_user(name->valuestring, token->valuestring);
        } catch (const std::runtime_error &e) {
            std::string m = e.what();
            fail(m.find("another user") != std::string::npos || m.find("already exists") != std::string::npos
                     ? 409
                     : 400,
                 m);
        }
        Json u = json_object();
        jstr(u.get(), "username", name->valuestring);
        jstr(u.get(), "organization", name->valuestring);
        return reply(res, jwrap("user", std::move(u)));
    }
    if (req.method == "GET") {
        Json arr = json_array();
        Store::Lease lease(srv.store());
        auto s = lease.conn().q("SELECT username, email FROM users ORDER BY id");
        while (s.step()) {
            Json u = json_object();
            jstr(u.get(), "username", s.str(0));
            jstr(u.get(), "email", s.str(1));
            jpush(arr.get(), std::move(u));
        }
        return reply(res, jwrap("users", std::move(arr)));
    }
    fail(405, "method not allowed");
}

static void admin_faults(LocalServer &srv, const httplib::Request &req, httplib::Response &res,
                         const std::vector<std::string> &segs) {
    if (segs.size() == 2) {
        if (req.method == "GET") return reply(res, srv.faults().list_json());
        if (req.method == "POST") {
            Json j = parse_object(req.body);
            return reply(res, jwrap("fault", fault_json(srv.faults().add(j.get()))));
        }
        if (req.method == "DELETE") {
            srv.faults().clear();
            return reply(res, jwrap("faults", json_array()));
        }
        fail(405, "method not allowed");
    }
    if (req.method != "DELETE") fail(405, "method not allowed");
    char *end = nullptr;
    long long id = std::strtoll(segs[2].c_str(), &end, 10);
    if (segs[2].empty() || *end || !srv.faults().remove(id)) fail(404, "no fault " + segs[2]);
    Json j = json_object();
    jint(j.get(), "deleted", id);
    reply(res, std::move(j));
}

void handle_admin(LocalServer &srv, const httplib::Request &req, httplib::Response &res,
                  const std::vector<std::string> &segs) {
    if (srv.admin_token().empty())
        return send_error(res, 404, "admin routes are disabled (start with --admin-token)");
    auto it = req.headers.find("Authorization");
    std::string given =
        it != req.headers.end() && it->second.size() > 7 && strncasecmp(it->second.c_str(), "Bearer ", 7) == 0
            ? it->second.substr(7)
            : std::string();
    if (!equal_ct(sha256(given), sha256(srv.admin_token())))
        return send_error(res, 401, "invalid admin token");
    try {
        if (segs.size() == 2 && segs[1] == "users") return admin_users(srv, req, res);
        if ((segs.size() == 2 || segs.size() == 3) && segs[1] == "faults")
            return admin_faults(srv, req, res, segs);
        send_error(res, 404, "no such admin route");
    } catch (const ApiError &e) {
        send_error(res, e.status, e.what());
    } catch (const std::exception &e) {
        send_error(res, 500, e.what());
    }
}

} // namespace tl
