/* The checks of the phase's C test programs (the `c-*.c` files that end
 * with "ok: all checks passed"): CHECK(cond) reports a failed condition
 * with its line and errno, and counts it; checks_done() is main's end. */
#ifndef VIBIX_TEST_CHECK_H
#define VIBIX_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>

static int failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); \
            failures++;                                                      \
        }                                                                    \
    } while (0)

/* main's result: 0 and the line the tests look for, or 1 after the count
 * of failed checks. */
static inline int checks_done(void)
{
    if (failures) {
        printf("%d check(s) failed\n", failures);
        return 1;
    }
    printf("ok: all checks passed\n");
    return 0;
}

#endif
