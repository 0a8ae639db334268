/* TP_VERSION_* of the installed header must be what the library says at run time. */
#include <stdio.h>
#include <string.h>
#include <turso_platform.h>

int main(void) {
    char expected[32];
    int failures = 0;
    snprintf(expected, sizeof expected, "%d.%d.%d", TP_VERSION_MAJOR, TP_VERSION_MINOR, TP_VERSION_PATCH);
    printf("header %s (%d), library %s (%d)\n", TP_VERSION_STRING, TP_VERSION_NUMBER, tp_version(),
           (int)tp_version_number());
    if (strcmp(TP_VERSION_STRING, expected) != 0) {
        printf("TP_VERSION_STRING %s is not MAJOR.MINOR.PATCH %s\n", TP_VERSION_STRING, expected);
        failures++;
    }
    if (strcmp(tp_version(), TP_VERSION_STRING) != 0) {
        printf("tp_version() differs from TP_VERSION_STRING\n");
        failures++;
    }
    if (tp_version_number() != TP_VERSION_NUMBER) {
        printf("tp_version_number() differs from TP_VERSION_NUMBER\n");
        failures++;
    }
    if (TP_VERSION_NUMBER != TP_VERSION_MAJOR * 10000 + TP_VERSION_MINOR * 100 + TP_VERSION_PATCH) {
        printf("TP_VERSION_NUMBER is not MAJOR * 10000 + MINOR * 100 + PATCH\n");
        failures++;
    }
    return failures == 0 ? 0 : 1;
}
