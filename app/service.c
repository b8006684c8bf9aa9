/* app/service.c: see service.h. */
#include "service.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct {
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    int64_t watchdog_ms;
    int64_t last_ping_ms;
} svc;

void service_init(void)
{
    const char *sock = getenv("NOTIFY_SOCKET");
    svc.path[0] = '\0';
    if (sock && (sock[0] == '/' || sock[0] == '@') && strlen(sock) < sizeof(svc.path)) {
        snprintf(svc.path, sizeof(svc.path), "%s", sock);
    }
    const char *usec = getenv("WATCHDOG_USEC");
    const char *pid = getenv("WATCHDOG_PID");
    svc.watchdog_ms = 0;
    if (usec && (!pid || strtol(pid, NULL, 10) == (long)getpid())) {
        long long us = strtoll(usec, NULL, 10);
        svc.watchdog_ms = us > 0 ? us / 1000 : 0;
    }
}

int service_notify(const char *state)
{
    if (!svc.path[0]) {
        return 0;
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    size_t len = strlen(svc.path);
    memcpy(sa.sun_path, svc.path, len);
    if (sa.sun_path[0] == '@') {
        sa.sun_path[0] = '\0'; /* abstract namespace */
    }
    socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    ssize_t n = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
    close(fd);
    return n < 0 ? -1 : 0;
}

void service_ping(int64_t now_ms)
{
    if (svc.watchdog_ms <= 0 || now_ms - svc.last_ping_ms < svc.watchdog_ms / 2) {
        return;
    }
    svc.last_ping_ms = now_ms;
    service_notify("WATCHDOG=1");
}

int64_t service_watchdog_ms(void)
{
    return svc.watchdog_ms;
}
