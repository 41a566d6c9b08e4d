/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PIN retry query, VERIFY and CHANGE REFERENCE DATA (jpki-card.md §4). */
#include "config.h"

#include <string.h>

#include "src/jpki_internal.h"
#include "src/log.h"
#include "src/pin_policy.h"
#include "src/sw.h"

static int pin_fid(enum jpki_pin pin)
{
	switch (pin) {
	case JPKI_PIN_AUTH:
		return JPKI_FID_AUTH_PIN;
	case JPKI_PIN_SIGN:
		return JPKI_FID_SIGN_PIN;
	}
	return -1;
}

static int pin_max_tries(enum jpki_pin pin)
{
	return pin == JPKI_PIN_AUTH ? JPKI_AUTH_MAX_TRIES : JPKI_SIGN_MAX_TRIES;
}

/* A PIN is 1-16 bytes; an empty one would be the retry query. */
static bool pin_value_ok(const char *value, size_t len)
{
	return value != NULL && len > 0 && len <= JPKI_PIN_MAX_LEN;
}

static void clear_status(struct jpki_pin_status *st)
{
	st->tries_left = -1;
	st->locked = false;
	st->verified = false;
}

enum jpki_rc jpki_card_pin_status(struct jpki_card *card, enum jpki_pin pin,
				  struct jpki_pin_status *st)
{
	/* Case 1, exactly 4 bytes: with a trailing 00 the card answers 6700 (§1.3). */
	const struct jpki_apdu a = {0x00, 0x20, 0x00, 0x80, NULL, 0, 0, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_resp r;
	enum jpki_rc rc;

	if (card == NULL || st == NULL || pin_fid(pin) < 0)
		return JPKI_ERR_ARGS;
	clear_status(st);
	rc = jpki_txn_begin(card);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_select_ef(card, pin_fid(pin));
	if (rc == JPKI_OK)
		rc = jpki_xfer(card, &a, resp, sizeof(resp), &r);
	if (rc == JPKI_OK)
		rc = jpki_sw_pin_status(r.sw, st);
	jpki_log(JPKI_LOG_CARD, "pin %d status: %s, tries %d, locked %d, verified %d", (int)pin,
		 jpki_rc_name(rc), st->tries_left, st->locked, st->verified);
	return jpki_txn_end(card, rc);
}

/* Sends INS with the PIN as data to the current EF; the buffers that held it are wiped. */
static enum jpki_rc send_pin(struct jpki_card *c, uint8_t ins, uint8_t p1, const char *value,
			     size_t len, uint16_t *sw)
{
	uint8_t data[JPKI_PIN_MAX_LEN];
	const struct jpki_apdu a = {0x00, ins, p1, 0x80, data, len, 0, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_resp r;
	enum jpki_rc rc;

	memcpy(data, value, len);
	rc = jpki_xfer(c, &a, resp, sizeof(resp), &r);
	jpki_wipe(data, sizeof(data));
	if (rc == JPKI_OK)
		*sw = r.sw;
	return rc;
}

enum jpki_rc jpki_verify_inlock(struct jpki_card *c, enum jpki_pin pin, const char *value,
				size_t len, struct jpki_pin_status *st)
{
	enum jpki_rc rc;
	uint16_t sw = 0;

	clear_status(st);
	rc = jpki_select_ef(c, pin_fid(pin));
	if (rc != JPKI_OK)
		return rc;
	/* A transport error is returned as it is: the outcome is unknown, never retried. */
	rc = send_pin(c, 0x20, 0x00, value, len, &sw);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_sw_verify(sw, pin_max_tries(pin), st);
	jpki_log(JPKI_LOG_CARD, "verify pin %d: %s, tries %d", (int)pin, jpki_rc_name(rc),
		 st->tries_left);
	return rc;
}

enum jpki_rc jpki_card_verify(struct jpki_card *card, enum jpki_pin pin, const char *value,
			      size_t len, struct jpki_pin_status *st)
{
	enum jpki_rc rc;

	if (card == NULL || st == NULL || pin_fid(pin) < 0)
		return JPKI_ERR_ARGS;
	clear_status(st);
	if (!pin_value_ok(value, len))
		return JPKI_ERR_PIN_LENGTH;
	rc = jpki_txn_begin(card);
	if (rc != JPKI_OK)
		return rc;
	return jpki_txn_end(card, jpki_verify_inlock(card, pin, value, len, st));
}

enum jpki_rc jpki_card_change_pin(struct jpki_card *card, enum jpki_pin pin, const char *old_value,
				  size_t old_len, const char *new_value, size_t new_len,
				  struct jpki_pin_status *st)
{
	enum jpki_rc rc;
	uint16_t sw = 0;

	if (card == NULL || st == NULL || pin_fid(pin) < 0)
		return JPKI_ERR_ARGS;
	clear_status(st);
	if (!pin_value_ok(old_value, old_len) || !pin_value_ok(new_value, new_len))
		return JPKI_ERR_PIN_LENGTH;
	rc = jpki_txn_begin(card);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_verify_inlock(card, pin, old_value, old_len, st);
	if (rc == JPKI_OK)
		rc = send_pin(card, 0x24, 0x01, new_value, new_len, &sw);
	if (rc == JPKI_OK)
		rc = jpki_sw_change(sw);
	jpki_log(JPKI_LOG_CARD, "change pin %d: %s", (int)pin, jpki_rc_name(rc));
	return jpki_txn_end(card, rc);
}
