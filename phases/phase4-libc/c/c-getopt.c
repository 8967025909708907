/* c-getopt: getopt and getopt_long on several argument vectors, printing
 * what each call returns (the option, optarg, optopt on errors, optind at
 * the end and the operands left), so that the output can be compared with
 * glibc's. GNU behaviour: options are permuted before operands unless the
 * option string starts with '+'; '-' returns operands as option 1; a
 * leading ':' reports a missing argument as ':'. Setting optind to 0
 * starts a new vector. Error messages go to stderr (not compared). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static int count(char **v)
{
    int n = 0;
    while (v[n])
        n++;
    return n;
}

static void show_result(int c)
{
    if (c == '?' || c == ':')
        printf("  '%c' optopt=%d\n", c, optopt);
    else if (c == 1)
        printf("  operand '%s'\n", optarg);
    else if (optarg)
        printf("  '%c' optarg='%s'\n", c, optarg);
    else
        printf("  '%c'\n", c);
}

static void show_rest(int argc, char **argv)
{
    printf("  end optind=%d:", optind);
    for (int i = optind; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
}

/* Parses argv with getopt and prints every step. */
static void short_opts(const char *opts, char **argv, int quiet)
{
    int argc = count(argv);
    int c, steps = 0;
    optind = 0;
    opterr = !quiet;
    printf("getopt \"%s\":", opts);
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    while ((c = getopt(argc, argv, opts)) != -1 && steps++ < 50)
        show_result(c);
    show_rest(argc, argv);
}

static int flag_seen;

static const struct option longs[] = {
    {"verbose", no_argument, NULL, 'v'},
    {"version", no_argument, NULL, 'V'},
    {"output", required_argument, NULL, 'o'},
    {"color", optional_argument, NULL, 1000},
    {"flag", no_argument, &flag_seen, 42},
    {NULL, 0, NULL, 0},
};

static void long_opts(const char *opts, char **argv, int only)
{
    int argc = count(argv);
    int c, steps = 0, index;
    optind = 0;
    opterr = 0;
    flag_seen = 0;
    printf("getopt_long%s \"%s\":", only ? "_only" : "", opts);
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    for (;;) {
        index = -1;
        c = only ? getopt_long_only(argc, argv, opts, longs, &index)
                 : getopt_long(argc, argv, opts, longs, &index);
        if (c == -1 || steps++ >= 50)
            break;
        if (c == 0)
            printf("  flag set (index %d) flag_seen=%d\n", index, flag_seen);
        else if (c == 1000)
            printf("  color index=%d optarg=%s\n", index, optarg ? optarg : "(none)");
        else if (c == '?' || c == ':')
            printf("  '%c' optopt=%d\n", c, optopt);
        else
            printf("  '%c' index=%d optarg=%s\n", c, index, optarg ? optarg : "(none)");
    }
    show_rest(argc, argv);
}

int main(void)
{
    {
        char *v[] = {"prog", "-a", "-b", "x", "-cfile", "rest", NULL};
        short_opts("ab:c:", v, 0);
    }
    {
        /* clustered options, an attached argument, an optional one */
        char *v[] = {"prog", "-abval", "-dc", "-d", "-dopt", "--", "-a", NULL};
        short_opts("ab:cd::", v, 0);
    }
    {
        /* permutation: operands end up after the options */
        char *v[] = {"prog", "one", "-a", "two", "-b", "arg", "three", NULL};
        short_opts("ab:", v, 0);
        CHECK(strcmp(v[4], "one") == 0 && strcmp(v[6], "three") == 0);
        CHECK(optind == 4);
    }
    {
        /* '+': stop at the first operand */
        char *v[] = {"prog", "-a", "one", "-b", "x", NULL};
        short_opts("+ab:", v, 0);
        CHECK(optind == 2);
    }
    {
        /* '-': operands are returned in order as option 1 */
        char *v[] = {"prog", "one", "-a", "two", "--", "-b", NULL};
        short_opts("-ab", v, 0);
    }
    {
        /* unknown option and missing argument, silently */
        char *v[] = {"prog", "-z", "-a", "-b", NULL};
        short_opts("ab:", v, 1);
    }
    {
        /* leading ':' reports a missing argument as ':' */
        char *v[] = {"prog", "-x", "-b", NULL};
        short_opts(":ab:", v, 0);
    }
    {
        /* '-' alone is an operand; an empty vector */
        char *v[] = {"prog", "-", "-a", NULL};
        short_opts("a", v, 0);
        char *w[] = {"prog", NULL};
        short_opts("a", w, 0);
    }
    {
        char *v[] = {"prog", "--verbose", "--output=file", "--output", "f2",
                     "op", "--color", "--color=red", "--flag", "-v", NULL};
        long_opts("vo:", v, 0);
        CHECK(flag_seen == 42);
    }
    {
        /* abbreviations: unique, ambiguous, unknown, bad arguments */
        char *v[] = {"prog", "--out", "x", "--verb", "--ver", "--nope",
                     "--verbose=1", "--fl", "--output", NULL};
        long_opts("vo:", v, 0);
    }
    {
        char *v[] = {"prog", "-verbose", "-o", "x", "-output=y", "-v", "-color", NULL};
        long_opts("vo:", v, 1);
    }
    {
        /* optind reset to 1 after a full parse also starts over */
        char *v[] = {"prog", "-a", NULL};
        optind = 1;
        int c = getopt(2, v, "a");
        CHECK(c == 'a');
        CHECK(getopt(2, v, "a") == -1);
        CHECK(optind == 2);
    }
    return checks_done();
}
