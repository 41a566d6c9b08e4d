/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Splitting a command APDU into its ISO/IEC 7816-4 case (jpki-card.md §1.3). */
#include "config.h"

#include "test/vcard/card_internal.h"

static size_t be16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

/* Body after the header, short form: [Lc data] [Le], one byte each. */
static uint16_t parse_short(const uint8_t *body, size_t n, struct vcard_apdu *apdu)
{
	if (n == 1) { /* case 2S */
		apdu->has_le = true;
		apdu->le = body[0] ? body[0] : 256;
		return 0;
	}
	apdu->lc = body[0];
	apdu->data = body + 1;
	if (n == 1 + apdu->lc) /* case 3S */
		return 0;
	if (n == 2 + apdu->lc) { /* case 4S */
		apdu->has_le = true;
		apdu->le = body[n - 1] ? body[n - 1] : 256;
		return 0;
	}
	return SW_WRONG_LENGTH;
}

/* Body after the header, extended form: 00 then [Lc(2) data] [Le(2)]. */
static uint16_t parse_extended(const uint8_t *body, size_t n, struct vcard_apdu *apdu)
{
	apdu->extended = true;
	if (n == 3) { /* case 2E */
		apdu->has_le = true;
		apdu->le = be16(body + 1) ? be16(body + 1) : 65536;
		return 0;
	}
	if (n < 3)
		return SW_WRONG_LENGTH;
	apdu->lc = be16(body + 1);
	if (apdu->lc == 0)
		return SW_WRONG_LENGTH;
	apdu->data = body + 3;
	if (n == 3 + apdu->lc) /* case 3E */
		return 0;
	if (n == 5 + apdu->lc) { /* case 4E */
		apdu->has_le = true;
		apdu->le = be16(body + n - 2) ? be16(body + n - 2) : 65536;
		return 0;
	}
	return SW_WRONG_LENGTH;
}

uint16_t vcard_apdu_parse(const uint8_t *cmd, size_t len, bool allow_extended,
			  struct vcard_apdu *apdu)
{
	uint16_t sw;

	*apdu = (struct vcard_apdu){0};
	if (len < 4)
		return SW_WRONG_LENGTH;
	apdu->cla = cmd[0];
	apdu->ins = cmd[1];
	apdu->p1 = cmd[2];
	apdu->p2 = cmd[3];
	if (len == 4) /* case 1 */
		return 0;
	/* A 0 where Lc would be starts the extended form, unless it is the only byte (Le 256). */
	if (len > 5 && cmd[4] == 0) {
		sw = parse_extended(cmd + 4, len - 4, apdu);
		if (sw == 0 && !allow_extended)
			sw = SW_WRONG_LENGTH;
	} else {
		sw = parse_short(cmd + 4, len - 4, apdu);
	}
	if (sw != 0) {
		apdu->data = NULL;
		apdu->lc = 0;
	}
	return sw;
}
