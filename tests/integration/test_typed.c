/* Typed functions and tp_call put the right method, path, query and JSON body on the wire:
 * a sample of typed functions checked field by field, and every operation of the table
 * (through tp_op_* introspection) checked for method and path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "testutil.h"

typedef struct {
    fx_server *server;
    tp_client *client;
    tp_params *params;
} env;

static int setup(void **state) {
    env *e = calloc(1, sizeof *e);
    e->server = fx_start();
    e->client = tu_fixture_client(e->server);
    assert_int_equal(tp_params_new(&e->params), TP_OK);
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    tp_params_free(e->params);
    tp_client_free(e->client);
    fx_stop(e->server);
    free(e);
    return 0;
}

/* Checks the last request: method, target, and body as JSON equal to `json` (NULL: no body). */
static void expect_request(env *e, tp_status st, const char *method, const char *target, const char *json) {
    assert_int_equal(st, TP_OK);
    int n = fx_request_count(e->server);
    assert_true(n > 0);
    const fx_request *q = fx_request_at(e->server, n - 1);
    assert_string_equal(q->method, method);
    assert_string_equal(q->target, target);
    if (!json) {
        assert_int_equal(q->body_len, 0);
        return;
    }
    char *type = fx_header(q, "Content-Type");
    assert_non_null(type);
    assert_true(strncmp(type, "application/json", 16) == 0);
    free(type);
    cJSON *got = cJSON_ParseWithLength(q->body, q->body_len);
    cJSON *want = cJSON_Parse(json);
    assert_non_null(want);
    if (!got || !cJSON_Compare(got, want, 1))
        fail_msg("%s %s: body %.*s, want %s", method, target, (int)q->body_len, q->body, json);
    cJSON_Delete(got);
    cJSON_Delete(want);
}

static void test_databases_create(void **state) {
    env *e = *state;
    tp_params *p = e->params;
    assert_int_equal(tp_params_set_string(p, "group", "default"), TP_OK);
    assert_int_equal(tp_params_set_bool(p, "is_schema", 1), TP_OK);
    assert_int_equal(tp_params_set_json(p, "seed", "{\"type\":\"database\",\"name\":\"src\"}"), TP_OK);
    assert_int_equal(tp_params_set_string(p, "size_limit", "1gb"), TP_OK);
    tp_result *r = NULL;
    expect_request(e, tp_databases_create(e->client, "acme", "db1", p, &r), "POST",
                   "/v1/organizations/acme/databases",
                   "{\"name\":\"db1\",\"group\":\"default\",\"is_schema\":true,"
                   "\"seed\":{\"type\":\"database\",\"name\":\"src\"},\"size_limit\":\"1gb\"}");
    tp_result_free(r);
}

static void test_value_kinds_and_replacement(void **state) {
    env *e = *state;
    tp_params *p = e->params;
    assert_int_equal(tp_params_set_string(p, "group", "first"), TP_OK);
    assert_int_equal(tp_params_set_null(p, "group"), TP_OK); /* replaces */
    assert_int_equal(tp_params_set_int64(p, "size_limit", INT64_C(4294967296)), TP_OK);
    assert_int_equal(tp_params_set_double(p, "location", 2.5), TP_OK);
    tp_result *r = NULL;
    expect_request(e, tp_databases_create(e->client, "acme", "db2", p, &r), "POST",
                   "/v1/organizations/acme/databases",
                   "{\"name\":\"db2\",\"group\":null,\"size_limit\":4294967296,\"location\":2.5}");
    tp_result_free(r);
}

static void test_tokens_create(void **state) {
    env *e = *state;
    assert_int_equal(tp_params_set_json(e->params, "scopes", "[\"read\",\"db:create\"]"), TP_OK);
    assert_int_equal(tp_params_set_string(e->params, "organization", "acme"), TP_OK);
    tp_result *r = NULL;
    expect_request(e, tp_tokens_create(e->client, "ci token", e->params, &r), "POST",
                   "/v1/auth/api-tokens/ci%20token",
                   "{\"organization\":\"acme\",\"scopes\":[\"read\",\"db:create\"]}");
    tp_result_free(r);
}

static void test_transfer_uses_wire_name(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_request(e, tp_databases_transfer(e->client, "acme", "db1", "other", NULL, &r), "POST",
                   "/v1/organizations/acme/databases/db1/transfer", "{\"org\":\"other\"}");
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_groups_transfer(e->client, "acme", "g1", "other", NULL, &r), "POST",
                   "/v1/organizations/acme/groups/g1/transfer", "{\"organization\":\"other\"}");
    tp_result_free(r);
}

static void test_members_and_invites(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_request(e, tp_members_update(e->client, "acme", "bob", "admin", NULL, &r), "PATCH",
                   "/v1/organizations/acme/members/bob", "{\"role\":\"admin\"}");
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_params_set_string(e->params, "role", "viewer"), TP_OK);
    expect_request(e, tp_members_add(e->client, "acme", "carol", e->params, &r), "POST",
                   "/v1/organizations/acme/members", "{\"username\":\"carol\",\"role\":\"viewer\"}");
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_invites_create_v1(e->client, "acme", "dave", NULL, &r), "POST",
                   "/v1/organizations/acme/invites", "{\"username\":\"dave\"}");
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_members_remove(e->client, "acme", "bob", NULL, &r), "DELETE",
                   "/v1/organizations/acme/members/bob", NULL);
    tp_result_free(r);
}

static void test_groups(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_request(e, tp_groups_create(e->client, "acme", "g1", "ams", NULL, &r), "POST",
                   "/v1/organizations/acme/groups", "{\"name\":\"g1\",\"location\":\"ams\"}");
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_groups_rename(e->client, "acme", "g1", "g2", NULL, &r), "POST",
                   "/v1/organizations/acme/groups/g1/rename", "{\"name\":\"g2\"}");
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_groups_add_location(e->client, "acme", "g1", "fra", NULL, &r), "POST",
                   "/v1/organizations/acme/groups/g1/locations/fra", NULL);
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_user_groups_create(e->client, "mine", "lhr", NULL, &r), "POST", "/v1/groups",
                   "{\"name\":\"mine\",\"location\":\"lhr\"}");
    tp_result_free(r);
}

static void test_org_update_and_create(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    assert_int_equal(tp_params_set_bool(e->params, "overages", 1), TP_OK);
    expect_request(e, tp_organizations_update(e->client, "acme", e->params, &r), "PATCH",
                   "/v1/organizations/acme", "{\"overages\":true}");
    tp_result_free(r);
    r = NULL;
    assert_int_equal(tp_params_clear(e->params), TP_OK);
    assert_int_equal(tp_params_set_bool(e->params, "dry_run", 1), TP_OK);
    expect_request(e, tp_organizations_create(e->client, "neworg", e->params, &r), "POST",
                   "/v1/organizations?dry_run=true", "{\"name\":\"neworg\"}");
    tp_result_free(r);
}

static void test_update_config(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    assert_int_equal(tp_params_set_bool(e->params, "block_reads", 0), TP_OK);
    assert_int_equal(tp_params_set_json(e->params, "allowed_ips", "[\"10.0.0.0/8\"]"), TP_OK);
    expect_request(e, tp_databases_update_config(e->client, "acme", "db1", e->params, &r), "PATCH",
                   "/v1/organizations/acme/databases/db1/configuration",
                   "{\"block_reads\":false,\"allowed_ips\":[\"10.0.0.0/8\"]}");
    tp_result_free(r);
}

static void test_bodyless_ops(void **state) {
    env *e = *state;
    tp_result *r = NULL;
    expect_request(e, tp_databases_delete(e->client, "acme", "db1", NULL, &r), "DELETE",
                   "/v1/organizations/acme/databases/db1", NULL);
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_instances_wait(e->client, "acme", "db1", "i1", NULL, &r), "GET",
                   "/v1/organizations/acme/databases/db1/instances/i1/wait", NULL);
    tp_result_free(r);
    r = NULL;
    expect_request(e, tp_tokens_validate(e->client, NULL, &r), "GET", "/v1/auth/validate", NULL);
    tp_result_free(r);
}

/* The template with each {name} replaced by p-<name>. */
static void fill_template(const char *tmpl, char *out, size_t cap) {
    size_t n = 0;
    for (const char *c = tmpl; *c && n + 1 < cap; c++) {
        if (*c == '{') {
            const char *end = strchr(c, '}');
            n += (size_t)snprintf(out + n, cap - n, "p-%.*s", (int)(end - c - 1), c + 1);
            c = end;
        } else {
            out[n++] = *c;
        }
    }
    out[n] = '\0';
}

static void test_every_operation_method_and_path(void **state) {
    env *e = *state;
    tp_params *p = e->params;
    int checked = 0;
    for (int32_t i = 0; i < tp_op_count(); i++) {
        const char *path = tp_op_path(i);
        if (path[0] != '/') continue; /* another host: see test_region.c */
        assert_int_equal(tp_params_clear(p), TP_OK);
        int body_required = 0;
        for (int32_t j = 0; j < tp_op_param_count(i); j++) {
            const char *name = tp_op_param_name(i, j);
            int32_t kind = tp_op_param_kind(i, j);
            char value[64];
            snprintf(value, sizeof value, kind == TP_PARAM_PATH ? "p-%s" : "v-%s", name);
            if (!tp_op_param_required(i, j)) continue;
            if (kind == TP_PARAM_FILE)
                assert_int_equal(tp_params_set_bytes(p, name, "bytes", 5), TP_OK);
            else
                assert_int_equal(tp_params_set_string(p, name, value), TP_OK);
            body_required |= kind == TP_PARAM_BODY;
        }
        int before = fx_request_count(e->server);
        tp_result *r = NULL;
        tp_status st = tp_call(e->client, tp_op_id(i), p, &r);
        if (st != TP_OK) fail_msg("%s: %s (%s)", tp_op_id(i), tp_status_name(st), tp_result_message(r));
        assert_string_equal(tp_result_op(r), tp_op_id(i));
        tp_result_free(r);
        assert_int_equal(fx_request_count(e->server), before + 1);
        const fx_request *q = fx_request_at(e->server, before);
        char want[256];
        fill_template(path, want, sizeof want);
        if (strcmp(q->method, tp_op_method(i)) != 0 || strcmp(q->target, want) != 0)
            fail_msg("%s: sent %s %s, want %s %s", tp_op_id(i), q->method, q->target, tp_op_method(i), want);
        if (body_required) {
            cJSON *body = cJSON_ParseWithLength(q->body, q->body_len);
            if (!cJSON_IsObject(body) || cJSON_GetArraySize(body) == 0)
                fail_msg("%s: body %.*s is not a JSON object with the required fields", tp_op_id(i),
                         (int)q->body_len, q->body);
            cJSON_Delete(body);
        }
        checked++;
    }
    assert_true(checked > 50);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_databases_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_kinds_and_replacement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer_uses_wire_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_members_and_invites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org_update_and_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bodyless_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_operation_method_and_path, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
