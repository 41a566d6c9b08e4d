/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card faults at a chosen APDU, for fault-injection tests of clients (test/fault): the card
 * resets before the N-th APDU, or answers it with garbage or with a wrong status word. The
 * bridge (bridge.c) counts APDUs down with fault_step() and applies what fires; the command
 * itself still takes effect for garbage and a wrong SW, as when a response is corrupted on
 * the way back. Removal faults (remove-after, remove-during) stay in the bridge.
 */
#ifndef JPKI_VCARD_FAULT_H
#define JPKI_VCARD_FAULT_H

#include <stddef.h>
#include <stdint.h>

enum fault_kind {
	FAULT_RESET,   /* cold reset (power cycle) just before the APDU is processed */
	FAULT_GARBAGE, /* the answer is replaced by 1-64 random bytes, never a success SW */
	FAULT_SW,      /* the answer's status word is replaced (data kept) */
	FAULT_KINDS,
};

#define FAULT_DEFAULT_SW 0x6F00

struct fault_plan {
	unsigned long left[FAULT_KINDS]; /* count-downs; 0 = off */
	uint16_t sw;			 /* the status word FAULT_SW puts in */
	uint64_t seed;			 /* garbage generator state (never 0) */
};

void fault_plan_init(struct fault_plan *p);

/* Arms kind to fire on the n-th APDU from now (n >= 1; 0 disarms). */
void fault_arm(struct fault_plan *p, enum fault_kind kind, unsigned long n);

/* How many faults are armed and have not fired yet. */
unsigned fault_armed(const struct fault_plan *p);

/* Counts one APDU; returns a bit mask (1 << kind) of the faults that fire on it. */
unsigned fault_step(struct fault_plan *p);

/*
 * Writes a garbage answer into resp (at least 64 bytes) and returns its length (1-64). A
 * garbage answer of two or more bytes never ends in a success or warning SW (90xx, 61xx,
 * 62xx, 63xx), so that a client cannot take it for a good answer.
 */
size_t fault_garbage(struct fault_plan *p, uint8_t *resp);

/* Replaces the SW of an answer of len bytes (len >= 2) by sw. */
void fault_wrong_sw(uint8_t *resp, size_t len, uint16_t sw);

#endif
