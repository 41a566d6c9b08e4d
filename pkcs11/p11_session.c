/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Session management and login entry points (v2.40 §5.6). */
#include "config.h"

#include <string.h>

#include "pkcs11/call.h"
#include "pkcs11/login.h"

/* Public, token present. Notification callbacks are accepted and never called. */
CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_NOTIFY Notify,
		    CK_SESSION_HANDLE_PTR phSession)
{
	struct call c;
	CK_RV rv =
	    call_enter_slot(&c, __func__, phSession != NULL, slotID, CALL_REFRESH | CALL_TOKEN);

	if (rv != CKR_OK)
		goto out;
	if (!(flags & CKF_SERIAL_SESSION)) {
		rv = CKR_SESSION_PARALLEL_NOT_SUPPORTED;
		goto out;
	}
	/* R/W sessions are accepted: the objects are read-only, but C_SetPIN needs one. */
	rv = session_open_inlock(c.m, c.r, c.kind, flags, phSession);
out:
	return call_leave(&c, rv);
}

/* Any session. */
CK_RV C_CloseSession(CK_SESSION_HANDLE hSession)
{
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, true, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	session_close_inlock(c.m, c.s);
	c.s = NULL;
out:
	return call_leave(&c, rv);
}

/* Any slot, token or not. */
CK_RV C_CloseAllSessions(CK_SLOT_ID slotID)
{
	struct call c;
	CK_RV rv = call_enter_slot(&c, __func__, true, slotID, 0);

	if (rv != CKR_OK)
		goto out;
	session_close_all_inlock(c.m, c.r, c.kind);
out:
	return call_leave(&c, rv);
}

/* Any session; notices a removed card. */
CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo)
{
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pInfo != NULL, hSession, CALL_REFRESH);

	if (rv != CKR_OK)
		goto out;
	memset(pInfo, 0, sizeof(*pInfo));
	pInfo->slotID = c.slot;
	pInfo->state = session_state(c.s);
	pInfo->flags = c.s->flags;
	pInfo->ulDeviceError = 0;
out:
	return call_leave(&c, rv);
}

/*
 * Any session; the card is checked for a change first, so a PIN never goes to another card.
 * Login state is per token: every session of the token shares it. */
CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
	      CK_ULONG ulPinLen)
{
	struct sign_op *op;
	struct call c;
	/* No protected authentication path: a NULL PIN is a bad argument. */
	CK_RV rv = call_enter_session(&c, __func__, pPin != NULL, hSession, CALL_REFRESH);

	if (rv != CKR_OK)
		goto out;
	op = &c.s->sign;
	switch (userType) {
	case CKU_USER:
		rv = login_user_inlock(c.m, c.r, c.kind, pPin, ulPinLen);
		break;
	case CKU_CONTEXT_SPECIFIC:
		/* Only for the signature that follows C_SignInit with an always-authenticate key.
		 */
		if (!op->active || !op->needs_context) {
			rv = CKR_OPERATION_NOT_INITIALIZED;
			break;
		}
		if (!c.r->card.tokens[c.kind].logged_in) {
			rv = CKR_USER_NOT_LOGGED_IN;
			break;
		}
		jpki_wipe(op->pin, sizeof(op->pin));
		op->has_context = false;
		rv = login_context_inlock(c.m, c.r, c.kind, pPin, ulPinLen, op->pin, &op->pin_len);
		op->has_context = rv == CKR_OK;
		break;
	default:
		/* CKU_SO included: these tokens have no security officer. */
		rv = CKR_USER_TYPE_INVALID;
		break;
	}
out:
	return call_leave(&c, rv);
}

/* User. Logs out both tokens of the card (one application holds both PINs). */
CK_RV C_Logout(CK_SESSION_HANDLE hSession)
{
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, true, hSession, CALL_REFRESH | CALL_USER);

	if (rv != CKR_OK)
		goto out;
	rv = login_logout_inlock(c.m, c.r);
out:
	return call_leave(&c, rv);
}
