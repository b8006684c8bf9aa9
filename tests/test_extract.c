/* tests/test_extract.c: what HTTP panels take from a JSON reply: values,
 * filtered counts, groups, newest items; and the counter's "today" across
 * local midnight with injected times. */
#include "feeds/extract.h"
#include "widgets/counter.h"
#include "check.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <time.h>

static const char *doc =
    "{\"total\": 48213, \"today\": 87, \"items\": ["
    "{\"waktu\":\"2026-11-25T08:10:00+07:00\",\"kategori\":\"Banjir\",\"kecamatan\":\"Tampan\",\"status\":\"selesai\",\"judul\":\"A\"},"
    "{\"waktu\":\"2026-11-25T09:30:00+07:00\",\"kategori\":\"Sampah\",\"kecamatan\":\"Sail\",\"status\":\"diterima\",\"judul\":\"B\"},"
    "{\"waktu\":\"2026-11-25T07:05:00+07:00\",\"kategori\":\"Banjir\",\"kecamatan\":\"Rumbai\",\"status\":\"selesai\",\"judul\":\"C\"},"
    "{\"waktu\":\"2026-11-25T11:45:00+07:00\",\"kategori\":\"Banjir\",\"kecamatan\":\"Tampan\",\"status\":\"diterima\",\"judul\":\"D\"},"
    "{\"waktu\":\"2026-11-25T10:00:00+07:00\",\"status\":\"diterima\",\"judul\":\"E (no category)\"}"
    "], \"obj\": {\"a\": 1}}";

static int eval(const cJSON *root, struct extract_spec *spec, struct slot_value *v, struct table_row *rows,
                size_t *n, char *err)
{
    char perr[128];
    struct payload_path *p = payload_path_compile(spec->path, perr, sizeof(perr));
    int rc = extract_eval(root, spec, p, v, rows, 16, n, err, 160);
    payload_path_free(p);
    return rc;
}

int main(void)
{
    cJSON *root = cJSON_Parse(doc);
    CHECK(root != NULL, "fixture parses");
    struct slot_value v;
    struct table_row rows[16];
    size_t n = 0;
    char err[160];

    struct extract_spec value = { .mode = EXTRACT_VALUE, .path = "$.total" };
    CHECK(eval(root, &value, &v, rows, &n, err) == 0 && v.num == 48213, "value at a path (%s)", err);

    struct extract_spec count = { .mode = EXTRACT_COUNT, .path = "$.items", .where = "" };
    CHECK(eval(root, &count, &v, rows, &n, err) == 0 && v.num == 5, "count of a list: %g", v.num);
    count.where = "status=selesai\n";
    CHECK(eval(root, &count, &v, rows, &n, err) == 0 && v.num == 2, "filtered count: %g", v.num);
    count.where = "status=selesai\nkecamatan=Tampan\n";
    CHECK(eval(root, &count, &v, rows, &n, err) == 0 && v.num == 1, "two conditions: %g", v.num);

    struct extract_spec groups = { .mode = EXTRACT_GROUPS, .path = "$.items", .group_by = "kategori", .where = "" };
    CHECK(eval(root, &groups, &v, rows, &n, err) == 0, "groups (%s)", err);
    CHECK_INT(n, 3, "three groups incl. the item without one");
    CHECK_STR(rows[0].key, "Banjir", "largest group first");
    CHECK(rows[0].value.num == 3, "Banjir counts 3");
    CHECK_STR(rows[1].key, "(none)", "ties sorted by name: (none) before Sampah");
    groups.where = "status=diterima\n";
    eval(root, &groups, &v, rows, &n, err);
    CHECK(n == 3 && rows[0].value.num == 1, "groups of filtered items");

    struct extract_spec items = { .mode = EXTRACT_ITEMS, .path = "$.items", .fields = "waktu, kecamatan,judul",
                                  .sort_by = "waktu", .limit = 3, .where = "" };
    CHECK(eval(root, &items, &v, rows, &n, err) == 0 && n == 3, "newest 3 items");
    CHECK_STR(rows[0].value.text, "2026-11-25T11:45:00+07:00\tTampan\tD", "newest first, fields joined");
    CHECK_STR(rows[2].value.text, "2026-11-25T09:30:00+07:00\tSail\tB", "third newest");
    CHECK_STR(rows[0].key, "0000", "rows keep their order by key");
    items.sort_by = "";
    items.limit = 1;
    eval(root, &items, &v, rows, &n, err);
    CHECK_STR(rows[0].value.text, "2026-11-25T08:10:00+07:00\tTampan\tA", "no sort_by: reply order");

    struct extract_spec bad = { .mode = EXTRACT_COUNT, .path = "$.obj", .where = "" };
    CHECK(eval(root, &bad, &v, rows, &n, err) < 0, "count of an object is an error");
    CHECK_STR(err, "$.obj: expected a list, got an object", "says what it found");
    bad.path = "$.nope";
    CHECK(eval(root, &bad, &v, rows, &n, err) < 0, "missing list is an error");
    CHECK_STR(err, "$.nope: missing in the payload (it has total, today, items, obj)", "names the path and what is there");
    cJSON *typed = cJSON_Parse("{\"total\": \"banyak\", \"long\": [{\"a\": \"\", \"b\": \"x\", \"c\": \"" 
                               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                               "\xe2\x80\x94 end\"}]}");
    struct extract_spec num = { .mode = EXTRACT_VALUE, .path = "$.total", .want_number = true };
    CHECK(eval(typed, &num, &v, rows, &n, err) < 0, "a counter's text value is an error");
    CHECK_STR(err, "$.total: expected a number, got \"banyak\"", "says what it got");
    struct extract_spec cols = { .mode = EXTRACT_ITEMS, .path = "$.long", .fields = "a,b,c", .limit = 1, .where = "" };
    CHECK(eval(typed, &cols, &v, rows, &n, err) == 0 && n == 1, "items with an empty field");
    CHECK(strncmp(rows[0].value.text, "\tx\taaa", 6) == 0, "an empty field keeps its column: %.10s", rows[0].value.text);
    size_t tl = strlen(rows[0].value.text);
    CHECK(tl < sizeof(rows[0].value.text) && (rows[0].value.text[tl - 1] & 0xc0) != 0xc0 &&
              (unsigned char)rows[0].value.text[tl - 1] != 0xe2, "cut between characters, not inside one");
    cJSON_Delete(typed);
    /* A long title cannot push the fields after it out of the row. */
    {
        char title[400];
        memset(title, 'J', sizeof(title) - 1);
        title[sizeof(title) - 1] = '\0';
        char docbuf[600];
        snprintf(docbuf, sizeof(docbuf), "{\"items\": [{\"t\": \"%s\", \"k\": \"Tampan\", \"s\": \"baru\"}]}", title);
        cJSON *ld = cJSON_Parse(docbuf);
        struct extract_spec lf = { .mode = EXTRACT_ITEMS, .path = "$.items", .fields = "t,k,s", .limit = 1, .where = "" };
        CHECK(eval(ld, &lf, &v, rows, &n, err) == 0 && n == 1, "a row with a long title: %s", err);
        const char *t = rows[0].value.text;
        size_t tl = strlen(t);
        CHECK(tl >= 6 + 1 + 4 + 1 && strcmp(t + tl - strlen("\tTampan\tbaru"), "\tTampan\tbaru") == 0,
              "the short fields stay whole after the cut title: ...%s", t + (tl > 20 ? tl - 20 : 0));
        CHECK(strstr(t, "J\xe2\x80\xa6\t") != NULL, "the title is cut with an ellipsis");
        cJSON_Delete(ld);
    }
    /* A counter's total: whole, not negative, plausible. */
    static const struct {
        const char *doc, *err;
    } counts[] = {
        { "{\"total\": \"12.345\"}", "$.total: 12.345 is not a whole number (a thousands separator? send 12345)" },
        { "{\"total\": 1e36}", "$.total: 1e+36 is not a plausible count (over 10^15)" },
        { "{\"total\": -1}", "$.total: -1 is negative: a count cannot be" },
        { "{\"total\": 48213}", "" },
        { "{\"total\": \"48213\"}", "" },
    };
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        cJSON *cd = cJSON_Parse(counts[i].doc);
        struct extract_spec cnt = { .mode = EXTRACT_VALUE, .path = "$.total", .want_number = true, .want_count = true };
        err[0] = '\0';
        int rc = eval(cd, &cnt, &v, rows, &n, err);
        CHECK(counts[i].err[0] ? rc < 0 : rc == 0 && v.num == 48213, "%s: %s", counts[i].doc, err);
        CHECK_STR(err, counts[i].err, counts[i].doc);
        cJSON_Delete(cd);
    }
    struct extract_spec badv = { .mode = EXTRACT_VALUE, .path = "$.items" };
    CHECK(eval(root, &badv, &v, rows, &n, err) < 0, "a list is not a value");
    cJSON_Delete(root);

    /* "today" across local midnight in Asia/Jakarta (UTC+7). */
    setenv("TZ", "Asia/Jakarta", 1);
    tzset();
    struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = 23, .tm_min = 59, .tm_sec = 50, .tm_isdst = -1 };
    int64_t t = (int64_t)mktime(&tm);
    struct counter_track c = { 0 };
    counter_track_push(&c, 1000, t);
    CHECK(counter_track_today(&c) == 0 && counter_track_delta(&c) == 0, "first value: nothing yet");
    counter_track_push(&c, 1012, t + 5);
    CHECK(counter_track_today(&c) == 12 && counter_track_delta(&c) == 12, "same day: +12 today, +12 since last poll");
    counter_track_push(&c, 1015, t + 15); /* 00:00:05 the next day */
    CHECK(counter_track_today(&c) == 3, "after midnight today restarts from yesterday's last value: %g",
          counter_track_today(&c));
    CHECK(counter_track_delta(&c) == 3, "delta since the previous poll: %g", counter_track_delta(&c));
    CHECK(counter_track_today_at(&c, t + 15) == 3, "shown on the same day");
    CHECK(counter_track_today_at(&c, t + 86400 + 20) == 0, "a day later with no new value: nothing today yet");
    counter_track_push(&c, 1015, t + 25);
    CHECK(counter_track_today(&c) == 3 && counter_track_delta(&c) == 0, "unchanged poll: delta 0");
    counter_track_push(&c, 1020, t + 86400 + 20); /* 00:00:10 two days on */
    CHECK(counter_track_today(&c) == 5, "another day: %g", counter_track_today(&c));
    return check_finish("test_extract");
}
