/* The first C program on vibix: started by crt1.o's _start through
 * vibix_libc's __libc_start_main, it says hello with a raw write system
 * call (the library's own write and printf land with the other phase-4
 * branches) and returns 42, which __libc_start_main passes to exit. */
#include <stddef.h>

static long raw_write(int fd, const void *buf, size_t len)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "0"(1L), "D"((long)fd), "S"(buf), "d"(len)
                     : "rcx", "r11", "memory");
    return ret;
}

int main(void)
{
    static const char msg[] = "hello from C on vibix_libc\n";
    raw_write(1, msg, sizeof msg - 1);
    return 42;
}
