/* The fault matrix: every way the network or the server can fail, against turso-local's fault
 * switch (and a tiny fixture server for what the switch cannot do). For each scenario it checks
 * the status, that only safe requests are retried (POSTs are counted server-side), that nothing
 * hangs (a watchdog, not a timing assertion) and, under ASan, that nothing leaks.
 * It writes the scenario table as markdown (argv[2]); a second test compares that with the
 * committed docs/reliability.md.
 * usage: hardening_faults TURSO_LOCAL_BINARY OUT.md */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"
#include "local_server.h"
#include "turso_platform.h"

#define TOKEN "hardening-platform-token-5f2c9a"
#define ADMIN "hardening-admin-token-77e1d0"
#define WATCHDOG_S 90 /* per scenario; far beyond any timeout below */

static int failures;
static const char *current = "setup";

#define CHECK(cond, ...)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            failures++;                                                                                      \
            fprintf(stderr, "FAIL [%s] %s:%d: %s: ", current, __FILE__, __LINE__, #cond);                    \
            fprintf(stderr, __VA_ARGS__);                                                                    \
            fputc('\n', stderr);                                                                             \
        }                                                                                                    \
    } while (0)

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "FAIL: watchdog: a scenario hung past its timeouts\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(3);
}

/* One row of docs/reliability.md. */
typedef struct {
    char scenario[96], request[64], fault[160], status[40], http[16], attempts[16], server_saw[64],
        notes[200];
} row;
static row rows[64];
static int nrows;

static row *begin(const char *name, const char *request, const char *fault) {
    current = name;
    alarm(WATCHDOG_S);
    row *r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->scenario, sizeof r->scenario, "%s", name);
    snprintf(r->request, sizeof r->request, "%s", request);
    snprintf(r->fault, sizeof r->fault, "%s", fault);
    snprintf(r->server_saw, sizeof r->server_saw, "-");
    return r;
}

static void outcome(row *w, const tp_result *res, const char *fmt, ...) {
    snprintf(w->status, sizeof w->status, "%s", tp_status_name(tp_result_status(res)));
    int http = tp_result_http_status(res);
    if (http)
        snprintf(w->http, sizeof w->http, "%d", http);
    else
        snprintf(w->http, sizeof w->http, "-");
    snprintf(w->attempts, sizeof w->attempts, "%d", tp_result_attempts(res));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->notes, sizeof w->notes, fmt, ap);
    va_end(ap);
}

static tp_client *client_for(const char *url, int attempts, int timeout_ms, int64_t max_bytes) {
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, url);
    tp_options_set_token(o, TOKEN);
    tp_options_set_retry(o, attempts, 10);
    tp_options_set_connect_timeout_ms(o, 5000);
    tp_options_set_timeout_ms(o, timeout_ms);
    if (max_bytes) tp_options_set_max_response_bytes(o, max_bytes);
    tp_client_new(o, &c);
    tp_options_free(o);
    if (!c) {
        fprintf(stderr, "cannot make a client\n");
        exit(2);
    }
    return c;
}

static local_server srv;

static tp_status validate(tp_client *c, tp_result **r) {
    return tp_tokens_validate(c, NULL, r);
}

/* The POST of the matrix: minting a platform API token creates a resource the server lists
 * afterwards, so whether a POST was acted on (once, or resent) is seen server-side. */
#define POST_PATH "/v1/auth/api-tokens/*"
static tp_status create_token(tp_client *c, const char *name, tp_result **r) {
    return tp_tokens_create(c, name, NULL, r);
}

/* How many tokens named `name` the server has (-1 when it cannot say). */
static int tokens_named(const char *name) {
    tp_client *c = client_for(srv.url, 1, 20000, 0);
    tp_result *r = NULL;
    int n = -1;
    if (tp_tokens_list(c, NULL, &r) == TP_OK) {
        n = 0;
        for (const tp_value *t = tp_value_first(tp_value_get(tp_result_value(r), "tokens")); t;
             t = tp_value_next(t)) {
            const char *tn = tp_value_string(tp_value_get(t, "name"));
            if (tn && strcmp(tn, name) == 0) n++;
        }
    }
    tp_result_free(r);
    tp_client_free(c);
    return n;
}

static void fault(const char *json) {
    if (ls_fault(&srv, json) != 0) {
        failures++;
        fprintf(stderr, "FAIL [%s]: turso-local refused the fault %s\n", current, json);
    }
}

static void clear(void) {
    if (ls_clear_faults(&srv) != 0) {
        failures++;
        fprintf(stderr, "FAIL [%s]: could not clear faults\n", current);
    }
    alarm(0);
}

/* A port on which nothing listens (bound, then closed). */
static int dead_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

/* ------------------------------------------------------------------------------------------ */

static void latency(void) {
    row *w = begin("latency beyond the timeout", "GET /v1/auth/validate",
                   "latency 3000 ms on every GET; client timeout 400 ms (the whole call), 2 attempts");
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/"
          "validate\",\"kind\":\"latency\",\"latency_ms\":3000,\"rate\":1,\"count\":100}");
    tp_client *c = client_for(srv.url, 2, 400, 0);
    tp_result *r = NULL;
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_E_TIMEOUT, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_http_status(r) == 0, "http %d", tp_result_http_status(r));
    CHECK(tp_result_attempts(r) == 1, "retried past the call's timeout: %d attempts", tp_result_attempts(r));
    outcome(w, r,
            "the timeout bounds the whole call: no time left to retry; never waits for the slow answer");
    tp_result_free(r);
    clear();

    w = begin("latency beyond the timeout, POST", "POST tokens.create",
              "latency 3000 ms on the first POST only (count 1); timeout 400 ms, 2 attempts");
    fault("{\"method\":\"POST\",\"path\":\"" POST_PATH
          "\",\"kind\":\"latency\",\"latency_ms\":3000,\"rate\":1,\"count\":1}");
    create_token(c, "hard-latency-post", &r);
    /* A resent POST would have passed the spent fault and succeeded (or met 409). */
    CHECK(tp_result_status(r) == TP_E_TIMEOUT, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 1, "a timed-out POST was resent: %d attempts", tp_result_attempts(r));
    outcome(w, r, "not resent: the server may have acted on it");
    tp_result_free(r);
    tp_client_free(c);
    clear();
}

static void status_faults(void) {
    tp_client *c = client_for(srv.url, 3, 20000, 0);
    tp_result *r = NULL;

    row *w = begin("500 Internal Server Error", "GET /v1/auth/validate", "status 500 once (count 1)");
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/"
          "validate\",\"kind\":\"status\",\"status\":500,\"rate\":1,\"count\":1}");
    validate(c, &r);
    /* count 1: a retry would have succeeded, so TP_E_SERVER also proves 500 is not retried. */
    CHECK(tp_result_status(r) == TP_E_SERVER, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_http_status(r) == 500, "http %d", tp_result_http_status(r));
    CHECK(tp_result_attempts(r) == 1, "attempts %d", tp_result_attempts(r));
    outcome(w, r, "500 is not transient: not retried");
    tp_result_free(r);
    clear();

    w = begin("502 then success", "GET /v1/auth/validate", "status 502 once (count 1)");
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/"
          "validate\",\"kind\":\"status\",\"status\":502,\"rate\":1,\"count\":1}");
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_OK, "got %s: %s", tp_status_name(tp_result_status(r)),
          tp_result_message(r));
    CHECK(tp_result_attempts(r) == 2, "attempts %d", tp_result_attempts(r));
    outcome(w, r, "retried, then the answer");
    tp_result_free(r);
    clear();

    w = begin("503 twice then success", "GET /v1/auth/validate", "status 503 twice (count 2)");
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/"
          "validate\",\"kind\":\"status\",\"status\":503,\"rate\":1,\"count\":2}");
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_OK, "got %s: %s", tp_status_name(tp_result_status(r)),
          tp_result_message(r));
    CHECK(tp_result_attempts(r) == 3, "attempts %d", tp_result_attempts(r));
    outcome(w, r, "retried with backoff, then the answer");
    tp_result_free(r);
    clear();

    w = begin("503 on a POST", "POST tokens.create", "status 503 once (count 1)");
    fault("{\"method\":\"POST\",\"path\":\"" POST_PATH
          "\",\"kind\":\"status\",\"status\":503,\"rate\":1,\"count\":1}");
    create_token(c, "hard-503-post", &r);
    CHECK(tp_result_status(r) == TP_E_SERVER, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 1, "a POST answered 503 was resent: %d attempts", tp_result_attempts(r));
    int exists = tokens_named("hard-503-post");
    CHECK(exists == 0, "the server minted %d token(s): the POST was resent", exists);
    snprintf(w->server_saw, sizeof w->server_saw, "token absent");
    outcome(w, r, "not resent (the server may have acted before failing)");
    tp_result_free(r);
    clear();

    w = begin("429 with Retry-After, then success", "GET /v1/auth/validate",
              "status 429, Retry-After: 1, once (count 1)");
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/"
          "validate\",\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"rate\":1,\"count\":1}");
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_OK, "got %s: %s", tp_status_name(tp_result_status(r)),
          tp_result_message(r));
    CHECK(tp_result_attempts(r) == 2, "attempts %d", tp_result_attempts(r));
    outcome(w, r, "waits as Retry-After says, then retries");
    tp_result_free(r);
    clear();

    w = begin("429 on a POST, then success", "POST tokens.create",
              "status 429, Retry-After: 1, once (count 1)");
    fault("{\"method\":\"POST\",\"path\":\"" POST_PATH
          "\",\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"rate\":1,\"count\":1}");
    create_token(c, "hard-429-post", &r);
    CHECK(tp_result_status(r) == TP_OK, "got %s: %s", tp_status_name(tp_result_status(r)),
          tp_result_message(r));
    CHECK(tp_result_attempts(r) == 2, "attempts %d", tp_result_attempts(r));
    exists = tokens_named("hard-429-post");
    CHECK(exists == 1, "the server has %d token(s) of that name", exists);
    snprintf(w->server_saw, sizeof w->server_saw, "token minted once");
    outcome(w, r, "429 means not processed: a POST is resent");
    tp_result_free(r);
    clear();

    w = begin("429 that persists", "GET /v1/auth/validate", "status 429, Retry-After: 1, always; 2 attempts");
    tp_client *c2 = client_for(srv.url, 2, 20000, 0);
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/"
          "validate\",\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"rate\":1,\"count\":100}");
    validate(c2, &r);
    CHECK(tp_result_status(r) == TP_E_RATE_LIMITED, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_http_status(r) == 429, "http %d", tp_result_http_status(r));
    const char *ra = tp_result_header(r, "retry-after");
    CHECK(ra && strcmp(ra, "1") == 0, "Retry-After header %s", ra ? ra : "(none)");
    outcome(w, r, "TP_E_RATE_LIMITED once the attempts are spent; Retry-After readable on the result");
    tp_result_free(r);
    tp_client_free(c2);
    clear();
    tp_client_free(c);
}

static void body_faults(void) {
    tp_client *c = client_for(srv.url, 3, 20000, 0);
    tp_result *r = NULL;

    row *w = begin("connection reset after the request is sent", "GET /v1/auth/validate", "reset, always");
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/validate\",\"kind\":\"reset\",\"rate\":1,\"count\":100}");
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_E_NETWORK, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 3, "a GET is safe to retry: attempts %d", tp_result_attempts(r));
    outcome(w, r, "a GET is retried until the attempts are spent");
    tp_result_free(r);
    clear();

    w = begin("connection reset after a POST is sent", "POST tokens.create", "reset once (count 1)");
    fault("{\"method\":\"POST\",\"path\":\"" POST_PATH "\",\"kind\":\"reset\",\"rate\":1,\"count\":1}");
    create_token(c, "hard-reset-post", &r);
    /* count 1: a resend would have gone through and answered TP_OK or TP_E_CONFLICT. */
    CHECK(tp_result_status(r) == TP_E_NETWORK, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 1, "a POST was resent after a reset: %d attempts", tp_result_attempts(r));
    outcome(w, r, "not resent: the server may have acted on it");
    tp_result_free(r);
    clear();

    w = begin("truncated body", "GET /v1/auth/validate", "truncate, always");
    fault(
        "{\"method\":\"GET\",\"path\":\"/v1/auth/validate\",\"kind\":\"truncate\",\"rate\":1,\"count\":100}");
    validate(c, &r);
    tp_status st = tp_result_status(r);
    CHECK(st == TP_E_NETWORK || st == TP_E_BAD_RESPONSE, "got %s", tp_status_name(st));
    CHECK(tp_result_value(r) == NULL, "a half body was parsed into a value");
    outcome(w, r, "never a partial value");
    tp_result_free(r);
    clear();

    w = begin("malformed JSON", "GET /v1/auth/validate", "malformed, always");
    fault("{\"method\":\"GET\",\"path\":\"/v1/auth/"
          "validate\",\"kind\":\"malformed\",\"rate\":1,\"count\":100}");
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_E_BAD_RESPONSE, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_http_status(r) == 200, "http %d", tp_result_http_status(r));
    size_t len = 0;
    tp_result_body(r, &len);
    CHECK(len > 0, "the raw body should be kept for diagnosis");
    outcome(w, r, "HTTP code and raw body kept; not retried");
    tp_result_free(r);
    clear();
    tp_client_free(c);

    w = begin("oversized body", "GET /v1/locations", "none; max_response_bytes 64");
    c = client_for(srv.url, 3, 20000, 64);
    tp_locations_list(c, NULL, &r);
    CHECK(tp_result_status(r) == TP_E_RESPONSE_TOO_LARGE, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 1, "attempts %d", tp_result_attempts(r));
    outcome(w, r, "reading stops at the limit");
    tp_result_free(r);
    tp_client_free(c);
    alarm(0);
}

static void connection_faults(void) {
    char url[128];
    tp_result *r = NULL;

    row *w = begin("connection refused", "GET /v1/auth/validate", "nothing listens on the port");
    snprintf(url, sizeof url, "http://127.0.0.1:%d", dead_port());
    tp_client *c = client_for(url, 3, 20000, 0);
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_E_NETWORK, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_http_status(r) == 0, "http %d", tp_result_http_status(r));
    CHECK(tp_result_attempts(r) == 3, "attempts %d", tp_result_attempts(r));
    outcome(w, r, "retried");
    tp_result_free(r);

    w = begin("connection refused, POST", "POST tokens.create", "nothing listens on the port");
    create_token(c, "fixture-post", &r);
    CHECK(tp_result_status(r) == TP_E_NETWORK, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 3, "a POST that never connected is safe to resend: attempts %d",
          tp_result_attempts(r));
    outcome(w, r, "the request certainly never arrived: resent");
    tp_result_free(r);
    tp_client_free(c);
    alarm(0);

    fx_server *fx = fx_start("127.0.0.1", FX_CLOSE_AT_ONCE, 0, NULL, NULL);
    if (!fx) exit(2);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", fx_port(fx));
    c = client_for(url, 3, 20000, 0);
    w = begin("connection reset before the request is read", "GET /v1/auth/validate",
              "fixture: accepts, then closes at once (RST)");
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_E_NETWORK, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 3, "attempts %d", tp_result_attempts(r));
    CHECK(fx_connections(fx) == 3, "server saw %d connections", fx_connections(fx));
    snprintf(w->server_saw, sizeof w->server_saw, "%d connections", fx_connections(fx));
    outcome(w, r, "a GET is retried");
    tp_result_free(r);
    alarm(0);

    w = begin("connection reset before the request is read, POST", "POST tokens.create",
              "fixture: accepts, then closes at once (RST)");
    tp_status st = create_token(c, "fixture-post", &r);
    /* Whether libcurl meets the RST while connecting (never sent: safe to resend) or after
     * writing the request is a race; either way the server read no request. */
    CHECK(st == TP_E_NETWORK, "got %s", tp_status_name(st));
    CHECK(fx_requests(fx) == 0, "the fixture read %d requests", fx_requests(fx));
    outcome(w, r, "resent only when the reset came while connecting (nothing was sent)");
    snprintf(w->attempts, sizeof w->attempts, "1 or 3");
    snprintf(w->server_saw, sizeof w->server_saw, "0 requests read");
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(fx);
    alarm(0);

    fx = fx_start("127.0.0.1", FX_RESET_AFTER_READ, 0, NULL, NULL);
    if (!fx) exit(2);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", fx_port(fx));
    c = client_for(url, 3, 20000, 0);
    w = begin("connection reset after the request is read", "GET /v1/auth/validate",
              "fixture: reads the request, then RST");
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_E_NETWORK, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 3, "attempts %d", tp_result_attempts(r));
    CHECK(fx_requests(fx) == 3, "server read %d requests", fx_requests(fx));
    snprintf(w->server_saw, sizeof w->server_saw, "%d requests", fx_requests(fx));
    outcome(w, r, "a GET is retried");
    tp_result_free(r);
    alarm(0);

    w = begin("connection reset after the request is read, POST", "POST tokens.create",
              "fixture: reads the request, then RST");
    int before = fx_requests(fx);
    create_token(c, "fixture-post", &r);
    CHECK(tp_result_status(r) == TP_E_NETWORK, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(tp_result_attempts(r) == 1, "a POST the server read was resent: %d attempts",
          tp_result_attempts(r));
    CHECK(fx_requests(fx) - before == 1, "server read %d POSTs", fx_requests(fx) - before);
    snprintf(w->server_saw, sizeof w->server_saw, "%d request", fx_requests(fx) - before);
    outcome(w, r, "the server has it: not resent");
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(fx);
    alarm(0);

    fx = fx_start("127.0.0.1", FX_RESPOND, 503, NULL, "{\"error\":\"busy\"}");
    if (!fx) exit(2);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", fx_port(fx));
    c = client_for(url, 3, 20000, 0);
    w = begin("503 always, requests counted by the server", "POST tokens.create",
              "fixture: 503 to everything");
    create_token(c, "fixture-post", &r);
    CHECK(tp_result_status(r) == TP_E_SERVER, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(strcmp(tp_result_message(r), "busy") == 0, "message %s", tp_result_message(r));
    CHECK(fx_requests(fx) == 1, "server saw %d POSTs", fx_requests(fx));
    snprintf(w->server_saw, sizeof w->server_saw, "%d request", fx_requests(fx));
    outcome(w, r, "the service's error text is the message");
    tp_result_free(r);
    alarm(0);

    w = begin("503 always, requests counted by the server, GET", "GET /v1/auth/validate",
              "fixture: 503 to everything");
    int before503 = fx_requests(fx);
    validate(c, &r);
    CHECK(tp_result_status(r) == TP_E_SERVER, "got %s", tp_status_name(tp_result_status(r)));
    CHECK(fx_requests(fx) - before503 == 3, "server saw %d GETs", fx_requests(fx) - before503);
    snprintf(w->server_saw, sizeof w->server_saw, "%d requests", fx_requests(fx) - before503);
    outcome(w, r, "TP_E_SERVER once the attempts are spent");
    tp_result_free(r);
    tp_client_free(c);
    fx_stop(fx);
    alarm(0);
}

/* ------------------------------------------------------------------------------------------ */
/* The server killed in the middle of a batch. */

static pid_t victim;
static int killed_at;

static void kill_on_progress(void *ud, int32_t done, int32_t total) {
    (void)ud;
    (void)total;
    if (done >= 4 && victim > 0) {
        kill(victim, SIGKILL);
        victim = 0;
        killed_at = done;
    }
}

static void killed_mid_batch(const char *binary) {
    row *w = begin("server killed in the middle of a batch", "batch of 40 GET /v1/auth/validate, 4 at a time",
                   "latency 100 ms on GETs; SIGKILL after 4 calls finished");
    local_server k;
    if (ls_start(&k, binary, ":memory:", TOKEN, ADMIN) != 0) exit(2);
    if (ls_fault(&k, "{\"method\":\"GET\",\"path\":\"/v1/auth/"
                     "validate\",\"kind\":\"latency\",\"latency_ms\":100,\"rate\":1,\"count\":1000}") != 0)
        failures++;
    tp_client *c = client_for(k.url, 3, 20000, 0);
    tp_batch *b = NULL;
    tp_batch_new(c, &b);
    tp_batch_set_concurrency(b, 4);
    tp_batch_set_progress(b, kill_on_progress, NULL);
    for (int i = 0; i < 40; i++)
        tp_batch_add(b, "tokens.validate", NULL, NULL);
    victim = k.pid;
    tp_status st = tp_batch_run(b);
    CHECK(st == TP_OK, "tp_batch_run gave %s", tp_status_name(st));
    int ok = 0, net = 0, other = 0;
    for (int i = 0; i < 40; i++) {
        const tp_result *r = tp_batch_result(b, i);
        tp_status s = tp_result_status(r);
        if (s == TP_OK)
            ok++;
        else if (s == TP_E_NETWORK)
            net++;
        else {
            other++;
            fprintf(stderr, "call %d: %s (%s)\n", i, tp_status_name(s), tp_result_message(r));
        }
    }
    CHECK(killed_at >= 4, "the server was never killed");
    CHECK(ok >= 4 && net >= 1 && other == 0, "ok %d, network %d, other %d", ok, net, other);
    snprintf(w->status, sizeof w->status, "TP_OK / TP_E_NETWORK");
    snprintf(w->http, sizeof w->http, "200 / -");
    snprintf(w->attempts, sizeof w->attempts, "1 / 3");
    snprintf(w->notes, sizeof w->notes,
             "tp_batch_run returns TP_OK; calls done before the kill keep TP_OK, every other one ends "
             "TP_E_NETWORK");
    tp_batch_free(b);
    tp_client_free(c);
    CHECK(ls_stop(&k, 0) == 0, "turso-local reported problems (above)"); /* reaps the killed one */
    alarm(0);
}

/* ------------------------------------------------------------------------------------------ */

static int write_table(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    fprintf(f,
            "# Reliability: what the client does when the network or the server fails\n\n"
            "<!-- GENERATED by tests/hardening/faults.c (test hardening_faults): do not edit by hand.\n"
            "     Regenerate: scripts/test, then copy build-test/tests/hardening/reliability.md here;\n"
            "     test hardening_reliability_doc fails while the two differ. -->\n\n"
            "Each row is one scenario of the fault matrix, run against turso-local's fault switch\n"
            "(`POST /admin/faults`) or a small fixture server where the switch cannot do it. Retry policy\n"
            "in every row: at most 3 attempts (2 where the row says so), 10 ms base delay. \"Attempts\" is\n"
            "`tp_result_attempts`; \"Server saw\" is counted on the server side. Every scenario also runs\n"
            "under AddressSanitizer (no leak) and under a watchdog (no hang past its timeouts).\n\n"
            "Rules these rows show: GET and DELETE are retried on 429, 502, 503, 504 and connection\n"
            "failures; a POST or PATCH only on 429 or when the connection could not be made, since\n"
            "otherwise the server may already have acted on it. The timeout bounds the whole call,\n"
            "retries and waits included. Transport failures have no HTTP code.\n\n");
    fprintf(f, "| Scenario | Request | Fault | Status | HTTP | Attempts | Server saw | Notes |\n");
    fprintf(f, "|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < nrows; i++) {
        row *r = &rows[i];
        fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r->scenario, r->request, r->fault,
                r->status, r->http, r->attempts, r->server_saw, r->notes);
    }
    fprintf(
        f,
        "\n## The rest of the hardening, and where it is checked\n\n"
        "| What | How it is shown | Where |\n"
        "|---|---|---|\n"
        "| No leak, no undefined behaviour | the whole suite runs under ASan + UBSan; turso-local's own "
        "output is "
        "searched for sanitizer reports after every test that starts it | `scripts/test` |\n"
        "| No data race | the concurrency tests (label `concurrency`, and tests named *concurren*, *thread*, "
        "*batch*) under ThreadSanitizer; turso-local's cpp-httplib is compiled in from Debian's "
        "source package of the installed version (`scripts/httplib-source`, `-DTL_HTTPLIB_HEADER_DIR`), "
        "since TSan cannot see the locking inside Debian's uninstrumented libcpp-httplib.so | "
        "`scripts/tsan` |\n"
        "| Parsers survive any input | libFuzzer targets: response parser, tp_value accessors, "
        "percent-encoders and UTF-8 check, request building and base URLs, tp_params, turso-local's request "
        "handling; a few seconds each in the suite, longer by hand; the committed corpus is also replayed by "
        "the "
        "gcc build | `tests/fuzz/`, `scripts/fuzz` |\n"
        "| The token never leaks | a session with the library's log at DEBUG, failures, retries, a batch and "
        "tursh: no log line, message, tursh output or turso-local output holds the token | "
        "`hardening_secrets` |\n"
        "| TLS verified by default | a local HTTPS server with a CA made by openssl at test time: TP_E_TLS "
        "without "
        "the CA, with another CA, or for a name the certificate lacks; TP_OK with tp_options_set_ca_file | "
        "`hardening_tls` |\n"
        "| No Authorization after a redirect | 307 from 127.0.0.1 to 127.0.0.2 and to another port: the "
        "target "
        "never sees the header (the client does not follow redirects: the 307 is the answer) | "
        "`hardening_redirect` |\n"
        "| turso-local keeps only token hashes | its data file (every cell, and the raw bytes of the file "
        "and its "
        "WAL) never holds the bootstrap token nor a minted one; the file is mode 0600. Tokens are compared "
        "as SHA-256 digests with `CRYPTO_memcmp` (`equal_ct`, server/crypto.cpp; used by server/auth.cpp and "
        "server/admin.cpp) | `hardening_secrets` |\n"
        "| The server answers the spec | schemathesis (pinned in tools/python-requirements/) sends valid and "
        "invalid requests to every operation of openapi.json: no 5xx, no answer outside the spec beyond "
        "server/spec-deviations.json | `hardening_schemathesis`, `scripts/fuzz --schemathesis` |\n"
        "| State stays consistent under faults | many clients create, list and delete databases and replicas "
        "while faults fire; afterwards the list matches every acknowledged answer and SQLite finds no orphan "
        "row | `hardening_concurrency` (short), `scripts/soak` (minutes) |\n");
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s TURSO_LOCAL_BINARY OUT.md\n", argv[0]);
        return 2;
    }
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    alarm(WATCHDOG_S);
    if (ls_start(&srv, argv[1], ":memory:", TOKEN, ADMIN) != 0) return 2;

    latency();
    status_faults();
    body_faults();
    connection_faults();
    killed_mid_batch(argv[1]);

    current = "server shutdown";
    CHECK(ls_stop(&srv, 1) == 0, "turso-local reported problems (above)");
    if (write_table(argv[2]) != 0) failures++;
    printf("%d scenarios, %d failed checks\n", nrows, failures);
    return failures ? 1 : 0;
}
