/* turso-local as a child process, for the tests that need to kill it or switch faults on:
 * started on 127.0.0.1:0, its URL read from what it prints. */
#ifndef TP_HARDENING_LOCAL_SERVER_H
#define TP_HARDENING_LOCAL_SERVER_H

#include <sys/types.h>

#include "turso_platform.h"

typedef struct {
    pid_t pid;
    char url[128];
    char log_path[512]; /* its stdout and stderr */
    tp_client *admin;   /* a client holding the admin token, for /admin/faults */
    int keep_log;       /* ls_stop leaves log_path for the caller to read and unlink */
} local_server;

/* Starts `binary` with --data `data` (a path or ":memory:"), --token `token`, --admin-token
 * `admin_token`. Returns 0, or -1 with a message on stderr. */
int ls_start(local_server *s, const char *binary, const char *data, const char *token,
             const char *admin_token);
/* Adds a fault rule (the JSON body of POST /admin/faults); 0 on success. */
int ls_fault(local_server *s, const char *json);
/* Clears every fault rule; 0 on success. */
int ls_clear_faults(local_server *s);
/* SIGTERM (graceful = 1) or SIGKILL, then reaps it. Safe to call twice. Returns the number of
 * problems found in the server's own output and exit: sanitizer reports, a crash, a non-zero
 * exit after SIGTERM (each printed to stderr). */
int ls_stop(local_server *s, int graceful);

#endif
