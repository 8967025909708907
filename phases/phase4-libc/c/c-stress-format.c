/* c-stress-format: seeded random cases for the number formatting and
 * parsing of the C library -- printf (every conversion, flag, width,
 * precision and length modifier, `*` included), snprintf's truncation,
 * sscanf (integers in every base, floats in many spellings, widths,
 * %[...]), strtod/strtof and strtol/strtoul/strtoll/strtoull
 * (errno, endptr) -- one result line per case, so that two builds (vibix
 * and glibc) print the same text exactly when they agree.
 *
 *   c-stress-format SEED COUNT [FIRST [lines|hash]]
 *
 * Cases FIRST .. FIRST+COUNT-1 of the stream SEED. Each case draws from
 * its own generator, seeded from (SEED, case number), so any case can be
 * regenerated alone. `lines` (the default) prints "N: result" per case;
 * `hash` prints one FNV-1a hash of those lines per block of 256 cases and
 * a total, for runs of hundreds of thousands of cases. Last line:
 * "ok: N cases, K not compared" (see glibc_misrounds). The generator is
 * this file's own (splitmix64), so both libraries see the same inputs. */
#define _GNU_SOURCE
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the generator ---- */

static uint64_t state;

static uint64_t rnd(void) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* 0 .. n-1 */
static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }

static int chance(unsigned one_in) { return below(one_in) == 0; }

/* ---- the result line ---- */

static char line[16384];
static size_t llen;

static void emit(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + llen, sizeof line - llen, fmt, ap);
    va_end(ap);
    if (n > 0) {
        llen += (size_t)n < sizeof line - llen ? (size_t)n : sizeof line - llen - 1;
    }
}

/* `n` bytes of `s`, printable ASCII as is, the rest as \xNN. */
static void emit_bytes(const char *s, size_t n) {
    for (size_t k = 0; k < n && llen + 5 < sizeof line; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '|') {
            line[llen++] = (char)c;
        } else {
            static const char hex[] = "0123456789abcdef";
            line[llen++] = '\\';
            line[llen++] = 'x';
            line[llen++] = hex[c >> 4];
            line[llen++] = hex[c & 15];
        }
    }
    line[llen] = 0;
}

static void emit_double_bits(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    emit("%016" PRIx64, b);
}

static void emit_long_double_bits(long double d) {
    unsigned char b[16];
    memset(b, 0, sizeof b);
    memcpy(b, &d, 10);
    for (int k = 9; k >= 0; k--) {
        emit("%02x", b[k]);
    }
}

/* ---- inputs ---- */

static double pow10i(int k) {
    double p = 1.0;
    for (int i = 0; i < k; i++) {
        p *= 10.0;
    }
    return p;
}

static double from_bits(uint64_t b) {
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* A double from one of several families that stress formatting. */
static double gen_double(void) {
    double sign = chance(2) ? -1.0 : 1.0;
    switch (below(9)) {
    case 0: /* any bit pattern (NaNs with payloads, infinities, subnormals) */
        return from_bits(rnd());
    case 1: /* subnormal */
        return from_bits((rnd() & 0x000fffffffffffffull) | (rnd() & 0x8000000000000000ull));
    case 2: { /* huge or tiny normal */
        uint64_t e = chance(2) ? 0x7e0 + below(31) : 1 + below(40);
        return from_bits((rnd() & 0x800fffffffffffffull) | (e << 52));
    }
    case 3: {
        static const double special[] = {0.0, 1.0, 0.5, DBL_MAX, DBL_MIN, DBL_TRUE_MIN,
                                         DBL_EPSILON, 9.5, 0.05, 1e15, 1e16, 1e17, 1e22,
                                         1e23, 123456789.0, 4294967296.0};
        if (chance(4)) {
            return sign * __builtin_inf();
        }
        if (chance(4)) {
            return sign * __builtin_nan("");
        }
        return sign * special[below(sizeof special / sizeof special[0])];
    }
    case 4: /* m / 2^j: short binary fractions, decimal ties for %.Nf/%.Ne */
        return sign * (double)(rnd() >> (10 + below(50))) / (double)(1ull << below(20));
    case 5: /* k / 10^j: "decimal" values, never exact */
        return sign * (double)(rnd() >> (20 + below(44))) / pow10i((int)below(23));
    case 6: /* an integer up to 2^64 */
        return sign * (double)(rnd() >> below(64));
    case 7: { /* a power of ten, a few ulps off */
        double p = pow10i((int)below(40));
        if (chance(2)) {
            p = 1.0 / p;
        }
        uint64_t b;
        memcpy(&b, &p, sizeof b);
        b += below(7) - 3;
        return sign * from_bits(b);
    }
    default: /* x.5, x.25, x.125, x.0625 at small magnitudes */
        return sign * ((double)below(100000) + (double)(1 + below(15)) / 16.0);
    }
}

static long double gen_long_double(void) {
    double d = gen_double();
    switch (below(4)) {
    case 0:
        return (long double)d;
    case 1:
        return (long double)d / 3.0L;
    case 2:
        return (long double)d * 1e300L * 1e300L * (chance(2) ? 1e300L : 1e-300L);
    default:
        return (long double)d + (long double)d / (long double)(1ull << 60);
    }
}

/* An integer of 1 to 64 significant bits, signs and edges included. */
static uint64_t gen_int(void) {
    static const uint64_t edge[] = {0, 1, 127, 128, 255, 256, 32767, 32768, 65535, 65536,
                                    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
                                    0x7fffffffffffffffull, 0x8000000000000000ull};
    uint64_t v;
    if (chance(5)) {
        v = edge[below(sizeof edge / sizeof edge[0])];
        if (chance(2)) {
            v = -v;
        }
        return v;
    }
    v = rnd() >> below(64);
    return chance(3) ? -v : v;
}

/* ---- printf ---- */

static char fmt[64];
static char buf[8192];

/* Formats the case's value by `fmt` into `out` (size `cap`); the return
 * value of snprintf. The value's type follows the conversion and length. */
struct value {
    int kind; /* 0 int, 1 long, 2 long long, 3 intmax, 4 size, 5 ptrdiff, 6 double, 7 long double, 8 string */
    uint64_t i;
    double d;
    long double ld;
    const char *s;
};

static int nstar;
static int star[2];

#define SNP(val)                                                                       \
    (nstar == 0   ? snprintf(out, cap, fmt, val)                                       \
     : nstar == 1 ? snprintf(out, cap, fmt, star[0], val)                              \
                  : snprintf(out, cap, fmt, star[0], star[1], val))

static int format_value(char *out, size_t cap, const struct value *v) {
    switch (v->kind) {
    case 0:
        return SNP((int)v->i);
    case 1:
        return SNP((long)v->i);
    case 2:
        return SNP((long long)v->i);
    case 3:
        return SNP((intmax_t)v->i);
    case 4:
        return SNP((size_t)v->i);
    case 5:
        return SNP((ptrdiff_t)v->i);
    case 6:
        return SNP(v->d);
    case 7:
        return SNP(v->ld);
    default:
        return SNP(v->s);
    }
}

static char strpool[80];

/* A printf conversion with random flags, width, precision and length; its
 * value in `v`. */
static void gen_printf(struct value *v) {
    static const char int_convs[] = "diuoxXc";
    static const char float_convs[] = "eEfFgGaA";
    size_t n = 0;
    int which = (int)below(10);
    char conv;
    int is_float = 0, is_str = 0;
    if (which < 4) {
        conv = int_convs[below(sizeof int_convs - 1)];
    } else if (which < 9) {
        conv = float_convs[below(sizeof float_convs - 1)];
        is_float = 1;
    } else {
        conv = 's';
        is_str = 1;
    }
    if (chance(8)) {
        n += (size_t)sprintf(fmt + n, "<");
    }
    fmt[n++] = '%';
    /* flags: '#' only where it means something, '0' not with c and s */
    static const char flags[] = "-+ #0";
    int nflags = (int)below(4);
    for (int k = 0; k < nflags; k++) {
        char f = flags[below(5)];
        if (f == '#' && (conv == 'd' || conv == 'i' || conv == 'u' || conv == 'c' || is_str)) {
            continue;
        }
        if (f == '0' && (conv == 'c' || is_str)) {
            continue;
        }
        if ((f == '+' || f == ' ') && (conv == 'c' || is_str)) {
            continue;
        }
        fmt[n++] = f;
    }
    nstar = 0;
    switch (below(4)) {
    case 0:
        break;
    case 1:
        fmt[n++] = '*';
        star[nstar++] = (int)below(40) - 10;
        break;
    default:
        n += (size_t)sprintf(fmt + n, "%u", below(chance(8) ? 400 : 30));
    }
    if (conv != 'c' && !chance(3)) {
        fmt[n++] = '.';
        switch (below(5)) {
        case 0:
            fmt[n++] = '*';
            star[nstar++] = (int)below(60) - 10;
            break;
        case 1: /* "." alone: precision 0 */
            break;
        default:
            n += (size_t)sprintf(fmt + n, "%u", below(chance(10) ? 120 : 25));
        }
    }
    if (is_float) {
        if (chance(5)) {
            fmt[n++] = 'L';
            v->kind = 7;
            v->ld = gen_long_double();
        } else {
            if (chance(6)) {
                fmt[n++] = 'l'; /* %lf: the same as %f */
            }
            v->kind = 6;
            v->d = gen_double();
        }
    } else if (is_str) {
        size_t len = below(sizeof strpool);
        for (size_t k = 0; k < len; k++) {
            strpool[k] = (char)(' ' + below(95));
        }
        strpool[len] = 0;
        v->kind = 8;
        v->s = strpool;
    } else {
        v->i = gen_int();
        v->kind = 0;
        if (conv != 'c') {
            switch (below(9)) {
            case 0:
                fmt[n++] = 'h';
                fmt[n++] = 'h';
                break;
            case 1:
                fmt[n++] = 'h';
                break;
            case 2:
                fmt[n++] = 'l';
                v->kind = 1;
                break;
            case 3:
                fmt[n++] = 'l';
                fmt[n++] = 'l';
                v->kind = 2;
                break;
            case 4:
                fmt[n++] = 'j';
                v->kind = 3;
                break;
            case 5:
                fmt[n++] = 'z';
                v->kind = 4;
                break;
            case 6:
                fmt[n++] = 't';
                v->kind = 5;
                break;
            default:
                break;
            }
        }
    }
    fmt[n++] = conv;
    if (chance(8)) {
        n += (size_t)sprintf(fmt + n, "%s", chance(2) ? ">" : "%%|");
    }
    fmt[n] = 0;
}

static void case_printf(void) {
    struct value v;
    gen_printf(&v);
    int r = format_value(buf, sizeof buf, &v);
    emit("printf %s", fmt);
    for (int k = 0; k < nstar; k++) {
        emit(" *%d", star[k]);
    }
    emit(" = %d |", r);
    emit_bytes(buf, r >= 0 && (size_t)r < sizeof buf ? (size_t)r : 0);
}

static void case_truncate(void) {
    struct value v;
    gen_printf(&v);
    char full[8192];
    int want = format_value(full, sizeof full, &v);
    size_t cap = below(chance(3) ? 4 : (unsigned)(want > 0 ? want + 3 : 3));
    memset(buf, '~', 64 + cap);
    int r = format_value(cap == 0 && chance(2) ? NULL : buf, cap, &v);
    emit("snprintf[%zu] %s = %d |", cap, fmt, r);
    emit_bytes(buf, cap);
    int canary = 1;
    for (size_t k = cap; k < cap + 64; k++) {
        canary &= buf[k] == '~';
    }
    emit("| %s", canary ? "untouched" : "WRITTEN PAST");
}

/* ---- text to parse ---- */

static char text[1024];

static void add(size_t *n, const char *s) {
    size_t l = strlen(s);
    if (*n + l < sizeof text - 1) {
        memcpy(text + *n, s, l);
        *n += l;
    }
    text[*n] = 0;
}

static void add_c(size_t *n, char c) {
    if (*n < sizeof text - 1) {
        text[(*n)++] = c;
    }
    text[*n] = 0;
}

static void add_digits(size_t *n, unsigned count, unsigned base) {
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (unsigned k = 0; k < count; k++) {
        char c = digits[below(base)];
        add_c(n, chance(2) ? c : (char)(c >= 'a' ? c - 32 : c));
    }
}

static void add_junk(size_t *n) {
    static const char *const junk[] = {"", "", "", " ", "x", "e", "e+", "p", ".", "-", "+1", "z", "9", "\t", "0x", "i"};
    add(n, junk[below(sizeof junk / sizeof junk[0])]);
}

static void add_space(size_t *n) {
    static const char *const space[] = {"", "", "", " ", "  ", "\t", "\n ", "\v\f\r"};
    add(n, space[below(sizeof space / sizeof space[0])]);
}

/* An integer's spelling: space, sign, a base's prefix, digits (some out of
 * the base), junk. */
static void gen_int_text(unsigned base) {
    size_t n = 0;
    text[0] = 0;
    add_space(&n);
    if (chance(3)) {
        add_c(&n, chance(2) ? '-' : '+');
    }
    if (base == 16 || (base == 0 && chance(2))) {
        if (!chance(4)) {
            add(&n, chance(2) ? "0x" : "0X");
        }
        add_digits(&n, below(chance(4) ? 30 : 17), 16);
    } else if (base == 8 || base == 0) {
        if (chance(2)) {
            add_c(&n, '0');
        }
        add_digits(&n, below(chance(4) ? 30 : 23), chance(5) ? 10 : 8);
    } else {
        unsigned b = base < 2 || base > 36 ? 10 : base;
        add_digits(&n, below(chance(4) ? 70 : 1 + 64 * 3 / (b < 4 ? 1 : b / 2)), chance(6) && b < 36 ? b + 1 : b);
    }
    add_junk(&n);
}

/* A floating-point number's spelling: decimal (points, exponents, many
 * digits), hexadecimal, infinities and NaNs, broken ones, junk. */
static void gen_float_text(void) {
    size_t n = 0;
    text[0] = 0;
    add_space(&n);
    if (chance(3)) {
        add_c(&n, chance(2) ? '-' : '+');
    }
    switch (below(12)) {
    case 0: {
        static const char *const words[] = {"inf", "INF", "Infinity", "infinit", "infinityx", "nan", "NaN",
                                            "nan(123abc)", "nan(", "nan()x", "in", "na", "nan(_)"};
        add(&n, words[below(sizeof words / sizeof words[0])]);
        break;
    }
    case 1: {
        static const char *const broken[] = {"", ".", "e5", "0x", "0x.", "0xp3", ".e1", "0X.p1", "1e", "1e+",
                                             "1.e-", "0x1p", "0x1p-", "00", "0.", ".0", "0x0.0p0"};
        add(&n, broken[below(sizeof broken / sizeof broken[0])]);
        break;
    }
    case 2:
    case 3: { /* hexadecimal */
        add(&n, chance(2) ? "0x" : "0X");
        add_digits(&n, below(chance(4) ? 30 : 15), 16);
        if (chance(2)) {
            add_c(&n, '.');
            add_digits(&n, below(chance(4) ? 30 : 15), 16);
        }
        if (!chance(4)) {
            char e[32];
            add_c(&n, chance(2) ? 'p' : 'P');
            int mag = chance(3) ? 16500 : chance(2) ? 1100 : 70;
            sprintf(e, "%s%d", chance(2) ? "-" : chance(2) ? "+" : "", (int)below((unsigned)mag));
            add(&n, e);
        }
        break;
    }
    default: { /* decimal */
        unsigned lead = below(chance(6) ? 400 : 20);
        if (chance(5)) {
            add(&n, "000");
        }
        add_digits(&n, lead, 10);
        if (chance(2)) {
            add_c(&n, '.');
            add_digits(&n, below(chance(6) ? 400 : 20), 10);
        }
        if (chance(2)) {
            char e[32];
            add_c(&n, chance(2) ? 'e' : 'E');
            int mag = chance(4) ? 5000 : chance(2) ? 340 : 40;
            sprintf(e, "%s%d", chance(2) ? "-" : chance(2) ? "+" : "", (int)below((unsigned)mag));
            add(&n, e);
        }
        break;
    }
    }
    add_junk(&n);
}

/* ---- strto* ---- */

/* Whether `s` is a hexadecimal number with more than `bits` significant
 * bits whose value `exp_field` (the result's biased exponent, 0: zero or
 * subnormal) is below the normal range. glibc rounds such numbers twice,
 * and the bit just below the format's precision is lost in between:
 * "0x1.00000000000808p-1030" comes out rounded down where the nearest
 * double is above, and an inexact result can miss its ERANGE. vibix
 * rounds once, correctly, so these cases are not compared (the library's
 * own tests check them against exact arithmetic). */
static uint64_t not_compared;

static int glibc_misrounds(const char *s, int bits, unsigned exp_field) {
    if (exp_field != 0) {
        return 0;
    }
    while (*s == ' ' || (*s >= '\t' && *s <= '\r') || *s == '+' || *s == '-') {
        s++;
    }
    if (s[0] != '0' || (s[1] | 0x20) != 'x') {
        return 0;
    }
    s += 2;
    int seen = 0, sig = 0, zeros = 0;
    for (; (*s >= '0' && *s <= '9') || ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f') || *s == '.'; s++) {
        if (*s == '.') {
            continue;
        }
        if (*s != '0') {
            seen = 1;
            sig += zeros + 1;
            zeros = 0;
        } else if (seen) {
            zeros++;
        }
    }
    if (sig * 4 <= bits) {
        return 0;
    }
    not_compared++;
    return 1;
}


static void case_strtod(void) {
    gen_float_text();
    char *end = NULL;
    emit("strto");
    switch (below(2)) {
    case 0: {
        errno = 0;
        double d = strtod(text, &end);
        int e = errno;
        uint64_t b;
        memcpy(&b, &d, sizeof b);
        if (glibc_misrounds(text, 53, (unsigned)(b >> 52) & 0x7ff)) {
            emit("d: long hexadecimal below the normal range, not compared |");
            emit_bytes(text, strlen(text));
            return;
        }
        emit("d ");
        emit_double_bits(d);
        emit(" errno %d", e);
        break;
    }
    default: {
        errno = 0;
        float f = strtof(text, &end);
        int e = errno;
        uint32_t b;
        memcpy(&b, &f, sizeof b);
        if (glibc_misrounds(text, 24, (b >> 23) & 0xff)) {
            emit("f: long hexadecimal below the normal range, not compared |");
            emit_bytes(text, strlen(text));
            return;
        }
        emit("f %08" PRIx32 " errno %d", b, e);
        break;
    }
    }
    emit(" end %td |", end - text);
    emit_bytes(text, strlen(text));
}

static void case_strtol(void) {
    static const int bases[] = {0, 0, 0, 10, 10, 16, 16, 8, 2, 36, -1, 1, 37};
    int base = bases[below(sizeof bases / sizeof bases[0])];
    if (base == -1) {
        base = 2 + (int)below(35);
    }
    gen_int_text(base < 2 || base > 36 ? 10 : (unsigned)base);
    char *end = (char *)1;
    errno = 0;
    switch (below(4)) {
    case 0: {
        long v = strtol(text, &end, base);
        emit("strtol %ld", v);
        break;
    }
    case 1: {
        unsigned long v = strtoul(text, &end, base);
        emit("strtoul %lu", v);
        break;
    }
    case 2: {
        long long v = strtoll(text, &end, base);
        emit("strtoll %lld", v);
        break;
    }
    default: {
        unsigned long long v = strtoull(text, &end, base);
        emit("strtoull %llu", v);
        break;
    }
    }
    emit(" base %d errno %d end %td |", base, errno, end == (char *)1 ? (ptrdiff_t)-1 : end - text);
    emit_bytes(text, strlen(text));
}

/* ---- sscanf ---- */

static void width_into(size_t *n) {
    if (chance(3)) {
        *n += (size_t)sprintf(fmt + *n, "%u", 1 + below(chance(3) ? 40 : 8));
    }
}

static void case_scanf_int(void) {
    static const char convs[] = "diuoxX";
    char conv = convs[below(sizeof convs - 1)];
    unsigned base = conv == 'd' || conv == 'u' ? 10 : conv == 'i' ? 0 : conv == 'o' ? 8 : 16;
    gen_int_text(base);
    size_t n = 0;
    fmt[n++] = '%';
    width_into(&n);
    static const char *const lens[] = {"hh", "h", "", "l", "ll", "j", "z", "t", ""};
    const char *len = lens[below(sizeof lens / sizeof lens[0])];
    n += (size_t)sprintf(fmt + n, "%s%c%%n", len, conv);
    union {
        unsigned char c;
        unsigned short s;
        unsigned u;
        unsigned long long ll;
    } out;
    memset(&out, 0x5a, sizeof out);
    int used = -1;
    int r = sscanf(text, fmt, &out, &used);
    emit("sscanf %s = %d %016llx used %d |", fmt, r, out.ll, used);
    emit_bytes(text, strlen(text));
}

static void case_scanf_float(void) {
    gen_float_text();
    static const char convs[] = "feEgaAGF";
    size_t n = 0;
    fmt[n++] = '%';
    width_into(&n);
    int kind = (int)below(3);
    if (kind == 1) {
        fmt[n++] = 'l';
    } else if (kind == 2) {
        fmt[n++] = 'L';
    }
    fmt[n++] = convs[below(sizeof convs - 1)];
    strcpy(fmt + n, "%n");
    int used = -1;
    int r;
    emit("sscanf %s = ", fmt);
    if (kind == 0) {
        float f = -1.0f;
        r = sscanf(text, fmt, &f, &used);
        uint32_t b;
        memcpy(&b, &f, sizeof b);
        if (glibc_misrounds(text, 24, (b >> 23) & 0xff)) {
            llen = 0;
            emit("sscanf: long hexadecimal below the normal range, not compared");
            return;
        }
        emit("%d %08" PRIx32, r, b);
    } else if (kind == 1) {
        double d = -1.0;
        r = sscanf(text, fmt, &d, &used);
        uint64_t b;
        memcpy(&b, &d, sizeof b);
        if (glibc_misrounds(text, 53, (unsigned)(b >> 52) & 0x7ff)) {
            llen = 0;
            emit("sscanf: long hexadecimal below the normal range, not compared");
            return;
        }
        emit("%d ", r);
        emit_double_bits(d);
    } else {
        long double d = -1.0L;
        r = sscanf(text, fmt, &d, &used);
        unsigned char raw[16];
        memcpy(raw, &d, 10);
        if (glibc_misrounds(text, 64, ((unsigned)raw[9] << 8 | raw[8]) & 0x7fff)) {
            llen = 0;
            emit("sscanf: long hexadecimal below the normal range, not compared");
            return;
        }
        emit("%d ", r);
        emit_long_double_bits(d);
    }
    emit(" used %d |", used);
    emit_bytes(text, strlen(text));
}

static void case_scanf_set(void) {
    static const char alphabet[] = "abcxyz-]^019 ";
    size_t n = 0;
    fmt[n++] = '%';
    n += (size_t)sprintf(fmt + n, "%u", 1 + below(20));
    fmt[n++] = '[';
    if (chance(3)) {
        fmt[n++] = '^';
    }
    if (chance(4)) {
        fmt[n++] = ']';
    }
    unsigned members = 1 + below(5);
    for (unsigned k = 0; k < members; k++) {
        if (chance(4)) {
            static const char *const ranges[] = {"a-c", "x-z", "0-9", "c-a", "-", "a-"};
            n += (size_t)sprintf(fmt + n, "%s", ranges[below(6)]);
        } else {
            char c = alphabet[below(sizeof alphabet - 3)]; /* not ']', '^' ... */
            fmt[n++] = c == ']' ? 'b' : c;
        }
    }
    fmt[n++] = ']';
    strcpy(fmt + n, "%n");
    size_t t = 0;
    text[0] = 0;
    unsigned len = below(30);
    for (unsigned k = 0; k < len; k++) {
        add_c(&t, alphabet[below(sizeof alphabet - 1)]);
    }
    char out[64];
    memset(out, '~', sizeof out);
    out[63] = 0;
    int used = -1;
    int r = sscanf(text, fmt, out, &used);
    emit("sscanf %s = %d used %d |", fmt, r, used);
    emit_bytes(out, r == 1 ? strlen(out) : 0);
    emit("|");
    emit_bytes(text, strlen(text));
}

/* ---- the driver ---- */

static uint64_t fnv(uint64_t h, const char *s, size_t n) {
    for (size_t k = 0; k < n; k++) {
        h = (h ^ (unsigned char)s[k]) * 0x100000001b3ull;
    }
    return h;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s SEED COUNT [FIRST [lines|hash]]\n", argv[0]);
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 0);
    uint64_t count = strtoull(argv[2], NULL, 0);
    uint64_t first = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
    int hash = argc > 4 && strcmp(argv[4], "hash") == 0;
    const uint64_t block = 256;
    uint64_t h = 0xcbf29ce484222325ull, total = h;
    for (uint64_t i = first; i < first + count; i++) {
        state = seed * 0x2545f4914f6cdd1dull ^ (i * 0x9e3779b97f4a7c15ull);
        rnd();
        llen = 0;
        line[0] = 0;
        switch (below(16)) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4:
            case_printf();
            break;
        case 5:
        case 6:
            case_truncate();
            break;
        case 7:
        case 8:
        case 9:
            case_strtod();
            break;
        case 10:
        case 11:
            case_strtol();
            break;
        case 12:
        case 13:
            case_scanf_int();
            break;
        case 14:
            case_scanf_float();
            break;
        default:
            case_scanf_set();
            break;
        }
        if (hash) {
            char head[32];
            int k = snprintf(head, sizeof head, "%" PRIu64 ": ", i);
            h = fnv(h, head, (size_t)k);
            h = fnv(h, line, llen);
            h = fnv(h, "\n", 1);
            if ((i + 1 - first) % block == 0 || i + 1 == first + count) {
                printf("block %" PRIu64 " hash %016" PRIx64 "\n", (i - first) / block, h);
                total = fnv(total, (const char *)&h, sizeof h);
                h = 0xcbf29ce484222325ull;
            }
        } else {
            printf("%" PRIu64 ": %s\n", i, line);
        }
    }
    if (hash) {
        printf("total hash %016" PRIx64 "\n", total);
    }
    printf("ok: %" PRIu64 " cases, %" PRIu64 " not compared\n", count, not_compared);
    return 0;
}
