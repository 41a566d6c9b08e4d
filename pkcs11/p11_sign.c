/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Signing entry points (v2.40 §5.11). Any error other than a length query or
 * CKR_BUFFER_TOO_SMALL ends the operation, as the spec requires.
 */
#include "config.h"

#include "pkcs11/call.h"
#include "pkcs11/twocall.h"

/* User: the private keys are private objects. */
CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	const struct mechanism *mech;
	struct object *key;
	bool always = false;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pMechanism != NULL, hSession,
				      CALL_REFRESH | CALL_USER);

	if (rv != CKR_OK)
		goto out;
	if (c.s->sign.active) {
		rv = CKR_OPERATION_ACTIVE;
		goto out;
	}
	rv = token_key_inlock(c.m, c.r, c.kind, c.slot, hKey, CKA_SIGN, &key);
	if (rv != CKR_OK)
		goto out;
	rv = mechanism_check(pMechanism, c.r->card.pss, &mech);
	if (rv != CKR_OK)
		goto out;
	attrs_get_bool(&key->attrs, CKA_ALWAYS_AUTHENTICATE, &always);
	rv = sign_init(&c.s->sign, mech, c.kind, always);
out:
	return call_leave(&c, rv);
}

/* Has the card sign what the operation gathered; the operation ends either way. */
static CK_RV finish_inlock(struct call *c, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
	CK_RV rv = sign_card_inlock(c->m, c->r, &c->s->sign, pSignature);

	if (rv == CKR_OK)
		*pulSignatureLen = JPKI_SIGNATURE_LEN;
	sign_end(&c->s->sign);
	return rv;
}

/* Single-part: user, operation initialised. */
CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
	     CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
	struct sign_op *op;
	const struct mechanism *mech;
	bool fill;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__,
				      pulSignatureLen != NULL && (pData != NULL || ulDataLen == 0),
				      hSession, 0);

	if (rv != CKR_OK)
		goto out;
	op = &c.s->sign;
	if (!op->active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	}
	if (op->in.multi) { /* C_SignUpdate started a multi-part operation */
		rv = CKR_OPERATION_ACTIVE;
		goto out;
	}
	mech = op->in.mech;
	if (mech->digest == DIGEST_NONE &&
	    (ulDataLen < mech->raw_min || ulDataLen > mech->raw_max)) {
		rv = CKR_DATA_LEN_RANGE;
		sign_end(op);
		goto out;
	}
	/* The signature size is fixed (RSA-2048): length queries need neither input nor card. */
	rv = twocall_size(pSignature, pulSignatureLen, JPKI_SIGNATURE_LEN, &fill);
	if (!fill)
		goto out;
	rv = op_input_update(&op->in, pData, ulDataLen);
	if (rv != CKR_OK) {
		sign_end(op);
		goto out;
	}
	rv = finish_inlock(&c, pSignature, pulSignatureLen);
out:
	return call_leave(&c, rv);
}

/* Multi-part: user, operation initialised. */
CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
	struct sign_op *op;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pPart != NULL || ulPartLen == 0, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	op = &c.s->sign;
	if (!op->active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	}
	op->in.multi = true;
	rv = op_input_update(&op->in, pPart, ulPartLen);
	if (rv != CKR_OK)
		sign_end(op);
out:
	return call_leave(&c, rv);
}

CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
	bool fill;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pulSignatureLen != NULL, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	if (!c.s->sign.active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	}
	rv = twocall_size(pSignature, pulSignatureLen, JPKI_SIGNATURE_LEN, &fill);
	if (fill)
		rv = finish_inlock(&c, pSignature, pulSignatureLen);
out:
	return call_leave(&c, rv);
}
