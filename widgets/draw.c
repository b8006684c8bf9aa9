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
