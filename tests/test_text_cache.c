/* tests/test_text_cache.c: the text cache renders each text once, stays
 * within its bounds, and cuts long text to fit. Offscreen SDL renderer. */
#include "widgets/text_cache.h"
#include "check.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <dirent.h>
#include <stdio.h>

static int open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        return -1;
    }
    while (readdir(d)) {
        n++;
    }
    closedir(d);
    return n;
}

int main(void)
{
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    /* Present from memory, as the wall does: no OpenGL (whose Mesa leaks
     * LeakSanitizer cannot suppress by name). */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Window *win = SDL_CreateWindow("t", 0, 0, 640, 480, 0);
    SDL_Renderer *r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    char err[256];
    struct text_cache *tc = text_cache_create(r, 16, 0, err, sizeof(err));
    CHECK(tc != NULL, "cache created: %s", err);
    if (!tc) {
        return check_finish("test_text_cache");
    }
    CHECK(strstr(text_cache_font_path(tc), "DejaVuSans") != NULL, "bundled DejaVu found: %s",
          text_cache_font_path(tc));

    struct text_cache_stats st;
    /* Frame 1 renders; frames 2..10 with the same text render nothing. */
    for (int frame = 0; frame < 10; frame++) {
        text_draw(tc, "Simpang Sudirman", 17, true, 0xffffffff, 0, 0, 0, TEXT_LEFT);
        text_draw(tc, "TIDAK ADA SINYAL", 26, true, 0xd8342cff, 0, 40, 300, TEXT_CENTER);
        text_draw(tc, "12:00:00", 40, false, 0xffffffff, 0, 80, 0, TEXT_LEFT);
    }
    text_cache_stats(tc, &st);
    CHECK_INT(st.misses, 3, "three distinct texts rendered once each");
    CHECK_INT(st.hits, 27, "the other 27 draws were cache hits");
    text_draw(tc, "TIDAK ADA SINYAL", 26, true, 0xffffffffu, 0, 40, 300, TEXT_CENTER);
    text_cache_stats(tc, &st);
    CHECK_INT(st.misses, 4, "a different colour is a different entry");

    /* Bounded: 100 distinct texts through a 16-entry cache. */
    for (int i = 0; i < 100; i++) {
        char s[32];
        snprintf(s, sizeof(s), "clock %02d:%02d", i / 60, i % 60);
        text_draw(tc, s, 20, false, 0xffffffff, 0, 0, 0, TEXT_LEFT);
        text_cache_stats(tc, &st);
        CHECK(st.entries <= 16, "entries %zu stay within the bound", st.entries);
    }
    CHECK(st.evictions >= 84, "old entries were evicted (%llu)", (unsigned long long)st.evictions);

    /* Bytes bound. */
    struct text_cache *small = text_cache_create(r, 1000, 64 * 1024, err, sizeof(err));
    for (int i = 0; i < 50; i++) {
        char s[32];
        snprintf(s, sizeof(s), "LARGE TEXT %d", i);
        text_draw(small, s, 60, true, 0xffffffff, 0, 0, 0, TEXT_LEFT);
        text_cache_stats(small, &st);
        CHECK(st.bytes <= 64 * 1024 || st.entries == 1, "bytes %zu within 64 KiB", st.bytes);
    }
    text_cache_destroy(small);

    /* Fonts come from memory: 40 sizes, regular and bold, open no file
     * each (a wall that runs for months opens new sizes as titles shrink). */
    int fds_before = open_fds();
    for (int size = 10; size < 50; size++) {
        text_draw(tc, "Sungai Siak", size, size % 2, 0xffffffff, 0, 0, 0, TEXT_LEFT);
    }
    CHECK(open_fds() == fds_before, "no descriptor per font size: %d -> %d", fds_before, open_fds());

    /* Idle texts expire: a value shown once a second for a minute leaves
     * only what is still drawn, not 60 entries. */
    struct text_cache *idle = text_cache_create(r, 4096, 0, err, sizeof(err));
    for (int sec = 0; sec < 60; sec++) {
        char s[32];
        snprintf(s, sizeof(s), "%d.5 cm", 400 + sec);
        text_cache_expire(idle, (int64_t)sec * 1000, 10000);
        text_draw(idle, s, 30, true, 0xffffffff, 0, 0, 0, TEXT_LEFT);
        text_draw(idle, "Sungai Siak", 17, true, 0xffffffff, 0, 40, 0, TEXT_LEFT);
    }
    text_cache_stats(idle, &st);
    CHECK(st.entries >= 11 && st.entries <= 12, "the label and the last ~10 s of values stay: %zu entries", st.entries);
    CHECK(st.expired >= 48, "older values expired (%llu)", (unsigned long long)st.expired);
    text_cache_expire(idle, 60000 + 10001, 10000);
    text_cache_stats(idle, &st);
    CHECK_INT(st.entries, 0, "after 10 s with nothing drawn the cache is empty");
    text_cache_destroy(idle);

    /* Ellipsis: long text fits its width. */
    const char *longtxt = "Kemacetan panjang di Jalan Jenderal Sudirman arah Bandara Sultan Syarif Kasim II";
    int full_w, h;
    text_measure(tc, longtxt, 20, false, &full_w, &h);
    int drawn = text_draw(tc, longtxt, 20, false, 0xffffffff, 0, 0, 200, TEXT_LEFT);
    CHECK(full_w > 200, "the text is really longer (%d)", full_w);
    CHECK(drawn <= 200 && drawn > 150, "cut text fits in 200 px and uses it (%d)", drawn);
    int tiny = text_draw(tc, longtxt, 20, false, 0xffffffff, 0, 0, 5, TEXT_LEFT);
    CHECK(tiny >= 0, "a box too small for anything does not crash (%d)", tiny);
    CHECK_INT(text_draw(tc, "", 20, false, 0xffffffff, 0, 0, 0, TEXT_LEFT), 0, "empty text draws nothing");
    int w2;
    text_measure(tc, "Rp 1.234,5 \xe2\x86\x92 \xe2\x9a\xa0", 20, false, &w2, &h);
    CHECK(w2 > 0, "Indonesian number and symbols render (%d)", w2);

    /* Characters DejaVu lacks: a road-works sign (U+1F6A7) comes from a
     * fallback font (fonts-symbola, installed by scripts/deps); a character
     * no font has (a private-use one) becomes a visible U+FFFD. */
    size_t fb, miss;
    int plain_w, sign_w;
    text_measure(tc, "Jalan rusak", 20, false, &plain_w, &h);
    text_measure(tc, "Jalan \xf0\x9f\x9a\xa7 rusak", 20, false, &sign_w, &h);
    text_cache_fallbacks(tc, &fb, &miss);
    CHECK(fb >= 1 && miss == 0, "the sign found a fallback font (%zu fonts, %zu missing)", fb, miss);
    CHECK(sign_w > plain_w + 10, "the sign takes room between the words (%d vs %d)", sign_w, plain_w);
    int pua_w;
    text_measure(tc, "x\xf4\x8f\xbf\xbdy", 20, false, &pua_w, &h);
    text_cache_fallbacks(tc, &fb, &miss);
    CHECK(miss == 1 && pua_w > 20, "a character no font has is drawn as a replacement (%zu missing, %d px)", miss,
          pua_w);

    /* Wrapping a long reason: whole words, each line within the width, the
     * words in order, the last line taking the rest. */
    char lines[3][TEXT_WRAP_LINE];
    int n = text_wrap(tc, longtxt, 20, false, 300, lines, 3);
    CHECK(n >= 2 && n <= 3, "a long text takes several lines (%d)", n);
    char joined[512] = "";
    for (int i = 0; i < n; i++) {
        int lw;
        text_measure(tc, lines[i], 20, false, &lw, &h);
        CHECK(i == n - 1 || lw <= 300, "line %d fits 300 px (%d): %s", i, lw, lines[i]);
        CHECK(lines[i][0] != ' ' && lines[i][strlen(lines[i]) - 1] != ' ', "line %d trimmed: '%s'", i, lines[i]);
        strcat(joined, i ? " " : "");
        strcat(joined, lines[i]);
    }
    CHECK_STR(joined, longtxt, "the words in order, none lost");
    CHECK_INT(text_wrap(tc, longtxt, 20, false, 100000, lines, 3), 1, "a wide box: one line");
    CHECK_INT(text_wrap(tc, longtxt, 20, false, 60, lines, 2), 2, "max lines respected");
    CHECK(strlen(lines[1]) > 20, "the last line takes the rest: %s", lines[1]);
    CHECK_INT(text_wrap(tc, "", 20, false, 100, lines, 3), 0, "nothing to wrap");

    text_cache_destroy(tc);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    TTF_Quit();
    SDL_Quit();
    return check_finish("test_text_cache");
}
