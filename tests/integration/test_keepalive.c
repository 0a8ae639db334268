/* Keep-alive: sequential calls on one client reuse one connection, and the client keeps at most
 * tp_options_set_max_connections connections open between calls, batches included; observed
 * server-side. */
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

static void test_sequential_calls_share_a_connection(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    for (int i = 0; i < 20; i++) {
        tp_result *r = NULL;
        assert_int_equal(i % 2 ? tp_tokens_list(c, NULL, &r) : tp_databases_list(c, "acme", NULL, &r), TP_OK);
        tp_result_free(r);
    }
    assert_int_equal(fx_request_count(s), 20);
    assert_int_equal(fx_connection_count(s), 1);
    tp_client_free(c);
    fx_stop(s);
}

static void test_mixed_methods_and_bodies_share_a_connection(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    for (int i = 0; i < 5; i++) {
        tp_result *r = NULL;
        assert_int_equal(tp_databases_create(c, "acme", "db1", NULL, &r), TP_OK);
        tp_result_free(r);
        r = NULL;
        assert_int_equal(tp_databases_delete(c, "acme", "db1", NULL, &r), TP_OK);
        tp_result_free(r);
        r = NULL;
        fx_push(s, 404, NULL, "{\"error\":\"nope\"}", 0);
        assert_int_equal(tp_databases_get(c, "acme", "db1", NULL, &r), TP_E_NOT_FOUND);
        tp_result_free(r);
    }
    assert_int_equal(fx_request_count(s), 15);
    assert_int_equal(fx_connection_count(s), 1);
    tp_client_free(c);
    fx_stop(s);
}

static void test_server_close_is_survived(void **state) {
    (void)state;
    fx_server *s = fx_start();
    tp_client *c = tu_fixture_client(s);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_list(c, NULL, &r), TP_OK);
    tp_result_free(r);
    /* The server drops the kept-alive connection: a GET still succeeds on a fresh one. */
    fx_push_close(s);
    r = NULL;
    assert_int_equal(tp_tokens_list(c, NULL, &r), TP_OK);
    tp_result_free(r);
    assert_int_equal(fx_connection_count(s), 2);
    tp_client_free(c);
    fx_stop(s);
}

static tp_client *client_keeping(fx_server *s, int32_t max_connections) {
    tp_options *o = tu_options(fx_url(s));
    assert_int_equal(tp_options_set_max_connections(o, max_connections), TP_OK);
    return tu_client(o);
}

/* Runs n tokens.validate at concurrency c; each answer takes 100 ms, so all c are in flight. */
static void run_batch(tp_client *c, int n, int concurrency) {
    tp_batch *b = NULL;
    assert_int_equal(tp_batch_new(c, &b), TP_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(tp_batch_add(b, "tokens.validate", NULL, NULL), TP_OK);
    assert_int_equal(tp_batch_set_concurrency(b, concurrency), TP_OK);
    assert_int_equal(tp_batch_run(b), TP_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(tp_result_status(tp_batch_result(b, i)), TP_OK);
    tp_batch_free(b);
}

/* A 64-wide batch needs 64 connections while it runs; with max_connections 1 only one may stay
 * open after it (they all did: the batch's multi handle kept 64, and four were pooled). */
static void test_batch_leaves_at_most_max_connections(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_default(s, 200, NULL, "{}", 100);
    tp_client *c = client_keeping(s, 1);
    run_batch(c, 64, 64);
    assert_true(fx_connection_count(s) >= 32); /* the batch did run them side by side */
    int open = fx_wait_open_connections_at_most(s, 1, 3000);
    if (open > 1) fail_msg("%d connections open after the batch, max_connections is 1", open);
    /* A single call afterwards keeps its own one (single calls have their own limit). */
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    tp_result_free(r);
    open = fx_wait_open_connections_at_most(s, 2, 3000);
    if (open > 2) fail_msg("%d connections open after a call, max_connections is 1 (+1 of the batch)", open);
    tp_client_free(c);
    fx_stop(s);
}

/* With room for them, a batch's connections stay open for the next batch, even with single calls
 * in between (which have their own limit); a wider batch keeps max_connections of its own. */
static void test_connections_kept_within_the_limit(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_default(s, 200, NULL, "{}", 100);
    tp_client *c = client_keeping(s, 8);
    run_batch(c, 8, 8);
    assert_int_equal(fx_connection_count(s), 8);
    run_batch(c, 8, 8);
    assert_int_equal(fx_connection_count(s), 8); /* all reused */
    /* 32 at once: once all have started, the batch keeps 8 of them. */
    run_batch(c, 32, 32);
    int open = fx_wait_open_connections_at_most(s, 8, 3000);
    if (open > 8) fail_msg("%d connections open after the batch, max_connections is 8", open);
    assert_true(open >= 1);
    /* A single call's connection is its own: the batch's stay. */
    fx_set_default(s, 200, NULL, "{}", 0);
    tp_result *r = NULL;
    assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
    tp_result_free(r);
    open = fx_wait_open_connections_at_most(s, 9, 3000);
    if (open > 9) fail_msg("%d connections open after a call, max_connections is 8 (+1 single)", open);
    tp_client_free(c);
    fx_stop(s);
}

/* Batches and single calls taking turns, at the default limit and a batch as wide as it: after
 * the first round nothing reconnects (the limit counted both together closed the whole batch set
 * for the single call's one connection, so every batch opened 16 anew). */
static void test_batches_and_single_calls_keep_their_connections(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_default(s, 200, NULL, "{}", 20);
    tp_client *c = client_keeping(s, 16);
    for (int round = 0; round < 4; round++) {
        run_batch(c, 16, 16);
        tp_result *r = NULL;
        assert_int_equal(tp_tokens_validate(c, NULL, &r), TP_OK);
        tp_result_free(r);
        if (round == 0) assert_int_equal(fx_connection_count(s), 17);
    }
    int opened = fx_connection_count(s);
    if (opened != 17) fail_msg("%d connections opened over 4 rounds, want 17 (16 + 1, each reused)", opened);
    tp_client_free(c);
    fx_stop(s);
}

/* Single calls from many threads at once: no more than max_connections stay open after. */
typedef struct {
    tp_client *client;
} caller;

static void *call_once(void *arg) {
    caller *k = arg;
    tp_result *r = NULL;
    tp_tokens_validate(k->client, NULL, &r);
    tp_result_free(r);
    return NULL;
}

static void test_concurrent_single_calls_within_the_limit(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_default(s, 200, NULL, "{}", 100);
    tp_client *c = client_keeping(s, 2);
    caller k = {c};
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, call_once, &k), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    assert_true(fx_connection_count(s) >= 4);
    int open = fx_wait_open_connections_at_most(s, 2, 3000);
    if (open > 2) fail_msg("%d connections open after the calls, max_connections is 2", open);
    tp_client_free(c);
    fx_stop(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequential_calls_share_a_connection),
        cmocka_unit_test(test_mixed_methods_and_bodies_share_a_connection),
        cmocka_unit_test(test_server_close_is_survived),
        cmocka_unit_test(test_batch_leaves_at_most_max_connections),
        cmocka_unit_test(test_connections_kept_within_the_limit),
        cmocka_unit_test(test_batches_and_single_calls_keep_their_connections),
        cmocka_unit_test(test_concurrent_single_calls_within_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
