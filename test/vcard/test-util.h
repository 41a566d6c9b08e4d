/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the card model's unit tests: the test PKI, a card, APDUs written in hex. */
#ifndef JPKI_VCARD_TEST_UTIL_H
#define JPKI_VCARD_TEST_UTIL_H

#include <check.h>

#include "test/vcard/card.h"
#include "test/vcard/pki.h"
#include "test/vcard/state.h"

#define TU_JPKI_AID    "D3 92 F0 00 26 01 00 00 00 01"
#define TU_SELECT_JPKI "00 A4 04 0C 0A " TU_JPKI_AID

extern struct vcard_pki tu_pki[VCARD_PKI_IDENTITIES];

/*
 * Loads both identities of the test PKI from $JPKI_TEST_PKI, or from a new temporary directory
 * that tu_pki_cleanup() removes. Call it in main() before forking tests; exits on failure.
 */
void tu_pki_init(void);
const char *tu_pki_dir(void);
void tu_pki_cleanup(void);

struct tu_card {
	struct vcard_config cfg;
	struct vcard_identity id;
	struct vcard_pins pins;
	struct vcard *card;
	uint8_t resp[VCARD_RESP_MAX];
	size_t resp_len; /* data + SW of the last response */
};

/* A powered card of identity 0; cfg NULL gives the defaults. */
struct tu_card *tu_card_new(const struct vcard_config *cfg);
struct tu_card *tu_card_new_identity(const struct vcard_config *cfg, unsigned identity);
void tu_card_free(struct tu_card *tc);

/* Sends a command; returns SW1 SW2. */
uint16_t tu_send(struct tu_card *tc, const uint8_t *cmd, size_t len);
/* Same, the command written in hex (spaces ignored), printf-style. */
uint16_t tu_sendf(struct tu_card *tc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Data bytes of the last response. */
size_t tu_data_len(const struct tu_card *tc);

/* Builds a command APDU in buf (>= 65544 bytes); le 0 = none; returns its length. */
size_t tu_build(uint8_t *buf, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, const uint8_t *data,
		size_t lc, size_t le, bool extended);

/* Steps that must succeed (assert 9000). */
void tu_select_jpki(struct tu_card *tc);
void tu_select_ef(struct tu_card *tc, uint16_t fid);
void tu_verify(struct tu_card *tc, uint16_t pin_fid, const char *pin);

/* Reads the current EF from offset 0 in short 256-byte chunks until 6B00; returns its size. */
size_t tu_read_all(struct tu_card *tc, uint8_t *buf, size_t cap);

/* Runs a suite and returns the exit status for main(). */
int tu_run(Suite *s);

#endif
