/* The model behind turso-local's answers, through the C library: hostnames, instances in the
 * group's locations, token rotation invalidating JWTs, audit logs and their pages, platform
 * tokens (exp -1, secret shown once, revocation at once), database ids (UUID version 7). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "support.h"

static tlt_env *g_env;

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* A DbId is a UUID version 7 (RFC 9562: 48 bits of Unix milliseconds, then random bits): the
 * create's answer holds the id that get answers later, ids are distinct, and their time part
 * follows creation order and the clock. */
static int is_uuid_v7(const char *s) {
    if (!s || strlen(s) != 36) return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i])) return 0;
    }
    return s[14] == '7' && strchr("89ab", s[19]) != NULL;
}

static void test_database_ids(void **state) {
    (void)state;
    enum { N = 20 };
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME], ids[N][40];
    tlt_group(g_env, team, group);
    long long now_ms = (long long)time(NULL) * 1000;
    for (int i = 0; i < N; i++) {
        tlt_fresh(db, "iddb");
        tp_result *r =
            tlt_call(g_env->owner, "databases.create", TLT_KV("org", team, "name", db, "group", group));
        tlt_expect(r, TP_OK, "databases.create");
        tlt_get_string(r, "database.DbId", ids[i], sizeof ids[i]);
        tp_result_free(r);
        if (!is_uuid_v7(ids[i])) fail_msg("DbId %s is not a UUID version 7", ids[i]);
        r = tlt_call(g_env->owner, "databases.get", TLT_KV("org", team, "db", db));
        tlt_expect(r, TP_OK, "databases.get");
        assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "database.DbId")), ids[i]);
        tp_result_free(r);
        char hex[13] = {0};
        memcpy(hex, ids[i], 8);
        memcpy(hex + 8, ids[i] + 9, 4);
        long long ms = strtoll(hex, NULL, 16);
        if (ms < now_ms - 86400000LL || ms > now_ms + 86400000LL)
            fail_msg("DbId %s holds %lld ms, the clock says %lld", ids[i], ms, now_ms);
        for (int j = 0; j < i; j++) {
            if (!strcmp(ids[i], ids[j])) fail_msg("DbId %s given twice", ids[i]);
        }
        if (i > 0 && strncmp(ids[i], ids[i - 1], 13) < 0)
            fail_msg("DbId %s created after %s sorts before it", ids[i], ids[i - 1]);
    }
}

/* Hostname of a database: "<db>-<org>.<domain>", the same in create, get and list. */
static void test_hostname_form(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME], host[256], prefix[256];
    tlt_group(g_env, team, group);
    tlt_fresh(db, "hostdb");
    tp_result *r =
        tlt_call(g_env->owner, "databases.create", TLT_KV("org", team, "name", db, "group", group));
    tlt_expect(r, TP_OK, "databases.create");
    tlt_get_string(r, "database.Hostname", host, sizeof host);
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "database.Name")), db);
    assert_non_null(tp_value_string(tp_value_path(tp_result_value(r), "database.DbId")));
    tp_result_free(r);
    snprintf(prefix, sizeof prefix, "%s-%s.", db, team);
    if (strncmp(host, prefix, strlen(prefix)) || strlen(host) == strlen(prefix) || strchr(host, '/'))
        fail_msg("hostname \"%s\" is not %s<domain>", host, prefix);

    r = tlt_call(g_env->owner, "databases.get", TLT_KV("org", team, "db", db));
    tlt_expect(r, TP_OK, "databases.get");
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "database.Hostname")), host);
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "database.group")), group);
    tp_result_free(r);

    /* Instances are hosts of the same domain. */
    const char *domain = host + strlen(prefix) - 1; /* ".<domain>" */
    r = tlt_call(g_env->owner, "instances.list", TLT_KV("org", team, "db", db));
    tlt_expect(r, TP_OK, "instances.list");
    const tp_value *list = tp_value_get(tp_result_value(r), "instances");
    assert_true(tp_value_length(list) >= 1);
    for (const tp_value *i = tp_value_first(list); i; i = tp_value_next(i)) {
        const char *ih = tp_value_string(tp_value_get(i, "hostname"));
        assert_non_null(ih);
        if (!has_suffix(ih, domain)) fail_msg("instance hostname \"%s\" is not in %s", ih, domain);
    }
    tp_result_free(r);
}

static int list_has(const tp_value *array, const char *s) {
    for (const tp_value *v = tp_value_first(array); v; v = tp_value_next(v))
        if (tp_value_string(v) && !strcmp(tp_value_string(v), s)) return 1;
    return 0;
}

/* A database's instances live in its group's locations: the primary in the group's primary,
 * replicas only where the group is; the primary cannot be destroyed. */
static void test_instances_in_group_locations(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME], replica[TLT_NAME];
    tlt_group(g_env, team, group); /* ams, then lhr */
    tlt_db(g_env, team, group, db);

    tp_result *g = tlt_call(g_env->owner, "groups.get", TLT_KV("org", team, "group", group));
    tlt_expect(g, TP_OK, "groups.get");
    const tp_value *locations = tp_value_path(tp_result_value(g), "group.locations");
    assert_int_equal(tp_value_length(locations), 2);
    assert_true(list_has(locations, "ams") && list_has(locations, "lhr"));
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(g), "group.primary")), "ams");

    tlt_instance(g_env, team, db, "lhr", replica);
    tp_result *r = tlt_call(g_env->owner, "instances.list", TLT_KV("org", team, "db", db));
    tlt_expect(r, TP_OK, "instances.list");
    const tp_value *list = tp_value_get(tp_result_value(r), "instances");
    assert_int_equal(tp_value_length(list), 2);
    int primaries = 0;
    char primary[TLT_NAME] = "";
    for (const tp_value *i = tp_value_first(list); i; i = tp_value_next(i)) {
        const char *region = tp_value_string(tp_value_get(i, "region"));
        const char *type = tp_value_string(tp_value_get(i, "type"));
        assert_non_null(region);
        assert_non_null(type);
        if (!list_has(locations, region)) fail_msg("instance in %s, outside the group's locations", region);
        if (!strcmp(type, "primary")) {
            primaries++;
            assert_string_equal(region, "ams");
            snprintf(primary, sizeof primary, "%s", tp_value_string(tp_value_get(i, "name")));
        } else {
            assert_string_equal(type, "replica");
            assert_string_equal(region, "lhr");
        }
    }
    assert_int_equal(primaries, 1);
    tp_result_free(r);
    tp_result_free(g);

    r = tlt_call(g_env->owner, "instances.get", TLT_KV("org", team, "db", db, "instance", replica));
    tlt_expect(r, TP_OK, "instances.get");
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "instance.type")), "replica");
    tp_result_free(r);

    /* The primary stays. */
    r = tlt_call(g_env->owner, "instances.delete", TLT_KV("org", team, "db", db, "instance", primary));
    int32_t http = tp_result_http_status(r);
    if (http < 400 || http >= 500)
        fail_msg("deleting the primary instance: expected a 4xx refusal, got %d: %s", http,
                 tp_result_body(r, NULL));
    tlt_expect_error_body(r, "instances.delete of the primary");
    tp_result_free(r);

    /* A replica goes; deleting answers {"instance": "<name>"}. */
    r = tlt_call(g_env->owner, "instances.delete", TLT_KV("org", team, "db", db, "instance", replica));
    tlt_expect(r, TP_OK, "instances.delete");
    assert_string_equal(tp_value_string(tp_value_get(tp_result_value(r), "instance")), replica);
    tp_result_free(r);
    r = tlt_call(g_env->owner, "instances.list", TLT_KV("org", team, "db", db));
    tlt_expect(r, TP_OK, "instances.list");
    assert_int_equal(tp_value_length(tp_value_get(tp_result_value(r), "instances")), 1);
    tp_result_free(r);
}

/* ---- JWTs and rotation ---- */

/* Whether turso-local accepts `jwt` for the database (or group), by the documented route
 * POST /local/verify-token {"token"} -> {"valid", "database" | "group", "organization"}. */
static int jwt_valid(const char *jwt, const char *org, const char *db, const char *group) {
    char body[4300];
    snprintf(body, sizeof body, "{\"token\": \"%s\"}", jwt);
    tp_result *r = NULL;
    tp_request(g_env->owner, "POST", "/local/verify-token", body, strlen(body), &r);
    tlt_expect(r, TP_OK, "POST /local/verify-token");
    const tp_value *v = tp_result_value(r);
    int valid = tp_value_bool(tp_value_get(v, "valid"));
    if (valid) {
        /* Valid for what it names: that database or group, in that organization. */
        const char *for_name = tp_value_string(tp_value_get(v, db ? "database" : "group"));
        const char *for_org = tp_value_string(tp_value_get(v, "organization"));
        valid = for_name && for_org && !strcmp(for_name, db ? db : group) && !strcmp(for_org, org);
    }
    tp_result_free(r);
    return valid;
}

static void mint(const char *op, const char *key, const char *value, char *jwt, size_t len) {
    tp_result *r = tlt_call(g_env->owner, op, TLT_KV("org", g_env->team, key, value));
    tlt_expect(r, TP_OK, op);
    tlt_get_string(r, "jwt", jwt, len);
    tp_result_free(r);
    /* Three base64url parts: a JWT. */
    assert_non_null(strchr(jwt, '.'));
    assert_non_null(strchr(strchr(jwt, '.') + 1, '.'));
}

static void test_rotate_invalidates_jwts(void **state) {
    (void)state;
    const char *team = g_env->team;
    char group[TLT_NAME], db[TLT_NAME], other_db[TLT_NAME];
    char db_jwt[4096], db_jwt2[4096], group_jwt[4096], other_jwt[4096], after[4096];
    tlt_group(g_env, team, group);
    tlt_db(g_env, team, group, db);
    tlt_db(g_env, team, group, other_db);

    mint("databases.create_token", "db", db, db_jwt, sizeof db_jwt);
    mint("databases.create_token", "db", db, db_jwt2, sizeof db_jwt2);
    mint("databases.create_token", "db", other_db, other_jwt, sizeof other_jwt);
    mint("groups.create_token", "group", group, group_jwt, sizeof group_jwt);
    assert_true(jwt_valid(db_jwt, team, db, NULL));
    assert_true(jwt_valid(db_jwt2, team, db, NULL));
    assert_true(jwt_valid(group_jwt, team, NULL, group));
    /* A token is for its own database only. */
    assert_false(jwt_valid(db_jwt, team, other_db, NULL));
    /* A tampered token is not valid. */
    char tampered[4096];
    snprintf(tampered, sizeof tampered, "%s", db_jwt);
    size_t n = strlen(tampered);
    tampered[n - 2] = tampered[n - 2] == 'A' ? 'B' : 'A';
    assert_false(jwt_valid(tampered, team, db, NULL));
    /* Nor is one whose last character differs only in the bits that carry no byte (a 64-byte
     * signature is 86 characters: the last one's 4 low bits are padding). */
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const char *at = strchr(b64, db_jwt[n - 1]);
    assert_non_null(at);
    for (int k = 1; k < 16; k++) {
        snprintf(tampered, sizeof tampered, "%s", db_jwt);
        tampered[n - 1] = b64[(at - b64) ^ k];
        assert_false(jwt_valid(tampered, team, db, NULL));
    }

    tlt_ok(tlt_call(g_env->owner, "databases.rotate_tokens", TLT_KV("org", team, "db", db)),
           "databases.rotate_tokens");
    assert_false(jwt_valid(db_jwt, team, db, NULL));
    assert_false(jwt_valid(db_jwt2, team, db, NULL));
    /* Other databases' tokens are untouched. */
    assert_true(jwt_valid(other_jwt, team, other_db, NULL));
    /* A token minted after the rotation is valid. */
    mint("databases.create_token", "db", db, after, sizeof after);
    assert_true(jwt_valid(after, team, db, NULL));

    tlt_ok(tlt_call(g_env->owner, "groups.rotate_tokens", TLT_KV("org", team, "group", group)),
           "groups.rotate_tokens");
    assert_false(jwt_valid(group_jwt, team, NULL, group));
    mint("groups.create_token", "group", group, after, sizeof after);
    assert_true(jwt_valid(after, team, NULL, group));
}

/* ---- Schema databases ---- */

static void expect_conflict(tp_result *r, const char *what) {
    tlt_expect(r, TP_E_CONFLICT, what);
    tlt_expect_error_body(r, what);
    tp_result_free(r);
}

/* A child names its schema database within the organization: neither may leave it alone, by a
 * delete or a transfer of the database or of its group; once the child is gone, the schema goes. */
static void test_schema_links_stay_whole(void **state) {
    (void)state;
    char org[TLT_NAME], to[TLT_NAME], ga[TLT_NAME], gb[TLT_NAME], schema[TLT_NAME], child[TLT_NAME];
    char path[300], body[400];
    tlt_org(g_env, org);
    tlt_org(g_env, to);
    tlt_group(g_env, org, ga);
    tlt_group(g_env, org, gb);
    tlt_fresh(schema, "schema");
    tlt_fresh(child, "child");
    snprintf(path, sizeof path, "/v1/organizations/%s/databases", org);
    tp_result *r = NULL;
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"group\":\"%s\",\"is_schema\":true}", schema, ga);
    tp_request(g_env->owner, "POST", path, body, strlen(body), &r);
    tlt_ok(r, "a schema database");
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"group\":\"%s\",\"schema\":\"%s\"}", child, gb, schema);
    tp_request(g_env->owner, "POST", path, body, strlen(body), &r);
    tlt_ok(r, "its child");

    expect_conflict(tlt_call(g_env->owner, "databases.delete", TLT_KV("org", org, "db", schema)),
                    "deleting a schema database with a child");
    expect_conflict(tlt_call(g_env->owner, "groups.delete", TLT_KV("org", org, "group", ga)),
                    "deleting the schema database's group");
    expect_conflict(tlt_call(g_env->owner, "databases.transfer", TLT_KV("org", org, "db", schema, "organization", to)),
                    "moving the schema database away");
    expect_conflict(tlt_call(g_env->owner, "databases.transfer", TLT_KV("org", org, "db", child, "organization", to)),
                    "moving the child away");
    expect_conflict(
        tlt_call(g_env->owner, "groups.transfer", TLT_KV("org", org, "group", gb, "organization", to)),
        "moving the child's group away");
    r = tlt_call(g_env->owner, "databases.get", TLT_KV("org", org, "db", child));
    tlt_expect(r, TP_OK, "the child is still there");
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "database.schema")), schema);
    tp_result_free(r);

    tlt_ok(tlt_call(g_env->owner, "databases.delete", TLT_KV("org", org, "db", child)), "deleting the child");
    tlt_ok(tlt_call(g_env->owner, "databases.delete", TLT_KV("org", org, "db", schema)),
           "deleting the schema database then");
}

/* ---- Audit logs ---- */

static void test_audit_logs_and_pages(void **state) {
    (void)state;
    char org[TLT_NAME], group[TLT_NAME], dbs[5][TLT_NAME];
    tlt_org(g_env, org);
    tlt_group(g_env, org, group);
    for (int i = 0; i < 5; i++)
        tlt_db(g_env, org, group, dbs[i]);
    tlt_ok(tlt_call(g_env->owner, "databases.delete", TLT_KV("org", org, "db", dbs[0])), "databases.delete");

    /* Everything on one page first: the reference order. */
    tp_result *all =
        tlt_call(g_env->owner, "organizations.audit_logs", TLT_KV("org", org, "page_size", "100"));
    tlt_expect(all, TP_OK, "organizations.audit_logs");
    const tp_value *logs = tp_value_get(tp_result_value(all), "audit_logs");
    size_t total = tp_value_length(logs);
    int creates = 0, deletes = 0;
    const char *prev = NULL;
    for (const tp_value *e = tp_value_first(logs); e; e = tp_value_next(e)) {
        const char *code = tp_value_string(tp_value_get(e, "code"));
        const char *at = tp_value_string(tp_value_get(e, "created_at"));
        assert_non_null(code);
        assert_non_null(at);
        assert_string_equal(tp_value_string(tp_value_get(e, "author")), "local");
        creates += !strcmp(code, "db-create");
        deletes += !strcmp(code, "db-delete");
        /* Newest first. */
        if (prev && strcmp(prev, at) < 0) fail_msg("audit log not newest first: %s before %s", prev, at);
        prev = at;
    }
    assert_int_equal(creates, 5);
    assert_int_equal(deletes, 1);
    assert_string_equal(tp_value_string(tp_value_path(logs, "0.code")), "db-delete");
    const tp_value *pg = tp_value_get(tp_result_value(all), "pagination");
    assert_int_equal(tp_value_int64(tp_value_get(pg, "total_rows")), (int64_t)total);
    assert_true(total >= 7); /* the group, five databases, one delete */

    /* Pages of 2 cover the same entries in the same order, and say so. */
    int64_t pages = ((int64_t)total + 1) / 2;
    size_t seen = 0;
    for (int64_t page = 1; page <= pages + 1; page++) {
        char ps[24];
        snprintf(ps, sizeof ps, "%lld", (long long)page);
        tp_result *r = tlt_call(g_env->owner, "organizations.audit_logs",
                                TLT_KV("org", org, "page_size", "2", "page", ps));
        tlt_expect(r, TP_OK, "organizations.audit_logs page");
        const tp_value *p = tp_value_get(tp_result_value(r), "pagination");
        assert_int_equal(tp_value_int64(tp_value_get(p, "page")), page);
        assert_int_equal(tp_value_int64(tp_value_get(p, "page_size")), 2);
        assert_int_equal(tp_value_int64(tp_value_get(p, "total_rows")), (int64_t)total);
        assert_int_equal(tp_value_int64(tp_value_get(p, "total_pages")), pages);
        const tp_value *items = tp_value_get(tp_result_value(r), "audit_logs");
        size_t want = page < pages ? 2 : page == pages ? total - 2 * (size_t)(pages - 1) : 0;
        assert_int_equal(tp_value_length(items), want);
        for (const tp_value *e = tp_value_first(items); e; e = tp_value_next(e), seen++) {
            char *a = NULL, *b = NULL;
            assert_int_equal(tp_value_to_json(e, 0, &a), TP_OK);
            assert_int_equal(tp_value_to_json(tp_value_at(logs, seen), 0, &b), TP_OK);
            assert_string_equal(a, b);
            tp_string_free(a);
            tp_string_free(b);
        }
        tp_result_free(r);
    }
    assert_int_equal(seen, total);
    tp_result_free(all);

    /* A non-member sees none of it. */
    char eve[TLT_NAME], token[80];
    tlt_user(g_env, eve, token);
    tp_client *c = tlt_client(g_env, token, NULL);
    tp_result *r = tlt_call(c, "organizations.audit_logs", TLT_KV("org", org));
    assert_true(tp_result_status(r) == TP_E_FORBIDDEN || tp_result_status(r) == TP_E_NOT_FOUND);
    tp_result_free(r);
    tp_client_free(c);
}

/* ---- Platform tokens ---- */

static void test_validate_never_expiring(void **state) {
    (void)state;
    tp_result *r = tlt_call(g_env->owner, "tokens.validate", NULL);
    tlt_expect(r, TP_OK, "tokens.validate");
    const tp_value *exp = tp_value_get(tp_result_value(r), "exp");
    assert_int_equal(tp_value_type_of(exp), TP_VALUE_NUMBER);
    assert_int_equal(tp_value_int64(exp), -1);
    tp_result_free(r);
}

static void test_platform_token_lifecycle(void **state) {
    (void)state;
    char name[TLT_NAME], secret[512], id[TLT_NAME];
    tlt_fresh(name, "lifecycle");
    tp_result *r = tlt_call(g_env->owner, "tokens.create", TLT_KV("token_name", name));
    tlt_expect(r, TP_OK, "tokens.create");
    tlt_get_string(r, "token", secret, sizeof secret);
    tlt_get_string(r, "id", id, sizeof id);
    assert_string_equal(tp_value_string(tp_value_get(tp_result_value(r), "name")), name);
    assert_true(strlen(secret) >= 20);
    tp_result_free(r);

    /* The new token works, never expires, and is listed without its secret. */
    tp_client *c = tlt_client(g_env, secret, NULL);
    r = tlt_call(c, "tokens.validate", NULL);
    tlt_expect(r, TP_OK, "tokens.validate with the new token");
    assert_int_equal(tp_value_int64(tp_value_get(tp_result_value(r), "exp")), -1);
    tp_result_free(r);
    for (int who = 0; who < 2; who++) {
        r = tlt_call(who ? c : g_env->owner, "tokens.list", NULL);
        tlt_expect(r, TP_OK, "tokens.list");
        int found = 0;
        for (const tp_value *t = tp_value_first(tp_value_get(tp_result_value(r), "tokens")); t;
             t = tp_value_next(t)) {
            if (!strcmp(tp_value_string(tp_value_get(t, "name")), name)) {
                found = 1;
                assert_string_equal(tp_value_string(tp_value_get(t, "id")), id);
            }
            assert_null(tp_value_get(t, "token"));
        }
        assert_true(found);
        /* Shown once: the secret appears nowhere in the list. */
        assert_null(strstr(tp_result_body(r, NULL), secret));
        tp_result_free(r);
    }

    /* Revoking answers {"token": "<name>"} and takes effect on the next request. */
    r = tlt_call(g_env->owner, "tokens.revoke", TLT_KV("token_name", name));
    tlt_expect(r, TP_OK, "tokens.revoke");
    assert_string_equal(tp_value_string(tp_value_get(tp_result_value(r), "token")), name);
    tp_result_free(r);
    r = tlt_call(c, "tokens.list", NULL);
    tlt_expect(r, TP_E_UNAUTHORIZED, "tokens.list with the revoked token");
    tp_result_free(r);
    r = tlt_call(g_env->owner, "tokens.list", NULL);
    tlt_expect(r, TP_OK, "tokens.list");
    assert_null(strstr(tp_result_body(r, NULL), id));
    tp_result_free(r);
    tp_client_free(c);
}

/* ---- Members and organizations ---- */

static void test_members_and_roles(void **state) {
    (void)state;
    char org[TLT_NAME], user[TLT_NAME], token[80];
    tlt_org(g_env, org);
    tlt_user(g_env, user, token);
    tp_result *r = tlt_call(g_env->owner, "members.list", TLT_KV("org", org));
    tlt_expect(r, TP_OK, "members.list");
    const tp_value *m = tp_value_get(tp_result_value(r), "members");
    assert_int_equal(tp_value_length(m), 1);
    assert_string_equal(tp_value_string(tp_value_path(m, "0.username")), "local");
    assert_string_equal(tp_value_string(tp_value_path(m, "0.role")), "owner");
    tp_result_free(r);

    /* Before joining, the user cannot see the organization; after, it can. */
    tp_client *c = tlt_client(g_env, token, NULL);
    r = tlt_call(c, "organizations.get", TLT_KV("org", org));
    assert_true(tp_result_status(r) == TP_E_FORBIDDEN || tp_result_status(r) == TP_E_NOT_FOUND);
    tp_result_free(r);
    tlt_ok(tlt_call(g_env->owner, "members.add", TLT_KV("org", org, "username", user, "role", "member")),
           "members.add");
    tlt_ok(tlt_call(c, "organizations.get", TLT_KV("org", org)), "organizations.get as a member");
    r = tlt_call(c, "organizations.list", NULL);
    tlt_expect(r, TP_OK, "organizations.list");
    assert_non_null(strstr(tp_result_body(r, NULL), org));
    tp_result_free(r);

    tlt_ok(tlt_call(g_env->owner, "members.update", TLT_KV("org", org, "username", user, "role", "admin")),
           "members.update");
    r = tlt_call(g_env->owner, "members.get", TLT_KV("org", org, "username", user));
    tlt_expect(r, TP_OK, "members.get");
    assert_string_equal(tp_value_string(tp_value_path(tp_result_value(r), "member.role")), "admin");
    tp_result_free(r);

    tlt_ok(tlt_call(g_env->owner, "members.remove", TLT_KV("org", org, "username", user)), "members.remove");
    r = tlt_call(c, "organizations.get", TLT_KV("org", org));
    assert_true(tp_result_status(r) == TP_E_FORBIDDEN || tp_result_status(r) == TP_E_NOT_FOUND);
    tp_result_free(r);
    tp_client_free(c);
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
        cmocka_unit_test(test_hostname_form),           cmocka_unit_test(test_instances_in_group_locations),
        cmocka_unit_test(test_rotate_invalidates_jwts), cmocka_unit_test(test_schema_links_stay_whole),
        cmocka_unit_test(test_audit_logs_and_pages),
        cmocka_unit_test(test_validate_never_expiring), cmocka_unit_test(test_platform_token_lifecycle),
        cmocka_unit_test(test_members_and_roles),       cmocka_unit_test(test_database_ids),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
