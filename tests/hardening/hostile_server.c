/* Servers that answer badly, at the byte level, and what a call makes of it: endless trailers
 * after a chunked body end the call with TP_E_BAD_RESPONSE (libcurl bounds headers, not
 * trailers); a status line that is not HTTP is TP_E_BAD_RESPONSE, not the caller's
 * TP_E_INVALID_ARGUMENT; a header line past libcurl's limit keeps the result's operation and
 * attempts; Retry-After past the 256th header is still read; a POST on a kept connection the
 * server reset while it idled is never sent twice. */
#define _POSIX_C_SOURCE 200809L
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "turso_platform.h"

#include "check.h"

static int listener;
static int posts_seen;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;

static int send_text(int fd, const char *text) {
    size_t len = strlen(text);
    while (len) {
        ssize_t n = send(fd, text, len, MSG_NOSIGNAL);
        if (n <= 0) return -1;
        text += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads one request head (and a small body) into buf; 0 on success. */
static int read_request(int fd, char *buf, size_t len) {
    size_t have = 0;
    while (have + 1 < len) {
        ssize_t n = recv(fd, buf + have, len - 1 - have, 0);
        if (n <= 0) return -1;
        have += (size_t)n;
        buf[have] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (!end) continue;
        const char *cl = strstr(buf, "Content-Length: ");
        size_t body = cl && cl < end ? (size_t)atoi(cl + 16) : 0;
        if (have >= (size_t)(end + 4 - buf) + body) return 0;
    }
    return -1;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* One connection: what it answers depends on the request's path. */
static void *serve(void *arg) {
    int fd = (int)(intptr_t)arg;
    char req[8192];
    while (read_request(fd, req, sizeof req) == 0) {
        if (strncmp(req, "POST ", 5) == 0) {
            pthread_mutex_lock(&mutex);
            posts_seen++;
            pthread_mutex_unlock(&mutex);
        }
        if (strstr(req, " /trailers ")) {
            send_text(
                fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "2\r\n{}\r\n0\r\n");
            char line[256];
            memset(line, 'v', sizeof line);
            memcpy(line, "X-T: ", 5);
            memcpy(line + sizeof line - 3, "\r\n", 3);
            while (send_text(fd, line) == 0) {
            }
            break;
        } else if (strstr(req, " /garbage ")) {
            send_text(fd, "HTTZ/9.9 abc\r\n\r\n");
            break;
        } else if (strstr(req, " /long-header ")) {
            send_text(fd, "HTTP/1.1 200 OK\r\nX-Big: ");
            char chunk[4096];
            memset(chunk, 'b', sizeof chunk);
            chunk[sizeof chunk - 1] = '\0';
            for (int i = 0; i < 64 && send_text(fd, chunk) == 0; i++) {
            }
            break;
        } else if (strstr(req, " /many-headers ")) {
            char head[32768] = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n";
            for (int i = 0; i < 300; i++)
                snprintf(head + strlen(head), sizeof head - strlen(head), "X-%03d: v\r\n", i);
            strcat(head, "Retry-After: 7\r\nContent-Length: 2\r\n\r\n{}");
            send_text(fd, head);
        } else if (strstr(req, " /then-reset ")) {
            /* Answered and kept; 100 ms later the idle connection is reset. */
            send_text(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            sleep_ms(100);
            struct linger lg = {1, 0};
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            break;
        } else {
            send_text(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        }
    }
    close(fd);
    return NULL;
}

static void *accept_loop(void *arg) {
    (void)arg;
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) return NULL;
        pthread_t t;
        pthread_create(&t, NULL, serve, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
}

static tp_client *client_of(int port, int attempts) {
    char base[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, base);
    tp_options_set_token(o, "t");
    tp_options_set_timeout_ms(o, 60000);
    tp_options_set_retry(o, attempts, 1);
    tp_client_new(o, &c);
    tp_options_free(o);
    return c;
}

static tp_result *get(tp_client *c, const char *path) {
    tp_result *r = NULL;
    tp_request(c, "GET", path, NULL, 0, &r);
    return r;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 64) != 0 ||
        getsockname(listener, (struct sockaddr *)&addr, &len) != 0) {
        perror("listen");
        return 1;
    }
    int port = ntohs(addr.sin_port);
    pthread_t acceptor;
    pthread_create(&acceptor, NULL, accept_loop, NULL);
    pthread_detach(acceptor);
    tp_client *c = client_of(port, 1);

    tp_result *r = get(c, "/trailers");
    CHECK(tp_result_status(r) == TP_E_BAD_RESPONSE && strstr(tp_result_message(r), "trailers"),
          "endless trailers: %s: %s", tp_status_name(tp_result_status(r)), tp_result_message(r));
    tp_result_free(r);

    r = get(c, "/garbage");
    CHECK(tp_result_status(r) == TP_E_BAD_RESPONSE, "a status line that is not HTTP: %s: %s",
          tp_status_name(tp_result_status(r)), tp_result_message(r));
    tp_result_free(r);

    r = get(c, "/long-header");
    CHECK(tp_result_status(r) != TP_OK && tp_result_attempts(r) == 1,
          "a 256 KB header line: %s, attempts %d: %s", tp_status_name(tp_result_status(r)),
          tp_result_attempts(r), tp_result_message(r));
    tp_result_free(r);

    r = get(c, "/many-headers");
    const char *retry_after = tp_result_header(r, "Retry-After");
    CHECK(retry_after && strcmp(retry_after, "7") == 0, "Retry-After after 300 headers: %s",
          retry_after ? retry_after : "(missing)");
    tp_result_free(r);
    tp_client_free(c);

    /* Each round: a GET leaves a kept connection, the server resets it while it idles, then a
     * POST. libcurl often learns of the reset only as it sends; it cannot say whether any of the
     * request left (over TLS, records may have), so the POST is not sent again: it succeeds on a
     * fresh connection or fails saying why, and the server never sees it twice. */
    c = client_of(port, 3);
    int ok_posts = 0, rounds = 8;
    for (int i = 0; i < rounds; i++) {
        tp_result_free(get(c, "/then-reset"));
        sleep_ms(250);
        tp_result *p = NULL;
        tp_request(c, "POST", "/ok", "{}", 2, &p);
        if (tp_result_status(p) == TP_OK)
            ok_posts++;
        else
            CHECK(tp_result_status(p) == TP_E_NETWORK && tp_result_attempts(p) == 1,
                  "POST after a reset: %s, attempts %d: %s", tp_status_name(tp_result_status(p)),
                  tp_result_attempts(p), tp_result_message(p));
        tp_result_free(p);
    }
    pthread_mutex_lock(&mutex);
    int posts = posts_seen;
    pthread_mutex_unlock(&mutex);
    CHECK(posts == ok_posts, "the server saw %d POSTs for %d that succeeded", posts, ok_posts);
    tp_client_free(c);
    close(listener);
    if (failures) return 1;
    printf("hostile_server: ok\n");
    return 0;
}
