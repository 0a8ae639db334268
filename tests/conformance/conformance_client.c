/* Calls each case of a cases.json (written by run_conformance.py from Turso's spec) through
 * tp_call against Prism at argv[1]: each must answer 2xx, with no sl-violations header and a body
 * that parses; then again without a token, each must give TP_E_UNAUTHORIZED.
 * Cases marked expect_fail (docs/conformance.md) are reported but not counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "turso_platform.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = '\0';
    fclose(f);
    return s;
}

static tp_client *make_client(const char *base_url, const char *token) {
    tp_options *o = NULL;
    tp_client *c = NULL;
    if (tp_options_new(&o) != TP_OK || tp_options_set_base_url(o, base_url) != TP_OK ||
        tp_options_set_token(o, token) != TP_OK || tp_options_set_retry(o, 1, 1) != TP_OK ||
        tp_client_new(o, &c) != TP_OK) {
        fprintf(stderr, "could not make a client for %s\n", base_url);
        exit(2);
    }
    tp_options_free(o);
    return c;
}

/* The case's arguments as tp_params: strings as strings, anything else as JSON. */
static tp_params *params_of(const cJSON *args) {
    tp_params *p = NULL;
    if (tp_params_new(&p) != TP_OK) exit(2);
    const cJSON *a;
    cJSON_ArrayForEach(a, args) {
        tp_status st;
        if (cJSON_IsString(a)) {
            st = tp_params_set_string(p, a->string, a->valuestring);
        } else {
            char *json = cJSON_PrintUnformatted(a);
            st = tp_params_set_json(p, a->string, json);
            free(json);
        }
        if (st != TP_OK) fprintf(stderr, "  could not set %s: %s\n", a->string, tp_status_name(st));
    }
    return p;
}

/* One call with a token; returns NULL when it conforms, else a static reason. */
static const char *check_call(tp_client *c, const char *op, const tp_params *p, char *why, size_t cap) {
    tp_result *r = NULL;
    tp_status st = tp_call(c, op, p, &r);
    int http = tp_result_http_status(r);
    const char *violations = tp_result_header(r, "sl-violations");
    size_t len = 0;
    tp_result_body(r, &len);
    if (st != TP_OK || http < 200 || http > 299)
        snprintf(why, cap, "%s, HTTP %d: %s", tp_status_name(st), http, tp_result_message(r));
    else if (violations)
        snprintf(why, cap, "sl-violations: %s", violations);
    else if (len > 0 && !tp_result_value(r))
        snprintf(why, cap, "the body does not parse");
    else
        why[0] = '\0';
    tp_result_free(r);
    return why[0] ? why : NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s BASE_URL cases.json\n", argv[0]);
        return 2;
    }
    char *text = read_file(argv[2]);
    cJSON *cases = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsArray(cases) || cJSON_GetArraySize(cases) == 0) {
        fprintf(stderr, "no cases in %s\n", argv[2]);
        return 2;
    }
    tp_client *authed = make_client(argv[1], "conformance-token");
    tp_client *anonymous = make_client(argv[1], NULL);
    int failures = 0, passed = 0, known = 0, total = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, cases) {
        const char *op = cJSON_GetObjectItem(item, "op")->valuestring;
        int expect_fail = cJSON_IsTrue(cJSON_GetObjectItem(item, "expect_fail"));
        tp_params *p = params_of(cJSON_GetObjectItem(item, "params"));
        char why[2048];
        const char *problem = check_call(authed, op, p, why, sizeof why);
        total++;
        if (problem && expect_fail) {
            printf("known   %-32s %s\n", op, problem);
            known++;
        } else if (problem) {
            printf("FAIL    %-32s %s\n", op, problem);
            failures++;
        } else {
            printf("ok      %-32s%s\n", op,
                   expect_fail ? " (listed in docs/conformance.md but passes now)" : "");
            passed++;
        }
        tp_result *r = NULL;
        tp_status st = tp_call(anonymous, op, p, &r);
        if (st != TP_E_UNAUTHORIZED) {
            printf("FAIL    %-32s without a token: %s, HTTP %d\n", op, tp_status_name(st),
                   tp_result_http_status(r));
            failures++;
        }
        tp_result_free(r);
        tp_params_free(p);
    }
    printf("%d operations: %d conform, %d known spec problems, %d failures\n", total, passed, known,
           failures);
    tp_client_free(authed);
    tp_client_free(anonymous);
    cJSON_Delete(cases);
    return failures ? 1 : 0;
}
