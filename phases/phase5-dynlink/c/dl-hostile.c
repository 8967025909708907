/* dl-hostile: hostile shared objects and programs for ld-vibix, made from
 * the initramfs's own (/bin/dl-tls, which needs /lib/libdltls.so, and
 * /lib/libdlplug.so) by patching copies in /tmp, then run: each must end
 * with one "ld-vibix: <object>: <what>" line and status 127 (glibc's
 * dynamic linker's status too), or run to its end for a dependency cycle,
 * and the kernel must carry on (the next case runs). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[1 << 20];
static size_t len;

static int load(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n <= 0 || (size_t)n == sizeof buf)
        return -1;
    len = (size_t)n;
    return 0;
}

static int save(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
        return -1;
    return close(fd);
}

/* Replaces the first NUL-terminated string `from` by `to` (not longer). */
static int patch_string(const char *from, const char *to) {
    size_t n = strlen(from) + 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(buf + i, from, n) == 0 && (i == 0 || buf[i - 1] == 0)) {
            memset(buf + i, 0, n);
            memcpy(buf + i, to, strlen(to));
            return 0;
        }
    }
    return -1;
}

static uint64_t u64(size_t at) {
    uint64_t v;
    memcpy(&v, buf + at, 8);
    return v;
}

static void put64(size_t at, uint64_t v) { memcpy(buf + at, &v, 8); }

/* The file offset of the dynamic entry with tag `tag`, or 0. */
static size_t dynamic_entry(uint64_t tag) {
    uint64_t phoff = u64(32);
    uint16_t phnum;
    memcpy(&phnum, buf + 56, 2);
    for (int i = 0; i < phnum; i++) {
        size_t ph = phoff + (size_t)i * 56;
        uint32_t type;
        memcpy(&type, buf + ph, 4);
        if (type != 2) /* PT_DYNAMIC */
            continue;
        for (size_t at = u64(ph + 8); at + 16 <= len && u64(at) != 0; at += 16)
            if (u64(at) == tag)
                return at;
    }
    return 0;
}

/* Runs `prog` with LD_LIBRARY_PATH=`libs`; prints its status and whether
 * its stderr is one ld-vibix line. */
static void run(const char *what, const char *prog, const char *libs) {
    int p[2];
    if (pipe(p) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 2);
        dup2(p[1], 1);
        close(p[0]);
        char env[256];
        snprintf(env, sizeof env, "LD_LIBRARY_PATH=%s", libs);
        char *envp[] = {env, NULL};
        char *argv[] = {(char *)prog, NULL};
        execve(prog, argv, envp);
        _exit(126);
    }
    close(p[1]);
    char out[4096];
    size_t got = 0;
    ssize_t n;
    while (got < sizeof out - 1 && (n = read(p[0], out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)n;
    out[got] = 0;
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    const char *nl = strchr(out, '\n');
    printf("%s: %s %d; message: %.*s\n", what,
           WIFEXITED(status) ? "exit" : "signal",
           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
           nl ? (int)(nl - out) : (int)got, out);
}

#define TRY(x)                                                                 \
    do {                                                                       \
        if ((x) != 0) {                                                        \
            printf("setup failed: %s\n", #x);                                  \
            return 1;                                                          \
        }                                                                      \
    } while (0)

int main(void) {
    mkdir("/tmp/dlh", 0755);
    mkdir("/tmp/dlh/lib", 0755);

    /* A library no directory has. */
    TRY(load("/bin/dl-tls"));
    TRY(patch_string("libdltls.so", "libdltlX.so"));
    TRY(save("/tmp/dlh/missing-library"));
    run("missing library", "/tmp/dlh/missing-library", "/tmp/dlh/lib");

    /* A symbol no object defines. */
    TRY(load("/bin/dl-tls"));
    TRY(patch_string("dltls_bump", "dltls_bumX"));
    TRY(save("/tmp/dlh/missing-symbol"));
    run("missing symbol", "/tmp/dlh/missing-symbol", "/tmp/dlh/lib");

    /* A dynamic section whose string table runs past the object. */
    TRY(load("/lib/libdltls.so"));
    size_t strsz = dynamic_entry(10); /* DT_STRSZ */
    TRY(strsz == 0);
    put64(strsz + 8, 0x7fffffff);
    TRY(save("/tmp/dlh/lib/libdltls.so"));
    run("bad dynamic section", "/bin/dl-tls", "/tmp/dlh/lib");

    /* A relocation whose field lies outside its object. */
    TRY(load("/lib/libdltls.so"));
    size_t rela = dynamic_entry(7); /* DT_RELA: linked at its file offset */
    TRY(rela == 0);
    put64(u64(rela + 8), 0x7ffff000000);
    TRY(save("/tmp/dlh/lib/libdltls.so"));
    run("relocation outside its object", "/bin/dl-tls", "/tmp/dlh/lib");

    /* Not an ELF file at all. */
    TRY(load("/lib/libdltls.so"));
    memcpy(buf, "#!/no", 5);
    TRY(save("/tmp/dlh/lib/libdltls.so"));
    run("not ELF", "/bin/dl-tls", "/tmp/dlh/lib");

    /* A dependency cycle: the program needs libcyca.so, which needs
     * libcycb.so, which needs libcyca.so (copies of libdlplug.so). The
     * loading ends; the program's own symbols are then missing. */
    TRY(load("/lib/libdlplug.so"));
    TRY(patch_string("libvibix_libc.so", "libcycb.so"));
    TRY(save("/tmp/dlh/lib/libcyca.so"));
    TRY(load("/lib/libdlplug.so"));
    TRY(patch_string("libvibix_libc.so", "libcyca.so"));
    TRY(save("/tmp/dlh/lib/libcycb.so"));
    TRY(load("/bin/dl-tls"));
    TRY(patch_string("libdltls.so", "libcyca.so"));
    TRY(save("/tmp/dlh/cycle"));
    run("dependency cycle", "/tmp/dlh/cycle", "/tmp/dlh/lib");

    printf("the kernel carried on: all cases ran\n");
    return 0;
}
