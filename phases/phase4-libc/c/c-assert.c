/* A failed assert: glibc's message on standard error
 * ("prog: file:line: function: Assertion `expr' failed."), then abort,
 * which ends the program with SIGABRT. A passing one does nothing, and
 * with NDEBUG an assert is not even evaluated. */
#include <assert.h>

static int evaluated;

static int touch(void)
{
    evaluated++;
    return 1;
}

int main(int argc, char **argv)
{
    (void)argv;
    assert(argc >= 1);
#define NDEBUG
#include <assert.h>
    assert(touch() == 0);
#undef NDEBUG
#include <assert.h>
    assert(evaluated == 0);
    assert(argc == 1 + 1);
    return 0;
}
