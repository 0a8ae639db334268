/* The platform token never leaks: not into the library's log (at DEBUG), result messages, the
 * server's own output, tursh's output, nor turso-local's data file, which keeps only hashes of
 * platform tokens and is created mode 0600.
 * usage: hardening_secrets TURSO_LOCAL_BINARY [TURSH_BINARY] */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "local_server.h"
#include "turso_platform.h"

#define TOKEN "secrets-test-token-Q7vX2mR9kL4pW8"
#define WRONG_TOKEN "secrets-wrong-token-Z3nB6tY1"
#define ADMIN "secrets-admin-token-H5jD0s"

#include "check.h"

/* Everything the library said: log lines and result messages. */
static char *said;
static size_t said_len;
static int debug_lines;

static void append(const char *s) {
    size_t n = strlen(s);
    char *g = realloc(said, said_len + n + 2);
    if (!g) abort();
    said = g;
    memcpy(said + said_len, s, n);
    said_len += n;
    said[said_len++] = '\n';
    said[said_len] = 0;
}

static void on_log(void *ud, int32_t level, const char *message) {
    (void)ud;
    if (level == TP_LOG_DEBUG) debug_lines++;
    append(message);
}

static tp_client *client(const char *url, const char *token) {
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, url);
    tp_options_set_token(o, token);
    tp_options_set_retry(o, 3, 10);
    tp_options_set_timeout_ms(o, 20000);
    tp_options_set_log(o, on_log, NULL, TP_LOG_DEBUG);
    tp_client_new(o, &c);
    tp_options_free(o);
    return c;
}

static void keep(tp_result *r) {
    append(tp_result_message(r));
    tp_result_free(r);
}

/* Bytes of a whole file into a NUL-terminated buffer (NULL when it does not exist). */
static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

static void file_lacks(const char *path, const char *secret, const char *what) {
    size_t len = 0;
    char *b = slurp(path, &len);
    if (!b) return;
    CHECK(memmem(b, len, secret, strlen(secret)) == NULL, "%s found in %s", what, path);
    free(b);
}

/* Every text or blob cell of every table of the SQLite file: none holds `secret`. Returns cells. */
static int sqlite_scan(const char *path, const char *secret, const char *what) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        CHECK(0, "cannot open %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 0;
    }
    int cells = 0;
    sqlite3_stmt *tables = NULL;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &tables, NULL);
    while (tables && sqlite3_step(tables) == SQLITE_ROW) {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(tables, 0));
        sqlite3_stmt *rows = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK) continue;
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(rows); i++) {
                const void *v = sqlite3_column_blob(rows, i);
                int n = sqlite3_column_bytes(rows, i);
                cells++;
                if (v && memmem(v, (size_t)n, secret, strlen(secret)))
                    CHECK(0, "%s stored in table %s, column %s", what,
                          (const char *)sqlite3_column_text(tables, 0), sqlite3_column_name(rows, i));
            }
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return cells;
}

/* Runs tursh once (argv NULL-terminated) with the token in its environment; returns its output. */
static char *tursh_run(const char *url, char *const argv[], size_t *len) {
    char out_path[512];
    snprintf(out_path, sizeof out_path, "%s/tursh-secrets-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(out_path);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("TURSO_API_TOKEN", TOKEN, 1);
        setenv("TURSO_API_BASEURL", url, 1);
        unsetenv("TURSO_TOKEN");
        setenv("TURSO_ORG", "local", 1); /* the bootstrap user's organization */
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    close(fd);
    char *out = slurp(out_path, len);
    unlink(out_path);
    return out;
}

/* A tursh session that succeeds, fails and prints handles and errors; then a few commands. */
static void tursh_session(const char *tursh, const char *url) {
    char *script = (char *)"local turso = require 'turso'\n"
                           "local c = turso.client{}\n"
                           "print(c)\n"
                           "print(c.tokens.validate{})\n"
                           "local r, err = c.databases.get{db = 'no-such-db'}\n"
                           "print(r, err, err and err.message, err and err.status)\n"
                           "print(pcall(function() return c:call('no.such.op', {}) end))\n"
                           "print(pcall(function() return c.databases.get{} end))\n";
    char *runs[][6] = {
        {(char *)tursh, (char *)"-e", script, NULL},
        {(char *)tursh, (char *)"db", (char *)"show", (char *)"no-such-db", NULL},
        {(char *)tursh, (char *)"auth", (char *)"api-tokens", (char *)"list", NULL},
        {(char *)tursh, (char *)"--json", (char *)"org", (char *)"list", NULL},
    };
    size_t total = 0;
    int reported_failure = 0;
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        size_t len = 0;
        char *out = tursh_run(url, runs[i], &len);
        total += len;
        if (out) {
            CHECK(memmem(out, len, TOKEN, strlen(TOKEN)) == NULL,
                  "the token is in the output of tursh run %zu", i);
            if (strstr(out, "no-such-db") || strstr(out, "not found") || strstr(out, "NOT_FOUND"))
                reported_failure = 1;
        }
        free(out);
    }
    printf("tursh: %zu bytes of output over %zu runs\n", total, sizeof runs / sizeof *runs);
    CHECK(total > 0, "tursh printed nothing");
    CHECK(reported_failure, "tursh never reported the failed lookup: the session proves little");
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    alarm(180);
    char dir[256], data[300];
    snprintf(dir, sizeof dir, "%s/tp-secrets-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 2;
    snprintf(data, sizeof data, "%s/turso-local.db", dir);

    local_server s;
    if (ls_start(&s, argv[1], data, TOKEN, ADMIN) != 0) return 2;

    struct stat sb;
    CHECK(stat(data, &sb) == 0, "no data file at %s", data);
    CHECK((sb.st_mode & 0777) == 0600, "data file mode %03o, want 600", (unsigned)(sb.st_mode & 0777));

    tp_client *c = client(s.url, TOKEN);
    tp_result *r = NULL;
    CHECK(tp_tokens_validate(c, NULL, &r) == TP_OK, "validate: %s", tp_result_message(r));
    keep(r);
    CHECK(tp_databases_get(c, NULL, "no-such-db", NULL, &r) != TP_OK, "a missing database was found");
    keep(r);
    tp_request(c, "GET", "/v1/no/such/route?x=1", NULL, 0, &r);
    keep(r);
    /* Retries and a failure after them, logged at every step. */
    ls_fault(&s, "{\"method\":\"GET\",\"path\":\"/v1/"
                 "locations\",\"kind\":\"status\",\"status\":503,\"rate\":1,\"count\":100}");
    tp_locations_list(c, NULL, &r);
    keep(r);
    ls_clear_faults(&s);
    /* A minted platform token: the answer shows it once; the server must keep only its hash. */
    tp_tokens_create(c, "secrets-minted", NULL, &r);
    const char *minted_p = tp_value_string(tp_value_get(tp_result_value(r), "token"));
    char minted[512] = "";
    if (minted_p) snprintf(minted, sizeof minted, "%s", minted_p);
    CHECK(minted[0] && strlen(minted) >= 16, "tokens.create gave no token: %s", tp_result_message(r));
    tp_result_free(r);
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", data);
    if (stat(wal, &sb) == 0)
        CHECK((sb.st_mode & 0777) == 0600, "WAL file mode %03o, want 600", (unsigned)(sb.st_mode & 0777));
    tp_batch *b = NULL;
    tp_batch_new(c, &b);
    tp_batch_add(b, "tokens.validate", NULL, NULL);
    tp_batch_add(b, "databases.get", NULL, NULL); /* no org nor db: an argument error */
    tp_batch_run(b);
    append(tp_result_message(tp_batch_result(b, 0)));
    append(tp_result_message(tp_batch_result(b, 1)));
    tp_batch_free(b);
    tp_client_free(c);

    tp_client *bad = client(s.url, WRONG_TOKEN);
    CHECK(tp_tokens_validate(bad, NULL, &r) == TP_E_UNAUTHORIZED, "a wrong token was accepted");
    keep(r);
    tp_client_free(bad);
    if (minted[0]) {
        tp_client *m = client(s.url, minted);
        CHECK(tp_tokens_validate(m, NULL, &r) == TP_OK, "the minted token does not work: %s",
              tp_result_message(r));
        keep(r);
        tp_client_free(m);
    }

    if (argc > 2 && access(argv[2], X_OK) == 0)
        tursh_session(argv[2], s.url);
    else
        printf("tursh not built: its session skipped\n");

    printf("library said %zu bytes (%d DEBUG lines)\n", said_len, debug_lines);
    CHECK(debug_lines >= 4, "the DEBUG log is silent (%d lines): the check below would prove nothing",
          debug_lines);
    CHECK(strstr(said, "->") != NULL, "no request line in the log");
    CHECK(strstr(said, TOKEN) == NULL, "the token is in the log or a message");
    CHECK(strstr(said, WRONG_TOKEN) == NULL, "the wrong token is in the log or a message");
    CHECK(!minted[0] || strstr(said, minted) == NULL, "the minted token is in the log");
    CHECK(strcasestr(said, "Bearer") == NULL, "an Authorization header is in the log");

    s.keep_log = 1;
    CHECK(ls_stop(&s, 1) == 0, "turso-local reported problems (above)"); /* graceful: WAL checkpointed */
    size_t log_len = 0;
    char *server_log = slurp(s.log_path, &log_len);
    CHECK(!server_log || memmem(server_log, log_len, TOKEN, strlen(TOKEN)) == NULL,
          "the token is in turso-local's output");
    CHECK(!server_log || memmem(server_log, log_len, WRONG_TOKEN, strlen(WRONG_TOKEN)) == NULL,
          "a rejected token is in turso-local's output");
    free(server_log);
    unlink(s.log_path);
    int cells = sqlite_scan(data, TOKEN, "the platform token");
    if (minted[0]) sqlite_scan(data, minted, "the minted token");
    printf("data file: %d cells scanned\n", cells);
    CHECK(cells > 0, "the data file holds nothing: the scan proves nothing");
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        char p[340];
        snprintf(p, sizeof p, "%s%s", data, suffixes[i]);
        file_lacks(p, TOKEN, "the platform token");
        if (minted[0]) file_lacks(p, minted, "the minted token");
    }
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
    free(said);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
