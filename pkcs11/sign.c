/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "pkcs11/login.h"
#include "pkcs11/module.h"
#include "pkcs11/sign.h"
#include "pkcs11/slot.h"
#include "src/log.h"

CK_RV sign_init(struct sign_op *op, const struct mechanism *m, enum token_kind kind,
		bool always_authenticate)
{
	CK_RV rv;

	memset(op, 0, sizeof(*op));
	rv = op_input_init(&op->in, m);
	if (rv != CKR_OK)
		return rv;
	op->kind = kind;
	op->needs_context = always_authenticate;
	op->active = true;
	return CKR_OK;
}

void sign_end(struct sign_op *op)
{
	op_input_free(&op->in);
	jpki_wipe(op->pin, sizeof(op->pin));
	memset(op, 0, sizeof(*op));
}

CK_RV sign_card_inlock(struct module *m, struct reader *r, struct sign_op *op, uint8_t *sig)
{
	struct card *c = &r->card;
	struct token *t = &c->tokens[op->kind];
	const struct mechanism *mech = op->in.mech;
	uint8_t tbs[OP_INPUT_MAX];
	size_t tbs_len = 0;
	struct jpki_pin_status st = {.tries_left = -1};
	enum jpki_rc rc;
	CK_RV rv;

	if (!t->logged_in)
		return CKR_USER_NOT_LOGGED_IN;
	if (op->needs_context && !op->has_context)
		return CKR_USER_NOT_LOGGED_IN;
	rv = op_input_final(&op->in, tbs, &tbs_len);
	if (rv != CKR_OK)
		return rv;
	if (op->has_context) {
		/* The context-specific login: VERIFY and signature in one card transaction. */
		rc =
		    jpki_card_verify_and_sign(c->jc, token_pin(op->kind), op->pin, op->pin_len, &st,
					      token_key(op->kind), mech->scheme, tbs, tbs_len, sig);
		if (rc != JPKI_ERR_SECURITY)
			rv = login_verify_result_inlock(m, r, op->kind, rc, &st, op->pin,
							op->pin_len);
		jpki_wipe(op->pin, sizeof(op->pin));
		op->has_context = false;
	} else {
		rc = jpki_card_sign(c->jc, token_key(op->kind), mech->scheme, tbs, tbs_len, sig);
		if (rc != JPKI_OK && rc != JPKI_ERR_SECURITY)
			rv = card_result_inlock(m, r, rc, "sign");
	}
	if (rc == JPKI_ERR_SECURITY) {
		/* The card forgot the PIN (another process re-selected, or a reset): logged out. */
		t->logged_in = false;
		rv = card_result_inlock(m, r, rc, "sign");
	}
	jpki_wipe(tbs, sizeof(tbs));
	return rv;
}
