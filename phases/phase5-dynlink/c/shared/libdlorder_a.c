/* libdlorder_a: a library another library needs (libdlorder_b). Its
 * constructor makes its state ready; its destructor says when it runs. */
#include <stdio.h>

static int ready;

__attribute__((constructor)) static void a_init(void) {
    ready = 1;
    printf("constructor: libdlorder_a\n");
}

__attribute__((destructor)) static void a_fini(void) {
    printf("destructor: libdlorder_a\n");
}

/* 1 once the constructor has run. */
int order_a_ready(void) { return ready; }
