/* A tiny HTTP/1.1 server for the hardening tests: one thread, one connection at a time,
 * "Connection: close" on every answer. It records what it receives so that a test can count
 * requests server-side and look at their headers, and it can misbehave in ways turso-local's
 * fault switch cannot (close before reading, redirect to another host). */
#ifndef TP_HARDENING_FIXTURE_H
#define TP_HARDENING_FIXTURE_H

#include <stddef.h>

typedef enum {
    FX_RESPOND,         /* answer `status` with `body` (and `extra_headers`) */
    FX_CLOSE_AT_ONCE,   /* accept, then close without reading a byte (an RST, SO_LINGER 0) */
    FX_RESET_AFTER_READ /* read the whole request, then close with an RST instead of answering */
} fx_mode;

typedef struct fx_server fx_server;

/* Starts a server on ip:0 (e.g. "127.0.0.1" or "127.0.0.2"); NULL on failure. */
fx_server *fx_start(const char *ip, fx_mode mode, int status, const char *extra_headers, const char *body);
/* The port it listens on. */
int fx_port(const fx_server *s);
/* Connections accepted and requests read so far. */
int fx_connections(fx_server *s);
int fx_requests(fx_server *s);
/* 1 when any request received so far carried a header named `name` (case-insensitive). */
int fx_saw_header(fx_server *s, const char *name);
/* The request line of the last request into buf ("" when none). */
void fx_last_request_line(fx_server *s, char *buf, size_t len);
/* Stops the thread and frees everything. NULL is fine. */
void fx_stop(fx_server *s);

#endif
