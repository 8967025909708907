/* libdlorder_b: needs libdlorder_a (its DT_NEEDED) and uses it from its
 * constructor, which must therefore run after libdlorder_a's. */
#include <stdio.h>

int order_a_ready(void);

static int saw_a_ready;

__attribute__((constructor)) static void b_init(void) {
    saw_a_ready = order_a_ready();
    printf("constructor: libdlorder_b (libdlorder_a ready: %s)\n",
           saw_a_ready ? "yes" : "no");
}

__attribute__((destructor)) static void b_fini(void) {
    printf("destructor: libdlorder_b\n");
}

/* What the constructor found. */
int order_b_saw_a_ready(void) { return saw_a_ready; }
