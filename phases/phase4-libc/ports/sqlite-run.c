/* Our small SQLite driver: runs SQL files against a database file and
 * prints every row, the C library of the system it was built for
 * underneath.
 *
 *     sqlite-run [-n] DATABASE FILE.sql...
 *
 * -n removes DATABASE first (a fresh database). Each FILE is run with the
 * database opened anew and closed after it, so that a later file reads
 * what an earlier one left in the file. Rows print as their columns
 * joined by '|': NULL as NULL, a REAL with printf's %.15g, a BLOB as
 * x'hex', text and integers as SQLite gives them. A statement's error is
 * printed ("error: ...") and the file goes on with the next statement.
 * The last line counts statements, rows and errors.
 *
 * vibix's kernel has no POSIX record locks (fcntl's F_SETLK is EINVAL),
 * which SQLite's default "unix" VFS takes on every read and write: the
 * database is opened with SQLite's "unix-dotfile" VFS, which locks with a
 * DATABASE.lock directory instead, on both systems. SQLite comes unchanged
 * from the libsqlite3-sys crate; this file is ours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite3.h"

static long statements, rows, errors;

/* The whole file at `path`, NUL-terminated (malloc'd), or NULL. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            char *bigger = realloc(buf, cap);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
    }
    return buf;
}

static void print_value(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        fputs("NULL", stdout);
        break;
    case SQLITE_FLOAT:
        printf("%.15g", sqlite3_column_double(st, i));
        break;
    case SQLITE_BLOB: {
        const unsigned char *p = sqlite3_column_blob(st, i);
        int n = sqlite3_column_bytes(st, i);
        fputs("x'", stdout);
        for (int k = 0; k < n; k++) {
            printf("%02x", p[k]);
        }
        putchar('\'');
        break;
    }
    default:
        fputs((const char *)sqlite3_column_text(st, i), stdout);
        break;
    }
}

/* Runs every statement of `sql` on `db`. */
static void run_sql(sqlite3 *db, const char *sql)
{
    while (*sql != '\0') {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK) {
            printf("error: %s\n", sqlite3_errmsg(db));
            errors++;
            /* Skip to the statement's end, the next ';'. */
            const char *semi = strchr(sql, ';');
            sql = semi != NULL ? semi + 1 : sql + strlen(sql);
            continue;
        }
        sql = tail;
        if (st == NULL) {
            continue; /* only blanks or comments */
        }
        statements++;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int n = sqlite3_column_count(st);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    putchar('|');
                }
                print_value(st, i);
            }
            putchar('\n');
            rows++;
        }
        if (rc != SQLITE_DONE) {
            printf("error: %s\n", sqlite3_errmsg(db));
            errors++;
        }
        sqlite3_finalize(st);
    }
}

int main(int argc, char **argv)
{
    int arg = 1;
    int fresh = argc > 1 && strcmp(argv[1], "-n") == 0;
    arg += fresh;
    if (argc - arg < 2) {
        fprintf(stderr, "usage: %s [-n] DATABASE FILE.sql...\n", argv[0]);
        return 2;
    }
    const char *path = argv[arg++];
    if (fresh) {
        unlink(path);
    }
    for (; arg < argc; arg++) {
        char *sql = read_file(argv[arg]);
        if (sql == NULL) {
            perror(argv[arg]);
            return 1;
        }
        sqlite3 *db = NULL;
        int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 "unix-dotfile");
        if (rc != SQLITE_OK) {
            fprintf(stderr, "%s: cannot open %s: %s\n", argv[0], path,
                    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
            return 1;
        }
        printf("== %s\n", argv[arg]);
        run_sql(db, sql);
        if (sqlite3_close(db) != SQLITE_OK) {
            fprintf(stderr, "%s: cannot close %s\n", argv[0], path);
            return 1;
        }
        free(sql);
    }
    printf("ok: %ld statements, %ld rows, %ld errors\n", statements, rows, errors);
    return 0;
}
