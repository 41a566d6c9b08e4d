/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SELECT FILE: applications by AID, the MF, EFs by FID (jpki-card.md §1.5, §2, §3.1). */
#include "config.h"

#include <string.h>

#include "test/vcard/card_internal.h"

static const uint8_t aid_jpki[] = {0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
static const uint8_t aid_isd[] = {0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00};

static bool aid_is(const struct vcard_apdu *apdu, const uint8_t *aid, size_t len)
{
	return apdu->lc == len && memcmp(apdu->data, aid, len) == 0;
}

/* Our FCI for P2 00 (the real contents are undocumented, §2): 6F { 84 <DF name> }. */
static size_t fci(const struct vcard_apdu *apdu, uint8_t *resp)
{
	size_t n = 0, len;

	resp[n++] = 0x6F;
	resp[n++] = (uint8_t)(2 + apdu->lc);
	resp[n++] = 0x84;
	resp[n++] = (uint8_t)apdu->lc;
	memcpy(resp + n, apdu->data, apdu->lc);
	n += apdu->lc;
	len = apdu->le < n ? apdu->le : n;
	return vcard_sw(resp, len, SW_OK);
}

/*
 * By DF name. Any SELECT by AID ends the security status and the current EF, also when the
 * AID is unknown here: on a real card that AID may be one of the APs this model leaves out.
 */
static size_t select_aid(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	if (apdu->p2 != 0x0C && apdu->p2 != 0x00)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	if (apdu->lc == 0 || apdu->lc > 16)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	vcard_clear_security(card);
	if (aid_is(apdu, aid_jpki, sizeof(aid_jpki)))
		card->jpki_selected = true;
	else if (aid_is(apdu, aid_isd, sizeof(aid_isd)))
		card->jpki_selected = false; /* back to the power-on (MF) level, §1.5 */
	else
		return vcard_sw(resp, 0, SW_NOT_FOUND);
	if (apdu->p2 == 0x00 && apdu->has_le)
		return fci(apdu, resp);
	return vcard_sw(resp, 0, SW_OK);
}

/* SELECT MF: 6A86 at MF level, a no-op 9000 once an AP is selected; 3F00 by FID: 6A82. */
static size_t select_mf(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	if (apdu->p2 != 0x00 && apdu->p2 != 0x0C)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	if (apdu->lc != 0)
		return vcard_sw(resp, 0, SW_NOT_FOUND);
	return vcard_sw(resp, 0, card->jpki_selected ? SW_OK : SW_WRONG_P1P2);
}

static size_t select_ef(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	const struct vcard_ef *ef;

	if (apdu->p2 != 0x0C)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	if (apdu->lc != 2)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	ef = vcard_fs_find(card, (uint16_t)(apdu->data[0] << 8 | apdu->data[1]));
	if (ef == NULL)
		return vcard_sw(resp, 0, SW_NOT_FOUND);
	card->current_ef = ef;
	return vcard_sw(resp, 0, SW_OK);
}

size_t vcard_cmd_select(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	switch (apdu->p1) {
	case 0x04:
		return select_aid(card, apdu, resp);
	case 0x00:
		return select_mf(card, apdu, resp);
	case 0x02:
		return select_ef(card, apdu, resp);
	}
	return vcard_sw(resp, 0, SW_WRONG_P1P2);
}
