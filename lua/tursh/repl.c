/* The REPL, as lua.c reads: a line is first tried as "return <line>" so that expressions
 * print; input that ends too early continues on ">>" lines. libedit gives line editing,
 * history in ~/.tursh_history and tab completion (the candidates come from tursh.complete,
 * which asks the operations table). */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

#include <editline/readline.h>

#include "tursh.h"

#define PROMPT "> "
#define PROMPT_MORE ">> "
#define HISTORY_MAX 1000

static lua_State *g_L;
static char g_history[4096];

/* ---- completion -------------------------------------------------------------------------- */

static char **complete(const char *text, int start, int end) {
    (void)start;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    lua_State *L = g_L;
    int top = lua_gettop(L);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "tursh.complete");
    char **matches = NULL;
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) goto done;
    lua_getfield(L, -1, "candidates");
    lua_pushlstring(L, rl_line_buffer, (size_t)end);
    lua_pushstring(L, text);
    /* Returns the replacement for `text` first (the common prefix), then the candidates. */
    if (lua_pcall(L, 2, 1, 0) != LUA_OK || !lua_istable(L, -1)) goto done;
    lua_Integer n = luaL_len(L, -1);
    if (n < 1) goto done;
    matches = calloc((size_t)n + 1, sizeof *matches);
    if (!matches) goto done;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        const char *s = lua_tostring(L, -1);
        matches[i - 1] = strdup(s ? s : "");
        lua_pop(L, 1);
    }
    /* One candidate ending in "." or "=" or "(" is not a finished word: no space after it. */
    rl_completion_append_character = '\0';
done:
    lua_settop(L, top);
    return matches;
}

/* ---- reading ----------------------------------------------------------------------------- */

/* The terminal opened again, non-blocking, for read_byte alone (the shell's own descriptor keeps
 * its flags); the terminal's descriptor itself where that fails. */
static int reader_fd(int fd) {
    static int reader = -1;
    if (reader < 0) {
        const char *name = ttyname(fd);
        reader = name ? open(name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) : -1;
        if (reader < 0) reader = fd;
    }
    return reader;
}

/* One byte of the terminal, or EOF at its end or after a Ctrl-C. Polls the interrupt's
 * self-pipe with the terminal: with libedit's own reader, a Ctrl-C that lands between the
 * prompt and its read() left it waiting for the next key, the flag unseen. The read does not
 * block: the terminal discards its input on Ctrl-C, so "readable" from poll can be gone by the
 * read, and a read blocked there missed the Ctrl-C whose signal came just before it. */
static int read_byte(int tty_fd) {
    int fd = reader_fd(tty_fd);
    int wake = tursh_interrupt_wake_fd();
    for (;;) {
        if (tursh_interrupt_pending()) return EOF;
        struct pollfd p[2] = {{fd, POLLIN, 0}, {wake, POLLIN, 0}};
        if (poll(p, wake >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR) continue;
            return EOF;
        }
        if (tursh_interrupt_pending()) return EOF;
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        unsigned char c;
        ssize_t n = read(fd, &c, 1);
        if (n == 1) return c;
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        return EOF;
    }
}

/* libedit's rl_getc_function: one character, decoded from the locale's multibyte encoding
 * (libedit stores what this returns as a wchar_t). */
static int read_char(FILE *in) {
    int fd = in ? fileno(in) : STDIN_FILENO;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    for (;;) {
        int b = read_byte(fd);
        if (b == EOF) return EOF;
        char byte = (char)b;
        wchar_t wc;
        size_t n = mbrtowc(&wc, &byte, 1, &state);
        if (n == (size_t)-2) continue; /* more bytes of this character */
        if (n == (size_t)-1) {         /* not a character of this locale: dropped, as libedit does */
            memset(&state, 0, sizeof state);
            continue;
        }
        return n == 0 ? 0 : (int)wc;
    }
}

enum { LINE_EOF = -1, LINE_INTERRUPTED = -2 };

/* One line from the terminal (libedit) or from a pipe, in *out (malloc'd). Returns 0,
 * LINE_EOF at the end of input, or LINE_INTERRUPTED when Ctrl-C abandoned the line. */
static int read_line(const char *prompt, int tty, char **out) {
    *out = NULL;
    if (!tty) {
        static char buf[65536];
        fputs(prompt, stdout);
        fflush(stdout);
        if (!fgets(buf, sizeof buf, stdin)) return LINE_EOF;
        buf[strcspn(buf, "\n")] = '\0';
        *out = strdup(buf);
        return *out ? 0 : LINE_EOF;
    }
    tursh_interrupt_at_prompt();
    char *line = readline(prompt);
    if (tursh_interrupt_take()) {
        free(line);
        fputs("\n", stdout);
        return LINE_INTERRUPTED;
    }
    *out = line;
    return line ? 0 : LINE_EOF;
}

/* A syntax error at "<eof>" means the statement goes on: read another line. */
static int incomplete(lua_State *L, int status) {
    if (status != LUA_ERRSYNTAX) return 0;
    size_t len;
    const char *msg = lua_tolstring(L, -1, &len);
    static const char mark[] = "<eof>";
    size_t mlen = sizeof mark - 1;
    return len >= mlen && strcmp(msg + len - mlen, mark) == 0;
}

/* Whether text holds the value of an environment variable that carries a token. */
static int holds_env_token(const char *text, const char *variable) {
    const char *token = getenv(variable);
    return token && *token && strstr(text, token) != NULL;
}

static const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Whether text holds a JWT (what platform and database tokens are): "eyJ" (base64 of '{"'),
 * then three base64url parts joined by dots. */
static int holds_jwt(const char *text) {
    for (const char *p = strstr(text, "eyJ"); p; p = strstr(p + 1, "eyJ")) {
        const char *q = p;
        int parts = 0;
        for (;;) {
            size_t n = strspn(q, base64url);
            if (n == 0) break;
            parts++;
            q += n;
            if (*q != '.') break;
            q++;
        }
        if (parts >= 3) return 1;
    }
    return 0;
}

/* Whether a chunk carries a token: "token" (any case, also api_token, ["token"]) followed by
 * '=' or ':' and the start of a string ('"', '\'' or '['), as in turso.client{token = "..."};
 * a JWT; or the environment's token itself. */
static int carries_token(const char *chunk) {
    if (holds_env_token(chunk, "TURSO_API_TOKEN") || holds_env_token(chunk, "TURSO_TOKEN")) return 1;
    if (holds_jwt(chunk)) return 1;
    for (const char *p = chunk; *p; p++) {
        if (strncasecmp(p, "token", 5) != 0) continue;
        const char *q = p + 5;
        if (*q == '"' || *q == '\'') q++; /* ["token"] = */
        if (*q == ']') q++;
        q += strspn(q, " \t\r\n");
        if (*q != '=' && *q != ':') continue;
        q++;
        q += strspn(q, " \t\r\n");
        if (*q == '"' || *q == '\'' || *q == '[') return 1;
    }
    return 0;
}

/* History, in memory and in the file; never a chunk that carries a token (carries_token). */
static void remember(const char *chunk, int tty) {
    if (!tty || chunk[0] == '\0' || carries_token(chunk)) return;
    add_history(chunk);
    if (g_history[0]) {
        /* Written after every entry, so an abrupt end keeps what was typed. */
        write_history(g_history);
        history_truncate_file(g_history, HISTORY_MAX);
    }
}

/* Reads and compiles one chunk, leaving the function (or the error message) on the stack.
 * Returns the load status, LINE_EOF, or LINE_INTERRUPTED (nothing on the stack). */
static int load_chunk(lua_State *L, int tty) {
    char *line;
    int got = read_line(PROMPT, tty, &line);
    if (got != 0) return got;
    /* "= expr" prints, as in Lua 5.1-5.3 */
    lua_pushfstring(L, "return %s;", line[0] == '=' ? line + 1 : line);
    int status = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=stdin");
    lua_remove(L, -2);
    if (status == LUA_OK) {
        remember(line, tty);
        free(line);
        return status;
    }
    lua_pop(L, 1);
    lua_pushstring(L, line); /* the chunk so far */
    free(line);
    for (;;) {
        size_t len;
        const char *chunk = lua_tolstring(L, -1, &len);
        status = luaL_loadbuffer(L, chunk, len, "=stdin");
        if (!incomplete(L, status)) break;
        char *more;
        got = read_line(PROMPT_MORE, tty, &more);
        if (got == LINE_EOF) break; /* report the parser's message */
        lua_pop(L, 1);              /* the "<eof>" message */
        if (got == LINE_INTERRUPTED) {
            lua_pop(L, 1);
            return LINE_INTERRUPTED;
        }
        lua_pushfstring(L, "%s\n%s", lua_tostring(L, -1), more);
        free(more);
        lua_remove(L, -2);
    }
    remember(lua_tostring(L, -2), tty);
    lua_remove(L, -2); /* the chunk text */
    return status;
}

void tursh_repl(lua_State *L, int json) {
    int tty = isatty(STDIN_FILENO);
    g_L = L;
    if (tty) {
        /* Characters as the terminal encodes them (UTF-8 input is dropped in the "C" locale);
         * LC_CTYPE only, so numbers still print and parse with a '.'. */
        setlocale(LC_CTYPE, "");
        rl_getc_function = read_char;
        rl_readline_name = "tursh";
        rl_attempted_completion_function = complete;
        static char breaks[] = " \t\n\"\\'`@$><=;|&{(,+-*/%^~#[]"; /* not '.' or ':' */
        rl_basic_word_break_characters = breaks;
        rl_completer_word_break_characters = breaks;
        using_history();
        stifle_history(HISTORY_MAX);
        const char *home = getenv("HOME");
        if (home && *home) {
            snprintf(g_history, sizeof g_history, "%s/.tursh_history", home);
            read_history(g_history);
        }
        lua_getglobal(L, "require");
        lua_pushliteral(L, "tursh.init");
        lua_call(L, 1, 1);
        lua_getfield(L, -1, "banner");
        lua_remove(L, -2);
        lua_call(L, 0, 1);
        fputs(lua_tostring(L, -1), stdout);
        lua_pop(L, 1);
        fflush(stdout);
    }
    lua_settop(L, 0);
    for (;;) {
        int status = load_chunk(L, tty);
        if (status == LINE_EOF) break;
        if (status == LINE_INTERRUPTED) continue;
        if (status == LUA_OK) status = tursh_docall(L, 0, LUA_MULTRET);
        if (status == LUA_OK)
            tursh_print_results(L, json);
        else
            tursh_report(L, status);
        lua_settop(L, 0);
        fflush(stdout);
    }
    if (tty) fputs("\n", stdout);
    fflush(stdout);
}
