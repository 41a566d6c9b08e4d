/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcsc-wait: waits until pcscd shows the expected readers and cards.
 *
 *   pcsc-wait [--timeout SECONDS] [--quiet] STATES
 *
 * STATES has one letter per reader, readers taken in name order: P = a card is present,
 * A = the reader is empty, - = either. The wait ends when at least that many readers exist
 * and each matches; the names of those readers are printed, one per line. Exit status 0, 1 on
 * timeout (the last states seen go to stderr), 2 on a usage error.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <winscard.h>

#define STEP_MS 200

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(void)
{
	const struct timespec ts = {.tv_nsec = 20 * 1000000L};

	nanosleep(&ts, NULL);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool matches(char want, DWORD state)
{
	switch (want) {
	case 'P':
		return (state & SCARD_STATE_PRESENT) && !(state & SCARD_STATE_MUTE);
	case 'A':
		return (state & SCARD_STATE_EMPTY) != 0;
	default:
		return true;
	}
}

struct readers {
	char *buf;	       /* multi-string from SCardListReaders */
	const char **names;    /* sorted */
	SCARD_READERSTATE *rs; /* one per wanted reader, then the PnP pseudo reader */
	size_t count;
};

static void readers_free(struct readers *r)
{
	free(r->buf);
	free(r->names);
	free(r->rs);
	memset(r, 0, sizeof(*r));
}

/* Lists the readers; returns how many exist (0 when none or on an error). */
static size_t readers_list(SCARDCONTEXT ctx, struct readers *r)
{
	DWORD len = 0;
	size_t n = 0;

	readers_free(r);
	if (SCardListReaders(ctx, NULL, NULL, &len) != SCARD_S_SUCCESS || len == 0)
		return 0;
	r->buf = malloc(len);
	if (!r->buf || SCardListReaders(ctx, NULL, r->buf, &len) != SCARD_S_SUCCESS)
		return 0;
	for (const char *p = r->buf; *p; p += strlen(p) + 1)
		n++;
	r->names = calloc(n, sizeof(*r->names));
	r->rs = calloc(n + 1, sizeof(*r->rs));
	if (!r->names || !r->rs)
		return 0;
	n = 0;
	for (const char *p = r->buf; *p; p += strlen(p) + 1)
		r->names[n++] = p;
	qsort(r->names, n, sizeof(*r->names), by_name);
	r->count = n;
	return n;
}

static void report(FILE *out, const struct readers *r, size_t want)
{
	for (size_t i = 0; i < want && i < r->count; i++)
		fprintf(out, "%s: state 0x%lx\n", r->names[i],
			(unsigned long)r->rs[i].dwEventState);
	if (r->count < want)
		fprintf(out, "only %zu of %zu readers present\n", r->count, want);
}

/* Returns 1 when the states match, 0 when not yet, -1 when pcscd went away. */
static int check(SCARDCONTEXT ctx, struct readers *r, const char *states, double deadline)
{
	size_t want = strlen(states);
	double left;
	LONG rv;

	if (readers_list(ctx, r) < want) {
		/* No reader yet, or too few: wait for pcscd to announce more. */
		SCARD_READERSTATE pnp = {.szReader = "\\\\?PnP?\\Notification"};

		left = deadline - now();
		if (left <= 0)
			return 0;
		pnp.dwCurrentState = (DWORD)r->count << 16;
		rv = SCardGetStatusChange(
		    ctx, left * 1000 < STEP_MS ? (DWORD)(left * 1000) : STEP_MS, &pnp, 1);
		return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED ? -1 : 0;
	}
	for (size_t i = 0; i < want; i++) {
		r->rs[i].szReader = r->names[i];
		r->rs[i].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	rv = SCardGetStatusChange(ctx, 0, r->rs, (DWORD)want);
	if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
		return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED ? -1 : 0;
	for (;;) {
		bool all = true;

		for (size_t i = 0; i < want; i++) {
			all = all && matches(states[i], r->rs[i].dwEventState);
			r->rs[i].dwCurrentState = r->rs[i].dwEventState & ~SCARD_STATE_CHANGED;
		}
		if (all)
			return 1;
		left = deadline - now();
		if (left <= 0)
			return 0;
		rv = SCardGetStatusChange(ctx,
					  left * 1000 < STEP_MS ? (DWORD)(left * 1000) : STEP_MS,
					  r->rs, (DWORD)want);
		if (rv == SCARD_E_TIMEOUT)
			return 0; /* list the readers again: one may have come or gone */
		if (rv != SCARD_S_SUCCESS)
			return -1;
	}
}

static int usage(void)
{
	fprintf(stderr, "Usage: pcsc-wait [--timeout SECONDS] [--quiet] STATES\n"
			"STATES: one letter per reader in name order: P present, A absent, "
			"- either\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"timeout", required_argument, NULL, 't'},
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	struct readers r = {0};
	double timeout = 10, deadline;
	bool quiet = false;
	const char *states;
	char *end;
	int c, found = 0;

	while ((c = getopt_long(argc, argv, "t:q", opts, NULL)) != -1) {
		if (c == 't') {
			timeout = strtod(optarg, &end);
			if (*end || timeout < 0)
				return usage();
		} else if (c == 'q') {
			quiet = true;
		} else {
			return usage();
		}
	}
	if (optind != argc - 1)
		return usage();
	states = argv[optind];
	if (!*states || strspn(states, "PA-") != strlen(states))
		return usage();
	deadline = now() + timeout;
	while (found != 1 && now() < deadline) {
		SCARDCONTEXT ctx;

		/* pcscd may not be listening yet; it may also restart under us. */
		if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) !=
		    SCARD_S_SUCCESS) {
			nap();
			continue;
		}
		while ((found = check(ctx, &r, states, deadline)) == 0 && now() < deadline)
			;
		SCardReleaseContext(ctx);
		if (found < 0)
			nap();
	}
	if (found == 1) {
		if (!quiet)
			for (size_t i = 0; i < strlen(states); i++)
				puts(r.names[i]);
	} else {
		fprintf(stderr, "pcsc-wait: timed out after %g s waiting for %s\n", timeout,
			states);
		report(stderr, &r, strlen(states));
	}
	readers_free(&r);
	return found == 1 ? 0 : 1;
}
