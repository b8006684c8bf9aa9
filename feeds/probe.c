/* feeds/probe.c: the reconnect probe (see probe.h). */
#include "probe.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROBE_TIMEOUT_MS 200

int64_t probe_every(int64_t down_ms)
{
    return down_ms < 30000 ? 500 : down_ms < 300000 ? 2000 : 10000;
}

struct addrinfo *probe_resolve(const char *host, int port)
{
    if (!host || !host[0] || port <= 0 || port > 65535) {
        return NULL;
    }
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
    struct addrinfo *ai = NULL;
    char ps[16];
    snprintf(ps, sizeof(ps), "%d", port);
    if (getaddrinfo(host, ps, &hints, &ai) != 0) {
        return NULL;
    }
    return ai;
}

static int probe_one(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int up = 0;
    if (fd >= 0) {
        int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc == 0) {
            up = 1;
        } else if (errno == EINPROGRESS) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            int err = 0;
            socklen_t len = sizeof(err);
            if (poll(&pfd, 1, PROBE_TIMEOUT_MS) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
                err == 0) {
                up = 1;
            }
        }
        close(fd);
    }
    return up;
}

int probe_tcp(const struct addrinfo *list)
{
    for (const struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        if (probe_one(ai)) {
            return 1;
        }
    }
    return 0;
}
