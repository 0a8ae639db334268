/* Helpers of the turso-local integration tests (see support.h). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "support.h"

static int counter;

void tlt_fresh(char out[TLT_NAME], const char *prefix) {
    snprintf(out, TLT_NAME, "%s-%d", prefix, __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
}

void tlt_secret(char out[80]) {
    unsigned char raw[24];
    FILE *f = fopen("/dev/urandom", "rb");
    assert_non_null(f);
    assert_int_equal(fread(raw, 1, sizeof raw, f), sizeof raw);
    fclose(f);
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

tp_client *tlt_client(const tlt_env *env, const char *token, const char *org) {
    tp_options *o = NULL;
    tp_client *c = NULL;
    assert_int_equal(tp_options_new(&o), TP_OK);
    assert_int_equal(tp_options_set_base_url(o, tl_server_url(env->server)), TP_OK);
    if (token) assert_int_equal(tp_options_set_token(o, token), TP_OK);
    if (org) assert_int_equal(tp_options_set_org(o, org), TP_OK);
    assert_int_equal(tp_options_set_retry(o, 1, 10), TP_OK);
    assert_int_equal(tp_options_set_timeout_ms(o, 30000), TP_OK);
    assert_int_equal(tp_client_new(o, &c), TP_OK);
    tp_options_free(o);
    return c;
}

tp_result *tlt_call(tp_client *client, const char *op, const char *const *kv) {
    tp_params *p = NULL;
    tp_result *r = NULL;
    assert_int_equal(tp_params_new(&p), TP_OK);
    for (size_t i = 0; kv && kv[i]; i += 2)
        assert_int_equal(tp_params_set_string(p, kv[i], kv[i + 1]), TP_OK);
    tp_call(client, op, p, &r);
    tp_params_free(p);
    assert_non_null(r);
    return r;
}

void tlt_expect(const tp_result *res, tp_status expected, const char *what) {
    tp_status got = tp_result_status(res);
    if (got == expected) return;
    fail_msg("%s: expected %s, got %s (HTTP %d): %s | body: %s", what, tp_status_name(expected),
             tp_status_name(got), tp_result_http_status(res), tp_result_message(res),
             tp_result_body(res, NULL));
}

void tlt_ok(tp_result *res, const char *what) {
    tlt_expect(res, TP_OK, what);
    tp_result_free(res);
}

void tlt_expect_error_body(const tp_result *res, const char *what) {
    int32_t http = tp_result_http_status(res);
    const tp_value *err = tp_value_get(tp_result_value(res), "error");
    if (http < 400 || tp_value_type_of(err) != TP_VALUE_STRING || !tp_value_string(err)[0] ||
        !tp_result_message(res)[0])
        fail_msg("%s: expected an {\"error\": \"...\"} answer, got HTTP %d, message \"%s\", body: %s", what,
                 http, tp_result_message(res), tp_result_body(res, NULL));
}

void tlt_get_string(const tp_result *res, const char *path, char *out, size_t out_len) {
    const char *s = tp_value_string(tp_value_path(tp_result_value(res), path));
    if (!s) fail_msg("no string at %s in: %s", path, tp_result_body(res, NULL));
    snprintf(out, out_len, "%s", s);
}

void tlt_user(tlt_env *env, char name[TLT_NAME], char token[80]) {
    tlt_fresh(name, "user");
    tlt_secret(token);
    assert_int_equal(tl_server_add_user(env->server, name, token), 0);
}

void tlt_org(tlt_env *env, char out[TLT_NAME]) {
    char name[TLT_NAME];
    tlt_fresh(name, "org");
    tp_result *r = tlt_call(env->owner, "organizations.create", TLT_KV("name", name));
    tlt_expect(r, TP_OK, "organizations.create");
    const char *slug = tp_value_string(tp_value_path(tp_result_value(r), "organization.slug"));
    snprintf(out, TLT_NAME, "%s", slug ? slug : name);
    tp_result_free(r);
}

void tlt_group(tlt_env *env, const char *org, char out[TLT_NAME]) {
    tlt_fresh(out, "grp");
    const char *op = org ? "groups.create" : "user_groups.create";
    tlt_ok(tlt_call(env->owner, op,
                    org ? TLT_KV("org", org, "name", out, "location", "ams")
                        : TLT_KV("name", out, "location", "ams")),
           op);
    op = org ? "groups.add_location" : "user_groups.add_location";
    tlt_ok(tlt_call(env->owner, op,
                    org ? TLT_KV("org", org, "group", out, "location", "lhr")
                        : TLT_KV("group", out, "location", "lhr")),
           op);
}

void tlt_db(tlt_env *env, const char *org, const char *group, char out[TLT_NAME]) {
    tlt_fresh(out, "db");
    tlt_ok(tlt_call(env->owner, "databases.create", TLT_KV("org", org, "name", out, "group", group)),
           "databases.create");
}

void tlt_instance(tlt_env *env, const char *org, const char *db, const char *location, char out[TLT_NAME]) {
    tp_result *r =
        tlt_call(env->owner, "instances.create", TLT_KV("org", org, "db", db, "location", location));
    if (tp_result_status(r) == TP_E_CONFLICT) {
        /* A database may get a replica in each of its group's locations by itself. */
        tp_result_free(r);
        r = tlt_call(env->owner, "instances.get", TLT_KV("org", org, "db", db, "instance", location));
    }
    tlt_expect(r, TP_OK, "instances.create");
    tlt_get_string(r, "instance.name", out, TLT_NAME);
    tp_result_free(r);
}

void tlt_member(tlt_env *env, const char *org, const char *username) {
    tp_result *r =
        tlt_call(env->owner, "members.add", TLT_KV("org", org, "username", username, "role", "member"));
    if (tp_result_status(r) != TP_E_CONFLICT) tlt_expect(r, TP_OK, "members.add");
    tp_result_free(r);
}

void tlt_invite(tlt_env *env, const char *org, char email[TLT_NAME]) {
    char local[TLT_NAME];
    tlt_fresh(local, "invitee");
    snprintf(email, TLT_NAME, "%.60s@example.com", local);
    tlt_ok(tlt_call(env->owner, "invites.create", TLT_KV("org", org, "email", email, "role", "member")),
           "invites.create");
}

tlt_env *tlt_start(void) {
    tlt_env *env = calloc(1, sizeof *env);
    assert_non_null(env);
    const char *tmp = getenv("TMPDIR");
    snprintf(env->dir, sizeof env->dir, "%s/tl-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(env->dir));
    snprintf(env->data_path, sizeof env->data_path, "%s/turso-local.db", env->dir);
    tlt_secret(env->token);
    char admin[80], err[512] = "";
    tlt_secret(admin);
    env->server = tl_server_start(env->data_path, env->token, admin, err, sizeof err);
    if (!env->server) fail_msg("tl_server_start: %s", err);
    env->owner = tlt_client(env, env->token, NULL);
    tlt_org(env, env->team);
    tlt_org(env, env->other);
    return env;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tlt_stop(tlt_env *env) {
    if (!env) return;
    tp_client_free(env->owner);
    tl_server_stop(env->server);
    nftw(env->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(env);
}

/* ---- Arguments of any operation, derived from its parameter names ---- */

int tlt_has_param(int32_t op, const char *name, int32_t kind) {
    for (int32_t j = 0; j < tp_op_param_count(op); j++)
        if (!strcmp(tp_op_param_name(op, j), name) && (kind < 0 || tp_op_param_kind(op, j) == kind)) return 1;
    return 0;
}

/* 1 when the path's last segment is {name}: a POST there creates it, a DELETE removes it. */
int tlt_last_segment_is(int32_t op, const char *name) {
    char want[TLT_NAME + 3];
    snprintf(want, sizeof want, "/{%s}", name);
    const char *path = tp_op_path(op);
    size_t n = strlen(path), w = strlen(want);
    return n >= w && !strcmp(path + n - w, want);
}

int tlt_creates(int32_t op, const char *name) {
    return !strcmp(tp_op_method(op), "POST") && tlt_last_segment_is(op, name);
}

/* The POST operation with the same path template as `op` (the one that makes what op acts on). */
static int32_t post_twin(int32_t op) {
    for (int32_t i = 0; i < tp_op_count(); i++)
        if (!strcmp(tp_op_method(i), "POST") && !strcmp(tp_op_path(i), tp_op_path(op))) return i;
    return -1;
}

static void set(tlt_args *a, const char *name, const char *value) {
    assert_int_equal(tp_params_set_string(a->params, name, value), TP_OK);
}

/* Runs the POST twin of a->op with the path values resolved so far, so the resource exists. */
static void make_via_twin(tlt_args *a) {
    int32_t twin = post_twin(a->op);
    if (twin < 0)
        fail_msg("%s: no POST operation on %s to create its resource", tp_op_id(a->op), tp_op_path(a->op));
    tp_result *r = NULL;
    tp_call(a->env->owner, tp_op_id(twin), a->params, &r);
    tlt_ok(r, tp_op_id(twin));
}

static void resolve_path(tlt_args *a) {
    tlt_env *env = a->env;
    int32_t op = a->op;
    int in_org = tlt_has_param(op, "org", TP_PARAM_PATH);
    const char *org = NULL; /* NULL: the user-level routes, on the personal organization */
    if (in_org) {
        if (!strcmp(tp_op_method(op), "DELETE") && tlt_last_segment_is(op, "org"))
            tlt_org(env, a->org);
        else
            snprintf(a->org, TLT_NAME, "%s", env->team);
        set(a, "org", a->org);
        org = a->org;
    }
    if (tlt_has_param(op, "group", TP_PARAM_PATH) || tlt_has_param(op, "db", TP_PARAM_PATH) ||
        (in_org && tlt_has_param(op, "group", -1)))
        tlt_group(env, org, a->group);
    if (tlt_has_param(op, "group", TP_PARAM_PATH)) set(a, "group", a->group);
    if (tlt_has_param(op, "db", TP_PARAM_PATH)) {
        tlt_db(env, org, a->group, a->db);
        set(a, "db", a->db);
    }
    if (tlt_has_param(op, "instance", TP_PARAM_PATH)) {
        tlt_instance(env, org, a->db, "lhr", a->instance);
        set(a, "instance", a->instance);
    }
    if (tlt_has_param(op, "username", TP_PARAM_PATH)) {
        char token[80];
        tlt_user(env, a->username, token);
        tlt_member(env, org, a->username);
        set(a, "username", a->username);
    }
    if (tlt_has_param(op, "email", TP_PARAM_PATH)) {
        tlt_invite(env, org, a->email);
        set(a, "email", a->email);
    }
    if (tlt_has_param(op, "token_id", TP_PARAM_PATH)) {
        char name[TLT_NAME];
        tlt_fresh(name, "orgtok");
        tp_result *r = tlt_call(env->owner, "tokens.create", TLT_KV("token_name", name, "organization", org));
        tlt_expect(r, TP_OK, "tokens.create (organization)");
        tlt_get_string(r, "id", a->token_id, TLT_NAME);
        tp_result_free(r);
        set(a, "token_id", a->token_id);
    }
    /* Placeholders that a POST on the same path creates: fresh for that POST, made first for
     * anything else (a DELETE that removes one, a GET that reads one). */
    if (tlt_has_param(op, "location", TP_PARAM_PATH)) {
        int changes = tlt_last_segment_is(op, "location") && strcmp(tp_op_method(op), "GET");
        /* "fra" is in no group the tests make; "ams" is in all of them. */
        snprintf(a->location, TLT_NAME, "%s", changes ? "fra" : "ams");
        set(a, "location", a->location);
        if (changes && !tlt_creates(op, "location")) make_via_twin(a);
    }
    if (tlt_has_param(op, "token_name", TP_PARAM_PATH)) {
        tlt_fresh(a->token_name, "tok");
        set(a, "token_name", a->token_name);
        if (!tlt_creates(op, "token_name")) make_via_twin(a);
    }
}

/* Values of body and query parameters, by name: required ones always; of the optional ones
 * only those that make the call meaningful (the group a database goes in, the role of a new
 * member, the e-mail of an invite). */
static void resolve_rest(tlt_args *a) {
    tlt_env *env = a->env;
    int32_t op = a->op;
    int in_org = tlt_has_param(op, "org", TP_PARAM_PATH);
    for (int32_t j = 0; j < tp_op_param_count(op); j++) {
        const char *name = tp_op_param_name(op, j);
        int32_t kind = tp_op_param_kind(op, j);
        if (kind == TP_PARAM_PATH) continue;
        int required = tp_op_param_required(op, j);
        char value[TLT_NAME];
        if (!strcmp(name, "group") && in_org) {
            set(a, name, a->group);
        } else if (!strcmp(name, "role")) {
            set(a, name, "admin");
        } else if (!strcmp(name, "email") && !a->email[0]) {
            tlt_fresh(value, "mail");
            strcat(value, "@example.com");
            set(a, name, value);
        } else if (!required) {
            continue;
        } else if (!strcmp(name, "name")) {
            tlt_fresh(value, "new");
            set(a, name, value);
        } else if (!strcmp(name, "location")) {
            /* A replica goes in the group's second location, made free first (a database may
             * get a replica in each group location by itself); a new group starts anywhere. */
            if (a->db[0])
                tp_result_free(tlt_call(env->owner, "instances.delete",
                                        TLT_KV("org", a->org, "db", a->db, "instance", "lhr")));
            set(a, name, a->db[0] ? "lhr" : "ams");
        } else if (!strcmp(name, "username")) {
            char token[80];
            tlt_user(env, value, token);
            set(a, name, value);
        } else if (!strcmp(name, "organization")) {
            set(a, name, env->other);
        } else if (kind == TP_PARAM_FILE) {
            static const char dump[] = "CREATE TABLE t(x INTEGER);\nINSERT INTO t VALUES (1);\n";
            assert_int_equal(tp_params_set_bytes(a->params, name, dump, sizeof dump - 1), TP_OK);
        } else {
            fail_msg("%s: no value known for required parameter \"%s\"", tp_op_id(op), name);
        }
    }
}

void tlt_derive(tlt_env *env, int32_t op, tlt_args *a) {
    memset(a, 0, sizeof *a);
    a->env = env;
    a->op = op;
    assert_int_equal(tp_params_new(&a->params), TP_OK);
    resolve_path(a);
    resolve_rest(a);
}
