/* The hardening tests' assertion: a failed check is counted and printed, and the test goes on, so
 * that one run reports every failure; main returns non-zero when `failures` is. Each test file
 * includes this once. */
#ifndef TP_HARDENING_CHECK_H
#define TP_HARDENING_CHECK_H
#include <stdio.h>

static int failures;
#define CHECK(cond, ...)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            failures++;                                                                                      \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                  \
            fprintf(stderr, __VA_ARGS__);                                                                    \
            fputc('\n', stderr);                                                                             \
        }                                                                                                    \
    } while (0)

#endif
