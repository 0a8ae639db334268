/* TLS verification is on by default: against a local HTTPS server whose certificate comes from a
 * CA made here with openssl, a client fails with TP_E_TLS, succeeds once given the CA file, and
 * fails again on a host name the certificate does not cover or with another CA.
 * usage: hardening_tls PYTHON TLS_SERVER_PY */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "turso_platform.h"

#include "check.h"

static char dir[256];

static int run(const char *fmt, const char *a) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, a, a, a, a, a, a, a, a);
    int rc = system(cmd);
    if (rc != 0) fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
    return rc;
}

static tp_status call(const char *url, const char *ca, int verify, tp_result **r) {
    tp_options *o = NULL;
    tp_client *c = NULL;
    tp_options_new(&o);
    tp_options_set_base_url(o, url);
    tp_options_set_token(o, "tls-test-token");
    tp_options_set_retry(o, 1, 10);
    tp_options_set_timeout_ms(o, 10000);
    if (ca) tp_options_set_ca_file(o, ca);
    if (!verify) tp_options_set_verify_tls(o, 0);
    tp_client_new(o, &c);
    tp_options_free(o);
    tp_status st = tp_tokens_validate(c, NULL, r);
    tp_client_free(c);
    return st;
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    alarm(120); /* a hang is a failure */
    snprintf(dir, sizeof dir, "%s/tp-tls-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 2;
    /* A CA, a server certificate for IP 127.0.0.1 only, and an unrelated second CA. */
    if (run("cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
            "-subj /CN=hardening-test-ca 2>/dev/null",
            dir) ||
        run("cd %s && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
            "-subj /CN=127.0.0.1 2>/dev/null",
            dir) ||
        run("cd %s && printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf && openssl x509 -req -in server.csr "
            "-CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null",
            dir) ||
        run("cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 "
            "-subj /CN=other-ca 2>/dev/null",
            dir))
        return 2;

    /* The server, its stdin a pipe we close to stop it, its port read from its stdout. */
    int in[2], out[2];
    if (pipe(in) || pipe(out)) return 2;
    pid_t pid = fork();
    if (pid == 0) {
        char cert[300], key[300];
        snprintf(cert, sizeof cert, "%s/server.pem", dir);
        snprintf(key, sizeof key, "%s/server.key", dir);
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execlp(argv[1], argv[1], argv[2], cert, key, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    int port = 0;
    if (!f || fscanf(f, "%d", &port) != 1 || port <= 0) {
        fprintf(stderr, "the TLS server did not start\n");
        return 2;
    }
    char url[128], by_name[128], ca[300], other[300];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", port);
    snprintf(by_name, sizeof by_name, "https://localhost:%d", port);
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    snprintf(other, sizeof other, "%s/other.pem", dir);

    tp_result *r = NULL;
    tp_status st = call(url, NULL, 1, &r);
    printf("default verification:   %s (%s)\n", tp_status_name(st), tp_result_message(r));
    CHECK(st == TP_E_TLS, "an unknown CA was accepted: %s", tp_status_name(st));
    CHECK(tp_result_http_status(r) == 0, "http %d", tp_result_http_status(r));
    tp_result_free(r);

    st = call(url, ca, 1, &r);
    printf("with the CA file:       %s\n", tp_status_name(st));
    CHECK(st == TP_OK, "%s: %s", tp_status_name(st), tp_result_message(r));
    CHECK(tp_value_int64(tp_value_get(tp_result_value(r), "exp")) == -1, "wrong body");
    tp_result_free(r);

    st = call(by_name, ca, 1, &r);
    printf("name not in the cert:   %s (%s)\n", tp_status_name(st), tp_result_message(r));
    CHECK(st == TP_E_TLS, "a certificate for another name was accepted: %s", tp_status_name(st));
    tp_result_free(r);

    st = call(url, other, 1, &r);
    printf("another CA:             %s (%s)\n", tp_status_name(st), tp_result_message(r));
    CHECK(st == TP_E_TLS, "a certificate from another CA was accepted: %s", tp_status_name(st));
    tp_result_free(r);

    st = call(url, NULL, 0, &r);
    printf("verification off:       %s\n", tp_status_name(st));
    CHECK(st == TP_OK, "%s: %s", tp_status_name(st), tp_result_message(r));
    tp_result_free(r);

    close(in[1]);
    fclose(f);
    int status;
    waitpid(pid, &status, 0);
    run("rm -rf %s", dir);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
