/* app/service.h: systemd's notify protocol (sd_notify(3)): READY=1 once the
 * wall is up, WATCHDOG=1 from the frame loop, RELOADING=1 / STOPPING=1.
 * Without $NOTIFY_SOCKET (not run by systemd) every call does nothing.
 * The protocol is one datagram on a unix socket, documented as stable; it
 * is written here rather than linking libsystemd for one function.
 * Render thread only. */
#ifndef PANTAU_SERVICE_H
#define PANTAU_SERVICE_H

#include <stdint.h>

/* Reads NOTIFY_SOCKET and WATCHDOG_USEC (honouring WATCHDOG_PID). */
void service_init(void);
/* Sends one state line set ("READY=1\nSTATUS=..."); 0 or -1. */
int service_notify(const char *state);
/* WATCHDOG=1 at most every half watchdog period; call it every loop turn. */
void service_ping(int64_t now_ms);
/* The watchdog period in ms, 0 when systemd asked for none. */
int64_t service_watchdog_ms(void);

#endif
