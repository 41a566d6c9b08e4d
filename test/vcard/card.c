/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The card model: configuration, power and reset, and command dispatch (class byte, INS).
 * The commands themselves live in card_select.c, card_read.c, card_pin.c and card_sign.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "test/vcard/card_internal.h"

#define INS_VERIFY		  0x20
#define INS_CHANGE_REFERENCE_DATA 0x24
#define INS_COMPUTE_SIGNATURE	  0x2A /* CLA 80 */
#define INS_GET_CHALLENGE	  0x84
#define INS_SELECT		  0xA4
#define INS_SET_SESSION_KEY	  0xAE /* CLA 80 */
#define INS_READ_BINARY		  0xB0
#define INS_LAST_COMMAND	  0xFC /* CLA 80, smartphone token only */

static const uint8_t atr_contact[] = {0x3B, 0xDA, 0x13, 0xFF, 0x81, 0x31, 0xFB, 0x46, 0x80, 0x12,
				      0x39, 0x2F, 0x31, 0xC1, 0x73, 0xC6, 0x01, 0xC0, 0x3B};
static const uint8_t atr_contactless[] = {0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05,
					  0xE0, 0xB3, 0x81, 0xA1, 0x00, 0x7F};
static const uint8_t atr_old[] = {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};

void vcard_config_defaults(struct vcard_config *cfg)
{
	*cfg = (struct vcard_config){
	    .profile = VCARD_PROFILE_MYNUMBER,
	    .atr = VCARD_ATR_CONTACT,
	    .quirks =
		{
		    .first_command_6f00 = false,
		    .warm_reset_keeps_security = true,
		    .blocked_verify_6984 = true,
		    .blocked_query_6984 = false,
		    .verified_query_9000 = false,
		    .read_short_6282 = false,
		    .extended_apdu = true,
		    .get_challenge = true,
		    .read_by_sfi = true,
		    .verify_by_sfi = true,
		    .sign_key_by_sfi = true,
		    .sign_schemes = true,
		    .sign_pss = true,
		    .scheme_before_security = false,
		    .cert_filler = 0xFF,
		    .cert_ef_size = 0, /* automatic, see card_fs.c */
		},
	};
}

struct vcard *vcard_new(const struct vcard_config *cfg, const struct vcard_identity *id,
			struct vcard_pins *pins)
{
	struct vcard *card;

	if (cfg == NULL || id == NULL || pins == NULL)
		return NULL;
	card = calloc(1, sizeof(*card));
	if (card == NULL)
		return NULL;
	card->cfg = *cfg;
	card->id = id;
	card->pins = pins;
	if (vcard_fs_init(card) != 0) {
		vcard_free(card);
		return NULL;
	}
	return card;
}

void vcard_free(struct vcard *card)
{
	if (card == NULL)
		return;
	vcard_fs_free(card);
	free(card);
}

/* Copies at most cap bytes, like snprintf; the return value is the full length. */
size_t vcard_atr(const struct vcard *card, uint8_t *atr, size_t cap)
{
	const uint8_t *src = atr_contact;
	size_t len = sizeof(atr_contact);

	if (card->cfg.atr == VCARD_ATR_CONTACTLESS) {
		src = atr_contactless;
		len = sizeof(atr_contactless);
	} else if (card->cfg.atr == VCARD_ATR_OLD) {
		src = atr_old;
		len = sizeof(atr_old);
	}
	memcpy(atr, src, len < cap ? len : cap);
	return len;
}

void vcard_clear_security(struct vcard *card)
{
	card->auth_verified = false;
	card->sign_verified = false;
	card->current_ef = NULL;
}

bool *vcard_verified_flag(struct vcard *card, enum vcard_cred cred)
{
	return cred == VCARD_CRED_AUTH ? &card->auth_verified : &card->sign_verified;
}

/* Power-up state: MF level, nothing verified (§1.5, §14.1). */
static void cold_start(struct vcard *card)
{
	vcard_clear_security(card);
	card->jpki_selected = false;
	card->powered = true;
	card->first_command_pending = card->cfg.quirks.first_command_6f00;
}

void vcard_power_on(struct vcard *card)
{
	cold_start(card);
}

void vcard_power_off(struct vcard *card)
{
	vcard_clear_security(card);
	card->jpki_selected = false;
	card->powered = false;
	card->first_command_pending = false;
}

/*
 * A warm reset keeps the card's RAM when warm_reset_keeps_security (§4.6: verified state,
 * and with it the selected DF and EF); otherwise it is a power-up without the 6F00 quirk,
 * which belongs to a cold start.
 */
void vcard_reset(struct vcard *card)
{
	if (!card->powered) {
		cold_start(card);
		return;
	}
	if (card->cfg.quirks.warm_reset_keeps_security)
		return;
	vcard_clear_security(card);
	card->jpki_selected = false;
}

bool vcard_take_pins_dirty(struct vcard *card)
{
	bool dirty = card->pins_dirty;

	card->pins_dirty = false;
	return dirty;
}

unsigned vcard_last_rsa_ops(const struct vcard *card)
{
	return card->rsa_ops;
}

size_t vcard_sw(uint8_t *resp, size_t n, uint16_t sw)
{
	resp[n] = (uint8_t)(sw >> 8);
	resp[n + 1] = (uint8_t)sw;
	return n + 2;
}

/* GET CHALLENGE: 1..256 random bytes, short Le only (§1.3). */
static size_t get_challenge(const struct vcard_apdu *apdu, uint8_t *resp)
{
	if (apdu->p1 != 0 || apdu->p2 != 0)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	if (apdu->lc != 0 || !apdu->has_le)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	if (apdu->extended)
		return vcard_sw(resp, 0, SW_CONDITIONS_NOT_SATISFIED);
	if (RAND_bytes(resp, (int)apdu->le) != 1)
		return vcard_sw(resp, 0, SW_NO_DIAGNOSIS);
	return vcard_sw(resp, apdu->le, SW_OK);
}

enum cla_kind { CLA_ISO, CLA_PROPRIETARY, CLA_SM, CLA_BAD };

/*
 * Classifies the class byte. Only channel 0 exists (§1.4): the channel bits of a first
 * interindustry (0x0X) or proprietary (0x8X) class, and every further interindustry class
 * (0x40..0x7F, channels 4..19), answer 6881. The card knows 00, 80 and the SM classes 08/0C.
 */
static enum cla_kind classify_cla(uint8_t cla, uint16_t *sw)
{
	*sw = SW_CLA_NOT_SUPPORTED;
	if ((cla >= 0x40 && cla <= 0x7F) || ((cla & 0xE0) == 0x00 && (cla & 0x03)) ||
	    ((cla & 0xE0) == 0x80 && (cla & 0x03))) {
		*sw = SW_CHANNEL_NOT_SUPPORTED;
		return CLA_BAD;
	}
	if (cla == 0x00)
		return CLA_ISO;
	if (cla == 0x80)
		return CLA_PROPRIETARY;
	if (cla == 0x08 || cla == 0x0C)
		return CLA_SM;
	return CLA_BAD;
}

static size_t dispatch_iso(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	switch (apdu->ins) {
	case INS_SELECT:
		return vcard_cmd_select(card, apdu, resp);
	case INS_READ_BINARY:
		return vcard_cmd_read_binary(card, apdu, resp);
	case INS_VERIFY:
		return vcard_cmd_verify(card, apdu, resp);
	case INS_CHANGE_REFERENCE_DATA:
		return vcard_cmd_change_reference_data(card, apdu, resp);
	case INS_GET_CHALLENGE:
		if (card->cfg.quirks.get_challenge)
			return get_challenge(apdu, resp);
		break;
	case INS_COMPUTE_SIGNATURE:
	case INS_SET_SESSION_KEY:
	case INS_LAST_COMMAND:
		/* The card's own instructions under the ISO class. */
		return vcard_sw(resp, 0, SW_CLA_NOT_SUPPORTED);
	}
	return vcard_sw(resp, 0, SW_INS_NOT_SUPPORTED);
}

static size_t dispatch_proprietary(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	switch (apdu->ins) {
	case INS_COMPUTE_SIGNATURE:
		return vcard_cmd_sign(card, apdu, resp);
	case INS_SET_SESSION_KEY:
		/* No secure messaging in the JPKI AP, even with both PINs verified (§1.4). */
		return vcard_sw(resp, 0, SW_SECURITY_NOT_SATISFIED);
	case INS_LAST_COMMAND:
		/* Smartphone-token command; a physical card answers 6700 (§5.5). */
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	case INS_SELECT:
	case INS_READ_BINARY:
	case INS_VERIFY:
	case INS_CHANGE_REFERENCE_DATA:
	case INS_GET_CHALLENGE:
		return vcard_sw(resp, 0, SW_CLA_NOT_SUPPORTED);
	}
	return vcard_sw(resp, 0, SW_INS_NOT_SUPPORTED);
}

/* Secure messaging class: not available in the JPKI AP (§1.4). */
static size_t dispatch_sm(const struct vcard_apdu *apdu, uint8_t *resp)
{
	switch (apdu->ins) {
	case INS_SELECT:
		return vcard_sw(resp, 0, SW_SM_NOT_SUPPORTED);
	case INS_READ_BINARY:
	case INS_VERIFY:
		return vcard_sw(resp, 0, SW_SM_CLASS_REFUSED);
	}
	return vcard_sw(resp, 0, SW_CLA_NOT_SUPPORTED);
}

size_t vcard_process(struct vcard *card, const uint8_t *cmd, size_t cmd_len, uint8_t *resp)
{
	struct vcard_apdu apdu;
	enum cla_kind kind;
	uint16_t sw;

	card->rsa_ops = 0;
	if (!card->powered)
		return vcard_sw(resp, 0, SW_NO_DIAGNOSIS);
	if (card->first_command_pending) {
		card->first_command_pending = false;
		return vcard_sw(resp, 0, SW_NO_DIAGNOSIS);
	}
	if (cmd_len < 4)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	kind = classify_cla(cmd[0], &sw);
	if (kind == CLA_BAD)
		return vcard_sw(resp, 0, sw);
	sw = vcard_apdu_parse(cmd, cmd_len, card->cfg.quirks.extended_apdu, &apdu);
	if (sw != 0)
		return vcard_sw(resp, 0, sw);
	if (kind == CLA_SM)
		return dispatch_sm(&apdu, resp);
	if (kind == CLA_PROPRIETARY)
		return dispatch_proprietary(card, &apdu, resp);
	return dispatch_iso(card, &apdu, resp);
}
