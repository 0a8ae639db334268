/* tursh: Lua 5.4 with the turso module preloaded. Runs a script, -e code, the command layer
 * (tursh db list, ...) or the REPL, optionally against an embedded turso-local (--local). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lualib.h>

#include "tursh.h"

static const char *const kCommands[] = {"db", "group", "org", "auth", "locations", NULL};

typedef struct args {
    int argc;
    char **argv;
    int script;      /* index of the script or command word; argc when none */
    int interactive; /* -i */
    int has_e;       /* some -e */
    int json;        /* --json */
    int local;       /* --local or --local-data */
    const char *local_data;
    int exit_code; /* what main returns */
} args;

static void print_usage(FILE *out) {
    fprintf(out, "usage: " TURSH_PROGNAME " [options] [script [args]]\n"
                 "       " TURSH_PROGNAME " [options] COMMAND ...\n"
                 "Options:\n"
                 "  -e CODE            run CODE\n"
                 "  -i                 enter the REPL after running the script or -e\n"
                 "  --local            start an embedded turso-local (in memory) and talk to it\n"
                 "  --local-data PATH  the same, keeping its state in the SQLite file PATH\n"
                 "  --json             print results as JSON\n"
                 "  -v, --version      print the versions and exit\n"
                 "  -h, --help         print this help and exit\n"
                 "  --                 stop handling options\n"
                 "  -                  run standard input\n"
                 "Commands (each takes --json; names as the official turso CLI):\n"
                 "  db list | create NAME [--group G] [--location L] | show NAME | destroy NAME --yes\n"
                 "  db tokens create NAME [--expiration E] [--read-only] | tokens invalidate NAME\n"
                 "  group list | create NAME --location L | destroy NAME --yes | tokens create NAME\n"
                 "  org list | members list\n"
                 "  auth api-tokens list | mint NAME | revoke NAME\n"
                 "  locations\n"
                 "A file named like a command runs as a script when given with a path: ./db\n"
                 "The token and server come from TURSO_API_TOKEN, TURSO_API_BASEURL and TURSO_ORG,\n"
                 "or the official CLI's settings (see turso.client in the README).\n");
}

static int is_command(const char *word) {
    for (int i = 0; kCommands[i]; i++)
        if (strcmp(word, kCommands[i]) == 0) return 1;
    return 0;
}

/* Returns 0, or 2 after printing a usage error. */
static int parse_args(args *a) {
    int i;
    for (i = 1; i < a->argc; i++) {
        const char *s = a->argv[i];
        if (s[0] != '-' || strcmp(s, "-") == 0) break;
        if (strcmp(s, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(s, "-e") == 0) {
            if (++i >= a->argc) {
                fprintf(stderr, TURSH_PROGNAME ": -e needs an argument\n");
                return 2;
            }
            a->has_e = 1;
        } else if (strcmp(s, "-i") == 0) {
            a->interactive = 1;
        } else if (strcmp(s, "--json") == 0) {
            a->json = 1;
        } else if (strcmp(s, "--local") == 0) {
            a->local = 1;
        } else if (strcmp(s, "--local-data") == 0) {
            if (++i >= a->argc) {
                fprintf(stderr, TURSH_PROGNAME ": --local-data needs a file path\n");
                return 2;
            }
            a->local = 1;
            a->local_data = a->argv[i];
        } else if (strcmp(s, "-v") == 0 || strcmp(s, "--version") == 0 || strcmp(s, "-h") == 0 ||
                   strcmp(s, "--help") == 0) {
            /* handled before the state exists */
        } else {
            fprintf(stderr, TURSH_PROGNAME ": unknown option '%s'\n", s);
            fprintf(stderr, "Try '" TURSH_PROGNAME " --help'.\n");
            return 2;
        }
    }
    a->script = i;
    return 0;
}

/* The global `arg`, as lua.c makes it: arg[0] the script, arg[1..] its arguments, the
 * interpreter and options at negative indexes. */
static void create_arg_table(lua_State *L, const args *a) {
    int script = a->script < a->argc ? a->script : 0;
    lua_createtable(L, a->argc - script, script + 1);
    for (int i = 0; i < a->argc; i++) {
        lua_pushstring(L, a->argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
}

static int run_chunk(lua_State *L, int status, int nargs) {
    if (status == LUA_OK) {
        status = tursh_docall(L, nargs, 0);
    } else if (nargs) {
        lua_pop(L, nargs);
    }
    return tursh_report(L, status);
}

static int run_e(lua_State *L, const args *a) {
    for (int i = 1; i < a->script; i++) {
        if (strcmp(a->argv[i], "-e") != 0) continue;
        const char *code = a->argv[++i];
        if (run_chunk(L, luaL_loadbuffer(L, code, strlen(code), "=(command line)"), 0) != LUA_OK) return 1;
        lua_settop(L, 0);
    }
    return 0;
}

static int run_script(lua_State *L, const args *a) {
    const char *name = a->argv[a->script];
    if (strcmp(name, "-") == 0 && strcmp(a->argv[a->script - 1], "--") != 0) name = NULL; /* stdin */
    int status = luaL_loadfile(L, name);
    int nargs = a->argc - a->script - 1;
    luaL_checkstack(L, nargs + 3, "too many arguments to script");
    for (int i = a->script + 1; i < a->argc; i++)
        lua_pushstring(L, a->argv[i]);
    return run_chunk(L, status, nargs) == LUA_OK ? 0 : 1;
}

/* tursh COMMAND ...: require("tursh.commands").main(words, {json=}) returns the exit code. */
static int run_command(lua_State *L, const args *a) {
    lua_getglobal(L, "require");
    lua_pushliteral(L, "tursh.commands");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "main");
    lua_createtable(L, a->argc - a->script, 0);
    for (int i = a->script; i < a->argc; i++) {
        lua_pushstring(L, a->argv[i]);
        lua_rawseti(L, -2, i - a->script + 1);
    }
    lua_createtable(L, 0, 1);
    lua_pushboolean(L, a->json);
    lua_setfield(L, -2, "json");
    int status = tursh_docall(L, 2, 1);
    if (status != LUA_OK) {
        tursh_report(L, status);
        return 1;
    }
    return (int)luaL_optinteger(L, -1, 0);
}

static void setup_state(lua_State *L) {
    luaL_openlibs(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, tursh_open_sys);
    lua_setfield(L, -2, "tursh.sys");
    lua_pop(L, 1);
    tursh_preload_embedded(L);
    tursh_interrupt_init(L);
    /* `turso` as a global for convenience, loaded on first use; `require "turso"` gives the
     * same table. The shell hooks (progress bar on a terminal) are set by tursh.init. */
    tursh_core_preload(L);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "tursh.init");
    lua_call(L, 1, 0);
}

static int pmain(lua_State *L) {
    args *a = lua_touserdata(L, 1);
    lua_settop(L, 0);
    luaL_checkversion(L);
    setup_state(L);
    create_arg_table(L, a);

    if (a->local) {
        char err[256] = "";
        if (tursh_local_start(a->local_data ? a->local_data : ":memory:", err, sizeof err) != 0) {
            fprintf(stderr, TURSH_PROGNAME ": cannot start turso-local: %s\n", err);
            a->exit_code = 1;
            return 0;
        }
    }
    int has_script = a->script < a->argc;
    if (has_script && is_command(a->argv[a->script])) {
        a->exit_code = run_command(L, a);
        return 0;
    }
    if (run_e(L, a) != 0) {
        a->exit_code = 1;
        return 0;
    }
    if (has_script && run_script(L, a) != 0) {
        a->exit_code = 1;
        return 0;
    }
    if (a->interactive || (!has_script && !a->has_e && isatty(STDIN_FILENO))) {
        tursh_repl(L, a->json);
    } else if (!has_script && !a->has_e) {
        a->script = a->argc; /* no script: run stdin */
        if (run_chunk(L, luaL_loadfile(L, NULL), 0) != LUA_OK) a->exit_code = 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "--local-data") == 0) {
            i++;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            print_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--version") == 0) {
            const char *version = tursh_core_version();
            printf(TURSH_PROGNAME " %s (turso-platform %s, %s)\n", version, version, LUA_RELEASE);
            return 0;
        }
    }
    args a = {argc, argv, argc, 0, 0, 0, 0, NULL, 0};
    int usage = parse_args(&a);
    if (usage) return usage;

    lua_State *L = luaL_newstate();
    if (!L) {
        fprintf(stderr, TURSH_PROGNAME ": not enough memory\n");
        return 1;
    }
    lua_pushcfunction(L, pmain);
    lua_pushlightuserdata(L, &a);
    int status = lua_pcall(L, 1, 0, 0);
    if (status != LUA_OK) {
        tursh_report(L, status);
        a.exit_code = 1;
    }
    lua_close(L);
    tursh_core_release();
    tursh_local_stop();
    return a.exit_code;
}
