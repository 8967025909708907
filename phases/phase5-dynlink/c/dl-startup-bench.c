/* dl-startup-bench: phase 5's benchmark for `cargo runner bench`, the
 * start-up of a program: fork + execve + wait4 of a static C hello and of
 * the same program linked dynamically (its dynamic linker loads the C
 * library and relocates both before main). Built for vibix against the
 * sysroot and for Linux against glibc; on each system it runs that
 * system's builds of the two programs.
 *
 * The harness is c-bench's (phases/phase4-libc/c/c-bench.c): dir=PATH and
 * exe=PATH (accepted, unused), ms=N, quick, only=SUBSTR, and the lines
 * "bench <item> - <total_ns> <ops>" between "bench-start" and
 * "bench-end". static=PATH and dynamic=PATH name the two programs
 * (default /bin/dl-hello-static and /bin/dl-hello, the programs the phase
 * builds from c/static/dl-hello-static.c and c/dynamic/dl-hello.c). Their
 * output goes to /dev/null; each must exit with status 3, dl-hello's own
 * (its test checks that the status crosses the dynamic linker). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* dl-hello's exit status (c/dynamic/dl-hello.c). */
#define HELLO_STATUS 3

static uint64_t target_ns = 100 * 1000 * 1000;
static int quick;
static const char *only;
static const char *static_path = "/bin/dl-hello-static";
static const char *dynamic_path = "/bin/dl-hello";
static const char *running;
static int devnull;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* One start-up of `running`: fork, execve, wait4; exits on any failure. */
static void start_once(void) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("dl-startup-bench: fork");
        exit(1);
    }
    if (pid == 0) {
        dup2(devnull, 1);
        dup2(devnull, 2);
        char *argv[] = {(char *)running, NULL};
        char *envp[] = {"HOME=/", NULL};
        execve(running, argv, envp);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != HELLO_STATUS) {
        fprintf(stderr, "dl-startup-bench: %s did not exit with status %d (wait status %#x)\n",
                running, HELLO_STATUS, (unsigned)status);
        exit(1);
    }
}

static uint64_t timed(uint64_t n) {
    uint64_t start = now_ns();
    for (uint64_t i = 0; i < n; i++) {
        start_once();
    }
    return now_ns() - start;
}

/* Calibrates n start-ups of `path` and prints the item's line. */
static void measure(const char *name, const char *path) {
    if (only && !strstr(name, only)) {
        return;
    }
    running = path;
    uint64_t total, iters;
    if (quick) {
        total = timed(1);
        iters = 1;
    } else {
        uint64_t n = 1, t = timed(1);
        while (t < target_ns / 4 && n < (1ull << 20)) {
            n *= 2;
            t = timed(n);
        }
        uint64_t m = (uint64_t)((unsigned __int128)n * target_ns / (t ? t : 1));
        if (m < 1) {
            m = 1;
        }
        uint64_t best = t * m / n;
        for (int k = 0; k < 3; k++) {
            uint64_t r = timed(m);
            best = r < best ? r : best;
        }
        total = best;
        iters = m;
    }
    printf("bench %s - %llu %llu\n", name, (unsigned long long)total, (unsigned long long)iters);
    fflush(stdout);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "dir=", 4) == 0 || strncmp(a, "exe=", 4) == 0) {
            /* the programs are static= and dynamic= */
        } else if (strcmp(a, "quick") == 0) {
            quick = 1;
        } else if (strncmp(a, "ms=", 3) == 0 && a[3] >= '0' && a[3] <= '9') {
            target_ns = strtoull(a + 3, NULL, 10) * 1000000u;
        } else if (strncmp(a, "only=", 5) == 0) {
            only = a + 5;
        } else if (strncmp(a, "static=", 7) == 0) {
            static_path = a + 7;
        } else if (strncmp(a, "dynamic=", 8) == 0) {
            dynamic_path = a + 8;
        } else {
            fprintf(stderr,
                    "dl-startup-bench: unknown argument \"%s\"; arguments: dir=PATH exe=PATH "
                    "ms=N quick only=SUBSTR static=PATH dynamic=PATH\n",
                    a);
            return 2;
        }
    }
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0) {
        perror("dl-startup-bench: /dev/null");
        return 1;
    }
    printf("bench-start\n");
    fflush(stdout);
    measure("startup_static_c", static_path);
    measure("startup_dynamic_c", dynamic_path);
    printf("bench-end\n");
    return 0;
}
