/* c-scanf: sscanf, fscanf and vsscanf over numbers, strings, sets and
 * their failure cases; every result printed and checked. Exit 0 and
 * "ok: all checks passed" when every check holds. */
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

static int my_vss(const char *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = vsscanf(s, fmt, ap);
    va_end(ap);
    return r;
}

int main(void) {
    int a = 0, b = 0, n = 0;
    long l = 0;
    unsigned u = 0;
    double d = 0;
    float f = 0;
    char s1[32], s2[32];

    int r = sscanf("  42 -17", "%d%d%n", &a, &b, &n);
    printf("%d %d %d %d\n", r, a, b, n);
    check(r == 2 && a == 42 && b == -17 && n == 8, "two ints");

    r = sscanf("0x1f 077 10", "%i %i %i", &a, &b, &n);
    printf("%d %d %d %d\n", r, a, b, n);
    check(r == 3 && a == 31 && b == 63 && n == 10, "%i bases");

    r = sscanf("ff 755 -1", "%x %o %u", &a, &b, &u);
    printf("%d %d %d %u\n", r, a, b, u);
    check(r == 3 && a == 255 && b == 493 && u == 4294967295u, "x o u");

    r = sscanf("99999999999999999999", "%ld", &l);
    printf("%d %ld\n", r, l);
    check(r == 1 && l == 9223372036854775807L, "overflow clamps");

    r = sscanf("3.25e2 0x1.8p1 -inf nan", "%lf %f", &d, &f);
    printf("%d %.17g %.9g\n", r, d, f);
    check(r == 2 && d == 325.0 && f == 3.0f, "floats");
    r = sscanf("-inf", "%lf", &d);
    printf("%d %f\n", r, d);
    r = sscanf("0.1", "%lf", &d);
    printf("%d %.20f\n", r, d);
    check(d == 0.1, "0.1 exactly rounded");

    long double ld = 0;
    r = sscanf("0.1", "%Lf", &ld);
    printf("%d %.25Le %La\n", r, ld, ld);
    check(r == 1 && ld == 0.1L, "long double 0.1");
    r = sscanf("-1.18973149535723176502e+4932 0x1.8p-16440", "%Le", &ld);
    printf("%d %.21Lg\n", r, ld);
    check(r == 1 && ld == -1.18973149535723176502e+4932L, "LDBL_MAX");
    r = sscanf("0x1.8p-16440", "%La", &ld);
    printf("%d %La\n", r, ld);
    check(r == 1 && ld == 0x1.8p-16440L, "hex denormal long double");
    r = sscanf("1e5000 nan", "%Lg", &ld);
    printf("%d %Lg\n", r, ld);

    r = sscanf("hello world", "%s %5s", s1, s2);
    printf("%d [%s] [%s]\n", r, s1, s2);
    check(r == 2 && !strcmp(s1, "hello") && !strcmp(s2, "world"), "strings");

    r = sscanf("abc123,rest", "%[a-z]%[0-9],%s", s1, s2, s2 + 16);
    printf("%d [%s] [%s] [%s]\n", r, s1, s2, s2 + 16);
    check(r == 3, "scansets");

    r = sscanf("key=value;", "%[^=]=%[^;]", s1, s2);
    printf("%d [%s] [%s]\n", r, s1, s2);
    check(r == 2 && !strcmp(s1, "key") && !strcmp(s2, "value"), "negated sets");

    memset(s1, 0, sizeof s1);
    r = sscanf("xyz", "%2c", s1);
    printf("%d [%s]\n", r, s1);
    check(r == 1 && !strcmp(s1, "xy"), "%c with width");

    r = sscanf("10 20", "%*d %d", &a);
    printf("%d %d\n", r, a);
    check(r == 1 && a == 20, "suppression");

    r = sscanf("", "%d", &a);
    printf("empty %d\n", r);
    check(r == EOF, "EOF on empty input");
    r = sscanf("abc", "%d", &a);
    printf("letters %d\n", r);
    check(r == 0, "matching failure");
    r = sscanf("5", "%d %d", &a, &b);
    printf("short %d\n", r);
    check(r == 1, "input ends after one");
    r = sscanf("100%", "%d%%", &a);
    printf("percent %d %d\n", r, a);
    check(r == 1 && a == 100, "%%");

    char *dup = NULL;
    r = sscanf("  allocated rest", "%ms", &dup);
    printf("%d [%s]\n", r, dup ? dup : "(none)");
    check(r == 1 && dup && !strcmp(dup, "allocated"), "%ms");
    free(dup);

    r = my_vss("7 8", "%d %d", &a, &b);
    check(r == 2 && a == 7 && b == 8, "vsscanf");

    FILE *fp = tmpfile();
    check(fp != NULL, "tmpfile");
    if (fp) {
        fputs("12 apples\n3.5 pears\n", fp);
        rewind(fp);
        r = fscanf(fp, "%d %31s", &a, s1);
        printf("fscanf %d %d %s\n", r, a, s1);
        check(r == 2 && a == 12 && !strcmp(s1, "apples"), "fscanf 1");
        r = fscanf(fp, "%lf %31s", &d, s1);
        printf("fscanf %d %g %s\n", r, d, s1);
        check(r == 2 && d == 3.5 && !strcmp(s1, "pears"), "fscanf 2");
        r = fscanf(fp, "%d", &a);
        printf("fscanf at end %d\n", r);
        check(r == EOF, "fscanf EOF");
        fclose(fp);
    }

    if (failures) {
        printf("%d checks failed\n", failures);
        return 1;
    }
    printf("ok: all checks passed\n");
    return 0;
}
