/*
 * A loopback HTTP/1.1 server for tests: listens on 127.0.0.1 port 0, serves each connection on
 * its own thread with keep-alive, records every request, and answers from a scripted queue.
 * When the queue is empty it answers the default reply (200 "{}" unless changed).
 */
#ifndef TP_TEST_FIXTURE_H
#define TP_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

typedef struct fx_server fx_server;

/* One request as the server received it. Strings are NUL-terminated; body may hold NULs. */
typedef struct fx_request {
    char method[16];
    char *target;  /* the request line's target, exactly as sent: "/v1/x?y=z" */
    char *headers; /* the raw header block: "Name: value\r\n" lines */
    char *body;    /* decoded (chunked or Content-Length) body, NUL-terminated */
    size_t body_len;
    int connection;     /* 1-based index of the connection it came on */
    int64_t arrival_ms; /* monotonic clock, for ordering and lower-bound checks */
} fx_request;

/* Starts a server; NULL when the socket could not be opened. */
fx_server *fx_start(void);
/* Stops it: closes every connection (waking delayed replies), joins threads, frees all. */
void fx_stop(fx_server *server);

int fx_port(const fx_server *server);
/* "http://127.0.0.1:<port>", owned by the server. */
const char *fx_url(const fx_server *server);

/* Queues a reply. `headers` are extra "Name: value\r\n" lines (NULL for none); a body without a
 * Content-Type header in `headers` is sent as application/json. `delay_ms` waits before answering. */
void fx_push(fx_server *server, int status, const char *headers, const char *body, int delay_ms);
/* Queues a reply of `len` raw bytes of body. */
void fx_push_bytes(fx_server *server, int status, const char *headers, const char *body, size_t len,
                   int delay_ms);
/* Queues "close the connection without answering". */
void fx_push_close(fx_server *server);
/* Sets the reply used when the queue is empty. */
void fx_set_default(fx_server *server, int status, const char *headers, const char *body, int delay_ms);
/* When on, default replies carry {"method": ..., "target": ...} of the request as their body. */
void fx_set_echo(fx_server *server, int on);

/* Requests fully received so far; the i-th one (0-based, arrival order), valid until fx_stop. */
int fx_request_count(fx_server *server);
const fx_request *fx_request_at(fx_server *server, int i);
/* A header's value by name (case-insensitive) as a fresh string the caller frees, or NULL. */
char *fx_header(const fx_request *request, const char *name);

/* Connections accepted so far. */
int fx_connection_count(fx_server *server);
/* Connections open now (a client's close is seen within ~20 ms). */
int fx_open_connection_count(fx_server *server);
/* Blocks until at most n connections are open or timeout_ms passed; returns the count. */
int fx_wait_open_connections_at_most(fx_server *server, int n, int timeout_ms);
/* Most requests seen being handled at the same time (received, not yet answered). */
int fx_max_in_flight(fx_server *server);
/* Blocks until at least n requests arrived or timeout_ms passed; returns the count. */
int fx_wait_requests(fx_server *server, int n, int timeout_ms);

/* Monotonic milliseconds. */
int64_t fx_now_ms(void);

#endif
