/* core/util.h: small helpers shared by every module: aborting allocators,
 * monotonic and wall clocks, secret redaction and text sanitising.
 * All functions are thread-safe. */
#ifndef PANTAU_UTIL_H
#define PANTAU_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <stdbool.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Bookkeeping allocations: abort with a message when memory is gone. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Hands memory that was freed back to the system (glibc keeps freed pages
 * of every thread's arena otherwise, so a wall whose cameras reconnect
 * grows by the decoders' buffers each time). A no-op without glibc. */
void mem_trim(void);
/* Allocator settings for a process that runs for months (main, first). */
void mem_setup(void);
/* Gives the system back the whole pages of [p, p + n) that hold only zero
 * bytes; the contents read the same (a dropped page comes back zeroed on
 * its first write). p must be memory from malloc, which is private and
 * anonymous, and no other thread may write it during the call. Returns the
 * bytes dropped (0 where the system cannot). For big zero-initialised
 * structures of which a program uses a small part (FFmpeg's H.264 context:
 * 765 KB, 94 % of it never written). */
size_t mem_release_zero_pages(void *p, size_t n);

/* strerror for any thread (glibc's strerror shares one buffer for unknown
 * codes): the text lives until this thread's next call. */
const char *errno_text(int e);

/* Milliseconds on the monotonic clock (never jumps; for ages and timeouts). */
/* The CLOCK_REALTIME time ms from now, for pthread_cond_timedwait. */
struct timespec util_deadline(int64_t ms);
int64_t now_ms(void);
/* Wall-clock seconds since the epoch; tests can pin it with util_fake_time(). */
int64_t wall_time(void);
/* Pin wall_time() to t (seconds since the epoch, advancing with the monotonic
 * clock when advance is true). t < 0 restores the real clock. */
void util_fake_time(int64_t t, bool advance);

/* Copy url into out with any password in its userinfo and the values of
 * credential-like query parameters (token, key, password, ...) replaced by
 * "***". Always NUL-terminates. Returns out. */
char *redact_url(const char *url, char *out, size_t outlen);
/* The host of scheme://[user@]host[:port]/… (IPv6 without brackets), "" if
 * none; never the credentials. Returns out. */
char *url_host(const char *url, char *out, size_t outlen);

/* Calls fn with each secret inside url: the userinfo password (or bare
 * user token) and credential-like query values, as redact_url hides them. */
void url_each_secret(const char *url, void (*fn)(const char *secret));

/* Copy text that came from outside (network, files) into out, replacing
 * control characters and invalid UTF-8 with U+FFFD-free '?' so it is safe to
 * log or draw. Always NUL-terminates. Returns out. */
char *sanitize_text(const char *in, char *out, size_t outlen);

/* Levenshtein distance, for "did you mean" hints. */
int edit_distance(const char *a, const char *b);

/* Human duration, "12 s", "3:05", "1:02:03" (ms >= 0). */
void format_age(int64_t ms, char *out, size_t outlen);

#endif
