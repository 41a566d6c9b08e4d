/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The v2.40 functions these tokens do not offer: no encryption or decryption, no digesting
 * service, no key management, no random numbers, no saved operation state, no SO functions.
 * Each validates like any entry point (initialised, argument pointers, session or slot) and
 * then refuses with the code the spec gives. None asserts.
 */
#include "config.h"

#include "pkcs11/call.h"

static CK_RV refuse(const char *name, CK_SESSION_HANDLE h, bool args_ok, CK_RV code)
{
	struct call c;
	CK_RV rv = call_enter_session(&c, name, args_ok, h, 0);

	if (rv == CKR_OK)
		rv = code;
	return call_leave(&c, rv);
}

#define NS	       CKR_FUNCTION_NOT_SUPPORTED
#define BUF_OK(p, len) ((p) != NULL || (len) == 0)

CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
		  CK_UTF8CHAR_PTR pLabel)
{
	struct call c;
	CK_RV rv = call_enter_slot(&c, __func__, BUF_OK(pPin, ulPinLen) && pLabel != NULL, slotID,
				   CALL_TOKEN);

	if (rv == CKR_OK)
		rv = NS; /* the card is initialised at issuance */
	return call_leave(&c, rv);
}

CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
	return refuse(__func__, hSession, BUF_OK(pPin, ulPinLen), NS);
}

CK_RV C_GetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
			  CK_ULONG_PTR pulOperationStateLen)
{
	return refuse(__func__, hSession, pulOperationStateLen != NULL, NS);
}

CK_RV C_SetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
			  CK_ULONG ulOperationStateLen, CK_OBJECT_HANDLE hEncryptionKey,
			  CK_OBJECT_HANDLE hAuthenticationKey)
{
	return refuse(__func__, hSession, pOperationState != NULL, NS);
}

CK_RV C_EncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	return refuse(__func__, hSession, pMechanism != NULL, NS);
}

CK_RV C_Encrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
		CK_BYTE_PTR pEncryptedData, CK_ULONG_PTR pulEncryptedDataLen)
{
	return refuse(__func__, hSession, BUF_OK(pData, ulDataLen) && pulEncryptedDataLen != NULL,
		      NS);
}

CK_RV C_EncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
		      CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
	return refuse(__func__, hSession, BUF_OK(pPart, ulPartLen) && pulEncryptedPartLen != NULL,
		      NS);
}

CK_RV C_EncryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastEncryptedPart,
		     CK_ULONG_PTR pulLastEncryptedPartLen)
{
	return refuse(__func__, hSession, pulLastEncryptedPartLen != NULL, NS);
}

CK_RV C_DecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	return refuse(__func__, hSession, pMechanism != NULL, NS);
}

CK_RV C_Decrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData, CK_ULONG ulEncryptedDataLen,
		CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen)
{
	return refuse(__func__, hSession,
		      BUF_OK(pEncryptedData, ulEncryptedDataLen) && pulDataLen != NULL, NS);
}

CK_RV C_DecryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
		      CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
	return refuse(__func__, hSession,
		      BUF_OK(pEncryptedPart, ulEncryptedPartLen) && pulPartLen != NULL, NS);
}

CK_RV C_DecryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart, CK_ULONG_PTR pulLastPartLen)
{
	return refuse(__func__, hSession, pulLastPartLen != NULL, NS);
}

CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism)
{
	return refuse(__func__, hSession, pMechanism != NULL, NS);
}

CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
	       CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen)
{
	return refuse(__func__, hSession, BUF_OK(pData, ulDataLen) && pulDigestLen != NULL, NS);
}

CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
	return refuse(__func__, hSession, BUF_OK(pPart, ulPartLen), NS);
}

CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
	return refuse(__func__, hSession, true, NS);
}

CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen)
{
	return refuse(__func__, hSession, pulDigestLen != NULL, NS);
}

CK_RV C_SignRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
			CK_OBJECT_HANDLE hKey)
{
	return refuse(__func__, hSession, pMechanism != NULL, NS);
}

CK_RV C_SignRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
		    CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
	return refuse(__func__, hSession, BUF_OK(pData, ulDataLen) && pulSignatureLen != NULL, NS);
}

CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
			  CK_OBJECT_HANDLE hKey)
{
	return refuse(__func__, hSession, pMechanism != NULL, NS);
}

CK_RV C_VerifyRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen,
		      CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen)
{
	return refuse(__func__, hSession, BUF_OK(pSignature, ulSignatureLen) && pulDataLen != NULL,
		      NS);
}

CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
			    CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
	return refuse(__func__, hSession, BUF_OK(pPart, ulPartLen) && pulEncryptedPartLen != NULL,
		      NS);
}

CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
			    CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
	return refuse(__func__, hSession,
		      BUF_OK(pEncryptedPart, ulEncryptedPartLen) && pulPartLen != NULL, NS);
}

CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
			  CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
	return refuse(__func__, hSession, BUF_OK(pPart, ulPartLen) && pulEncryptedPartLen != NULL,
		      NS);
}

CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
			    CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
	return refuse(__func__, hSession,
		      BUF_OK(pEncryptedPart, ulEncryptedPartLen) && pulPartLen != NULL, NS);
}

CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
		    CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phKey)
{
	return refuse(__func__, hSession,
		      pMechanism != NULL && BUF_OK(pTemplate, ulCount) && phKey != NULL, NS);
}

CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
			CK_ATTRIBUTE_PTR pPublicKeyTemplate, CK_ULONG ulPublicKeyAttributeCount,
			CK_ATTRIBUTE_PTR pPrivateKeyTemplate, CK_ULONG ulPrivateKeyAttributeCount,
			CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey)
{
	return refuse(__func__, hSession,
		      pMechanism != NULL && BUF_OK(pPublicKeyTemplate, ulPublicKeyAttributeCount) &&
			  BUF_OK(pPrivateKeyTemplate, ulPrivateKeyAttributeCount) &&
			  phPublicKey != NULL && phPrivateKey != NULL,
		      NS);
}

CK_RV C_WrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
		CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pWrappedKey,
		CK_ULONG_PTR pulWrappedKeyLen)
{
	return refuse(__func__, hSession, pMechanism != NULL && pulWrappedKeyLen != NULL, NS);
}

CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
		  CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
		  CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
		  CK_OBJECT_HANDLE_PTR phKey)
{
	return refuse(__func__, hSession,
		      pMechanism != NULL && BUF_OK(pWrappedKey, ulWrappedKeyLen) &&
			  BUF_OK(pTemplate, ulAttributeCount) && phKey != NULL,
		      NS);
}

CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
		  CK_OBJECT_HANDLE hBaseKey, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
		  CK_OBJECT_HANDLE_PTR phKey)
{
	return refuse(__func__, hSession,
		      pMechanism != NULL && BUF_OK(pTemplate, ulAttributeCount) && phKey != NULL,
		      NS);
}

CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen)
{
	/* No random number generator on the token (no CKF_RNG): nothing to seed either. */
	return refuse(__func__, hSession, BUF_OK(pSeed, ulSeedLen), CKR_RANDOM_NO_RNG);
}

CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR RandomData, CK_ULONG ulRandomLen)
{
	return refuse(__func__, hSession, BUF_OK(RandomData, ulRandomLen), CKR_RANDOM_NO_RNG);
}

/* Legacy parallel-function calls (v2.40 §5.17). */
CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession)
{
	return refuse(__func__, hSession, true, CKR_FUNCTION_NOT_PARALLEL);
}

CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession)
{
	return refuse(__func__, hSession, true, CKR_FUNCTION_NOT_PARALLEL);
}
