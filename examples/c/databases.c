/*
 * databases.c: create a database, mint a token for it, list the databases, delete it.
 *
 * Settings come from the environment, as the official CLI reads them:
 *   TURSO_API_TOKEN   a platform API token (never printed)
 *   TURSO_API_BASEURL the API (default https://api.turso.tech; turso-local prints its own)
 *   TURSO_ORG         the organization
 *
 *   ./databases [NAME]     (NAME defaults to "example-c")
 */
#include <stdio.h>
#include <string.h>
#include <turso_platform.h>

/* Prints why a call failed: status name, HTTP code and the service's message. The result stays
 * the caller's: main frees it once, at `done`. */
static int fail(const char *what, const tp_result *result) {
    fprintf(stderr, "%s failed: %s (HTTP %d): %s\n", what, tp_status_name(tp_result_status(result)),
            (int)tp_result_http_status(result), tp_result_message(result));
    return 1;
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "example-c";
    tp_options *options = NULL;
    tp_client *client = NULL;
    tp_params *params = NULL;
    tp_result *result = NULL;
    int rc = 1;

    printf("libturso_platform %s (header %s)\n", tp_version(), TP_VERSION_STRING);

    if (tp_options_from_env(&options) != TP_OK) {
        /* Which variable was refused and why, never its value ("" only when memory ran out). */
        fprintf(stderr, "the environment: %s\n", tp_options_error(options));
        goto done;
    }
    {
        tp_status st = tp_client_new(options, &client);
        if (st != TP_OK) {
            fprintf(stderr, "could not create the client: %s\n", tp_status_name(st));
            goto done;
        }
    }
    printf("base URL: %s, organization: %s\n", tp_client_base_url(client),
           tp_client_org(client) ? tp_client_org(client) : "(none)");

    /* 1. Create the database in the "default" group. NULL org = the client's default. */
    if (tp_params_new(&params) != TP_OK || tp_params_set_string(params, "group", "default") != TP_OK) {
        fprintf(stderr, "could not set the parameters: out of memory\n");
        goto done;
    }
    if (tp_databases_create(client, NULL, name, params, &result) != TP_OK) {
        rc = fail("databases.create", result);
        goto done;
    }
    printf("created: %s (hostname %s)\n",
           tp_value_string(tp_value_path(tp_result_value(result), "database.Name")),
           tp_value_string(tp_value_path(tp_result_value(result), "database.Hostname")));
    tp_result_free(result);
    result = NULL;

    /* 2. Mint a read-only database token that expires in a day. Only its length is shown. */
    tp_params_clear(params);
    if (tp_params_set_string(params, "expiration", "1d") != TP_OK ||
        tp_params_set_string(params, "authorization", "read-only") != TP_OK) {
        fprintf(stderr, "could not set the parameters: out of memory\n");
        goto done;
    }
    if (tp_databases_create_token(client, NULL, name, params, &result) != TP_OK) {
        rc = fail("databases.create_token", result);
        goto done;
    }
    {
        const char *jwt = tp_value_string(tp_value_get(tp_result_value(result), "jwt"));
        printf("database token: %zu characters\n", jwt ? strlen(jwt) : (size_t)0);
    }
    tp_result_free(result);
    result = NULL;

    /* 3. List the databases of the organization. */
    if (tp_databases_list(client, NULL, NULL, &result) != TP_OK) {
        rc = fail("databases.list", result);
        goto done;
    }
    {
        const tp_value *databases = tp_value_get(tp_result_value(result), "databases");
        const tp_value *db;
        printf("databases: %zu\n", tp_value_length(databases));
        for (db = tp_value_first(databases); db != NULL; db = tp_value_next(db))
            printf("  - %s\n", tp_value_string(tp_value_get(db, "Name")));
    }
    tp_result_free(result);
    result = NULL;

    /* 4. Delete it; a second delete answers TP_E_NOT_FOUND, which the example shows too. */
    if (tp_databases_delete(client, NULL, name, NULL, &result) != TP_OK) {
        rc = fail("databases.delete", result);
        goto done;
    }
    printf("deleted: %s\n", tp_value_string(tp_value_get(tp_result_value(result), "database")));
    tp_result_free(result);
    result = NULL;

    if (tp_databases_delete(client, NULL, name, NULL, &result) == TP_E_NOT_FOUND)
        printf("deleting again: %s (HTTP %d)\n", tp_status_name(tp_result_status(result)),
               (int)tp_result_http_status(result));
    else {
        rc = fail("the second databases.delete (expected TP_E_NOT_FOUND)", result);
        goto done;
    }
    rc = 0;

done:
    tp_result_free(result);
    tp_params_free(params);
    tp_client_free(client);
    tp_options_free(options);
    return rc;
}
