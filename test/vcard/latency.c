/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/vcard/latency.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Contact: ATR TA1 = 13 (Fi 372, Di 4) gives 93 clock cycles per etu; at the ~4 MHz clock of
 * common CCID readers that is 23 us per etu, 11 etu per T=1 character: ~256 us per byte. Each
 * APDU adds T=1 block framing, block guard time, card OS work and a USB round trip: ~4 ms.
 * Contactless: ISO 14443-B at 106 kbit/s, 10 etu per byte plus guard time: ~100 us per byte;
 * frame overhead, chaining at FSC 256 and the reader firmware: ~6 ms per APDU; the RSA
 * coprocessor runs on field power and needs S(WTX) round trips: ~500 ms per signature.
 */
static const struct latency contact = {4000, 256, 300000};
static const struct latency contactless = {6000, 100, 500000};

static int parse_ulong(const char *s, char **end, unsigned long *v)
{
	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*v = strtoul(s, end, 10);
	return errno ? -1 : 0;
}

int latency_parse(const char *spec, struct latency *lat)
{
	char *end;

	if (strcmp(spec, "none") == 0) {
		*lat = (struct latency){0, 0, 0};
		return 0;
	}
	if (strcmp(spec, "contact") == 0) {
		*lat = contact;
		return 0;
	}
	if (strcmp(spec, "contactless") == 0) {
		*lat = contactless;
		return 0;
	}
	if (parse_ulong(spec, &end, &lat->apdu_us) != 0 || *end != ',' ||
	    parse_ulong(end + 1, &end, &lat->byte_us) != 0 || *end != ',' ||
	    parse_ulong(end + 1, &end, &lat->rsa_us) != 0 || *end != '\0')
		return -1;
	return 0;
}

unsigned long latency_cost(const struct latency *lat, size_t bytes, unsigned rsa_ops)
{
	return lat->apdu_us + lat->byte_us * bytes + lat->rsa_us * rsa_ops;
}

void latency_sleep(unsigned long us)
{
	struct timespec ts = {.tv_sec = (time_t)(us / 1000000),
			      .tv_nsec = (long)(us % 1000000) * 1000};

	if (us)
		nanosleep(&ts, NULL);
}
