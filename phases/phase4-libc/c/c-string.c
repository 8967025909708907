/* c-string: <string.h>, <strings.h> and <ctype.h> (C locale), checked
 * exactly. Prints a line per failed check, then "ok: all checks passed".
 * The ctype functions are called as (isalpha)(c): the function, not a
 * header's macro. memrchr, strchrnul, strsignal, mempcpy, memmem and
 * strcasestr are GNU extensions; strsep and explicit_bzero BSD ones. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"

static int sign(int x) { return (x > 0) - (x < 0); }

static void test_mem(void)
{
    char buf[64], src[64];
    int i;
    for (i = 0; i < 64; i++) {
        src[i] = (char)i;
        buf[i] = 'x';
    }
    CHECK(memcpy(buf, src, 40) == buf);
    CHECK(memcmp(buf, src, 40) == 0);
    CHECK(buf[40] == 'x');
    CHECK(memcpy(buf, src, 0) == buf);

    /* Overlapping moves, both ways. */
    for (i = 0; i < 64; i++)
        buf[i] = (char)i;
    memmove(buf + 5, buf, 50);
    CHECK(buf[5] == 0 && buf[54] == 49 && buf[4] == 4);
    for (i = 0; i < 64; i++)
        buf[i] = (char)i;
    memmove(buf, buf + 7, 50);
    CHECK(buf[0] == 7 && buf[49] == 56 && buf[50] == 50);

    CHECK(memset(buf, 0x1ab, 10) == buf);
    CHECK((unsigned char)buf[0] == 0xab && (unsigned char)buf[9] == 0xab && buf[10] == 17);

    CHECK(sign(memcmp("abc", "abd", 3)) == -1);
    CHECK(sign(memcmp("abd", "abc", 3)) == 1);
    CHECK(memcmp("abc", "abd", 2) == 0);
    CHECK(memcmp("\x80", "\x01", 1) > 0);
    CHECK(memcmp("a", "b", 0) == 0);

    {
        const char *s = "hello";
        CHECK(memchr(s, 'l', 5) == s + 2);
        CHECK(memchr(s, 'z', 5) == NULL);
        CHECK(memchr(s, 'o', 4) == NULL);
        CHECK(memchr(s, 0x100 + 'h', 5) == s);
        CHECK(memrchr(s, 'l', 5) == s + 3);
        CHECK(memrchr(s, 'h', 0) == NULL);
    }
}

static void test_str(void)
{
    char buf[64];
    char *p;
    const char *s = "hello, world";

    CHECK(strlen("") == 0);
    CHECK(strlen(s) == 12);
    CHECK(strnlen(s, 5) == 5);
    CHECK(strnlen(s, 100) == 12);

    CHECK(strcpy(buf, s) == buf && strcmp(buf, s) == 0);
    CHECK(stpcpy(buf, "abc") == buf + 3 && buf[3] == '\0');
    memset(buf, 'x', sizeof buf);
    CHECK(strncpy(buf, "ab", 5) == buf);
    CHECK(buf[0] == 'a' && buf[1] == 'b' && buf[2] == 0 && buf[4] == 0 && buf[5] == 'x');
    memset(buf, 'x', sizeof buf);
    strncpy(buf, "abcdef", 3);
    CHECK(buf[2] == 'c' && buf[3] == 'x');
    memset(buf, 'x', sizeof buf);
    CHECK(stpncpy(buf, "ab", 5) == buf + 2);
    CHECK(stpncpy(buf, "abcdef", 3) == buf + 3);

    strcpy(buf, "foo");
    CHECK(strcat(buf, "bar") == buf && strcmp(buf, "foobar") == 0);
    CHECK(strncat(buf, "bazqux", 3) == buf && strcmp(buf, "foobarbaz") == 0);
    strncat(buf, "!", 10);
    CHECK(strcmp(buf, "foobarbaz!") == 0);

    CHECK(strcmp("abc", "abc") == 0);
    CHECK(sign(strcmp("abc", "abd")) == -1);
    CHECK(sign(strcmp("ab", "abc")) == -1);
    CHECK(sign(strcmp("\xff", "a")) == 1);
    CHECK(strncmp("abcx", "abcy", 3) == 0);
    CHECK(sign(strncmp("abcx", "abcy", 4)) == -1);
    CHECK(strncmp("a", "b", 0) == 0);
    CHECK(sign(strcoll("b", "a")) == 1);
    CHECK(strxfrm(buf, "hello", sizeof buf) == 5 && strcmp(buf, "hello") == 0);
    CHECK(strxfrm(NULL, "hello", 0) == 5);

    CHECK(strchr(s, 'o') == s + 4);
    CHECK(strchr(s, '\0') == s + 12);
    CHECK(strchr(s, 'z') == NULL);
    CHECK(strrchr(s, 'o') == s + 8);
    CHECK(strrchr(s, 'z') == NULL);
    CHECK(strchrnul(s, 'z') == s + 12);
    CHECK(strchrnul(s, 'w') == s + 7);
    CHECK(index(s, 'l') == s + 2);
    CHECK(rindex(s, 'l') == s + 10);

    CHECK(strstr(s, "world") == s + 7);
    CHECK(strstr(s, "") == s);
    CHECK(strstr(s, "worlds") == NULL);
    CHECK(strstr("aaab", "aab") != NULL);
    CHECK(strspn(s, "hel") == 4);
    CHECK(strspn(s, "") == 0);
    CHECK(strcspn(s, ", ") == 5);
    CHECK(strcspn(s, "") == 12);
    CHECK(strpbrk(s, "wr") == s + 7);
    CHECK(strpbrk(s, "xyz") == NULL);

    /* strtok and strtok_r. */
    {
        char text[] = ";;a,b;;c,,";
        char *save;
        p = strtok(text, ",;");
        CHECK(p && strcmp(p, "a") == 0);
        p = strtok(NULL, ",;");
        CHECK(p && strcmp(p, "b") == 0);
        p = strtok(NULL, ",;");
        CHECK(p && strcmp(p, "c") == 0);
        CHECK(strtok(NULL, ",;") == NULL);
        strcpy(text, "x y");
        p = strtok_r(text, " ", &save);
        CHECK(p && strcmp(p, "x") == 0);
        p = strtok_r(NULL, " ", &save);
        CHECK(p && strcmp(p, "y") == 0);
        CHECK(strtok_r(NULL, " ", &save) == NULL);
        strcpy(text, ",,,");
        CHECK(strtok(text, ",") == NULL);
    }

    p = strdup(s);
    CHECK(p && strcmp(p, s) == 0 && p != s);
    free(p);
    p = strndup(s, 5);
    CHECK(p && strcmp(p, "hello") == 0);
    free(p);
    p = strndup("ab", 5);
    CHECK(p && strcmp(p, "ab") == 0);
    free(p);
}

static void test_extras(void)
{
    char buf[32];
    char text[] = "a,,b";
    char *at = text, *tok;
    const char *hay = "abcabcd";
    const char *s = "Hello World";

    memset(buf, 'x', sizeof buf);
    CHECK(memccpy(buf, "hello world", ' ', 11) == buf + 6 && memcmp(buf, "hello x", 7) == 0);
    CHECK(memccpy(buf, "hello", 'z', 5) == NULL && memcmp(buf, "hello", 5) == 0);
    CHECK(mempcpy(buf, "abc", 3) == buf + 3);
    CHECK(memmem(hay, 7, "bcd", 3) == hay + 4 && memmem(hay, 7, "bce", 3) == NULL);
    CHECK(memmem(hay, 2, "abc", 3) == NULL && memmem(hay, 7, "", 0) == hay);
    tok = strsep(&at, ",");
    CHECK(tok == text && strcmp(tok, "a") == 0);
    tok = strsep(&at, ",");
    CHECK(tok && *tok == '\0');
    tok = strsep(&at, ",");
    CHECK(tok && strcmp(tok, "b") == 0 && at == NULL);
    CHECK(strsep(&at, ",") == NULL);
    CHECK(strcasestr(s, "wORLD") == s + 6 && strcasestr(s, "xyz") == NULL && strcasestr(s, "") == s);
    memset(buf, 7, 8);
    explicit_bzero(buf, 8);
    CHECK(buf[0] == 0 && buf[7] == 0 && buf[8] == 'x');
}

static void test_messages(void)
{
    CHECK(strcmp(strerror(0), "Success") == 0);
    CHECK(strcmp(strerror(ENOENT), "No such file or directory") == 0);
    CHECK(strcmp(strerror(EINVAL), "Invalid argument") == 0);
    CHECK(strcmp(strerror(ERANGE), "Numerical result out of range") == 0);
    CHECK(strcmp(strerror(9999), "Unknown error 9999") == 0);
    CHECK(strcmp(strerror(-3), "Unknown error -3") == 0);
    CHECK(strcmp(strsignal(SIGKILL), "Killed") == 0);
    CHECK(strcmp(strsignal(SIGSEGV), "Segmentation fault") == 0);
    CHECK(strcmp(strsignal(SIGABRT), "Aborted") == 0);
    CHECK(strcmp(strsignal(0), "Unknown signal 0") == 0);
    CHECK(strcmp(strsignal(200), "Unknown signal 200") == 0);
}

static void test_strings(void)
{
    char buf[8] = "abcdefg";
    CHECK(strcasecmp("HeLLo", "hello") == 0);
    CHECK(sign(strcasecmp("a", "B")) == -1);
    CHECK(sign(strcasecmp("[", "a")) == -1); /* '[' < 'a' once lowered */
    CHECK(strncasecmp("ABCx", "abcy", 3) == 0);
    CHECK(strncasecmp("ABCx", "abcy", 4) != 0);
    bzero(buf + 1, 3);
    CHECK(buf[0] == 'a' && buf[1] == 0 && buf[3] == 0 && buf[4] == 'e');
    CHECK(bcmp("abc", "abc", 3) == 0);
    CHECK(bcmp("abc", "abd", 3) != 0);
    CHECK(ffs(0) == 0 && ffs(1) == 1 && ffs(0x80) == 8 && ffs(-2147483647 - 1) == 32);
}

static void test_ctype(void)
{
    int c, n[12] = {0};
    for (c = -1; c <= 255; c++) {
        n[0] += (isalnum)(c) != 0;
        n[1] += (isalpha)(c) != 0;
        n[2] += (isblank)(c) != 0;
        n[3] += (iscntrl)(c) != 0;
        n[4] += (isdigit)(c) != 0;
        n[5] += (isgraph)(c) != 0;
        n[6] += (islower)(c) != 0;
        n[7] += (isprint)(c) != 0;
        n[8] += (ispunct)(c) != 0;
        n[9] += (isspace)(c) != 0;
        n[10] += (isupper)(c) != 0;
        n[11] += (isxdigit)(c) != 0;
    }
    CHECK(n[0] == 62 && n[1] == 52 && n[2] == 2 && n[3] == 33);
    CHECK(n[4] == 10 && n[5] == 94 && n[6] == 26 && n[7] == 95);
    CHECK(n[8] == 32 && n[9] == 6 && n[10] == 26 && n[11] == 22);
    CHECK((isspace)('\v') && (isspace)('\f') && !(isspace)(0xa0));
    CHECK(!(isalpha)(EOF) && !(isalpha)(0xe9));
    CHECK((toupper)('a') == 'A' && (toupper)('Z') == 'Z' && (toupper)(0xe9) == 0xe9);
    CHECK((tolower)('Q') == 'q' && (tolower)(EOF) == EOF && (tolower)('1') == '1');
    CHECK((isascii)(127) && !(isascii)(128) && !(isascii)(-1));
}

int main(void)
{
    test_mem();
    test_str();
    test_extras();
    test_messages();
    test_strings();
    test_ctype();
    return checks_done();
}
