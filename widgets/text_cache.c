/* widgets/text_cache.c: SDL2_ttf text rendered once into textures, kept in
 * an LRU cache bounded by entries and bytes. Render thread only.
 *
 * Data model: entries live in a hash table (chained, fixed bucket count)
 * for lookup and in a doubly linked list ordered by last use for eviction.
 * Fonts are opened per (pixel size, bold) on first use and kept in a small
 * table, since sizes are few (they follow the panel scale). */
#include "text_cache.h"
#include "../core/util.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_BUCKETS 1024
#define MAX_FONTS 48
#define MIN_SIZE 6
#define MAX_SIZE 400

struct entry {
    char *text;
    int size, max_w;
    bool bold;
    uint32_t rgba;
    uint32_t hash;
    SDL_Texture *tex;           /* NULL for empty text */
    int w, h;
    size_t bytes;
    int64_t used;               /* tc->now when last drawn or measured */
    struct entry *hnext;        /* bucket chain */
    struct entry *prev, *next;  /* LRU list: head = most recent */
};

struct font {
    int size;
    bool bold;
    int which;                  /* 0: the main font; k: fallback k-1 */
    TTF_Font *f;
};

#define MAX_FALLBACKS 4

struct text_cache {
    SDL_Renderer *r;
    char *path[2];              /* regular, bold */
    /* Fonts found (fontconfig) for characters the main font lacks (emoji,
     * other scripts): tried in order. */
    char *fallback[MAX_FALLBACKS];
    size_t n_fallback;
    uint32_t missing[64];       /* characters no installed font has (shown as U+FFFD) */
    size_t n_missing;
    struct font fonts[MAX_FONTS];
    size_t n_fonts;
    /* Each font file read once and opened from memory at every size: an
     * open file per size would hold up to MAX_FONTS descriptors. Index:
     * 0 regular, 1 bold, 2 + k fallback k. */
    void *file_data[2 + MAX_FALLBACKS];
    size_t file_len[2 + MAX_FALLBACKS];
    struct entry *buckets[N_BUCKETS];
    struct entry *head, *tail;
    size_t max_entries, max_bytes;
    int64_t now;                /* set by text_cache_expire */
    struct text_cache_stats st;
};

static bool readable(const char *p)
{
    return p && access(p, R_OK) == 0;
}

/* The bundled font first (so every wall looks the same), then fontconfig. */
static char *find_font(const char *file, const char *family, bool bold)
{
    const char *dirs[] = { getenv("PANTAU_ASSETS"), PANTAU_ASSETS_DIR, PANTAU_INSTALLED_ASSETS_DIR };
    for (size_t i = 0; i < ARRAY_LEN(dirs); i++) {
        if (!dirs[i]) {
            continue;
        }
        char *p = xasprintf("%s/fonts/%s", dirs[i], file);
        if (readable(p)) {
            return p;
        }
        free(p);
    }
    char *found = NULL;
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    FcChar8 *fp = NULL;
    if (m && FcPatternGetString(m, FC_FILE, 0, &fp) == FcResultMatch && readable((char *)fp)) {
        found = xstrdup((const char *)fp);
    }
    if (m) {
        FcPatternDestroy(m);
    }
    FcPatternDestroy(pat);
    return found;
}

struct text_cache *text_cache_create(SDL_Renderer *r, size_t max_entries, size_t max_bytes,
                                     char *err, size_t errlen)
{
    if (!TTF_WasInit() && TTF_Init() < 0) {
        snprintf(err, errlen, "TTF_Init failed: %s", TTF_GetError());
        return NULL;
    }
    struct text_cache *tc = xcalloc(1, sizeof(*tc));
    tc->r = r;
    tc->max_entries = max_entries ? max_entries : 1;
    tc->max_bytes = max_bytes;
    tc->path[0] = find_font("DejaVuSans.ttf", "DejaVu Sans", false);
    tc->path[1] = find_font("DejaVuSans-Bold.ttf", "DejaVu Sans", true);
    if (!tc->path[0]) {
        snprintf(err, errlen, "no font found: install fonts-dejavu-core or set PANTAU_ASSETS to "
                              "the folder holding fonts/DejaVuSans.ttf");
        text_cache_destroy(tc);
        return NULL;
    }
    if (!tc->path[1]) {
        tc->path[1] = xstrdup(tc->path[0]);
    }
    return tc;
}

static void free_entry(struct text_cache *tc, struct entry *e)
{
    if (e->tex) {
        SDL_DestroyTexture(e->tex);
    }
    tc->st.bytes -= e->bytes;
    tc->st.entries--;
    free(e->text);
    free(e);
}

void text_cache_clear(struct text_cache *tc)
{
    struct entry *e = tc->head;
    while (e) {
        struct entry *n = e->next;
        free_entry(tc, e);
        e = n;
    }
    tc->head = tc->tail = NULL;
    memset(tc->buckets, 0, sizeof(tc->buckets));
}

void text_cache_destroy(struct text_cache *tc)
{
    if (tc) {
        for (size_t i = 0; i < tc->n_fallback; i++) {
            free(tc->fallback[i]);
        }
    }
    if (!tc) {
        return;
    }
    text_cache_clear(tc);
    for (size_t i = 0; i < tc->n_fonts; i++) {
        TTF_CloseFont(tc->fonts[i].f);
    }
    for (size_t i = 0; i < ARRAY_LEN(tc->file_data); i++) {
        SDL_free(tc->file_data[i]);
    }
    free(tc->path[0]);
    free(tc->path[1]);
    free(tc);
}

const char *text_cache_font_path(const struct text_cache *tc)
{
    return tc->path[0];
}

void text_cache_stats(const struct text_cache *tc, struct text_cache_stats *out)
{
    *out = tc->st;
    out->fonts = tc->n_fonts;
}

static int clamp_size(int size)
{
    return size < MIN_SIZE ? MIN_SIZE : size > MAX_SIZE ? MAX_SIZE : size;
}

static TTF_Font *open_font(struct text_cache *tc, int size, bool bold, int which)
{
    for (size_t i = 0; i < tc->n_fonts; i++) {
        if (tc->fonts[i].size == size && tc->fonts[i].bold == bold && tc->fonts[i].which == which) {
            return tc->fonts[i].f;
        }
    }
    int file = which ? 1 + which : bold ? 1 : 0;
    if (!tc->file_data[file]) {
        tc->file_data[file] = SDL_LoadFile(which ? tc->fallback[which - 1] : tc->path[bold ? 1 : 0],
                                           &tc->file_len[file]);
        if (!tc->file_data[file]) {
            return NULL;
        }
    }
    SDL_RWops *rw = SDL_RWFromConstMem(tc->file_data[file], (int)tc->file_len[file]);
    TTF_Font *f = rw ? TTF_OpenFontRW(rw, 1, size) : NULL;
    if (f && which && bold) {
        TTF_SetFontStyle(f, TTF_STYLE_BOLD);
    }
    if (!f) {
        return NULL;
    }
    if (tc->n_fonts == MAX_FONTS) {
        /* Many sizes means window resizes: drop the oldest font. Textures
         * already rendered with it stay valid. */
        TTF_CloseFont(tc->fonts[0].f);
        memmove(&tc->fonts[0], &tc->fonts[1], (MAX_FONTS - 1) * sizeof(tc->fonts[0]));
        tc->n_fonts--;
    }
    tc->fonts[tc->n_fonts++] = (struct font){ size, bold, which, f };
    return f;
}

static TTF_Font *get_font(struct text_cache *tc, int size, bool bold)
{
    return open_font(tc, size, bold, 0);
}

/* The font for character cp: 0 the main one, k fallback k-1, -1 none
 * (drawn as U+FFFD). Looks a new fallback up with fontconfig once. */
static int font_for(struct text_cache *tc, TTF_Font *main, int size, bool bold, uint32_t cp)
{
    if (cp < 0x80 || TTF_GlyphIsProvided32(main, cp)) {
        return 0;
    }
    for (size_t i = 0; i < tc->n_fallback; i++) {
        TTF_Font *f = open_font(tc, size, bold, (int)i + 1);
        if (f && TTF_GlyphIsProvided32(f, cp)) {
            return (int)i + 1;
        }
    }
    for (size_t i = 0; i < tc->n_missing; i++) {
        if (tc->missing[i] == cp) {
            return -1;
        }
    }
    if (tc->n_fallback < MAX_FALLBACKS) {
        FcPattern *pat = FcPatternCreate();
        FcCharSet *cs = FcCharSetCreate();
        FcCharSetAddChar(cs, cp);
        FcPatternAddCharSet(pat, FC_CHARSET, cs);
        FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *m = FcFontMatch(NULL, pat, &res);
        FcChar8 *fp = NULL;
        FcCharSet *mcs = NULL;
        if (m && FcPatternGetString(m, FC_FILE, 0, &fp) == FcResultMatch &&
            FcPatternGetCharSet(m, FC_CHARSET, 0, &mcs) == FcResultMatch && FcCharSetHasChar(mcs, cp) &&
            readable((const char *)fp)) {
            tc->fallback[tc->n_fallback++] = xstrdup((const char *)fp);
            TTF_Font *f = open_font(tc, size, bold, (int)tc->n_fallback);
            if (f && TTF_GlyphIsProvided32(f, cp)) {
                if (m) {
                    FcPatternDestroy(m);
                }
                FcCharSetDestroy(cs);
                FcPatternDestroy(pat);
                return (int)tc->n_fallback;
            }
        }
        if (m) {
            FcPatternDestroy(m);
        }
        FcCharSetDestroy(cs);
        FcPatternDestroy(pat);
    }
    if (tc->n_missing < sizeof(tc->missing) / sizeof(tc->missing[0])) {
        tc->missing[tc->n_missing++] = cp;
    }
    return -1;
}

/* One UTF-8 character of s: its code point and length (1 for a bad byte). */
static size_t utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] < 0x80 ? 1 : (u[0] & 0xe0) == 0xc0 ? 2 : (u[0] & 0xf0) == 0xe0 ? 3 : (u[0] & 0xf8) == 0xf0 ? 4 : 1;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            n = 1;
            break;
        }
    }
    *cp = n == 1 ? u[0] : n == 2 ? (uint32_t)(u[0] & 0x1f) : n == 3 ? (uint32_t)(u[0] & 0x0f) : (uint32_t)(u[0] & 0x07);
    for (size_t i = 1; i < n; i++) {
        *cp = (*cp << 6) | (u[i] & 0x3f);
    }
    return n;
}

/* Renders s when some of its characters need another font: runs of one
 * font each, rendered and put side by side on the main font's baseline;
 * characters no font has become U+FFFD. NULL when the main font has them
 * all (the caller renders s at once). */
static SDL_Surface *render_mixed(struct text_cache *tc, TTF_Font *main, int size, bool bold, const char *s,
                                 SDL_Color c)
{
    bool mixed = false;
    for (const char *p = s; *p;) {
        uint32_t cp;
        p += utf8_next(p, &cp);
        if (font_for(tc, main, size, bold, cp) != 0) {
            mixed = true;
            break;
        }
    }
    if (!mixed) {
        return NULL;
    }
    SDL_Surface *parts[64];
    int asc[64];
    size_t n = 0;
    int w = 0, top = TTF_FontAscent(main), bottom = TTF_FontHeight(main) - TTF_FontAscent(main);
    for (const char *p = s; *p && n < 64;) {
        uint32_t cp;
        size_t len = utf8_next(p, &cp);
        int which = font_for(tc, main, size, bold, cp);
        char run[512];
        size_t rl = 0;
        if (which < 0) {
            memcpy(run, "\xef\xbf\xbd", 3); /* U+FFFD: a visible replacement, not an empty box */
            rl = 3;
            p += len;
            which = 0;
        } else {
            /* The longest run of characters of this font. */
            while (*p && rl + 4 < sizeof(run)) {
                uint32_t cp2;
                size_t l2 = utf8_next(p, &cp2);
                if (font_for(tc, main, size, bold, cp2) != which) {
                    break;
                }
                memcpy(run + rl, p, l2);
                rl += l2;
                p += l2;
            }
        }
        run[rl] = '\0';
        TTF_Font *f = which ? open_font(tc, size, bold, which) : main;
        SDL_Surface *part = f ? TTF_RenderUTF8_Blended(f, run, c) : NULL;
        if (!part) {
            continue;
        }
        parts[n] = part;
        asc[n] = TTF_FontAscent(f);
        top = asc[n] > top ? asc[n] : top;
        int desc = part->h - asc[n];
        bottom = desc > bottom ? desc : bottom;
        w += part->w;
        n++;
    }
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, top + bottom, 32, SDL_PIXELFORMAT_ARGB8888);
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (out) {
            SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
            SDL_Rect dst = { x, top - asc[i], parts[i]->w, parts[i]->h };
            SDL_BlitSurface(parts[i], NULL, out, &dst);
        }
        x += parts[i]->w;
        SDL_FreeSurface(parts[i]);
    }
    return out;
}

int text_line_height(struct text_cache *tc, int size, bool bold)
{
    TTF_Font *f = get_font(tc, clamp_size(size), bold);
    return f ? TTF_FontHeight(f) : size;
}

static uint32_t hash_key(const char *s, int size, bool bold, uint32_t rgba, int max_w)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h = (h ^ *p) * 16777619u;
    }
    uint32_t extra[4] = { (uint32_t)size, bold, rgba, (uint32_t)max_w };
    for (size_t i = 0; i < 4; i++) {
        h = (h ^ extra[i]) * 16777619u;
    }
    return h;
}

static void lru_unlink(struct text_cache *tc, struct entry *e)
{
    if (e->prev) {
        e->prev->next = e->next;
    } else {
        tc->head = e->next;
    }
    if (e->next) {
        e->next->prev = e->prev;
    } else {
        tc->tail = e->prev;
    }
    e->prev = e->next = NULL;
}

static void lru_push(struct text_cache *tc, struct entry *e)
{
    e->next = tc->head;
    e->prev = NULL;
    if (tc->head) {
        tc->head->prev = e;
    }
    tc->head = e;
    if (!tc->tail) {
        tc->tail = e;
    }
}

static void evict_one(struct text_cache *tc)
{
    struct entry *e = tc->tail;
    if (!e) {
        return;
    }
    lru_unlink(tc, e);
    for (struct entry **pp = &tc->buckets[e->hash % N_BUCKETS]; *pp; pp = &(*pp)->hnext) {
        if (*pp == e) {
            *pp = e->hnext;
            break;
        }
    }
    free_entry(tc, e);
    tc->st.evictions++;
}

/* The longest prefix of s (cut at a character boundary) that fits max_w
 * with "…" appended. Returns a new string. */
static char *ellipsize(TTF_Font *f, const char *s, int max_w)
{
    size_t len = strlen(s);
    size_t lo = 0, hi = len; /* lo fits, hi unknown */
    char *buf = xmalloc(len + 4);
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid > lo && (s[mid] & 0xc0) == 0x80) {
            mid--; /* back to a character start */
        }
        if (mid == lo) {
            /* Step forward one whole character instead. */
            mid = lo + 1;
            while (mid < len && (s[mid] & 0xc0) == 0x80) {
                mid++;
            }
        }
        memcpy(buf, s, mid);
        memcpy(buf + mid, "\xe2\x80\xa6", 4);
        int w = 0, h = 0;
        TTF_SizeUTF8(f, buf, &w, &h);
        if (w <= max_w) {
            lo = mid;
        } else {
            hi = mid - 1;
            while (hi > lo && (s[hi] & 0xc0) == 0x80) {
                hi--;
            }
        }
    }
    memcpy(buf, s, lo);
    memcpy(buf + lo, "\xe2\x80\xa6", 4);
    return buf;
}

static struct entry *lookup(struct text_cache *tc, const char *s, int size, bool bold,
                            uint32_t rgba, int max_w)
{
    size = clamp_size(size);
    if (max_w < 0) {
        max_w = 0;
    }
    uint32_t h = hash_key(s, size, bold, rgba, max_w);
    for (struct entry *e = tc->buckets[h % N_BUCKETS]; e; e = e->hnext) {
        if (e->hash == h && e->size == size && e->bold == bold && e->rgba == rgba &&
            e->max_w == max_w && strcmp(e->text, s) == 0) {
            tc->st.hits++;
            e->used = tc->now;
            lru_unlink(tc, e);
            lru_push(tc, e);
            return e;
        }
    }
    tc->st.misses++;
    TTF_Font *f = get_font(tc, size, bold);
    struct entry *e = xcalloc(1, sizeof(*e));
    e->text = xstrdup(s);
    e->size = size;
    e->bold = bold;
    e->rgba = rgba;
    e->max_w = max_w;
    e->hash = h;
    e->used = tc->now;
    if (f && *s) {
        char *shown = NULL;
        int w = 0, hh = 0;
        TTF_SizeUTF8(f, s, &w, &hh);
        if (max_w > 0 && w > max_w) {
            shown = ellipsize(f, s, max_w);
        }
        SDL_Color c = { (Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8), (Uint8)rgba };
        SDL_Surface *surf = render_mixed(tc, f, size, bold, shown ? shown : s, c);
        if (!surf) {
            surf = TTF_RenderUTF8_Blended(f, shown ? shown : s, c);
        } else if (max_w > 0 && surf->w > max_w) {
            surf->w = max_w; /* a mixed text: cut (its ellipsis was measured in the main font) */
        }
        free(shown);
        if (surf) {
            e->tex = SDL_CreateTextureFromSurface(tc->r, surf);
            e->w = surf->w;
            e->h = surf->h;
            SDL_FreeSurface(surf);
        }
        if (e->tex) {
            SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
        }
    } else if (f) {
        e->h = TTF_FontHeight(f);
    }
    e->bytes = (size_t)e->w * (size_t)e->h * 4;
    while (tc->st.entries > 0 &&
           (tc->st.entries + 1 > tc->max_entries ||
            (tc->max_bytes && tc->st.bytes + e->bytes > tc->max_bytes))) {
        evict_one(tc);
    }
    e->hnext = tc->buckets[h % N_BUCKETS];
    tc->buckets[h % N_BUCKETS] = e;
    lru_push(tc, e);
    tc->st.entries++;
    tc->st.bytes += e->bytes;
    return e;
}

void text_cache_expire(struct text_cache *tc, int64_t now, int64_t idle_ms)
{
    tc->now = now;
    while (tc->tail && tc->tail->used < now - idle_ms) {
        evict_one(tc);
        tc->st.expired++;
    }
}

int text_draw(struct text_cache *tc, const char *s, int size, bool bold, uint32_t rgba,
              int x, int y, int max_w, enum text_align align)
{
    if (!s || !*s || (rgba & 0xff) == 0) {
        return 0;
    }
    struct entry *e = lookup(tc, s, size, bold, rgba, max_w);
    if (!e->tex) {
        return 0;
    }
    int dx = x;
    if (align == TEXT_CENTER && max_w > 0) {
        dx = x + (max_w - e->w) / 2;
    } else if (align == TEXT_RIGHT && max_w > 0) {
        dx = x + max_w - e->w;
    }
    SDL_Rect dst = { dx, y, e->w, e->h };
    SDL_RenderCopy(tc->r, e->tex, NULL, &dst);
    return e->w;
}

void text_measure(struct text_cache *tc, const char *s, int size, bool bold, int *w, int *h)
{
    if (!s || !*s) {
        *w = 0;
        *h = text_line_height(tc, size, bold);
        return;
    }
    struct entry *e = lookup(tc, s, size, bold, 0xffffffff, 0);
    *w = e->w;
    *h = e->h;
}

/* Calls fn for each UTF-8 character of s as its own NUL-terminated string. */
static int each_char(struct text_cache *tc, const char *s, int size, bool bold, uint32_t rgba,
                     int x, int y, bool draw)
{
    int w = 0;
    while (*s) {
        char ch[8];
        size_t n = 1;
        while (s[n] && (s[n] & 0xc0) == 0x80 && n < sizeof(ch) - 1) {
            n++;
        }
        memcpy(ch, s, n);
        ch[n] = '\0';
        s += n;
        struct entry *e = lookup(tc, ch, size, bold, rgba, 0);
        if (draw && e->tex) {
            SDL_Rect dst = { x + w, y, e->w, e->h };
            SDL_RenderCopy(tc->r, e->tex, NULL, &dst);
        }
        w += e->w;
    }
    return w;
}

int text_width_chars(struct text_cache *tc, const char *s, int size, bool bold)
{
    return s ? each_char(tc, s, size, bold, 0xffffffff, 0, 0, false) : 0;
}

int text_draw_chars(struct text_cache *tc, const char *s, int size, bool bold, uint32_t rgba,
                    int x, int y, int max_w, enum text_align align)
{
    if (!s || !*s || (rgba & 0xff) == 0) {
        return 0;
    }
    int dx = x;
    if (align != TEXT_LEFT && max_w > 0) {
        int w = each_char(tc, s, size, bold, rgba, 0, 0, false);
        dx = align == TEXT_CENTER ? x + (max_w - w) / 2 : x + max_w - w;
    }
    return each_char(tc, s, size, bold, rgba, dx, y, true);
}

int text_wrap(struct text_cache *tc, const char *s, int size, bool bold, int max_w, char lines[][TEXT_WRAP_LINE],
              int max_lines)
{
    TTF_Font *f = get_font(tc, clamp_size(size), bold);
    int n = 0;
    const char *p = s ? s : "";
    while (*p == ' ') {
        p++;
    }
    while (*p && n < max_lines) {
        /* The longest run of whole words from p that fits; a single word
         * wider than the line is cut by the ellipsis when drawn. */
        size_t best = 0, len = 0;
        for (;;) {
            size_t next = len;
            while (p[next] && p[next] != ' ') {
                next++;
            }
            if (next >= TEXT_WRAP_LINE) {
                break;
            }
            char buf[TEXT_WRAP_LINE];
            memcpy(buf, p, next);
            buf[next] = '\0';
            int w = 0, h = 0;
            if (f) {
                TTF_SizeUTF8(f, buf, &w, &h);
            }
            if (w > max_w && best) {
                break;
            }
            best = next;
            if (!p[next] || w > max_w) {
                break;
            }
            len = next + 1;
        }
        if (!best) {
            best = strcspn(p, " ");
            best = best < TEXT_WRAP_LINE - 1 ? best : TEXT_WRAP_LINE - 1;
        }
        if (n == max_lines - 1 && p[best]) {
            best = strlen(p) < TEXT_WRAP_LINE - 1 ? strlen(p) : TEXT_WRAP_LINE - 1; /* the rest; drawing ellipsizes */
        }
        memcpy(lines[n], p, best);
        lines[n][best] = '\0';
        n++;
        p += best;
        while (*p == ' ') {
            p++;
        }
    }
    return n;
}

void text_cache_fallbacks(const struct text_cache *tc, size_t *fonts, size_t *missing)
{
    *fonts = tc->n_fallback;
    *missing = tc->n_missing;
}
