/* dl-hello: a C program linked dynamically against the C library (on
 * vibix libvibix_libc.so, started by /lib/ld-vibix.so; on Linux glibc's
 * libc.so.6). It uses what a dynamic program reaches through the library:
 * stdio (the library's `stdout`, a copy relocation in a non-PIE program),
 * errno (the library's TLS), the environment, a constructor and a
 * destructor (run by the dynamic linker), and its exit status.
 * dl-hello-static.c is the same program, linked statically. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int constructed;

__attribute__((constructor)) static void before_main(void) { constructed = 1; }

__attribute__((destructor)) static void after_exit(void) {
    printf("destructor: ran after main returned\n");
}

int main(int argc, char **argv) {
    printf("hello from a %s program\n", argc > 1 ? argv[1] : "C");
    printf("constructor ran before main: %s\n", constructed ? "yes" : "no");
    errno = 0;
    FILE *f = fopen("/no/such/file", "r");
    printf("fopen of a missing file: %s, errno %s\n", f ? "opened" : "NULL",
           errno == ENOENT ? "ENOENT" : strerror(errno));
    const char *home = getenv("HOME");
    printf("HOME=%s\n", home ? home : "(unset)");
    fflush(stdout);
    fprintf(stderr, "to stderr\n");
    return 3;
}
