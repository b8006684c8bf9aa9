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
    /* axis_setup refuses an axis that grows */
    if ((dw == sw && dh == sh) || axis_setup(&s->x[0], sw, dw, ONE_X) < 0 ||
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

/* Each vertical sum carries BIAS, which the horizontal weights (summing to
 * ONE_X) turn into the rounding half of the final shift: 64 x 256 = 1 << 14.
 * The largest sum, 255 x 128 + 64, still fits int16 for pmaddwd. */
#define BIAS ((1 << (SHIFT - 1)) / ONE_X)

/* Sixteen pixels of row k, widened to 16 bits and weighted. */
#define TERM(k) (__builtin_convertvector(load16(rows[k] + x), u16x16) * (uint16_t)w[k])
/* The vector loop over a row with the terms written out, so that the sum
 * stays in registers; then the switch is left. */
#define ROW_OF(terms)                                                                                                  \
    for (; x + 16 <= width; x += 16) {                                                                                 \
        u16x16 acc = bias + (terms);                                                                                   \
        memcpy(out + x, &acc, sizeof(acc));                                                                            \
    }                                                                                                                  \
    break

/* out[x] = BIAS + sum over k < n of w[k] x rows[k][x], for x < width; n is
 * 1 to 8, the rows with a weight (an output row at 1.2 x smaller covers 2 or
 * 3 source rows, not the 4 taps its weights have room for). (An AVX2 copy
 * chosen at load time, target_clones, saved 0.005 ms a picture and crashed
 * ThreadSanitizer builds, whose runtime is not up when ifunc resolvers
 * run; SSE2 it is.) */
static void vertical(int16_t *restrict out, const uint8_t *const *rows, const int16_t *w, int n, int width)
{
    const u16x16 bias = (u16x16){ 0 } + (uint16_t)BIAS;
    int x = 0;
    switch (n) {
    case 1: ROW_OF(TERM(0));
    case 2: ROW_OF(TERM(0) + TERM(1));
    case 3: ROW_OF(TERM(0) + TERM(1) + TERM(2));
    case 4: ROW_OF(TERM(0) + TERM(1) + TERM(2) + TERM(3));
    case 5: ROW_OF(TERM(0) + TERM(1) + TERM(2) + TERM(3) + TERM(4));
    case 6: ROW_OF(TERM(0) + TERM(1) + TERM(2) + TERM(3) + TERM(4) + TERM(5));
    case 7: ROW_OF(TERM(0) + TERM(1) + TERM(2) + TERM(3) + TERM(4) + TERM(5) + TERM(6));
    default: ROW_OF(TERM(0) + TERM(1) + TERM(2) + TERM(3) + TERM(4) + TERM(5) + TERM(6) + TERM(7));
    }
    for (; x < width; x++) {
        int acc = BIAS;
        for (int k = 0; k < n; k++) {
            acc += rows[k][x] * w[k];
        }
        out[x] = (int16_t)acc;
    }
}

static inline uint8_t one_pixel(const int16_t *row, const int16_t *w, int taps)
{
    int32_t acc = 0; /* the rounding is in the row's BIAS */
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

/* Outputs i to i + 3 of a 4-tap axis, scaled down to 0..255 (as int32). */
static inline __m128i four_of_4(const int16_t *row, const int *st, const __m128i *w)
{
    __m128i p01 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(row + st[0])),
                                     _mm_loadl_epi64((const __m128i *)(row + st[1])));
    __m128i p23 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(row + st[2])),
                                     _mm_loadl_epi64((const __m128i *)(row + st[3])));
    __m128i s01 = _mm_madd_epi16(p01, _mm_loadu_si128(w));     /* a0+a1 a2+a3 b0+b1 b2+b3 */
    __m128i s23 = _mm_madd_epi16(p23, _mm_loadu_si128(w + 1)); /* c.. d.. */
    __m128i lo =
        _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(s01), _mm_castsi128_ps(s23), _MM_SHUFFLE(2, 0, 2, 0)));
    __m128i hi =
        _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(s01), _mm_castsi128_ps(s23), _MM_SHUFFLE(3, 1, 3, 1)));
    return _mm_srai_epi32(_mm_add_epi32(lo, hi), SHIFT);
}

/* The same for an 8-tap axis. */
static inline __m128i four_of_8(const int16_t *row, const int *st, const __m128i *w)
{
    __m128i m[4];
    for (int j = 0; j < 4; j++) {
        m[j] = _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(row + st[j])), _mm_loadu_si128(w + j));
    }
    return _mm_srai_epi32(sum4(m[0], m[1], m[2], m[3]), SHIFT);
}
#endif

/* d[i] for i < a->to from one row of vertical sums: eight at a time, the
 * last few one by one. */
static void horizontal(uint8_t *restrict d, const int16_t *row, const struct shrink_axis *a)
{
    int i = 0;
    const int *st = a->start;
#if defined(__SSE2__)
    const __m128i *w = (const __m128i *)a->w; /* four outputs' weights: two vectors at 4 taps, four at 8 */
    if (a->taps == 4) {
        for (; i + 8 <= a->to; i += 8, w += 4) {
            __m128i v = _mm_packs_epi32(four_of_4(row, st + i, w), four_of_4(row, st + i + 4, w + 2));
            _mm_storel_epi64((__m128i *)(d + i), _mm_packus_epi16(v, v));
        }
    } else {
        for (; i + 8 <= a->to; i += 8, w += 8) {
            __m128i v = _mm_packs_epi32(four_of_8(row, st + i, w), four_of_8(row, st + i + 4, w + 4));
            _mm_storel_epi64((__m128i *)(d + i), _mm_packus_epi16(v, v));
        }
    }
#endif
    for (; i < a->to; i++) {
        d[i] = one_pixel(row + st[i], a->w + (size_t)i * (size_t)a->taps, a->taps);
    }
}

/* All rows of plane p. */
static void shrink_plane(struct video_shrink *s, int p, const uint8_t *src, int src_pitch, uint8_t *dst, int dst_pitch)
{
    const struct shrink_axis *ax = &s->x[p > 0], *ay = &s->y[p > 0];
    for (int y = 0; y < ay->to; y++) {
        const int16_t *w = ay->w + (size_t)y * (size_t)ay->taps;
        int first = 0, last = ay->taps - 1; /* the rows with a weight */
        while (first < last && w[first] == 0) {
            first++;
        }
        while (last > first && w[last] == 0) {
            last--;
        }
        const uint8_t *rows[8];
        for (int k = 0; k < 8; k++) { /* past the rows used: unused, but never garbage */
            rows[k] = src + (size_t)(ay->start[y] + first + (first + k <= last ? k : 0)) * (size_t)src_pitch;
        }
        vertical(s->row, rows, w + first, last - first + 1, ax->from);
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
        shrink_plane(s, p, src[p], src_pitch[p], dst[p], dst_pitch[p]);
    }
    return 0;
}
