/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* COMPUTE DIGITAL SIGNATURE (jpki-card.md §5). */
#include "config.h"

#include <string.h>

#include "src/jpki_internal.h"
#include "src/log.h"
#include "src/sw.h"

#define PSS_HASH_LEN 32

static int key_fid(enum jpki_key key)
{
	switch (key) {
	case JPKI_KEY_AUTH:
		return JPKI_FID_AUTH_KEY;
	case JPKI_KEY_SIGN:
		return JPKI_FID_SIGN_KEY;
	}
	return -1;
}

enum jpki_rc jpki_sign_check_args(enum jpki_scheme scheme, const uint8_t *in, size_t in_len,
				  const uint8_t *sig)
{
	if (in == NULL || sig == NULL)
		return JPKI_ERR_ARGS;
	switch (scheme) {
	case JPKI_SCHEME_PKCS1:
		return in_len >= 1 && in_len <= JPKI_PKCS1_MAX_INPUT ? JPKI_OK
								     : JPKI_ERR_DATA_LENGTH;
	case JPKI_SCHEME_PSS_SHA256:
		return in_len == PSS_HASH_LEN ? JPKI_OK : JPKI_ERR_DATA_LENGTH;
	}
	return JPKI_ERR_ARGS;
}

enum jpki_rc jpki_sign_inlock(struct jpki_card *c, enum jpki_key key, enum jpki_scheme scheme,
			      const uint8_t *in, size_t in_len, uint8_t *sig)
{
	/* 80 2A P1 80 Lc DATA 00: P1 the scheme, P2 80 the key of the current EF, Le 256. */
	const struct jpki_apdu a = {0x80, 0x2A,	  (uint8_t)scheme,    0x80,
				    in,	  in_len, JPKI_SIGNATURE_LEN, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_resp r;
	enum jpki_rc rc;

	rc = jpki_select_ef(c, key_fid(key));
	if (rc == JPKI_OK)
		rc = jpki_xfer(c, &a, resp, sizeof(resp), &r);
	if (rc == JPKI_OK)
		rc = jpki_sw_sign(r.sw);
	if (rc == JPKI_OK && r.len != JPKI_SIGNATURE_LEN)
		rc = JPKI_ERR_BAD_RESPONSE;
	if (rc == JPKI_OK)
		memcpy(sig, r.data, JPKI_SIGNATURE_LEN);
	jpki_log(JPKI_LOG_CARD, "sign key %d scheme %02X, %zu bytes: %s", (int)key,
		 (unsigned)scheme, in_len, jpki_rc_name(rc));
	return rc;
}

enum jpki_rc jpki_card_sign(struct jpki_card *card, enum jpki_key key, enum jpki_scheme scheme,
			    const uint8_t *in, size_t in_len, uint8_t *sig)
{
	enum jpki_rc rc;

	if (card == NULL || key_fid(key) < 0)
		return JPKI_ERR_ARGS;
	rc = jpki_sign_check_args(scheme, in, in_len, sig);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_txn_begin(card);
	if (rc != JPKI_OK)
		return rc;
	return jpki_txn_end(card, jpki_sign_inlock(card, key, scheme, in, in_len, sig));
}

enum jpki_rc jpki_card_verify_and_sign(struct jpki_card *card, enum jpki_pin pin, const char *value,
				       size_t len, struct jpki_pin_status *st, enum jpki_key key,
				       enum jpki_scheme scheme, const uint8_t *in, size_t in_len,
				       uint8_t *sig)
{
	enum jpki_rc rc;

	if (card == NULL || st == NULL || key_fid(key) < 0 ||
	    (pin != JPKI_PIN_AUTH && pin != JPKI_PIN_SIGN))
		return JPKI_ERR_ARGS;
	st->tries_left = -1;
	st->locked = false;
	st->verified = false;
	rc = jpki_sign_check_args(scheme, in, in_len, sig);
	if (rc != JPKI_OK)
		return rc;
	if (value == NULL || len == 0 || len > JPKI_PIN_MAX_LEN)
		return JPKI_ERR_PIN_LENGTH;
	rc = jpki_txn_begin(card);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_verify_inlock(card, pin, value, len, st);
	if (rc == JPKI_OK)
		rc = jpki_sign_inlock(card, key, scheme, in, in_len, sig);
	return jpki_txn_end(card, rc);
}
