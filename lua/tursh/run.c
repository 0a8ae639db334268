/* Running chunks: a message handler adding a traceback, Ctrl-C armed while Lua code runs,
 * errors reported on stderr, results printed by the shell's pretty printer (tursh.pretty). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tursh.h"

static int msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int tursh_docall(lua_State *L, int narg, int nres) {
    int base = lua_gettop(L) - narg;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    tursh_interrupt_arm();
    int status = lua_pcall(L, narg, nres, base);
    signal(SIGINT, SIG_DFL);
    lua_sethook(L, NULL, 0, 0);
    lua_remove(L, base);
    return status;
}

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
    size_t len = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
                 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                                : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    /* overlong forms, surrogates and code points past U+10FFFF */
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) || (s[0] == 0xF0 && s[1] < 0x90) ||
        (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* An error message can hold the server's text (assert(c.databases.get{...})): what a terminal
 * would act on is escaped as tursh.pretty does (C0 controls but newline and tab, DEL, C1
 * controls U+0080 to U+009F, bytes that are not UTF-8), so no message can retitle it. */
static void write_escaped(FILE *out, const char *text, size_t n) {
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t')
                fputc(c, out);
            else if (c == '\r')
                fputs("\\r", out);
            else
                fprintf(out, "\\x%02X", c);
            i++;
            continue;
        }
        size_t len = utf8_sequence(s + i, n - i);
        if (len == 0) {
            fprintf(out, "\\x%02X", c);
            i++;
        } else if (len == 2 && c == 0xC2 && s[i + 1] <= 0x9F) {
            fprintf(out, "\\u{%X}", s[i + 1]);
            i += 2;
        } else {
            fwrite(s + i, 1, len, out);
            i += len;
        }
    }
}

int tursh_report(lua_State *L, int status) {
    if (status != LUA_OK) {
        size_t len;
        const char *msg = lua_tolstring(L, -1, &len);
        if (msg == NULL) {
            msg = "(error object is not a string)";
            len = strlen(msg);
        }
        fprintf(stderr, "%s: ", TURSH_PROGNAME);
        write_escaped(stderr, msg, len);
        fputc('\n', stderr);
        fflush(stderr);
        lua_pop(L, 1);
    }
    return status;
}

void tursh_print_results(lua_State *L, int json) {
    int n = lua_gettop(L);
    if (n == 0) return;
    luaL_checkstack(L, 4, "too many results to print");
    lua_getglobal(L, "require");
    lua_pushliteral(L, "tursh.pretty");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        tursh_report(L, LUA_ERRRUN);
        lua_settop(L, 0);
        return;
    }
    lua_getfield(L, -1, json ? "print_json" : "print_results");
    lua_remove(L, -2);
    lua_insert(L, 1);
    if (tursh_docall(L, n, 0) != LUA_OK) tursh_report(L, LUA_ERRRUN);
    lua_settop(L, 0);
}
