/* --local and --local-data: an embedded turso-local on 127.0.0.1 with a random token, made
 * known to turso.client{} through the environment (the same variables the official CLI reads). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tursh.h"

#ifdef TURSH_WITH_LOCAL

/* turso-local lives in tursh-local.so, loaded on the first --local (see core.c). */
static tursh_local_api g_api;
static struct tl_server *g_server;

/* 32 random bytes as hex, from the kernel. */
static int random_hex(char *out, size_t out_len) {
    unsigned char bytes[32];
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f) return -1;
    size_t got = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    if (got != sizeof bytes || out_len < 2 * sizeof bytes + 1) return -1;
    for (size_t i = 0; i < sizeof bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    return 0;
}

int tursh_local_start(const char *data_path, char *err, size_t err_len) {
    char token[80], admin[80];
    if (tursh_local_load(&g_api, err, err_len) != 0) return -1;
    if (random_hex(token, sizeof token) != 0 || random_hex(admin, sizeof admin) != 0) {
        snprintf(err, err_len, "cannot read /dev/urandom for a token");
        return -1;
    }
    memcpy(token, "tursh-local-", 12); /* recognisable in a server log, still 52 random hex digits */
    g_server = g_api.start(data_path, token, admin, err, err_len);
    if (!g_server) return -1;
    /* A script may end with os.exit(): the server still stops cleanly (and flushes its file). */
    static int registered;
    if (!registered) registered = atexit(tursh_local_stop) == 0;
    if (setenv("TURSO_API_TOKEN", g_api.token(g_server), 1) != 0 ||
        setenv("TURSO_API_BASEURL", g_api.url(g_server), 1) != 0 || setenv("TURSO_ORG", "local", 1) != 0) {
        snprintf(err, err_len, "cannot set the environment");
        tursh_local_stop();
        return -1;
    }
    return 0;
}

const char *tursh_local_url(void) {
    return g_server ? g_api.url(g_server) : NULL;
}

void tursh_local_stop(void) {
    if (g_server) g_api.stop(g_server);
    g_server = NULL;
}

#else

int tursh_local_start(const char *data_path, char *err, size_t err_len) {
    (void)data_path;
    snprintf(err, err_len, "this tursh was built without turso-local (TP_BUILD_SERVER=OFF)");
    return -1;
}

const char *tursh_local_url(void) {
    return NULL;
}

void tursh_local_stop(void) {}

#endif
