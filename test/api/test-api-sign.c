/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Signatures: every mechanism, single- and multi-part, verified with OpenSSL against the
 * certificate on the card; the two-call convention; operation states; the always-authenticate
 * signature key with its context-specific login; RSA-PSS only when configured; a card that
 * forgot the PIN; and software verification through C_Verify*.
 */
#include "config.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "test/api/test-api.h"

static CK_FUNCTION_LIST_PTR f;
static const char msg[] = "a document to be signed with the My Number card";

static void setup(void)
{
	api_setup();
	f = api.f;
}

static void setup_uninit(void)
{
	api_setup_uninitialised();
	f = api.f;
}

static const struct {
	CK_MECHANISM_TYPE mech;
	const char *md;
} hashed[] = {
    {CKM_SHA1_RSA_PKCS, "SHA1"},     {CKM_SHA224_RSA_PKCS, "SHA224"},
    {CKM_SHA256_RSA_PKCS, "SHA256"}, {CKM_SHA384_RSA_PKCS, "SHA384"},
    {CKM_SHA512_RSA_PKCS, "SHA512"},
};

static EVP_PKEY *cert_key(int kind)
{
	const uint8_t *der = kind == AUTH ? api.id[0].auth_cert : api.id[0].sign_cert;
	size_t len = kind == AUTH ? api.id[0].auth_cert_len : api.id[0].sign_cert_len;
	X509 *x = d2i_X509(NULL, &der, (long)len);
	EVP_PKEY *k;

	ck_assert_ptr_nonnull(x);
	k = X509_get_pubkey(x);
	X509_free(x);
	return k;
}

/* OpenSSL's verdict on sig over msg (md NULL: sig over the raw DigestInfo data). */
static bool openssl_verifies(int kind, const char *md, bool pss, const void *data, size_t len,
			     const uint8_t *sig, size_t sig_len)
{
	EVP_PKEY *key = cert_key(kind);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	ck_assert(EVP_DigestVerifyInit(ctx, &pctx, EVP_get_digestbyname(md), NULL, key) == 1);
	if (pss) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256());
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
	}
	ok = EVP_DigestVerify(ctx, sig, sig_len, data, len);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok == 1;
}

/* A logged-in session on the token and its private key. */
static CK_SESSION_HANDLE ready(int kind, CK_OBJECT_HANDLE *key)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, kind), false);

	api_login(h, kind == AUTH ? AUTH_PIN : SIGN_PIN);
	*key = api_find_one(h, CKO_PRIVATE_KEY, kind == AUTH ? 1 : 2);
	return h;
}

static CK_RV context_login(CK_SESSION_HANDLE h, const char *pin)
{
	return f->C_Login(h, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

START_TEST(test_hash_mechanisms_single_part)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h = ready(AUTH, &key);
	CK_MECHANISM mech = {hashed[_i].mech, NULL, 0};
	CK_BYTE sig[300];
	CK_ULONG len = 0;

	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	/* Length query, then a short buffer: both keep the operation. */
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), NULL, &len), CKR_OK);
	ck_assert_uint_eq(len, 256);
	len = 255;
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(len, 256);
	len = sizeof(sig);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
	ck_assert_uint_eq(len, 256);
	ck_assert(openssl_verifies(AUTH, hashed[_i].md, false, msg, sizeof(msg), sig, len));
	/* The operation ended with the signature. */
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OPERATION_NOT_INITIALIZED);
}
END_TEST

START_TEST(test_hash_mechanisms_multi_part)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h = ready(AUTH, &key);
	CK_MECHANISM mech = {hashed[_i].mech, NULL, 0};
	CK_BYTE sig[256];
	CK_ULONG len = 0;

	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_SignUpdate(h, (CK_BYTE_PTR)msg, 10), CKR_OK);
	RV(f->C_SignUpdate(h, NULL, 0), CKR_OK);
	RV(f->C_SignUpdate(h, (CK_BYTE_PTR)msg + 10, sizeof(msg) - 10), CKR_OK);
	/* C_Sign cannot finish a multi-part operation. */
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OPERATION_ACTIVE);
	RV(f->C_SignFinal(h, NULL, &len), CKR_OK);
	ck_assert_uint_eq(len, 256);
	len = 10;
	RV(f->C_SignFinal(h, sig, &len), CKR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(len, 256);
	RV(f->C_SignFinal(h, sig, &len), CKR_OK);
	ck_assert(openssl_verifies(AUTH, hashed[_i].md, false, msg, sizeof(msg), sig, len));
	RV(f->C_SignFinal(h, sig, &len), CKR_OPERATION_NOT_INITIALIZED);
}
END_TEST

START_TEST(test_raw_pkcs1)
{
	static const uint8_t prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h = ready(AUTH, &key);
	CK_MECHANISM mech = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE di[51], big[246], sig[256];
	CK_ULONG len = sizeof(sig);
	unsigned int ml;

	memcpy(di, prefix, sizeof(prefix));
	EVP_Digest(msg, sizeof(msg), di + sizeof(prefix), &ml, EVP_sha256(), NULL);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, di, sizeof(di), sig, &len), CKR_OK);
	/* The input is signed as given: a DigestInfo gives a normal sha256WithRSA signature. */
	ck_assert(openssl_verifies(AUTH, "SHA256", false, msg, sizeof(msg), sig, len));
	/* Multi-part works too. */
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_SignUpdate(h, di, 20), CKR_OK);
	RV(f->C_SignUpdate(h, di + 20, sizeof(di) - 20), CKR_OK);
	RV(f->C_SignFinal(h, sig, &len), CKR_OK);
	ck_assert(openssl_verifies(AUTH, "SHA256", false, msg, sizeof(msg), sig, len));
	/* 245 bytes is the most the card takes; more ends the operation. */
	memset(big, 0x5A, sizeof(big));
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, big, 245, sig, &len), CKR_OK);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, big, 246, sig, &len), CKR_DATA_LEN_RANGE);
	RV(f->C_Sign(h, big, 10, sig, &len), CKR_OPERATION_NOT_INITIALIZED);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, big, 246, NULL, &len), CKR_DATA_LEN_RANGE);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_SignUpdate(h, big, 200), CKR_OK);
	RV(f->C_SignUpdate(h, big, 46), CKR_DATA_LEN_RANGE);
	RV(f->C_SignFinal(h, sig, &len), CKR_OPERATION_NOT_INITIALIZED);
}
END_TEST

START_TEST(test_operation_states)
{
	CK_OBJECT_HANDLE key, pub, cert;
	CK_SESSION_HANDLE h = ready(AUTH, &key);
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_MECHANISM bad = {CKM_MD5_RSA_PKCS, NULL, 0};
	CK_MECHANISM with_param = {CKM_SHA256_RSA_PKCS, &mech, sizeof(mech)};
	CK_BYTE sig[256];
	CK_ULONG len = sizeof(sig);

	pub = api_find_one(h, CKO_PUBLIC_KEY, 1);
	cert = api_find_one(h, CKO_CERTIFICATE, 1);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, 4, sig, &len), CKR_OPERATION_NOT_INITIALIZED);
	RV(f->C_SignUpdate(h, (CK_BYTE_PTR)msg, 4), CKR_OPERATION_NOT_INITIALIZED);
	RV(f->C_SignFinal(h, sig, &len), CKR_OPERATION_NOT_INITIALIZED);
	RV(f->C_SignInit(h, &bad, key), CKR_MECHANISM_INVALID);
	RV(f->C_SignInit(h, &with_param, key), CKR_MECHANISM_PARAM_INVALID);
	RV(f->C_SignInit(h, &mech, pub), CKR_KEY_FUNCTION_NOT_PERMITTED);
	RV(f->C_SignInit(h, &mech, cert), CKR_KEY_HANDLE_INVALID);
	RV(f->C_SignInit(h, &mech, 4242), CKR_KEY_HANDLE_INVALID);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_SignInit(h, &mech, key), CKR_OPERATION_ACTIVE);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
	/* Logged out, the key is out of reach. */
	RV(f->C_Logout(h), CKR_OK);
	RV(f->C_SignInit(h, &mech, key), CKR_USER_NOT_LOGGED_IN);
	/* A signature operation begun, then logout: C_Sign says so. */
	api_login(h, AUTH_PIN);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Logout(h), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_USER_NOT_LOGGED_IN);
}
END_TEST

START_TEST(test_always_authenticate)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h = ready(SIGN, &key);
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[256];
	CK_ULONG len = sizeof(sig);
	unsigned v;

	/* Without the context-specific login the signature is refused (and the operation ends). */
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), NULL, &len), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_USER_NOT_LOGGED_IN);
	RV(context_login(h, SIGN_PIN), CKR_OPERATION_NOT_INITIALIZED);
	/* C_SignInit, C_Login(CKU_CONTEXT_SPECIFIC), C_Sign: VERIFY and signature together. */
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	v = api_verifies(0);
	RV(context_login(h, "qx7z5k2w"), CKR_OK);
	ck_assert_uint_eq(api_verifies(0), v); /* the VERIFY waits for the signature */
	len = sizeof(sig);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
	ck_assert_uint_eq(api_verifies(0), v + 1);
	ck_assert(openssl_verifies(SIGN, "SHA256", false, msg, sizeof(msg), sig, len));
	/* Each signature needs its own. */
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_USER_NOT_LOGGED_IN);
	/* Malformed: refused locally. A wrong one: the signature fails on its VERIFY. */
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(context_login(h, "AB1"), CKR_PIN_LEN_RANGE);
	RV(context_login(h, "WRONG444"), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_PIN_INCORRECT);
	ck_assert_int_eq(api.pins[0].sign_tries, 4);
	/* Multi-part with the login between C_SignInit and C_SignFinal. */
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_SignUpdate(h, (CK_BYTE_PTR)msg, sizeof(msg)), CKR_OK);
	RV(context_login(h, SIGN_PIN), CKR_OK);
	RV(f->C_SignFinal(h, sig, &len), CKR_OK);
	ck_assert(openssl_verifies(SIGN, "SHA256", false, msg, sizeof(msg), sig, len));
	ck_assert_int_eq(api.pins[0].sign_tries, 5);
}
END_TEST

START_TEST(test_always_authenticate_off)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h;
	CK_MECHANISM mech = {CKM_SHA512_RSA_PKCS, NULL, 0};
	CK_BYTE sig[256], always = CK_TRUE;
	CK_ULONG len = sizeof(sig);
	CK_ATTRIBUTE t = {CKA_ALWAYS_AUTHENTICATE, &always, 1};

	api_config("sign_always_authenticate = off\n");
	api_init();
	h = ready(SIGN, &key);
	RV(f->C_GetAttributeValue(h, key, &t, 1), CKR_OK);
	ck_assert_uint_eq(always, CK_FALSE);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
	ck_assert(openssl_verifies(SIGN, "SHA512", false, msg, sizeof(msg), sig, len));
}
END_TEST

START_TEST(test_pss_off_by_default)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h = ready(AUTH, &key);
	CK_RSA_PKCS_PSS_PARAMS p = {CKM_SHA256, CKG_MGF1_SHA256, 32};
	CK_MECHANISM mech = {CKM_RSA_PKCS_PSS, &p, sizeof(p)};

	RV(f->C_SignInit(h, &mech, key), CKR_MECHANISM_INVALID);
	mech.mechanism = CKM_SHA256_RSA_PKCS_PSS;
	RV(f->C_SignInit(h, &mech, key), CKR_MECHANISM_INVALID);
}
END_TEST

START_TEST(test_pss_when_configured)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h;
	CK_RSA_PKCS_PSS_PARAMS p = {CKM_SHA256, CKG_MGF1_SHA256, 32};
	CK_MECHANISM mech = {CKM_RSA_PKCS_PSS, &p, sizeof(p)};
	CK_BYTE sig[256], sig2[256], hash[32];
	CK_ULONG len = sizeof(sig);
	unsigned int ml;

	api_config("rsa_pss = on\n");
	api_init();
	h = ready(AUTH, &key);
	EVP_Digest(msg, sizeof(msg), hash, &ml, EVP_sha256(), NULL);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, hash, 31, sig, &len), CKR_DATA_LEN_RANGE);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, hash, sizeof(hash), sig, &len), CKR_OK);
	ck_assert(openssl_verifies(AUTH, "SHA256", true, msg, sizeof(msg), sig, len));
	/* Multi-part with the hash on the host (what Firefox does). */
	mech.mechanism = CKM_SHA256_RSA_PKCS_PSS;
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_SignUpdate(h, (CK_BYTE_PTR)msg, 7), CKR_OK);
	RV(f->C_SignUpdate(h, (CK_BYTE_PTR)msg + 7, sizeof(msg) - 7), CKR_OK);
	len = sizeof(sig2);
	RV(f->C_SignFinal(h, sig2, &len), CKR_OK);
	ck_assert(openssl_verifies(AUTH, "SHA256", true, msg, sizeof(msg), sig2, len));
	ck_assert_mem_ne(sig, sig2, 256); /* random salt */
	/* Only the card's parameters. */
	p.sLen = 20;
	RV(f->C_SignInit(h, &mech, key), CKR_MECHANISM_PARAM_INVALID);
	p.sLen = 32;
	p.hashAlg = CKM_SHA384;
	RV(f->C_SignInit(h, &mech, key), CKR_MECHANISM_PARAM_INVALID);
	p.hashAlg = CKM_SHA256;
	p.mgf = CKG_MGF1_SHA1;
	RV(f->C_SignInit(h, &mech, key), CKR_MECHANISM_PARAM_INVALID);
	mech.pParameter = NULL;
	RV(f->C_SignInit(h, &mech, key), CKR_MECHANISM_PARAM_INVALID);
}
END_TEST

/*
 * rsa_pss = auto: PSS on both tokens only when the card shows the scheme before any login
 * (scheme checked before the security status, scheme 04 known); a card that checks the
 * security status first, or has no PSS, keeps it off. The probe spends no PIN try.
 */
static const struct {
	bool scheme_first, pss, offered;
} pss_auto[] = {
    {true, true, true},
    {true, false, false},
    {false, true, false},
};

START_TEST(test_pss_auto)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h;
	CK_RSA_PKCS_PSS_PARAMS p = {CKM_SHA256, CKG_MGF1_SHA256, 32};
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS_PSS, &p, sizeof(p)};
	CK_MECHANISM_INFO info;
	CK_BYTE sig[256];
	CK_ULONG len = sizeof(sig);
	CK_RV want = pss_auto[_i].offered ? CKR_OK : CKR_MECHANISM_INVALID;

	vt_remove(api.vt, 0);
	api.cfg[0].quirks.scheme_before_security = pss_auto[_i].scheme_first;
	api.cfg[0].quirks.sign_pss = pss_auto[_i].pss;
	ck_assert_int_eq(vt_insert(api.vt, 0, &api.cfg[0], &api.id[0], &api.pins[0]), 0);
	api_config("rsa_pss = auto\n");
	api_init();
	RV(f->C_GetMechanismInfo(api_slot(0, AUTH), CKM_SHA256_RSA_PKCS_PSS, &info), want);
	RV(f->C_GetMechanismInfo(api_slot(0, SIGN), CKM_RSA_PKCS_PSS, &info), want);
	ck_assert_uint_eq(api_verifies(0), 0);
	ck_assert_int_eq(api.pins[0].auth_tries, 3);
	ck_assert_int_eq(api.pins[0].sign_tries, 5);
	h = ready(AUTH, &key);
	RV(f->C_SignInit(h, &mech, key), want);
	if (pss_auto[_i].offered) {
		RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
		ck_assert(openssl_verifies(AUTH, "SHA256", true, msg, sizeof(msg), sig, len));
	}
}
END_TEST

/* Another application re-selects the JPKI application: the card forgets both PINs. */
static void reselect_by_another_application(void)
{
	static const uint8_t select[] = {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
					 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
	static uint8_t resp[VCARD_RESP_MAX];
	size_t n = vcard_process(vt_card(api.vt, 0), select, sizeof(select), resp);

	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(resp[0], 0x90);
}

START_TEST(test_card_forgot_pin)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h = ready(AUTH, &key);
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[256];
	CK_ULONG len = sizeof(sig);

	reselect_by_another_application();
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_USER_NOT_LOGGED_IN);
	/* The token learnt it is logged out; a new login works. */
	ck_assert_uint_eq(api_state(h), CKS_RO_PUBLIC_SESSION);
	api_login(h, AUTH_PIN);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
}
END_TEST

START_TEST(test_verify_in_software)
{
	CK_OBJECT_HANDLE key, pub;
	CK_SESSION_HANDLE h = ready(SIGN, &key);
	CK_MECHANISM mech = {hashed[_i].mech, NULL, 0};
	CK_BYTE sig[256];
	CK_ULONG len = sizeof(sig);
	unsigned long apdus;

	pub = api_find_one(h, CKO_PUBLIC_KEY, 2);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(context_login(h, SIGN_PIN), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
	apdus = api_apdus(0);
	RV(f->C_VerifyInit(h, &mech, pub), CKR_OK);
	RV(f->C_VerifyInit(h, &mech, pub), CKR_OPERATION_ACTIVE);
	RV(f->C_Verify(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, len), CKR_OK);
	RV(f->C_VerifyInit(h, &mech, pub), CKR_OK);
	RV(f->C_VerifyUpdate(h, (CK_BYTE_PTR)msg, 3), CKR_OK);
	RV(f->C_VerifyUpdate(h, (CK_BYTE_PTR)msg + 3, sizeof(msg) - 3), CKR_OK);
	RV(f->C_VerifyFinal(h, sig, len), CKR_OK);
	RV(f->C_VerifyInit(h, &mech, pub), CKR_OK);
	RV(f->C_Verify(h, (CK_BYTE_PTR)msg, sizeof(msg) - 1, sig, len), CKR_SIGNATURE_INVALID);
	RV(f->C_VerifyInit(h, &mech, pub), CKR_OK);
	RV(f->C_Verify(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, len - 1), CKR_SIGNATURE_LEN_RANGE);
	RV(f->C_Verify(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, len), CKR_OPERATION_NOT_INITIALIZED);
	RV(f->C_VerifyFinal(h, sig, len), CKR_OPERATION_NOT_INITIALIZED);
	RV(f->C_VerifyInit(h, &mech, key), CKR_KEY_FUNCTION_NOT_PERMITTED);
	ck_assert_uint_eq(api_apdus(0), apdus); /* no card involved */
}
END_TEST

START_TEST(test_verify_public_auth_key_without_login)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_OBJECT_HANDLE pub = api_find_one(h, CKO_PUBLIC_KEY, 1);
	CK_BYTE sig[256] = {0};

	RV(f->C_VerifyInit(h, &mech, pub), CKR_OK);
	RV(f->C_Verify(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, sizeof(sig)), CKR_SIGNATURE_INVALID);
}
END_TEST

START_TEST(test_old_resident_card)
{
	CK_OBJECT_HANDLE key;
	CK_SESSION_HANDLE h;
	CK_MECHANISM mech = {CKM_SHA1_RSA_PKCS, NULL, 0};
	CK_BYTE sig[256];
	CK_ULONG len = sizeof(sig);

	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_JUKI, 0);
	h = ready(SIGN, &key);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	RV(context_login(h, SIGN_PIN), CKR_OK);
	RV(f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len), CKR_OK);
	ck_assert(openssl_verifies(SIGN, "SHA1", false, msg, sizeof(msg), sig, len));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-sign");
	TCase *tc = tcase_create("sign");
	TCase *tu = tcase_create("configured");
	SRunner *sr;
	int failed, n = (int)(sizeof(hashed) / sizeof(hashed[0]));

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hash_mechanisms_single_part, 0, n);
	tcase_add_loop_test(tc, test_hash_mechanisms_multi_part, 0, n);
	tcase_add_test(tc, test_raw_pkcs1);
	tcase_add_test(tc, test_operation_states);
	tcase_add_test(tc, test_always_authenticate);
	tcase_add_test(tc, test_pss_off_by_default);
	tcase_add_test(tc, test_card_forgot_pin);
	tcase_add_loop_test(tc, test_verify_in_software, 0, n);
	tcase_add_test(tc, test_verify_public_auth_key_without_login);
	tcase_add_test(tc, test_old_resident_card);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tu, setup_uninit, api_teardown);
	tcase_set_timeout(tu, 60);
	tcase_add_test(tu, test_always_authenticate_off);
	tcase_add_test(tu, test_pss_when_configured);
	tcase_add_loop_test(tu, test_pss_auto, 0, sizeof(pss_auto) / sizeof(pss_auto[0]));
	suite_add_tcase(s, tu);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
