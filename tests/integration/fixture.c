/* The loopback HTTP/1.1 test server described in fixture.h. */
#define _POSIX_C_SOURCE 200809L

#include "fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FX_MAX_REQUESTS 16384
#define FX_MAX_CONNECTIONS 2048
#define FX_POLL_MS 20

typedef struct fx_reply {
    int status;
    char *headers;
    char *body;
    size_t len;
    int delay_ms;
    int close;
    struct fx_reply *next;
} fx_reply;

typedef struct fx_conn {
    fx_server *server;
    pthread_t thread;
    int fd;
    int index;
} fx_conn;

struct fx_server {
    int listen_fd;
    int port;
    char url[64];
    pthread_t accept_thread;
    pthread_mutex_t mu;
    pthread_cond_t arrived;
    int stop;
    fx_reply *head, *tail;
    fx_reply fallback;
    int echo;
    fx_request *requests[FX_MAX_REQUESTS];
    int request_count;
    fx_conn *conns[FX_MAX_CONNECTIONS];
    int conn_count;
    int in_flight, max_in_flight;
};

int64_t fx_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dup_bytes(const char *s, size_t len) {
    char *p = malloc(len + 1);
    if (!p) abort();
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static char *dup_str(const char *s) {
    return s ? dup_bytes(s, strlen(s)) : NULL;
}

static int stopping(fx_server *s) {
    pthread_mutex_lock(&s->mu);
    int stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

/* ---- replies ---------------------------------------------------------------------------- */

static void set_reply(fx_reply *r, int status, const char *headers, const char *body, size_t len,
                      int delay_ms) {
    r->status = status;
    r->headers = dup_str(headers ? headers : "");
    r->body = dup_bytes(body ? body : "", body ? len : 0);
    r->len = body ? len : 0;
    r->delay_ms = delay_ms;
    r->close = 0;
    r->next = NULL;
}

static void free_reply_fields(fx_reply *r) {
    free(r->headers);
    free(r->body);
}

static void enqueue(fx_server *s, fx_reply *r) {
    pthread_mutex_lock(&s->mu);
    if (s->tail)
        s->tail->next = r;
    else
        s->head = r;
    s->tail = r;
    pthread_mutex_unlock(&s->mu);
}

void fx_push_bytes(fx_server *s, int status, const char *headers, const char *body, size_t len,
                   int delay_ms) {
    fx_reply *r = calloc(1, sizeof *r);
    if (!r) abort();
    set_reply(r, status, headers, body, len, delay_ms);
    enqueue(s, r);
}

void fx_push(fx_server *s, int status, const char *headers, const char *body, int delay_ms) {
    fx_push_bytes(s, status, headers, body, body ? strlen(body) : 0, delay_ms);
}

void fx_push_close(fx_server *s) {
    fx_reply *r = calloc(1, sizeof *r);
    if (!r) abort();
    set_reply(r, 0, NULL, NULL, 0, 0);
    r->close = 1;
    enqueue(s, r);
}

void fx_set_default(fx_server *s, int status, const char *headers, const char *body, int delay_ms) {
    pthread_mutex_lock(&s->mu);
    free_reply_fields(&s->fallback);
    set_reply(&s->fallback, status, headers, body, body ? strlen(body) : 0, delay_ms);
    pthread_mutex_unlock(&s->mu);
}

void fx_set_echo(fx_server *s, int on) {
    pthread_mutex_lock(&s->mu);
    s->echo = on;
    pthread_mutex_unlock(&s->mu);
}

/* Appends `s` to `out` as a JSON string literal. */
static size_t json_quote(char *out, const char *s) {
    size_t n = 0;
    out[n++] = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)sprintf(out + n, "\\u%04x", c);
        } else {
            out[n++] = (char)c;
        }
    }
    out[n++] = '"';
    out[n] = '\0';
    return n;
}

/* Takes the next reply for `req` (the caller owns the copy). */
static fx_reply take_reply(fx_server *s, const fx_request *req) {
    fx_reply out;
    pthread_mutex_lock(&s->mu);
    fx_reply *r = s->head;
    if (r) {
        s->head = r->next;
        if (!s->head) s->tail = NULL;
        out = *r;
        free(r);
    } else {
        set_reply(&out, s->fallback.status, s->fallback.headers, s->fallback.body, s->fallback.len,
                  s->fallback.delay_ms);
        if (s->echo) {
            free(out.body);
            size_t cap = 64 + 6 * (strlen(req->method) + strlen(req->target));
            out.body = malloc(cap);
            if (!out.body) abort();
            size_t n = (size_t)sprintf(out.body, "{\"method\":");
            n += json_quote(out.body + n, req->method);
            n += (size_t)sprintf(out.body + n, ",\"target\":");
            n += json_quote(out.body + n, req->target);
            n += (size_t)sprintf(out.body + n, "}");
            out.len = n;
        }
    }
    pthread_mutex_unlock(&s->mu);
    out.next = NULL;
    return out;
}

/* ---- reading requests ------------------------------------------------------------------- */

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

/* Reads more bytes into b; 0 on data, -1 on close, error or stop. */
static int read_more(fx_server *s, int fd, buffer *b) {
    for (;;) {
        if (stopping(s)) return -1;
        struct pollfd p = {fd, POLLIN, 0};
        int rc = poll(&p, 1, FX_POLL_MS);
        if (rc < 0 && errno != EINTR) return -1;
        if (rc <= 0) continue;
        if (b->cap - b->len < 65536) {
            b->cap = b->cap * 2 + 65536;
            b->data = realloc(b->data, b->cap + 1);
            if (!b->data) abort();
        }
        ssize_t got = recv(fd, b->data + b->len, b->cap - b->len, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        b->len += (size_t)got;
        b->data[b->len] = '\0';
        return 0;
    }
}

/* Ensures b holds at least `need` bytes. */
static int fill(fx_server *s, int fd, buffer *b, size_t need) {
    while (b->len < need)
        if (read_more(s, fd, b) < 0) return -1;
    return 0;
}

static const char *find_crlf(const buffer *b, size_t from) {
    for (size_t i = from; i + 1 < b->len; i++)
        if (b->data[i] == '\r' && b->data[i + 1] == '\n') return b->data + i;
    return NULL;
}

char *fx_header(const fx_request *req, const char *name) {
    size_t n = strlen(name);
    const char *line = req->headers;
    while (line && *line) {
        const char *end = strstr(line, "\r\n");
        if (!end) end = line + strlen(line);
        if ((size_t)(end - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            const char *e = end;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            return dup_bytes(v, (size_t)(e - v));
        }
        line = *end ? end + 2 : end;
    }
    return NULL;
}

static void send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        data += n;
        len -= (size_t)n;
    }
}

/* Reads one request (head and body) from the front of b; NULL when the connection ended.
 * *consumed receives how many bytes of b it took. */
static fx_request *read_request(fx_server *s, int fd, buffer *b, size_t *consumed) {
    char *head_end;
    while (!(head_end = b->len ? strstr(b->data, "\r\n\r\n") : NULL))
        if (read_more(s, fd, b) < 0) return NULL;
    size_t head_len = (size_t)(head_end - b->data) + 4;
    fx_request *req = calloc(1, sizeof *req);
    if (!req) abort();
    const char *line_end = strstr(b->data, "\r\n");
    const char *sp1 = memchr(b->data, ' ', (size_t)(line_end - b->data));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1)) : NULL;
    if (!sp1 || !sp2 || (size_t)(sp1 - b->data) >= sizeof req->method) {
        free(req);
        return NULL;
    }
    memcpy(req->method, b->data, (size_t)(sp1 - b->data));
    req->target = dup_bytes(sp1 + 1, (size_t)(sp2 - sp1 - 1));
    req->headers = dup_bytes(line_end + 2, head_len - 2 - (size_t)(line_end + 2 - b->data));

    char *expect = fx_header(req, "Expect");
    if (expect && strcasecmp(expect, "100-continue") == 0) send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    free(expect);

    char *te = fx_header(req, "Transfer-Encoding");
    char *cl = fx_header(req, "Content-Length");
    size_t pos = head_len;
    int ok = 1;
    if (te && strstr(te, "chunked")) {
        buffer body = {0};
        for (;;) {
            const char *crlf;
            while (!(crlf = find_crlf(b, pos)))
                if (read_more(s, fd, b) < 0) {
                    ok = 0;
                    break;
                }
            if (!ok) break;
            size_t size = strtoul(b->data + pos, NULL, 16);
            pos = (size_t)(crlf - b->data) + 2;
            if (size == 0) {
                /* Skip trailers up to the empty line. */
                for (;;) {
                    while (!(crlf = find_crlf(b, pos)))
                        if (read_more(s, fd, b) < 0) {
                            ok = 0;
                            break;
                        }
                    if (!ok) break;
                    int empty = crlf == b->data + pos;
                    pos = (size_t)(crlf - b->data) + 2;
                    if (empty) break;
                }
                break;
            }
            if (fill(s, fd, b, pos + size + 2) < 0) {
                ok = 0;
                break;
            }
            body.data = realloc(body.data, body.len + size + 1);
            if (!body.data) abort();
            memcpy(body.data + body.len, b->data + pos, size);
            body.len += size;
            pos += size + 2;
        }
        req->body = dup_bytes(body.data ? body.data : "", body.len);
        req->body_len = body.len;
        free(body.data);
    } else {
        size_t len = cl ? strtoul(cl, NULL, 10) : 0;
        if (fill(s, fd, b, pos + len) < 0)
            ok = 0;
        else {
            req->body = dup_bytes(b->data + pos, len);
            req->body_len = len;
            pos += len;
        }
    }
    free(te);
    free(cl);
    if (!ok) {
        free(req->target);
        free(req->headers);
        free(req->body);
        free(req);
        return NULL;
    }
    *consumed = pos;
    return req;
}

/* ---- connections ------------------------------------------------------------------------ */

static void send_reply(int fd, const fx_reply *r) {
    int has_type = 0;
    for (const char *h = r->headers; *h; h++)
        if (strncasecmp(h, "content-type:", 13) == 0) has_type = 1;
    size_t cap = 256 + strlen(r->headers);
    char *head = malloc(cap);
    if (!head) abort();
    int n = snprintf(head, cap, "HTTP/1.1 %d Reply\r\nContent-Length: %zu\r\n%s%s\r\n", r->status, r->len,
                     has_type ? "" : "Content-Type: application/json\r\n", r->headers);
    send_all(fd, head, (size_t)n);
    send_all(fd, r->body, r->len);
    free(head);
}

static void *serve_connection(void *arg) {
    fx_conn *c = arg;
    fx_server *s = c->server;
    buffer b = {0};
    for (;;) {
        size_t consumed = 0;
        fx_request *req = read_request(s, c->fd, &b, &consumed);
        if (!req) break;
        req->connection = c->index;
        req->arrival_ms = fx_now_ms();
        pthread_mutex_lock(&s->mu);
        if (s->request_count < FX_MAX_REQUESTS)
            s->requests[s->request_count++] = req;
        else
            abort();
        if (++s->in_flight > s->max_in_flight) s->max_in_flight = s->in_flight;
        pthread_cond_broadcast(&s->arrived);
        pthread_mutex_unlock(&s->mu);

        fx_reply r = take_reply(s, req);
        int64_t until = fx_now_ms() + r.delay_ms;
        while (!r.close && fx_now_ms() < until && !stopping(s)) {
            struct timespec ts = {0, 5 * 1000000};
            nanosleep(&ts, NULL);
        }
        if (!r.close && !stopping(s)) send_reply(c->fd, &r);
        free_reply_fields(&r);
        pthread_mutex_lock(&s->mu);
        s->in_flight--;
        pthread_mutex_unlock(&s->mu);
        if (r.close) break;
        memmove(b.data, b.data + consumed, b.len - consumed);
        b.len -= consumed;
        b.data[b.len] = '\0';
    }
    free(b.data);
    pthread_mutex_lock(&s->mu);
    close(c->fd);
    c->fd = -1;
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void *accept_loop(void *arg) {
    fx_server *s = arg;
    while (!stopping(s)) {
        struct pollfd p = {s->listen_fd, POLLIN, 0};
        if (poll(&p, 1, FX_POLL_MS) <= 0) continue;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0) continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fx_conn *c = calloc(1, sizeof *c);
        if (!c) abort();
        c->server = s;
        c->fd = fd;
        pthread_mutex_lock(&s->mu);
        if (s->conn_count >= FX_MAX_CONNECTIONS) abort();
        c->index = s->conn_count + 1;
        s->conns[s->conn_count++] = c;
        pthread_mutex_unlock(&s->mu);
        if (pthread_create(&c->thread, NULL, serve_connection, c) != 0) abort();
    }
    return NULL;
}

/* ---- lifecycle and queries -------------------------------------------------------------- */

fx_server *fx_start(void) {
    fx_server *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0) {
        free(s);
        return NULL;
    }
    int one = 1;
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t alen = sizeof addr;
    if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s->listen_fd, 128) != 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0) {
        close(s->listen_fd);
        free(s);
        return NULL;
    }
    s->port = ntohs(addr.sin_port);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->arrived, NULL);
    set_reply(&s->fallback, 200, NULL, "{}", 2, 0);
    if (pthread_create(&s->accept_thread, NULL, accept_loop, s) != 0) abort();
    return s;
}

void fx_stop(fx_server *s) {
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->accept_thread, NULL);
    close(s->listen_fd);
    for (int i = 0; i < s->conn_count; i++) {
        pthread_join(s->conns[i]->thread, NULL);
        free(s->conns[i]);
    }
    for (int i = 0; i < s->request_count; i++) {
        free(s->requests[i]->target);
        free(s->requests[i]->headers);
        free(s->requests[i]->body);
        free(s->requests[i]);
    }
    while (s->head) {
        fx_reply *next = s->head->next;
        free_reply_fields(s->head);
        free(s->head);
        s->head = next;
    }
    free_reply_fields(&s->fallback);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->arrived);
    free(s);
}

int fx_port(const fx_server *s) {
    return s->port;
}
const char *fx_url(const fx_server *s) {
    return s->url;
}

int fx_request_count(fx_server *s) {
    pthread_mutex_lock(&s->mu);
    int n = s->request_count;
    pthread_mutex_unlock(&s->mu);
    return n;
}

const fx_request *fx_request_at(fx_server *s, int i) {
    pthread_mutex_lock(&s->mu);
    const fx_request *r = (i >= 0 && i < s->request_count) ? s->requests[i] : NULL;
    pthread_mutex_unlock(&s->mu);
    return r;
}

int fx_connection_count(fx_server *s) {
    pthread_mutex_lock(&s->mu);
    int n = s->conn_count;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int fx_open_connection_count(fx_server *s) {
    pthread_mutex_lock(&s->mu);
    int n = 0;
    for (int i = 0; i < s->conn_count; i++)
        n += s->conns[i]->fd >= 0;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int fx_wait_open_connections_at_most(fx_server *s, int n, int timeout_ms) {
    int64_t until = fx_now_ms() + timeout_ms;
    int open;
    while ((open = fx_open_connection_count(s)) > n && fx_now_ms() < until) {
        struct timespec ts = {0, 5 * 1000000};
        nanosleep(&ts, NULL);
    }
    return open;
}

int fx_max_in_flight(fx_server *s) {
    pthread_mutex_lock(&s->mu);
    int n = s->max_in_flight;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int fx_wait_requests(fx_server *s, int n, int timeout_ms) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->mu);
    while (s->request_count < n)
        if (pthread_cond_timedwait(&s->arrived, &s->mu, &deadline) != 0) break;
    int count = s->request_count;
    pthread_mutex_unlock(&s->mu);
    return count;
}
