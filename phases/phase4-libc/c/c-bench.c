/* c-bench: phase 4's benchmarks for `cargo runner bench`, the C library's
 * hot functions (memcpy, strlen, malloc/free, snprintf), built for vibix
 * against vibix_libc and for Linux against glibc.
 *
 * The harness is the std benchmark programs' (phases/phase2-fs-process/
 * programs/src/bench.rs) in C: the same arguments -- dir=PATH and exe=PATH
 * (accepted, unused here), ms=N the target time of one run, quick (one
 * iteration of each item), only=SUBSTR -- and the same lines, "bench
 * <item> - <total_ns> <ops>" between "bench-start" and "bench-end". Each
 * item is calibrated to a quarter of the target time, then the best of
 * three runs of about the target time is reported. `c-bench check` checks
 * the harness itself on an item whose cost it knows.
 *
 * Every library call goes through a volatile function pointer, so gcc
 * neither inlines memcpy/strlen of known sizes nor removes a malloc+free
 * pair: the library's own code is what is timed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *(*volatile memcpy_fn)(void *, const void *, size_t) = memcpy;
static size_t (*volatile strlen_fn)(const char *) = strlen;
static void *(*volatile malloc_fn)(size_t) = malloc;
static void (*volatile free_fn)(void *) = free;
static int (*volatile snprintf_fn)(char *, size_t, const char *, ...) = snprintf;

static uint64_t target_ns = 100 * 1000 * 1000;
static int quick;
static const char *only;
/* Results the compiler must not drop. */
static volatile uint64_t sink;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t timed(void (*body)(uint64_t), uint64_t n) {
    uint64_t start = now_ns();
    body(n);
    return now_ns() - start;
}

/* Doubles the count until one run of body(n) (n operations) takes a
 * quarter of the target time, scales it to about the target, and sets
 * *total to the best of three runs of that count, *iters to the count.
 * The calibration runs are never the answer: their count is not the one
 * reported. */
static void calibrate(void (*body)(uint64_t), uint64_t *total, uint64_t *iters) {
    uint64_t n = 1, t = timed(body, 1);
    while (t < target_ns / 4 && n < (1ull << 30)) {
        n *= 2;
        t = timed(body, n);
    }
    uint64_t m = (uint64_t)((unsigned __int128)n * target_ns / (t ? t : 1));
    if (m < 1) {
        m = 1;
    }
    if (m > (1ull << 32)) {
        m = 1ull << 32;
    }
    uint64_t best = UINT64_MAX;
    for (int k = 0; k < 3; k++) {
        uint64_t r = timed(body, m);
        best = r < best ? r : best;
    }
    *total = best;
    *iters = m;
}

/* Calibrates body(n) (n operations) and prints its line. */
static void measure(const char *name, void (*body)(uint64_t)) {
    if (only && !strstr(name, only)) {
        return;
    }
    uint64_t total, iters;
    if (quick) {
        total = timed(body, 1);
        iters = 1;
    } else {
        calibrate(body, &total, &iters);
    }
    printf("bench %s - %llu %llu\n", name, (unsigned long long)total, (unsigned long long)iters);
    fflush(stdout);
}

/* An operation that costs exactly SPIN_NS: it spins on the clock. */
#define SPIN_NS 20000u

static void spin(uint64_t n) {
    uint64_t end = now_ns() + n * SPIN_NS;
    while (now_ns() < end) {
    }
}

/* `c-bench check`: the harness reports what an item really costs. The
 * spin item, measured with a 20 ms target, must come out at no less than
 * 20 us per operation (the spin ends after its time, never before) and
 * under twice that; reporting a calibration run's time with the final
 * run's count would give 5 to 10 us. */
static int check(void) {
    uint64_t total, iters;
    target_ns = 20 * 1000 * 1000;
    calibrate(spin, &total, &iters);
    uint64_t per_op = total / iters;
    int at_least = per_op >= SPIN_NS, under_twice = per_op < 2 * SPIN_NS;
    printf("iterations: more than 100: %s\n", iters > 100 ? "true" : "false");
    printf("per operation: at least 20 us: %s\n", at_least ? "true" : "false");
    printf("per operation: under 40 us: %s\n", under_twice ? "true" : "false");
    if (!(at_least && under_twice)) {
        fprintf(stderr, "c-bench: %llu ns per operation over %llu iterations\n",
                (unsigned long long)per_op, (unsigned long long)iters);
        return 1;
    }
    return 0;
}

/* ---- the items ---- */

static char *src, *dst;
static char *text;

static void memcpy_4k(uint64_t n) {
    for (uint64_t i = 0; i < n; i++) {
        memcpy_fn(dst, src, 4096);
    }
}

static void memcpy_1m(uint64_t n) {
    for (uint64_t i = 0; i < n; i++) {
        memcpy_fn(dst, src, 1 << 20);
    }
}

static void strlen_1k(uint64_t n) {
    uint64_t s = 0;
    for (uint64_t i = 0; i < n; i++) {
        s += strlen_fn(text);
    }
    sink = s;
}

static void malloc_free_small(uint64_t n) {
    static const size_t sizes[] = {16, 24, 32, 48, 64, 96, 128, 256};
    for (uint64_t i = 0; i < n; i++) {
        void *p = malloc_fn(sizes[i & 7]);
        free_fn(p);
    }
}

/* 256 live blocks of 8 B to 8 KiB; one operation frees one and allocates
 * another in its place. */
static void *ring[256];

static void malloc_free_mixed(uint64_t n) {
    static uint32_t x = 12345;
    for (uint64_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        size_t slot = (x >> 8) & 255;
        size_t size = 8u << ((x >> 16) % 11);
        size += (x >> 20) & 7;
        free_fn(ring[slot]);
        ring[slot] = malloc_fn(size);
    }
}

static void snprintf_line(uint64_t n) {
    char buf[128];
    uint64_t s = 0;
    for (uint64_t i = 0; i < n; i++) {
        s += (uint64_t)snprintf_fn(buf, sizeof buf, "item %d: %s = %.3f\n", (int)i, "memcpy",
                                   (double)i * 0.37);
    }
    sink = s;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "dir=", 4) == 0 || strncmp(a, "exe=", 4) == 0) {
            /* no files, no programs to run here */
        } else if (strcmp(a, "quick") == 0) {
            quick = 1;
        } else if (strncmp(a, "ms=", 3) == 0 && a[3] >= '0' && a[3] <= '9') {
            target_ns = strtoull(a + 3, NULL, 10) * 1000000u;
        } else if (strncmp(a, "only=", 5) == 0) {
            only = a + 5;
        } else if (strcmp(a, "check") == 0) {
            return check();
        } else {
            fprintf(stderr,
                    "c-bench: unknown argument \"%s\"; arguments: dir=PATH exe=PATH ms=N quick "
                    "only=SUBSTR, or check\n",
                    a);
            return 2;
        }
    }
    src = malloc(1 << 20);
    dst = malloc(1 << 20);
    text = malloc(1024);
    if (!src || !dst || !text) {
        fprintf(stderr, "c-bench: out of memory\n");
        return 1;
    }
    memset(src, 0x5a, 1 << 20);
    memset(dst, 0, 1 << 20);
    memset(text, 'a', 1023);
    text[1023] = 0;
    printf("bench-start\n");
    measure("memcpy_4k", memcpy_4k);
    measure("memcpy_1m", memcpy_1m);
    measure("strlen_1k", strlen_1k);
    measure("malloc_free_small", malloc_free_small);
    measure("malloc_free_mixed", malloc_free_mixed);
    measure("snprintf_line", snprintf_line);
    printf("bench-end\n");
    for (int k = 0; k < 256; k++) {
        free(ring[k]);
    }
    return 0;
}
