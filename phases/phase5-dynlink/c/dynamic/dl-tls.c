/* dl-tls: thread-local variables of a shared object (libdltls, general-
 * dynamic TLS through __tls_get_addr) and of the program itself, from the
 * main thread and two more: each thread starts with the initial values
 * and changes only its own copy. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

extern __thread int dltls_counter;
extern __thread char dltls_name[8];
int dltls_bump(int by);
int *dltls_counter_address(void);

static __thread long own = 100;

struct result {
    int start, after;
    long own;
    int same_address;
    char name[8];
};

static void *worker(void *arg) {
    struct result *r = arg;
    r->start = dltls_counter;
    r->after = dltls_bump(10 + r->start);
    own += r->after;
    r->own = own;
    r->same_address = dltls_counter_address() == &dltls_counter;
    memcpy(r->name, dltls_name, sizeof r->name);
    return NULL;
}

int main(void) {
    printf("main: counter %d, name \"%s\"\n", dltls_counter, dltls_name);
    printf("main: bump -> %d\n", dltls_bump(1));
    struct result r[2];
    for (int i = 0; i < 2; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, worker, &r[i]) != 0 || pthread_join(t, NULL) != 0) {
            printf("pthread failed\n");
            return 1;
        }
        printf("thread %d: started at %d, bumped to %d, own %ld, same address from the "
               "library: %s, name \"%s\"\n",
               i, r[i].start, r[i].after, r[i].own, r[i].same_address ? "yes" : "no",
               r[i].name);
    }
    printf("main: counter still %d, own still %ld\n", dltls_counter, own);
    return 0;
}
