/* turso-local embedding API: start a Turso Platform API server inside a test or tool.
 *
 * Usable from C and C++. A server listens on 127.0.0.1 on a free port and serves in background
 * threads until tl_server_stop. Every function is safe to call from any thread; one tl_server may be
 * used by several threads at once except that tl_server_stop must be the last call on it.
 * Strings are UTF-8, NUL-terminated; returned strings are borrowed from the server and stay valid
 * until tl_server_stop. */
#ifndef TURSO_LOCAL_H
#define TURSO_LOCAL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tl_server tl_server;

/* Starts a server on 127.0.0.1, a free port, serving in background threads. data_path: ":memory:"
   or a file path (NULL = ":memory:"); token: platform token of the bootstrap user "local" (NULL =
   random); admin_token: enables the /admin routes (NULL = disabled). NULL on failure, with a message
   in errbuf (which may be NULL when errbuf_len is 0). */
tl_server *tl_server_start(const char *data_path, const char *token, const char *admin_token, char *errbuf,
                           size_t errbuf_len);

/* "http://127.0.0.1:PORT", no trailing slash. */
const char *tl_server_url(const tl_server *s);

/* The bootstrap user's platform token. */
const char *tl_server_token(const tl_server *s);

/* Adds user `name` (personal organization `name`) whose platform token is `token`; when the user
   exists, the token is added to it. 0 on success, -1 on invalid arguments or failure. */
int tl_server_add_user(tl_server *s, const char *name, const char *token);

/* Stops serving, joins the threads and frees everything. NULL is accepted. */
void tl_server_stop(tl_server *s);

#ifdef __cplusplus
}
#endif

#endif
