/* c-printf: the printf family, many conversions, printed one per line so
 * the output can be compared with glibc's; a few results also checked in
 * the program. Exit 0 and "ok: all checks passed" when every check holds. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(int cond, const char *what) {
    if (!cond) {
        printf("FAIL: %s\n", what);
        failures++;
    }
}

static int my_vsn(char *buf, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int main(void) {
    static const double values[] = {
        0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 0.1, 1e-5, 123456.789, 1e21, 1e300,
        1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 9.9999999, 99999.5,
    };
    static const char *ffmts[] = {
        "%f", "%.0f", "%.1f", "%.20f", "%#.0f", "%e", "%.0e", "%#.0e", "%.3E", "%g", "%G", "%.0g",
        "%#g", "%.10g", "%a", "%A", "%.0a", "%.1a", "%.3a", "%#a", "%+f", "% e", "%012f",
        "%-12g|", "%012a", "%+012e", "%F", "%12.4G", "%.17g", "%#.3g",
    };
    for (size_t i = 0; i < sizeof ffmts / sizeof *ffmts; i++) {
        for (size_t j = 0; j < sizeof values / sizeof *values; j++) {
            printf("[%s] ", ffmts[i]);
            printf(ffmts[i], values[j]);
            putchar('\n');
        }
    }
    printf("%f %F %e %g %a\n", 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, -(0.0 / 0.0), 1.0 / 0.0);
    printf("%.60f\n", 0.1);
    printf("%.40e\n", 1.0 / 3.0);

    static const long double lds[] = {
        0.0L, -0.0L, 1.0L, 1.0L / 3, -2.5L, 0.1L, 1e4000L, -1e-4000L, 1.18973149535723176502e+4932L,
        3.36210314311209350626e-4932L, 3.64519953188247460253e-4951L, 123456789.125L,
    };
    static const char *lfmts[] = {
        "%Lf", "%.0Lf", "%.30Lf", "%Le", "%.25Le", "%.3LE", "%Lg", "%.21Lg", "%#Lg", "%La",
        "%.3La", "%.0La", "%LA", "%+15.4Lf|", "%-15.4Le|", "%015Lg",
    };
    for (size_t i = 0; i < sizeof lfmts / sizeof *lfmts; i++) {
        for (size_t j = 0; j < sizeof lds / sizeof *lds; j++) {
            if (lfmts[i][strlen(lfmts[i]) - 1] == 'f' && (j == 6 || j == 8)) continue; /* 4933 digits */
            printf("[%s] ", lfmts[i]);
            printf(lfmts[i], lds[j]);
            putchar('\n');
        }
    }
    printf("%Lf %LF %Le %Lg\n", 1.0L / 0.0L, -1.0L / 0.0L, 0.0L / 0.0L, -(0.0L / 0.0L));
    printf("mixed %d %Lf %s %.2f %Lg\n", 1, 2.5L, "three", 4.0, 5.0L);

    static const int ints[] = {0, 1, -1, 42, -42, 255, 65535, 2147483647, -2147483647 - 1};
    static const char *ifmts[] = {
        "%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%.0d", "%8.3d", "%-+8.3d|", "%x",
        "%#x", "%#X", "%#o", "%o", "%#.0o", "%.0x", "%#08x", "%u", "%hhd", "%hd", "%hhu", "%i",
    };
    for (size_t i = 0; i < sizeof ifmts / sizeof *ifmts; i++) {
        printf("[%s]", ifmts[i]);
        for (size_t j = 0; j < sizeof ints / sizeof *ints; j++) {
            putchar(' ');
            printf(ifmts[i], ints[j]);
        }
        putchar('\n');
    }
    printf("%ld %lld %lu %lx %jd %zu %td\n", -9223372036854775807L - 1, 9223372036854775807LL,
           18446744073709551615UL, 0xdeadbeefcafeUL, (long long)-5, (size_t)77, (long)-3);
    printf("[%s] [%10s] [%-10s] [%.2s] [%c] [%5c] [%%] [%s]\n", "hello", "hi", "hi", "hello", 'x',
           'y', (char *)NULL);
    printf("[%p] [%20p]\n", (void *)NULL, (void *)NULL);
    printf("[%p]\n", (void *)0x1234abcdUL);
    printf("[%*d] [%-*d] [%.*f] [%*.*s]\n", 6, 42, 6, 42, 2, 3.14159, 8, 3, "abcdef");
    printf("%2$s %1$d %3$.*4$f\n", 7, "pos", 1.25, 3);

    int n1 = -1;
    signed char n2 = -1;
    printf("ab%ncd%hhn\n", &n1, &n2);
    check(n1 == 2 && n2 == 4, "%n");

    errno = ENOENT;
    printf("[%m]\n");
    errno = 0;

    char buf[32];
    int r = snprintf(buf, sizeof buf, "%s-%05d", "abc", 42);
    check(r == 9 && strcmp(buf, "abc-00042") == 0, "snprintf");
    r = snprintf(buf, 4, "%d", 123456);
    check(r == 6 && strcmp(buf, "123") == 0, "snprintf truncation");
    r = snprintf(NULL, 0, "%d", 12345);
    check(r == 5, "snprintf size 0");
    r = sprintf(buf, "%x", 255);
    check(r == 2 && strcmp(buf, "ff") == 0, "sprintf");
    r = my_vsn(buf, sizeof buf, "%s=%d", "v", 9);
    check(r == 3 && strcmp(buf, "v=9") == 0, "vsnprintf");
    char *s = NULL;
    r = asprintf(&s, "%d %s", 10, "ten");
    check(r == 6 && s && strcmp(s, "10 ten") == 0, "asprintf");
    free(s);
    fflush(stdout);
    r = dprintf(1, "dprintf %d\n", 3);
    check(r == 10, "dprintf");
    r = fprintf(stderr, "%s", "");
    check(r == 0, "fprintf to stderr");

    if (failures) {
        printf("%d checks failed\n", failures);
        return 1;
    }
    printf("ok: all checks passed\n");
    return 0;
}
