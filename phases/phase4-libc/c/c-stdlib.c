/* c-stdlib: <stdlib.h> (heap, conversions, sorting, arithmetic, rand,
 * environment, atexit) and <locale.h>, checked exactly. Prints a line
 * per failed check, a few rand() values (the same as glibc's for the same
 * seed), then "ok: all checks passed". The atexit handlers print nothing:
 * the first registered checks that all ran, last first, and ends the
 * program with status 3 if not. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static void test_heap(void)
{
    unsigned char *p, *q;
    void *a, *b;
    int i;

    p = malloc(100);
    CHECK(p != NULL && (uintptr_t)p % 16 == 0);
    for (i = 0; i < 100; i++)
        p[i] = (unsigned char)i;
    q = realloc(p, 100000);
    CHECK(q != NULL);
    for (i = 0; i < 100; i++)
        if (q[i] != i)
            break;
    CHECK(i == 100);
    q = realloc(q, 10);
    CHECK(q != NULL && q[9] == 9);
    free(q);
    free(NULL);

    a = malloc(0);
    b = malloc(0);
    CHECK(a != NULL && b != NULL && a != b);
    free(a);
    free(b);

    p = calloc(1000, 4);
    CHECK(p != NULL);
    for (i = 0; i < 4000; i++)
        if (p[i])
            break;
    CHECK(i == 4000);
    free(p);

    errno = 0;
    CHECK(calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM);
    errno = 0;
    CHECK(malloc(SIZE_MAX) == NULL && errno == ENOMEM);
    errno = 0;
    CHECK(reallocarray(NULL, SIZE_MAX, 2) == NULL && errno == ENOMEM);
    p = reallocarray(NULL, 10, 10);
    CHECK(p != NULL);
    free(p);

    CHECK(posix_memalign(&a, 4096, 100) == 0 && (uintptr_t)a % 4096 == 0);
    free(a);
    CHECK(posix_memalign(&a, 24, 100) == EINVAL);
    a = aligned_alloc(64, 128);
    CHECK(a != NULL && (uintptr_t)a % 64 == 0);
    free(a);
}

static void test_integers(void)
{
    char *end;
    const char *s;

    s = "  -0x1fz";
    CHECK(strtol(s, &end, 0) == -31 && end == s + 7);
    s = "0777";
    CHECK(strtol(s, &end, 0) == 511 && end == s + 4);
    s = "0x";
    CHECK(strtol(s, &end, 16) == 0 && end == s + 1);
    s = "zz";
    CHECK(strtol(s, &end, 36) == 1295 && end == s + 2);
    s = "   ";
    CHECK(strtol(s, &end, 10) == 0 && end == s);
    s = "+-1";
    CHECK(strtol(s, &end, 10) == 0 && end == s);

    errno = 0;
    CHECK(strtol("9223372036854775807", NULL, 10) == LONG_MAX && errno == 0);
    CHECK(strtol("9223372036854775808", NULL, 10) == LONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK(strtol("-9223372036854775808", NULL, 10) == LONG_MIN && errno == 0);
    CHECK(strtol("-9223372036854775809", &end, 10) == LONG_MIN && errno == ERANGE && *end == 0);
    errno = 0;
    CHECK(strtoul("-1", NULL, 10) == ULONG_MAX && errno == 0);
    CHECK(strtoul("18446744073709551616", NULL, 10) == ULONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK(strtoull("0xffffffffffffffff", NULL, 0) == ULLONG_MAX && errno == 0);
    CHECK(strtoll("-0x8000000000000000", NULL, 16) == LLONG_MIN && errno == 0);
    CHECK(strtol("1", NULL, 1) == 0 && errno == EINVAL);
    errno = 0;
    CHECK(strtol("1", NULL, 37) == 0 && errno == EINVAL);

    CHECK(atoi(" 42abc") == 42);
    CHECK(atoi("-2147483648") == INT_MIN);
    CHECK(atol("-77") == -77);
    CHECK(atoll("123456789012") == 123456789012LL);
}

static void test_floats(void)
{
    char *end;
    const char *s;

    s = "  -2.25e1x";
    CHECK(strtod(s, &end) == -22.5 && end == s + 9);
    s = "0x1.8p3";
    CHECK(strtod(s, &end) == 12.0 && end == s + 7);
    s = "0x1p-1074";
    CHECK(strtod(s, &end) == 4.9406564584124654e-324 && end == s + 9);
    CHECK(strtod("0.1", NULL) == 0.1);
    CHECK(strtod("1e23", NULL) == 1e23);
    CHECK(strtod("2.2250738585072011e-308", NULL) == 2.2250738585072011e-308);
    CHECK(strtod("123456789012345678901234567890", NULL) == 123456789012345678901234567890.0);
    CHECK(strtof("0.1", NULL) == 0.1f);
    CHECK(strtof("3.4028235e38", NULL) == 3.4028235e38f);
    s = "infinity!";
    CHECK(strtod(s, &end) == INFINITY && end == s + 8);
    s = "-INF";
    CHECK(strtod(s, &end) == -INFINITY && end == s + 4);
    s = "nan(123)x";
    CHECK(isnan(strtod(s, &end)) && end == s + 8);
    s = "1e";
    CHECK(strtod(s, &end) == 1.0 && end == s + 1);
    s = "x";
    CHECK(strtod(s, &end) == 0.0 && end == s);
    s = ".e1";
    CHECK(strtod(s, &end) == 0.0 && end == s);

    errno = 0;
    CHECK(strtod("1e308", NULL) == 1e308 && errno == 0);
    CHECK(strtod("1e309", NULL) == HUGE_VAL && errno == ERANGE);
    errno = 0;
    CHECK(strtod("-1e999", NULL) == -HUGE_VAL && errno == ERANGE);
    errno = 0;
    CHECK(strtod("1e-400", NULL) == 0.0 && errno == ERANGE);
    errno = 0;
    CHECK(strtod("0e-400", NULL) == 0.0 && errno == 0);
    CHECK(strtof("1e39", NULL) == HUGE_VALF && errno == ERANGE);
    CHECK(atof("  3.5") == 3.5);
}

static int by_key(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

static int by_key_desc(const void *a, const void *b, void *calls)
{
    ++*(int *)calls;
    return -by_key(a, b);
}

static void test_sort(void)
{
    int pairs[200][2];
    int i, ok = 1, key[2];
    unsigned next = 12345;
    for (i = 0; i < 200; i++) {
        next = next * 1103515245 + 12345;
        pairs[i][0] = (int)((next >> 16) % 20);
        pairs[i][1] = i;
    }
    qsort(pairs, 200, sizeof pairs[0], by_key);
    for (i = 1; i < 200; i++) {
        if (pairs[i - 1][0] > pairs[i][0])
            ok = 0;
        /* Equal keys keep their order, as with glibc's merge sort. */
        if (pairs[i - 1][0] == pairs[i][0] && pairs[i - 1][1] > pairs[i][1])
            ok = 0;
    }
    CHECK(ok);
    {
        int calls = 0;
        qsort_r(pairs, 200, sizeof pairs[0], by_key_desc, &calls);
        for (i = 1; i < 200; i++)
            if (pairs[i - 1][0] < pairs[i][0])
                ok = 0;
        CHECK(ok && calls > 0);
        qsort(pairs, 200, sizeof pairs[0], by_key);
    }
    key[0] = 7;
    {
        int (*hit)[2] = bsearch(key, pairs, 200, sizeof pairs[0], by_key);
        CHECK(hit != NULL && (*hit)[0] == 7);
    }
    key[0] = 99;
    CHECK(bsearch(key, pairs, 200, sizeof pairs[0], by_key) == NULL);
    CHECK(bsearch(key, pairs, 0, sizeof pairs[0], by_key) == NULL);
}

static void test_arith(void)
{
    div_t d = div(-7, 2);
    ldiv_t ld = ldiv(7, -2);
    lldiv_t lld = lldiv(-7LL, -2LL);
    CHECK(abs(-5) == 5 && labs(-5L) == 5L && llabs(-5LL) == 5LL);
    CHECK(d.quot == -3 && d.rem == -1);
    CHECK(ld.quot == -3 && ld.rem == 1);
    CHECK(lld.quot == 3 && lld.rem == -1);
}

static void test_rand(void)
{
    unsigned seed = 7;
    int a, b, c;
    srand(1);
    a = rand();
    b = rand();
    c = rand();
    CHECK(a == 1804289383 && b == 846930886 && c == 1681692777);
    srand(42);
    a = rand();
    b = rand();
    c = rand();
    printf("rand(42): %d %d %d\n", a, b, c);
    a = rand_r(&seed);
    b = rand_r(&seed);
    printf("rand_r(7): %d %d %u\n", a, b, seed);
    CHECK(a >= 0 && a <= RAND_MAX);
}

static void test_env(void)
{
    static char entry[] = "VIBIX_PUT=1";
    CHECK(setenv("VIBIX_A", "one", 0) == 0);
    CHECK(strcmp(getenv("VIBIX_A"), "one") == 0);
    CHECK(setenv("VIBIX_A", "two", 0) == 0 && strcmp(getenv("VIBIX_A"), "one") == 0);
    CHECK(setenv("VIBIX_A", "two", 1) == 0 && strcmp(getenv("VIBIX_A"), "two") == 0);
    errno = 0;
    CHECK(setenv("BAD=NAME", "x", 1) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(setenv("", "x", 1) == -1 && errno == EINVAL);
    CHECK(unsetenv("VIBIX_A") == 0 && getenv("VIBIX_A") == NULL);
    CHECK(unsetenv("VIBIX_NEVER") == 0);
    CHECK(putenv(entry) == 0 && strcmp(getenv("VIBIX_PUT"), "1") == 0);
    entry[10] = '2';
    CHECK(strcmp(getenv("VIBIX_PUT"), "2") == 0);
    CHECK(clearenv() == 0 && getenv("VIBIX_PUT") == NULL);
    CHECK(setenv("VIBIX_B", "b", 0) == 0 && strcmp(getenv("VIBIX_B"), "b") == 0);
}

static void test_locale(void)
{
    struct lconv *lc;
    CHECK(strcmp(setlocale(LC_ALL, "C"), "C") == 0);
    CHECK(strcmp(setlocale(LC_NUMERIC, NULL), "C") == 0);
    CHECK(setlocale(LC_ALL, "xx_NOWHERE") == NULL);
    CHECK(strcmp(setlocale(LC_ALL, "POSIX"), "C") == 0);
    lc = localeconv();
    CHECK(strcmp(lc->decimal_point, ".") == 0 && strcmp(lc->thousands_sep, "") == 0);
    CHECK(lc->frac_digits == CHAR_MAX && lc->n_sign_posn == CHAR_MAX);
}

static int order[40];
static int ran;

static void record(void) { order[ran++] = 1; }

static void first_registered(void)
{
    int i;
    /* Runs last: the 33 others ran before it. */
    if (ran != 33)
        _Exit(3);
    for (i = 0; i < ran; i++)
        if (order[i] != 1)
            _Exit(3);
}

int main(void)
{
    int i;
    CHECK(atexit(first_registered) == 0);
    for (i = 0; i < 33; i++)
        CHECK(atexit(record) == 0);
    test_heap();
    test_integers();
    test_floats();
    test_sort();
    test_arith();
    test_rand();
    test_env();
    test_locale();
    return checks_done();
}
