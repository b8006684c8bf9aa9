/* tests/pngtool.c: PNG helpers for the integration tests, on SDL2_image.
 *   pngtool diff A.png B.png TOLERANCE_PCT  -> exit 0 when the share of
 *           pixels differing by more than 48/255 in any channel is within
 *           TOLERANCE_PCT; prints the share and the bounding box of changes.
 *   pngtool pixel FILE.png X Y              -> prints RRGGBB of one pixel.
 *   pngtool size FILE.png                   -> prints WxH. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SDL_Surface *load(const char *path)
{
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        fprintf(stderr, "pngtool: cannot load %s: %s\n", path, IMG_GetError());
        exit(2);
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

static Uint32 at(SDL_Surface *s, int x, int y)
{
    return ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x];
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "diff") == 0) {
        SDL_Surface *a = load(argv[2]), *b = load(argv[3]);
        if (a->w != b->w || a->h != b->h) {
            printf("size differs: %dx%d vs %dx%d\n", a->w, a->h, b->w, b->h);
            SDL_FreeSurface(a);
            SDL_FreeSurface(b);
            return 1;
        }
        long diff = 0;
        int x0 = a->w, y0 = a->h, x1 = -1, y1 = -1;
        for (int y = 0; y < a->h; y++) {
            for (int x = 0; x < a->w; x++) {
                Uint32 p = at(a, x, y), q = at(b, x, y);
                for (int sh = 0; sh < 24; sh += 8) {
                    int d = abs((int)((p >> sh) & 0xff) - (int)((q >> sh) & 0xff));
                    if (d > 48) {
                        diff++;
                        x0 = x < x0 ? x : x0;
                        y0 = y < y0 ? y : y0;
                        x1 = x > x1 ? x : x1;
                        y1 = y > y1 ? y : y1;
                        break;
                    }
                }
            }
        }
        double pct = 100.0 * (double)diff / ((double)a->w * a->h);
        double tol = atof(argv[4]);
        printf("%.4f%% of pixels differ (tolerance %.4f%%)", pct, tol);
        if (diff) {
            printf(", within x %d..%d y %d..%d", x0, x1, y0, y1);
        }
        printf("\n");
        SDL_FreeSurface(a);
        SDL_FreeSurface(b);
        return pct <= tol ? 0 : 1;
    }
    if (argc == 5 && strcmp(argv[1], "pixel") == 0) {
        SDL_Surface *a = load(argv[2]);
        int x = atoi(argv[3]), y = atoi(argv[4]);
        int rc = 0;
        if (x < 0 || y < 0 || x >= a->w || y >= a->h) {
            fprintf(stderr, "pngtool: %d,%d outside %dx%d\n", x, y, a->w, a->h);
            rc = 2;
        } else {
            printf("%06x\n", at(a, x, y) & 0xffffff);
        }
        SDL_FreeSurface(a);
        return rc;
    }
    if (argc == 3 && strcmp(argv[1], "size") == 0) {
        SDL_Surface *a = load(argv[2]);
        printf("%dx%d\n", a->w, a->h);
        SDL_FreeSurface(a);
        return 0;
    }
    fprintf(stderr, "usage: pngtool diff A B TOL | pixel F X Y | size F\n");
    return 2;
}
