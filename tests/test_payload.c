/* tests/test_payload.c: payload -> value extraction: plain numbers, words,
 * JSON paths, and every kind of bad payload as an error, never a crash. */
#include "feeds/payload.h"
#include "check.h"

#include <stdlib.h>

struct ok_case {
    const char *payload, *path;
    enum slot_type type;
    double num;
    const char *text, *why;
};

struct bad_case {
    const char *payload;
    size_t len; /* 0: strlen */
    const char *path, *err, *why;
};

int main(void)
{
    static const struct ok_case ok[] = {
        { "42", "", SLOT_NUMBER, 42, NULL, "plain integer" },
        { " -3.5e2\n", "", SLOT_NUMBER, -350, NULL, "whitespace and exponent" },
        { "ON", "", SLOT_BOOL, 1, "on", "on/off words, any case" },
        { "false", "", SLOT_BOOL, 0, "off", "true/false" },
        { "RUN", "", SLOT_TEXT, 0, "RUN", "a text state" },
        { "{\"level_cm\": 412.5}", "$.level_cm", SLOT_NUMBER, 412.5, NULL, "JSON member" },
        { "{\"a\":{\"b\":[{\"c\":1},{\"c\":7}]}}", "$.a.b[1].c", SLOT_NUMBER, 7, NULL, "nested path with index" },
        { "{\"a\":{\"b\":2}}", "a.b", SLOT_NUMBER, 2, NULL, "path without $." },
        { "{\"ok\": true}", "$.ok", SLOT_BOOL, 1, "on", "JSON boolean" },
        { "{\"v\": \"12.5\"}", "$.v", SLOT_NUMBER, 12.5, NULL, "number inside a JSON string" },
        { "{\"s\": \"STOP\"}", "$.s", SLOT_TEXT, 0, "STOP", "JSON string state" },
        { "[3, 4]", "$[1]", SLOT_NUMBER, 4, NULL, "top-level list" },
        { "17", "$", SLOT_NUMBER, 17, NULL, "$ alone is the whole payload" },
        { "\"7\"", "", SLOT_NUMBER, 7, NULL, "a JSON string payload without path" },
        { "1e-400", "", SLOT_NUMBER, 0, NULL, "underflow is zero, not an error" },
        { "0x1A", "", SLOT_TEXT, 0, "0x1A", "hexadecimal is a text state, not 26" },
        { "\xef\xbb\xbf{\"v\": 3}", "$.v", SLOT_NUMBER, 3, NULL, "a byte-order mark before JSON" },
        { "\xef\xbb\xbf\"7\"", "", SLOT_NUMBER, 7, NULL, "a byte-order mark before a JSON string, no path" },
        { "{\"v\": 1, \"v\": 2}", "$.v", SLOT_NUMBER, 2, NULL, "a key given twice: the last one" },
        { "Jl. Sudirman, 2 lajur", "", SLOT_TEXT, 0, "Jl. Sudirman, 2 lajur", "a text with a comma stays a text" },
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char err[160] = "";
        struct payload_path *p = payload_path_compile(ok[i].path, err, sizeof(err));
        CHECK(p != NULL, "%s: path compiles (%s)", ok[i].why, err);
        struct slot_value v;
        int rc = payload_extract(ok[i].payload, strlen(ok[i].payload), p, &v, err, sizeof(err));
        CHECK(rc == 0, "%s: extracted (%s)", ok[i].why, err);
        CHECK_INT(v.type, ok[i].type, ok[i].why);
        if (ok[i].type != SLOT_TEXT) {
            CHECK(v.num == ok[i].num, "%s: %g == %g", ok[i].why, v.num, ok[i].num);
        }
        if (ok[i].text) {
            CHECK_STR(v.text, ok[i].text, ok[i].why);
        }
        payload_path_free(p);
    }

    char *big = malloc(PAYLOAD_MAX + 2);
    memset(big, '1', PAYLOAD_MAX + 1);
    big[PAYLOAD_MAX + 1] = '\0';
    char *deep = malloc(20002);
    memset(deep, '[', 10000);
    memset(deep + 10000, ']', 10000);
    deep[20000] = '\0';
    static const char bad_utf8[] = "12\xff\xfe";
    static const char with_nul[] = { '1', '\0', '2' };
    const struct bad_case bad[] = {
        { bad_utf8, 0, "", "payload is not valid UTF-8 text", "invalid UTF-8" },
        { with_nul, 3, "", "payload is not valid UTF-8 text", "NUL inside" },
        { big, 0, "", "payload of 262145 bytes is over the 256 KB limit", "over the size cap" },
        { "NaN", 0, "", "not a finite number", "NaN" },
        { "inf", 0, "", "not a finite number", "inf" },
        { "-Infinity", 0, "", "not a finite number", "-Infinity" },
        { "1e999", 0, "", "not a finite number", "overflow" },
        { "", 0, "", "empty payload", "empty" },
        { "   ", 0, "", "empty payload", "blank" },
        { deep, 0, "$[0]", "payload is not valid JSON (a path is set)", "10000 levels deep" },
        { "{\"level\": 1", 0, "$.level", "payload is not valid JSON (a path is set)", "truncated JSON" },
        { "{\"x\": 1}", 0, "$.level", "$.level: missing in the payload (it has x)", "missing member" },
        { "{\"a\": [1]}", 0, "$.a[3]", "$.a[3]: missing in the payload (the list has only 1)", "index past the end" },
        { "412,5", 0, "", "\"412,5\": send numbers with a decimal point, no separators (412.5)",
          "a decimal comma is an error, not a text" },
        { "{\"v\": \"12.345,6\"}", 0, "$.v", "$.v: \"12.345,6\": send numbers with a decimal point, no separators "
                                          "(412.5)", "grouped digits in a JSON string" },
        { "1 234", 0, "", "\"1 234\": send numbers with a decimal point, no separators (412.5)", "digits grouped by a space" },
        { "{\"a\": {\"b\": 1}}", 0, "$.a", "$.a: expected a number, boolean or text, got an object", "object" },
        { "{\"a\": [1, 2]}", 0, "$.a", "$.a: expected a number, boolean or text, got a list", "list" },
        { "{\"a\": null}", 0, "$.a", "$.a: expected a number, boolean or text, got null", "null" },
        { "{\"a\": \"NaN\"}", 0, "$.a", "$.a: not a finite number", "NaN in a string" },
        { "7", 0, "$.a", "$.a: missing in the payload (what is before it is a number, not an object)", "a plain number where an object is expected" },
        { "{\"a\": 1}", 0, "$.a.b", "$.a.b: missing in the payload (what is before it is a number, not an object)", "path through a number" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[160] = "";
        struct payload_path *p = payload_path_compile(bad[i].path, err, sizeof(err));
        struct slot_value v;
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].payload);
        int rc = payload_extract(bad[i].payload, len, p, &v, err, sizeof(err));
        CHECK(rc < 0, "%s: refused", bad[i].why);
        CHECK_STR(err, bad[i].err, bad[i].why);
        payload_path_free(p);
    }
    free(big);
    free(deep);

    /* The JSON depth cap (cJSON's 1000 levels): at the limit the payload is
     * read (the path then finds a list), one level more is not JSON. */
    for (int depth = 1000; depth <= 1001; depth++) {
        char *nest = malloc((size_t)depth * 2 + 2);
        memset(nest, '[', (size_t)depth);
        nest[depth] = '1';
        memset(nest + depth + 1, ']', (size_t)depth);
        nest[depth * 2 + 1] = '\0';
        char err[160] = "";
        struct payload_path *p = payload_path_compile("$[0]", err, sizeof(err));
        struct slot_value v;
        int rc = payload_extract(nest, strlen(nest), p, &v, err, sizeof(err));
        CHECK(rc < 0, "%d levels: no value at $[0] (a list)", depth);
        CHECK_STR(err, depth == 1000 ? "$[0]: expected a number, boolean or text, got a list"
                                     : "payload is not valid JSON (a path is set)",
                  depth == 1000 ? "1000 levels are read" : "1001 levels are refused");
        payload_path_free(p);
        free(nest);
    }
    /* The path cap: 16 steps compile, 17 do not. */
    {
        char err[160] = "";
        char path16[64] = "$", path17[64] = "$";
        for (int i = 0; i < 16; i++) {
            strcat(path16, ".a");
            strcat(path17, ".a");
        }
        strcat(path17, ".a");
        struct payload_path *p = payload_path_compile(path16, err, sizeof(err));
        CHECK(p != NULL, "a path of 16 steps compiles: %s", err);
        payload_path_free(p);
        p = payload_path_compile(path17, err, sizeof(err));
        CHECK(p == NULL, "a path of 17 steps is refused");
        CHECK(strstr(err, "deeper than 16 steps") != NULL, "the error names the limit: %s", err);
        payload_path_free(p);
    }

    static const char *const bad_paths[] = { "$.", "$.a[", "$.a[x]", "$.a[-1]", "$..a", "$.a]b" };
    for (size_t i = 0; i < sizeof(bad_paths) / sizeof(bad_paths[0]); i++) {
        char err[160] = "";
        struct payload_path *p = payload_path_compile(bad_paths[i], err, sizeof(err));
        CHECK(p == NULL && err[0], "malformed path \"%s\" refused with a reason", bad_paths[i]);
        payload_path_free(p);
    }
    return check_finish("test_payload");
}
