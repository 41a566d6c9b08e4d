/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/bench/meter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* One "status" exchange with the card: "present power=on apdus=N bytes=M ...". */
static int ask_status(const char *path, char *line, size_t cap)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = 0;
	int fd, rc = -1;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "%s: control socket path too long\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror(path);
		goto out;
	}
	if (send(fd, "status\n", 7, MSG_NOSIGNAL) != 7)
		goto out;
	shutdown(fd, SHUT_WR);
	while (len + 1 < cap) {
		ssize_t n = recv(fd, line + len, cap - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	line[len] = '\0';
	rc = len ? 0 : -1;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static int field(const char *line, const char *key, unsigned long *v)
{
	const char *p = strstr(line, key);
	char *end;

	if (!p)
		return -1;
	errno = 0;
	*v = strtoul(p + strlen(key), &end, 10);
	return errno || end == p + strlen(key) ? -1 : 0;
}

static int read_counters(const char *ctl, unsigned long *apdus, unsigned long *bytes)
{
	char line[256];

	if (ask_status(ctl, line, sizeof(line)) != 0 || field(line, " apdus=", apdus) != 0 ||
	    field(line, " bytes=", bytes) != 0) {
		fprintf(stderr, "%s: no counters from the card\n", ctl);
		return -1;
	}
	return 0;
}

static long long tv_us(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

static long long cpu_us(const struct rusage *ru)
{
	return tv_us(&ru->ru_utime) + tv_us(&ru->ru_stime);
}

/* The card is asked outside the timed region, so the socket exchange costs nothing. */
int meter_start(struct meter *m)
{
	if (read_counters(m->ctl, &m->apdus0, &m->bytes0) != 0)
		return -1;
	getrusage(RUSAGE_SELF, &m->ru0);
	clock_gettime(CLOCK_MONOTONIC, &m->wall0);
	return 0;
}

int meter_stop(struct meter *m)
{
	struct timespec wall;
	struct rusage ru;
	unsigned long apdus, bytes;

	clock_gettime(CLOCK_MONOTONIC, &wall);
	getrusage(RUSAGE_SELF, &ru);
	if (read_counters(m->ctl, &apdus, &bytes) != 0)
		return -1;
	m->apdus = apdus - m->apdus0;
	m->bytes = bytes - m->bytes0;
	m->wall_us = (long long)(wall.tv_sec - m->wall0.tv_sec) * 1000000 +
		     (wall.tv_nsec - m->wall0.tv_nsec) / 1000;
	m->cpu_us = cpu_us(&ru) - cpu_us(&m->ru0);
	return 0;
}
