/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A signature operation: the mechanism's input handling (op_input) and the card call, with
 * the context-specific login of an always-authenticate key.
 */
#ifndef JPKI_PKCS11_SIGN_H
#define JPKI_PKCS11_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/op_input.h"
#include "pkcs11/token.h"

struct sign_op {
	bool active;
	enum token_kind kind;
	struct op_input in;
	bool needs_context; /* CKA_ALWAYS_AUTHENTICATE: C_Login(CKU_CONTEXT_SPECIFIC) first */
	bool has_context;
	/* The context-specific PIN in card form, until the signature that follows it. */
	char pin[JPKI_PIN_MAX_LEN];
	size_t pin_len;
};

CK_RV sign_init(struct sign_op *op, const struct mechanism *m, enum token_kind kind,
		bool always_authenticate);

/* Ends the operation and wipes the PIN it may hold. Safe on an inactive op. */
void sign_end(struct sign_op *op);

/*
 * Finishes the input and has the card sign it into sig (JPKI_SIGNATURE_LEN bytes), VERIFY and
 * signature in one transaction when a context-specific login is pending. Handles the login
 * consequences (a card refusing for lack of a PIN drops the token's login).
 */
CK_RV sign_card_inlock(struct module *m, struct reader *r, struct sign_op *op, uint8_t *sig);

#endif
