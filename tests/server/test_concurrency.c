/* Many clients at once against one turso-local: nothing written is lost, and of two creates of
 * one name exactly one succeeds and the other gets 409. Each thread has its own tp_client. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "support.h"

#define THREADS 8
#define PER_THREAD 8

static tlt_env *g_env;

typedef struct job {
    pthread_barrier_t *start;
    int index;
    const char *op;
    const char *kv[12];
    char names[PER_THREAD][TLT_NAME];
    int repeat;
    tp_status status[PER_THREAD];
    int http[PER_THREAD];
    const char *then_get; /* after each call that succeeded: this get of the same name ... */
    const char *get_org;  /* ... in this organization */
    tp_status get_status[PER_THREAD];
} job;

/* Worker: waits for the others, then makes its calls with its own client. No cmocka asserts
 * here (they are not thread-safe): the main thread checks what was recorded. */
static void *worker(void *arg) {
    job *j = arg;
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, tl_server_url(g_env->server));
    tp_options_set_token(o, g_env->token);
    tp_options_set_retry(o, 1, 10);
    tp_client_new(o, &c);
    tp_options_free(o);
    pthread_barrier_wait(j->start);
    for (int i = 0; i < j->repeat; i++) {
        tp_params *p = NULL;
        tp_result *r = NULL;
        tp_params_new(&p);
        for (int k = 0; j->kv[k]; k += 2)
            tp_params_set_string(p, j->kv[k], j->kv[k + 1] ? j->kv[k + 1] : j->names[i]);
        tp_call(c, j->op, p, &r);
        j->status[i] = tp_result_status(r);
        j->http[i] = tp_result_http_status(r);
        tp_result_free(r);
        tp_params_free(p);
        if (j->then_get && j->status[i] == TP_OK) {
            tp_params_new(&p);
            tp_params_set_string(p, "org", j->get_org);
            tp_params_set_string(p, "db", j->names[i]);
            tp_call(c, j->then_get, p, &r);
            j->get_status[i] = tp_result_status(r);
            tp_result_free(r);
            tp_params_free(p);
        }
    }
    tp_client_free(c);
    return NULL;
}

/* Runs n jobs at once, released together by a barrier. */
static void run_jobs(job *jobs, int n) {
    pthread_t th[THREADS];
    pthread_barrier_t start;
    assert_true(n <= THREADS);
    assert_int_equal(pthread_barrier_init(&start, NULL, (unsigned)n), 0);
    for (int i = 0; i < n; i++) {
        jobs[i].start = &start;
        jobs[i].index = i;
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
}

static int list_has_name(const tp_value *list, const char *key, const char *name) {
    for (const tp_value *v = tp_value_first(list); v; v = tp_value_next(v)) {
        const tp_value *x = key ? tp_value_get(v, key) : v;
        if (tp_value_string(x) && !strcmp(tp_value_string(x), name)) return 1;
    }
    return 0;
}

/* THREADS clients create PER_THREAD databases each in one group, all at once: every create
 * answers 200 and every database is there afterwards, whole (with its primary instance). */
static void test_parallel_creates_all_kept(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME];
    tlt_group(g_env, team, group);
    static job jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    for (int t = 0; t < THREADS; t++) {
        jobs[t].op = "databases.create";
        jobs[t].repeat = PER_THREAD;
        const char *kv[] = {"org", team, "group", group, "name", NULL, NULL};
        memcpy(jobs[t].kv, kv, sizeof kv);
        for (int i = 0; i < PER_THREAD; i++)
            tlt_fresh(jobs[t].names[i], "par");
    }
    run_jobs(jobs, THREADS);
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < PER_THREAD; i++)
            if (jobs[t].status[i] != TP_OK)
                fail_msg("databases.create %s: %s (HTTP %d)", jobs[t].names[i],
                         tp_status_name(jobs[t].status[i]), jobs[t].http[i]);

    tp_result *r = tlt_call(g_env->owner, "databases.list", TLT_KV("org", team, "group", group));
    tlt_expect(r, TP_OK, "databases.list");
    const tp_value *dbs = tp_value_get(tp_result_value(r), "databases");
    assert_int_equal(tp_value_length(dbs), THREADS * PER_THREAD);
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < PER_THREAD; i++) {
            if (!list_has_name(dbs, "Name", jobs[t].names[i])) fail_msg("database %s lost", jobs[t].names[i]);
            tp_result *ri =
                tlt_call(g_env->owner, "instances.list", TLT_KV("org", team, "db", jobs[t].names[i]));
            tlt_expect(ri, TP_OK, "instances.list");
            int primaries = 0;
            for (const tp_value *i = tp_value_first(tp_value_get(tp_result_value(ri), "instances")); i;
                 i = tp_value_next(i))
                primaries += !strcmp(tp_value_string(tp_value_get(i, "type")), "primary");
            assert_int_equal(primaries, 1);
            tp_result_free(ri);
        }
    tp_result_free(r);
}

/* Write requests that arrive together share one SQLite transaction (group commit), yet each
 * answer comes only after its change committed: a get right after a create's answer, on another
 * connection of the server's (a reader), always finds the database. */
static void test_answered_after_commit(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME];
    tlt_group(g_env, team, group);
    static job jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    for (int t = 0; t < THREADS; t++) {
        jobs[t].op = "databases.create";
        jobs[t].repeat = PER_THREAD;
        jobs[t].then_get = "databases.get";
        jobs[t].get_org = team;
        const char *kv[] = {"org", team, "group", group, "name", NULL, NULL};
        memcpy(jobs[t].kv, kv, sizeof kv);
        for (int i = 0; i < PER_THREAD; i++)
            tlt_fresh(jobs[t].names[i], "raw");
    }
    run_jobs(jobs, THREADS);
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < PER_THREAD; i++) {
            if (jobs[t].status[i] != TP_OK)
                fail_msg("databases.create %s: %s (HTTP %d)", jobs[t].names[i],
                         tp_status_name(jobs[t].status[i]), jobs[t].http[i]);
            if (jobs[t].get_status[i] != TP_OK)
                fail_msg("databases.get %s right after its create: %s", jobs[t].names[i],
                         tp_status_name(jobs[t].get_status[i]));
        }
}

/* Creates CHURN_PER_THREAD databases named "<prefix>-<k>", one at a time, with its own client. */
#define CHURN_PER_THREAD 100
typedef struct churn {
    pthread_barrier_t *start;
    char group[TLT_NAME];
    char prefix[TLT_NAME];
    int failed; /* creates that did not answer 200 */
} churn;

static void *churn_worker(void *arg) {
    churn *j = arg;
    tp_client *c = tlt_client(g_env, g_env->token, g_env->team);
    pthread_barrier_wait(j->start);
    for (int i = 0; i < CHURN_PER_THREAD; i++) {
        char name[TLT_NAME + 16];
        snprintf(name, sizeof name, "%s-%d", j->prefix, i);
        tp_result *r = tlt_call(c, "databases.create", TLT_KV("group", j->group, "name", name));
        j->failed += tp_result_status(r) != TP_OK;
        tp_result_free(r);
    }
    tp_client_free(c);
    return NULL;
}

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Writes pile up in the WAL until turso-local's background checkpointer copies them into the
 * data file (the writer no longer checkpoints inside a commit): under THREADS writers at once, the
 * data file grows while the server runs, and every database written is there. */
static void test_checkpoints_while_writing(void **state) {
    (void)state;
    char group[TLT_NAME];
    tlt_group(g_env, g_env->team, group);
    long before = file_size(g_env->data_path);
    assert_true(before > 0);
    static churn jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    pthread_t th[THREADS];
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
    for (int t = 0; t < THREADS; t++) {
        jobs[t].start = &start;
        strcpy(jobs[t].group, group);
        tlt_fresh(jobs[t].prefix, "ckpt");
        assert_int_equal(pthread_create(&th[t], NULL, churn_worker, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    pthread_barrier_destroy(&start);
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(jobs[t].failed, 0);

    /* ~800 databases with their instances and audit entries: well over 64 KiB of pages. The
     * checkpoint runs in the background: wait for it (up to 30 s), nothing is timed. */
    long after = file_size(g_env->data_path);
    for (int i = 0; i < 300 && after < before + 65536; i++) {
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
        after = file_size(g_env->data_path);
    }
    if (after < before + 65536) {
        char wal[sizeof g_env->data_path + 8];
        snprintf(wal, sizeof wal, "%s-wal", g_env->data_path);
        fail_msg("data file %ld -> %ld bytes (WAL %ld): the WAL was not checkpointed while the server ran",
                 before, after, file_size(wal));
    }

    tp_result *r = tlt_call(g_env->owner, "databases.list", TLT_KV("org", g_env->team, "group", group));
    tlt_expect(r, TP_OK, "databases.list");
    assert_int_equal(tp_value_length(tp_value_get(tp_result_value(r), "databases")),
                     THREADS * CHURN_PER_THREAD);
    tp_result_free(r);
}

/* Counts OK and CONFLICT among n racing calls of one create with one name. */
static void race_one_name(const char *op, const char *const *kv_with_name_last, int n) {
    static job jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    char name[TLT_NAME];
    tlt_fresh(name, "race");
    for (int t = 0; t < n; t++) {
        jobs[t].op = op;
        jobs[t].repeat = 1;
        snprintf(jobs[t].names[0], TLT_NAME, "%s", name);
        for (int k = 0; kv_with_name_last[k]; k++)
            jobs[t].kv[k] = kv_with_name_last[k];
    }
    run_jobs(jobs, n);
    int ok = 0, conflict = 0;
    for (int t = 0; t < n; t++) {
        ok += jobs[t].status[0] == TP_OK;
        conflict += jobs[t].status[0] == TP_E_CONFLICT;
    }
    if (ok != 1 || conflict != n - 1)
        fail_msg("%d concurrent %s of \"%s\": %d succeeded, %d got 409, %d other", n, op, name, ok, conflict,
                 n - ok - conflict);
}

static void test_same_name_databases(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME];
    tlt_group(g_env, team, group);
    for (int round = 0; round < 10; round++) {
        race_one_name("databases.create", TLT_KV("org", team, "group", group, "name", NULL), 2);
        race_one_name("databases.create", TLT_KV("org", team, "group", group, "name", NULL), THREADS);
    }
}

static void test_same_name_groups_orgs_tokens(void **state) {
    (void)state;
    for (int round = 0; round < 10; round++) {
        race_one_name("organizations.create", TLT_KV("name", NULL), 2);
        race_one_name("tokens.create", TLT_KV("token_name", NULL), 2);
        race_one_name("groups.create", TLT_KV("org", g_env->team, "location", "ams", "name", NULL), 2);
    }
}

typedef struct flag_job {
    pthread_barrier_t *start;
    const char *db, *flag;
    tp_status status;
} flag_job;

/* One PATCH of one boolean flag of a database's configuration, released by a barrier. */
static void *flag_worker(void *arg) {
    flag_job *j = arg;
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_params *p = NULL;
    tp_result *r = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, tl_server_url(g_env->server));
    tp_options_set_token(o, g_env->token);
    tp_options_set_retry(o, 1, 10);
    tp_client_new(o, &c);
    tp_options_free(o);
    tp_params_new(&p);
    tp_params_set_string(p, "org", g_env->team);
    tp_params_set_string(p, "db", j->db);
    tp_params_set_bool(p, j->flag, 1);
    pthread_barrier_wait(j->start);
    tp_call(c, "databases.update_config", p, &r);
    j->status = tp_result_status(r);
    tp_result_free(r);
    tp_params_free(p);
    tp_client_free(c);
    return NULL;
}

/* Concurrent changes to different parts of one record all survive: locations added to one
 * group, members added to one organization, fields of one database's configuration. */
static void test_no_lost_locations(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME];
    tlt_group(g_env, team, group); /* ams, lhr */

    /* Locations: THREADS codes the group is not in yet. */
    tp_result *loc = tlt_call(g_env->owner, "locations.list", NULL);
    tlt_expect(loc, TP_OK, "locations.list");
    static job jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    int n = 0;
    for (const tp_value *v = tp_value_first(tp_value_get(tp_result_value(loc), "locations"));
         v && n < THREADS; v = tp_value_next(v)) {
        const char *code = tp_value_key(v);
        if (!strcmp(code, "ams") || !strcmp(code, "lhr")) continue;
        jobs[n].op = "groups.add_location";
        jobs[n].repeat = 1;
        snprintf(jobs[n].names[0], TLT_NAME, "%s", code);
        const char *kv[] = {"org", team, "group", group, "location", NULL, NULL};
        memcpy(jobs[n].kv, kv, sizeof kv);
        n++;
    }
    assert_int_equal(n, THREADS);
    run_jobs(jobs, n);
    tp_result *r = tlt_call(g_env->owner, "groups.get", TLT_KV("org", team, "group", group));
    tlt_expect(r, TP_OK, "groups.get");
    const tp_value *locs = tp_value_path(tp_result_value(r), "group.locations");
    assert_int_equal(tp_value_length(locs), THREADS + 2);
    for (int t = 0; t < n; t++) {
        assert_int_equal(jobs[t].status[0], TP_OK);
        if (!list_has_name(locs, NULL, jobs[t].names[0]))
            fail_msg("location %s lost from group %s", jobs[t].names[0], group);
    }
    tp_result_free(r);
    tp_result_free(loc);
}

static void test_no_lost_members(void **state) {
    (void)state;
    static job jobs[THREADS];
    char org[TLT_NAME], token[80];
    tlt_org(g_env, org);
    memset(jobs, 0, sizeof jobs);
    for (int t = 0; t < THREADS; t++) {
        tlt_user(g_env, jobs[t].names[0], token);
        jobs[t].op = "members.add";
        jobs[t].repeat = 1;
        const char *kv[] = {"org", org, "role", "member", "username", NULL, NULL};
        memcpy(jobs[t].kv, kv, sizeof kv);
    }
    run_jobs(jobs, THREADS);
    tp_result *r = tlt_call(g_env->owner, "members.list", TLT_KV("org", org));
    tlt_expect(r, TP_OK, "members.list");
    const tp_value *members = tp_value_get(tp_result_value(r), "members");
    assert_int_equal(tp_value_length(members), THREADS + 1);
    for (int t = 0; t < THREADS; t++) {
        assert_int_equal(jobs[t].status[0], TP_OK);
        assert_true(list_has_name(members, "username", jobs[t].names[0]));
    }
    tp_result_free(r);
}

static void test_no_lost_config_flags(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME];
    tlt_group(g_env, team, group);
    tlt_db(g_env, team, group, db);
    /* Three clients each switch on a different flag of one database, at once. */
    const char *flags[] = {"block_reads", "block_writes", "delete_protection"};
    pthread_t th[3];
    pthread_barrier_t start;
    flag_job fj[3];
    assert_int_equal(pthread_barrier_init(&start, NULL, 3), 0);
    for (int t = 0; t < 3; t++) {
        fj[t] = (flag_job){&start, db, flags[t], -1};
        assert_int_equal(pthread_create(&th[t], NULL, flag_worker, &fj[t]), 0);
    }
    for (int t = 0; t < 3; t++)
        pthread_join(th[t], NULL);
    pthread_barrier_destroy(&start);
    for (int t = 0; t < 3; t++)
        if (fj[t].status != TP_OK)
            fail_msg("databases.update_config %s: %s", flags[t], tp_status_name(fj[t].status));
    tp_result *r = tlt_call(g_env->owner, "databases.get_config", TLT_KV("org", team, "db", db));
    tlt_expect(r, TP_OK, "databases.get_config");
    for (int t = 0; t < 3; t++)
        if (!tp_value_bool(tp_value_get(tp_result_value(r), flags[t])))
            fail_msg("%s lost: %s", flags[t], tp_result_body(r, NULL));
    tp_result_free(r);
}

static int setup(void **state) {
    (void)state;
    g_env = tlt_start();
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tlt_stop(g_env);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_creates_all_kept), cmocka_unit_test(test_answered_after_commit),
        cmocka_unit_test(test_same_name_databases),       cmocka_unit_test(test_same_name_groups_orgs_tokens),
        cmocka_unit_test(test_no_lost_locations),         cmocka_unit_test(test_no_lost_members),
        cmocka_unit_test(test_no_lost_config_flags),      cmocka_unit_test(test_checkpoints_while_writing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
