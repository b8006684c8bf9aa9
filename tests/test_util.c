/* tests/test_util.c: URL redaction, text sanitising, edit distance, ages. */
#include "core/util.h"
#include "check.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static void test_redact(void)
{
    static const struct {
        const char *in, *want, *why;
    } cases[] = {
        { "rtsp://viewer:hunter2@10.20.0.5/main", "rtsp://viewer:***@10.20.0.5/main", "password in userinfo" },
        { "rtsp://10.20.0.5/main", "rtsp://10.20.0.5/main", "no credentials: unchanged" },
        { "http://tok3n@host/x", "http://***@host/x", "bare token as user name" },
        { "https://a.example/api?x=1&token=abc&y=2", "https://a.example/api?x=1&token=***&y=2", "token query parameter" },
        { "https://a.example/api?API_KEY=zz#frag", "https://a.example/api?API_KEY=***#frag", "case-insensitive key name, fragment kept" },
        { "mqtts://u:p@ss@broker:8883", "mqtts://u:***@broker:8883", "the last @ ends userinfo" },
        { "http://h/p@x", "http://h/p@x", "@ in the path is not userinfo" },
        { "", "", "empty" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[256];
        CHECK_STR(redact_url(cases[i].in, out, sizeof(out)), cases[i].want, cases[i].why);
    }
    char tiny[8];
    {
        /* url_host: the host alone, never the credentials. */
        static const struct { const char *in, *want; } hosts[] = {
            { "https://api.example.id/v1/summary", "api.example.id" },
            { "rtsp://admin:s3cret@10.0.0.5:554/stream1", "10.0.0.5" },
            { "mqtts://[fd00::1]:8883", "fd00::1" },
            { "ssl://broker.lan:8883", "broker.lan" },
            { "http://user@host", "host" },
            { "no scheme", "" },
        };
        for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
            char h[64];
            CHECK_STR(url_host(hosts[i].in, h, sizeof(h)), hosts[i].want, hosts[i].in);
        }
    }
    redact_url("rtsp://user:secret@host/", tiny, sizeof(tiny));
    CHECK(strlen(tiny) < sizeof(tiny), "bounded output, got %zu", strlen(tiny));
    CHECK(strstr(tiny, "secret") == NULL, "truncation never leaks the secret: %s", tiny);
}

static void test_sanitize(void)
{
    static const struct {
        const char *in, *want, *why;
    } cases[] = {
        { "plain text", "plain text", "ASCII unchanged" },
        { "Jembatan Siak \xe2\x80\x94 \xc2\xb0" "C", "Jembatan Siak \xe2\x80\x94 \xc2\xb0" "C", "valid UTF-8 kept" },
        { "a\nb\tc\r\nd", "a b c  d", "line breaks and tabs become spaces" },
        { "Siak\x1b[31mRED\x1b[0m", "SiakRED", "terminal colour codes dropped whole" },
        { "x\x1b[1;31;40mY\x1b" "7z\x1b", "xYz", "escape sequences with parameters, short ones, a lone ESC" },
        { "bell\x07\x08\x7f!", "bell!", "other control characters dropped" },
        { "bad \xff\xfe byte", "bad ?? byte", "invalid bytes replaced" },
        { "over\xc0\xaflong", "over??long", "overlong encoding rejected" },
        { "c1\xc2\x85x", "c1??x", "C1 control rejected" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[128];
        CHECK_STR(sanitize_text(cases[i].in, out, sizeof(out)), cases[i].want, cases[i].why);
    }
    char small[6];
    sanitize_text("abcd\xe2\x80\x94", small, sizeof(small));
    CHECK_STR(small, "abcd", "a multibyte character is never cut in half");
}

static void test_misc(void)
{
    CHECK_INT(edit_distance("stale_afer", "stale_after"), 1, "one missing letter");
    CHECK_INT(edit_distance("", "abc"), 3, "from empty");
    CHECK_INT(edit_distance("kitten", "sitting"), 3, "classic case");
    CHECK_INT(edit_distance("gird", "grid"), 1, "a swap of neighbours is one edit");
    char buf[32];
    format_age(12500, buf, sizeof(buf));
    CHECK_STR(buf, "12 s", "under a minute in seconds");
    format_age(42000 + 60000, buf, sizeof(buf));
    CHECK_STR(buf, "1:42", "minutes:seconds");
    format_age(3723000, buf, sizeof(buf));
    CHECK_STR(buf, "1:02:03", "hours");
    format_age(-5, buf, sizeof(buf));
    CHECK_STR(buf, "0 s", "negative clamps to zero");
}

/* Zero pages go back to the system, the others stay, and every byte reads
 * as before (mincore says which pages are resident). */
static void test_zero_pages(void)
{
    size_t ps = (size_t)sysconf(_SC_PAGESIZE), n = 32;
    unsigned char *p = NULL;
    CHECK(posix_memalign((void **)&p, ps, n * ps) == 0, "allocation");
    if (!p) {
        return;
    }
    memset(p, 0, n * ps); /* every page touched, so resident */
    p[3 * ps + 100] = 7;
    p[10 * ps] = 1;
    p[n * ps - 1] = 9;
    size_t dropped = mem_release_zero_pages(p, n * ps);
    CHECK_INT(dropped, (n - 3) * ps, "all pages but the three written ones");
    unsigned char vec[32];
    CHECK(mincore(p, n * ps, vec) == 0, "mincore");
    int resident = 0;
    for (size_t i = 0; i < n; i++) {
        resident += vec[i] & 1;
    }
    CHECK_INT(resident, 3, "only the written pages stay resident");
    CHECK(vec[3] & 1 && vec[10] & 1 && vec[31] & 1, "the written pages are the resident ones");
    size_t bad = 0;
    for (size_t i = 0; i < n * ps; i++) {
        unsigned char want = i == 3 * ps + 100 ? 7 : i == 10 * ps ? 1 : i == n * ps - 1 ? 9 : 0;
        bad += p[i] != want;
    }
    CHECK_INT(bad, 0, "every byte reads as before");
    p[5 * ps + 1] = 3; /* a dropped page is writable again */
    CHECK_INT(p[5 * ps + 1], 3, "write after drop");
    CHECK_INT(mem_release_zero_pages(p + 1, ps), 0, "no whole page inside the range");
    CHECK_INT(mem_release_zero_pages(NULL, 10), 0, "null");
    free(p);
}

int main(void)
{
    test_zero_pages();
    test_redact();
    test_sanitize();
    test_misc();
    return check_finish("test_util");
}
