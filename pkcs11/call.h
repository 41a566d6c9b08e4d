/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The entry-point prologue and epilogue, written once (style.md §9.2 rules 2-5):
 *   1. initialised (in this process)?  -> CKR_CRYPTOKI_NOT_INITIALIZED
 *   2. argument pointers               -> CKR_ARGUMENTS_BAD
 *   3. locks
 *   4. slot / session lookup           -> CKR_SLOT_ID_INVALID / CKR_SESSION_HANDLE_INVALID
 *   5. authorisation (flags below)     -> CKR_TOKEN_NOT_PRESENT / CKR_USER_NOT_LOGGED_IN / ...
 * Every entry point has one exit: `out: return call_leave(&c, rv);`, which releases whatever
 * the prologue took and logs the result by name.
 */
#ifndef JPKI_PKCS11_CALL_H
#define JPKI_PKCS11_CALL_H

#include <stdbool.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/module.h"
#include "pkcs11/session.h"
#include "pkcs11/slot.h"

/* The authorisation model of an entry point. */
#define CALL_REFRESH 0x1u /* ask the service for reader/card changes first */
#define CALL_TOKEN   0x2u /* the slot must hold this module's token */
#define CALL_USER    0x4u /* the token must be logged in */
#define CALL_RW	     0x8u /* the session must be read/write */

struct call {
	const char *name;
	bool entered;
	struct module *m;
	bool global;	  /* G held */
	struct reader *r; /* R held when set */
	struct session *s;
	CK_SLOT_ID slot;
	enum token_kind kind;
};

/* Steps 1-2: module-level functions that lock nothing (C_GetInfo, C_WaitForSlotEvent). */
CK_RV call_enter(struct call *c, const char *name, bool args_ok);
/* Steps 1-3 with G held. */
CK_RV call_enter_global(struct call *c, const char *name, bool args_ok);
/* Steps 1-5 for a slot: on CKR_OK c->r (locked), c->kind and c->slot are set. */
CK_RV call_enter_slot(struct call *c, const char *name, bool args_ok, CK_SLOT_ID slot,
		      unsigned flags);
/* Steps 1-5 for a session: on CKR_OK c->s, c->r (locked), c->kind and c->slot are set. */
CK_RV call_enter_session(struct call *c, const char *name, bool args_ok, CK_SESSION_HANDLE h,
			 unsigned flags);

CK_RV call_leave(struct call *c, CK_RV rv);

#endif
