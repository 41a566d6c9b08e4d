/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Local PIN checks, done before any card I/O so that a malformed PIN never costs a try,
 * and the memory of PINs the card has just rejected.
 */
#ifndef JPKI_PIN_POLICY_H
#define JPKI_PIN_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/jpki.h"

/*
 * Checks `in` (in_len bytes, not NUL-terminated) for `pin` and writes the card form to out
 * (JPKI_PIN_MAX_LEN bytes; the password upper-cased). JPKI_ERR_PIN_LENGTH or
 * JPKI_ERR_PIN_FORMAT when it can never be right. The caller wipes out.
 */
enum jpki_rc jpki_pin_normalise(enum jpki_pin pin, const uint8_t *in, size_t in_len, char *out,
				size_t *out_len);

/* Stricter rule for a new value (C_SetPIN): the password must mix letters and digits. */
enum jpki_rc jpki_pin_check_new(enum jpki_pin pin, const char *value, size_t len);

/*
 * Remembers, per PIN, a keyed hash (random key per process, never the PIN) of the last value
 * the card rejected and the retry counter after that rejection. A login with the same value
 * while the counter is unchanged is refused without a VERIFY.
 */
struct jpki_pin_guard {
	uint8_t key[32];
	bool armed[2];
	uint8_t mac[2][32];
	int tries_after[2];
	bool keyed; /* the random key was drawn; without it the guard never blocks */
};

void jpki_pin_guard_init(struct jpki_pin_guard *g);
void jpki_pin_guard_wipe(struct jpki_pin_guard *g);
void jpki_pin_guard_rejected(struct jpki_pin_guard *g, enum jpki_pin pin, const char *value,
			     size_t len, int tries_left);
void jpki_pin_guard_clear(struct jpki_pin_guard *g, enum jpki_pin pin);
/* True when value is the one just rejected and the card's counter is still tries_left. */
bool jpki_pin_guard_blocks(const struct jpki_pin_guard *g, enum jpki_pin pin, const char *value,
			   size_t len, int tries_left);

/* Wipes a buffer in a way the compiler keeps. */
void jpki_wipe(void *p, size_t len);

#endif
