/* feeds/video_shrink.c: area-weighted shrinking of YUV 4:2:0 pictures (see
 * video_shrink.h). Runs on a video source's feed thread. */
#include "video_shrink.h"
#include "../core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Vertical weights sum to 128 (Q7), so a row of sums fits int16 (at most
 * 255 x 128), which SSE2's 16-bit multiply-add takes; horizontal weights sum
 * to 256 (Q8); the result is Q15. */
#define ONE_Y 128
#define ONE_X 256
#define SHIFT 15

static void axis_free(struct shrink_axis *a)
{
    free(a->start);
    free(a->w);
    a->start = NULL; /* spelled out: clang's analyzer loses track of a compound literal here */
    a->w = NULL;
    *a = (struct shrink_axis){ 0 };
}

void video_shrink_free(struct video_shrink *s)
{
    for (int i = 0; i < 2; i++) {
        axis_free(&s->x[i]);
        axis_free(&s->y[i]);
    }
    free(s->row);
    s->row = NULL;
    *s = (struct video_shrink){ 0 };
}

/* Area weights for to outputs from from inputs, summing to one each:
 * output i covers [i r, (i + 1) r) of the source, r = from / to, and each
 * source pixel counts by how much of it lies inside. 4 or 8 taps, whichever
 * holds the widest output's pixels; -1 when 8 do not, or the source has
 * fewer pixels than the taps. a is zeroed. */
static int axis_setup(struct shrink_axis *a, int from, int to, int one)
{
    if (to < 1 || to > from) {
        return -1;
    }
    double r = (double)from / to;
    int need = 1;
    for (int i = 0; i < to; i++) {
        int n = (int)ceil((i + 1) * r - 1e-9) - (int)floor(i * r);
        need = n > need ? n : need;
    }
    int taps = need <= 4 ? 4 : 8;
    if (need > 8 || from < taps) {
        return -1;
    }
    *a = (struct shrink_axis){ .from = from, .to = to, .taps = taps };
    a->start = xcalloc((size_t)to, sizeof(*a->start));
    a->w = xcalloc((size_t)to * (size_t)taps, sizeof(*a->w));
    for (int i = 0; i < to; i++) {
        double lo = i * r, hi = (i + 1) * r;
        int s = (int)floor(lo);
        s = s > from - taps ? from - taps : s;
        a->start[i] = s;
        int16_t *w = a->w + (size_t)i * (size_t)taps;
        int sum = 0, big = 0;
        for (int k = 0; k < taps; k++) {
            double cover = fmin(s + k + 1, hi) - fmax(s + k, lo);
            w[k] = (int16_t)(cover > 0 ? lrint(cover / r * one) : 0);
            sum += w[k];
            big = w[k] > w[big] ? k : big;
        }
        w[big] = (int16_t)(w[big] + one - sum); /* rounding: exactly one */
    }
    return 0;
}

/* 0, or -1 for a shape this does not do. */
static int setup(struct video_shrink *s, int sw, int sh, int dw, int dh)
{
    video_shrink_free(s);
    s->sw = sw;
    s->sh = sh;
    s->dw = dw;
    s->dh = dh;
    if (dw > sw || dh > sh || (dw == sw && dh == sh) || axis_setup(&s->x[0], sw, dw, ONE_X) < 0 ||
        axis_setup(&s->y[0], sh, dh, ONE_Y) < 0 || axis_setup(&s->x[1], (sw + 1) / 2, (dw + 1) / 2, ONE_X) < 0 ||
        axis_setup(&s->y[1], (sh + 1) / 2, (dh + 1) / 2, ONE_Y) < 0) {
        return -1;
    }
    s->row = xcalloc((size_t)sw, sizeof(*s->row));
    return 0;
}

typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint16_t u16x16 __attribute__((vector_size(32)));

static inline u8x16 load16(const uint8_t *p)
{
    u8x16 b;
    memcpy(&b, p, sizeof(b));
    return b;
}

/* Sixteen pixels of row k, widened to 16 bits and weighted. */
#define TERM(k, x) (__builtin_convertvector(load16(rows[k] + (x)), u16x16) * w##k)

/* out[x] = sum over k of w[k] x rows[k][x], for x < width. (An AVX2 copy
 * chosen at load time, target_clones, saved 0.005 ms a picture and crashed
 * ThreadSanitizer builds, whose runtime is not up when ifunc resolvers
 * run; SSE2 it is.) */
static void vertical(int16_t *restrict out, const uint8_t *const *rows, const int16_t *w, int taps, int width)
{
    int x = 0;
    if (taps == 4) {
        const uint16_t w0 = (uint16_t)w[0], w1 = (uint16_t)w[1], w2 = (uint16_t)w[2], w3 = (uint16_t)w[3];
        for (; x + 16 <= width; x += 16) {
            u16x16 acc = TERM(0, x) + TERM(1, x) + TERM(2, x) + TERM(3, x);
            memcpy(out + x, &acc, sizeof(acc));
        }
    } else {
        const uint16_t w0 = (uint16_t)w[0], w1 = (uint16_t)w[1], w2 = (uint16_t)w[2], w3 = (uint16_t)w[3];
        const uint16_t w4 = (uint16_t)w[4], w5 = (uint16_t)w[5], w6 = (uint16_t)w[6], w7 = (uint16_t)w[7];
        for (; x + 16 <= width; x += 16) {
            u16x16 acc =
                TERM(0, x) + TERM(1, x) + TERM(2, x) + TERM(3, x) + TERM(4, x) + TERM(5, x) + TERM(6, x) + TERM(7, x);
            memcpy(out + x, &acc, sizeof(acc));
        }
    }
    for (; x < width; x++) {
        int acc = 0;
        for (int k = 0; k < taps; k++) {
            acc += rows[k][x] * w[k];
        }
        out[x] = (int16_t)acc;
    }
}

static inline uint8_t one_pixel(const int16_t *row, const int16_t *w, int taps)
{
    int32_t acc = 1 << (SHIFT - 1);
    for (int k = 0; k < taps; k++) {
        acc += (int32_t)row[k] * w[k];
    }
    acc >>= SHIFT;
    return (uint8_t)(acc > 255 ? 255 : acc);
}

#if defined(__SSE2__)
/* Four outputs' sums (four int32 each) into one vector of four. */
static inline __m128i sum4(__m128i a, __m128i b, __m128i c, __m128i d)
{
    __m128i ab = _mm_add_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b));
    __m128i cd = _mm_add_epi32(_mm_unpacklo_epi32(c, d), _mm_unpackhi_epi32(c, d));
    return _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd));
}

static inline void store4(uint8_t *d, __m128i sums)
{
    __m128i v = _mm_srai_epi32(_mm_add_epi32(sums, _mm_set1_epi32(1 << (SHIFT - 1))), SHIFT);
    v = _mm_packs_epi32(v, v);
    v = _mm_packus_epi16(v, v);
    int32_t four = _mm_cvtsi128_si32(v);
    memcpy(d, &four, sizeof(four));
}
#endif

/* d[i] for i < a->to from one row of vertical sums. */
static void horizontal(uint8_t *restrict d, const int16_t *row, const struct shrink_axis *a)
{
    int i = 0;
    const int *st = a->start;
#if defined(__SSE2__)
    if (a->taps == 4) {
        for (; i + 4 <= a->to; i += 4) {
            const __m128i *w = (const __m128i *)(a->w + (size_t)i * 4);
            __m128i p01 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(row + st[i])),
                                             _mm_loadl_epi64((const __m128i *)(row + st[i + 1])));
            __m128i p23 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(row + st[i + 2])),
                                             _mm_loadl_epi64((const __m128i *)(row + st[i + 3])));
            __m128i s01 = _mm_madd_epi16(p01, _mm_loadu_si128(w));     /* a0+a1 a2+a3 b0+b1 b2+b3 */
            __m128i s23 = _mm_madd_epi16(p23, _mm_loadu_si128(w + 1)); /* c.. d.. */
            __m128i lo = _mm_castps_si128(
                _mm_shuffle_ps(_mm_castsi128_ps(s01), _mm_castsi128_ps(s23), _MM_SHUFFLE(2, 0, 2, 0)));
            __m128i hi = _mm_castps_si128(
                _mm_shuffle_ps(_mm_castsi128_ps(s01), _mm_castsi128_ps(s23), _MM_SHUFFLE(3, 1, 3, 1)));
            store4(d + i, _mm_add_epi32(lo, hi));
        }
    } else {
        for (; i + 4 <= a->to; i += 4) {
            const __m128i *w = (const __m128i *)(a->w + (size_t)i * 8);
            __m128i m[4];
            for (int j = 0; j < 4; j++) {
                m[j] = _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(row + st[i + j])), _mm_loadu_si128(w + j));
            }
            store4(d + i, sum4(m[0], m[1], m[2], m[3]));
        }
    }
#endif
    for (; i < a->to; i++) {
        d[i] = one_pixel(row + st[i], a->w + (size_t)i * (size_t)a->taps, a->taps);
    }
}

/* Output rows [y0, y1) of plane p. */
static void shrink_rows(struct video_shrink *s, int p, const uint8_t *src, int src_pitch, uint8_t *dst, int dst_pitch,
                        int y0, int y1)
{
    const struct shrink_axis *ax = &s->x[p > 0], *ay = &s->y[p > 0];
    for (int y = y0; y < y1; y++) {
        const uint8_t *rows[8];
        for (int k = 0; k < 8; k++) { /* past the taps: unused, but never garbage */
            rows[k] = src + (size_t)(ay->start[y] + (k < ay->taps ? k : 0)) * (size_t)src_pitch;
        }
        vertical(s->row, rows, ay->w + (size_t)y * (size_t)ay->taps, ay->taps, ax->from);
        horizontal(dst + (size_t)y * (size_t)dst_pitch, s->row, ax);
    }
}

int video_shrink(struct video_shrink *s, const uint8_t *const src[3], const int src_pitch[3], int sw, int sh,
                 uint8_t *const dst[3], const int dst_pitch[3], int dw, int dh)
{
#if !defined(__SSE2__)
    /* Elsewhere the horizontal pass would be plain C, which measured three
     * times slower than swscale's own SIMD: leave it to swscale. */
    (void)s, (void)src, (void)src_pitch, (void)sw, (void)sh, (void)dst, (void)dst_pitch, (void)dw, (void)dh;
    return -1;
#endif
    if (!s->setups || s->sw != sw || s->sh != sh || s->dw != dw || s->dh != dh) {
        unsigned long long n = s->setups + 1;
        int ok = setup(s, sw, sh, dw, dh) == 0; /* a shape it does not do stays !ok until the shape changes */
        s->ok = ok;
        s->setups = n;
    }
    if (!s->ok) {
        return -1;
    }
    for (int p = 0; p < 3; p++) {
        shrink_rows(s, p, src[p], src_pitch[p], dst[p], dst_pitch[p], 0, s->y[p > 0].to);
    }
    return 0;
}
