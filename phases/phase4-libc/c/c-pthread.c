/* c-pthread: threads, mutexes, condition variables, once, keys, rwlocks,
   detach, join results, errno per thread, barriers, a thread's stack and
   name (the GNU extensions Rust's std calls), exit from a thread (phase 4's
   pthread acceptance). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

/* 1. Four threads increment a mutex-protected counter. */
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
#define ROUNDS 100000

static void *increment(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static void test_counter(void) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, increment, NULL) == 0);
    for (int i = 0; i < 4; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    printf("counter: %ld\n", counter);
    CHECK(counter == 4L * ROUNDS);
}

/* 2. Producer and consumer over a bounded buffer. */
#define SLOTS 8
#define ITEMS 20000
static pthread_mutex_t buf_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int buf[SLOTS], head, count;

static void *producer(void *arg) {
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&buf_lock);
        while (count == SLOTS)
            pthread_cond_wait(&not_full, &buf_lock);
        buf[(head + count) % SLOTS] = i;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&buf_lock);
    }
    return NULL;
}

static void *consumer(void *arg) {
    long long sum = 0;
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&buf_lock);
        while (count == 0)
            pthread_cond_wait(&not_empty, &buf_lock);
        int v = buf[head];
        head = (head + 1) % SLOTS;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&buf_lock);
        if (v != i)
            return (void *)-1;
        sum += v;
    }
    return (void *)(intptr_t)(sum == (long long)ITEMS * (ITEMS + 1) / 2);
}

static void test_producer_consumer(void) {
    pthread_t p, c;
    void *ok = NULL;
    CHECK(pthread_create(&c, NULL, consumer, NULL) == 0);
    CHECK(pthread_create(&p, NULL, producer, NULL) == 0);
    CHECK(pthread_join(p, NULL) == 0);
    CHECK(pthread_join(c, &ok) == 0);
    printf("producer/consumer: %s\n", ok == (void *)1 ? "in order, complete" : "WRONG");
    CHECK(ok == (void *)1);
}

/* 3. pthread_once from many threads. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_init(void) {
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
    once_runs++;
}
static void *call_once(void *arg) {
    (void)arg;
    pthread_once(&once, once_init);
    return (void *)(intptr_t)once_runs;
}

static void test_once(void) {
    pthread_t t[4];
    void *seen;
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, call_once, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        CHECK(pthread_join(t[i], &seen) == 0);
        CHECK(seen == (void *)1);
    }
    pthread_once(&once, once_init);
    printf("once: %d run(s)\n", once_runs);
    CHECK(once_runs == 1);
}

/* 4. Keys: per-thread values, destructors at thread exit. */
static pthread_key_t key;
static pthread_mutex_t dtor_lock = PTHREAD_MUTEX_INITIALIZER;
static long dtor_sum;
static int dtor_calls;
static void destructor(void *v) {
    pthread_mutex_lock(&dtor_lock);
    dtor_sum += (long)(intptr_t)v;
    dtor_calls++;
    pthread_mutex_unlock(&dtor_lock);
}
static void *use_key(void *arg) {
    CHECK(pthread_getspecific(key) == NULL);
    CHECK(pthread_setspecific(key, arg) == 0);
    sched_yield();
    return pthread_getspecific(key);
}

static void test_keys(void) {
    pthread_t t[4];
    void *r;
    CHECK(pthread_key_create(&key, destructor) == 0);
    CHECK(pthread_setspecific(key, (void *)1000) == 0);
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, use_key, (void *)(intptr_t)(i + 1)) == 0);
    for (int i = 0; i < 4; i++) {
        CHECK(pthread_join(t[i], &r) == 0);
        CHECK(r == (void *)(intptr_t)(i + 1));
    }
    CHECK(pthread_getspecific(key) == (void *)1000);
    printf("keys: %d destructor call(s), sum %ld\n", dtor_calls, dtor_sum);
    CHECK(dtor_calls == 4 && dtor_sum == 10);
    CHECK(pthread_key_delete(key) == 0);
    CHECK(pthread_setspecific(key, NULL) == EINVAL);
}

/* 5. Read-write lock: readers never see a half-done write. */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b;
static void *rw_writer(void *arg) {
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_rwlock_wrlock(&rw);
        rw_a++;
        sched_yield();
        rw_b++;
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}
static void *rw_reader(void *arg) {
    long bad = 0;
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_rwlock_rdlock(&rw);
        if (rw_a != rw_b)
            bad++;
        pthread_rwlock_unlock(&rw);
    }
    return (void *)(intptr_t)bad;
}

static void test_rwlock(void) {
    pthread_t w[2], r[2];
    void *bad;
    long total_bad = 0;
    for (int i = 0; i < 2; i++) {
        CHECK(pthread_create(&w[i], NULL, rw_writer, NULL) == 0);
        CHECK(pthread_create(&r[i], NULL, rw_reader, NULL) == 0);
    }
    for (int i = 0; i < 2; i++) {
        CHECK(pthread_join(w[i], NULL) == 0);
        CHECK(pthread_join(r[i], &bad) == 0);
        total_bad += (long)(intptr_t)bad;
    }
    CHECK(pthread_rwlock_rdlock(&rw) == 0);
    CHECK(pthread_rwlock_tryrdlock(&rw) == 0);
    CHECK(pthread_rwlock_trywrlock(&rw) == EBUSY);
    CHECK(pthread_rwlock_unlock(&rw) == 0);
    CHECK(pthread_rwlock_unlock(&rw) == 0);
    CHECK(pthread_rwlock_wrlock(&rw) == 0);
    CHECK(pthread_rwlock_wrlock(&rw) == EDEADLK);
    CHECK(pthread_rwlock_unlock(&rw) == 0);
    printf("rwlock: %ld writes, %ld torn reads\n", rw_a, total_bad);
    CHECK(rw_a == 40000 && rw_b == 40000 && total_bad == 0);
}

/* 6. A detached thread runs to its end on its own. */
static pthread_mutex_t det_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t det_cond = PTHREAD_COND_INITIALIZER;
static int det_done;
static void *detached(void *arg) {
    pthread_mutex_lock(&det_lock);
    det_done += (int)(intptr_t)arg;
    pthread_cond_signal(&det_cond);
    pthread_mutex_unlock(&det_lock);
    return NULL;
}

static void test_detach(void) {
    pthread_t t;
    pthread_attr_t attr;
    int state = -1;
    CHECK(pthread_create(&t, NULL, detached, (void *)1) == 0);
    CHECK(pthread_detach(t) == 0);
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0);
    CHECK(pthread_attr_getdetachstate(&attr, &state) == 0 && state == PTHREAD_CREATE_DETACHED);
    CHECK(pthread_attr_setstacksize(&attr, 1) == EINVAL);
    CHECK(pthread_attr_setstacksize(&attr, 256 * 1024) == 0);
    CHECK(pthread_create(&t, &attr, detached, (void *)2) == 0);
    CHECK(pthread_attr_destroy(&attr) == 0);
    pthread_mutex_lock(&det_lock);
    while (det_done != 3)
        pthread_cond_wait(&det_cond, &det_lock);
    pthread_mutex_unlock(&det_lock);
    printf("detach: both detached threads ran\n");
}

/* 7. Join results: returned, and through pthread_exit from deep inside. */
static void deep_exit(int depth, long value) {
    if (depth == 0)
        pthread_exit((void *)(intptr_t)value);
    deep_exit(depth - 1, value + 1);
}
static void *returns(void *arg) { return (void *)((intptr_t)arg * 10); }
static void *exits(void *arg) {
    deep_exit(5, (long)(intptr_t)arg);
    return NULL; /* not reached */
}

static void test_join_results(void) {
    pthread_t t[6];
    void *r;
    for (int i = 0; i < 3; i++) {
        CHECK(pthread_create(&t[i], NULL, returns, (void *)(intptr_t)i) == 0);
        CHECK(pthread_create(&t[i + 3], NULL, exits, (void *)(intptr_t)(100 * i)) == 0);
    }
    for (int i = 0; i < 3; i++) {
        CHECK(pthread_join(t[i], &r) == 0);
        printf("join: returned %ld\n", (long)(intptr_t)r);
        CHECK(r == (void *)(intptr_t)(i * 10));
        CHECK(pthread_join(t[i + 3], &r) == 0);
        printf("join: pthread_exit gave %ld\n", (long)(intptr_t)r);
        CHECK(r == (void *)(intptr_t)(100 * i + 5));
    }
    CHECK(pthread_join(pthread_self(), NULL) == EDEADLK);
    CHECK(pthread_equal(pthread_self(), pthread_self()));
}

/* 8. errno is per thread. */
static void *set_errno(void *arg) {
    errno = (int)(intptr_t)arg;
    sched_yield();
    return (void *)(intptr_t)errno;
}

static void test_errno(void) {
    pthread_t t[3];
    void *r;
    errno = 7;
    for (int i = 0; i < 3; i++)
        CHECK(pthread_create(&t[i], NULL, set_errno, (void *)(intptr_t)(20 + i)) == 0);
    for (int i = 0; i < 3; i++) {
        CHECK(pthread_join(t[i], &r) == 0);
        CHECK(r == (void *)(intptr_t)(20 + i));
    }
    printf("errno: main still %d\n", errno);
    CHECK(errno == 7);
}

/* 9. Mutex kinds and their errors; timed waits. */
static void test_mutex_kinds(void) {
    pthread_mutexattr_t a;
    pthread_mutex_t m;
    int kind = -1;
    CHECK(pthread_mutexattr_init(&a) == 0);
    CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK) == 0);
    CHECK(pthread_mutexattr_gettype(&a, &kind) == 0 && kind == PTHREAD_MUTEX_ERRORCHECK);
    CHECK(pthread_mutex_init(&m, &a) == 0);
    CHECK(pthread_mutex_unlock(&m) == EPERM);
    CHECK(pthread_mutex_lock(&m) == 0);
    CHECK(pthread_mutex_lock(&m) == EDEADLK);
    CHECK(pthread_mutex_trylock(&m) == EBUSY);
    CHECK(pthread_mutex_unlock(&m) == 0);
    CHECK(pthread_mutex_destroy(&m) == 0);

    CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0);
    CHECK(pthread_mutex_init(&m, &a) == 0);
    CHECK(pthread_mutex_lock(&m) == 0);
    CHECK(pthread_mutex_lock(&m) == 0);
    CHECK(pthread_mutex_trylock(&m) == 0);
    CHECK(pthread_mutex_unlock(&m) == 0);
    CHECK(pthread_mutex_unlock(&m) == 0);
    CHECK(pthread_mutex_unlock(&m) == 0);
    CHECK(pthread_mutex_unlock(&m) == EPERM);
    CHECK(pthread_mutex_destroy(&m) == 0);
    CHECK(pthread_mutexattr_settype(&a, 99) == EINVAL);
    CHECK(pthread_mutexattr_destroy(&a) == 0);

    pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;
    CHECK(pthread_mutex_lock(&n) == 0);
    CHECK(pthread_mutex_trylock(&n) == EBUSY);
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += 20000000;
    if (at.tv_nsec >= 1000000000) {
        at.tv_nsec -= 1000000000;
        at.tv_sec++;
    }
    CHECK(pthread_mutex_timedlock(&n, &at) == ETIMEDOUT);
    CHECK(pthread_mutex_unlock(&n) == 0);

    pthread_condattr_t ca;
    pthread_cond_t c;
    clockid_t clock = -1;
    CHECK(pthread_condattr_init(&ca) == 0);
    CHECK(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0);
    CHECK(pthread_condattr_getclock(&ca, &clock) == 0 && clock == CLOCK_MONOTONIC);
    CHECK(pthread_cond_init(&c, &ca) == 0);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    at = start;
    at.tv_nsec += 30000000;
    if (at.tv_nsec >= 1000000000) {
        at.tv_nsec -= 1000000000;
        at.tv_sec++;
    }
    CHECK(pthread_mutex_lock(&n) == 0);
    CHECK(pthread_cond_timedwait(&c, &n, &at) == ETIMEDOUT);
    CHECK(pthread_mutex_trylock(&n) == EBUSY); /* locked again */
    CHECK(pthread_mutex_unlock(&n) == 0);
    clock_gettime(CLOCK_MONOTONIC, &now);
    long waited = (now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec);
    CHECK(waited >= 30000000);
    CHECK(pthread_cond_destroy(&c) == 0);
    CHECK(pthread_condattr_destroy(&ca) == 0);
    printf("mutex kinds, timed lock and wait: checked\n");
}

/* 10. A barrier: everyone arrives before anyone leaves, one serial. */
static pthread_barrier_t barrier;
static int arrived, serials;
static pthread_mutex_t bar_lock = PTHREAD_MUTEX_INITIALIZER;
static void *at_barrier(void *arg) {
    long early = 0;
    (void)arg;
    for (int round = 1; round <= 100; round++) {
        pthread_mutex_lock(&bar_lock);
        arrived++;
        pthread_mutex_unlock(&bar_lock);
        int r = pthread_barrier_wait(&barrier);
        pthread_mutex_lock(&bar_lock);
        if (arrived < 4 * round)
            early++;
        if (r == PTHREAD_BARRIER_SERIAL_THREAD)
            serials++;
        else if (r != 0)
            early++;
        pthread_mutex_unlock(&bar_lock);
        pthread_barrier_wait(&barrier);
    }
    return (void *)(intptr_t)early;
}

static void test_barrier(void) {
    pthread_t t[4];
    void *early;
    long total = 0;
    CHECK(pthread_barrier_init(&barrier, NULL, 0) == EINVAL);
    CHECK(pthread_barrier_init(&barrier, NULL, 4) == 0);
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, at_barrier, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        CHECK(pthread_join(t[i], &early) == 0);
        total += (long)(intptr_t)early;
    }
    CHECK(pthread_barrier_destroy(&barrier) == 0);
    printf("barrier: %d serial thread(s) in 100 rounds, %ld early\n", serials, total);
    CHECK(serials == 100 && total == 0);
}

/* 11. pthread_getattr_np shows a thread its own stack (a local variable
   lies in it, the size asked for or more, a guard page) and detach state;
   pthread_setname_np names a thread (15 bytes at most), and a new thread
   starts with its creator's name. */
static int in_stack(const pthread_attr_t *a, const void *p, size_t at_least) {
    void *lo;
    size_t size;
    if (pthread_attr_getstack(a, &lo, &size) != 0)
        return 0;
    return (const char *)p >= (char *)lo && (const char *)p < (char *)lo + size &&
           size >= at_least;
}

static void *stack_probe(void *arg) {
    int local = 0;
    pthread_attr_t a;
    CHECK(pthread_getattr_np(pthread_self(), &a) == 0);
    CHECK(in_stack(&a, &local, 256 * 1024));
    size_t guard = 0;
    int state = -1;
    pthread_attr_getguardsize(&a, &guard);
    pthread_attr_getdetachstate(&a, &state);
    CHECK(guard > 0);
    CHECK(state == PTHREAD_CREATE_JOINABLE);
    pthread_attr_destroy(&a);
    char name[16];
    CHECK(pthread_getname_np(pthread_self(), name, sizeof name) == 0);
    printf("thread starts named: %s\n", name);
    CHECK(pthread_setname_np(pthread_self(), "probe") == 0);
    CHECK(pthread_getname_np(pthread_self(), name, sizeof name) == 0);
    printf("thread renamed: %s\n", name);
    return arg;
}

static void test_stack_and_name(void) {
    int local = 0;
    pthread_attr_t a;
    CHECK(pthread_getattr_np(pthread_self(), &a) == 0);
    CHECK(in_stack(&a, &local, 64 * 1024));
    pthread_attr_destroy(&a);

    CHECK(pthread_setname_np(pthread_self(), "c-pthread-main") == 0);
    CHECK(pthread_setname_np(pthread_self(), "sixteen-bytes-xx") == ERANGE);
    char name[16];
    CHECK(pthread_getname_np(pthread_self(), name, 15) == ERANGE);
    CHECK(pthread_getname_np(pthread_self(), name, sizeof name) == 0);
    printf("main named: %s\n", name);

    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 * 1024);
    pthread_t t;
    CHECK(pthread_create(&t, &a, stack_probe, NULL) == 0);
    pthread_attr_destroy(&a);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(pthread_getname_np(pthread_self(), name, sizeof name) == 0);
    printf("main still named: %s\n", name);
}

/* 12. exit from any thread ends the whole process. */
static void *finisher(void *arg) {
    (void)arg;
    printf("ok: all checks passed\n");
    exit(0);
}

int main(void) {
    test_counter();
    test_producer_consumer();
    test_once();
    test_keys();
    test_rwlock();
    test_detach();
    test_join_results();
    test_errno();
    test_mutex_kinds();
    test_barrier();
    test_stack_and_name();
    if (failures) {
        printf("%d check(s) failed\n", failures);
        return 1;
    }
    pthread_t t;
    CHECK(pthread_create(&t, NULL, finisher, NULL) == 0);
    pthread_join(t, NULL); /* the process ends while main waits here */
    printf("FAIL: exit from a thread did not end the process\n");
    return 1;
}
