/* c-files: files and directories through the POSIX calls: open, read,
 * write, lseek, pread/pwrite, stat/lstat/fstat, mkdir, rename, links,
 * unlink/rmdir, truncation, permissions, fcntl, a directory listing
 * (readdir, sorted here; scandir with alphasort; telldir/seekdir; a large
 * directory read in several pieces), mkstemp, realpath, flock, ioctl,
 * getentropy, pathconf, mmap of a file, the working directory, FIFOs and
 * device nodes (mkfifo, mknod), and the errors Linux gives for each. Everything happens in ./tmp-c-files,
 * removed at the end. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"

#define D "tmp-c-files"


/* The name of an error number this test expects. */
static const char *en(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ESPIPE: return "ESPIPE";
    case ERANGE: return "ERANGE";
    case EACCES: return "EACCES";
    case EWOULDBLOCK: return "EWOULDBLOCK";
    case ENOTTY: return "ENOTTY";
    case EIO: return "EIO";
    case EPERM: return "EPERM";
    case ENXIO: return "ENXIO";
    default: return "other";
    }
}

/* Expects `r` to be -1 with errno `e`, and prints it. */
#define FAILS(what, call, e)                                               \
    do {                                                                   \
        errno = 0;                                                         \
        long r_ = (long)(call);                                            \
        printf("%s: %ld %s\n", what, r_, en(errno));                       \
        CHECK(r_ == -1 && errno == (e));                                   \
    } while (0)

static void cleanup(void)
{
    static const char *files[] = {D "/a", D "/b", D "/c", D "/hard", D "/sym", D "/dangling",
                                  D "/z", D "/m", D "/a2", D "/sub/inner",
                                  D "/fifo", D "/fifo2", D "/fifo3", D "/chr", D "/blk",
                                  D "/reg", NULL};
    for (int i = 0; files[i]; i++)
        unlink(files[i]);
    rmdir(D "/sub");
    rmdir(D "/empty");
    rmdir(D);
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    CHECK(close(fd) == 0);
}

static void read_write_seek(void)
{
    char buf[32];
    int fd = open(D "/a", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello, world\n", 13) == 13);
    CHECK(close(fd) == 0);

    fd = open(D "/a", O_RDONLY);
    CHECK(fd >= 0);
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, 5) == 5);
    printf("read 5: %s\n", buf);
    printf("lseek cur: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    printf("lseek end-6: %ld\n", (long)lseek(fd, -6, SEEK_END));
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == 6);
    printf("read rest: %s", buf);
    printf("read at eof: %ld\n", (long)read(fd, buf, sizeof buf));
    memset(buf, 0, sizeof buf);
    CHECK(pread(fd, buf, 4, 7) == 4);
    printf("pread 4 at 7: %s\n", buf);
    printf("offset after pread: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    FAILS("lseek -1", lseek(fd, -1, SEEK_SET), EINVAL);
    FAILS("lseek whence 9", lseek(fd, 0, 9), EINVAL);
    FAILS("write to read-only", write(fd, "x", 1), EBADF);
    CHECK(close(fd) == 0);
    FAILS("close twice", close(fd), EBADF);
    FAILS("read bad fd", read(-1, buf, 1), EBADF);

    /* pwrite past the end leaves a hole of zeros; vectored I/O. */
    fd = open(D "/a", O_RDWR);
    CHECK(pwrite(fd, "!", 1, 20) == 1);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    printf("size after pwrite at 20: %ld\n", (long)st.st_size);
    CHECK(pread(fd, buf, 8, 13) == 8);
    CHECK(buf[0] == 0 && buf[6] == 0 && buf[7] == '!');
    struct iovec iov[2] = {{"ab", 2}, {"cde", 3}};
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(writev(fd, iov, 2) == 5);
    char x[3] = {0}, y[3] = {0};
    struct iovec in[2] = {{x, 2}, {y, 2}};
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(readv(fd, in, 2) == 4);
    printf("readv: %s %s\n", x, y);
    CHECK(ftruncate(fd, 4) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
    CHECK(fsync(fd) == 0);
    CHECK(close(fd) == 0);
    CHECK(truncate(D "/a", 13) == 0);
    CHECK(stat(D "/a", &st) == 0 && st.st_size == 13);
    FAILS("truncate missing", truncate(D "/missing", 1), ENOENT);
}

static void open_errors(void)
{
    FAILS("open missing", open(D "/missing", O_RDONLY), ENOENT);
    FAILS("open O_EXCL existing", open(D "/a", O_WRONLY | O_CREAT | O_EXCL, 0600), EEXIST);
    FAILS("open dir for writing", open(D, O_WRONLY), EISDIR);
    FAILS("open through a file", open(D "/a/x", O_RDONLY), ENOTDIR);
    FAILS("O_DIRECTORY on a file", open(D "/a", O_RDONLY | O_DIRECTORY), ENOTDIR);
    FAILS("creat in missing dir", creat(D "/nodir/x", 0600), ENOENT);
    int fd = creat(D "/c", 0600);
    CHECK(fd >= 0);
    FAILS("read from creat'ed", read(fd, &fd, 1), EBADF);
    CHECK(close(fd) == 0);
    int dfd = open(D, O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    fd = openat(dfd, "a", O_RDONLY);
    CHECK(fd >= 0);
    close(fd);
    FAILS("openat bad dirfd", openat(-1, "a", O_RDONLY), EBADF);
    close(dfd);
}

static void status(void)
{
    struct stat st;
    umask(022);
    CHECK(stat(D "/a", &st) == 0);
    printf("a: reg=%d dir=%d size=%ld mode=%o nlink=%ld\n", S_ISREG(st.st_mode),
           S_ISDIR(st.st_mode), (long)st.st_size, st.st_mode & 07777, (long)st.st_nlink);
    CHECK(stat(D, &st) == 0);
    printf("dir: reg=%d dir=%d\n", S_ISREG(st.st_mode), S_ISDIR(st.st_mode));
    FAILS("stat missing", stat(D "/missing", &st), ENOENT);
    FAILS("stat through a file", stat(D "/a/x", &st), ENOTDIR);
    FAILS("stat empty path", stat("", &st), ENOENT);
    FAILS("fstat bad fd", fstat(99, &st), EBADF);

    CHECK(mkdir(D "/sub", 0755) == 0);
    FAILS("mkdir existing", mkdir(D "/sub", 0755), EEXIST);
    FAILS("mkdir missing parent", mkdir(D "/no/sub", 0755), ENOENT);
    CHECK(stat(D "/sub", &st) == 0);
    printf("sub mode: %o\n", st.st_mode & 07777);
    CHECK(chmod(D "/a", 0600) == 0);
    CHECK(stat(D "/a", &st) == 0);
    printf("after chmod: %o\n", st.st_mode & 07777);
    int fd = open(D "/a", O_RDONLY);
    CHECK(fchmod(fd, 0640) == 0);
    CHECK(fstat(fd, &st) == 0);
    printf("after fchmod: %o\n", st.st_mode & 07777);
    close(fd);
    FAILS("chmod missing", chmod(D "/missing", 0600), ENOENT);

    CHECK(access(D "/a", F_OK) == 0);
    CHECK(access(D "/a", R_OK | W_OK) == 0);
    FAILS("access missing", access(D "/missing", F_OK), ENOENT);
    CHECK(access(D "/sub", X_OK) == 0);
    CHECK(faccessat(AT_FDCWD, D "/a", R_OK, 0) == 0);

    /* Times: set both, read back. */
    struct timespec ts[2] = {{1000000, 0}, {2000000, 500}};
    CHECK(utimensat(AT_FDCWD, D "/a", ts, 0) == 0);
    CHECK(stat(D "/a", &st) == 0);
    printf("mtime: %ld\n", (long)st.st_mtime);
}

static void names(void)
{
    struct stat st;
    char buf[64];
    CHECK(rename(D "/a", D "/b") == 0);
    FAILS("stat renamed-away", stat(D "/a", &st), ENOENT);
    CHECK(stat(D "/b", &st) == 0);
    CHECK(link(D "/b", D "/hard") == 0);
    CHECK(stat(D "/b", &st) == 0);
    printf("nlink after link: %ld\n", (long)st.st_nlink);
    FAILS("link existing", link(D "/b", D "/hard"), EEXIST);
    CHECK(symlink("b", D "/sym") == 0);
    CHECK(symlink("nowhere", D "/dangling") == 0);
    CHECK(lstat(D "/sym", &st) == 0);
    printf("lstat sym: lnk=%d\n", S_ISLNK(st.st_mode));
    CHECK(stat(D "/sym", &st) == 0);
    printf("stat sym: reg=%d\n", S_ISREG(st.st_mode));
    FAILS("stat dangling", stat(D "/dangling", &st), ENOENT);
    ssize_t n = readlink(D "/sym", buf, sizeof buf);
    CHECK(n == 1);
    buf[n > 0 ? n : 0] = 0;
    printf("readlink: %s\n", buf);
    FAILS("readlink of a file", readlink(D "/b", buf, sizeof buf), EINVAL);
    FAILS("unlink dir", unlink(D "/sub"), EISDIR);
    FAILS("unlink missing", unlink(D "/missing"), ENOENT);
    write_file(D "/sub/inner", "x");
    FAILS("rmdir non-empty", rmdir(D "/sub"), ENOTEMPTY);
    FAILS("rmdir file", rmdir(D "/b"), ENOTDIR);
    CHECK(mkdir(D "/empty", 0700) == 0);
    CHECK(rmdir(D "/empty") == 0);
    CHECK(unlinkat(AT_FDCWD, D "/hard", 0) == 0);
    CHECK(mkdir(D "/empty", 0700) == 0);
    CHECK(unlinkat(AT_FDCWD, D "/empty", AT_REMOVEDIR) == 0);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void listing(void)
{
    write_file(D "/z", "");
    write_file(D "/m", "");
    write_file(D "/a2", "");
    DIR *dir = opendir(D);
    CHECK(dir != NULL);
    if (!dir)
        return;
    char *names[32];
    int n = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(dir)) != NULL && n < 32) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *copy = malloc(strlen(e->d_name) + 8);
        strcpy(copy, e->d_name);
        const char *kind = e->d_type == DT_DIR ? " dir" : e->d_type == DT_LNK ? " lnk"
                         : e->d_type == DT_REG ? " reg" : " ?";
        memcpy(copy + strlen(copy), kind, strlen(kind) + 1);
        names[n++] = copy;
    }
    CHECK(errno == 0);
    qsort(names, n, sizeof names[0], by_name);
    printf("listing:");
    for (int i = 0; i < n; i++)
        printf(" [%s]", names[i]);
    printf("\n");
    for (int i = 0; i < n; i++)
        free(names[i]);
    CHECK(dirfd(dir) >= 0);
    rewinddir(dir);
    int again = 0;
    while (readdir(dir))
        again++;
    printf("entries after rewind: %d\n", again);
    CHECK(closedir(dir) == 0);

    struct dirent **list;
    int count = scandir(D, &list, NULL, alphasort);
    printf("scandir:");
    for (int i = 0; i < count; i++) {
        printf(" %s", list[i]->d_name);
        free(list[i]);
    }
    printf("\n");
    free(list);
    errno = 0;
    CHECK(opendir(D "/missing") == NULL && errno == ENOENT);
    errno = 0;
    CHECK(opendir(D "/b") == NULL && errno == ENOTDIR);
    printf("opendir errors: ok\n");
}

static void big_directory(void)
{
    char name[128];
    CHECK(mkdir(D "/big", 0755) == 0);
    for (int i = 0; i < 150; i++) {
        memcpy(name, D "/big/", strlen(D "/big/"));
        char *p = name + strlen(D "/big/");
        memcpy(p, "a-file-with-a-fairly-long-name-number-", 38);
        p += 38;
        p[0] = '0' + i / 100;
        p[1] = '0' + i / 10 % 10;
        p[2] = '0' + i % 10;
        p[3] = 0;
        write_file(name, "");
    }
    DIR *dir = opendir(D "/big");
    CHECK(dir != NULL);
    if (!dir)
        return;
    int n = 0, sum = 0;
    struct dirent *e;
    long second_pos = -1;
    char second[256] = "";
    while ((e = readdir(dir)) != NULL) {
        n++;
        if (e->d_name[0] == 'a')
            sum += (e->d_name[38] - '0') * 100 + (e->d_name[39] - '0') * 10 + (e->d_name[40] - '0');
        if (n == 1)
            second_pos = telldir(dir);
        if (n == 2)
            strcpy(second, e->d_name);
    }
    printf("big directory: %d entries, sum %d\n", n, sum);
    seekdir(dir, second_pos);
    e = readdir(dir);
    CHECK(e != NULL && strcmp(e->d_name, second) == 0);
    CHECK(closedir(dir) == 0);
    for (int i = 0; i < 150; i++) {
        memcpy(name, D "/big/", strlen(D "/big/"));
        char *p = name + strlen(D "/big/");
        memcpy(p, "a-file-with-a-fairly-long-name-number-", 38);
        p += 38;
        p[0] = '0' + i / 100;
        p[1] = '0' + i / 10 % 10;
        p[2] = '0' + i % 10;
        p[3] = 0;
        CHECK(unlink(name) == 0);
    }
    CHECK(rmdir(D "/big") == 0);
}

static void more(void)
{
    char *cwd = getcwd(NULL, 0);
    char buf[4096];
    CHECK(realpath(D "/sub/../sym", buf) == buf);
    CHECK(strncmp(buf, cwd, strlen(cwd)) == 0);
    /* The part below the working directory, with its '/' (in "/", the
       root itself is that '/'). */
    printf("realpath: ...%s\n", buf + (strcmp(cwd, "/") == 0 ? 0 : strlen(cwd)));
    FAILS("realpath missing", realpath(D "/missing/x", buf) ? 0 : -1, ENOENT);
    FAILS("realpath through a file", realpath(D "/b/", buf) ? 0 : -1, ENOTDIR);
    char *r = realpath(".", NULL);
    CHECK(r != NULL && strcmp(r, cwd) == 0);
    free(r);
    free(cwd);

    int a = open(D "/b", O_RDONLY), b = open(D "/b", O_RDONLY);
    CHECK(flock(a, LOCK_EX) == 0);
    FAILS("flock conflicting", flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
    CHECK(flock(a, LOCK_UN) == 0 && flock(b, LOCK_SH | LOCK_NB) == 0);
    struct winsize ws;
    FAILS("TIOCGWINSZ on a file", ioctl(a, TIOCGWINSZ, &ws), ENOTTY);
    /* Every descriptor answers FIONBIO, FIOCLEX and FIONCLEX (Rust's std
       sets a pipe non-blocking with FIONBIO). */
    int on = 1, off = 0;
    CHECK(ioctl(a, FIONBIO, &on) == 0 && (fcntl(a, F_GETFL) & O_NONBLOCK) != 0);
    CHECK(ioctl(a, FIONBIO, &off) == 0 && (fcntl(a, F_GETFL) & O_NONBLOCK) == 0);
    CHECK(ioctl(a, FIOCLEX) == 0 && fcntl(a, F_GETFD) == FD_CLOEXEC);
    CHECK(ioctl(a, FIONCLEX) == 0 && fcntl(a, F_GETFD) == 0);
    FAILS("FIONBIO on a bad descriptor", ioctl(-1, FIONBIO, &on), EBADF);
    close(a);
    close(b);

    unsigned char rnd[32] = {0};
    CHECK(getentropy(rnd, sizeof rnd) == 0);
    FAILS("getentropy 257", getentropy(buf, 257), EIO);
    CHECK(pathconf(D, _PC_NAME_MAX) == 255 && pathconf(D, _PC_PATH_MAX) == 4096);
    FAILS("pathconf missing", pathconf(D "/missing", _PC_NAME_MAX), ENOENT);
    FAILS("fpathconf bad fd", fpathconf(-1, _PC_NAME_MAX), EBADF);
}

static void descriptors(void)
{
    int fd = open(D "/b", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    printf("cloexec: %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    CHECK(fcntl(fd, F_SETFD, 0) == 0);
    printf("cloexec cleared: %d\n", fcntl(fd, F_GETFD));
    printf("accmode: %d\n", fcntl(fd, F_GETFL) & O_ACCMODE);
    int d = fcntl(fd, F_DUPFD, 10);
    printf("F_DUPFD >= 10: %d\n", d >= 10);
    int e = dup(fd);
    CHECK(e >= 0 && e != fd);
    CHECK(dup2(fd, 20) == 20);
    FAILS("dup2 bad fd", dup2(-1, 20), EBADF);
    FAILS("dup3 same fd", dup3(fd, fd, 0), EINVAL);
    FAILS("fcntl bad fd", fcntl(-1, F_GETFD), EBADF);
    /* Descriptors share the offset. */
    char c;
    CHECK(read(fd, &c, 1) == 1);
    printf("shared offset: %ld\n", (long)lseek(20, 0, SEEK_CUR));
    close(d);
    close(e);
    close(20);
    close(fd);
    printf("isatty(file): %d\n", isatty(fd));
}

static void misc(void)
{
    char buf[8];
    char *cwd = getcwd(NULL, 0);
    CHECK(cwd != NULL);
    CHECK(chdir(D) == 0);
    char *inside = getcwd(NULL, 0);
    CHECK(inside != NULL && strlen(inside) == strlen(cwd) + strlen(D) + (strlen(cwd) > 1));
    FAILS("getcwd too small", getcwd(buf, 2) == NULL ? -1 : 0, ERANGE);
    FAILS("chdir to a file", chdir("b"), ENOTDIR);
    CHECK(chdir("..") == 0);
    free(inside);
    free(cwd);

    char tmpl[] = D "/tmpXXXXXX";
    int fd = mkstemp(tmpl);
    CHECK(fd >= 0);
    CHECK(strncmp(tmpl, D "/tmp", strlen(D "/tmp")) == 0 && strcmp(tmpl + strlen(tmpl) - 6, "XXXXXX") != 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600);
    close(fd);
    CHECK(unlink(tmpl) == 0);
    char bad[] = "nox";
    FAILS("mkstemp bad template", mkstemp(bad), EINVAL);
    char dtmpl[] = D "/dXXXXXX";
    CHECK(mkdtemp(dtmpl) == dtmpl);
    CHECK(rmdir(dtmpl) == 0);

    /* mmap a file and read it through memory. */
    write_file(D "/c", "mapped text");
    fd = open(D "/c", O_RDONLY);
    char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED);
    if (p != MAP_FAILED) {
        printf("mmap: %.6s\n", p);
        CHECK(memcmp(p, "mapped", 6) == 0);
        CHECK(munmap(p, 4096) == 0);
    }
    close(fd);
    errno = 0;
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);
    char *anon = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(anon != MAP_FAILED);
    if (anon != MAP_FAILED) {
        anon[8191] = 7;
        CHECK(anon[0] == 0 && anon[8191] == 7);
        CHECK(mprotect(anon, 4096, PROT_READ) == 0);
        CHECK(munmap(anon, 8192) == 0);
    }

    struct utsname u;
    CHECK(uname(&u) == 0 && strlen(u.sysname) > 0 && strcmp(u.machine, "x86_64") == 0);
    char host[128];
    CHECK(gethostname(host, sizeof host) == 0);
    CHECK(sysconf(_SC_PAGESIZE) == 4096 && getpagesize() == 4096);
    CHECK(sysconf(_SC_CLK_TCK) == 100);
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
    CHECK(sysconf(_SC_OPEN_MAX) >= 256);
    printf("system: ok\n");
}

/* The type bits and permission bits of `path` (not following a symlink),
 * and its device number, printed; -1 if it cannot be looked at. */
static long node_of(const char *path, dev_t *rdev)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    *rdev = st.st_rdev;
    printf("%s: mode %o rdev %lx size %ld nlink %ld\n", path + strlen(D) + 1,
           (unsigned)st.st_mode, (unsigned long)st.st_rdev, (long)st.st_size,
           (long)st.st_nlink);
    return st.st_mode;
}

/* FIFOs and device nodes: made with the umask taken away, shown by stat
 * with their type and device number, renamed, linked, chmod'ed and
 * removed like any node. Device numbers are written as the kernel
 * encodes small ones (major << 8 | minor), which is also the C library's
 * dev_t for them. */
static void special(void)
{
    dev_t rdev;
    mode_t old = umask(022);
    CHECK(mkfifo(D "/fifo", 0666) == 0);
    CHECK(node_of(D "/fifo", &rdev) == (S_IFIFO | 0644) && rdev == 0);
    CHECK(mknod(D "/chr", S_IFCHR | 0620, (1 << 8) | 3) == 0);
    CHECK(node_of(D "/chr", &rdev) == (S_IFCHR | 0600) && rdev == 0x103);
    CHECK(mknod(D "/blk", S_IFBLK | 04640, (8 << 8) | 1) == 0);
    CHECK(node_of(D "/blk", &rdev) == (S_IFBLK | 04640) && rdev == 0x801);
    CHECK(mknod(D "/reg", 0604, 0) == 0);
    CHECK(node_of(D "/reg", &rdev) == (S_IFREG | 0604) && rdev == 0);
    umask(old);

    FAILS("mkfifo existing", mkfifo(D "/fifo", 0644), EEXIST);
    FAILS("mknod over a file", mknod(D "/reg", S_IFCHR | 0644, 0x103), EEXIST);
    FAILS("mknod missing dir", mknod(D "/none/x", S_IFIFO | 0644, 0), ENOENT);
    FAILS("mknod under a file", mknod(D "/reg/x", S_IFIFO | 0644, 0), ENOTDIR);
    FAILS("mknod a directory", mknod(D "/dir", S_IFDIR | 0755, 0), EPERM);
    FAILS("mknod bad type", mknod(D "/bad", 0170000 | 0644, 0), EINVAL);
    FAILS("mknod a symlink", mknod(D "/bad", S_IFLNK | 0644, 0), EINVAL);
    FAILS("mkfifoat missing dir", mkfifoat(AT_FDCWD, D "/none/x", 0644), ENOENT);
    /* No reader: Linux refuses a non-blocking writer. */
    FAILS("open fifo for writing", open(D "/fifo", O_WRONLY | O_NONBLOCK), ENXIO);

    CHECK(rename(D "/fifo", D "/fifo2") == 0);
    CHECK(link(D "/fifo2", D "/fifo3") == 0);
    CHECK(chmod(D "/fifo3", 0600) == 0);
    CHECK(node_of(D "/fifo2", &rdev) == (S_IFIFO | 0600));
    CHECK(rename(D "/blk", D "/chr") == 0);
    CHECK(node_of(D "/chr", &rdev) == (S_IFBLK | 04640) && rdev == 0x801);
    CHECK(mkfifoat(AT_FDCWD, D "/fifo", 0600) == 0);
    CHECK(node_of(D "/fifo", &rdev) == (S_IFIFO | 0600));
    const char *gone[] = {D "/fifo", D "/fifo2", D "/fifo3", D "/chr", D "/reg", NULL};
    for (int i = 0; gone[i]; i++)
        CHECK(unlink(gone[i]) == 0);
    printf("special: ok\n");
}

int main(void)
{
    cleanup();
    CHECK(mkdir(D, 0755) == 0);
    read_write_seek();
    open_errors();
    status();
    names();
    listing();
    big_directory();
    more();
    descriptors();
    misc();
    special();
    cleanup();
    errno = 0;
    CHECK(access(D, F_OK) == -1 && errno == ENOENT);
    return checks_done();
}
