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

/* A scheme the card does not define (§5.2: P1 00-05). */
#define PROBE_UNDEFINED_SCHEME 0xFF

/* COMPUTE DIGITAL SIGNATURE with a dummy hash under P1 = scheme; its status word in sw. */
static enum jpki_rc probe_sw(struct jpki_card *c, uint8_t scheme, uint16_t *sw)
{
	static const uint8_t dummy[PSS_HASH_LEN];
	const struct jpki_apdu a = {
	    0x80, 0x2A, scheme, 0x80, dummy, sizeof(dummy), JPKI_SIGNATURE_LEN, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_resp r;
	enum jpki_rc rc = jpki_xfer(c, &a, resp, sizeof(resp), &r);

	if (rc == JPKI_OK)
		*sw = r.sw;
	return rc;
}

/* The one place that reads the two answers (jpki.h). */
static enum jpki_pss_probe pss_verdict(uint16_t undefined_sw, uint16_t pss_sw)
{
	if (undefined_sw != JPKI_SW_BAD_P1P2)
		return JPKI_PSS_UNKNOWN;
	if (pss_sw == JPKI_SW_SECURITY)
		return JPKI_PSS_PRESENT;
	if (pss_sw == JPKI_SW_BAD_P1P2)
		return JPKI_PSS_ABSENT;
	return JPKI_PSS_UNKNOWN;
}

enum jpki_rc jpki_card_probe_pss(struct jpki_card *card, enum jpki_key key,
				 enum jpki_pss_probe *out)
{
	uint16_t undefined_sw = 0, pss_sw = 0;
	enum jpki_rc rc;

	if (card == NULL || out == NULL || key_fid(key) < 0)
		return JPKI_ERR_ARGS;
	*out = JPKI_PSS_UNKNOWN;
	rc = jpki_txn_begin(card);
	if (rc != JPKI_OK)
		return rc;
	/* Nothing verified from here on: no command below can make a signature. */
	rc = jpki_select_aid(card);
	if (rc == JPKI_OK)
		rc = jpki_select_ef(card, key_fid(key));
	if (rc == JPKI_OK)
		rc = probe_sw(card, PROBE_UNDEFINED_SCHEME, &undefined_sw);
	if (rc == JPKI_OK && undefined_sw == JPKI_SW_BAD_P1P2)
		rc = probe_sw(card, JPKI_SCHEME_PSS_SHA256, &pss_sw);
	if (rc == JPKI_OK)
		*out = pss_verdict(undefined_sw, pss_sw);
	jpki_log(JPKI_LOG_CARD, "PSS probe, key %d: %04X %04X: %s", (int)key,
		 (unsigned)undefined_sw, (unsigned)pss_sw,
		 rc != JPKI_OK		    ? jpki_rc_name(rc)
		 : *out == JPKI_PSS_PRESENT ? "present"
		 : *out == JPKI_PSS_ABSENT  ? "absent"
					    : "unknown");
	return jpki_txn_end(card, rc);
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
