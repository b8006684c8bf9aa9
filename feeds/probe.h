/* feeds/probe.h: is the server's port open again? The reconnect probe that
 * cameras and brokers share: a TCP connect, bounded in time, at a rate that
 * slows as the outage grows. Any thread. */
#ifndef PANTAU_FEEDS_PROBE_H
#define PANTAU_FEEDS_PROBE_H

#include <netdb.h>
#include <stdint.h>

/* Milliseconds between probes of a server down for down_ms: every 0.5 s for
 * the first 30 s (a short outage ends within half a second), every 2 s to
 * 5 min, then every 10 s (24 cameras behind a recorder that is down for an
 * hour make about 8,600 connections, not 170,000). */
int64_t probe_every(int64_t down_ms);

/* host:port resolved for probe_tcp (freeaddrinfo it), or NULL when the name
 * does not resolve or port is not 1-65535. Blocks for the resolver. */
struct addrinfo *probe_resolve(const char *host, int port);

/* 1 when one of the addresses accepts a TCP connection (closed at once),
 * 0 when none does. At most 200 ms per address. */
int probe_tcp(const struct addrinfo *list);

#endif
