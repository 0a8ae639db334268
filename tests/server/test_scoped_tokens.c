/* Restricted platform tokens, through the C library against turso-local: a token pinned to a
 * group (even with "full-access") cannot manage the organization, its members or tokens, nor
 * read beyond its group, nor name another group's database in a body; its restriction follows the group, not its name; minting follows the
 * spec's rules; an organization-scoped token stays out of other organizations' dumps; a removed
 * member's organization tokens end with the membership. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support.h"

static tlt_env *g_env;

/* POSTs `body` to /v1/auth/api-tokens/<fresh name> as `minter`; the answer's result. */
static tp_result *mint(tp_client *minter, const char *body, char name[TLT_NAME]) {
    char path[200];
    tlt_fresh(name, "scoped");
    snprintf(path, sizeof path, "/v1/auth/api-tokens/%s", name);
    tp_result *r = NULL;
    tp_request(minter, "POST", path, body, strlen(body), &r);
    assert_non_null(r);
    return r;
}

/* A client whose token is minted by the owner with this restriction. */
static tp_client *restricted_client(const char *org, const char *group, const char *scopes_json,
                                    char name[TLT_NAME]) {
    char body[512], secret[512];
    if (group)
        snprintf(body, sizeof body, "{\"organization\":\"%s\",\"group\":\"%s\",\"scopes\":%s}", org, group,
                 scopes_json);
    else
        snprintf(body, sizeof body, "{\"organization\":\"%s\"}", org);
    tp_result *r = mint(g_env->owner, body, name);
    tlt_expect(r, TP_OK, "minting a restricted token");
    tlt_get_string(r, "token", secret, sizeof secret);
    tp_result_free(r);
    return tlt_client(g_env, secret, org);
}

static void expect_status(tp_result *r, tp_status status, const char *what) {
    tlt_expect(r, status, what);
    if (status != TP_OK) tlt_expect_error_body(r, what);
    tp_result_free(r);
}

/* A group-scoped token with every scope still manages nothing of the organization. */
static void test_group_token_cannot_manage_the_organization(void **state) {
    (void)state;
    char org[TLT_NAME], group[TLT_NAME], name[TLT_NAME], mine[TLT_NAME];
    tlt_org(g_env, org);
    tlt_group(g_env, org, group);
    tp_client *c = restricted_client(org, group, "[\"full-access\"]", name);

    expect_status(tlt_call(c, "organizations.delete", TLT_KV("org", org)), TP_E_FORBIDDEN,
                  "organizations.delete");
    expect_status(tlt_call(c, "organizations.update", TLT_KV("org", org, "overages", "true")), TP_E_FORBIDDEN,
                  "organizations.update");
    expect_status(tlt_call(c, "members.add", TLT_KV("org", org, "username", "local", "role", "admin")),
                  TP_E_FORBIDDEN, "members.add");
    expect_status(
        tlt_call(c, "invites.create", TLT_KV("org", org, "email", "eve@example.com", "role", "admin")),
        TP_E_FORBIDDEN, "invites.create");
    expect_status(tlt_call(c, "groups.create", TLT_KV("org", org, "name", "another", "location", "ams")),
                  TP_E_FORBIDDEN, "groups.create");
    expect_status(tlt_call(c, "tokens.create", TLT_KV("token_name", "escalate")), TP_E_FORBIDDEN,
                  "tokens.create");
    /* Nor may it revoke the user's other tokens. */
    tp_client *other = restricted_client(org, NULL, NULL, mine);
    expect_status(tlt_call(c, "tokens.revoke", TLT_KV("token_name", mine)), TP_E_FORBIDDEN, "tokens.revoke");
    tlt_ok(tlt_call(other, "organizations.get", TLT_KV("org", org)), "the other token still works");
    /* Organization-wide reads are not its business either. */
    expect_status(tlt_call(c, "organizations.audit_logs", TLT_KV("org", org)), TP_E_FORBIDDEN, "audit_logs");
    expect_status(tlt_call(c, "organizations.usage", TLT_KV("org", org)), TP_E_FORBIDDEN, "usage");
    expect_status(tlt_call(c, "members.list", TLT_KV("org", org)), TP_E_FORBIDDEN, "members.list");

    /* The organization is still there, and the token still does its own work. */
    tlt_ok(tlt_call(g_env->owner, "organizations.get", TLT_KV("org", org)), "organizations.get");
    char db[TLT_NAME];
    tlt_fresh(db, "scoped-db");
    tlt_ok(tlt_call(c, "databases.create", TLT_KV("org", org, "name", db, "group", group)),
           "create in its group");
    tp_client_free(other);
    tp_client_free(c);
}

/* It sees its own group and its own tokens only; it cannot put a database elsewhere, not even
 * in a "default" group that does not exist yet. */
static void test_group_token_sees_and_creates_only_in_its_group(void **state) {
    (void)state;
    char org[TLT_NAME], group[TLT_NAME], other_group[TLT_NAME], name[TLT_NAME], other_name[TLT_NAME];
    tlt_org(g_env, org);
    tlt_group(g_env, org, group);
    tlt_group(g_env, org, other_group);
    tp_client *c = restricted_client(org, group, "[\"read\",\"db:create\"]", name);
    tp_client *other = restricted_client(org, NULL, NULL, other_name);

    char db[TLT_NAME];
    tlt_fresh(db, "nogroup");
    expect_status(tlt_call(c, "databases.create", TLT_KV("org", org, "name", db)), TP_E_FORBIDDEN,
                  "databases.create without a group");
    expect_status(tlt_call(c, "databases.create", TLT_KV("org", org, "name", db, "group", other_group)),
                  TP_E_FORBIDDEN, "databases.create in another group");
    tp_result *r = tlt_call(g_env->owner, "groups.get", TLT_KV("org", org, "group", "default"));
    tlt_expect(r, TP_E_NOT_FOUND, "no default group was made on its behalf");
    tp_result_free(r);

    r = tlt_call(c, "groups.list", TLT_KV("org", org));
    tlt_expect(r, TP_OK, "groups.list");
    const tp_value *groups = tp_value_get(tp_result_value(r), "groups");
    assert_int_equal(tp_value_length(groups), 1);
    assert_string_equal(tp_value_string(tp_value_path(groups, "0.name")), group);
    tp_result_free(r);

    r = tlt_call(c, "tokens.list", NULL);
    tlt_expect(r, TP_OK, "tokens.list");
    assert_non_null(strstr(tp_result_body(r, NULL), name));
    assert_null(strstr(tp_result_body(r, NULL), other_name));
    tp_result_free(r);
    tp_client_free(other);
    tp_client_free(c);
}

/* Paging the database list gives whole pages of its group's databases. */
static void test_group_token_pages_its_databases(void **state) {
    (void)state;
    char org[TLT_NAME], group[TLT_NAME], other_group[TLT_NAME], name[TLT_NAME], db[3][TLT_NAME],
        elsewhere[TLT_NAME];
    tlt_org(g_env, org);
    tlt_group(g_env, org, group);
    tlt_group(g_env, org, other_group);
    /* Names sort the other group's database between this group's. */
    tlt_db(g_env, org, group, db[0]);
    tlt_db(g_env, org, other_group, elsewhere);
    tlt_db(g_env, org, group, db[1]);
    tlt_db(g_env, org, group, db[2]);
    tp_client *c = restricted_client(org, group, "[\"read\"]", name);

    char cursor[TLT_NAME] = "";
    for (int page = 0; page < 3; page++) {
        tp_result *r = tlt_call(c, "databases.list", TLT_KV("org", org, "limit", "1", "cursor", cursor));
        tlt_expect(r, TP_OK, "databases.list");
        const tp_value *dbs = tp_value_get(tp_result_value(r), "databases");
        assert_int_equal(tp_value_length(dbs), 1);
        assert_string_equal(tp_value_string(tp_value_path(dbs, "0.Name")), db[page]);
        const char *next = tp_value_string(tp_value_path(tp_result_value(r), "pagination.next"));
        if (page < 2) {
            assert_non_null(next);
            snprintf(cursor, sizeof cursor, "%s", next);
        } else {
            assert_null(next);
        }
        tp_result_free(r);
    }
    expect_status(tlt_call(c, "databases.list", TLT_KV("org", org, "group", other_group)), TP_E_FORBIDDEN,
                  "databases.list of another group");
    tp_client_free(c);
}

/* Renamed, the group keeps its tokens, and a new group under the old name is not theirs;
 * deleted, the group takes its tokens with it. */
static void test_restriction_follows_the_group(void **state) {
    (void)state;
    char org[TLT_NAME], group[TLT_NAME], renamed[TLT_NAME], name[TLT_NAME], db[TLT_NAME], secret_db[TLT_NAME];
    tlt_org(g_env, org);
    tlt_group(g_env, org, group);
    tlt_db(g_env, org, group, db);
    tp_client *c = restricted_client(org, group, "[\"read\"]", name);

    tlt_fresh(renamed, "renamed");
    tlt_ok(tlt_call(g_env->owner, "groups.rename", TLT_KV("org", org, "group", group, "name", renamed)),
           "groups.rename");
    tlt_ok(tlt_call(g_env->owner, "groups.create", TLT_KV("org", org, "name", group, "location", "ams")),
           "a new group under the old name");
    tlt_db(g_env, org, group, secret_db);
    expect_status(tlt_call(c, "databases.get", TLT_KV("org", org, "db", secret_db)), TP_E_FORBIDDEN,
                  "a database of the new group");
    tlt_ok(tlt_call(c, "databases.get", TLT_KV("org", org, "db", db)), "a database of its renamed group");
    tlt_ok(tlt_call(c, "groups.get", TLT_KV("org", org, "group", renamed)), "its renamed group");

    tlt_ok(tlt_call(g_env->owner, "groups.delete", TLT_KV("org", org, "group", renamed)), "groups.delete");
    expect_status(tlt_call(c, "groups.list", TLT_KV("org", org)), TP_E_UNAUTHORIZED,
                  "a token of a deleted group");
    tp_client_free(c);
}

/* The spec's minting rules: a group needs a non-empty scopes list and an admin or owner; a
 * member may revoke the organization tokens they minted. */
static void test_minting_rules(void **state) {
    (void)state;
    char org[TLT_NAME], group[TLT_NAME], name[TLT_NAME], user[TLT_NAME], token[80], body[512];
    tlt_org(g_env, org);
    tlt_group(g_env, org, group);

    snprintf(body, sizeof body, "{\"organization\":\"%s\",\"group\":\"%s\"}", org, group);
    expect_status(mint(g_env->owner, body, name), TP_E_BAD_REQUEST, "a group without scopes");
    snprintf(body, sizeof body, "{\"organization\":\"%s\",\"group\":\"%s\",\"scopes\":[]}", org, group);
    expect_status(mint(g_env->owner, body, name), TP_E_BAD_REQUEST, "a group with empty scopes");

    tlt_user(g_env, user, token);
    tlt_member(g_env, org, user);
    tp_client *member = tlt_client(g_env, token, org);
    snprintf(body, sizeof body, "{\"organization\":\"%s\",\"group\":\"%s\",\"scopes\":[\"read\"]}", org,
             group);
    expect_status(mint(member, body, name), TP_E_FORBIDDEN, "a member minting a group-scoped token");

    snprintf(body, sizeof body, "{\"organization\":\"%s\"}", org);
    tp_result *r = mint(member, body, name);
    tlt_expect(r, TP_OK, "a member minting an organization token");
    char id[TLT_NAME];
    tlt_get_string(r, "id", id, sizeof id);
    tp_result_free(r);
    tlt_ok(tlt_call(member, "organizations.tokens_revoke", TLT_KV("org", org, "token_id", id)),
           "a member revoking the token they minted");
    tp_client_free(member);
}

/* POSTs `body` to `path` as `c`; the answer's result. */
static tp_result *post(tp_client *c, const char *path, const char *body) {
    tp_result *r = NULL;
    tp_request(c, "POST", path, body, strlen(body), &r);
    assert_non_null(r);
    return r;
}

/* Nor can it name a database of another group where a body names one: as a seed, as a schema, in
 * a database token's read_attach list. */
static void test_group_token_names_no_database_outside(void **state) {
    (void)state;
    char org[TLT_NAME], mine[TLT_NAME], theirs[TLT_NAME], name[TLT_NAME], inside[TLT_NAME], path[300],
        body[600];
    tlt_org(g_env, org);
    tlt_group(g_env, org, mine);
    tlt_group(g_env, org, theirs);
    tlt_db(g_env, org, mine, inside);
    snprintf(path, sizeof path, "/v1/organizations/%s/databases", org);
    snprintf(body, sizeof body, "{\"name\":\"secret\",\"group\":\"%s\",\"is_schema\":true}", theirs);
    tlt_ok(post(g_env->owner, path, body), "a schema database in the other group");
    tp_client *c = restricted_client(org, mine, "[\"full-access\"]", name);

    snprintf(body, sizeof body,
             "{\"name\":\"copy\",\"group\":\"%s\",\"seed\":{\"type\":\"database\",\"name\":\"secret\"}}", mine);
    expect_status(post(c, path, body), TP_E_FORBIDDEN, "a seed from another group");
    snprintf(body, sizeof body, "{\"name\":\"child\",\"group\":\"%s\",\"schema\":\"secret\"}", mine);
    expect_status(post(c, path, body), TP_E_FORBIDDEN, "a schema from another group");
    snprintf(path, sizeof path, "/v1/organizations/%s/databases/%s/auth/tokens", org, inside);
    expect_status(post(c, path, "{\"permissions\":{\"read_attach\":{\"databases\":[\"secret\"]}}}"),
                  TP_E_FORBIDDEN, "read_attach of a database in another group");
    tlt_ok(post(c, path, "{}"), "a token for its own group's database");
    tp_client_free(c);
}

/* Removing a member ends their tokens restricted to the organization: adding the user back
 * does not bring them back. */
static void test_removed_member_loses_org_tokens(void **state) {
    (void)state;
    char org[TLT_NAME], name[TLT_NAME], user[TLT_NAME], token[80], secret[512], body[512];
    tlt_org(g_env, org);
    tlt_user(g_env, user, token);
    tlt_member(g_env, org, user);
    tp_client *member = tlt_client(g_env, token, org);
    snprintf(body, sizeof body, "{\"organization\":\"%s\"}", org);
    tp_result *r = mint(member, body, name);
    tlt_expect(r, TP_OK, "a member minting an organization token");
    tlt_get_string(r, "token", secret, sizeof secret);
    tp_result_free(r);
    tp_client *scoped = tlt_client(g_env, secret, org);
    tlt_ok(tlt_call(scoped, "organizations.get", TLT_KV("org", org)), "the token works while a member");

    tlt_ok(tlt_call(g_env->owner, "members.remove", TLT_KV("org", org, "username", user)), "members.remove");
    tlt_member(g_env, org, user);
    expect_status(tlt_call(scoped, "organizations.get", TLT_KV("org", org)), TP_E_UNAUTHORIZED,
                  "the token of a removed member, after the user was added back");
    tlt_ok(tlt_call(member, "organizations.get", TLT_KV("org", org)), "the user's own login works again");
    tp_client_free(scoped);
    tp_client_free(member);
}

/* An organization-scoped token does not download another organization's dump. */
static void test_org_token_stays_out_of_other_dumps(void **state) {
    (void)state;
    char org[TLT_NAME], name[TLT_NAME];
    tlt_org(g_env, org);
    tp_params *p = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    assert_int_equal(tp_params_set_string(p, "org", g_env->other), TP_OK);
    assert_int_equal(tp_params_set_bytes(p, "file", "dump", 4), TP_OK);
    tp_result *r = NULL;
    tp_call(g_env->owner, "databases.upload_dump", p, &r);
    tp_params_free(p);
    tlt_expect(r, TP_OK, "databases.upload_dump");
    const char *url = tp_value_string(tp_value_get(tp_result_value(r), "dump_url"));
    assert_non_null(url);
    const char *path = strstr(url, "/local/dumps/");
    assert_non_null(path);
    char dump_path[TLT_NAME * 2];
    snprintf(dump_path, sizeof dump_path, "%s", path);
    tp_result_free(r);

    tp_result *own = NULL;
    tp_request(g_env->owner, "GET", dump_path, NULL, 0, &own);
    assert_non_null(own);
    /* Not JSON, so not TP_OK: the bytes are what counts. */
    assert_int_equal(tp_result_http_status(own), 200);
    size_t len = 0;
    const char *bytes = tp_result_body(own, &len);
    assert_int_equal(len, 4);
    assert_memory_equal(bytes, "dump", 4);
    tp_result_free(own);

    tp_client *c = restricted_client(org, NULL, NULL, name);
    tp_result *theirs = NULL;
    tp_request(c, "GET", dump_path, NULL, 0, &theirs);
    assert_non_null(theirs);
    tlt_expect(theirs, TP_E_NOT_FOUND, "a token of another organization downloads the dump");
    tp_result_free(theirs);
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
        cmocka_unit_test(test_group_token_cannot_manage_the_organization),
        cmocka_unit_test(test_group_token_sees_and_creates_only_in_its_group),
        cmocka_unit_test(test_group_token_pages_its_databases),
        cmocka_unit_test(test_restriction_follows_the_group),
        cmocka_unit_test(test_minting_rules),
        cmocka_unit_test(test_org_token_stays_out_of_other_dumps),
        cmocka_unit_test(test_removed_member_loses_org_tokens),
        cmocka_unit_test(test_group_token_names_no_database_outside),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
