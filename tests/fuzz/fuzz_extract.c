/* tests/fuzz/fuzz_extract.c: what HTTP panels take from a JSON reply
 * (value, count with a filter, groups, newest items) on any reply. */
#include "feeds/extract.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *root = cJSON_ParseWithLength((const char *)data, size);
    if (!root) {
        return 0;
    }
    static const struct extract_spec specs[] = {
        { .mode = EXTRACT_VALUE, .path = "$.total", .want_number = true, .want_count = true },
        { .mode = EXTRACT_VALUE, .path = "$.a[0].b" },
        { .mode = EXTRACT_COUNT, .path = "$.items", .where = "status=diterima\nkategori=Banjir" },
        { .mode = EXTRACT_GROUPS, .path = "$.items", .group_by = "kategori", .where = "" },
        { .mode = EXTRACT_ITEMS, .path = "$.items", .fields = "waktu,kecamatan,judul", .sort_by = "waktu",
          .limit = 5, .where = "" },
        { .mode = EXTRACT_ITEMS, .path = "", .fields = "a,b,c,d,e,f,g,h,i", .limit = 3, .where = "" },
    };
    static struct table_row rows[64];
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        char err[256];
        struct payload_path *p = payload_path_compile(specs[i].path, err, sizeof(err));
        struct slot_value v;
        size_t n = 0;
        extract_eval(root, &specs[i], p, &v, rows, 64, &n, err, sizeof(err));
        payload_path_free(p);
    }
    cJSON_Delete(root);
    return 0;
}
