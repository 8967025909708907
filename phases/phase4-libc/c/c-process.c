/* c-process: processes through the POSIX calls: fork, the exec family
 * (the program runs itself again with arguments, `child-*` modes below),
 * waitpid/wait/wait4 with exit statuses and the W* macros, pipes and
 * dup2 to redirect a child's output, posix_spawn with file actions, poll,
 * and the ids. Output is flushed
 * before every fork so that no buffered text is printed twice. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char *self;

/* What the program does when it was started by one of the exec calls. */
static int child_mode(int argc, char **argv)
{
    if (strcmp(argv[1], "child-exit") == 0) {
        /* argv[2] is the status to exit with. */
        int code = 0;
        for (const char *p = argv[2]; *p; p++)
            code = code * 10 + (*p - '0');
        printf("child: exiting with %d (argc %d)\n", code, argc);
        fflush(stdout);
        return code;
    }
    if (strcmp(argv[1], "child-env") == 0) {
        const char *v = getenv("C_PROCESS_VAR");
        printf("child: C_PROCESS_VAR=%s\n", v ? v : "(unset)");
        fflush(stdout);
        return 0;
    }
    if (strcmp(argv[1], "child-args") == 0) {
        printf("child: args");
        for (int i = 2; i < argc; i++)
            printf(" [%s]", argv[i]);
        printf("\n");
        fflush(stdout);
        return argc;
    }
    printf("child: unknown mode %s\n", argv[1]);
    return 99;
}

/* Waits for `pid` and prints how it ended. */
static int reap(pid_t pid, const char *what)
{
    int status = -1;
    pid_t r = waitpid(pid, &status, 0);
    CHECK(r == pid);
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: status %x\n", what, status);
    return status;
}

static void fork_and_wait(void)
{
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(3);
    int status = reap(pid, "fork+_exit(3)");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3 && !WIFSIGNALED(status));

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        volatile int *nowhere = (volatile int *)16;
        *nowhere = 1;
        _exit(0);
    }
    status = reap(pid, "fork+segfault");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == 11 && !WIFEXITED(status));

    /* The child sees its own pid, and its parent's. */
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t parent = getpid();
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        pid_t ids[2] = {getpid(), getppid()};
        write(p[1], ids, sizeof ids);
        _exit(0);
    }
    close(p[1]);
    pid_t ids[2] = {0, 0};
    CHECK(read(p[0], ids, sizeof ids) == sizeof ids);
    close(p[0]);
    printf("child pid is fork's result: %d, parent is us: %d\n", ids[0] == pid, ids[1] == parent);
    reap(pid, "id child");

    /* wait(), wait4() with rusage, and no children left: ECHILD. */
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(5);
    int st;
    CHECK(wait(&st) == pid && WEXITSTATUS(st) == 5);
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(6);
    struct rusage ru;
    CHECK(wait4(pid, &st, 0, &ru) == pid && WEXITSTATUS(st) == 6);
    errno = 0;
    CHECK(waitpid(-1, &st, 0) == -1 && errno == ECHILD);
    errno = 0;
    CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
    printf("wait, wait4, ECHILD: ok\n");
}

static void wnohang(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        /* Blocks until the parent closes its end. */
        _exit(read(p[0], &c, 1) == 0 ? 7 : 8);
    }
    close(p[0]);
    int st = -1;
    printf("WNOHANG while running: %d\n", waitpid(pid, &st, WNOHANG));
    close(p[1]);
    st = reap(pid, "pipe reader");
    CHECK(WEXITSTATUS(st) == 7);
}

static void redirect_and_exec(void)
{
    /* The child's stdout goes into a pipe; the parent reads it. */
    int p[2];
    CHECK(pipe(p) == 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        CHECK(dup2(p[1], 1) == 1);
        close(p[1]);
        char *args[] = {self, "child-exit", "42", NULL};
        execv(self, args);
        _exit(100);
    }
    close(p[1]);
    char buf[256];
    int n = 0, r;
    while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
        n += r;
    buf[n] = 0;
    close(p[0]);
    printf("captured: %s", buf);
    int st = reap(pid, "execv child");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);

    /* execl, execle with an environment, execvp with a path. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execl(self, self, "child-args", "one", "two", (char *)NULL);
        _exit(100);
    }
    reap(pid, "execl child");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *env[] = {"C_PROCESS_VAR=from-execle", NULL};
        execle(self, self, "child-env", (char *)NULL, env);
        _exit(100);
    }
    reap(pid, "execle child");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *args[] = {self, "child-args", "", "x y", NULL};
        execvp(self, args);
        _exit(100);
    }
    reap(pid, "execvp child");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *args[] = {self, "child-env", NULL};
        char *env[] = {"C_PROCESS_VAR=from-execve", "OTHER=1", NULL};
        execve(self, args, env);
        _exit(100);
    }
    reap(pid, "execve child");

    /* Failures return -1 with errno. */
    char *none[] = {"x", NULL};
    errno = 0;
    CHECK(execv("/no/such/program", none) == -1 && errno == ENOENT);
    errno = 0;
    CHECK(execvp("no-such-program-c-process", none) == -1 && errno == ENOENT);
    errno = 0;
    CHECK(execv("/", none) == -1 && errno == EACCES);
    printf("exec errors: ok\n");
}

extern char **environ;

static void spawning(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    posix_spawn_file_actions_t fa;
    CHECK(posix_spawn_file_actions_init(&fa) == 0);
    CHECK(posix_spawn_file_actions_adddup2(&fa, p[1], 1) == 0);
    CHECK(posix_spawn_file_actions_addclose(&fa, p[0]) == 0);
    char *args[] = {self, "child-args", "spawned", NULL};
    pid_t pid = -1;
    fflush(stdout);
    CHECK(posix_spawn(&pid, self, &fa, NULL, args, environ) == 0);
    close(p[1]);
    char buf[128];
    int n = 0, r;
    while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
        n += r;
    buf[n] = 0;
    close(p[0]);
    printf("spawned child said: %s", buf);
    int st = reap(pid, "posix_spawn child");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
    CHECK(posix_spawn_file_actions_destroy(&fa) == 0);

    char *none[] = {"x", NULL};
    pid = -1;
    int e = posix_spawn(&pid, "/no/such/program", NULL, NULL, none, environ);
    printf("posix_spawn missing: %s\n", e == ENOENT ? "ENOENT" : "other");
    e = posix_spawnp(&pid, "no-such-program-c-process", NULL, NULL, none, environ);
    printf("posix_spawnp missing: %s\n", e == ENOENT ? "ENOENT" : "other");
    posix_spawnattr_t at;
    CHECK(posix_spawnattr_init(&at) == 0);
    CHECK(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK) == 0);
    short flags = 0;
    CHECK(posix_spawnattr_getflags(&at, &flags) == 0 && flags == POSIX_SPAWN_SETSIGMASK);
    CHECK(posix_spawnattr_destroy(&at) == 0);
}

static void pipes_and_poll(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    struct pollfd fds[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    int r = poll(fds, 1, 0);
    printf("poll empty pipe: %d revents %d\n", r, fds[0].revents);
    r = poll(fds, 2, 0);
    printf("poll write end: %d revents %d\n", r, fds[1].revents);
    CHECK(write(p[1], "data", 4) == 4);
    r = poll(fds, 1, -1);
    printf("poll after write: %d revents %d\n", r, fds[0].revents);
    /* Redirect our own stdout into the pipe and back. */
    fflush(stdout);
    int saved = dup(1);
    CHECK(dup2(p[1], 1) == 1);
    CHECK(write(1, "+more", 5) == 5);
    CHECK(dup2(saved, 1) == 1);
    close(saved);
    close(p[1]);
    char buf[16] = {0};
    CHECK(read(p[0], buf, sizeof buf - 1) == 9);
    printf("pipe held: %s\n", buf);
    r = poll(fds, 1, 0);
    printf("poll after writer closed: %d hup %d\n", r, (fds[0].revents & POLLHUP) != 0);
    close(p[0]);
    errno = 0;
    CHECK(pipe2(p, 0x12345) == -1 && errno == EINVAL);
}

static void macros(void)
{
    printf("exited 0x0300: %d %d\n", !!WIFEXITED(0x0300), WEXITSTATUS(0x0300));
    printf("signaled 0x000b: %d %d %d\n", !!WIFSIGNALED(0x000b), WTERMSIG(0x000b), !!WIFEXITED(0x000b));
    printf("core 0x008b: %d %d\n", !!WCOREDUMP(0x008b), !!WCOREDUMP(0x000b));
    printf("stopped 0x137f: %d %d %d\n", !!WIFSTOPPED(0x137f), WSTOPSIG(0x137f), !!WIFSIGNALED(0x137f));
    printf("continued 0xffff: %d %d\n", !!WIFCONTINUED(0xffff), !!WIFEXITED(0xffff));
    printf("exited 0xff00: %d\n", WEXITSTATUS(0xff00));
}

static void ids(void)
{
    CHECK(getpid() > 0);
    CHECK(getppid() >= 0);
    CHECK(gettid() == getpid());
    CHECK(getuid() == geteuid() && getgid() == getegid());
    CHECK(sleep(0) == 0);
    CHECK(usleep(1000) == 0);
    printf("ids: ok\n");
}

int main(int argc, char **argv)
{
    /* The file this process runs, for running it again: AT_EXECFN, the
       path execve was given (argv[0] is what the runner names it, which
       on the host is not where the file is). */
    self = (char *)getauxval(AT_EXECFN);
    if (argc > 1)
        return child_mode(argc, argv);
    ids();
    macros();
    fork_and_wait();
    wnohang();
    redirect_and_exec();
    spawning();
    pipes_and_poll();
    return checks_done();
}
