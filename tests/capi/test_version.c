/* TP_VERSION_* of the header match tp_version() and tp_version_number() of the library. */
#include <stdio.h>
#include <string.h>

#include "turso_platform.h"

int main(void) {
    int failures = 0;
    char built[32];
    snprintf(built, sizeof built, "%d.%d.%d", TP_VERSION_MAJOR, TP_VERSION_MINOR, TP_VERSION_PATCH);
    if (!tp_version() || strcmp(tp_version(), TP_VERSION_STRING) != 0) {
        fprintf(stderr, "tp_version() = %s, header says %s\n", tp_version() ? tp_version() : "(null)",
                TP_VERSION_STRING);
        failures++;
    }
    if (strcmp(built, TP_VERSION_STRING) != 0) {
        fprintf(stderr, "TP_VERSION_STRING %s disagrees with the numbers %s\n", TP_VERSION_STRING, built);
        failures++;
    }
    if (tp_version_number() != TP_VERSION_NUMBER) {
        fprintf(stderr, "tp_version_number() = %d, header says %d\n", (int)tp_version_number(),
                TP_VERSION_NUMBER);
        failures++;
    }
    if (TP_VERSION_NUMBER != TP_VERSION_MAJOR * 10000 + TP_VERSION_MINOR * 100 + TP_VERSION_PATCH) failures++;
    return failures ? 1 : 0;
}
