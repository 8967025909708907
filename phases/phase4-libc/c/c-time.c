/* c-time: broken-down time, mktime/timegm normalization, strftime and
   asctime of fixed times, clocks, nanosleep on the monotonic clock. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "check.h"

static void show(const char *what, const struct tm *t) {
    printf("%s: %d-%02d-%02d %02d:%02d:%02d wday %d yday %d isdst %d gmtoff %ld zone %s\n", what,
           t->tm_year + 1900, t->tm_mon + 1, t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec,
           t->tm_wday, t->tm_yday, t->tm_isdst, t->tm_gmtoff, t->tm_zone);
}

static void test_breakdown(void) {
    static const time_t times[] = {0, -1, 951782400, 951868799, 1709211909, 2147483647,
                                   4102444800, -2208988800, 253402300799};
    for (unsigned i = 0; i < sizeof times / sizeof times[0]; i++) {
        struct tm g, l;
        CHECK(gmtime_r(&times[i], &g) == &g);
        show("gmtime", &g);
        CHECK(localtime_r(&times[i], &l) == &l);
        CHECK(l.tm_hour == g.tm_hour && l.tm_yday == g.tm_yday);
        struct tm copy = g;
        CHECK(timegm(&copy) == times[i]);
        copy = g;
        CHECK(mktime(&copy) == times[i]);
    }
    time_t huge = 0x7fffffffffffffffL;
    errno = 0;
    CHECK(gmtime(&huge) == NULL && errno == EOVERFLOW);
    time_t t = 86400;
    CHECK(gmtime(&t) == localtime(&t)); /* one static result */
}

static void test_normalize(void) {
    struct tm t;
    memset(&t, 0, sizeof t);
    t.tm_year = 2023 - 1900;
    t.tm_mon = 11;
    t.tm_mday = 32; /* 2024-01-01 */
    t.tm_hour = 25;
    t.tm_min = -61;
    t.tm_sec = 3600;
    t.tm_wday = 9;
    t.tm_yday = 999;
    time_t r = timegm(&t);
    printf("timegm: %ld\n", (long)r);
    show("normalized", &t);
    memset(&t, 0, sizeof t);
    t.tm_year = 100;
    t.tm_mon = 1;
    t.tm_mday = 29;
    t.tm_hour = 12;
    t.tm_isdst = -1;
    r = mktime(&t);
    printf("mktime 2000-02-29 12:00: %ld\n", (long)r);
    show("mktime", &t);
    t.tm_mon = -13; /* two years back, November */
    t.tm_mday = 0;
    r = mktime(&t);
    printf("mktime month -13 day 0: %ld\n", (long)r);
    show("mktime", &t);
}

static void test_strftime(void) {
    static const char *formats[] = {
        "%a %A %b %B %h",
        "%c",
        "%C %y %Y %G %g %V",
        "%d %e %j %m %u %w %U %W",
        "%D | %F | %T | %R | %r | %x | %X",
        "%H %I %k %l %M %S %p %P",
        "%s %z %Z %%",
        "[%n][%t]",
        "%_d %-d %0e %^a %#b %^B %#Z %#p",
        "%10A|%-10B|%_5m|%05d|%3j|%012s",
        "%Ec %EY %Ey %Od %Om %OH %Ea %Q",
    };
    static const time_t times[] = {0, 951782400, 1709211909, -2208988800, 1104537600, 1230768000};
    char buf[256];
    for (unsigned i = 0; i < sizeof times / sizeof times[0]; i++) {
        struct tm t;
        gmtime_r(&times[i], &t);
        for (unsigned f = 0; f < sizeof formats / sizeof formats[0]; f++) {
            size_t n = strftime(buf, sizeof buf, formats[f], &t);
            printf("strftime %ld \"%s\": %zu [%s]\n", (long)times[i], formats[f], n, buf);
        }
    }
    struct tm t;
    gmtime_r(&times[2], &t);
    CHECK(strftime(buf, 4, "%Y", &t) == 0);
    CHECK(strftime(buf, 5, "%Y", &t) == 4 && strcmp(buf, "2024") == 0);
    CHECK(strftime(buf, sizeof buf, "", &t) == 0 && buf[0] == 0);
}

static void test_asctime(void) {
    char buf[26];
    time_t t = 1709211909;
    struct tm g;
    gmtime_r(&t, &g);
    printf("asctime: %s", asctime(&g));
    CHECK(strcmp(asctime_r(&g, buf), asctime(&g)) == 0);
    CHECK(strcmp(ctime(&t), asctime(localtime(&t))) == 0);
    CHECK(strcmp(ctime_r(&t, buf), asctime(localtime(&t))) == 0);
    g.tm_year = 2147483647 - 1900 + 1 - 1; /* year 2147483647: too wide for 26 bytes */
    errno = 0;
    CHECK(asctime_r(&g, buf) == NULL && errno == EOVERFLOW);
}

static long elapsed_ns(const struct timespec *a, const struct timespec *b) {
    return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static void test_clocks(void) {
    struct timespec a, b, res;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    struct timespec d = {0, 30000000};
    CHECK(nanosleep(&d, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(elapsed_ns(&a, &b) >= 30000000);
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL) == 0);
    b.tv_sec += 0;
    struct timespec until = b;
    until.tv_nsec += 20000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_nsec -= 1000000000;
        until.tv_sec++;
    }
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(elapsed_ns(&until, &a) >= 0);
    printf("nanosleep: slept at least as asked\n");

    struct timespec bad = {0, 1000000000};
    errno = 0;
    CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL);
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL) == EINVAL);
    errno = 0;
    CHECK(clock_gettime(12345, &a) == -1 && errno == EINVAL);
    CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);
    CHECK(clock_getres(CLOCK_REALTIME, NULL) == 0);

    time_t now = time(NULL), stored = 0;
    CHECK(now > 1000000000);
    CHECK(time(&stored) == stored && stored >= now);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0);
    CHECK(tv.tv_sec >= now && tv.tv_sec <= now + 5 && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    clock_t c1 = clock();
    CHECK(c1 != (clock_t)-1);
    for (volatile long i = 0; i < 3000000; i++) {
    }
    CHECK(clock() >= c1);
    CHECK(difftime(10, 3) == 7.0 && difftime(3, 10) == -7.0);
    printf("difftime: %ld\n", (long)difftime(1709211909, 0));
    printf("CLOCKS_PER_SEC: %ld\n", (long)CLOCKS_PER_SEC);
}

int main(void) {
    test_breakdown();
    test_normalize();
    test_strftime();
    test_asctime();
    test_clocks();
    return checks_done();
}
