/* The fuzz targets' property check: a failed property aborts, which libFuzzer reports as a crash
 * with the input that caused it. Works from C and C++. */
#ifndef TP_FUZZ_REQUIRE_H
#define TP_FUZZ_REQUIRE_H

#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)                                                                                        \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                     \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

#endif
