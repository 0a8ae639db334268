/* Every documented error code of turso-local, through the C library: 401, 403/404 for another
 * user's organization, 404 for unknown resources, 409 duplicates, 400/422 invalid input,
 * delete protection; each answer is {"error": "..."} and reaches tp_result_message. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

static tlt_env *g_env;

static int in_api(int32_t op) {
    return tp_op_path(op)[0] == '/';
}

/* Any value for each path and required parameter: for calls the server must refuse before it
 * looks at them. */
static tp_params *dummy_args(int32_t op) {
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    for (int32_t j = 0; j < tp_op_param_count(op); j++) {
        int32_t kind = tp_op_param_kind(op, j);
        const char *name = tp_op_param_name(op, j);
        if (kind == TP_PARAM_FILE)
            assert_int_equal(tp_params_set_bytes(p, name, "x", 1), TP_OK);
        else if (kind == TP_PARAM_PATH || tp_op_param_required(op, j))
            assert_int_equal(tp_params_set_string(p, name, !strcmp(name, "org") ? g_env->team : "x1"), TP_OK);
    }
    return p;
}

static void expect_code(tp_result *r, tp_status want, const char *what) {
    tlt_expect(r, want, what);
    tlt_expect_error_body(r, what);
}

/* Every operation refuses a missing or unknown platform token with 401. */
static void unauthorized_everywhere(const char *token) {
    tp_client *c = tlt_client(g_env, token, NULL);
    int checked = 0;
    for (int32_t op = 0; op < tp_op_count(); op++) {
        if (!in_api(op)) continue;
        tp_params *p = dummy_args(op);
        tp_result *r = NULL;
        tp_call(c, tp_op_id(op), p, &r);
        expect_code(r, TP_E_UNAUTHORIZED, tp_op_id(op));
        tp_result_free(r);
        tp_params_free(p);
        checked++;
    }
    assert_int_equal(checked, tp_op_count() - 1);
    tp_client_free(c);
}

static void test_401_no_token(void **state) {
    (void)state;
    unauthorized_everywhere(NULL);
}

static void test_401_invalid_token(void **state) {
    (void)state;
    char bogus[80];
    tlt_secret(bogus);
    unauthorized_everywhere(bogus);
    /* A database token (a JWT) is not a platform token either. */
    char group[TLT_NAME], db[TLT_NAME], jwt[2048];
    tlt_group(g_env, g_env->team, group);
    tlt_db(g_env, g_env->team, group, db);
    tp_result *r = tlt_call(g_env->owner, "databases.create_token", TLT_KV("org", g_env->team, "db", db));
    tlt_expect(r, TP_OK, "databases.create_token");
    tlt_get_string(r, "jwt", jwt, sizeof jwt);
    tp_result_free(r);
    tp_client *c = tlt_client(g_env, jwt, NULL);
    r = tlt_call(c, "databases.list", TLT_KV("org", g_env->team));
    expect_code(r, TP_E_UNAUTHORIZED, "databases.list with a database JWT");
    tp_result_free(r);
    tp_client_free(c);
}

static void test_401_revoked_token(void **state) {
    (void)state;
    char name[TLT_NAME], secret[256];
    tlt_fresh(name, "revokeme");
    tp_result *r = tlt_call(g_env->owner, "tokens.create", TLT_KV("token_name", name));
    tlt_expect(r, TP_OK, "tokens.create");
    tlt_get_string(r, "token", secret, sizeof secret);
    tp_result_free(r);
    tp_client *c = tlt_client(g_env, secret, NULL);
    tlt_ok(tlt_call(c, "tokens.validate", NULL), "tokens.validate with the new token");
    tlt_ok(tlt_call(c, "organizations.list", NULL), "organizations.list with the new token");
    tlt_ok(tlt_call(g_env->owner, "tokens.revoke", TLT_KV("token_name", name)), "tokens.revoke");
    /* Effective at once: the very next call is refused. */
    r = tlt_call(c, "organizations.list", NULL);
    expect_code(r, TP_E_UNAUTHORIZED, "organizations.list with a revoked token");
    tp_result_free(r);
    r = tlt_call(c, "tokens.validate", NULL);
    expect_code(r, TP_E_UNAUTHORIZED, "tokens.validate with a revoked token");
    tp_result_free(r);
    tp_client_free(c);
}

/* A user who is not a member of the team organization gets 403 or 404 on every route of it,
 * and nothing changes: what a destructive call named is still there for the owner. */
static void test_403_404_other_users_org(void **state) {
    (void)state;
    char eve[TLT_NAME], token[80];
    tlt_user(g_env, eve, token);
    tp_client *c = tlt_client(g_env, token, NULL);
    int checked = 0;
    for (int32_t op = 0; op < tp_op_count(); op++) {
        if (!in_api(op) || !tlt_has_param(op, "org", TP_PARAM_PATH)) continue;
        tlt_args a;
        tlt_derive(g_env, op, &a);
        tp_result *r = NULL;
        tp_call(c, tp_op_id(op), a.params, &r);
        tp_status st = tp_result_status(r);
        if (st != TP_E_FORBIDDEN && st != TP_E_NOT_FOUND)
            fail_msg("%s by a non-member: expected 403 or 404, got %s (HTTP %d): %s", tp_op_id(op),
                     tp_status_name(st), tp_result_http_status(r), tp_result_body(r, NULL));
        tlt_expect_error_body(r, tp_op_id(op));
        tp_result_free(r);
        if (a.db[0])
            tlt_ok(tlt_call(g_env->owner, "databases.get", TLT_KV("org", a.org, "db", a.db)),
                   "databases.get after a non-member's call");
        else if (a.group[0])
            tlt_ok(tlt_call(g_env->owner, "groups.get", TLT_KV("org", a.org, "group", a.group)),
                   "groups.get after a non-member's call");
        if (a.username[0])
            tlt_ok(tlt_call(g_env->owner, "members.get", TLT_KV("org", a.org, "username", a.username)),
                   "members.get after a non-member's call");
        tlt_ok(tlt_call(g_env->owner, "organizations.get", TLT_KV("org", a.org)), "organizations.get");
        tp_params_free(a.params);
        checked++;
    }
    assert_true(checked > 40);
    tp_client_free(c);
}

/* For every operation and every path placeholder naming an existing resource: an unknown
 * value gives 404 (an unknown organization may also be 403: not the caller's). */
static void test_404_unknown_resources(void **state) {
    (void)state;
    int checked = 0;
    for (int32_t op = 0; op < tp_op_count(); op++) {
        if (!in_api(op)) continue;
        for (int32_t j = 0; j < tp_op_param_count(op); j++) {
            const char *name = tp_op_param_name(op, j);
            /* Skip what the call itself creates, and locations (a code, checked below). */
            if (tp_op_param_kind(op, j) != TP_PARAM_PATH || tlt_creates(op, name) ||
                !strcmp(name, "location"))
                continue;
            tlt_args a;
            tlt_derive(g_env, op, &a);
            char missing[TLT_NAME];
            tlt_fresh(missing, "missing");
            if (!strcmp(name, "email")) strcat(missing, "@example.com");
            assert_int_equal(tp_params_set_string(a.params, name, missing), TP_OK);
            tp_result *r = NULL;
            tp_call(g_env->owner, tp_op_id(op), a.params, &r);
            char what[200];
            snprintf(what, sizeof what, "%s with unknown %s", tp_op_id(op), name);
            if (!strcmp(name, "org") && tp_result_status(r) == TP_E_FORBIDDEN)
                tlt_expect_error_body(r, what);
            else
                expect_code(r, TP_E_NOT_FOUND, what);
            tp_result_free(r);
            tp_params_free(a.params);
            checked++;
        }
    }
    assert_true(checked > 50);
    tp_result *r = tlt_call(g_env->owner, "locations.get", TLT_KV("location", "zzz"));
    expect_code(r, TP_E_NOT_FOUND, "locations.get zzz");
    tp_result_free(r);
}

static void expect_conflict(tp_result *r, const char *what) {
    expect_code(r, TP_E_CONFLICT, what);
    tp_result_free(r);
}

static void test_409_duplicates(void **state) {
    (void)state;
    const char *team = g_env->team;
    expect_conflict(tlt_call(g_env->owner, "organizations.create", TLT_KV("name", team)),
                    "organizations.create twice");
    char user[TLT_NAME], token[80];
    tlt_user(g_env, user, token);
    tlt_ok(tlt_call(g_env->owner, "members.add", TLT_KV("org", team, "username", user, "role", "member")),
           "members.add");
    expect_conflict(
        tlt_call(g_env->owner, "members.add", TLT_KV("org", team, "username", user, "role", "member")),
        "members.add twice");
    char name[TLT_NAME];
    tlt_fresh(name, "duptok");
    tlt_ok(tlt_call(g_env->owner, "tokens.create", TLT_KV("token_name", name)), "tokens.create");
    expect_conflict(tlt_call(g_env->owner, "tokens.create", TLT_KV("token_name", name)),
                    "tokens.create twice");
}

static void test_409_duplicate_databases_groups(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], group2[TLT_NAME], db[TLT_NAME];
    tlt_group(g_env, team, group);
    tlt_group(g_env, team, group2);
    tlt_db(g_env, team, group, db);
    expect_conflict(
        tlt_call(g_env->owner, "databases.create", TLT_KV("org", team, "name", db, "group", group)),
        "databases.create twice");
    /* Database names are unique in the organization, not in the group. */
    expect_conflict(
        tlt_call(g_env->owner, "databases.create", TLT_KV("org", team, "name", db, "group", group2)),
        "databases.create in another group");
    expect_conflict(
        tlt_call(g_env->owner, "groups.create", TLT_KV("org", team, "name", group, "location", "ams")),
        "groups.create twice");
}

static void expect_invalid(tp_result *r, const char *what) {
    tp_status st = tp_result_status(r);
    if (st != TP_E_BAD_REQUEST && st != TP_E_UNPROCESSABLE)
        fail_msg("%s: expected 400 or 422, got %s (HTTP %d): %s", what, tp_status_name(st),
                 tp_result_http_status(r), tp_result_body(r, NULL));
    tlt_expect_error_body(r, what);
    tp_result_free(r);
}

static void test_400_422_invalid_input(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME], what[512];
    char user[TLT_NAME], token[80];
    tlt_user(g_env, user, token);
    expect_invalid(
        tlt_call(g_env->owner, "members.add", TLT_KV("org", team, "username", user, "role", "god")),
        "members.add role god");
    expect_invalid(tlt_call(g_env->owner, "organizations.create", TLT_KV("name", "Not An Org")),
                   "organizations.create name \"Not An Org\"");
    tlt_group(g_env, team, group);
    tlt_db(g_env, team, group, db);

    char longest[80], too_long[80];
    memset(longest, 'a', 64);
    longest[64] = 0;
    memset(too_long, 'b', 65);
    too_long[65] = 0;
    const char *bad_names[] = {"Upper", "under_score", "dot.ted", "with space", "sl/ash", too_long};
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
        snprintf(what, sizeof what, "databases.create name \"%s\"", bad_names[i]);
        expect_invalid(tlt_call(g_env->owner, "databases.create",
                                TLT_KV("org", team, "name", bad_names[i], "group", group)),
                       what);
        snprintf(what, sizeof what, "groups.create name \"%s\"", bad_names[i]);
        expect_invalid(tlt_call(g_env->owner, "groups.create",
                                TLT_KV("org", team, "name", bad_names[i], "location", "ams")),
                       what);
    }
    /* 64 characters is still a name. */
    tlt_ok(tlt_call(g_env->owner, "databases.create", TLT_KV("org", team, "name", longest, "group", group)),
           "databases.create with a 64-character name");

    char g2[TLT_NAME];
    tlt_fresh(g2, "badloc");
    expect_invalid(
        tlt_call(g_env->owner, "groups.create", TLT_KV("org", team, "name", g2, "location", "zzz")),
        "groups.create at location zzz");
    expect_invalid(
        tlt_call(g_env->owner, "groups.add_location", TLT_KV("org", team, "group", group, "location", "zzz")),
        "groups.add_location zzz");
    /* An unknown group: bad input, or a missing resource (not documented; both are fair). */
    tp_result *ug = tlt_call(g_env->owner, "databases.create",
                             TLT_KV("org", team, "name", "nogroup-db", "group", "no-such-group"));
    if (tp_result_status(ug) == TP_E_NOT_FOUND)
        tlt_expect_error_body(ug, "databases.create in an unknown group");
    else
        expect_invalid(ug, "databases.create in an unknown group");
    if (tp_result_status(ug) == TP_E_NOT_FOUND) tp_result_free(ug);

    const char *bad_expirations[] = {"soon", "1x", "-1h", "1w2", "h"};
    for (size_t i = 0; i < sizeof bad_expirations / sizeof *bad_expirations; i++) {
        snprintf(what, sizeof what, "databases.create_token expiration \"%s\"", bad_expirations[i]);
        expect_invalid(tlt_call(g_env->owner, "databases.create_token",
                                TLT_KV("org", team, "db", db, "expiration", bad_expirations[i])),
                       what);
        snprintf(what, sizeof what, "groups.create_token expiration \"%s\"", bad_expirations[i]);
        expect_invalid(tlt_call(g_env->owner, "groups.create_token",
                                TLT_KV("org", team, "group", group, "expiration", bad_expirations[i])),
                       what);
    }
    tlt_ok(tlt_call(g_env->owner, "databases.create_token",
                    TLT_KV("org", team, "db", db, "expiration", "1w2d6h3m", "authorization", "read-only")),
           "databases.create_token 1w2d6h3m read-only");
    expect_invalid(tlt_call(g_env->owner, "databases.create_token",
                            TLT_KV("org", team, "db", db, "authorization", "root")),
                   "databases.create_token authorization root");

    /* Bodies that are not the object the route takes. */
    char path[300];
    snprintf(path, sizeof path, "/v1/organizations/%s/databases", team);
    const char *bad_bodies[] = {"{not json", "[]", "\"db\"", "{\"name\": 5, \"group\": \"x\"}", "{}"};
    for (size_t i = 0; i < sizeof bad_bodies / sizeof *bad_bodies; i++) {
        tp_result *r = NULL;
        tp_request(g_env->owner, "POST", path, bad_bodies[i], strlen(bad_bodies[i]), &r);
        snprintf(what, sizeof what, "POST %s with body %s", path, bad_bodies[i]);
        expect_invalid(r, what);
    }
    snprintf(path, sizeof path, "/v1/organizations/%s/groups", team);
    tp_result *r = NULL;
    tp_request(g_env->owner, "POST", path, "{\"name\":", 8, &r);
    expect_invalid(r, "POST groups with a truncated body");
}

/* A replica only goes where its group is. */
static void test_400_422_instance_outside_group(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME];
    tlt_group(g_env, team, group); /* ams, lhr */
    tlt_db(g_env, team, group, db);
    expect_invalid(
        tlt_call(g_env->owner, "instances.create", TLT_KV("org", team, "db", db, "location", "fra")),
        "instances.create outside the group's locations");
}

static void set_protection(const char *org, const char *op, const char *key, const char *value, int32_t on) {
    tp_params *p = NULL;
    tp_result *r = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "org", org), TP_OK);
    assert_int_equal(tp_params_set_string(p, key, value), TP_OK);
    assert_int_equal(tp_params_set_bool(p, "delete_protection", on), TP_OK);
    tp_call(g_env->owner, op, p, &r);
    tlt_expect(r, TP_OK, op);
    assert_int_equal(tp_value_bool(tp_value_path(tp_result_value(r), "delete_protection")), on);
    tp_result_free(r);
    tp_params_free(p);
}

static void expect_blocked(tp_result *r, const char *what) {
    int32_t http = tp_result_http_status(r);
    if (http < 400 || http >= 500)
        fail_msg("%s: expected a 4xx refusal, got HTTP %d: %s", what, http, tp_result_body(r, NULL));
    tlt_expect_error_body(r, what);
    tp_result_free(r);
}

static void test_delete_protection(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME];
    tlt_group(g_env, team, group);
    tlt_db(g_env, team, group, db);

    set_protection(team, "databases.update_config", "db", db, 1);
    expect_blocked(tlt_call(g_env->owner, "databases.delete", TLT_KV("org", team, "db", db)),
                   "databases.delete of a protected database");
    tlt_ok(tlt_call(g_env->owner, "databases.get", TLT_KV("org", team, "db", db)), "protected database kept");
    set_protection(team, "databases.update_config", "db", db, 0);

    set_protection(team, "groups.update_config", "group", group, 1);
    expect_blocked(tlt_call(g_env->owner, "groups.delete", TLT_KV("org", team, "group", group)),
                   "groups.delete of a protected group");
    tlt_ok(tlt_call(g_env->owner, "groups.get", TLT_KV("org", team, "group", group)), "protected group kept");
    tlt_ok(tlt_call(g_env->owner, "databases.get", TLT_KV("org", team, "db", db)), "its database kept");
    set_protection(team, "groups.update_config", "group", group, 0);

    tlt_ok(tlt_call(g_env->owner, "databases.delete", TLT_KV("org", team, "db", db)), "databases.delete");
    tlt_ok(tlt_call(g_env->owner, "groups.delete", TLT_KV("org", team, "group", group)), "groups.delete");

    /* An organization goes only without protected groups. */
    char org[TLT_NAME], kept[TLT_NAME];
    tlt_org(g_env, org);
    tlt_group(g_env, org, kept);
    set_protection(org, "groups.update_config", "group", kept, 1);
    expect_blocked(tlt_call(g_env->owner, "organizations.delete", TLT_KV("org", org)),
                   "organizations.delete with a protected group");
    tlt_ok(tlt_call(g_env->owner, "groups.get", TLT_KV("org", org, "group", kept)), "protected group kept");
    set_protection(org, "groups.update_config", "group", kept, 0);
    tlt_ok(tlt_call(g_env->owner, "organizations.delete", TLT_KV("org", org)), "organizations.delete");
    tp_result *r = tlt_call(g_env->owner, "databases.get", TLT_KV("org", team, "db", db));
    expect_code(r, TP_E_NOT_FOUND, "databases.get after delete");
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
        cmocka_unit_test(test_401_no_token),
        cmocka_unit_test(test_401_invalid_token),
        cmocka_unit_test(test_401_revoked_token),
        cmocka_unit_test(test_403_404_other_users_org),
        cmocka_unit_test(test_404_unknown_resources),
        cmocka_unit_test(test_409_duplicates),
        cmocka_unit_test(test_409_duplicate_databases_groups),
        cmocka_unit_test(test_400_422_invalid_input),
        cmocka_unit_test(test_400_422_instance_outside_group),
        cmocka_unit_test(test_delete_protection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
