/* Soak: many clients create, list and delete databases (and replica instances) while
 * turso-local injects faults; afterwards the server's state must match what the clients saw
 * acknowledged, with no orphan rows. Bounded by --seconds or --iterations, never by luck.
 * usage: hardening_soak TURSO_LOCAL_BINARY [--seconds N | --iterations N] [--threads N]
 *                      [--resource databases|tokens]
 * A short run is test hardening_concurrency (label concurrency, run by scripts/tsan too);
 * scripts/soak runs it for minutes. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "local_server.h"
#include "turso_platform.h"

#define TOKEN "soak-platform-token-1c8e44"
#define ADMIN "soak-admin-token-9a0b3f"
#define MAX_NAMES 100000

enum { ABSENT = 0, PRESENT = 1, UNKNOWN = 2 };

typedef struct {
    int id;
    tp_client *client;
    int names;            /* databases this worker named: soak-<id>-<n> */
    unsigned char *state; /* per name: what acknowledged answers imply */
    long calls, ok, failed, lists;
    int errors; /* invariant violations seen during the run */
} worker;

static local_server srv;
static char org[128];
static char group[64] = "default";
static char location[64] = "";
static volatile int stop_flag;
static int iterations = 0;
static time_t deadline;
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;
static int failures;

static void fail(worker *w, const char *fmt, const char *a, const char *b) {
    pthread_mutex_lock(&err_lock);
    failures++;
    fprintf(stderr, "FAIL worker %d: ", w ? w->id : -1);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    pthread_mutex_unlock(&err_lock);
    if (w) w->errors++;
}

/* What the workers create, list and delete: databases (with replicas), or platform API tokens
 * (--resource tokens: the same checks on another table of the server). */
static int use_tokens;

static tp_status res_create(tp_client *c, const char *name, tp_result **r) {
    if (use_tokens) return tp_tokens_create(c, name, NULL, r);
    tp_params *p = NULL;
    tp_params_new(&p);
    tp_params_set_string(p, "group", group);
    tp_status st = tp_databases_create(c, org, name, p, r);
    tp_params_free(p);
    return st;
}

static tp_status res_delete(tp_client *c, const char *name, tp_result **r) {
    return use_tokens ? tp_tokens_revoke(c, name, NULL, r) : tp_databases_delete(c, org, name, NULL, r);
}

/* Every name a list gives, following pagination.next when the server pages its answer. */
typedef struct {
    char **items;
    int count, cap;
} names;

static void names_free(names *n) {
    for (int i = 0; i < n->count; i++)
        free(n->items[i]);
    free(n->items);
    memset(n, 0, sizeof *n);
}

static tp_status res_list(tp_client *c, names *out) {
    memset(out, 0, sizeof *out);
    char cursor[256] = "";
    for (int page = 0; page < 1000; page++) {
        tp_params *p = NULL;
        tp_params_new(&p);
        if (cursor[0]) tp_params_set_string(p, "cursor", cursor);
        tp_result *r = NULL;
        tp_status st = use_tokens ? tp_tokens_list(c, p, &r) : tp_databases_list(c, org, p, &r);
        tp_params_free(p);
        if (st != TP_OK) {
            tp_result_free(r);
            names_free(out);
            return st;
        }
        const tp_value *v = tp_result_value(r);
        for (const tp_value *d = tp_value_first(tp_value_get(v, use_tokens ? "tokens" : "databases")); d;
             d = tp_value_next(d)) {
            const char *n = tp_value_string(tp_value_get(d, use_tokens ? "name" : "Name"));
            if (!n) continue;
            if (out->count == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->items = realloc(out->items, (size_t)out->cap * sizeof *out->items);
            }
            out->items[out->count++] = strdup(n);
        }
        const char *next = tp_value_string(tp_value_path(v, "pagination.next"));
        if (!next || !next[0] || strlen(next) >= sizeof cursor || !strcmp(next, cursor)) {
            tp_result_free(r);
            return TP_OK;
        }
        snprintf(cursor, sizeof cursor, "%s", next);
        tp_result_free(r);
    }
    return TP_OK;
}

static int rnd(unsigned *seed, int n) {
    return (int)(rand_r(seed) % (unsigned)n);
}

static int done(int i) {
    if (stop_flag) return 1;
    if (iterations) return i >= iterations;
    return time(NULL) >= deadline;
}

/* Whether `name` is in a list. */
static int listed(const names *l, const char *name) {
    for (int i = 0; i < l->count; i++)
        if (strcmp(l->items[i], name) == 0) return 1;
    return 0;
}

static void name_of(char *buf, size_t len, int worker_id, int n) {
    snprintf(buf, len, "soak-%d-%d", worker_id, n);
}

static void *run_worker(void *arg) {
    worker *w = arg;
    unsigned seed = (unsigned)w->id * 7919u + 1;
    char name[64];
    for (int i = 0; !done(i); i++) {
        int op = rnd(&seed, 10);
        tp_result *r = NULL;
        tp_status st;
        if (op < 4 && w->names < MAX_NAMES) { /* create */
            int n = w->names++;
            name_of(name, sizeof name, w->id, n);
            st = res_create(w->client, name, &r);
            if (st == TP_OK || st == TP_E_CONFLICT)
                w->state[n] = PRESENT; /* 409: an earlier attempt landed */
            else
                w->state[n] = UNKNOWN;
        } else if (op < 7 && w->names > 0) { /* delete one of ours */
            int n = rnd(&seed, w->names);
            name_of(name, sizeof name, w->id, n);
            st = res_delete(w->client, name, &r);
            if (st == TP_OK) {
                if (w->state[n] == ABSENT)
                    fail(w, "deleted %s, which acknowledged answers said was gone%s", name, "");
                w->state[n] = ABSENT;
            } else if (st == TP_E_NOT_FOUND) {
                /* Even after an acknowledged create: a retried DELETE meets 404 when its first
                 * attempt landed but the answer was lost. */
                w->state[n] = ABSENT;
            } else if (w->state[n] != ABSENT) {
                w->state[n] = UNKNOWN;
            }
        } else if (op < 8 && w->names > 0 && location[0] && !use_tokens) { /* a replica of one of ours */
            int n = rnd(&seed, w->names);
            name_of(name, sizeof name, w->id, n);
            st = tp_instances_create(w->client, org, name, location, NULL, &r);
            if (st == TP_E_NOT_FOUND && w->state[n] == PRESENT)
                fail(w, "%s acknowledged as created, but instances.create says 404%s", name, "");
        } else { /* list, and check our own databases against it */
            names l;
            st = res_list(w->client, &l);
            if (st == TP_OK) {
                w->lists++;
                for (int n = 0; n < w->names; n++) {
                    if (w->state[n] == UNKNOWN) continue;
                    name_of(name, sizeof name, w->id, n);
                    int in = listed(&l, name);
                    if (in != (w->state[n] == PRESENT))
                        fail(w, "%s: list disagrees with acknowledged answers (%s)", name,
                             in ? "listed" : "missing");
                }
                names_free(&l);
            }
        }
        w->calls++;
        if (st == TP_OK)
            w->ok++;
        else
            w->failed++;
        tp_result_free(r);
    }
    return NULL;
}

static tp_client *client(int timeout_ms) {
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, srv.url);
    tp_options_set_token(o, TOKEN);
    tp_options_set_retry(o, 4, 5);
    tp_options_set_timeout_ms(o, timeout_ms);
    tp_client_new(o, &c);
    tp_options_free(o);
    return c;
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "FAIL: watchdog: the soak hung\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(3);
}

/* SQLite's own checks of the data file: integrity, and foreign keys (orphan rows). */
static void check_data_file(const char *path) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fail(NULL, "cannot open %s%s", path, "");
        sqlite3_close(db);
        return;
    }
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL);
    if (s && sqlite3_step(s) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
        fail(NULL, "integrity_check: %s%s", (const char *)sqlite3_column_text(s, 0), "");
    sqlite3_finalize(s);
    int orphans = 0;
    sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL);
    while (s && sqlite3_step(s) == SQLITE_ROW) {
        if (orphans++ < 5)
            fail(NULL, "orphan row in %s (parent %s)", (const char *)sqlite3_column_text(s, 0),
                 (const char *)sqlite3_column_text(s, 2));
    }
    sqlite3_finalize(s);
    printf("data file: integrity ok, %d orphan rows\n", orphans);
    sqlite3_close(db);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s TURSO_LOCAL_BINARY [--seconds N | --iterations N] [--threads N]\n",
                argv[0]);
        return 2;
    }
    int seconds = 120, threads = 8;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seconds"))
            seconds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--iterations"))
            iterations = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--resource"))
            use_tokens = !strcmp(argv[i + 1], "tokens");
    }
    if (threads < 1 || threads > 256 || seconds < 1) return 2;
    signal(SIGALRM, on_alarm);
    alarm((unsigned)(iterations ? 600 : seconds + 300));

    char dir[256], data[300];
    snprintf(dir, sizeof dir, "%s/tp-soak-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 2;
    snprintf(data, sizeof data, "%s/soak.db", dir);
    if (ls_start(&srv, argv[1], data, TOKEN, ADMIN) != 0) return 2;

    tp_client *c = client(20000);
    tp_result *r = NULL;
    tp_organizations_list(c, NULL, &r);
    const tp_value *v = tp_result_value(r);
    const tp_value *first =
        tp_value_type_of(v) == TP_VALUE_ARRAY ? tp_value_at(v, 0) : tp_value_path(v, "organizations.0");
    snprintf(org, sizeof org, "%s",
             tp_value_string(tp_value_get(first, "slug")) ? tp_value_string(tp_value_get(first, "slug"))
                                                          : "");
    tp_result_free(r);
    if (!org[0]) {
        fprintf(stderr, "no organization\n");
        return 2;
    }
    /* A group to put the databases in, with two locations so that replicas can be made. */
    tp_groups_create(c, org, "soak", "ams", NULL, &r);
    if (tp_result_status(r) == TP_OK || tp_result_status(r) == TP_E_CONFLICT)
        snprintf(group, sizeof group, "soak");
    tp_result_free(r);
    tp_groups_add_location(c, org, group, "fra", NULL, &r);
    if (tp_result_status(r) == TP_OK) snprintf(location, sizeof location, "fra");
    tp_result_free(r);
    printf("org %s, group %s, replicas %s\n", org, group, location[0] ? location : "(none)");

    /* Faults on every kind of request: latency, transient statuses, resets, 429. */
    const char *faults[] = {
        "{\"method\":\"*\",\"path\":\"/v1/*\",\"kind\":\"latency\",\"latency_ms\":15,\"rate\":0.2}",
        "{\"method\":\"GET\",\"path\":\"/v1/*\",\"kind\":\"status\",\"status\":503,\"rate\":0.15}",
        "{\"method\":\"GET\",\"path\":\"/v1/*\",\"kind\":\"reset\",\"rate\":0.05}",
        "{\"method\":\"POST\",\"path\":\"/v1/"
        "*\",\"kind\":\"status\",\"status\":429,\"retry_after\":0,\"rate\":0.1}",
        "{\"method\":\"POST\",\"path\":\"/v1/*\",\"kind\":\"reset\",\"rate\":0.05}",
        "{\"method\":\"DELETE\",\"path\":\"/v1/*\",\"kind\":\"status\",\"status\":502,\"rate\":0.1}",
        "{\"method\":\"DELETE\",\"path\":\"/v1/*\",\"kind\":\"truncate\",\"rate\":0.05}",
    };
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++)
        if (ls_fault(&srv, faults[i]) != 0) fail(NULL, "fault refused: %s%s", faults[i], "");

    /* Workers: even ones share one client (concurrent calls on a client), odd ones have their own. */
    worker *ws = calloc((size_t)threads, sizeof *ws);
    pthread_t *ts = calloc((size_t)threads, sizeof *ts);
    tp_client *shared = client(5000);
    deadline = time(NULL) + seconds;
    for (int i = 0; i < threads; i++) {
        ws[i].id = i;
        ws[i].client = i % 2 == 0 ? shared : client(5000);
        ws[i].state = calloc(MAX_NAMES, 1);
        pthread_create(&ts[i], NULL, run_worker, &ws[i]);
    }
    long calls = 0, ok = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ts[i], NULL);
        calls += ws[i].calls;
        ok += ws[i].ok;
    }
    ls_clear_faults(&srv);

    /* Settle: with faults off, the whole list must agree with every acknowledged answer. */
    int present = 0, unknown = 0, listed_ours = 0;
    names all;
    tp_status lst = res_list(c, &all);
    if (lst != TP_OK) fail(NULL, "final list failed: %s%s", tp_status_name(lst), "");
    for (int i = 0; i < all.count; i++) {
        const char *n = all.items[i];
        int wid, k;
        if (sscanf(n, "soak-%d-%d", &wid, &k) != 2) continue;
        listed_ours++;
        if (wid < 0 || wid >= threads || k < 0 || k >= ws[wid].names)
            fail(NULL, "one nobody created: %s%s", n, "");
        else if (ws[wid].state[k] == ABSENT)
            fail(NULL, "%s exists though its deletion was acknowledged%s", n, "");
    }
    char name[64];
    for (int i = 0; i < threads; i++)
        for (int k = 0; k < ws[i].names; k++) {
            if (ws[i].state[k] == UNKNOWN) unknown++;
            if (ws[i].state[k] != PRESENT) continue;
            present++;
            name_of(name, sizeof name, i, k);
            if (!listed(&all, name)) fail(NULL, "%s acknowledged as created, but missing%s", name, "");
        }
    names_free(&all);
    printf("%ld calls (%ld ok) by %d workers; %d %s listed: %d acknowledged, %d unknown outcome\n", calls, ok,
           threads, listed_ours, use_tokens ? "tokens" : "databases", present, unknown);
    if (listed_ours < present || listed_ours > present + unknown)
        fail(NULL, "count mismatch: listed vs acknowledged%s%s", "", "");
    if (calls == 0 || ok == 0) fail(NULL, "no call succeeded: the run proves nothing%s%s", "", "");

    /* Clean up: delete all of ours, then no instance may outlive its database. */
    for (int i = 0; i < threads; i++)
        for (int k = 0; k < ws[i].names; k++) {
            if (ws[i].state[k] == ABSENT) continue;
            name_of(name, sizeof name, i, k);
            res_delete(c, name, &r);
            if (tp_result_status(r) != TP_OK && tp_result_status(r) != TP_E_NOT_FOUND)
                fail(NULL, "cleanup delete %s: %s", name, tp_result_message(r));
            tp_result_free(r);
        }
    tp_client_free(c);
    tp_client_free(shared);
    for (int i = 0; i < threads; i++) {
        if (i % 2) tp_client_free(ws[i].client);
        free(ws[i].state);
    }
    free(ws);
    free(ts);
    if (ls_stop(&srv, 1) != 0) fail(NULL, "turso-local reported problems (above)%s%s", "", "");
    check_data_file(data);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
