/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Status-word interpretation of the JPKI application. */
#include "config.h"

#include "src/sw.h"

/* 63Cx: a retry counter in the low nibble. */
static bool is_counter(uint16_t sw)
{
	return (sw & 0xfff0) == 0x63c0;
}

static bool is_blocked(uint16_t sw)
{
	return sw == 0x63c0 || sw == JPKI_SW_KEY_BLOCKED || sw == JPKI_SW_AUTH_BLOCKED;
}

enum jpki_rc jpki_sw_select_aid(uint16_t sw)
{
	return sw == JPKI_SW_OK ? JPKI_OK : JPKI_ERR_NOT_JPKI;
}

enum jpki_rc jpki_sw_select_ef(uint16_t sw)
{
	switch (sw) {
	case JPKI_SW_OK:
		return JPKI_OK;
	case JPKI_SW_NOT_FOUND:
		return JPKI_ERR_NOT_FOUND;
	default:
		return JPKI_ERR_BAD_RESPONSE;
	}
}

enum jpki_rc jpki_sw_read(uint16_t sw)
{
	switch (sw) {
	case JPKI_SW_OK:
	case JPKI_SW_EOF:
		return JPKI_OK;
	case JPKI_SW_SECURITY:
		return JPKI_ERR_SECURITY;
	case JPKI_SW_WRONG_OFFSET:
		return JPKI_ERR_NOT_FOUND;
	default:
		return JPKI_ERR_BAD_RESPONSE;
	}
}

bool jpki_sw_extended_refused(uint16_t sw)
{
	/* Wrong length, CLA/INS not supported, wrong P1-P2, no precise diagnosis. */
	return sw == JPKI_SW_WRONG_LENGTH || (sw & 0xff00) == 0x6c00 || sw == 0x6d00 ||
	       sw == 0x6e00 || sw == JPKI_SW_BAD_P1P2 || sw == 0x6985 || sw == JPKI_SW_NO_DIAGNOSIS;
}

enum jpki_rc jpki_sw_pin_status(uint16_t sw, struct jpki_pin_status *st)
{
	st->tries_left = -1;
	st->locked = false;
	st->verified = false;
	if (sw == JPKI_SW_OK) {
		st->verified = true;
		return JPKI_OK;
	}
	if (is_blocked(sw)) {
		st->tries_left = 0;
		st->locked = true;
		return JPKI_OK;
	}
	if (is_counter(sw)) {
		st->tries_left = sw & 0x0f;
		return JPKI_OK;
	}
	return JPKI_ERR_BAD_RESPONSE;
}

enum jpki_rc jpki_sw_verify(uint16_t sw, int max_tries, struct jpki_pin_status *st)
{
	st->tries_left = -1;
	st->locked = false;
	st->verified = false;
	if (sw == JPKI_SW_OK) {
		st->tries_left = max_tries;
		st->verified = true;
		return JPKI_OK;
	}
	if (is_blocked(sw)) {
		st->tries_left = 0;
		st->locked = true;
		return JPKI_ERR_PIN_LOCKED;
	}
	if (is_counter(sw)) {
		st->tries_left = sw & 0x0f;
		return JPKI_ERR_PIN_INCORRECT;
	}
	return JPKI_ERR_BAD_RESPONSE;
}

enum jpki_rc jpki_sw_change(uint16_t sw)
{
	switch (sw) {
	case JPKI_SW_OK:
		return JPKI_OK;
	case JPKI_SW_SECURITY:
		return JPKI_ERR_SECURITY;
	case JPKI_SW_KEY_BLOCKED:
	case JPKI_SW_AUTH_BLOCKED:
		return JPKI_ERR_PIN_LOCKED;
	default:
		return JPKI_ERR_BAD_RESPONSE;
	}
}

enum jpki_rc jpki_sw_sign(uint16_t sw)
{
	switch (sw) {
	case JPKI_SW_OK:
		return JPKI_OK;
	case JPKI_SW_SECURITY:
		return JPKI_ERR_SECURITY;
	case JPKI_SW_BAD_P1P2:
		return JPKI_ERR_NOT_SUPPORTED;
	default:
		return JPKI_ERR_BAD_RESPONSE;
	}
}
