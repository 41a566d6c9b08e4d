/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bridge between the card model and vpcd: the event loop of jpki-vcard. It keeps the card
 * connected to vpcd (reconnecting while vpcd is not listening), answers vpcd's control codes
 * and APDUs, persists the PIN state before each answer that changed it, applies the latency
 * model, writes the trace, injects faults (fault.h), and obeys the control socket.
 */
#ifndef JPKI_VCARD_BRIDGE_H
#define JPKI_VCARD_BRIDGE_H

#include <stdbool.h>

#include "test/vcard/card.h"
#include "test/vcard/latency.h"
#include "test/vcard/trace.h"

struct bridge_config {
	const char *host;
	unsigned port;
	const char *state_path; /* NULL: the PIN state lives in memory only */
	struct latency lat;
	bool start_removed; /* stay away from the reader until an insert command */
	bool verbose;
	/* Removal after answering the N-th APDU / instead of answering it; 0 = never. */
	unsigned long remove_after, remove_during;
	/* Faults at the N-th APDU (fault.h): reset before it, garbage or fault_sw as its answer. */
	unsigned long reset_at, garbage_at, sw_at;
	unsigned fault_sw;
};

/*
 * Runs until SIGTERM or SIGINT. pins is the card's PIN state (saved to cfg->state_path);
 * trace may be NULL; lfd is the listening control socket or -1. Returns 0, or -1 when the
 * card cannot go on (its state could not be saved, or polling failed).
 */
int bridge_run(const struct bridge_config *cfg, struct vcard *card, struct vcard_pins *pins,
	       struct trace *trace, int lfd);

#endif
