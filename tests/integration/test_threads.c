/* One client used from 8 threads at once, and batches alongside single calls: every call gets
 * its own answer. */
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

#define THREADS 8
#define CALLS 25

typedef struct {
    tp_client *client;
    int id;
    int failures;
} worker;

static void *run(void *arg) {
    worker *w = arg;
    for (int i = 0; i < CALLS; i++) {
        char db[32], want[96];
        snprintf(db, sizeof db, "t%d-c%d", w->id, i);
        snprintf(want, sizeof want, "/v1/organizations/acme/databases/%s", db);
        tp_result *r = NULL;
        tp_status st = tp_databases_get(w->client, "acme", db, NULL, &r);
        const char *target = tp_value_string(tp_value_get(tp_result_value(r), "target"));
        if (st != TP_OK || !target || strcmp(target, want) != 0) w->failures++;
        tp_result_free(r);
    }
    return NULL;
}

static void test_eight_threads_one_client(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_echo(s, 1);
    tp_client *c = tu_fixture_client(s);
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i].client = c;
        workers[i].id = i;
        workers[i].failures = 0;
        assert_int_equal(pthread_create(&threads[i], NULL, run, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(workers[i].failures, 0);
    assert_int_equal(fx_request_count(s), THREADS * CALLS);
    /* Connections are pooled, not one per call. */
    assert_true(fx_connection_count(s) < THREADS * CALLS / 2);
    tp_client_free(c);
    fx_stop(s);
}

static void *run_batch(void *arg) {
    worker *w = arg;
    tp_batch *b = NULL;
    if (tp_batch_new(w->client, &b) != TP_OK) {
        w->failures++;
        return NULL;
    }
    for (int i = 0; i < CALLS; i++) {
        char path[64];
        snprintf(path, sizeof path, "/v1/batch/%d/%d", w->id, i);
        if (tp_batch_add_request(b, "GET", path, NULL, 0, NULL) != TP_OK) w->failures++;
    }
    tp_batch_set_concurrency(b, 4);
    if (tp_batch_run(b) != TP_OK) w->failures++;
    for (int i = 0; i < CALLS; i++) {
        char path[64];
        snprintf(path, sizeof path, "/v1/batch/%d/%d", w->id, i);
        const char *target = tp_value_string(tp_value_get(tp_result_value(tp_batch_result(b, i)), "target"));
        if (!target || strcmp(target, path) != 0) w->failures++;
    }
    tp_batch_free(b);
    return NULL;
}

static void test_batches_on_several_threads(void **state) {
    (void)state;
    fx_server *s = fx_start();
    fx_set_echo(s, 1);
    tp_client *c = tu_fixture_client(s);
    pthread_t threads[4];
    worker workers[4];
    for (int i = 0; i < 4; i++) {
        workers[i].client = c;
        workers[i].id = i;
        workers[i].failures = 0;
        assert_int_equal(pthread_create(&threads[i], NULL, i % 2 ? run : run_batch, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < 4; i++)
        assert_int_equal(workers[i].failures, 0);
    assert_int_equal(fx_request_count(s), 4 * CALLS);
    tp_client_free(c);
    fx_stop(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eight_threads_one_client),
        cmocka_unit_test(test_batches_on_several_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
