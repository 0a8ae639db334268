/* tursh-local.so: turso-local as a module that tursh loads on --local (core.c). A static library
 * lends only the objects something refers to: this table refers to the functions tursh looks
 * up, so that they, and all they need, end up in the module (exported, as the library's symbols
 * are). */
#include "turso_local.h"

#if defined(__GNUC__) || defined(__clang__)
__attribute__((visibility("default"), used))
#endif
const struct {
    tl_server *(*start)(const char *, const char *, const char *, char *, size_t);
    const char *(*url)(const tl_server *);
    const char *(*token)(const tl_server *);
    void (*stop)(tl_server *);
} tursh_local_functions = {tl_server_start, tl_server_url, tl_server_token, tl_server_stop};
