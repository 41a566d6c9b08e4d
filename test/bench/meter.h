/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a flow costs: the virtual card's own APDU and byte counters (read over its control
 * socket, so only this card's traffic counts), the wall time and this process's CPU time
 * (user + system, all threads) between meter_start() and meter_stop().
 */
#ifndef JPKI_BENCH_METER_H
#define JPKI_BENCH_METER_H

#include <sys/resource.h>
#include <time.h>

struct meter {
	const char *ctl; /* the card's control socket (jpki-vcard --control) */
	unsigned long apdus0, bytes0;
	struct timespec wall0;
	struct rusage ru0;
	/* Set by meter_stop(). */
	unsigned long apdus, bytes;
	long long wall_us, cpu_us;
};

/* Both return 0, or -1 with a message on stderr when the card cannot be asked. */
int meter_start(struct meter *m);
int meter_stop(struct meter *m);

#endif
