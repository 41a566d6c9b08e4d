/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PIN semantics behind C_Login, C_Logout and C_SetPIN. In order, before any VERIFY:
 * the PIN's format is checked locally (a malformed PIN never costs a try); the retry counter
 * is read without consuming a try (a locked PIN is refused without VERIFY); a value the card
 * has just rejected is refused again while the counter is unchanged; with final_try = refuse,
 * the last try is never spent. A VERIFY is never retried. PINs live in bounded stack buffers,
 * wiped on every path. All functions run with the reader's lock R held.
 */
#ifndef JPKI_PKCS11_LOGIN_H
#define JPKI_PKCS11_LOGIN_H

#include <stddef.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/token.h"

struct module;
struct reader;

/* C_Login(CKU_USER). */
CK_RV login_user_inlock(struct module *m, struct reader *r, enum token_kind kind,
			const CK_UTF8CHAR *pin, CK_ULONG len);

/*
 * C_Login(CKU_CONTEXT_SPECIFIC): all checks short of VERIFY; on CKR_OK value holds the PIN in
 * card form (JPKI_PIN_MAX_LEN bytes) for the VERIFY that goes with the next signature.
 */
CK_RV login_context_inlock(struct module *m, struct reader *r, enum token_kind kind,
			   const CK_UTF8CHAR *pin, CK_ULONG len, char *value, size_t *value_len);

/*
 * Books the card's answer to a VERIFY of value (also from verify-and-sign): counters, flags
 * and the rejected-PIN memory. Returns the CKR_ code for it.
 */
CK_RV login_verify_result_inlock(struct module *m, struct reader *r, enum token_kind kind,
				 enum jpki_rc rc, const struct jpki_pin_status *st,
				 const char *value, size_t value_len);

/*
 * C_Logout of a logged-in token: re-selects the application, which logs out both tokens of
 * the card.
 */
CK_RV login_logout_inlock(struct module *m, struct reader *r);

/* C_SetPIN: the new value must be a valid PIN of its kind (the password mixes letters/digits). */
CK_RV login_set_pin_inlock(struct module *m, struct reader *r, enum token_kind kind,
			   const CK_UTF8CHAR *old_pin, CK_ULONG old_len, const CK_UTF8CHAR *new_pin,
			   CK_ULONG new_len);

#endif
