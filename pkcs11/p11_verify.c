/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Verification entry points (v2.40 §5.12), in software with the public key object's key:
 * the same mechanisms as signing. Every call but C_VerifyUpdate ends the operation.
 */
#include "config.h"

#include "pkcs11/call.h"

/* Public for the authentication key, user for the signature key (a private object). */
CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	const struct mechanism *mech;
	const struct attr *spki;
	struct object *key;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pMechanism != NULL, hSession, CALL_REFRESH);

	if (rv != CKR_OK)
		goto out;
	if (c.s->verify.active) {
		rv = CKR_OPERATION_ACTIVE;
		goto out;
	}
	rv = token_key_inlock(c.m, c.r, c.kind, c.slot, hKey, CKA_VERIFY, &key);
	if (rv != CKR_OK)
		goto out;
	rv = mechanism_check(pMechanism, c.r->card.pss, &mech);
	if (rv != CKR_OK)
		goto out;
	spki = attrs_find(&key->attrs, CKA_PUBLIC_KEY_INFO);
	rv = verify_init(&c.s->verify, mech, spki->value, spki->len);
out:
	return call_leave(&c, rv);
}

CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
	       CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
	struct verify_op *op;
	struct call c;
	CK_RV rv = call_enter_session(
	    &c, __func__, (pData != NULL || ulDataLen == 0) && pSignature != NULL, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	op = &c.s->verify;
	if (!op->active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	}
	if (op->in.multi) {
		rv = CKR_OPERATION_ACTIVE;
		goto out;
	}
	rv = op_input_update(&op->in, pData, ulDataLen);
	if (rv == CKR_OK)
		rv = verify_final(op, pSignature, ulSignatureLen);
	verify_end(op);
out:
	return call_leave(&c, rv);
}

CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
	struct verify_op *op;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pPart != NULL || ulPartLen == 0, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	op = &c.s->verify;
	if (!op->active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	}
	op->in.multi = true;
	rv = op_input_update(&op->in, pPart, ulPartLen);
	if (rv != CKR_OK)
		verify_end(op);
out:
	return call_leave(&c, rv);
}

CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
	struct verify_op *op;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pSignature != NULL, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	op = &c.s->verify;
	if (!op->active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	}
	rv = verify_final(op, pSignature, ulSignatureLen);
	verify_end(op);
out:
	return call_leave(&c, rv);
}
