/* widgets/draw.c: drawing primitives. Render thread only. */
#include "draw.h"

#include <stdbool.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void draw_set_color(SDL_Renderer *r, uint32_t c)
{
    SDL_SetRenderDrawColor(r, (Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c);
}

/* Software renderers whose target draw_fill writes into itself. SDL
 * 2.26's SDL_FillRect (SSE path) streams 64-byte runs from wherever a row
 * starts; on a row that does not start on a cache line each run writes two
 * partial lines: 7-9 x slower for a panel's body (0.115 ms for 314x234 px
 * at x = 3) than on whole lines, which made fills more than half of a full
 * redraw. Plain stores are no answer either: they read the cold target
 * first (a whole-screen clear: 1.3 ms against 0.4). fill_row streams whole
 * lines only. bench/render, 24 panels: p50 5.4 -> 1.9 ms. Render thread
 * only, as the renderers are. */
#define DIRECT_MAX 8
#define DIRECT_MIN_PX 1024 /* smaller fills: SDL's call is cheap enough */
static struct direct {
    SDL_Renderer *r;
    SDL_Surface *target;     /* NULL: the renderer's window's surface */
} directs[DIRECT_MAX];

void draw_direct_target(SDL_Renderer *r, SDL_Surface *target)
{
    draw_direct_forget(r);
    for (size_t i = 0; i < DIRECT_MAX; i++) {
        if (!directs[i].r) {
            directs[i] = (struct direct){ r, target };
            return;
        }
    }
}

void draw_direct_forget(SDL_Renderer *r)
{
    for (size_t i = 0; i < DIRECT_MAX; i++) {
        if (directs[i].r == r) {
            directs[i] = (struct direct){ NULL, NULL };
        }
    }
}

/* n pixels of px from p: whole 64-byte lines with non-temporal stores
 * (a fill of cold memory need not read it first), the partial lines at
 * either end with plain stores. */
static void fill_row(Uint32 *p, Uint32 px, size_t n)
{
#ifdef __SSE2__
    while (n && ((uintptr_t)p & 63)) {
        *p++ = px;
        n--;
    }
    __m128i v = _mm_set1_epi32((int)px);
    for (; n >= 16; n -= 16, p += 16) {
        _mm_stream_si128((__m128i *)p, v);
        _mm_stream_si128((__m128i *)(p + 4), v);
        _mm_stream_si128((__m128i *)(p + 8), v);
        _mm_stream_si128((__m128i *)(p + 12), v);
    }
#endif
    while (n--) {
        *p++ = px;
    }
}

SDL_Surface *draw_direct_surface(SDL_Renderer *r, SDL_Rect *area)
{
    SDL_Surface *s = NULL;
    for (size_t i = 0; i < DIRECT_MAX && !s; i++) {
        if (directs[i].r == r) {
            s = directs[i].target ? directs[i].target : SDL_GetWindowSurface(SDL_RenderGetWindow(r));
            if (!s) {
                return NULL;
            }
        }
    }
    if (!s || s->format->BytesPerPixel != 4 || SDL_MUSTLOCK(s) || SDL_GetRenderTarget(r)) {
        return NULL;
    }
    SDL_Rect vp;
    float sx, sy;
    SDL_RenderGetViewport(r, &vp);
    SDL_RenderGetScale(r, &sx, &sy);
    if (vp.x || vp.y || sx != 1.0f || sy != 1.0f) {
        return NULL;
    }
    *area = (SDL_Rect){ 0, 0, s->w, s->h };
    if (SDL_RenderIsClipEnabled(r)) {
        SDL_Rect clip;
        SDL_RenderGetClipRect(r, &clip);
        if (!SDL_IntersectRect(area, &clip, area)) {
            *area = (SDL_Rect){ 0, 0, 0, 0 };
        }
    }
    if (SDL_RenderFlush(r) != 0) { /* what was queued before lands first */
        return NULL;
    }
    return s;
}

/* Fills box on r's target with plain stores; false when r is not a
 * registered software renderer in the state this assumes (no render target
 * texture, no viewport offset or scale), so that SDL must do it. */
static bool fill_direct(SDL_Renderer *r, SDL_Rect box, uint32_t rgba)
{
    SDL_Rect area, d;
    SDL_Surface *s = draw_direct_surface(r, &area);
    if (!s) {
        return false;
    }
    if (!SDL_IntersectRect(&box, &area, &d)) {
        return true;
    }
    Uint32 px = SDL_MapRGB(s->format, (Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8));
    Uint8 *base = (Uint8 *)s->pixels + (size_t)d.y * (size_t)s->pitch + (size_t)d.x * sizeof(Uint32);
    for (int y = 0; y < d.h; y++) {
        fill_row((Uint32 *)(base + (size_t)y * (size_t)s->pitch), px, (size_t)d.w);
    }
#ifdef __SSE2__
    _mm_sfence(); /* the streamed lines are visible before SDL reads them */
#endif
    return true;
}

void draw_fill(SDL_Renderer *r, SDL_Rect box, uint32_t rgba)
{
    if (box.w <= 0 || box.h <= 0) {
        return;
    }
    if ((rgba & 0xff) == 0xff && box.w * box.h >= DIRECT_MIN_PX && fill_direct(r, box, rgba)) {
        return;
    }
    SDL_SetRenderDrawBlendMode(r, (rgba & 0xff) == 0xff ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    draw_set_color(r, rgba);
    SDL_RenderFillRect(r, &box);
}

void draw_frame(SDL_Renderer *r, SDL_Rect b, int t, uint32_t rgba)
{
    if (t * 2 >= b.w || t * 2 >= b.h) {
        draw_fill(r, b, rgba);
        return;
    }
    SDL_Rect parts[4] = {
        { b.x, b.y, b.w, t },
        { b.x, b.y + b.h - t, b.w, t },
        { b.x, b.y + t, t, b.h - 2 * t },
        { b.x + b.w - t, b.y + t, t, b.h - 2 * t },
    };
    SDL_SetRenderDrawBlendMode(r, (rgba & 0xff) == 0xff ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    draw_set_color(r, rgba);
    SDL_RenderFillRects(r, parts, 4);
}

SDL_Rect rect_inset(SDL_Rect b, int m)
{
    SDL_Rect o = { b.x + m, b.y + m, b.w - 2 * m, b.h - 2 * m };
    if (o.w < 0) {
        o.w = 0;
    }
    if (o.h < 0) {
        o.h = 0;
    }
    return o;
}

void draw_fill_uncovered(SDL_Renderer *r, SDL_Rect area, const SDL_Rect *boxes, size_t n, uint32_t rgba)
{
    int ys[2 * DRAW_MAX_BOXES + 2];
    size_t ny = 0;
    ys[ny++] = area.y;
    ys[ny++] = area.y + area.h;
    for (size_t i = 0; i < n; i++) {
        ys[ny++] = boxes[i].y;
        ys[ny++] = boxes[i].y + boxes[i].h;
    }
    for (size_t i = 1; i < ny; i++) { /* insertion sort: a few dozen edges */
        for (size_t j = i; j > 0 && ys[j - 1] > ys[j]; j--) {
            int t = ys[j];
            ys[j] = ys[j - 1];
            ys[j - 1] = t;
        }
    }
    for (size_t b = 0; b + 1 < ny; b++) {
        int y0 = ys[b] > area.y ? ys[b] : area.y, y1 = ys[b + 1] < area.y + area.h ? ys[b + 1] : area.y + area.h;
        if (y1 <= y0) {
            continue;
        }
        int xs[DRAW_MAX_BOXES][2];
        size_t nx = 0;
        for (size_t i = 0; i < n; i++) {
            if (boxes[i].y <= y0 && boxes[i].y + boxes[i].h >= y1 && boxes[i].w > 0) {
                size_t k = nx++;
                while (k > 0 && xs[k - 1][0] > boxes[i].x) {
                    xs[k][0] = xs[k - 1][0];
                    xs[k][1] = xs[k - 1][1];
                    k--;
                }
                xs[k][0] = boxes[i].x;
                xs[k][1] = boxes[i].x + boxes[i].w;
            }
        }
        int x = area.x;
        for (size_t k = 0; k <= nx; k++) {
            int end = k < nx ? xs[k][0] : area.x + area.w;
            if (end > x) {
                draw_fill(r, (SDL_Rect){ x, y0, end - x, y1 - y0 }, rgba);
            }
            if (k < nx && xs[k][1] > x) {
                x = xs[k][1];
            }
        }
    }
}
