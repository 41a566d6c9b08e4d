/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Latency model of the virtual card: before answering an APDU the card sleeps
 * apdu_us + byte_us * (command + response bytes) + rsa_us * RSA operations, so that tests and
 * benchmarks see timings shaped like a real reader and card (numbers in doc/testing.md).
 */
#ifndef JPKI_VCARD_LATENCY_H
#define JPKI_VCARD_LATENCY_H

#include <stddef.h>

struct latency {
	unsigned long apdu_us, byte_us, rsa_us;
};

/*
 * Parses "none", "contact", "contactless" or "APDU_US,BYTE_US,RSA_US" (decimal microseconds).
 * Returns 0, or -1 if spec is not one of these.
 */
int latency_parse(const char *spec, struct latency *lat);

/* Microseconds one exchange costs. */
unsigned long latency_cost(const struct latency *lat, size_t bytes, unsigned rsa_ops);

/* Sleeps for us microseconds; returns early (without error) when a signal arrives. */
void latency_sleep(unsigned long us);

#endif
