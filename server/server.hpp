// turso-local's server object: the HTTP listener, the store, authentication, faults and routes.
#pragma once
#include "api.hpp"
#include "auth.hpp"
#include "config.hpp"
#include "faults.hpp"
#include "http_server.hpp"

#include <httplib.h>
#include <memory>
#include <thread>

namespace tl {

class LocalServer {
  public:
    // Opens the store, creates the bootstrap user "local" and the --user users, adds the faults.
    // Throws std::runtime_error with a readable message on failure.
    explicit LocalServer(const Options &o);
    ~LocalServer();
    LocalServer(const LocalServer &) = delete;
    LocalServer &operator=(const LocalServer &) = delete;

    void bind();             // binds the listening socket (port 0 = a free one); throws on failure
    void serve();            // serves until stop()
    void serve_background(); // serve() in a thread
    void stop();             // stops serving and joins the thread (idempotent)

    const std::string &url() const { return url_; }
    const std::string &bootstrap_token() const { return token_; }
    bool token_generated() const { return token_generated_; }
    const std::string &domain() const { return opts_.domain; }
    const std::string &admin_token() const { return opts_.admin_token; }

    // Adds (or adds a token to) a user with personal organization `name`.
    void add_user(const std::string &name, const std::string &token);

    Store &store() { return *store_; }
    Auth &auth() { return *auth_; }
    Faults &faults() { return faults_; }

    // The HTTP entry point for every request (dispatch.cpp).
    void handle(const httplib::Request &req, httplib::Response &res);
    // For cpp-httplib's 400 to a request line whose method it does not know (e.g. QUERY): answers
    // 405 with Allow (404 for an unknown path) and answers true; false for any other 400.
    bool answer_unknown_method(const httplib::Request &req, httplib::Response &res) const;

  private:
    void handle_api(const httplib::Request &req, httplib::Response &res, std::vector<std::string> &segs);
    const Route *match(const std::string &method, const std::vector<std::string> &segs,
                       std::vector<std::string> &params, bool &path_known) const;
    // Whether route r's path template (placeholders need a non-empty segment) fits segs.
    bool path_matches(size_t r, const std::vector<std::string> &segs) const;
    std::string allowed_methods(const std::vector<std::string> &segs) const; // for Allow: "GET, HEAD, ..."

    Options opts_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Auth> auth_;
    Faults faults_;
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> route_segs_;
    HttpServer http_;
    std::thread thread_;
    std::string url_, token_;
    bool token_generated_ = false;
    int port_ = 0;
};

// Admin routes (/admin/...): faults and users. Answers 404 when no admin token is configured.
void handle_admin(LocalServer &srv, const httplib::Request &req, httplib::Response &res,
                  const std::vector<std::string> &segs);

// {"error": message} with status.
void send_error(httplib::Response &res, int status, const std::string &message);

} // namespace tl
