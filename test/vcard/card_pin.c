/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VERIFY (retry query and PIN check) and CHANGE REFERENCE DATA on the two JPKI credentials
 * (jpki-card.md §4). Every counter or value change lands in struct vcard_pins and sets
 * pins_dirty before the response exists, so the caller can persist it first (like EEPROM).
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "test/vcard/card_internal.h"

#define PIN_DATA_MAX 16 /* JICSAP 6.4.9 */

struct pin_ref {
	enum vcard_cred cred;
	char *value; /* NUL-terminated, in struct vcard_pins */
	int *tries;
	int max_tries;
};

/*
 * P2 80 = the key reference of the current EF, 80|SFI = named directly (98, 9B). Returns 0 or
 * the status word. Not a PIN EF, or no current EF, answers 6986 (our choice, §15).
 */
static uint16_t resolve_pin(struct vcard *card, uint8_t p2, struct pin_ref *ref)
{
	const struct vcard_ef *ef;

	if (p2 == 0x80) {
		ef = card->current_ef;
		if (ef == NULL || ef->kind != VCARD_EF_PIN)
			return SW_NO_CURRENT_EF;
	} else if ((p2 == 0x98 || p2 == 0x9B) && card->cfg.quirks.verify_by_sfi) {
		ef = vcard_fs_find(card, p2 & 0x1F);
		if (ef == NULL)
			return SW_NOT_FOUND;
	} else {
		return SW_WRONG_P1P2;
	}
	ref->cred = ef->cred;
	if (ef->cred == VCARD_CRED_AUTH) {
		ref->value = card->pins->auth_pin;
		ref->tries = &card->pins->auth_tries;
		ref->max_tries = VCARD_AUTH_MAX_TRIES;
	} else {
		ref->value = card->pins->sign_pin;
		ref->tries = &card->pins->sign_tries;
		ref->max_tries = VCARD_SIGN_MAX_TRIES;
	}
	return 0;
}

static void set_tries(struct vcard *card, const struct pin_ref *ref, int tries)
{
	if (*ref->tries != tries) {
		*ref->tries = tries;
		card->pins_dirty = true;
	}
}

static uint16_t retry_query(struct vcard *card, const struct pin_ref *ref)
{
	if (*ref->tries <= 0)
		return card->cfg.quirks.blocked_query_6984 ? SW_PIN_BLOCKED : SW_TRIES_LEFT(0);
	if (card->cfg.quirks.verified_query_9000 && *vcard_verified_flag(card, ref->cred))
		return SW_OK;
	return SW_TRIES_LEFT(*ref->tries);
}

static uint16_t check_pin(struct vcard *card, const struct pin_ref *ref, const uint8_t *pin,
			  size_t len)
{
	bool *verified = vcard_verified_flag(card, ref->cred);
	size_t stored_len = strnlen(ref->value, VCARD_PIN_MAX);

	if (*ref->tries <= 0)
		return card->cfg.quirks.blocked_verify_6983   ? SW_AUTH_METHOD_BLOCKED
		       : card->cfg.quirks.blocked_verify_6984 ? SW_PIN_BLOCKED
							      : SW_TRIES_LEFT(0);
	if (len == stored_len && CRYPTO_memcmp(pin, ref->value, len) == 0) {
		set_tries(card, ref, ref->max_tries);
		*verified = true;
		return SW_OK;
	}
	set_tries(card, ref, *ref->tries - 1);
	*verified = false;
	return SW_TRIES_LEFT(*ref->tries);
}

size_t vcard_cmd_verify(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	struct pin_ref ref;
	uint16_t sw;

	if (apdu->p1 != 0x00)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	sw = resolve_pin(card, apdu->p2, &ref);
	if (sw != 0)
		return vcard_sw(resp, 0, sw);
	/* Case 1 is the retry query; a Le (case 2 or 4) is refused on the real card (§1.3). */
	if (apdu->has_le || apdu->lc > PIN_DATA_MAX)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	if (apdu->lc == 0)
		return vcard_sw(resp, 0, retry_query(card, &ref));
	return vcard_sw(resp, 0, check_pin(card, &ref, apdu->data, apdu->lc));
}

bool vcard_pin_format_ok(enum vcard_cred cred, const uint8_t *pin, size_t len)
{
	if (cred == VCARD_CRED_AUTH) {
		if (len != 4)
			return false;
		for (size_t i = 0; i < len; i++)
			if (pin[i] < '0' || pin[i] > '9')
				return false;
		return true;
	}
	/* Sign password: 6-16 of A-Z 0-9; the letters-and-digits mixing rule is not enforced. */
	if (len < 6 || len > 16)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((pin[i] >= 'A' && pin[i] <= 'Z') || (pin[i] >= '0' && pin[i] <= '9')))
			return false;
	return true;
}

size_t vcard_cmd_change_reference_data(struct vcard *card, const struct vcard_apdu *apdu,
				       uint8_t *resp)
{
	struct pin_ref ref;
	uint16_t sw;

	if (apdu->p1 != 0x01)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	sw = resolve_pin(card, apdu->p2, &ref);
	if (sw != 0)
		return vcard_sw(resp, 0, sw);
	if (apdu->has_le || apdu->lc == 0 || apdu->lc > PIN_DATA_MAX)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	if (*ref.tries <= 0)
		return vcard_sw(resp, 0, SW_PIN_BLOCKED);
	if (!*vcard_verified_flag(card, ref.cred))
		return vcard_sw(resp, 0, SW_SECURITY_NOT_SATISFIED);
	if (!vcard_pin_format_ok(ref.cred, apdu->data, apdu->lc))
		return vcard_sw(resp, 0, SW_WRONG_DATA);
	memcpy(ref.value, apdu->data, apdu->lc);
	ref.value[apdu->lc] = '\0';
	card->pins_dirty = true;
	return vcard_sw(resp, 0, SW_OK);
}
