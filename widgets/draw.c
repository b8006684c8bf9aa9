/* widgets/draw.c: drawing primitives. Render thread only. */
#include "draw.h"

void draw_set_color(SDL_Renderer *r, uint32_t c)
{
    SDL_SetRenderDrawColor(r, (Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c);
}

void draw_fill(SDL_Renderer *r, SDL_Rect box, uint32_t rgba)
{
    if (box.w <= 0 || box.h <= 0) {
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
