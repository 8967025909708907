/* c-stdio-files: streams on files in /tmp: fopen modes, fwrite/fread,
 * fseek/ftell, ungetc, fgets, getline, setvbuf, tmpfile, freopen, fdopen,
 * remove/rename, and the error cases (errno, perror). Exit 0 and
 * "ok: all checks passed" when every check holds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void check(int cond, const char *what) {
    if (!cond) {
        printf("FAIL: %s\n", what);
        failures++;
    }
}

int main(void) {
    char path[64], moved[72];
    /* stdout line by line on both systems: vibix's console is a terminal
       (line-buffered by default), the host run's stdout a pipe (fully
       buffered), and the perror lines on unbuffered stderr must fall in
       the same place in the two outputs. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(path, sizeof path, "/tmp/c-stdio-files.%d", (int)getpid());
    snprintf(moved, sizeof moved, "%s.moved", path);

    FILE *f = fopen(path, "w+");
    check(f != NULL, "fopen w+");
    if (!f) return 1;
    const char text[] = "first line\nsecond line\nlast";
    size_t w = fwrite(text, 1, sizeof text - 1, f);
    printf("fwrite %zu ftell %ld\n", w, ftell(f));
    check(w == sizeof text - 1 && ftell(f) == (long)w, "fwrite/ftell");

    check(fseek(f, 6, SEEK_SET) == 0, "fseek");
    int c = fgetc(f);
    printf("fgetc %c\n", c);
    check(c == 'l', "fgetc after fseek");
    check(ungetc('L', f) == 'L', "ungetc");
    printf("ftell after ungetc %ld\n", ftell(f));
    check(ftell(f) == 6, "ftell after ungetc");
    char buf[64];
    check(fgets(buf, sizeof buf, f) != NULL, "fgets");
    printf("fgets [%s]\n", buf);
    check(strcmp(buf, "Line\n") == 0, "fgets sees the pushed-back byte");

    rewind(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lines = 0;
    while ((len = getline(&line, &cap, f)) != -1) {
        printf("getline %zd [%s]\n", len, line);
        lines++;
    }
    check(lines == 3 && feof(f) && !ferror(f), "getline to the end");
    clearerr(f);
    check(!feof(f), "clearerr");
    free(line);

    check(fseek(f, -4, SEEK_END) == 0, "fseek from the end");
    char tail[8] = {0};
    size_t got = fread(tail, 1, 8, f);
    printf("fread %zu [%s] feof %d\n", got, tail, feof(f) != 0);
    check(got == 4 && strcmp(tail, "last") == 0 && feof(f), "short fread");

    fpos_t pos;
    fseek(f, 3, SEEK_SET);
    check(fgetpos(f, &pos) == 0, "fgetpos");
    fgetc(f);
    check(fsetpos(f, &pos) == 0 && ftell(f) == 3, "fsetpos");
    check(fclose(f) == 0, "fclose");

    /* Appending, unbuffered. */
    f = fopen(path, "a");
    check(f && setvbuf(f, NULL, _IONBF, 0) == 0, "setvbuf unbuffered");
    check(fprintf(f, "\nappended %d", 1) == 11, "fprintf append");
    errno = 0;
    check(fgetc(f) == EOF && ferror(f), "reading a write-only stream fails");
    fclose(f);

    /* Full buffering with our own buffer; nothing reaches the file before
     * the flush. */
    static char mybuf[BUFSIZ];
    f = fopen(path, "r+");
    check(f && setvbuf(f, mybuf, _IOFBF, sizeof mybuf) == 0, "setvbuf full");
    fseek(f, 0, SEEK_END);
    fputs("!", f);
    FILE *g = fopen(path, "r");
    fseek(g, 0, SEEK_END);
    long before = ftell(g);
    fflush(f);
    fseek(g, 0, SEEK_END);
    long after = ftell(g);
    printf("sizes %ld %ld\n", before, after);
    check(after == before + 1, "fflush writes the buffer");
    fclose(g);
    fclose(f);

    /* freopen keeps the FILE. */
    f = fopen(path, "r");
    FILE *same = freopen(path, "r+", f);
    check(same == f, "freopen returns the same stream");
    check(fgetc(same) == 'f', "freopen reads from the start");
    fclose(same);

    /* fdopen on a descriptor. */
    int fd = open(path, O_RDONLY);
    errno = 0;
    check(fdopen(fd, "w") == NULL && errno == EINVAL, "fdopen with the wrong mode");
    f = fdopen(fd, "r");
    check(f && fileno(f) == fd && fgetc(f) == 'f', "fdopen");
    fclose(f);

    /* tmpfile. */
    f = tmpfile();
    check(f != NULL, "tmpfile");
    fputs("scratch", f);
    rewind(f);
    check(fgets(buf, sizeof buf, f) && strcmp(buf, "scratch") == 0, "tmpfile round trip");
    fclose(f);

    /* Errors. */
    errno = 0;
    check(fopen("/nonexistent/dir/file", "r") == NULL && errno == ENOENT, "fopen ENOENT");
    perror("fopen /nonexistent/dir/file");
    errno = 0;
    check(fopen(path, "z") == NULL && errno == EINVAL, "fopen bad mode");
    errno = 0;
    check(fopen(path, "wx") == NULL && errno == EEXIST, "fopen x on an existing file");
    errno = EBADF;
    perror(NULL);
    errno = 12345;
    perror("unknown");

    check(rename(path, moved) == 0, "rename");
    check(remove(moved) == 0, "remove");
    errno = 0;
    check(remove(moved) == -1 && errno == ENOENT, "remove ENOENT");

    if (failures) {
        printf("%d checks failed\n", failures);
        return 1;
    }
    printf("ok: all checks passed\n");
    return 0;
}
