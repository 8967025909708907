/* c-signal: signal sets, sigaction handlers with siginfo, raise and kill,
   blocking with sigprocmask and delivery when unblocked, SIG_IGN,
   SA_RESETHAND, killing a child, SIGCHLD. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t hits, last_signo, last_code, last_pid, last_status;

static void on_info(int sig, siginfo_t *info, void *ctx) {
    (void)ctx;
    hits++;
    last_signo = info->si_signo == sig ? sig : -1;
    last_code = info->si_code;
    last_pid = info->si_pid;
    if (sig == SIGCHLD)
        last_status = info->si_status;
}

static volatile sig_atomic_t plain_hits;
static void on_plain(int sig) { plain_hits += sig; }

static void test_sets(void) {
    sigset_t s;
    CHECK(sigemptyset(&s) == 0);
    CHECK(sigismember(&s, SIGINT) == 0);
    CHECK(sigaddset(&s, SIGINT) == 0 && sigaddset(&s, SIGTERM) == 0);
    CHECK(sigismember(&s, SIGINT) == 1 && sigismember(&s, SIGTERM) == 1);
    CHECK(sigdelset(&s, SIGINT) == 0 && sigismember(&s, SIGINT) == 0);
    CHECK(sigfillset(&s) == 0);
    CHECK(sigismember(&s, SIGKILL) == 1 && sigismember(&s, SIGRTMAX) == 1);
    errno = 0;
    CHECK(sigaddset(&s, 0) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(sigaddset(&s, 65) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(sigismember(&s, -1) == -1 && errno == EINVAL);
    printf("sets: checked\n");
}

static void test_handlers(void) {
    struct sigaction act, old;
    sigemptyset(&act.sa_mask);
    act.sa_sigaction = on_info;
    act.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &act, &old) == 0);
    CHECK(old.sa_handler == SIG_DFL);
    CHECK(raise(SIGUSR1) == 0);
    printf("raise: %d hit(s), signo ok %d, si_code is SI_TKILL %d, si_pid is ours %d\n", hits,
           last_signo == SIGUSR1, last_code == SI_TKILL, last_pid == getpid());
    CHECK(kill(getpid(), SIGUSR1) == 0);
    printf("kill: %d hit(s), si_code is SI_USER %d, si_pid is ours %d\n", hits,
           last_code == SI_USER, last_pid == getpid());
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0);
    CHECK(old.sa_sigaction == on_info && (old.sa_flags & SA_SIGINFO));

    /* Blocked: held pending, delivered once unblocked. */
    sigset_t block, prev, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &block, &prev) == 0);
    CHECK(sigismember(&prev, SIGUSR1) == 0);
    hits = 0;
    CHECK(raise(SIGUSR1) == 0);
    CHECK(raise(SIGUSR1) == 0);
    printf("blocked: %d hit(s) while blocked\n", hits);
    CHECK(pthread_sigmask(SIG_BLOCK, NULL, &now) == 0);
    CHECK(sigismember(&now, SIGUSR1) == 1);
    CHECK(sigprocmask(SIG_SETMASK, &prev, NULL) == 0);
    printf("unblocked: %d hit(s) (standard signals do not queue)\n", hits);
    CHECK(hits == 1);
    errno = 0;
    CHECK(sigprocmask(12345, &block, NULL) == -1 && errno == EINVAL);
    CHECK(pthread_sigmask(12345, &block, NULL) == EINVAL);

    /* signal(): SIG_IGN, then back. */
    CHECK(signal(SIGUSR2, SIG_IGN) == SIG_DFL);
    CHECK(raise(SIGUSR2) == 0);
    CHECK(signal(SIGUSR2, on_plain) == SIG_IGN);
    CHECK(raise(SIGUSR2) == 0);
    CHECK(signal(SIGUSR2, SIG_DFL) == on_plain);
    printf("SIG_IGN: survived; plain handler saw %d\n", (int)plain_hits);
    CHECK(plain_hits == SIGUSR2);
    errno = 0;
    CHECK(signal(0, SIG_IGN) == SIG_ERR && errno == EINVAL);
    errno = 0;
    CHECK(sigaction(SIGKILL, &act, NULL) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(sigaction(99, NULL, &old) == -1 && errno == EINVAL);

    /* SA_RESETHAND: the handler runs once, then the default is back. */
    act.sa_handler = on_plain;
    act.sa_flags = SA_RESETHAND;
    CHECK(sigaction(SIGUSR2, &act, NULL) == 0);
    plain_hits = 0;
    CHECK(raise(SIGUSR2) == 0);
    CHECK(sigaction(SIGUSR2, NULL, &old) == 0);
    printf("SA_RESETHAND: handler ran %d, reset to default %d\n", plain_hits == SIGUSR2,
           old.sa_handler == SIG_DFL);
}

static char alt_stack[65536];
static volatile sig_atomic_t on_alt;
static void on_alt_handler(int sig) {
    char here;
    (void)sig;
    on_alt = &here >= alt_stack && &here < alt_stack + sizeof alt_stack;
}

static void test_altstack(void) {
    stack_t ss, old;
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    ss.ss_flags = 0;
    CHECK(sigaltstack(&ss, &old) == 0);
    struct sigaction act;
    sigemptyset(&act.sa_mask);
    act.sa_handler = on_alt_handler;
    act.sa_flags = SA_ONSTACK;
    CHECK(sigaction(SIGUSR1, &act, NULL) == 0);
    CHECK(raise(SIGUSR1) == 0);
    printf("SA_ONSTACK: handler ran on the alternate stack %d\n", (int)on_alt);
    CHECK(on_alt == 1);
    CHECK(sigaltstack(NULL, &old) == 0);
    CHECK(old.ss_sp == alt_stack && old.ss_size == sizeof alt_stack && old.ss_flags == 0);
    ss.ss_size = 16;
    errno = 0;
    CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM);
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0);
    act.sa_handler = SIG_DFL;
    act.sa_flags = 0;
    CHECK(sigaction(SIGUSR1, &act, NULL) == 0);
}

static void test_children(void) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (;;) {
            struct timespec t = {1, 0};
            nanosleep(&t, NULL);
        }
    }
    CHECK(child > 0);
    CHECK(kill(child, SIGTERM) == 0);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    printf("kill child: signaled %d, by SIGTERM %d\n", WIFSIGNALED(status),
           WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    errno = 0;
    CHECK(kill(child, 0) == -1 && errno == ESRCH);

    struct sigaction act;
    sigemptyset(&act.sa_mask);
    act.sa_sigaction = on_info;
    act.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGCHLD, &act, NULL) == 0);
    hits = 0;
    fflush(stdout);
    child = fork();
    if (child == 0)
        _exit(7);
    CHECK(child > 0);
    CHECK(waitpid(child, &status, 0) == child);
    printf("exit 7: exited %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    printf("SIGCHLD: %d hit(s), from the child %d, CLD_EXITED %d, status %d\n", hits,
           last_pid == child, last_code == CLD_EXITED, last_status);
    CHECK(hits == 1 && last_status == 7);
}

int main(void) {
    test_sets();
    test_handlers();
    test_altstack();
    test_children();
    return checks_done();
}
