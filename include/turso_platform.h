/*
 * turso_platform.h: a client for the Turso Platform API, as a stable C ABI.
 *
 * The rules of this header (they hold for every function below):
 *
 *  - C89-clean, no variadic functions, no `long`, fixed-width integers; sizes are size_t.
 *  - Every handle is opaque: tp_options, tp_client, tp_params, tp_result, tp_value,
 *    tp_batch, tp_cancel. Layouts never change, so adding a setting never breaks the ABI.
 *  - A function that can fail returns tp_status (an int32_t, not an enum, so that an unknown
 *    value is never undefined behaviour in a binding). TP_OK is 0. Codes are fixed numbers,
 *    appended and never reused.
 *  - Error detail lives on the tp_result of the call, never in thread-local state: an operation
 *    always hands back a tp_result through its last parameter, failed or not (NULL only when
 *    memory ran out or the out pointer itself is NULL). Its status equals the return value.
 *    Settings record theirs on the tp_options they change (tp_options_error).
 *  - Ownership follows the shape of the call: what comes back through `**out` belongs to the
 *    caller and has its own _free function, which accepts NULL. A pointer returned as the value
 *    of a function is borrowed; its comment says until when. The library copies every input it
 *    keeps. Strings are UTF-8 and NUL-terminated; bodies are pointer + length.
 *  - No C++ exception ever crosses this boundary.
 *  - Threading: a tp_client is immutable once created and safe for concurrent calls from any
 *    number of threads; tp_options, tp_params, tp_result and tp_batch are used by one thread at
 *    a time; tp_batch_cancel and the tp_cancel functions but tp_cancel_free may be called from
 *    any thread (and tp_cancel_trigger from a signal handler).
 *  - Only tp_* symbols are exported. The ABI is stable within a major version.
 */
#ifndef TURSO_PLATFORM_H
#define TURSO_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(TP_BUILDING_SHARED)
#define TP_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define TP_API __attribute__((visibility("default")))
#else
#define TP_API
#endif

/* ------------------------------------------------------------------------------------------ */
/* Version                                                                                     */

#define TP_VERSION_MAJOR 0
#define TP_VERSION_MINOR 1
#define TP_VERSION_PATCH 0
#define TP_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH */
#define TP_VERSION_NUMBER (TP_VERSION_MAJOR * 10000 + TP_VERSION_MINOR * 100 + TP_VERSION_PATCH)

/* The library's version as "MAJOR.MINOR.PATCH"; static storage. */
TP_API const char *tp_version(void);
/* The library's version as TP_VERSION_NUMBER computes it, for a run-time check. */
TP_API int32_t tp_version_number(void);

/* ------------------------------------------------------------------------------------------ */
/* Status codes                                                                                */

typedef int32_t tp_status;

#define TP_OK 0
/* Caller errors and the library's own */
#define TP_E_INVALID_ARGUMENT 1 /* NULL, empty, non-UTF-8, too long or unknown; the message names it */
#define TP_E_NOMEM 2            /* memory ran out (also libcurl's answer to a response header line past its ~100 KB) */
#define TP_E_INTERNAL 3         /* a bug in this library; please report it */
/* Transport */
#define TP_E_NETWORK 10   /* could not connect, or the connection broke */
#define TP_E_TIMEOUT 11   /* the call's timeout, or an attempt's connect timeout, passed */
#define TP_E_TLS 12       /* TLS handshake or certificate verification failed */
#define TP_E_CANCELLED 13 /* cancelled through tp_cancel or tp_batch_cancel */
/* The answer */
#define TP_E_BAD_RESPONSE 14     /* a body that is not the JSON promised (HTTP code kept), or an answer that is not HTTP: a status line that is not HTTP/1.x nnn, headers and trailers past 1 MiB (HTTP code 0) */
#define TP_E_RESPONSE_TOO_LARGE 15 /* the body passed tp_options_set_max_response_bytes */
/* HTTP statuses of the service */
#define TP_E_BAD_REQUEST 20      /* 400 */
#define TP_E_UNAUTHORIZED 21     /* 401: missing or invalid token */
#define TP_E_PAYMENT_REQUIRED 22 /* 402: not in the organization's plan */
#define TP_E_FORBIDDEN 23        /* 403 */
#define TP_E_NOT_FOUND 24        /* 404 */
#define TP_E_CONFLICT 25         /* 409: already exists */
#define TP_E_UNPROCESSABLE 26    /* 422 */
#define TP_E_RATE_LIMITED 27     /* 429, after the retries allowed */
#define TP_E_SERVER 28           /* 5xx, after the retries allowed */
#define TP_E_HTTP 29             /* any other non-2xx answer */

/* The constant's name, e.g. "TP_E_NOT_FOUND"; "TP_E_UNKNOWN" for an unknown code. Static. */
TP_API const char *tp_status_name(tp_status status);
/* A short English sentence for the code, e.g. "resource not found". Static. */
TP_API const char *tp_status_message(tp_status status);

/* ------------------------------------------------------------------------------------------ */
/* Handles                                                                                     */

typedef struct tp_options tp_options;
typedef struct tp_client tp_client;
typedef struct tp_params tp_params;
typedef struct tp_result tp_result;
typedef struct tp_value tp_value;
typedef struct tp_batch tp_batch;
typedef struct tp_cancel tp_cancel;

/* ------------------------------------------------------------------------------------------ */
/* Options: the settings a client is made from. One thread at a time.                           */

/* Log levels passed to a tp_log_fn. */
#define TP_LOG_ERROR 0
#define TP_LOG_WARN 1
#define TP_LOG_INFO 2
#define TP_LOG_DEBUG 3

/* A log sink. `message` is borrowed for the duration of the call and never contains the token.
 * It may be called from any thread that uses the client, concurrently. */
typedef void (*tp_log_fn)(void *userdata, int32_t level, const char *message);

/* New options with the defaults: no token, base URL "https://api.turso.tech", no default
 * organization, connect timeout 10 s, timeout 60 s per call (retries included), 3 attempts with
 * a 200 ms base delay, TLS verification on, response limit 64 MiB, 16 connections kept open,
 * user agent "turso-platform/<version>".
 * Returns TP_OK, TP_E_INVALID_ARGUMENT (out is NULL) or TP_E_NOMEM. Free with tp_options_free. */
TP_API tp_status tp_options_new(tp_options **out);

/* New options as tp_options_new, then filled from the environment as the official CLI reads it:
 * the token from TURSO_API_TOKEN, else TURSO_TOKEN, else the "token" of the CLI's settings.json
 * in $TURSO_CONFIG_FOLDER, else $XDG_CONFIG_HOME/turso, else ~/.config/turso; the base URL from
 * TURSO_API_BASEURL, else TURSO_BASE_URL; the default organization from TURSO_ORG, else (when
 * the token is the settings.json one) that file's "organization", which `turso org switch` sets. A variable
 * set to "" counts as unset. Anything missing is left at its default (no token is not an error:
 * calls will answer TP_E_UNAUTHORIZED; nor is a settings.json that is missing, is not JSON or
 * has no string "token"). A value that is present but one the setters below would refuse is an
 * error, never skipped: a token (from whichever source is used) or organization that is not
 * UTF-8, holds a control character such as CR or LF, or is longer than 8192 bytes; a base URL
 * that tp_options_set_base_url refuses (e.g. "localhost:8080", a trailing space, user:password@).
 * Returns TP_OK, TP_E_INVALID_ARGUMENT or TP_E_NOMEM (*out NULL). TP_E_INVALID_ARGUMENT with
 * *out NULL: out was NULL. TP_E_INVALID_ARGUMENT with *out set: such a value; *out holds the
 * defaults only (nothing from the environment) and tp_options_error(*out) names the variable or
 * file, never the value, e.g. "TURSO_API_BASEURL: the URL must start with http:// or https://
 * and a host" or "TURSO_ORG contains a control character (such as CR or LF)". Free *out with
 * tp_options_free whatever the status. */
TP_API tp_status tp_options_from_env(tp_options **out);

/* Frees options; NULL is fine. Clients made from them are unaffected. */
TP_API void tp_options_free(tp_options *options);

/* Why the most recent call on these options (tp_options_from_env or a tp_options_set_*) failed,
 * naming the setting ("base_url: the URL must not contain a user name or password (user@host)",
 * "token is not valid UTF-8", "timeout_ms must be greater than 0") or the environment variable
 * or file, never the value; "" after a call that succeeded, for options from tp_options_new, and
 * for NULL options (a call with NULL options records nothing). When memory ran out it is the
 * status' sentence. Borrowed until the next call on these options (or tp_options_free). */
TP_API const char *tp_options_error(const tp_options *options);

/* Each setter copies its string argument and returns TP_OK, TP_E_INVALID_ARGUMENT (options NULL,
 * a required string NULL, not UTF-8, holding a control character or longer than 8192 bytes, a
 * number out of range) or TP_E_NOMEM; tp_options_error then says which and why. A refused value
 * leaves the setting as it was. A NULL string resets a setting that is optional (token, org, CA
 * file, proxy) to "none". */
TP_API tp_status tp_options_set_token(tp_options *options, const char *token);
/* An absolute http:// or https:// URL with no user name or password ("user:pw@"), backslash,
 * space, query or fragment; a trailing "/" is ignored. The platform token is only ever sent to
 * this scheme, host and port. */
TP_API tp_status tp_options_set_base_url(tp_options *options, const char *base_url);
/* The organization used when a call passes NULL (or no "org" parameter). */
TP_API tp_status tp_options_set_org(tp_options *options, const char *org);
/* Where locations.closest asks (default "https://region.turso.io/"), checked as the base URL.
 * It never gets the token. */
TP_API tp_status tp_options_set_region_url(tp_options *options, const char *region_url);
/* Milliseconds, > 0: the most one attempt may spend connecting (within the call's timeout). */
TP_API tp_status tp_options_set_connect_timeout_ms(tp_options *options, int32_t ms);
/* Milliseconds, > 0: the most a whole call may take, every attempt and every wait before a retry
 * included (tp_params_set_timeout_ms overrides it for one call). Each attempt gets what is left;
 * a retry whose wait would not end in time is not made, so the call answers its last attempt's
 * failure at once (TP_E_SERVER, TP_E_RATE_LIMITED, ...), or TP_E_TIMEOUT when the time ran out
 * during an attempt. A call in a batch is timed from when it starts: time spent waiting for a
 * free slot (tp_batch_set_concurrency) does not count. */
TP_API tp_status tp_options_set_timeout_ms(tp_options *options, int32_t ms);
/* Retry policy: at most max_attempts attempts in all (1 = no retry, at most 20; base_delay_ms
 * 0 to 60000), the delay before retry n being base_delay_ms * 2^(n-1) with jitter, or
 * Retry-After when the server sends one, either capped at 60 s, all within the call's timeout. Retried for every method: 429 (the
 * service answers it without processing the request, so even a POST is sent again) and a
 * connection that could not be made (the request never left). Retried only for GET, HEAD,
 * OPTIONS, PUT and DELETE, which may be repeated without changing the outcome: 502, 503, 504, a
 * timed-out attempt and a connection that broke; never for POST, PATCH or any other method,
 * since the server may have acted on it. */
TP_API tp_status tp_options_set_retry(tp_options *options, int32_t max_attempts, int32_t base_delay_ms);
/* The retry policy of new options. */
#define TP_DEFAULT_MAX_ATTEMPTS 3
#define TP_DEFAULT_RETRY_BASE_DELAY_MS 200
TP_API tp_status tp_options_set_user_agent(tp_options *options, const char *user_agent);
/* A PEM file of CA certificates to verify the server with, instead of the system's. */
TP_API tp_status tp_options_set_ca_file(tp_options *options, const char *ca_file);
/* Turn TLS verification off (verify = 0) or on (1, the default). Off is for tests only. */
TP_API tp_status tp_options_set_verify_tls(tp_options *options, int32_t verify);
/* A proxy URL, as libcurl's CURLOPT_PROXY takes it. */
TP_API tp_status tp_options_set_proxy(tp_options *options, const char *proxy);
/* Largest response body accepted, in bytes, > 0 (default 64 MiB). */
TP_API tp_status tp_options_set_max_response_bytes(tp_options *options, int64_t max_bytes);
/* Most idle connections the client keeps open for reuse between single calls (default 16, 1 to
 * 1024; past it the least recently used are closed), and the most each finished batch keeps for
 * the next batch (up to 4 such sets are kept). A batch has up to its concurrency open while it
 * runs; once all its calls have started, calls that end close their connections until no more
 * than this many remain. */
TP_API tp_status tp_options_set_max_connections(tp_options *options, int32_t max_connections);
/* A log sink (NULL to remove) and its userdata, and the most verbose level passed to it. */
TP_API tp_status tp_options_set_log(tp_options *options, tp_log_fn fn, void *userdata, int32_t max_level);

/* ------------------------------------------------------------------------------------------ */
/* Client. Immutable after creation; safe for concurrent calls from any number of threads.      */
/* A call waits for its answer by polling without sleeping for up to 100 microseconds (while    */
/* fewer calls run than there are CPUs), then sleeps; a connection whose answers take longer    */
/* (any server but one on this machine) soon stops trying: it costs a remote call next to none. */

/* A client made from a copy of `options` (NULL = defaults). Returns TP_OK,
 * TP_E_INVALID_ARGUMENT (out is NULL) or TP_E_NOMEM. Free with tp_client_free once no call is
 * running on it. */
TP_API tp_status tp_client_new(const tp_options *options, tp_client **out);
TP_API void tp_client_free(tp_client *client);
/* The base URL and default organization; borrowed until tp_client_free. NULL-safe: a NULL
 * client, or no default organization, gives NULL. */
TP_API const char *tp_client_base_url(const tp_client *client);
TP_API const char *tp_client_org(const tp_client *client);

/* ------------------------------------------------------------------------------------------ */
/* Cancellation of calls in flight.                                                            */

TP_API tp_status tp_cancel_new(tp_cancel **out);
TP_API void tp_cancel_free(tp_cancel *cancel);
/* Cancels every call that carries this handle (their results get TP_E_CANCELLED soon after).
 * Async-signal-safe; callable from any thread; NULL-safe. Sticky until tp_cancel_reset. */
TP_API void tp_cancel_trigger(tp_cancel *cancel);
/* Untriggers the handle, for calls that start afterwards; callable from any thread; NULL-safe. */
TP_API void tp_cancel_reset(tp_cancel *cancel);
/* 1 once triggered, else 0; callable from any thread. */
TP_API int32_t tp_cancel_is_triggered(const tp_cancel *cancel);

/* ------------------------------------------------------------------------------------------ */
/* Params: the named arguments of one call. One thread at a time.                               */
/*
 * Names are the operation's path placeholders ("org", "db", "group", "instance", "location",
 * "token_name", "token_id", "username", "email"), query parameters ("expiration",
 * "authorization", "group", ...) and body fields ("name", "group", "seed", ...), as listed by
 * tp_op_param_name. A name the operation does not know makes the call fail with
 * TP_E_INVALID_ARGUMENT. Setting a name again replaces its value. Setters copy their inputs
 * and return TP_OK, TP_E_INVALID_ARGUMENT (params or name NULL or empty, a string not UTF-8,
 * JSON that is not strict RFC 8259 text: a byte-order mark or control bytes between tokens are
 * refused) or TP_E_NOMEM.
 */

TP_API tp_status tp_params_new(tp_params **out);
TP_API void tp_params_free(tp_params *params);
TP_API tp_status tp_params_clear(tp_params *params);
TP_API tp_status tp_params_set_string(tp_params *params, const char *name, const char *value);
TP_API tp_status tp_params_set_int64(tp_params *params, const char *name, int64_t value);
TP_API tp_status tp_params_set_double(tp_params *params, const char *name, double value);
TP_API tp_status tp_params_set_bool(tp_params *params, const char *name, int32_t value);
TP_API tp_status tp_params_set_null(tp_params *params, const char *name);
/* A value given as JSON text (an array, an object, or any JSON value), e.g. scopes or seed. */
TP_API tp_status tp_params_set_json(tp_params *params, const char *name, const char *json);
/* Bytes for a multipart file field ("file" of databases.seed and databases.upload_dump); len at
 * most 2^32 (4 GiB), else TP_E_INVALID_ARGUMENT. */
TP_API tp_status tp_params_set_bytes(tp_params *params, const char *name, const void *data, size_t len);
/* Call settings, not sent: a cancel handle (borrowed: it must outlive the call; NULL removes
 * it) and a timeout for this whole call, retries and waits included as tp_options_set_timeout_ms
 * says, overriding the client's (ms > 0; 0 = client's). */
TP_API tp_status tp_params_set_cancel(tp_params *params, tp_cancel *cancel);
TP_API tp_status tp_params_set_timeout_ms(tp_params *params, int32_t ms);

/* ------------------------------------------------------------------------------------------ */
/* Calling                                                                                     */

/* Calls the operation `op_id` (e.g. "databases.create", see tp_op_id) with `params` (NULL = none;
 * not modified, may be reused). Path parameters come from params; "org" falls back to the
 * client's default organization. *out receives the result (see the rules above); the return
 * value is its status. TP_E_INVALID_ARGUMENT for a NULL client or op_id, an unknown op_id, a
 * required parameter missing or given empty ("" or no bytes; path parameters are all required),
 * a value of a kind the parameter cannot take, an unknown parameter, or a path or query parameter
 * that makes the request URL (percent-encoded) longer than 65536 bytes, with the message naming
 * it. */
TP_API tp_status tp_call(tp_client *client, const char *op_id, const tp_params *params, tp_result **out);

/* Sends any request to the API: `method` ("GET", "POST", ...: letters, '-' and '_', sent in
 * upper case, always as that method), `path` relative to the base URL, starting with "/",
 * already percent-encoded, with an optional "?query"; `body` of `body_len` bytes, sent as
 * application/json. NULL/0 is no body. GET and HEAD never carry one: a non-NULL body of length
 * 0 counts as none, a longer one is TP_E_INVALID_ARGUMENT. Any other method sends the body
 * given, an empty one as Content-Length: 0. Absolute URLs are refused, so the token never
 * leaves the configured host. TP_E_INVALID_ARGUMENT too for a base URL and path longer than
 * 65536 bytes together, or a body_len over 2^32 (4 GiB). */
TP_API tp_status tp_request(tp_client *client, const char *method, const char *path, const char *body,
                            size_t body_len, tp_result **out);
/* As tp_request, with call settings (cancel, timeout) from `call_params` (NULL = none; other
 * names in it are ignored). */
TP_API tp_status tp_request_with(tp_client *client, const char *method, const char *path, const char *body,
                                 size_t body_len, const tp_params *call_params, tp_result **out);

/* ------------------------------------------------------------------------------------------ */
/* Results. One thread at a time. Everything borrowed from a result lives until tp_result_free. */

TP_API void tp_result_free(tp_result *result);
/* The status; TP_E_INVALID_ARGUMENT for a NULL result. */
TP_API tp_status tp_result_status(const tp_result *result);
/* The HTTP status of the last attempt, or 0 when no answer came or it could not be read as HTTP
 * (transport error, bad input, TP_E_BAD_RESPONSE of an answer that is not HTTP). */
TP_API int32_t tp_result_http_status(const tp_result *result);
/* What went wrong, in one line: the service's "error" text, the transport's message, or the
 * argument check's; "" on success. Never NULL (for a NULL result: a static message). */
TP_API const char *tp_result_message(const tp_result *result);
/* The service's optional machine-readable "code" of an error, or NULL. */
TP_API const char *tp_result_error_code(const tp_result *result);
/* The operation id, or NULL for tp_request. */
TP_API const char *tp_result_op(const tp_result *result);
/* Attempts made (0 when nothing was sent). */
TP_API int32_t tp_result_attempts(const tp_result *result);
/* The raw body and its length (NUL-terminated too, for convenience); "" and 0 when none. */
TP_API const char *tp_result_body(const tp_result *result, size_t *len);
/* A response header of the last attempt by name (case-insensitive), or NULL. */
TP_API const char *tp_result_header(const tp_result *result, const char *name);
/* The parsed body; NULL when the body is empty or is not JSON. */
TP_API const tp_value *tp_result_value(const tp_result *result);

/* ------------------------------------------------------------------------------------------ */
/* Values: a read-only JSON tree borrowed from its tp_result. Every accessor accepts NULL and  */
/* then answers "nothing" (TP_VALUE_NONE, NULL, 0), so lookups chain without checks.            */

typedef int32_t tp_value_type;
#define TP_VALUE_NONE (-1) /* no value: a NULL pointer */
#define TP_VALUE_NULL 0
#define TP_VALUE_BOOL 1
#define TP_VALUE_NUMBER 2
#define TP_VALUE_STRING 3
#define TP_VALUE_ARRAY 4
#define TP_VALUE_OBJECT 5

TP_API tp_value_type tp_value_type_of(const tp_value *value);
/* An object's member by key (exact, case-sensitive), or NULL. */
TP_API const tp_value *tp_value_get(const tp_value *value, const char *key);
/* An array's element, or an object's member, by index; NULL past the end. */
TP_API const tp_value *tp_value_at(const tp_value *value, size_t index);
/* Elements of an array, members of an object, 0 for anything else. */
TP_API size_t tp_value_length(const tp_value *value);
/* Iteration in order: first child of an array or object, then next sibling; NULL at the end. */
TP_API const tp_value *tp_value_first(const tp_value *value);
TP_API const tp_value *tp_value_next(const tp_value *value);
/* The key of an object member (as reached by tp_value_first/next/at), else NULL. */
TP_API const char *tp_value_key(const tp_value *value);
/* The string, or NULL when not a string. */
TP_API const char *tp_value_string(const tp_value *value);
/* The number, or 0 when not a number. */
TP_API double tp_value_number(const tp_value *value);
/* The number as an integer (exact up to 2^53, as JSON numbers are read as doubles; fractions
 * truncated; saturating at the int64 range), or 0 when not a number. */
TP_API int64_t tp_value_int64(const tp_value *value);
/* 1 for true, 0 for false or anything else. */
TP_API int32_t tp_value_bool(const tp_value *value);
/* 1 for JSON null, else 0. */
TP_API int32_t tp_value_is_null(const tp_value *value);
/* Follows a dotted path of keys and array indexes: "database.Hostname", "databases.0.Name".
 * NULL when any step is missing. */
TP_API const tp_value *tp_value_path(const tp_value *value, const char *path);
/* The value as JSON text (pretty = 1 indents), into *out, freed with tp_string_free.
 * Returns TP_OK, TP_E_INVALID_ARGUMENT (value or out NULL) or TP_E_NOMEM. */
TP_API tp_status tp_value_to_json(const tp_value *value, int32_t pretty, char **out);
TP_API void tp_string_free(char *string);

/* ------------------------------------------------------------------------------------------ */
/* Batches: many calls run concurrently over one connection set. One thread at a time, except  */
/* tp_batch_cancel.                                                                             */

/* Progress: `done` of `total` calls finished. Called on the thread running tp_batch_run. */
typedef void (*tp_progress_fn)(void *userdata, int32_t done, int32_t total);

/* A new, empty batch on `client` (which must outlive it). */
TP_API tp_status tp_batch_new(tp_client *client, tp_batch **out);
TP_API void tp_batch_free(tp_batch *batch);
/* Appends a call of op_id with a copy of params (NULL = none); *index_out (optional) receives
 * its index. Argument errors are not reported here but in that call's result. Returns TP_OK,
 * TP_E_INVALID_ARGUMENT (batch or op_id NULL, or the batch already ran) or TP_E_NOMEM. */
TP_API tp_status tp_batch_add(tp_batch *batch, const char *op_id, const tp_params *params, int32_t *index_out);
/* Appends a raw request, as tp_request takes it (and checks it: see tp_batch_add). */
TP_API tp_status tp_batch_add_request(tp_batch *batch, const char *method, const char *path, const char *body,
                                      size_t body_len, int32_t *index_out);
/* At most this many calls in flight (default 16, 1 to 1024). */
TP_API tp_status tp_batch_set_concurrency(tp_batch *batch, int32_t concurrency);
TP_API tp_status tp_batch_set_progress(tp_batch *batch, tp_progress_fn fn, void *userdata);
/* Runs every call, blocking until all are done or the batch is cancelled. Returns TP_OK when
 * every call ran (each may still have failed: see its result), TP_E_CANCELLED when cancelled
 * (calls not finished get TP_E_CANCELLED results), TP_E_INVALID_ARGUMENT when already run. */
TP_API tp_status tp_batch_run(tp_batch *batch);
/* Cancels the batch from any thread. During the run, calls not finished end TP_E_CANCELLED; a
 * cancel before tp_batch_run is kept (so a cancel racing a run starting on another thread is
 * never lost): the run sends nothing and returns TP_E_CANCELLED. After the run it does nothing.
 * NULL-safe. */
TP_API void tp_batch_cancel(tp_batch *batch);
TP_API int32_t tp_batch_size(const tp_batch *batch);
/* The result of call `index` after tp_batch_run, in the order added; borrowed until
 * tp_batch_free; NULL before the run or for a bad index. */
TP_API const tp_result *tp_batch_result(const tp_batch *batch, int32_t index);

/* ------------------------------------------------------------------------------------------ */
/* Introspection of the operations table. Strings are static.                                   */

#define TP_PARAM_PATH 0  /* a {placeholder} of the path */
#define TP_PARAM_QUERY 1 /* sent in the query string */
#define TP_PARAM_BODY 2  /* a field of the JSON body */
#define TP_PARAM_FILE 3  /* a multipart file field */

/* Number of operations. */
TP_API int32_t tp_op_count(void);
/* The id ("databases.create"), method ("POST") and path template
 * ("/v1/organizations/{org}/databases") of operation i, or NULL when i is out of range. */
TP_API const char *tp_op_id(int32_t i);
TP_API const char *tp_op_method(int32_t i);
TP_API const char *tp_op_path(int32_t i);
/* The index of an operation id, or -1. */
TP_API int32_t tp_op_find(const char *op_id);
/* Parameters of operation i: count, then each one's name, kind (TP_PARAM_*) and whether the
 * typed C function takes it positionally (1) or through tp_params (0). NULL / -1 when out of
 * range. */
TP_API int32_t tp_op_param_count(int32_t i);
TP_API const char *tp_op_param_name(int32_t i, int32_t j);
TP_API int32_t tp_op_param_kind(int32_t i, int32_t j);
TP_API int32_t tp_op_param_required(int32_t i, int32_t j);

/* ------------------------------------------------------------------------------------------ */
/* Typed functions, one per operation (generated from src/operations.tsv by                    */
/* tools/gen_operations.py; do not edit between the markers).                                   */
/*
 * Each is tp_call of its operation: path parameters and required fields are positional (org
 * may be NULL for the client's default organization; every other one must be non-NULL and
 * non-empty; a file at most 2^32 bytes), the rest go in params (NULL = none). Returns and hands
 * back as tp_call does.
 */

/* BEGIN GENERATED OPERATIONS */
/* tokens.validate: GET /v1/auth/validate; params: none */
TP_API tp_status tp_tokens_validate(tp_client *client, const tp_params *params, tp_result **out);
/* tokens.list: GET /v1/auth/api-tokens; params: none */
TP_API tp_status tp_tokens_list(tp_client *client, const tp_params *params, tp_result **out);
/* tokens.create: POST /v1/auth/api-tokens/{token_name}; params: organization, group, scopes */
TP_API tp_status tp_tokens_create(tp_client *client, const char *token_name, const tp_params *params, tp_result **out);
/* tokens.create_v2: POST /v2/auth/api-tokens/{token_name}; params: organization, group, scopes */
TP_API tp_status tp_tokens_create_v2(tp_client *client, const char *token_name, const tp_params *params, tp_result **out);
/* tokens.revoke: DELETE /v1/auth/api-tokens/{token_name}; params: none */
TP_API tp_status tp_tokens_revoke(tp_client *client, const char *token_name, const tp_params *params, tp_result **out);
/* organizations.tokens_list: GET /v1/organizations/{org}/api-tokens; params: none */
TP_API tp_status tp_organizations_tokens_list(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* organizations.tokens_revoke: DELETE /v1/organizations/{org}/api-tokens/{token_id}; params: none */
TP_API tp_status tp_organizations_tokens_revoke(tp_client *client, const char *org, const char *token_id, const tp_params *params, tp_result **out);
/* user.get: GET /v1/user; params: none */
TP_API tp_status tp_user_get(tp_client *client, const tp_params *params, tp_result **out);
/* user.current: GET /v1/current-user; params: none */
TP_API tp_status tp_user_current(tp_client *client, const tp_params *params, tp_result **out);
/* organizations.list: GET /v1/organizations; params: none */
TP_API tp_status tp_organizations_list(tp_client *client, const tp_params *params, tp_result **out);
/* organizations.create: POST /v1/organizations; params: dry_run, stripe_id */
TP_API tp_status tp_organizations_create(tp_client *client, const char *name, const tp_params *params, tp_result **out);
/* organizations.get: GET /v1/organizations/{org}; params: none */
TP_API tp_status tp_organizations_get(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* organizations.update: PATCH /v1/organizations/{org}; params: overages, require_mfa */
TP_API tp_status tp_organizations_update(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* organizations.delete: DELETE /v1/organizations/{org}; params: none */
TP_API tp_status tp_organizations_delete(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* members.list: GET /v1/organizations/{org}/members; params: none */
TP_API tp_status tp_members_list(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* members.add: POST /v1/organizations/{org}/members; params: role */
TP_API tp_status tp_members_add(tp_client *client, const char *org, const char *username, const tp_params *params, tp_result **out);
/* members.get: GET /v1/organizations/{org}/members/{username}; params: none */
TP_API tp_status tp_members_get(tp_client *client, const char *org, const char *username, const tp_params *params, tp_result **out);
/* members.update: PATCH /v1/organizations/{org}/members/{username}; params: none */
TP_API tp_status tp_members_update(tp_client *client, const char *org, const char *username, const char *role, const tp_params *params, tp_result **out);
/* members.remove: DELETE /v1/organizations/{org}/members/{username}; params: none */
TP_API tp_status tp_members_remove(tp_client *client, const char *org, const char *username, const tp_params *params, tp_result **out);
/* invites.create_v1_legacy: POST /v1/organizations/{org}/invite; params: role */
TP_API tp_status tp_invites_create_v1_legacy(tp_client *client, const char *org, const char *email, const tp_params *params, tp_result **out);
/* invites.list_v1: GET /v1/organizations/{org}/invites; params: none */
TP_API tp_status tp_invites_list_v1(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* invites.delete_v1: DELETE /v1/organizations/{org}/invites/{email}; params: none */
TP_API tp_status tp_invites_delete_v1(tp_client *client, const char *org, const char *email, const tp_params *params, tp_result **out);
/* invites.list: GET /v2/organizations/{org}/invites; params: none */
TP_API tp_status tp_invites_list(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* invites.create: POST /v2/organizations/{org}/invites; params: email, username, role */
TP_API tp_status tp_invites_create(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* invites.delete: DELETE /v2/organizations/{org}/invites/{email}; params: none */
TP_API tp_status tp_invites_delete(tp_client *client, const char *org, const char *email, const tp_params *params, tp_result **out);
/* organizations.audit_logs: GET /v1/organizations/{org}/audit-logs; params: page, page_size */
TP_API tp_status tp_organizations_audit_logs(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* organizations.usage: GET /v1/organizations/{org}/usage; params: none */
TP_API tp_status tp_organizations_usage(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* organizations.plans: GET /v1/organizations/{org}/plans; params: none */
TP_API tp_status tp_organizations_plans(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* organizations.subscription: GET /v1/organizations/{org}/subscription; params: none */
TP_API tp_status tp_organizations_subscription(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* organizations.invoices: GET /v1/organizations/{org}/invoices; params: type */
TP_API tp_status tp_organizations_invoices(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* locations.list: GET /v1/locations; params: none */
TP_API tp_status tp_locations_list(tp_client *client, const tp_params *params, tp_result **out);
/* locations.get: GET /v1/locations/{location}; params: none */
TP_API tp_status tp_locations_get(tp_client *client, const char *location, const tp_params *params, tp_result **out);
/* locations.closest: GET https://region.turso.io/; params: none */
TP_API tp_status tp_locations_closest(tp_client *client, const tp_params *params, tp_result **out);
/* databases.list: GET /v1/organizations/{org}/databases; params: group, schema, parent, type, limit, cursor */
TP_API tp_status tp_databases_list(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* databases.create: POST /v1/organizations/{org}/databases; params: group, image, location, seed, size_limit, remote_encryption, is_schema, schema, extensions */
TP_API tp_status tp_databases_create(tp_client *client, const char *org, const char *name, const tp_params *params, tp_result **out);
/* databases.get: GET /v1/organizations/{org}/databases/{db}; params: none */
TP_API tp_status tp_databases_get(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.delete: DELETE /v1/organizations/{org}/databases/{db}; params: none */
TP_API tp_status tp_databases_delete(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.update_version: POST /v1/organizations/{org}/databases/{db}/update; params: none */
TP_API tp_status tp_databases_update_version(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.get_config: GET /v1/organizations/{org}/databases/{db}/configuration; params: none */
TP_API tp_status tp_databases_get_config(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.update_config: PATCH /v1/organizations/{org}/databases/{db}/configuration; params: size_limit, allow_attach, block_reads, block_writes, delete_protection, allowed_ips, allowed_aws_vpc_ids */
TP_API tp_status tp_databases_update_config(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.usage: GET /v1/organizations/{org}/databases/{db}/usage; params: from, to */
TP_API tp_status tp_databases_usage(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.stats: GET /v1/organizations/{org}/databases/{db}/stats; params: none */
TP_API tp_status tp_databases_stats(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.query_usage: GET /v1/organizations/{org}/databases/{db}/usage/queries; params: from */
TP_API tp_status tp_databases_query_usage(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.create_token: POST /v1/organizations/{org}/databases/{db}/auth/tokens; params: expiration, authorization, permissions, fine_grained_permissions */
TP_API tp_status tp_databases_create_token(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.rotate_tokens: POST /v1/organizations/{org}/databases/{db}/auth/rotate; params: none */
TP_API tp_status tp_databases_rotate_tokens(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.transfer: POST /v1/organizations/{org}/databases/{db}/transfer; params: none */
TP_API tp_status tp_databases_transfer(tp_client *client, const char *org, const char *db, const char *organization, const tp_params *params, tp_result **out);
/* databases.wakeup: POST /v1/organizations/{org}/databases/{db}/wakeup; params: none */
TP_API tp_status tp_databases_wakeup(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* databases.seed: POST /v1/organizations/{org}/databases/{db}/seed; params: none */
TP_API tp_status tp_databases_seed(tp_client *client, const char *org, const char *db, const void *file, size_t file_len, const tp_params *params, tp_result **out);
/* databases.upload_dump: POST /v1/organizations/{org}/databases/dumps; params: none */
TP_API tp_status tp_databases_upload_dump(tp_client *client, const char *org, const void *file, size_t file_len, const tp_params *params, tp_result **out);
/* instances.list: GET /v1/organizations/{org}/databases/{db}/instances; params: none */
TP_API tp_status tp_instances_list(tp_client *client, const char *org, const char *db, const tp_params *params, tp_result **out);
/* instances.create: POST /v1/organizations/{org}/databases/{db}/instances; params: image */
TP_API tp_status tp_instances_create(tp_client *client, const char *org, const char *db, const char *location, const tp_params *params, tp_result **out);
/* instances.get: GET /v1/organizations/{org}/databases/{db}/instances/{instance}; params: none */
TP_API tp_status tp_instances_get(tp_client *client, const char *org, const char *db, const char *instance, const tp_params *params, tp_result **out);
/* instances.delete: DELETE /v1/organizations/{org}/databases/{db}/instances/{instance}; params: none */
TP_API tp_status tp_instances_delete(tp_client *client, const char *org, const char *db, const char *instance, const tp_params *params, tp_result **out);
/* instances.wait: GET /v1/organizations/{org}/databases/{db}/instances/{instance}/wait; params: none */
TP_API tp_status tp_instances_wait(tp_client *client, const char *org, const char *db, const char *instance, const tp_params *params, tp_result **out);
/* groups.list: GET /v1/organizations/{org}/groups; params: none */
TP_API tp_status tp_groups_list(tp_client *client, const char *org, const tp_params *params, tp_result **out);
/* groups.create: POST /v1/organizations/{org}/groups; params: extensions, version */
TP_API tp_status tp_groups_create(tp_client *client, const char *org, const char *name, const char *location, const tp_params *params, tp_result **out);
/* groups.get: GET /v1/organizations/{org}/groups/{group}; params: none */
TP_API tp_status tp_groups_get(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* groups.delete: DELETE /v1/organizations/{org}/groups/{group}; params: none */
TP_API tp_status tp_groups_delete(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* groups.get_config: GET /v1/organizations/{org}/groups/{group}/configuration; params: none */
TP_API tp_status tp_groups_get_config(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* groups.update_config: PATCH /v1/organizations/{org}/groups/{group}/configuration; params: delete_protection */
TP_API tp_status tp_groups_update_config(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* groups.transfer: POST /v1/organizations/{org}/groups/{group}/transfer; params: none */
TP_API tp_status tp_groups_transfer(tp_client *client, const char *org, const char *group, const char *organization, const tp_params *params, tp_result **out);
/* groups.unarchive: POST /v1/organizations/{org}/groups/{group}/unarchive; params: none */
TP_API tp_status tp_groups_unarchive(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* groups.rename: POST /v1/organizations/{org}/groups/{group}/rename; params: none */
TP_API tp_status tp_groups_rename(tp_client *client, const char *org, const char *group, const char *name, const tp_params *params, tp_result **out);
/* groups.add_location: POST /v1/organizations/{org}/groups/{group}/locations/{location}; params: none */
TP_API tp_status tp_groups_add_location(tp_client *client, const char *org, const char *group, const char *location, const tp_params *params, tp_result **out);
/* groups.remove_location: DELETE /v1/organizations/{org}/groups/{group}/locations/{location}; params: none */
TP_API tp_status tp_groups_remove_location(tp_client *client, const char *org, const char *group, const char *location, const tp_params *params, tp_result **out);
/* groups.wait_location: GET /v1/organizations/{org}/groups/{group}/locations/{location}/wait; params: none */
TP_API tp_status tp_groups_wait_location(tp_client *client, const char *org, const char *group, const char *location, const tp_params *params, tp_result **out);
/* groups.update_version: POST /v1/organizations/{org}/groups/{group}/update; params: none */
TP_API tp_status tp_groups_update_version(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* groups.create_token: POST /v1/organizations/{org}/groups/{group}/auth/tokens; params: expiration, authorization, permissions, fine_grained_permissions */
TP_API tp_status tp_groups_create_token(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* groups.rotate_tokens: POST /v1/organizations/{org}/groups/{group}/auth/rotate; params: none */
TP_API tp_status tp_groups_rotate_tokens(tp_client *client, const char *org, const char *group, const tp_params *params, tp_result **out);
/* user_groups.list: GET /v1/groups; params: none */
TP_API tp_status tp_user_groups_list(tp_client *client, const tp_params *params, tp_result **out);
/* user_groups.create: POST /v1/groups; params: extensions, version */
TP_API tp_status tp_user_groups_create(tp_client *client, const char *name, const char *location, const tp_params *params, tp_result **out);
/* user_groups.get: GET /v1/groups/{group}; params: none */
TP_API tp_status tp_user_groups_get(tp_client *client, const char *group, const tp_params *params, tp_result **out);
/* user_groups.delete: DELETE /v1/groups/{group}; params: none */
TP_API tp_status tp_user_groups_delete(tp_client *client, const char *group, const tp_params *params, tp_result **out);
/* user_groups.add_location: POST /v1/groups/{group}/locations/{location}; params: none */
TP_API tp_status tp_user_groups_add_location(tp_client *client, const char *group, const char *location, const tp_params *params, tp_result **out);
/* user_groups.remove_location: DELETE /v1/groups/{group}/locations/{location}; params: none */
TP_API tp_status tp_user_groups_remove_location(tp_client *client, const char *group, const char *location, const tp_params *params, tp_result **out);
/* user_groups.create_token: POST /v1/groups/{group}/auth/tokens; params: expiration, authorization, permissions, fine_grained_permissions */
TP_API tp_status tp_user_groups_create_token(tp_client *client, const char *group, const tp_params *params, tp_result **out);
/* user_groups.rotate_tokens: POST /v1/groups/{group}/auth/rotate; params: none */
TP_API tp_status tp_user_groups_rotate_tokens(tp_client *client, const char *group, const tp_params *params, tp_result **out);
/* invites.create_v1: POST /v1/organizations/{org}/invites; params: role */
TP_API tp_status tp_invites_create_v1(tp_client *client, const char *org, const char *username, const tp_params *params, tp_result **out);
/* END GENERATED OPERATIONS */

#ifdef __cplusplus
}
#endif

#endif /* TURSO_PLATFORM_H */
