/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ISO/IEC 7816-4 command APDU encoding (cases 1-4, short and extended) and response parsing.
 * Pure functions on caller-owned buffers; nothing here knows the JPKI application.
 */
#ifndef JPKI_APDU_H
#define JPKI_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/jpki_error.h"

#define JPKI_APDU_SHORT_MAX_LC 255
#define JPKI_APDU_SHORT_MAX_LE 256
#define JPKI_APDU_EXT_MAX_LC   65535
#define JPKI_APDU_EXT_MAX_LE   65536
/* Largest command this codec builds: header, extended Lc, data, extended Le. */
#define JPKI_APDU_CMD_MAX (4 + 3 + JPKI_APDU_EXT_MAX_LC + 2)

struct jpki_apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data; /* command data (Lc = data_len); NULL when data_len is 0 */
	size_t data_len;
	size_t le;     /* expected response length: 0 = no Le field, 1..65536 */
	bool extended; /* force the extended form (it is also chosen when the sizes need it) */
};

/* The encoded size of a, or 0 when a cannot be encoded (Lc or Le out of range). */
size_t jpki_apdu_size(const struct jpki_apdu *a);

/*
 * Encodes a into out (cap bytes). Case 1 is the 4-byte header alone; short Le 256 is
 * encoded 00, extended Le 65536 is 00 00. JPKI_ERR_ARGS when a cannot be encoded or out is
 * too small.
 */
enum jpki_rc jpki_apdu_build(const struct jpki_apdu *a, uint8_t *out, size_t cap, size_t *out_len);

struct jpki_resp {
	const uint8_t *data; /* points into the parsed buffer */
	size_t len;
	uint16_t sw;
};

/* Splits a response into data and SW1 SW2. JPKI_ERR_BAD_RESPONSE when shorter than 2 bytes. */
enum jpki_rc jpki_apdu_parse(const uint8_t *resp, size_t len, struct jpki_resp *r);

#endif
