/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "pkcs11/error_map.h"
#include "pkcs11/login.h"
#include "pkcs11/module.h"
#include "pkcs11/slot.h"
#include "src/log.h"
#include "src/pin_policy.h"

/* The format check; nothing reaches the card when it fails. */
static CK_RV normalise(enum token_kind kind, const CK_UTF8CHAR *pin, CK_ULONG len, char *value,
		       size_t *value_len)
{
	enum jpki_rc rc = jpki_pin_normalise(token_pin(kind), pin, len, value, value_len);

	return rc == JPKI_OK ? CKR_OK : error_map(rc, "PIN format");
}

/* Everything between a well-formed PIN and its VERIFY. */
static CK_RV before_verify_inlock(struct module *m, struct reader *r, enum token_kind kind,
				  const char *value, size_t value_len)
{
	struct card *c = &r->card;
	struct token *t = &c->tokens[kind];
	struct jpki_pin_status st;
	enum jpki_rc rc;

	rc = jpki_card_pin_status(c->jc, token_pin(kind), &st);
	if (rc != JPKI_OK)
		return card_result_inlock(m, r, rc, "PIN status");
	token_pin_status(t, kind, &st);
	if (t->locked) {
		jpki_log(JPKI_LOG_ERROR, "PIN locked on the card: no VERIFY sent");
		return CKR_PIN_LOCKED;
	}
	if (jpki_pin_guard_blocks(&c->guard, token_pin(kind), value, value_len, st.tries_left)) {
		jpki_log(JPKI_LOG_ERROR, "the card has just rejected this PIN: no VERIFY sent");
		return CKR_PIN_INCORRECT;
	}
	if (m->settings.final_try == JPKI_FINAL_TRY_REFUSE && t->tries_left == 1) {
		/*
		 * PIN_LOCKED rather than PIN_INCORRECT: nothing was checked, and a consumer should
		 * stop (not prompt again) because no value will be tried through this module now.
		 * The token flags still tell the truth: CKF_USER_PIN_FINAL_TRY, not LOCKED.
		 */
		jpki_log(JPKI_LOG_ERROR, "one try left and final_try = refuse: no VERIFY sent");
		return CKR_PIN_LOCKED;
	}
	return CKR_OK;
}

CK_RV login_verify_result_inlock(struct module *m, struct reader *r, enum token_kind kind,
				 enum jpki_rc rc, const struct jpki_pin_status *st,
				 const char *value, size_t value_len)
{
	struct card *c = &r->card;
	struct token *t = &c->tokens[kind];
	struct jpki_pin_status again;

	switch (rc) {
	case JPKI_OK:
		jpki_pin_guard_clear(&c->guard, token_pin(kind));
		t->locked = false;
		t->tries_left = token_max_tries(kind);
		return CKR_OK;
	case JPKI_ERR_PIN_INCORRECT:
		jpki_pin_guard_rejected(&c->guard, token_pin(kind), value, value_len,
					st->tries_left);
		token_pin_status(t, kind, st);
		if (t->locked) /* that was the last try */
			return error_map(JPKI_ERR_PIN_LOCKED, "VERIFY");
		return error_map(rc, "VERIFY");
	case JPKI_ERR_PIN_LOCKED:
		t->locked = true;
		t->tries_left = 0;
		return error_map(rc, "VERIFY");
	default:
		break;
	}
	/* Outcome unknown (transport): never retry the VERIFY; re-read the counter instead. */
	if (c->jc != NULL && rc != JPKI_ERR_CARD_REMOVED && rc != JPKI_ERR_CARD_RESET &&
	    jpki_card_pin_status(c->jc, token_pin(kind), &again) == JPKI_OK)
		token_pin_status(t, kind, &again);
	return card_result_inlock(m, r, rc, "VERIFY");
}

/*
 * One PC/SC transaction around the counter query and the VERIFY: nothing interleaves, and the
 * PIN EF stays selected (SELECT, query, VERIFY: 3 APDUs).
 */
static CK_RV begin_inlock(struct module *m, struct reader *r, struct jpki_card **jc)
{
	enum jpki_rc rc;

	*jc = r->card.jc;
	rc = jpki_card_begin(*jc);
	if (rc != JPKI_OK) {
		*jc = NULL;
		return card_result_inlock(m, r, rc, "begin transaction");
	}
	return CKR_OK;
}

/* Ends it, unless the card was dropped meanwhile (closing it ended the transaction). */
static void end_inlock(struct reader *r, struct jpki_card *jc)
{
	if (jc != NULL && r->card.jc == jc)
		jpki_card_end(jc);
}

CK_RV login_user_inlock(struct module *m, struct reader *r, enum token_kind kind,
			const CK_UTF8CHAR *pin, CK_ULONG len)
{
	struct token *t = &r->card.tokens[kind];
	struct jpki_card *jc = NULL;
	char value[JPKI_PIN_MAX_LEN];
	size_t value_len = 0;
	struct jpki_pin_status st = {.tries_left = -1};
	enum jpki_rc rc;
	CK_RV rv;

	if (t->logged_in)
		return CKR_USER_ALREADY_LOGGED_IN;
	rv = normalise(kind, pin, len, value, &value_len);
	if (rv == CKR_OK)
		rv = begin_inlock(m, r, &jc);
	if (rv == CKR_OK)
		rv = before_verify_inlock(m, r, kind, value, value_len);
	if (rv == CKR_OK) {
		rc = jpki_card_verify(r->card.jc, token_pin(kind), value, value_len, &st);
		rv = login_verify_result_inlock(m, r, kind, rc, &st, value, value_len);
		if (rv == CKR_OK)
			t->logged_in = true;
	}
	end_inlock(r, jc);
	jpki_wipe(value, sizeof(value));
	return rv;
}

CK_RV login_context_inlock(struct module *m, struct reader *r, enum token_kind kind,
			   const CK_UTF8CHAR *pin, CK_ULONG len, char *value, size_t *value_len)
{
	CK_RV rv = normalise(kind, pin, len, value, value_len);

	if (rv == CKR_OK)
		rv = before_verify_inlock(m, r, kind, value, *value_len);
	if (rv != CKR_OK)
		jpki_wipe(value, JPKI_PIN_MAX_LEN);
	return rv;
}

CK_RV login_logout_inlock(struct module *m, struct reader *r)
{
	struct card *c = &r->card;
	enum jpki_rc rc;
	int k;

	/* One application holds both PINs: re-selecting it logs out both tokens. */
	for (k = 0; k < TOKEN_KINDS; k++)
		c->tokens[k].logged_in = false;
	rc = jpki_card_logout(c->jc);
	return rc == JPKI_OK ? CKR_OK : card_result_inlock(m, r, rc, "logout");
}

CK_RV login_set_pin_inlock(struct module *m, struct reader *r, enum token_kind kind,
			   const CK_UTF8CHAR *old_pin, CK_ULONG old_len, const CK_UTF8CHAR *new_pin,
			   CK_ULONG new_len)
{
	struct card *c = &r->card;
	char old_value[JPKI_PIN_MAX_LEN], new_value[JPKI_PIN_MAX_LEN];
	size_t old_value_len = 0, new_value_len = 0;
	struct jpki_pin_status st = {.tries_left = -1};
	struct jpki_card *jc = NULL;
	enum jpki_rc rc;
	CK_RV rv;

	rv = normalise(kind, old_pin, old_len, old_value, &old_value_len);
	if (rv == CKR_OK)
		rv = normalise(kind, new_pin, new_len, new_value, &new_value_len);
	if (rv == CKR_OK) {
		rc = jpki_pin_check_new(token_pin(kind), new_value, new_value_len);
		if (rc != JPKI_OK)
			rv = error_map(rc, "new PIN");
	}
	if (rv == CKR_OK)
		rv = begin_inlock(m, r, &jc);
	if (rv == CKR_OK)
		rv = before_verify_inlock(m, r, kind, old_value, old_value_len);
	if (rv == CKR_OK) {
		rc = jpki_card_change_pin(c->jc, token_pin(kind), old_value, old_value_len,
					  new_value, new_value_len, &st);
		rv = login_verify_result_inlock(m, r, kind, rc, &st, old_value, old_value_len);
		/*
		 * The VERIFY inside left the PIN verified on the card. Unless one of the tokens is
		 * logged in (and a re-SELECT would end that), put the card back to "no PIN".
		 */
		if (c->jc != NULL && !c->tokens[TOKEN_AUTH].logged_in &&
		    !c->tokens[TOKEN_SIGN].logged_in) {
			rc = jpki_card_logout(c->jc);
			if (rc != JPKI_OK)
				card_result_inlock(m, r, rc, "logout");
		}
	}
	end_inlock(r, jc);
	jpki_wipe(old_value, sizeof(old_value));
	jpki_wipe(new_value, sizeof(new_value));
	return rv;
}
