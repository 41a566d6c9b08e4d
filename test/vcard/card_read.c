/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* READ BINARY, short and extended, by offset or by SFI (jpki-card.md §1.3, §3.3, §4.5). */
#include "config.h"

#include <string.h>

#include "test/vcard/card_internal.h"

size_t vcard_cmd_read_binary(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	const struct vcard_ef *ef;
	size_t offset, n;

	if (apdu->lc != 0 || !apdu->has_le)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	if (apdu->p1 & 0x80) {
		/* P1 = 100x xxxx: SFI, offset in P2; the SFI's EF becomes the current EF. */
		if (!card->cfg.quirks.read_by_sfi || (apdu->p1 & 0x60))
			return vcard_sw(resp, 0, SW_WRONG_P1P2);
		ef = vcard_fs_find(card, apdu->p1 & 0x1F);
		if (ef == NULL)
			return vcard_sw(resp, 0, SW_NOT_FOUND);
		card->current_ef = ef;
		offset = apdu->p2;
	} else {
		ef = card->current_ef;
		if (ef == NULL)
			return vcard_sw(resp, 0, SW_NO_CURRENT_EF);
		offset = (size_t)apdu->p1 << 8 | apdu->p2;
	}
	if (ef->kind != VCARD_EF_DATA)
		return vcard_sw(resp, 0, SW_INCOMPATIBLE_FILE);
	if (ef->cred != VCARD_CRED_NONE && !*vcard_verified_flag(card, ef->cred))
		return vcard_sw(resp, 0, SW_SECURITY_NOT_SATISFIED);
	if (offset >= ef->len)
		return vcard_sw(resp, 0, SW_OFFSET_OUTSIDE);
	n = ef->len - offset;
	if (n > apdu->le)
		n = apdu->le;
	memcpy(resp, ef->data + offset, n);
	return vcard_sw(resp, n,
			n < apdu->le && card->cfg.quirks.read_short_6282 ? SW_END_OF_FILE : SW_OK);
}
