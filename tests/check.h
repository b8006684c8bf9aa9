/* tests/check.h: the tiny assertion kit every C test uses. A failing check
 * prints file:line, what was expected and what was got, and counts; main
 * returns check_finish(). */
#ifndef PANTAU_TEST_CHECK_H
#define PANTAU_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        check_count++;                                                          \
        if (!(cond)) {                                                          \
            check_failures++;                                                   \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
        }                                                                       \
    } while (0)

#define CHECK_STR(got, want, why)                                               \
    do {                                                                        \
        const char *g_ = (got), *w_ = (want);                                   \
        check_count++;                                                          \
        if (!g_ || strcmp(g_, w_) != 0) {                                       \
            check_failures++;                                                   \
            fprintf(stderr, "%s:%d: %s\n  expected: \"%s\"\n  got:      \"%s\"\n", \
                    __FILE__, __LINE__, (why), w_, g_ ? g_ : "(null)");         \
        }                                                                       \
    } while (0)

#define CHECK_INT(got, want, why)                                               \
    do {                                                                        \
        long long g_ = (long long)(got), w_ = (long long)(want);                \
        check_count++;                                                          \
        if (g_ != w_) {                                                         \
            check_failures++;                                                   \
            fprintf(stderr, "%s:%d: %s\n  expected: %lld\n  got:      %lld\n",  \
                    __FILE__, __LINE__, (why), w_, g_);                         \
        }                                                                       \
    } while (0)

static inline int check_finish(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
