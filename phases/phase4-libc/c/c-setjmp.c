/* c-setjmp: <setjmp.h>: setjmp/longjmp (0 becomes 1, from deep calls,
 * volatile locals kept), _setjmp/_longjmp, and sigsetjmp/siglongjmp
 * restoring the signal mask only when asked (setjmp does not save it, as
 * in glibc). Prints a line per failed check, then "ok: all checks
 * passed". */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

#include "check.h"

static jmp_buf env;
static sigjmp_buf senv;
static int depth_reached;

static void dive(int depth, int val)
{
    volatile char pad[128];
    pad[0] = (char)depth;
    if (depth == 0) {
        depth_reached = 1;
        longjmp(env, val);
    }
    dive(depth - 1, val + pad[0] * 0);
}

static int blocked(int sig)
{
    sigset_t now;
    sigemptyset(&now);
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, sig);
}

static void block(int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_BLOCK, &s, NULL);
}

static void unblock(int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int main(void)
{
    volatile int count = 0;
    int r;

    CHECK(sizeof(jmp_buf) == 200 && sizeof(sigjmp_buf) == 200);

    r = setjmp(env);
    count++;
    if (r == 0)
        longjmp(env, 0);
    CHECK(r == 1 && count == 2);

    count = 0;
    r = setjmp(env);
    count++;
    if (r == 0)
        dive(50, 42);
    CHECK(r == 42 && count == 2 && depth_reached);

    count = 0;
    r = _setjmp(env);
    if (count++ < 5)
        _longjmp(env, count);
    CHECK(r == 5 && count == 6);

    /* sigsetjmp(…, 1) saves the mask and siglongjmp restores it. */
    unblock(SIGUSR1);
    r = sigsetjmp(senv, 1);
    if (r == 0) {
        block(SIGUSR1);
        CHECK(blocked(SIGUSR1));
        siglongjmp(senv, 7);
    }
    CHECK(r == 7 && !blocked(SIGUSR1));

    /* sigsetjmp(…, 0) does not. */
    unblock(SIGUSR2);
    r = sigsetjmp(senv, 0);
    if (r == 0) {
        block(SIGUSR2);
        siglongjmp(senv, 1);
    }
    CHECK(r == 1 && blocked(SIGUSR2));
    unblock(SIGUSR2);

    /* Nor does setjmp. */
    r = setjmp(env);
    if (r == 0) {
        block(SIGUSR1);
        longjmp(env, 3);
    }
    CHECK(r == 3 && blocked(SIGUSR1));
    unblock(SIGUSR1);

    return checks_done();
}
