/* dl-mmap: file-backed mmap as a dynamic linker uses it. It maps an ELF
 * object (bin/dl-interp) segment by segment at the file offsets its
 * program headers give, inside a reservation (MAP_FIXED over PROT_NONE),
 * and checks the bytes; then the rules around it: private copies (writes
 * never reach the file), zeros after the end of the file in the last
 * page, mprotect of part of a file mapping (as RELRO is made read-only),
 * code run from a PROT_EXEC file mapping, MAP_FIXED replacing a mapping,
 * and Linux's errors. With --vibix, what vibix does differently from
 * Linux (not compared with it): W^X refusals, MAP_SHARED of a file, the
 * page past the end of the file. Files live in ./tmp-dl-mmap. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "tmp-dl-mmap"
#define PAGE 4096UL
#define PT_LOAD 1

static int failures;

#define CHECK(cond, what)                                                  \
    do {                                                                   \
        if (cond) {                                                        \
            printf("ok: %s\n", what);                                      \
        } else {                                                           \
            printf("FAIL: %s (line %d, errno %d)\n", what, __LINE__, errno); \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static uint64_t get(const unsigned char *b, size_t at, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[at + i];
    return v;
}

static int write_file(const char *path, const void *b, size_t len)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, b, len) != (ssize_t)len)
        return -1;
    return fd;
}

/* How a child that writes one byte at `p` ends: 0 if it could, else the
 * signal that killed it. */
static int write_in_child(volatile unsigned char *p)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        *p = 1;
        _exit(0);
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    return WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
}

/* Maps bin/dl-interp as a dynamic linker maps a library. */
static void map_an_object(void)
{
    int fd = open("bin/dl-interp", O_RDONLY);
    unsigned char h[64], ph[56 * 16];
    CHECK(fd >= 0 && pread(fd, h, 64, 0) == 64, "read the object's ELF header");
    size_t phoff = get(h, 32, 8), phnum = get(h, 56, 2);
    CHECK(phnum <= 16 && pread(fd, ph, phnum * 56, phoff) == (ssize_t)(phnum * 56),
          "read its program headers");
    uint64_t span = 0;
    for (size_t i = 0; i < phnum; i++) {
        const unsigned char *p = ph + i * 56;
        if (get(p, 0, 4) == PT_LOAD && get(p, 16, 8) + get(p, 40, 8) > span)
            span = get(p, 16, 8) + get(p, 40, 8);
    }
    span = (span + PAGE - 1) & ~(PAGE - 1);
    unsigned char *base = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(base != MAP_FAILED, "reserve the object's span (PROT_NONE)");
    int loads = 0, same = 0, zeros = 0;
    for (size_t i = 0; i < phnum; i++) {
        const unsigned char *p = ph + i * 56;
        if (get(p, 0, 4) != PT_LOAD)
            continue;
        uint32_t flags = get(p, 4, 4);
        uint64_t off = get(p, 8, 8), vaddr = get(p, 16, 8);
        uint64_t filesz = get(p, 32, 8), memsz = get(p, 40, 8);
        int prot = (flags & 4 ? PROT_READ : 0) | (flags & 2 ? PROT_WRITE : 0) |
                   (flags & 1 ? PROT_EXEC : 0);
        uint64_t start = vaddr & ~(PAGE - 1);
        uint64_t file_end = (vaddr + filesz + PAGE - 1) & ~(PAGE - 1);
        void *at = mmap(base + start, file_end - start, prot, MAP_PRIVATE | MAP_FIXED, fd,
                        off & ~(PAGE - 1));
        loads += at == base + start;
        unsigned char *want = malloc(filesz + 1);
        same += pread(fd, want, filesz, off) == (ssize_t)filesz &&
                memcmp(want, base + vaddr, filesz) == 0;
        free(want);
        /* The rest of memsz (.bss): zero the end of the last file page,
         * map zero pages after it, as ld.so does. */
        if (memsz > filesz && (prot & PROT_WRITE)) {
            memset(base + vaddr + filesz, 0, file_end - (vaddr + filesz));
            uint64_t mem_end = (vaddr + memsz + PAGE - 1) & ~(PAGE - 1);
            if (mem_end > file_end)
                mmap(base + file_end, mem_end - file_end, prot,
                     MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
            int z = 1;
            for (uint64_t a = vaddr + filesz; a < vaddr + memsz; a++)
                z &= base[a] == 0;
            zeros += z;
        }
    }
    CHECK(loads >= 2, "each PT_LOAD mapped at its offset with MAP_FIXED inside the reservation");
    CHECK(same == loads, "each segment's bytes are the file's");
    CHECK(zeros == 1, "the writable segment's .bss reads as zeros");
    CHECK(memcmp(base, "\177ELF", 4) == 0, "the ELF header is at the object's base");
    CHECK(munmap(base, span) == 0, "unmap the whole object");
    close(fd);
}

int main(int argc, char **argv)
{
    int vibix = argc > 1 && strcmp(argv[1], "--vibix") == 0;
    mkdir(D, 0755);
    map_an_object();

    /* A private, writable mapping of three pages of a file. */
    static unsigned char pages[3 * PAGE];
    for (size_t i = 0; i < sizeof pages; i++)
        pages[i] = (unsigned char)(i / PAGE + 'a');
    int fd = write_file(D "/three", pages, sizeof pages);
    unsigned char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(m != MAP_FAILED && m[0] == 'a' && m[PAGE] == 'b' && m[2 * PAGE] == 'c',
          "MAP_PRIVATE of a file: its bytes");
    m[0] = 'X';
    m[PAGE] = 'Y';
    unsigned char back[2];
    CHECK(pread(fd, back, 1, 0) == 1 && back[0] == 'a' && m[0] == 'X',
          "a write to a private mapping does not reach the file");
    unsigned char *again = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    CHECK(again != MAP_FAILED && again[0] == 'b',
          "another mapping of the file (at offset 4096) sees the file, not the write");
    /* RELRO: the middle page becomes read-only, the others stay writable. */
    CHECK(mprotect(m + PAGE, PAGE, PROT_READ) == 0, "mprotect the middle page to PROT_READ");
    CHECK(m[PAGE] == 'Y', "it keeps its contents");
    CHECK(write_in_child(m + PAGE) == SIGSEGV, "writing it now ends in SIGSEGV");
    CHECK(write_in_child(m) == 0 && write_in_child(m + 2 * PAGE) == 0,
          "the pages around it stay writable");
    /* MAP_FIXED over part of the mapping replaces it. */
    unsigned char *fixed = mmap(m + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    CHECK(fixed == m + 2 * PAGE && fixed[0] == 'a',
          "MAP_FIXED over the last page maps the file's first page there");
    munmap(m, 3 * PAGE);
    munmap(again, PAGE);

    /* A file that ends inside the page: the rest of the page is zero. */
    int small = write_file(D "/small", "0123456789", 10);
    unsigned char *s = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, small, 0);
    int zero = s != MAP_FAILED && memcmp(s, "0123456789", 10) == 0;
    for (size_t i = 10; zero && i < PAGE; i++)
        zero = s[i] == 0;
    CHECK(zero, "bytes after the end of the file in its last page are zero");
    munmap(s, PAGE);

    /* Code from a file: mov eax, 42; ret. */
    static const unsigned char code[] = {0xb8, 42, 0, 0, 0, 0xc3};
    int cfd = write_file(D "/code", code, sizeof code);
    void *c = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, cfd, 0);
    int (*f)(void) = (int (*)(void))c;
    CHECK(c != MAP_FAILED && f() == 42, "code in a PROT_READ|PROT_EXEC file mapping runs");
    munmap(c, PAGE);

    /* Linux's errors. */
    errno = 0;
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL,
          "an offset that is not page aligned -> EINVAL");
    int wr = open(D "/three", O_WRONLY);
    errno = 0;
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wr, 0) == MAP_FAILED && errno == EACCES,
          "a file open only for writing -> EACCES");
    int dir = open(D, O_RDONLY);
    errno = 0;
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0) == MAP_FAILED && errno == ENODEV,
          "a directory -> ENODEV");
    int p[2];
    pipe(p);
    errno = 0;
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, p[0], 0) == MAP_FAILED && errno == ENODEV,
          "a pipe -> ENODEV");
    errno = 0;
    CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED && errno == EBADF,
          "a closed descriptor -> EBADF");

    if (vibix) {
        /* vibix's rules where Linux differs (finding S-A5: W^X). */
        errno = 0;
        CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, cfd, 0) ==
                      MAP_FAILED && errno == EINVAL,
              "vibix: a writable and executable file mapping -> EINVAL");
        void *x = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, cfd, 0);
        errno = 0;
        CHECK(mprotect(x, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) == -1 && errno == EINVAL,
              "vibix: mprotect of it to PROT_WRITE|PROT_EXEC -> EINVAL");
        CHECK(mprotect(x, PAGE, PROT_READ | PROT_WRITE) == 0 && ((unsigned char *)x)[0] == 0xb8,
              "vibix: PROT_READ|PROT_WRITE alone is allowed");
        errno = 0;
        CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENODEV,
              "vibix: MAP_SHARED of a file -> ENODEV (Linux maps it)");
        unsigned char *two = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, small, 0);
        CHECK(two != MAP_FAILED && two[PAGE] == 0 && two[2 * PAGE - 1] == 0,
              "vibix: a whole page past the end of the file reads zero (Linux: SIGBUS)");
    }

    const char *files[] = {D "/three", D "/small", D "/code"};
    for (size_t i = 0; i < 3; i++)
        unlink(files[i]);
    CHECK(rmdir(D) == 0 || errno == EBUSY, "remove " D);
    if (failures) {
        printf("dl-mmap: %d failures\n", failures);
        return 1;
    }
    printf("ok: all checks passed\n");
    return 0;
}
