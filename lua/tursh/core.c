/* The heavy halves of tursh, loaded when first needed. tursh-core.so holds the turso module and
 * the client library with libcurl (which brings some thirty libraries: TLS, HTTP/2, IDN, LDAP,
 * Kerberos, ...); tursh-local.so holds turso-local (cpp-httplib, SQLite, OpenSSL). Linked into
 * tursh, the dynamic linker spent some 15 ms mapping and relocating them on every start, also
 * for `tursh -e` code, scripts and commands that never make a request.
 *
 * The global `turso` exists from the start as an empty table whose first use (or the first
 * `require "turso"`) loads tursh-core.so and opens the module into that same table, so that
 * `turso == require "turso"` holds whichever comes first. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tursh.h"
#include "turso_lua.h"

#define STUB_KEY "tursh.turso"

#ifndef TURSH_MODULE_DIR
#define TURSH_MODULE_DIR "/usr/local/lib/tursh"
#endif
#ifndef TURSH_MODULE_RELDIR
#define TURSH_MODULE_RELDIR "../lib/tursh"
#endif

/* dlopen of `file` next to the executable (the build tree), else in TURSH_MODULE_RELDIR from
 * it (an installed tree, wherever it was moved), else in TURSH_MODULE_DIR (where it was
 * installed). Returns the handle, or NULL with a message in err. */
static void *open_beside(const char *file, char *err, size_t err_len) {
    char exe[PATH_MAX];
    char dirs[3][2 * PATH_MAX];
    int ndirs = 0;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(dirs[ndirs++], sizeof dirs[0], "%s", exe);
            snprintf(dirs[ndirs++], sizeof dirs[0], "%s/%s", exe, TURSH_MODULE_RELDIR);
        }
    }
    snprintf(dirs[ndirs++], sizeof dirs[0], "%s", TURSH_MODULE_DIR);
    snprintf(err, err_len, "%s is neither in %s nor in %s", file, ndirs > 1 ? dirs[0] : "(unknown)",
             TURSH_MODULE_DIR);
    for (int i = 0; i < ndirs; i++) {
        char path[sizeof dirs[0] + 64];
        int len = snprintf(path, sizeof path, "%s/%s", dirs[i], file);
        if (len < 0 || (size_t)len >= sizeof path || access(path, F_OK) != 0) continue;
        void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (handle) return handle;
        const char *why = dlerror();
        snprintf(err, err_len, "%s", why ? why : path);
        return NULL;
    }
    return NULL;
}

/* Every symbol, or none: a module of another build must not half work. */
static int resolve(void *handle, const char *file, const char *const *names, void **out, size_t n, char *err,
                   size_t err_len) {
    for (size_t i = 0; i < n; i++) {
        out[i] = dlsym(handle, names[i]);
        if (!out[i]) {
            snprintf(err, err_len, "%s lacks %s (a module of another build?)", file, names[i]);
            return -1;
        }
    }
    return 0;
}

/* ---- tursh-core.so ------------------------------------------------------------------------ */

static struct {
    int (*open_into)(lua_State *L);
    void (*set_cancel)(lua_State *L, tp_cancel *cancel);
    const char *(*version)(void);
    tp_status (*cancel_new)(tp_cancel **out);
    void (*cancel_free)(tp_cancel *cancel);
    void (*cancel_trigger)(tp_cancel *cancel);
    void (*cancel_reset)(tp_cancel *cancel);
} g_core;
static int g_core_loaded;
static tp_cancel *g_cancel;

static int load_core(char *err, size_t err_len) {
    if (g_core_loaded) return 0;
    void *handle = open_beside("tursh-core.so", err, err_len);
    if (!handle) return -1;
    static const char *const names[] = {"turso_lua_open_into", "turso_lua_set_cancel", "tp_version",
                                        "tp_cancel_new",       "tp_cancel_free",       "tp_cancel_trigger",
                                        "tp_cancel_reset"};
    void *fns[sizeof names / sizeof names[0]];
    if (resolve(handle, "tursh-core.so", names, fns, sizeof names / sizeof names[0], err, err_len) != 0)
        return -1;
    /* Object and function pointers share a representation on every platform dlsym exists on. */
    memcpy(&g_core.open_into, &fns[0], sizeof fns[0]);
    memcpy(&g_core.set_cancel, &fns[1], sizeof fns[1]);
    memcpy(&g_core.version, &fns[2], sizeof fns[2]);
    memcpy(&g_core.cancel_new, &fns[3], sizeof fns[3]);
    memcpy(&g_core.cancel_free, &fns[4], sizeof fns[4]);
    memcpy(&g_core.cancel_trigger, &fns[5], sizeof fns[5]);
    memcpy(&g_core.cancel_reset, &fns[6], sizeof fns[6]);
    if (g_core.cancel_new(&g_cancel) != TP_OK) {
        snprintf(err, err_len, "not enough memory");
        return -1;
    }
    tursh_interrupt_set_cancel(g_cancel, g_core.cancel_trigger, g_core.cancel_reset);
    g_core_loaded = 1;
    return 0;
}

const char *tursh_core_version(void) {
    char err[512];
    return load_core(err, sizeof err) == 0 ? g_core.version() : "unknown (tursh-core.so not loaded)";
}

void tursh_core_release(void) {
    if (!g_core_loaded) return;
    tursh_interrupt_set_cancel(NULL, NULL, NULL);
    g_core.cancel_free(g_cancel);
    g_cancel = NULL;
}

/* package.preload.turso: loads tursh-core.so and opens the module into the `turso` table made
 * at start-up, which loses its loading metatable. */
static int open_turso(lua_State *L) {
    char err[512];
    if (load_core(err, sizeof err) != 0) return luaL_error(L, "cannot load the turso module: %s", err);
    lua_getfield(L, LUA_REGISTRYINDEX, STUB_KEY);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
    }
    lua_pushnil(L);
    lua_setmetatable(L, -2);
    g_core.open_into(L);
    g_core.set_cancel(L, g_cancel);
    return 1;
}

/* __index of the `turso` table before the module is loaded: loads it, then answers. */
static int stub_index(lua_State *L) {
    luaL_requiref(L, "turso", open_turso, 0);
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

void tursh_core_preload(lua_State *L) {
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, open_turso);
    lua_setfield(L, -2, "turso");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, stub_index);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, STUB_KEY);
    lua_setglobal(L, "turso");
}

/* ---- tursh-local.so ----------------------------------------------------------------------- */

int tursh_local_load(tursh_local_api *api, char *err, size_t err_len) {
    static tursh_local_api loaded;
    static int done;
    if (!done) {
        void *handle = open_beside("tursh-local.so", err, err_len);
        if (!handle) return -1;
        static const char *const names[] = {"tl_server_start", "tl_server_url", "tl_server_token",
                                            "tl_server_stop"};
        void *fns[sizeof names / sizeof names[0]];
        if (resolve(handle, "tursh-local.so", names, fns, sizeof names / sizeof names[0], err, err_len) != 0)
            return -1;
        memcpy(&loaded.start, &fns[0], sizeof fns[0]);
        memcpy(&loaded.url, &fns[1], sizeof fns[1]);
        memcpy(&loaded.token, &fns[2], sizeof fns[2]);
        memcpy(&loaded.stop, &fns[3], sizeof fns[3]);
        done = 1;
    }
    *api = loaded;
    return 0;
}
