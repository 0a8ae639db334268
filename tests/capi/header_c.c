/* Compiled as C89 and C99 with -pedantic -Werror by ctest: the public header must be clean C. */
#include "turso_platform.h"

/* Uses a few declarations so that their types are checked, not only parsed. */
int header_check(void);
int header_check(void) {
    tp_options *options = 0;
    tp_status st = tp_options_new(&options);
    tp_log_fn log = 0;
    tp_progress_fn progress = 0;
    tp_value_type type = TP_VALUE_NONE;
    (void)log;
    (void)progress;
    (void)type;
    tp_options_free(options);
    return st == TP_OK && TP_VERSION_NUMBER > 0;
}
