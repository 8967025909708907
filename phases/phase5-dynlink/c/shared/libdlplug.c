/* libdlplug: a plug-in that dl-plugin loads with dlopen: a constructor,
 * a function, a variable, and a call into the C library. */
#include <stdio.h>

static int base;

__attribute__((constructor)) static void plug_init(void) { base = 22; }

/* `x` plus what the constructor set. */
int plug_answer(int x) { return x + base; }

const char *plug_greeting = "hello from the plug-in";

/* Prints through the C library the program loaded. */
void plug_say(void) {
    printf("plug-in: printing through the C library\n");
    fflush(stdout);
}
