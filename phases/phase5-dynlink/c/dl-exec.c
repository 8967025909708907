/* dl-exec: execve of programs that name an interpreter (PT_INTERP), good
 * and hostile. Each program is made here, in ./tmp-dl-exec, from a static
 * program of the image (bin/hello, phase 0's) or from the PIE bin/dl-pie:
 * its PT_GNU_STACK program header (which the kernel ignores) becomes a
 * PT_INTERP whose path is appended to the file. The interpreter is
 * bin/dl-interp, by its absolute path (the current directory's, so that
 * the same program runs on vibix and on a Linux host), or a broken one.
 * Each execve runs in a forked child; the parent reports how it ended:
 * the errno execve gave (the child exits with 100 + errno), or the exit
 * status of the program, whose own output comes in between. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "tmp-dl-exec"
#define PT_INTERP 3
#define PT_GNU_STACK 0x6474e551u

static int failures;
static char cwd[512];

static const char *en(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case ENOEXEC: return "ENOEXEC";
    case EACCES: return "EACCES";
    case ENOMEM: return "ENOMEM";
    case ENOTDIR: return "ENOTDIR";
    case ELIBBAD: return "ELIBBAD";
    default: return "another errno";
    }
}

/* The whole file at `path` in a new buffer (with room for `extra` more). */
static unsigned char *slurp(const char *path, size_t *len, size_t extra)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        printf("FAIL: cannot read %s (errno %s)\n", path, en(errno));
        exit(1);
    }
    unsigned char *b = malloc(st.st_size + extra);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, b + got, st.st_size - got);
        if (n <= 0)
            break;
        got += n;
    }
    close(fd);
    *len = got;
    return b;
}

static void spit(const char *path, const unsigned char *b, size_t len, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0 || write(fd, b, len) != (ssize_t)len) {
        printf("FAIL: cannot write %s (errno %s)\n", path, en(errno));
        exit(1);
    }
    close(fd);
    chmod(path, mode);
}

static uint64_t get(const unsigned char *b, size_t at, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[at + i];
    return v;
}

static void put(unsigned char *b, size_t at, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8)
        b[at + i] = v & 0xff;
}

/* Writes `out`: a copy of `from` whose PT_GNU_STACK is a PT_INTERP of
 * `size` bytes at file offset `offset` (-1: the appended bytes), with the
 * `n` bytes of `path` appended to the file. */
static void make(const char *from, const char *out, const char *path, size_t n,
                 long offset, uint64_t size)
{
    size_t len;
    unsigned char *b = slurp(from, &len, n);
    size_t phoff = get(b, 32, 8), phnum = get(b, 56, 2);
    size_t ph = 0;
    for (size_t i = 0; i < phnum; i++)
        if (get(b, phoff + i * 56, 4) == PT_GNU_STACK)
            ph = phoff + i * 56;
    if (ph == 0) {
        printf("FAIL: %s has no PT_GNU_STACK to turn into a PT_INTERP\n", from);
        exit(1);
    }
    put(b, ph, PT_INTERP, 4);
    put(b, ph + 4, 4, 4); /* PF_R */
    put(b, ph + 8, offset < 0 ? len : (uint64_t)offset, 8);
    put(b, ph + 32, size, 8); /* p_filesz */
    put(b, ph + 40, size, 8); /* p_memsz */
    put(b, ph + 48, 1, 8);
    memcpy(b + len, path, n);
    spit(out, b, len + n, 0755);
    free(b);
}

/* A program from `from` naming `interp` (its NUL included). */
static void make_with(const char *from, const char *out, const char *interp)
{
    make(from, out, interp, strlen(interp) + 1, -1, strlen(interp) + 1);
}

/* Runs `prog` in a child; returns the errno execve gave (or -1 if the
 * program ran, with its exit status in *status, or -2 - signal). */
static int run(const char *prog, int *status)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *)prog, "an argument", NULL};
        char *envp[] = {NULL};
        execve(prog, argv, envp);
        _exit(100 + errno);
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    if (WIFSIGNALED(ws)) {
        *status = -WTERMSIG(ws);
        return -1;
    }
    int code = WEXITSTATUS(ws);
    if (code >= 100) {
        return code - 100;
    }
    *status = code;
    return -1;
}

static void expect_errno(const char *what, const char *prog, int want)
{
    int status = 0;
    int got = run(prog, &status);
    if (got == want) {
        printf("ok: %s -> %s\n", what, en(want));
    } else {
        printf("FAIL: %s -> %s: got %s (status %d)\n", what, en(want),
               got < 0 ? "a run" : en(got), status);
        failures++;
    }
}

static void expect_runs(const char *what, const char *prog)
{
    int status = -99;
    printf("-- %s\n", what);
    int got = run(prog, &status);
    if (got == -1 && status == 0) {
        printf("ok: %s -> ran, exit 0\n", what);
    } else {
        printf("FAIL: %s -> ran, exit 0: got errno %s, status %d\n", what,
               en(got < 0 ? 0 : got), status);
        failures++;
    }
}

int main(void)
{
    if (!getcwd(cwd, sizeof cwd - 32)) {
        printf("FAIL: getcwd\n");
        return 1;
    }
    char interp[600], dir[600];
    snprintf(interp, sizeof interp, "%s%sbin/dl-interp", cwd, cwd[1] ? "/" : "");
    snprintf(dir, sizeof dir, "%s%s" D, cwd, cwd[1] ? "/" : "");
    mkdir(D, 0755);

    /* A static program (ET_EXEC) through the interpreter. */
    make_with("bin/hello", D "/hello", interp);
    expect_runs("static program with PT_INTERP naming bin/dl-interp", D "/hello");
    /* A PIE through the interpreter: both at addresses the kernel chose. */
    make_with("bin/dl-pie", D "/pie", interp);
    expect_runs("PIE with PT_INTERP naming bin/dl-interp", D "/pie");
    /* A relative interpreter path: looked up from the current directory. */
    make_with("bin/hello", D "/relative", "bin/dl-interp");
    expect_runs("PT_INTERP relative to the current directory", D "/relative");
    /* An interpreter with a PT_INTERP of its own: Linux ignores it. */
    make_with("bin/dl-interp", D "/interp-with-interp", "/nonexistent/ld.so");
    char nested[700];
    snprintf(nested, sizeof nested, "%s/interp-with-interp", dir);
    make_with("bin/hello", D "/nested", nested);
    expect_runs("interpreter that has a PT_INTERP itself (ignored)", D "/nested");

    /* Hostile and broken interpreters. */
    make_with("bin/hello", D "/missing", "/nonexistent/ld.so");
    expect_errno("interpreter that does not exist", D "/missing", ENOENT);
    make("bin/hello", D "/empty", "\0", 2, -1, 2);
    expect_errno("empty interpreter path (the current directory: Linux answers EACCES)", D "/empty", EACCES);

    unsigned char text[200];
    memset(text, '#', sizeof text);
    spit(D "/not-elf", text, sizeof text, 0755);
    char path[700];
    snprintf(path, sizeof path, "%s/not-elf", dir);
    make_with("bin/hello", D "/use-not-elf", path);
    expect_errno("interpreter that is not ELF", D "/use-not-elf", ELIBBAD);

    spit(D "/short", (const unsigned char *)"\177ELF\2\1\1", 7, 0755);
    snprintf(path, sizeof path, "%s/short", dir);
    make_with("bin/hello", D "/use-short", path);
    expect_errno("interpreter shorter than an ELF header", D "/use-short", EIO);

    size_t len;
    unsigned char *b = slurp("bin/dl-interp", &len, 0);
    spit(D "/no-x", b, len, 0644);
    free(b);
    snprintf(path, sizeof path, "%s/no-x", dir);
    make_with("bin/hello", D "/use-no-x", path);
    expect_errno("interpreter without execute permission", D "/use-no-x", EACCES);

    make_with("bin/hello", D "/use-dir", dir);
    expect_errno("interpreter that is a directory", D "/use-dir", EACCES);

    make("bin/hello", D "/unterminated", "/no/ld", 6, -1, 6);
    expect_errno("interpreter path not NUL-terminated", D "/unterminated", ENOEXEC);
    make("bin/hello", D "/outside", "", 0, 1 << 30, 16);
    expect_errno("interpreter path outside the file", D "/outside", EIO);
    make("bin/hello", D "/huge", "", 0, 0, 1 << 20);
    expect_errno("interpreter path longer than PATH_MAX", D "/huge", ENOEXEC);
    make("bin/hello", D "/tiny", "", 0, 0, 1);
    expect_errno("interpreter path of 1 byte", D "/tiny", ENOEXEC);

    expect_runs("bin/hello still runs", "bin/hello");

    const char *made[] = {"hello", "pie", "relative", "interp-with-interp", "nested",
                          "missing", "empty", "not-elf", "use-not-elf", "short",
                          "use-short", "no-x", "use-no-x", "use-dir", "unterminated",
                          "outside", "huge", "tiny"};
    for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
        snprintf(path, sizeof path, D "/%s", made[i]);
        unlink(path);
    }
    if (rmdir(D) != 0) {
        printf("FAIL: rmdir " D " (errno %s)\n", en(errno));
        failures++;
    }
    if (failures) {
        printf("dl-exec: %d failures\n", failures);
        return 1;
    }
    printf("ok: all checks passed\n");
    return 0;
}
