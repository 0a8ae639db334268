/*
 * tp-validate: checks a platform API token against the API, as a single self-contained binary.
 *
 * Linked against libturso_platform.a and the static forms of its dependencies (see README.md).
 * Settings from the environment: TURSO_API_TOKEN (never printed), TURSO_API_BASEURL.
 * Exit status: 0 when the token is valid, 1 when the API refuses it, 2 on any other failure.
 */
#include <stdio.h>
#include <turso_platform.h>

int main(void) {
    tp_options *options = NULL;
    tp_client *client = NULL;
    tp_result *result = NULL;
    tp_status status;
    int rc = 2;

    if (tp_options_from_env(&options) != TP_OK) {
        /* Which variable was refused and why, never its value ("" only when memory ran out). */
        fprintf(stderr, "tp-validate: %s\n", tp_options_error(options));
        goto done;
    }
    if (tp_client_new(options, &client) != TP_OK) {
        fprintf(stderr, "tp-validate: could not create the client\n");
        goto done;
    }
    printf("tp-validate with libturso_platform %s (static), API %s\n", tp_version(),
           tp_client_base_url(client));

    status = tp_tokens_validate(client, NULL, &result);
    if (status == TP_OK) {
        int64_t exp = tp_value_int64(tp_value_get(tp_result_value(result), "exp"));
        if (exp < 0)
            printf("token valid, never expires\n");
        else
            printf("token valid, expires at %lld (unix time)\n", (long long)exp);
        rc = 0;
    } else {
        printf("token refused: %s (HTTP %d): %s\n", tp_status_name(status),
               (int)tp_result_http_status(result), tp_result_message(result));
        rc = status == TP_E_UNAUTHORIZED ? 1 : 2;
    }

done:
    tp_result_free(result);
    tp_client_free(client);
    tp_options_free(options);
    return rc;
}
