/* widgets/text_cache.h: the one cached text renderer. Text is rendered with
 * SDL2_ttf once per (text, size, bold, colour, max width) into a texture
 * and reused every frame until evicted (LRU, bounded by entry count and
 * texture bytes). Render thread only. */
#ifndef PANTAU_TEXT_CACHE_H
#define PANTAU_TEXT_CACHE_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_align { TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT };

struct text_cache_stats {
    size_t entries;
    size_t bytes;
    uint64_t hits, misses, evictions;
    uint64_t expired;           /* of the evictions: not drawn for idle_ms */
    size_t fonts;
};

struct text_cache;

/* Finds the bundled DejaVu fonts (assets dir, then fontconfig). Returns
 * NULL and a reason in err when no font can be opened. Borrows r. */
struct text_cache *text_cache_create(SDL_Renderer *r, size_t max_entries, size_t max_bytes,
                                     char *err, size_t errlen);
void text_cache_destroy(struct text_cache *tc);

/* Draws s with its top-left corner at (x, y) when align is TEXT_LEFT, or
 * aligned within [x, x + max_w) otherwise. With max_w > 0 the text is cut
 * with an ellipsis to fit. Returns the drawn width. size is in pixels. */
int text_draw(struct text_cache *tc, const char *s, int size, bool bold, uint32_t rgba,
              int x, int y, int max_w, enum text_align align);
/* Like text_draw, for text that changes often but from few characters
 * (clocks, ages, counters): each character is cached on its own and the
 * string is composed from them, so a new second costs no rendering. No
 * ellipsis: text wider than max_w is clipped by the caller's clip rect. */
int text_draw_chars(struct text_cache *tc, const char *s, int size, bool bold, uint32_t rgba,
                    int x, int y, int max_w, enum text_align align);
int text_width_chars(struct text_cache *tc, const char *s, int size, bool bold);

/* Splits s into at most max_lines lines of whole words that each fit
 * max_w pixels (the last takes the rest, to be cut with an ellipsis when
 * drawn). Measures without rendering. Returns the number of lines. */
#define TEXT_WRAP_LINE 192
int text_wrap(struct text_cache *tc, const char *s, int size, bool bold, int max_w, char lines[][TEXT_WRAP_LINE],
              int max_lines);

/* Fonts taken for characters the main font lacks so far, and characters
 * no installed font has (drawn as U+FFFD). */
void text_cache_fallbacks(const struct text_cache *tc, size_t *fonts, size_t *missing);

/* Width and height s would take (cached like drawing). */
void text_measure(struct text_cache *tc, const char *s, int size, bool bold, int *w, int *h);
/* Line height of the font at size. */
int text_line_height(struct text_cache *tc, int size, bool bold);

void text_cache_stats(const struct text_cache *tc, struct text_cache_stats *out);
/* Sets the cache's clock to now and frees every text not drawn for idle_ms
 * (oldest first): the cache then holds what the wall shows, not every value
 * it ever showed, so a wall that runs for months stays at its working set
 * instead of filling max_bytes. Call about once a second. */
void text_cache_expire(struct text_cache *tc, int64_t now, int64_t idle_ms);
/* Drops every texture (e.g. after the renderer was reset). */
void text_cache_clear(struct text_cache *tc);

/* Path of the bundled regular font, for tests and --version. */
const char *text_cache_font_path(const struct text_cache *tc);

#endif
