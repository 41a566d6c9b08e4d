/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sessions: which token they belong to, their R/W flag and their operations. A session lives
 * in the module's handle table (G) and its operations are used under its reader's lock (R); it
 * is freed only with both held, so a call holding R can use it safely. A session belongs to one
 * generation of its reader: once the card is removed or reset it is dead, and the next call
 * naming it gets CKR_SESSION_HANDLE_INVALID.
 */
#ifndef JPKI_PKCS11_SESSION_H
#define JPKI_PKCS11_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/sign.h"
#include "pkcs11/token.h"
#include "pkcs11/verify.h"

struct module;
struct reader;

struct find_op {
	bool active;
	CK_OBJECT_HANDLE found[OBJECT_COUNT];
	size_t n, pos;
};

struct session {
	CK_SESSION_HANDLE handle;
	struct reader *reader;
	enum token_kind kind;
	CK_SLOT_ID slot;
	CK_FLAGS flags;
	unsigned long gen;
	struct find_op find;
	struct sign_op sign;
	struct verify_op verify;
};

/* A new session on the slot's token (R held; takes G). */
CK_RV session_open_inlock(struct module *m, struct reader *r, enum token_kind kind, CK_FLAGS flags,
			  CK_SESSION_HANDLE *handle);

/*
 * Closes s (R held; takes G). When it was the token's last live session, the token's login
 * ends (v2.40 §5.6.4) and, if the other token of the card is not logged in either, the card is
 * logged out so that no PIN stays verified on it.
 */
void session_close_inlock(struct module *m, struct session *s);

/* Closes every session of one token (R held; takes G). */
void session_close_all_inlock(struct module *m, struct reader *r, enum token_kind kind);

/* Frees a session already removed from the table (its operations end, PINs are wiped). */
void session_free(struct session *s);

/* Live sessions of a token (takes G). */
void session_count(struct module *m, struct reader *r, enum token_kind kind, CK_ULONG *all,
		   CK_ULONG *rw);

/* CKS_ state of s from its flags and the token's login (R held). */
CK_STATE session_state(const struct session *s);

#endif
