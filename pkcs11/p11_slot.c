/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Slot and token management entry points (v2.40 §5.5). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pkcs11/call.h"
#include "pkcs11/login.h"
#include "pkcs11/mechanism.h"
#include "pkcs11/text.h"
#include "pkcs11/twocall.h"

CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount)
{
	struct reader *readers[MODULE_MAX_READERS];
	CK_SLOT_ID ids[MODULE_MAX_READERS * TOKEN_KINDS];
	bool present[TOKEN_KINDS];
	size_t i, n_readers, n = 0;
	struct call c;
	int k;
	CK_RV rv = call_enter(&c, __func__, pulCount != NULL);

	if (rv != CKR_OK)
		goto out;
	/* Only the length query rescans, so that the list stays put between the two calls. */
	n_readers = slot_list(c.m, pSlotList == NULL, readers);
	for (i = 0; i < n_readers; i++) {
		if (tokenPresent)
			token_presence(c.m, readers[i], pSlotList == NULL, present);
		for (k = 0; k < TOKEN_KINDS; k++)
			if (!tokenPresent || present[k])
				ids[n++] = slot_id(readers[i], (enum token_kind)k);
	}
	rv = twocall_copy(pSlotList, pulCount, ids, (CK_ULONG)n, sizeof(ids[0]));
out:
	return call_leave(&c, rv);
}

/* Public: no token needed. */
CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
	static const char *const kinds[TOKEN_KINDS] = {"auth", "sign"};
	char desc[JPKI_READER_NAME_MAX + 16];
	struct call c;
	CK_RV rv = call_enter_slot(&c, __func__, pInfo != NULL, slotID, CALL_REFRESH);

	if (rv != CKR_OK)
		goto out;
	memset(pInfo, 0, sizeof(*pInfo));
	snprintf(desc, sizeof(desc), "%s (%s)", c.r->name, kinds[c.kind]);
	text_pad(pInfo->slotDescription, sizeof(pInfo->slotDescription), desc);
	text_pad(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "PC/SC");
	pInfo->flags = CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
	if (token_present_inlock(c.m, c.r, c.kind))
		pInfo->flags |= CKF_TOKEN_PRESENT;
out:
	return call_leave(&c, rv);
}

/* Public, token present. Cached state only: no APDU per call after the first. */
CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
	struct call c;
	CK_RV rv = call_enter_slot(&c, __func__, pInfo != NULL, slotID, CALL_REFRESH | CALL_TOKEN);

	if (rv != CKR_OK)
		goto out;
	rv = token_info_inlock(c.m, c.r, c.kind, pInfo);
out:
	return call_leave(&c, rv);
}

/* Public, token present. */
CK_RV C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList,
			 CK_ULONG_PTR pulCount)
{
	CK_MECHANISM_TYPE types[MECHANISM_MAX];
	struct call c;
	CK_RV rv = call_enter_slot(&c, __func__, pulCount != NULL, slotID, CALL_TOKEN);
	size_t n;

	if (rv != CKR_OK)
		goto out;
	n = mechanism_types(c.r->card.pss, types);
	rv = twocall_copy(pMechanismList, pulCount, types, (CK_ULONG)n, sizeof(types[0]));
out:
	return call_leave(&c, rv);
}

/* Public, token present. */
CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo)
{
	const struct mechanism *mech;
	struct call c;
	CK_RV rv = call_enter_slot(&c, __func__, pInfo != NULL, slotID, CALL_TOKEN);

	if (rv != CKR_OK)
		goto out;
	mech = mechanism_find(type, c.r->card.pss);
	if (mech == NULL) {
		rv = CKR_MECHANISM_INVALID;
		goto out;
	}
	mechanism_info(mech, pInfo);
out:
	return call_leave(&c, rv);
}

/* R/W session (public or user): changes the token's PIN on the card. */
CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
	       CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen)
{
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pOldPin != NULL && pNewPin != NULL, hSession,
				      CALL_REFRESH | CALL_RW);

	if (rv != CKR_OK)
		goto out;
	rv = login_set_pin_inlock(c.m, c.r, c.kind, pOldPin, ulOldLen, pNewPin, ulNewLen);
out:
	return call_leave(&c, rv);
}

/*
 * Module-level; blocks without locks unless CKF_DONT_BLOCK. C_Finalize from another thread
 * makes it return CKR_CRYPTOKI_NOT_INITIALIZED.
 */
CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved)
{
	struct call c;
	CK_RV rv = call_enter(&c, __func__, pSlot != NULL && pReserved == NULL);

	if (rv != CKR_OK)
		goto out;
	rv = slot_wait_event(c.m, (flags & CKF_DONT_BLOCK) != 0, pSlot);
out:
	return call_leave(&c, rv);
}
