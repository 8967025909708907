/* Program start and the freestanding headers: argc/argv and the
 * environment as main sees them, getenv, constructors that run before
 * main (and get main's arguments, as glibc passes them), errno as an lvalue, and the values <limits.h>, <stdint.h>,
 * <inttypes.h>, <stddef.h>, <stdbool.h>, <float.h> and <errno.h> define
 * (compared with glibc's: the same program runs on Linux). Output goes
 * through a raw write system call until the library's stdio lands. */
#include <assert.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

extern char **environ;

static long raw_write(int fd, const void *buf, size_t len)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "0"(1L), "D"((long)fd), "S"(buf), "d"(len)
                     : "rcx", "r11", "memory");
    return ret;
}

static size_t length(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void put(const char *s)
{
    raw_write(1, s, length(s));
}

static void put_long(long v)
{
    char buf[24];
    int i = sizeof buf;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
    buf[--i] = 0;
    do {
        buf[--i] = '0' + u % 10;
        u /= 10;
    } while (u);
    if (v < 0)
        buf[--i] = '-';
    put(buf + i);
}

static int failures;

static void check(bool ok, const char *what)
{
    if (!ok) {
        put("FAIL: ");
        put(what);
        put("\n");
        failures++;
    }
}

static bool same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static int constructed;

__attribute__((constructor)) static void before_main(void)
{
    constructed = 7;
}

/* glibc passes a constructor main's arguments (Rust's std for linux-gnu
 * reads argv this way). */
static int ctor_argc;
static char **ctor_argv;
static char **ctor_envp;
__attribute__((constructor)) static void with_arguments(int argc, char **argv, char **envp)
{
    ctor_argc = argc;
    ctor_argv = argv;
    ctor_envp = envp;
}

struct probe {
    char c;
    long l;
    int i;
};

/* A variadic function of the program's own: <stdarg.h>'s macros. */
static long sum(int n, ...)
{
    va_list ap;
    long total = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        total += va_arg(ap, long);
    va_end(ap);
    return total;
}

int main(int argc, char **argv, char **envp)
{
    put("argc ");
    put_long(argc);
    put("\n");
    for (int i = 0; i < argc; i++) {
        put("argv[");
        put_long(i);
        put("] ");
        put(argv[i]);
        put("\n");
    }
    check(argv[argc] == NULL, "argv ends with NULL");
    check(envp == environ, "main's envp is environ");
    check(same(getenv("VIBIX_C_TEST"), "start"), "getenv finds VIBIX_C_TEST");
    check(getenv("VIBIX_C_NOT_SET") == NULL, "getenv of an unset name is NULL");
    check(getenv("VIBIX_C_TEST=start") == NULL, "getenv of a name with '=' is NULL");
    check(getenv("") == NULL, "getenv of an empty name is NULL");
    check(constructed == 7, "the constructor ran before main");
    check(ctor_argc == argc && ctor_argv == argv && ctor_envp == environ,
          "a constructor gets argc, argv and envp");

    errno = 0;
    check(errno == 0, "errno is an lvalue");
    errno = ERANGE;
    check(errno == 34, "errno keeps what is stored");
    check(ENOENT == 2 && EAGAIN == 11 && EWOULDBLOCK == EAGAIN && EINVAL == 22,
          "errno values");

    check(CHAR_BIT == 8 && SCHAR_MIN == -128 && UCHAR_MAX == 255, "char limits");
    check(CHAR_MIN == SCHAR_MIN, "char is signed");
    check(INT_MAX == 2147483647 && INT_MIN == -INT_MAX - 1, "int limits");
    check(UINT_MAX == 4294967295U, "unsigned int limit");
    check(LONG_MAX == 9223372036854775807L && LONG_MIN == -LONG_MAX - 1, "long limits");
    check(ULONG_MAX == 18446744073709551615UL, "unsigned long limit");
    check(LLONG_MAX == LONG_MAX && ULLONG_MAX == ULONG_MAX, "long long limits");
    check(PATH_MAX == 4096 && NAME_MAX == 255, "path limits");

    check(sizeof(int8_t) == 1 && sizeof(int16_t) == 2 && sizeof(int32_t) == 4 &&
              sizeof(int64_t) == 8 && sizeof(intptr_t) == sizeof(void *),
          "stdint sizes");
    check(INT8_MIN == -128 && INT16_MAX == 32767 && UINT32_MAX == 4294967295U, "stdint limits");
    check(INT64_MIN == -INT64_MAX - 1 && UINT64_MAX == 18446744073709551615UL, "64-bit limits");
    check(SIZE_MAX == ULONG_MAX && PTRDIFF_MAX == LONG_MAX, "size limits");
    check(INT64_C(1) << 40 == 1099511627776L && UINT64_C(1) == 1UL, "constant macros");
    check(same(PRId64, "ld") && same(PRIu8, "u") && same(PRIxPTR, "lx") && same(SCNd16, "hd"),
          "inttypes conversions");

    check(offsetof(struct probe, c) == 0 && offsetof(struct probe, l) == 8 &&
              offsetof(struct probe, i) == 16,
          "offsetof");
    check(sizeof(size_t) == 8 && sizeof(ptrdiff_t) == 8 && sizeof(wchar_t) == 4, "stddef types");
    check(true == 1 && false == 0 && sizeof(bool) == 1, "stdbool");
    check(FLT_RADIX == 2 && DBL_MANT_DIG == 53 && FLT_MANT_DIG == 24 && LDBL_MANT_DIG == 64,
          "float characteristics");
    check(DBL_MAX > 1e308 && DBL_EPSILON < 1e-15 && FLT_MAX > 3e38f, "float limits");
    check(sum(3, 1L, 20L, 300L) == 321, "stdarg");
    assert(failures == 0 || failures > 0);

    if (failures) {
        put_long(failures);
        put(" checks failed\n");
        return 1;
    }
    put("ok: all checks passed\n");
    return 0;
}
