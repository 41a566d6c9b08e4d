/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The byte pipe to cards: a table of operations with two implementations, PC/SC
 * (src/transport_pcsc.c, the product) and an in-process one into the virtual card model
 * (test/, for unit, API and fuzz tests). Everything above it is shared by both.
 */
#ifndef JPKI_TRANSPORT_H
#define JPKI_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/jpki_error.h"

#define JPKI_READER_NAME_MAX 128
#define JPKI_ATR_MAX	     33

/* What a reader looks like at one moment. */
struct jpki_reader_state {
	char name[JPKI_READER_NAME_MAX];
	bool present;	      /* a card is in the reader */
	bool exclusive;	      /* another process holds the card exclusively */
	unsigned event_count; /* increments on every insertion/removal/reset the service saw */
	uint8_t atr[JPKI_ATR_MAX];
	size_t atr_len;
};

struct jpki_transport;	/* a context: one per module instance */
struct jpki_connection; /* one connected card */

struct jpki_transport_ops {
	enum jpki_rc (*open)(void *arg, struct jpki_transport **out);
	void (*close)(struct jpki_transport *t);

	/* Fills up to *count reader states; sets *count to the number of readers. */
	enum jpki_rc (*readers)(struct jpki_transport *t, struct jpki_reader_state *states,
				size_t *count);

	/*
	 * Blocks up to timeout_ms (-1: forever) until a reader's state differs from `known`
	 * (count entries), or until cancel_wait() is called (JPKI_ERR_CANCELLED). JPKI_OK when
	 * something changed (also a reader added or removed), JPKI_ERR_TIMEOUT otherwise.
	 */
	enum jpki_rc (*wait_change)(struct jpki_transport *t, const struct jpki_reader_state *known,
				    size_t count, int timeout_ms);
	/*
	 * Callable from any thread. Sticky: every current and later wait_change on t returns
	 * JPKI_ERR_CANCELLED (used by C_Finalize before close).
	 */
	void (*cancel_wait)(struct jpki_transport *t);

	/* Shared-mode connection to the card in `reader`; the ATR is reported, not interpreted. */
	enum jpki_rc (*connect)(struct jpki_transport *t, const char *reader,
				struct jpki_connection **out);
	void (*disconnect)(struct jpki_connection *c, bool reset);

	/* A transaction groups APDUs no other process may interleave with. Nestable by count. */
	enum jpki_rc (*begin)(struct jpki_connection *c);
	void (*end)(struct jpki_connection *c);

	/*
	 * Sends one command APDU, receives one response (data + SW1 SW2) into resp (cap bytes).
	 * JPKI_ERR_CARD_RESET / JPKI_ERR_CARD_REMOVED when the card changed under us.
	 */
	enum jpki_rc (*transmit)(struct jpki_connection *c, const uint8_t *cmd, size_t cmd_len,
				 uint8_t *resp, size_t cap, size_t *resp_len);

	/*
	 * Reader capability: the largest response data length the reader passes: 256 when it
	 * only carries short APDUs, up to 65536 when it carries extended ones.
	 */
	size_t (*max_response)(struct jpki_connection *c);

	/*
	 * Liveness without an APDU: JPKI_OK, JPKI_ERR_CARD_RESET (someone reset the card: the
	 * transport has reconnected, reported once) or JPKI_ERR_CARD_REMOVED. May be NULL.
	 */
	enum jpki_rc (*status)(struct jpki_connection *c);
};

/* The PC/SC implementation (pcsc-lite). */
extern const struct jpki_transport_ops jpki_transport_pcsc;

#endif
