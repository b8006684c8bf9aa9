/* bench/pace.c: what decoding at the real-time pace costs on this machine,
 * against decoding the same frames back to back (the way the decode floor
 * is measured). One thread, n decoders (the clips in turn), one frame of
 * each per round, every packet read into memory first: no network, no
 * drawing, no other thread. Two ways of spacing a round, alternated:
 *   back to back: the n decodes one after the other, no waiting;
 *   paced: the n decodes spread evenly over one frame interval, a sleep on
 *     a timer before each, as frames arriving from n cameras are.
 * For each: CPU a frame over the whole loop and over the decoding calls
 * alone. Then the CPU one timer sleep and wake costs the thread. bench/video
 * runs it on the substream clips; alone:
 *   pace ROUNDS STREAMS CLIP...
 * Prints a readable summary and a last line of JSON. Exit 1 when a clip
 * cannot be read or decoded. */
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_STREAMS 64
#define MAX_PACKETS 600 /* 24 s at 25 fps: bench/video's clips are 20 s */
#define BLOCKS 3        /* each way of spacing is measured in 3 blocks, alternated */

struct stream {
    AVCodecContext *dec;
    AVPacket *pkt[MAX_PACKETS];
    int n_pkt, next;
};

static double thread_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static long long mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void sleep_until(long long ns)
{
    struct timespec t = { .tv_sec = (time_t)(ns / 1000000000LL), .tv_nsec = (long)(ns % 1000000000LL) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {
    }
}

/* Opens path's video decoder into s and reads its packets. 0, or -1 with
 * a message printed. *interval_ns: the clip's frame interval. */
static int stream_open(struct stream *s, const char *path, long long *interval_ns)
{
    AVFormatContext *ic = NULL;
    int rc = -1;
    if (avformat_open_input(&ic, path, NULL, NULL) < 0 || avformat_find_stream_info(ic, NULL) < 0) {
        fprintf(stderr, "pace: cannot read %s\n", path);
        goto out;
    }
    const AVCodec *codec = NULL;
    int vs = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (vs < 0) {
        fprintf(stderr, "pace: no video to decode in %s\n", path);
        goto out;
    }
    AVRational fr = ic->streams[vs]->avg_frame_rate;
    if (fr.num > 0 && fr.den > 0) {
        *interval_ns = (long long)fr.den * 1000000000LL / fr.num;
    }
    s->dec = avcodec_alloc_context3(codec);
    if (!s->dec || avcodec_parameters_to_context(s->dec, ic->streams[vs]->codecpar) < 0) {
        fprintf(stderr, "pace: out of memory\n");
        goto out;
    }
    s->dec->thread_count = 1; /* as the floor (ffmpeg -threads 1) and pantau on a wall of 24 */
    if (avcodec_open2(s->dec, codec, NULL) < 0) {
        fprintf(stderr, "pace: cannot open the %s decoder for %s\n", codec->name, path);
        goto out;
    }
    AVPacket *pkt = av_packet_alloc();
    while (pkt && s->n_pkt < MAX_PACKETS && av_read_frame(ic, pkt) >= 0) {
        if (pkt->stream_index == vs) {
            s->pkt[s->n_pkt++] = pkt;
            pkt = av_packet_alloc();
        } else {
            av_packet_unref(pkt);
        }
    }
    av_packet_free(&pkt);
    if (s->n_pkt == 0) {
        fprintf(stderr, "pace: no video packets in %s\n", path);
        goto out;
    }
    rc = 0;
out:
    avformat_close_input(&ic);
    return rc;
}

static void stream_close(struct stream *s)
{
    avcodec_free_context(&s->dec);
    for (int i = 0; i < s->n_pkt; i++) {
        av_packet_free(&s->pkt[i]);
    }
}

/* Decodes s's next packet (the clip loops); returns the frames it gave. */
static int decode_next(struct stream *s, AVFrame *fr)
{
    int n = 0;
    avcodec_send_packet(s->dec, s->pkt[s->next]);
    s->next = (s->next + 1) % s->n_pkt;
    while (avcodec_receive_frame(s->dec, fr) == 0) {
        av_frame_unref(fr);
        n++;
    }
    return n;
}

struct tally {
    double all_ms, dec_ms;
    long frames;
};

/* rounds rounds of one frame from each stream, back to back or paced: a
 * timer sleep before each decode, slot ns after the last. */
static void run(struct stream *st, int n, int rounds, bool paced, long long slot, AVFrame *fr, struct tally *t)
{
    long long next = mono_ns();
    double t0 = thread_ms();
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) {
            if (paced) {
                next += slot;
                sleep_until(next);
            }
            double d0 = thread_ms();
            t->frames += decode_next(&st[i], fr);
            t->dec_ms += thread_ms() - d0;
        }
    }
    t->all_ms += thread_ms() - t0;
}

/* The thread's CPU for one timer sleep and wake, in µs: sleeps of slot ns
 * each, as run() makes when paced, with nothing between them. */
static double timer_wake_us(long long slot)
{
    const int sleeps = 2000;
    long long next = mono_ns();
    double t0 = thread_ms();
    for (int i = 0; i < sleeps; i++) {
        next += slot;
        sleep_until(next);
    }
    return (thread_ms() - t0) * 1000.0 / sleeps;
}

/* s as a whole number from 1 to max; -1 for anything else. */
static int count_arg(const char *s, long max)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno == 0 && end != s && *end == '\0' && v >= 1 && v <= max ? (int)v : -1;
}

int main(int argc, char **argv)
{
    int rounds = argc >= 4 ? count_arg(argv[1], 100000) : -1, n = argc >= 4 ? count_arg(argv[2], MAX_STREAMS) : -1;
    if (rounds < 0 || n < 0) {
        fprintf(stderr, "usage: pace ROUNDS STREAMS CLIP... (STREAMS 1 to %d; the clips in turn)\n", MAX_STREAMS);
        return 2;
    }
    int n_clips = argc - 3;
    av_log_set_level(AV_LOG_ERROR);
    static struct stream st[MAX_STREAMS];
    long long interval_ns = 40000000LL;
    AVFrame *fr = av_frame_alloc();
    int rc = fr ? 0 : 1;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = stream_open(&st[i], argv[3 + i % n_clips], &interval_ns) < 0;
        /* the streams start at different points of their clips, as cameras do */
        for (int k = 0; k < i * 7 && rc == 0; k++) {
            decode_next(&st[i], fr);
        }
    }
    if (rc == 0) {
        long long slot = interval_ns / n; /* n cameras' frames, evenly spread over one interval */
        struct tally way[2] = { { 0 } };
        for (int b = 0; b < BLOCKS; b++) {
            for (int paced = 0; paced < 2; paced++) {
                run(st, n, rounds, paced, slot, fr, &way[paced]);
            }
        }
        double wake_us = timer_wake_us(slot);
        double ms[2][2];
        for (int p = 0; p < 2; p++) {
            long f = way[p].frames > 0 ? way[p].frames : 1;
            ms[p][0] = way[p].all_ms / (double)f;
            ms[p][1] = way[p].dec_ms / (double)f;
        }
        printf("%d streams in one thread, %ld frames each way:\n", n, way[0].frames);
        printf("  back to back:  %.3f ms CPU a frame (the decoding calls %.3f)\n", ms[0][0], ms[0][1]);
        printf("  paced (%.1f ms apart): %.3f ms CPU a frame = %.2f x (the decoding calls %.3f = %.2f x)\n",
               (double)slot / 1e6, ms[1][0], ms[1][0] / ms[0][0], ms[1][1], ms[1][1] / ms[0][1]);
        printf("  one timer sleep and wake: %.1f us CPU\n", wake_us);
        printf("{\"streams\": %d, \"frames\": %ld, \"b2b_ms\": %.4f, \"b2b_dec_ms\": %.4f, \"paced_ms\": %.4f, "
               "\"paced_dec_ms\": %.4f, \"slot_ms\": %.3f, \"timer_wake_us\": %.2f}\n",
               n, way[0].frames, ms[0][0], ms[0][1], ms[1][0], ms[1][1], (double)slot / 1e6, wake_us);
    }
    for (int i = 0; i < n; i++) {
        stream_close(&st[i]);
    }
    av_frame_free(&fr);
    return rc;
}
