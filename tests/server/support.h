/* Shared helpers of the turso-local integration tests: an embedded server per test program,
 * clients for its users, and resources made fresh on demand. Include after <cmocka.h>. */
#ifndef TL_TEST_SUPPORT_H
#define TL_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "turso_local.h"
#include "turso_platform.h"

#define TLT_NAME 96

typedef struct tlt_env {
    tl_server *server;
    char dir[256]; /* temp folder holding the data file */
    char data_path[300];
    char token[80];       /* the bootstrap user "local" */
    tp_client *owner;     /* client of "local" */
    char team[TLT_NAME];  /* a team organization owned by "local" */
    char other[TLT_NAME]; /* a second team organization, target of transfers */
} tlt_env;

/* Starts an embedded server in a fresh temp folder, with a client for "local" and two team
 * organizations. Fails the test (cmocka) on any error. */
tlt_env *tlt_start(void);
void tlt_stop(tlt_env *env);

/* A name unique within this process: "<prefix>-<n>", lowercase, digits and dashes. */
void tlt_fresh(char out[TLT_NAME], const char *prefix);
/* A random secret of hex digits, for tokens of users the tests add. */
void tlt_secret(char out[80]);

/* A client of the server with `token` (NULL = none) and default organization `org` (NULL = none),
 * one attempt only so that statuses reach the test as the server sent them. */
tp_client *tlt_client(const tlt_env *env, const char *token, const char *org);

/* Adds a user with a fresh name; writes its name and token. */
void tlt_user(tlt_env *env, char name[TLT_NAME], char token[80]);

/* tp_call with a params built from alternating name/value string pairs, ended by NULL. */
tp_result *tlt_call(tp_client *client, const char *op, const char *const *kv);
#define TLT_KV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Fails the test unless the result has `expected` status; prints op, HTTP code and body. */
void tlt_expect(const tp_result *res, tp_status expected, const char *what);
/* As tlt_expect(res, TP_OK), then frees the result. */
void tlt_ok(tp_result *res, const char *what);
/* Fails unless the result is a service error: a non-2xx code whose body is a JSON object with
 * a non-empty string "error", and tp_result_message is non-empty. */
void tlt_expect_error_body(const tp_result *res, const char *what);

/* Resources, fresh each time; each writes its name (or id) and fails the test on error. */
void tlt_org(tlt_env *env, char out[TLT_NAME]);
/* A group in `org` at "ams", with "lhr" added as its second location. */
void tlt_group(tlt_env *env, const char *org, char out[TLT_NAME]);
void tlt_db(tlt_env *env, const char *org, const char *group, char out[TLT_NAME]);
/* A replica of db at `location`; writes the instance's name. */
void tlt_instance(tlt_env *env, const char *org, const char *db, const char *location, char out[TLT_NAME]);
/* Adds `username` to org as a member (200, or 409 when it already is one). */
void tlt_member(tlt_env *env, const char *org, const char *username);
void tlt_invite(tlt_env *env, const char *org, char email[TLT_NAME]);

/* Copies a string value at `path` of the result's JSON into out; fails the test if missing. */
void tlt_get_string(const tp_result *res, const char *path, char *out, size_t out_len);

/* The arguments of operation `op` (an index of the client's table), derived from its parameter
 * names: path placeholders name resources made fresh for this call (in the team organization,
 * or the personal one for user-level routes), except that a POST whose path ends in a
 * placeholder gets a fresh value that does not exist yet and a DELETE there gets one made
 * first by that POST; required body and query fields get values by name. Free a->params. */
typedef struct tlt_args {
    tlt_env *env;
    int32_t op;
    tp_params *params;
    char org[TLT_NAME], group[TLT_NAME], db[TLT_NAME], instance[TLT_NAME], location[TLT_NAME],
        token_name[TLT_NAME], token_id[TLT_NAME], username[TLT_NAME], email[TLT_NAME];
} tlt_args;
void tlt_derive(tlt_env *env, int32_t op, tlt_args *a);

/* Whether op has parameter `name` of `kind` (-1 = any kind); whether its path ends in
 * {name}; whether it is a POST there (it creates that resource). */
int tlt_has_param(int32_t op, const char *name, int32_t kind);
int tlt_last_segment_is(int32_t op, const char *name);
int tlt_creates(int32_t op, const char *name);

#endif
