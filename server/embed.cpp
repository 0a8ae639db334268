// The C embedding API (include/turso_local.h) over LocalServer.
#include "server.hpp"
#include "turso_local.h"

#include <cstdio>
#include <cstring>

struct tl_server {
    std::unique_ptr<tl::LocalServer> server;
    std::string url, token;
};

static void set_error(char *errbuf, size_t len, const char *msg) {
    if (errbuf && len) std::snprintf(errbuf, len, "%s", msg);
}

extern "C" tl_server *tl_server_start(const char *data_path, const char *token, const char *admin_token,
                                      char *errbuf, size_t errbuf_len) {
    try {
        tl::Options o;
        o.host = "127.0.0.1";
        o.port = 0;
        o.data = data_path ? data_path : ":memory:";
        if (token) o.token = token;
        if (admin_token) o.admin_token = admin_token;
        o.threads = 32;
        auto s = std::make_unique<tl_server>();
        s->server = std::make_unique<tl::LocalServer>(o);
        s->server->bind();
        s->server->serve_background();
        s->url = s->server->url();
        s->token = s->server->bootstrap_token();
        return s.release();
    } catch (const std::exception &e) {
        set_error(errbuf, errbuf_len, e.what());
    } catch (...) {
        set_error(errbuf, errbuf_len, "unknown error");
    }
    return nullptr;
}

extern "C" const char *tl_server_url(const tl_server *s) {
    return s ? s->url.c_str() : "";
}

extern "C" const char *tl_server_token(const tl_server *s) {
    return s ? s->token.c_str() : "";
}

extern "C" int tl_server_add_user(tl_server *s, const char *name, const char *token) {
    if (!s || !name || !token || !*token) return -1;
    try {
        s->server->add_user(name, token);
        return 0;
    } catch (...) {
        return -1;
    }
}

extern "C" void tl_server_stop(tl_server *s) {
    if (!s) return;
    try {
        s->server->stop();
    } catch (...) {
    }
    delete s;
}
