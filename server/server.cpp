#include "server.hpp"

#include "crypto.hpp"
#include "model.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <strings.h>

namespace tl {

namespace {
constexpr size_t kMaxBody = 1 << 20;
constexpr size_t kMaxHead = 64 << 10; // request line and headers

// Framing a proxy in front could read differently from cpp-httplib (which takes the first of
// two Content-Lengths, reads "12abc" as 12, and reads a body of any other Transfer-Encoding
// until the connection closes): refused, with the status and message to answer; "" if fine.
std::pair<int, std::string> refused_framing(const httplib::Request &req) {
    size_t encodings = req.get_header_value_count("Transfer-Encoding");
    size_t lengths = req.get_header_value_count("Content-Length");
    if (encodings && lengths)
        return {400, "a request must not have both Transfer-Encoding and Content-Length"};
    if (encodings) {
        std::string te = req.get_header_value("Transfer-Encoding");
        if (encodings > 1 || strcasecmp(te.c_str(), "chunked") != 0)
            return {501, "Transfer-Encoding " + te + " is not supported: send chunked, or a Content-Length"};
    }
    for (size_t i = 0; i < lengths; ++i) {
        std::string v = req.get_header_value("Content-Length", i);
        if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
            return {400, "invalid Content-Length: " + v};
        if (v != req.get_header_value("Content-Length", 0)) return {400, "two different Content-Lengths"};
        if (std::stoull(v) > kMaxBody) return {413, "request body too large (the limit is 1 MiB)"};
    }
    return {0, ""};
}

std::vector<std::string> split_template(const std::string &path) {
    std::vector<std::string> segs;
    size_t i = 1;
    while (i <= path.size()) {
        size_t slash = path.find('/', i);
        if (slash == std::string::npos) slash = path.size();
        segs.push_back(path.substr(i, slash - i));
        i = slash + 1;
    }
    return segs;
}
} // namespace

LocalServer::LocalServer(const Options &o) : opts_(o) {
    store_ = std::make_unique<Store>(opts_.data.empty() ? ":memory:" : opts_.data);
    auth_ = std::make_unique<Auth>(*store_);

    add_token_routes(routes_);
    add_org_routes(routes_);
    add_member_routes(routes_);
    add_group_routes(routes_);
    add_database_routes(routes_);
    add_instance_routes(routes_);
    add_jwt_routes(routes_);
    for (const auto &r : routes_)
        route_segs_.push_back(split_template(r.path));

    token_ = opts_.token;
    if (token_.empty()) {
        token_ = new_secret_token();
        token_generated_ = true;
    }
    // The users named at start-up get exactly the tokens named now: a token of an earlier start
    // (or one generated and printed then) stops working, as no API call could revoke it.
    std::vector<std::pair<std::string, std::vector<std::string>>> logins{{"local", {token_}}};
    for (const auto &u : opts_.users) {
        auto same =
            std::find_if(logins.begin(), logins.end(), [&](const auto &l) { return l.first == u.first; });
        if (same == logins.end())
            logins.push_back({u.first, {u.second}});
        else
            same->second.push_back(u.second);
    }
    try {
        store_->write([&](Conn &w) { replace_login_tokens(w, logins); });
    } catch (const ApiError &e) {
        throw std::runtime_error(std::string("--token/--user: ") + e.what());
    }
    for (const auto &spec : opts_.faults) {
        Json j = json_parse(spec);
        if (!j) throw std::runtime_error("--fault: not valid JSON: " + spec);
        try {
            faults_.add(j.get());
        } catch (const ApiError &e) {
            throw std::runtime_error(std::string("--fault: ") + e.what());
        }
    }

    size_t threads = opts_.threads > 0 ? static_cast<size_t>(opts_.threads)
                                       : std::max<size_t>(64, 8 * std::thread::hardware_concurrency());
    http_.set_worker_threads(threads);
    http_.set_tcp_nodelay(true);
    http_.set_keep_alive_max_count(100000);
    http_.set_payload_max_length(kMaxBody);
    http_.set_request_byte_limit(kMaxBody + kMaxHead);
    http_.set_error_handler([this](const httplib::Request &req, httplib::Response &res) {
        if (!res.body.empty()) return;
        // An error of cpp-httplib's own (our handlers always set a body) may leave part of the
        // request unread, which it would take for the next request: the connection must end.
        res.set_header("Connection", "close");
        if (HttpServer::request_too_large())
            return send_error(res, 413,
                              "request too large: the request line, headers and body together may take at "
                              "most " +
                                  std::to_string((kMaxBody + kMaxHead) >> 10) +
                                  " KiB (a body at most 1 MiB)");
        if (res.status == 400 && answer_unknown_method(req, res)) return;
        if (res.status == 416) {
            // cpp-httplib refuses a malformed Range before any handler runs, and would cut this
            // answer to the ranges it did parse.
            const_cast<httplib::Request &>(req).ranges.clear();
            return send_error(res, 416, "malformed Range header (the API has no ranged reads: send none)");
        }
        if (res.status == 413 &&
            req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0)
            return send_error(res, 413,
                              "form-encoded request body too large (the limit is " +
                                  std::to_string(CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH) +
                                  " bytes): send JSON as application/json");
        if (res.status == 413) return send_error(res, 413, "request body too large (the limit is 1 MiB)");
        if (res.status == 414)
            return send_error(res, 414,
                              "request line too long (the limit is " +
                                  std::to_string(CPPHTTPLIB_REQUEST_URI_MAX_LENGTH) + " bytes)");
        send_error(res, res.status,
                   res.status == 400 ? "bad request" : "HTTP error " + std::to_string(res.status));
    });
    http_.set_exception_handler([](const httplib::Request &, httplib::Response &res, std::exception_ptr) {
        send_error(res, 500, "internal error");
    });
    http_.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &res) {
        // No compression: cpp-httplib (built with zlib and brotli) compresses JSON answers whenever
        // the client sends Accept-Encoding, which costs far more than it saves on loopback. The
        // library has no switch for it, so the header goes before the answer is written. The
        // Request is a non-const local of cpp-httplib's request loop, so the cast is well defined.
        auto &request = const_cast<httplib::Request &>(req);
        request.headers.erase("Accept-Encoding");
        // Nor ranges: cpp-httplib applies a Range header to any answer, cutting JSON, and builds
        // a multipart answer of every part asked for in memory (2,700 parts of a 1 MB dump made
        // 2.7 GB). The API has no ranged reads.
        request.ranges.clear();
        request.headers.erase("Range");
        auto [refused, why] = refused_framing(req);
        if (refused) {
            res.set_header("Connection", "close"); // the body, if any, stays unread
            send_error(res, refused, why);
            return httplib::Server::HandlerResponse::Handled;
        }
        // A request without Content-Length or Transfer-Encoding has an empty body (RFC 9112 6.3),
        // but cpp-httplib answers 400 to such a POST, PUT or PATCH (and to an empty one whose
        // Content-Type is multipart/form-data without a boundary): serve those here, body empty.
        bool empty_body =
            !req.has_header("Transfer-Encoding") &&
            (!req.has_header("Content-Length") || req.get_header_value("Content-Length") == "0");
        bool has_body =
            req.method == "POST" || req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE";
        // cpp-httplib reads no body for GET, HEAD, OPTIONS, TRACE or CONNECT: one sent anyway
        // stays unread on the connection (cpp-httplib would take it for the next request), so
        // the client is told not to reuse the connection.
        if (!empty_body && !has_body) res.set_header("Connection", "close");
        // TRACE and CONNECT never reach a route in cpp-httplib (400): here they get 404 or 405.
        if ((empty_body && has_body) || req.method == "TRACE" || req.method == "CONNECT") {
            handle(req, res);
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    auto h = [this](const httplib::Request &req, httplib::Response &res) { handle(req, res); };
    http_.Get(".*", h);
    http_.Post(".*", h);
    http_.Put(".*", h);
    http_.Patch(".*", h);
    http_.Delete(".*", h);
    http_.Options(".*", h);
}

LocalServer::~LocalServer() {
    stop();
}

void LocalServer::add_user(const std::string &name, const std::string &token) {
    try {
        store_->write([&](Conn &w) {
            int64_t uid = ensure_user(w, name);
            add_login_token(w, uid, token);
        });
    } catch (const ApiError &e) {
        throw std::runtime_error("user " + name + ": " + e.what());
    }
}

void LocalServer::bind() {
    if (opts_.port == 0) {
        port_ = http_.bind_to_any_port(opts_.host);
    } else {
        port_ = http_.bind_to_port(opts_.host, opts_.port) ? opts_.port : -1;
    }
    if (port_ <= 0)
        throw std::runtime_error("cannot listen on " + opts_.host + ":" + std::to_string(opts_.port));
    std::string host = opts_.host.find(':') != std::string::npos ? "[" + opts_.host + "]" : opts_.host;
    url_ = "http://" + host + ":" + std::to_string(port_);
}

void LocalServer::serve() {
    http_.listen_after_bind();
}

void LocalServer::serve_background() {
    thread_ = std::thread([this] { serve(); });
    // httplib's stop() does nothing until the loop runs: wait for it, so that stop() always works.
    for (int i = 0; i < 5000 && !http_.is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void LocalServer::stop() {
    http_.stop();
    if (thread_.joinable()) thread_.join();
}

} // namespace tl
