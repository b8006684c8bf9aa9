/* tests/test_log.c: levels, repeat collapsing, secret scrubbing, control
 * characters, all read back from the log's real output stream. */
#include "core/log.h"
#include "check.h"

#include <stdlib.h>
#include <time.h>

static char *slurp(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    rewind(f);
    char *buf = calloc(1, (size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        buf[0] = '\0';
    }
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) {
        n++;
    }
    return n;
}

int main(void)
{
    FILE *f = tmpfile();
    log_setup(LOG_DEBUG, f);
    struct log *l = log_create("feed/cam-1");

    for (int i = 0; i < 50; i++) {
        log_warn(l, "decode error: %s", "invalid NAL");
    }
    log_warn(l, "reconnected");
    log_add_secret("hunter2pass");
    log_error(l, "login with hunter2pass failed (hunter2pass)");
    log_info(l, "bell\x07 and \x1b[31mescape");
    log_set_level(LOG_WARN);
    log_info(l, "this info line is below the level");
    log_debug(l, "so is this debug line");
    log_set_level(LOG_DEBUG);
    log_set_burst_ms(30);
    log_info(l, "tick");
    struct timespec ts = { 0, 80 * 1000000 };
    nanosleep(&ts, NULL);
    log_info(l, "tick");
    log_destroy(l);
    log_shutdown();

    char *out = slurp(f);
    CHECK_INT(count(out, "decode error: invalid NAL"), 1, "50 identical lines print once");
    CHECK(strstr(out, "last message repeated 49 times") != NULL, "the repeats are summarised:\n%s", out);
    CHECK(strstr(out, "[feed/cam-1] WARN decode error") != NULL, "tag and level in the line:\n%s", out);
    char *summary = strstr(out, "repeated 49 times");
    char *next = strstr(out, "reconnected");
    CHECK(summary && next && summary < next, "the summary comes before the next different line");
    CHECK(strstr(out, "hunter2pass") == NULL, "a registered secret never appears:\n%s", out);
    CHECK_INT(count(out, "login with *** failed (***)"), 1, "each occurrence is replaced");
    CHECK(strstr(out, "bell and escape") != NULL, "control characters and terminal escapes are dropped:\n%s", out);
    CHECK(strstr(out, "below the level") == NULL, "info is filtered at warn level");
    CHECK(strstr(out, "debug line") == NULL, "debug is filtered at warn level");
    CHECK_INT(count(out, "INFO tick"), 2, "a repeat after the burst window prints again");
    CHECK_INT(log_parse_level("warn"), LOG_WARN, "level names parse");
    CHECK_INT(log_parse_level("loud"), -1, "unknown level is refused");
    free(out);
    fclose(f);
    return check_finish("test_log");
}
