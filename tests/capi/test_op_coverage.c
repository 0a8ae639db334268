/* Every operation of the API's operations.tsv (argv[1]) is in the library's table with the same
 * method and path, and the library has no operation the API list lacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "turso_platform.h"

#define MAX_OPS 512

/* Splits a tab-separated line in place; returns the number of cells. */
static int split(char *line, char **cells, int max) {
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    cells[n++] = line;
    for (char *c = line; *c && n < max; c++)
        if (*c == '\t') {
            *c = '\0';
            cells[n++] = c + 1;
        }
    return n;
}

static int column(char **cells, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (strcmp(cells[i], name) == 0) return i;
    fprintf(stderr, "operations.tsv has no column %s\n", name);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/api/operations.tsv\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char line[8192];
    char *cells[32];
    if (!fgets(line, sizeof line, f)) return 2;
    int n = split(line, cells, 32);
    int c_id = column(cells, n, "id"), c_method = column(cells, n, "method"),
        c_path = column(cells, n, "path");

    int failures = 0, lines = 0;
    static int seen[MAX_OPS];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\n' || line[0] == '#') continue;
        n = split(line, cells, 32);
        if (n <= c_path) {
            fprintf(stderr, "short line: %s\n", line);
            failures++;
            continue;
        }
        lines++;
        const char *id = cells[c_id], *method = cells[c_method], *path = cells[c_path];
        int32_t i = tp_op_find(id);
        if (i < 0) {
            fprintf(stderr, "missing from the library: %s (%s %s)\n", id, method, path);
            failures++;
            continue;
        }
        if (i < MAX_OPS) seen[i] = 1;
        if (strcmp(tp_op_method(i), method) != 0 || strcmp(tp_op_path(i), path) != 0) {
            fprintf(stderr, "%s: library has %s %s, API list has %s %s\n", id, tp_op_method(i), tp_op_path(i),
                    method, path);
            failures++;
        }
    }
    fclose(f);
    for (int32_t i = 0; i < tp_op_count(); i++)
        if (i >= MAX_OPS || !seen[i]) {
            fprintf(stderr, "in the library but not in the API list: %s\n", tp_op_id(i));
            failures++;
        }
    if (lines == 0) {
        fprintf(stderr, "no operations read from %s\n", argv[1]);
        failures++;
    }
    printf("%d operations in the API list, %d in the library, %d problems\n", lines, (int)tp_op_count(),
           failures);
    return failures ? 1 : 0;
}
