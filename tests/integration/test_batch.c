/* Batches: results in the order added, the concurrency limit as the server sees it, progress,
 * per-call argument errors, and cancellation from another thread. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

typedef struct {
    fx_server *server;
    tp_client *client;
    tp_batch *batch;
} env;

static int setup(void **state) {
    env *e = calloc(1, sizeof *e);
    e->server = fx_start();
    fx_set_echo(e->server, 1);
    e->client = tu_fixture_client(e->server);
    assert_int_equal(tp_batch_new(e->client, &e->batch), TP_OK);
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    tp_batch_free(e->batch);
    tp_client_free(e->client);
    fx_stop(e->server);
    free(e);
    return 0;
}

/* Adds databases.get of acme/db-<i>. */
static void add_get(tp_batch *b, int i) {
    tp_params *p = NULL;
    char db[32];
    snprintf(db, sizeof db, "db-%d", i);
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "org", "acme"), TP_OK);
    assert_int_equal(tp_params_set_string(p, "db", db), TP_OK);
    int32_t index = -1;
    assert_int_equal(tp_batch_add(b, "databases.get", p, &index), TP_OK);
    tp_params_free(p); /* the batch keeps a copy */
    assert_int_equal(index, i);
}

static void test_results_in_order(void **state) {
    env *e = *state;
    const int n = 40;
    for (int i = 0; i < n; i++) {
        if (i % 4 == 3) {
            char path[64];
            snprintf(path, sizeof path, "/raw/%d", i);
            int32_t index = -1;
            assert_int_equal(tp_batch_add_request(e->batch, "GET", path, NULL, 0, &index), TP_OK);
            assert_int_equal(index, i);
        } else {
            add_get(e->batch, i);
        }
    }
    assert_int_equal(tp_batch_size(e->batch), n);
    assert_null(tp_batch_result(e->batch, 0)); /* nothing before the run */
    assert_int_equal(tp_batch_set_concurrency(e->batch, 8), TP_OK);
    assert_int_equal(tp_batch_run(e->batch), TP_OK);
    for (int i = 0; i < n; i++) {
        const tp_result *r = tp_batch_result(e->batch, i);
        assert_non_null(r);
        assert_int_equal(tp_result_status(r), TP_OK);
        char want[64];
        if (i % 4 == 3) {
            snprintf(want, sizeof want, "/raw/%d", i);
            assert_null(tp_result_op(r));
        } else {
            snprintf(want, sizeof want, "/v1/organizations/acme/databases/db-%d", i);
            assert_string_equal(tp_result_op(r), "databases.get");
        }
        assert_string_equal(tp_value_string(tp_value_get(tp_result_value(r), "target")), want);
    }
    assert_null(tp_batch_result(e->batch, n));
    assert_null(tp_batch_result(e->batch, -1));
    assert_int_equal(fx_request_count(e->server), n);
    /* Connections are reused across the batch: at most one per concurrent slot. */
    assert_true(fx_connection_count(e->server) <= 8);
}

/* Each result keeps the headers of its own answer, however many (none to more than the 8 a
 * transfer makes room for), after the batch has shed the room its results do not use. */
static void test_results_keep_their_headers(void **state) {
    env *e = *state;
    const int n = 13;
    for (int i = 0; i < n; i++) {
        char headers[1024] = "", line[64];
        for (int h = 0; h < i; h++) {
            snprintf(line, sizeof line, "X-H%d: call %d header %d with a value longer than SSO\r\n", h, i, h);
            strcat(headers, line);
        }
        fx_push(e->server, 200, headers, "{}", 0);
        add_get(e->batch, i);
    }
    assert_int_equal(tp_batch_set_concurrency(e->batch, 1), TP_OK); /* answers in the order pushed */
    assert_int_equal(tp_batch_run(e->batch), TP_OK);
    for (int i = 0; i < n; i++) {
        const tp_result *r = tp_batch_result(e->batch, i);
        assert_int_equal(tp_result_status(r), TP_OK);
        char name[16], want[64];
        for (int h = 0; h < i; h++) {
            snprintf(name, sizeof name, "x-h%d", h);
            snprintf(want, sizeof want, "call %d header %d with a value longer than SSO", i, h);
            assert_non_null(tp_result_header(r, name));
            assert_string_equal(tp_result_header(r, name), want);
        }
        snprintf(name, sizeof name, "x-h%d", i);
        assert_null(tp_result_header(r, name)); /* nothing of a later answer */
        assert_non_null(tp_result_header(r, "content-length"));
    }
}

static void test_concurrency_limit(void **state) {
    env *e = *state;
    fx_set_default(e->server, 200, NULL, "{}", 150);
    for (int i = 0; i < 12; i++)
        add_get(e->batch, i);
    assert_int_equal(tp_batch_set_concurrency(e->batch, 3), TP_OK);
    assert_int_equal(tp_batch_run(e->batch), TP_OK);
    assert_int_equal(fx_request_count(e->server), 12);
    int most = fx_max_in_flight(e->server);
    if (most > 3) fail_msg("%d requests in flight at once, limit 3", most);
    /* And the batch does run calls side by side. */
    assert_true(most >= 2);
}

typedef struct {
    int calls;
    int last_done;
    int bad;
} progress_seen;

static void on_progress(void *userdata, int32_t done, int32_t total) {
    progress_seen *p = userdata;
    p->calls++;
    if (total != 10 || done <= p->last_done || done > total) p->bad = 1;
    p->last_done = done;
}

static void test_progress(void **state) {
    env *e = *state;
    for (int i = 0; i < 10; i++)
        add_get(e->batch, i);
    progress_seen seen = {0, 0, 0};
    assert_int_equal(tp_batch_set_progress(e->batch, on_progress, &seen), TP_OK);
    assert_int_equal(tp_batch_set_concurrency(e->batch, 4), TP_OK);
    assert_int_equal(tp_batch_run(e->batch), TP_OK);
    assert_false(seen.bad);
    assert_int_equal(seen.last_done, 10);
    assert_true(seen.calls >= 1 && seen.calls <= 10);
}

static void test_argument_errors_per_call(void **state) {
    env *e = *state;
    add_get(e->batch, 0);
    assert_int_equal(tp_batch_add(e->batch, "no.such_op", NULL, NULL), TP_OK);
    assert_int_equal(tp_batch_add(e->batch, "databases.get", NULL, NULL), TP_OK); /* no org, no db */
    add_get(e->batch, 3);
    assert_int_equal(tp_batch_run(e->batch), TP_OK);
    assert_int_equal(tp_result_status(tp_batch_result(e->batch, 0)), TP_OK);
    assert_int_equal(tp_result_status(tp_batch_result(e->batch, 1)), TP_E_INVALID_ARGUMENT);
    assert_true(tu_contains(tp_result_message(tp_batch_result(e->batch, 1)), "no.such_op"));
    assert_int_equal(tp_result_status(tp_batch_result(e->batch, 2)), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_result_status(tp_batch_result(e->batch, 3)), TP_OK);
    assert_int_equal(fx_request_count(e->server), 2);
    /* A batch runs once. */
    assert_int_equal(tp_batch_run(e->batch), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_add(e->batch, "tokens.list", NULL, NULL), TP_E_INVALID_ARGUMENT);
}

static void test_bad_arguments(void **state) {
    env *e = *state;
    tp_batch *b = NULL;
    assert_int_equal(tp_batch_new(NULL, &b), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_new(e->client, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_add(NULL, "tokens.list", NULL, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_add(e->batch, NULL, NULL, NULL), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_set_concurrency(e->batch, 0), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_set_concurrency(e->batch, 1025), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_set_concurrency(NULL, 4), TP_E_INVALID_ARGUMENT);
    assert_int_equal(tp_batch_size(NULL), 0);
    assert_null(tp_batch_result(NULL, 0));
    tp_batch_cancel(NULL);
    tp_batch_free(NULL);
    /* An empty batch runs fine. */
    assert_int_equal(tp_batch_run(e->batch), TP_OK);
    assert_int_equal(tp_batch_size(e->batch), 0);
}

typedef struct {
    env *e;
    int cancelled_after_requests;
} canceller;

static void *cancel_when_busy(void *arg) {
    canceller *c = arg;
    c->cancelled_after_requests = fx_wait_requests(c->e->server, 2, 10000);
    tp_batch_cancel(c->e->batch);
    tp_batch_cancel(c->e->batch); /* twice is harmless */
    return NULL;
}

static void test_cancel_from_another_thread(void **state) {
    env *e = *state;
    fx_set_default(e->server, 200, NULL, "{}", 20000);
    for (int i = 0; i < 6; i++)
        add_get(e->batch, i);
    assert_int_equal(tp_batch_set_concurrency(e->batch, 2), TP_OK);
    canceller c = {e, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, cancel_when_busy, &c), 0);
    assert_int_equal(tp_batch_run(e->batch), TP_E_CANCELLED);
    pthread_join(t, NULL);
    assert_true(c.cancelled_after_requests >= 2);
    for (int i = 0; i < 6; i++) {
        const tp_result *r = tp_batch_result(e->batch, i);
        assert_non_null(r);
        assert_int_equal(tp_result_status(r), TP_E_CANCELLED);
    }
    /* Calls never started were never sent. */
    assert_true(fx_request_count(e->server) <= 2);
}

static void test_retries_and_errors_inside_a_batch(void **state) {
    env *e = *state;
    fx_set_echo(e->server, 0);
    /* One call at a time, so that the scripted replies meet the calls in order. */
    assert_int_equal(tp_batch_set_concurrency(e->batch, 1), TP_OK);
    fx_push(e->server, 503, NULL, "{\"error\":\"busy\"}", 0);
    fx_push(e->server, 200, NULL, "{\"database\":{\"Name\":\"db-0\"}}", 0);
    fx_push(e->server, 404, NULL, "{\"error\":\"no such database\"}", 0);
    fx_push(e->server, 200, NULL, "not json", 0);
    add_get(e->batch, 0);
    add_get(e->batch, 1);
    add_get(e->batch, 2);
    assert_int_equal(tp_batch_run(e->batch), TP_OK);
    const tp_result *r0 = tp_batch_result(e->batch, 0);
    assert_int_equal(tp_result_status(r0), TP_OK);
    assert_int_equal(tp_result_attempts(r0), 2);
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r0), "database.Name")), "db-0");
    const tp_result *r1 = tp_batch_result(e->batch, 1);
    assert_int_equal(tp_result_status(r1), TP_E_NOT_FOUND);
    assert_int_equal(tp_result_http_status(r1), 404);
    assert_string_equal(tp_result_message(r1), "no such database");
    assert_int_equal(tp_result_status(tp_batch_result(e->batch, 2)), TP_E_BAD_RESPONSE);
    assert_int_equal(fx_request_count(e->server), 4);
}

static void test_cancel_before_run_is_kept(void **state) {
    env *e = *state;
    /* A cancel that comes before the run (say, from a thread racing the one that starts it) is
     * not lost: nothing is sent, every call ends TP_E_CANCELLED. */
    add_get(e->batch, 0);
    add_get(e->batch, 1);
    tp_batch_cancel(e->batch);
    assert_int_equal(tp_batch_run(e->batch), TP_E_CANCELLED);
    for (int32_t i = 0; i < 2; i++) {
        assert_int_equal(tp_result_status(tp_batch_result(e->batch, i)), TP_E_CANCELLED);
        assert_int_equal(tp_result_attempts(tp_batch_result(e->batch, i)), 0);
    }
    assert_int_equal(fx_request_count(e->server), 0);
    tp_batch_cancel(e->batch); /* after the run: nothing changes */
    assert_int_equal(tp_result_status(tp_batch_result(e->batch, 1)), TP_E_CANCELLED);
    /* Also a batch with nothing to send: the run reports the cancel. */
    tp_batch *empty = NULL;
    assert_int_equal(tp_batch_new(e->client, &empty), TP_OK);
    tp_batch_cancel(empty);
    assert_int_equal(tp_batch_run(empty), TP_E_CANCELLED);
    tp_batch_free(empty);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_results_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_keep_their_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrency_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(test_argument_errors_per_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_from_another_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retries_and_errors_inside_a_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_before_run_is_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
