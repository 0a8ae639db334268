#define _GNU_SOURCE
#include "fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct fx_server {
    int fd;
    int port;
    fx_mode mode;
    int status;
    char *extra_headers;
    char *body;
    pthread_t thread;
    pthread_mutex_t lock;
    int stopping;
    int connections;
    int requests;
    char *seen_headers; /* every request's header block, concatenated */
    char last_line[512];
};

static char *dup_or_empty(const char *s) {
    return strdup(s ? s : "");
}

static void send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

/* Reads one request (headers, then Content-Length bytes of body); 0 when the peer went away. */
static int read_request(fx_server *s, int fd) {
    char buf[65536];
    size_t used = 0;
    char *end = NULL;
    while (!end) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0) return 0;
        ssize_t r = recv(fd, buf + used, sizeof buf - 1 - used, 0);
        if (r <= 0) return 0;
        used += (size_t)r;
        buf[used] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (!end && used >= sizeof buf - 1) return 0;
    }
    size_t head = (size_t)(end - buf) + 4;
    size_t want = 0;
    char *h = strcasestr(buf, "\r\ncontent-length:");
    if (h && h < end) want = strtoul(h + 17, NULL, 10);
    size_t have = used - head;
    while (have < want) { /* drain the body; we only count it */
        char sink[4096];
        ssize_t r = recv(fd, sink, sizeof sink, 0);
        if (r <= 0) return 0;
        have += (size_t)r;
    }
    pthread_mutex_lock(&s->lock);
    s->requests++;
    char *eol = strstr(buf, "\r\n");
    size_t n = (size_t)(eol - buf) < sizeof s->last_line - 1 ? (size_t)(eol - buf) : sizeof s->last_line - 1;
    memcpy(s->last_line, buf, n);
    s->last_line[n] = 0;
    size_t old = strlen(s->seen_headers);
    char *grown = realloc(s->seen_headers, old + head + 1);
    if (grown) {
        memcpy(grown + old, buf, head);
        grown[old + head] = 0;
        s->seen_headers = grown;
    }
    pthread_mutex_unlock(&s->lock);
    return 1;
}

static void *serve(void *arg) {
    fx_server *s = arg;
    for (;;) {
        struct pollfd p = {s->fd, POLLIN, 0};
        int ready = poll(&p, 1, 50);
        pthread_mutex_lock(&s->lock);
        int stop = s->stopping;
        pthread_mutex_unlock(&s->lock);
        if (stop) break;
        if (ready <= 0) continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0) continue;
        pthread_mutex_lock(&s->lock);
        s->connections++;
        pthread_mutex_unlock(&s->lock);
        if (s->mode == FX_CLOSE_AT_ONCE) {
            struct linger l = {1, 0}; /* RST rather than FIN: a reset connection */
            setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            close(c);
            continue;
        }
        if (s->mode == FX_RESET_AFTER_READ) {
            read_request(s, c);
            struct linger l = {1, 0};
            setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            close(c);
            continue;
        }
        if (read_request(s, c)) {
            char head[1024];
            int n = snprintf(head, sizeof head,
                             "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                             "Connection: close\r\n%s\r\n",
                             s->status, strlen(s->body), s->extra_headers);
            send_all(c, head, (size_t)n);
            send_all(c, s->body, strlen(s->body));
        }
        shutdown(c, SHUT_WR);
        close(c);
    }
    return NULL;
}

fx_server *fx_start(const char *ip, fx_mode mode, int status, const char *extra_headers, const char *body) {
    fx_server *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->mode = mode;
    s->status = status;
    s->extra_headers = dup_or_empty(extra_headers);
    s->body = dup_or_empty(body);
    s->seen_headers = dup_or_empty("");
    pthread_mutex_init(&s->lock, NULL);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = 0;
    inet_pton(AF_INET, ip, &a.sin_addr);
    socklen_t al = sizeof a;
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 64) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &al) != 0) {
        fprintf(stderr, "fixture: cannot listen on %s: %s\n", ip, strerror(errno));
        if (s->fd >= 0) close(s->fd);
        free(s->extra_headers);
        free(s->body);
        free(s->seen_headers);
        free(s);
        return NULL;
    }
    s->port = ntohs(a.sin_port);
    pthread_create(&s->thread, NULL, serve, s);
    return s;
}

int fx_port(const fx_server *s) {
    return s->port;
}

int fx_connections(fx_server *s) {
    pthread_mutex_lock(&s->lock);
    int n = s->connections;
    pthread_mutex_unlock(&s->lock);
    return n;
}

int fx_requests(fx_server *s) {
    pthread_mutex_lock(&s->lock);
    int n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

int fx_saw_header(fx_server *s, const char *name) {
    char needle[256];
    snprintf(needle, sizeof needle, "\r\n%s:", name);
    pthread_mutex_lock(&s->lock);
    int found = strcasestr(s->seen_headers, needle) != NULL;
    pthread_mutex_unlock(&s->lock);
    return found;
}

void fx_last_request_line(fx_server *s, char *buf, size_t len) {
    pthread_mutex_lock(&s->lock);
    snprintf(buf, len, "%s", s->last_line);
    pthread_mutex_unlock(&s->lock);
}

void fx_stop(fx_server *s) {
    if (!s) return;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    close(s->fd);
    pthread_mutex_destroy(&s->lock);
    free(s->extra_headers);
    free(s->body);
    free(s->seen_headers);
    free(s);
}
