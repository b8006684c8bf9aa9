/* tests/fuzz/fuzz_payload.c: MQTT payload extraction. The first line of
 * the input is a JSON path, the rest the payload. */
#include "feeds/payload.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - data) : 0;
    char *path = malloc(plen + 1);
    memcpy(path, data, plen);
    path[plen] = '\0';
    const char *payload = (const char *)data + (nl ? plen + 1 : 0);
    size_t len = size - (size_t)(payload - (const char *)data);
    char err[256];
    struct payload_path *p = payload_path_compile(path, err, sizeof(err));
    struct slot_value v;
    payload_extract(payload, len, p, &v, err, sizeof(err));
    payload_path_free(p);
    free(path);
    return 0;
}
