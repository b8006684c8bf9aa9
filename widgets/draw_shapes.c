/* widgets/draw_shapes.c: shapes from triangles. Render thread only. */
#include "draw_shapes.h"

#include <math.h>

#define MAX_SEG 96

static SDL_Color color_of(uint32_t c)
{
    SDL_Color k = { (Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c };
    return k;
}

void draw_arc(SDL_Renderer *r, float cx, float cy, float r0, float r1, float a0, float a1, uint32_t rgba)
{
    if (a1 <= a0 || r1 <= r0) {
        return;
    }
    int seg = (int)((a1 - a0) / 4.0f) + 2;
    if (seg > MAX_SEG) {
        seg = MAX_SEG;
    }
    SDL_Vertex v[(MAX_SEG + 1) * 2];
    int idx[MAX_SEG * 6];
    SDL_Color k = color_of(rgba);
    for (int i = 0; i <= seg; i++) {
        float a = (a0 + (a1 - a0) * (float)i / (float)seg) * (float)M_PI / 180.0f;
        float c = cosf(a), s = sinf(a);
        v[(size_t)2 * i] = (SDL_Vertex){ { cx + c * r0, cy + s * r0 }, k, { 0, 0 } };
        v[(size_t)2 * i + 1] = (SDL_Vertex){ { cx + c * r1, cy + s * r1 }, k, { 0, 0 } };
    }
    for (int i = 0; i < seg; i++) {
        int b = 2 * i;
        int *t = &idx[(size_t)6 * i];
        t[0] = b, t[1] = b + 1, t[2] = b + 2;
        t[3] = b + 1, t[4] = b + 3, t[5] = b + 2;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    SDL_RenderGeometry(r, NULL, v, (seg + 1) * 2, idx, seg * 6);
}

void draw_disc(SDL_Renderer *r, float cx, float cy, float radius, uint32_t rgba)
{
    /* A fan around the centre (a ring with r0 ~ 0 leaves a hole there). */
    enum { SEG = 64 };
    SDL_Vertex v[SEG + 1];
    int idx[SEG * 3];
    SDL_Color k = color_of(rgba);
    v[0] = (SDL_Vertex){ { cx, cy }, k, { 0, 0 } };
    for (int i = 0; i < SEG; i++) {
        float a = 2.0f * (float)M_PI * (float)i / SEG;
        v[i + 1] = (SDL_Vertex){ { cx + cosf(a) * radius, cy + sinf(a) * radius }, k, { 0, 0 } };
        idx[(size_t)3 * i] = 0;
        idx[(size_t)3 * i + 1] = i + 1;
        idx[(size_t)3 * i + 2] = (i + 1) % SEG + 1;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    SDL_RenderGeometry(r, NULL, v, SEG + 1, idx, SEG * 3);
}

void draw_polyline(SDL_Renderer *r, const SDL_FPoint *p, int n, float thick, uint32_t rgba)
{
    SDL_Color k = color_of(rgba);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    for (int i = 0; i + 1 < n; i++) {
        float dx = p[i + 1].x - p[i].x, dy = p[i + 1].y - p[i].y;
        float len = sqrtf(dx * dx + dy * dy);
        if (len < 0.01f) {
            continue;
        }
        float nx = -dy / len * thick / 2, ny = dx / len * thick / 2;
        SDL_Vertex v[4] = {
            { { p[i].x + nx, p[i].y + ny }, k, { 0, 0 } },
            { { p[i].x - nx, p[i].y - ny }, k, { 0, 0 } },
            { { p[i + 1].x + nx, p[i + 1].y + ny }, k, { 0, 0 } },
            { { p[i + 1].x - nx, p[i + 1].y - ny }, k, { 0, 0 } },
        };
        int idx[6] = { 0, 1, 2, 1, 3, 2 };
        SDL_RenderGeometry(r, NULL, v, 4, idx, 6);
    }
}
