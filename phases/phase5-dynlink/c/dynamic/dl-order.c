/* dl-order: constructors run in dependency order, destructors in the
 * opposite one. The program needs libdlorder_a, then libdlorder_b, which
 * also needs libdlorder_a: loaded breadth-first as the program, a, b, so
 * running the constructors in the reverse of the load order would run
 * b's before a's, whose state b's constructor reads. */
#include <stdio.h>

int order_a_ready(void);
int order_b_saw_a_ready(void);

__attribute__((constructor)) static void main_init(void) {
    printf("constructor: the program\n");
}

__attribute__((destructor)) static void main_fini(void) {
    printf("destructor: the program\n");
}

int main(void) {
    printf("main: libdlorder_a ready %d, libdlorder_b saw it ready %d\n",
           order_a_ready(), order_b_saw_a_ready());
    return 0;
}
