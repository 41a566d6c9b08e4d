/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Signing and verification: operation state rules, the two-call convention, every mechanism
 * (each signature checked with OpenSSL against the certificate), and C_Verify.
 */
#include "config.h"

#include <string.h>

#include "test/diff/checks.h"

#define SIG_MAX 512

static CK_RSA_PKCS_PSS_PARAMS pss_params = {CKM_SHA256, CKG_MGF1_SHA256, 32};

static void sign_not_logged_in(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_Logout(s));
	res_rv(r, c->f->C_SignInit(s, &m, key));
}

static void signinit(struct diff_ctx *c, struct result *r, CK_MECHANISM_TYPE type)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {type, NULL, 0};
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_SignInit(s, &m, key));
}

static void signinit_unknown_mech(struct diff_ctx *c, struct result *r)
{
	signinit(c, r, DIFF_BOGUS_MECHANISM);
}

static void signinit_digest_mech(struct diff_ctx *c, struct result *r)
{
	signinit(c, r, CKM_SHA256);
}

static void signinit_md5_mech(struct diff_ctx *c, struct result *r)
{
	signinit(c, r, CKM_MD5_RSA_PKCS);
}

static void signinit_on(struct diff_ctx *c, struct result *r, CK_OBJECT_CLASS cls)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_SignInit(s, &m, ctx_find(c, s, cls)));
}

static void signinit_public_key(struct diff_ctx *c, struct result *r)
{
	signinit_on(c, r, CKO_PUBLIC_KEY);
}

static void signinit_certificate(struct diff_ctx *c, struct result *r)
{
	signinit_on(c, r, CKO_CERTIFICATE);
}

static void signinit_bad_key(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_SignInit(s, &m, DIFF_BOGUS_HANDLE));
}

static void signinit_twice(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_SignInit(s, &m, key));
}

static void sign_without_init(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_BYTE sig[SIG_MAX];
	CK_ULONG len = sizeof(sig);

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_Sign(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, &len));
	res_rv(r, c->f->C_SignUpdate(s, (CK_BYTE_PTR)diff_message, diff_message_len));
	res_rv(r, c->f->C_SignFinal(s, sig, &len));
}

/* NULL -> length; short -> CKR_BUFFER_TOO_SMALL + length; full -> signature; again -> no op. */
static void sign_twocall(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE di[64], sig[SIG_MAX];
	CK_ULONG di_len = diff_digest_info(di), len = 0;

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, di, di_len, NULL, &len));
	res_fact(r, "len=%lu", (unsigned long)len);
	len = 10;
	res_rv(r, c->f->C_Sign(s, di, di_len, sig, &len));
	res_fact(r, "len=%lu", (unsigned long)len);
	len = sizeof(sig);
	res_rv(r, c->f->C_Sign(s, di, di_len, sig, &len));
	res_fact(r, diff_verify(c, CKM_RSA_PKCS, di, di_len, sig, len) ? "valid" : "invalid");
	res_rv(r, c->f->C_Sign(s, di, di_len, sig, &len));
}

static void signfinal_twocall(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[SIG_MAX];
	CK_ULONG len = 0;

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_SignUpdate(s, (CK_BYTE_PTR)diff_message, diff_message_len));
	res_rv(r, c->f->C_SignFinal(s, NULL, &len));
	res_fact(r, "len=%lu", (unsigned long)len);
	len = 10;
	res_rv(r, c->f->C_SignFinal(s, sig, &len));
	res_fact(r, "len=%lu", (unsigned long)len);
	len = sizeof(sig);
	res_rv(r, c->f->C_SignFinal(s, sig, &len));
	res_fact(r, diff_verify(c, m.mechanism, diff_message, diff_message_len, sig, len)
			? "valid"
			: "invalid");
	res_rv(r, c->f->C_SignFinal(s, sig, &len));
}

/* One-shot C_Sign with mechanism m over data, checked with OpenSSL. */
static void sign_and_check(struct diff_ctx *c, struct result *r, CK_MECHANISM *m,
			   const CK_BYTE *data, CK_ULONG data_len)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_BYTE sig[SIG_MAX];
	CK_ULONG len = sizeof(sig);

	if (!ctx_has_mech(c, m->mechanism)) {
		res_na(r, "mechanism-not-offered");
		return;
	}
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, m, key));
	CK_RV rv = c->f->C_Sign(s, (CK_BYTE_PTR)data, data_len, sig, &len);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_fact(r, "%s",
			 diff_verify(c, m->mechanism, data, data_len, sig, len) ? "valid"
										: "invalid");
}

static void sign_hash_mech(struct diff_ctx *c, struct result *r, CK_MECHANISM_TYPE type)
{
	CK_MECHANISM m = {type, NULL, 0};
	sign_and_check(c, r, &m, diff_message, diff_message_len);
}

static void sign_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE di[64];
	CK_ULONG len = diff_digest_info(di);
	sign_and_check(c, r, &m, di, len);
}

static void sign_sha1_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	sign_hash_mech(c, r, CKM_SHA1_RSA_PKCS);
}

static void sign_sha224_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	sign_hash_mech(c, r, CKM_SHA224_RSA_PKCS);
}

static void sign_sha256_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	sign_hash_mech(c, r, CKM_SHA256_RSA_PKCS);
}

static void sign_sha384_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	sign_hash_mech(c, r, CKM_SHA384_RSA_PKCS);
}

static void sign_sha512_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	sign_hash_mech(c, r, CKM_SHA512_RSA_PKCS);
}

static void sign_rsa_pkcs_pss(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM m = {CKM_RSA_PKCS_PSS, &pss_params, sizeof(pss_params)};
	CK_BYTE hash[32];
	diff_sha256(hash);
	sign_and_check(c, r, &m, hash, sizeof(hash));
}

static void sign_sha256_rsa_pkcs_pss(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS_PSS, &pss_params, sizeof(pss_params)};
	sign_and_check(c, r, &m, diff_message, diff_message_len);
}

static void pss_bad_params(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM none = {CKM_RSA_PKCS_PSS, NULL, 0};
	CK_RSA_PKCS_PSS_PARAMS mismatch = {CKM_SHA256, CKG_MGF1_SHA1, 32};
	CK_MECHANISM wrong = {CKM_SHA256_RSA_PKCS_PSS, &mismatch, sizeof(mismatch)};

	if (!ctx_has_mech(c, CKM_RSA_PKCS_PSS)) {
		res_na(r, "mechanism-not-offered");
		return;
	}
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_SignInit(s, &none, key));
	res_rv(r, c->f->C_SignInit(s, &wrong, key));
}

static void pss_wrong_hash_len(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM m = {CKM_RSA_PKCS_PSS, &pss_params, sizeof(pss_params)};
	CK_BYTE hash[20] = {0};
	sign_and_check(c, r, &m, hash, sizeof(hash));
}

/* A failed C_Sign (other than the length query cases) ends the operation. */
static void sign_rsa_pkcs_too_long(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE data[246], sig[SIG_MAX];
	CK_ULONG len = sizeof(sig);

	memset(data, 0x5a, sizeof(data));
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, data, sizeof(data), sig, &len));
	res_rv(r, c->f->C_Sign(s, data, sizeof(data) - 1, sig, &len));
}

static void sign_rsa_pkcs_max(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE data[245];
	memset(data, 0x5a, sizeof(data));
	sign_and_check(c, r, &m, data, sizeof(data));
}

static void signupdate_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE di[64], sig[SIG_MAX];
	CK_ULONG di_len = diff_digest_info(di), len = sizeof(sig);

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_SignUpdate(s, di, di_len));
	res_rv(r, c->f->C_Sign(s, di, di_len, sig, &len));
}

/* Multi-part hashing gives the same (deterministic PKCS#1 v1.5) signature as one C_Sign. */
static void sign_multipart(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE one[SIG_MAX], parts[SIG_MAX];
	CK_ULONG one_len = sizeof(one), parts_len = sizeof(parts), half = diff_message_len / 2;

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, (CK_BYTE_PTR)diff_message, diff_message_len, one, &one_len));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_SignUpdate(s, (CK_BYTE_PTR)diff_message, half));
	res_rv(r, c->f->C_SignUpdate(s, (CK_BYTE_PTR)diff_message + half, 0));
	res_rv(r, c->f->C_SignUpdate(s, (CK_BYTE_PTR)diff_message + half, diff_message_len - half));
	res_rv(r, c->f->C_SignFinal(s, parts, &parts_len));
	res_fact(r, one_len == parts_len && !memcmp(one, parts, one_len) ? "same" : "different");
}

/* Keys with CKA_ALWAYS_AUTHENTICATE need a context-specific login for every operation. */
static void sign_always_auth(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[SIG_MAX];
	CK_ULONG len = sizeof(sig);

	if (!c->always_auth) {
		res_na(r, "key-not-always-authenticate");
		return;
	}
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_SignInit(s, &m, key));
	res_rv(r, c->f->C_Sign(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, &len));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, &len));
}

/* Signs with CKM_SHA256_RSA_PKCS, then runs C_Verify on the public key with sig altered. */
static void verify_case(struct diff_ctx *c, struct result *r, int how)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[SIG_MAX];
	CK_ULONG len = sizeof(sig);

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, &len));
	if (how == 1)
		sig[len / 2] ^= 0x01;
	if (how == 2)
		len--;
	res_rv(r, c->f->C_VerifyInit(s, &m, ctx_find(c, s, CKO_PUBLIC_KEY)));
	res_rv(r, c->f->C_Verify(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, len));
	/* C_Verify always ends the operation */
	res_rv(r, c->f->C_Verify(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, len));
}

static void verify_good(struct diff_ctx *c, struct result *r)
{
	verify_case(c, r, 0);
}

static void verify_bad_signature(struct diff_ctx *c, struct result *r)
{
	verify_case(c, r, 1);
}

static void verify_short_signature(struct diff_ctx *c, struct result *r)
{
	verify_case(c, r, 2);
}

static void verify_rsa_pkcs_public(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE di[64], sig[SIG_MAX];
	CK_ULONG di_len = diff_digest_info(di), len = sizeof(sig);

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, di, di_len, sig, &len));
	res_rv(r, c->f->C_Logout(s));
	/* verification needs no login */
	res_rv(r, c->f->C_VerifyInit(s, &m, ctx_find(c, s, CKO_PUBLIC_KEY)));
	res_rv(r, c->f->C_Verify(s, di, di_len, sig, len));
}

static void verify_with_private_key(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_VerifyInit(s, &m, key));
}

const struct check checks_sign[] = {
    {"sign_not_logged_in", PRE_INIT, sign_not_logged_in},
    {"signinit_unknown_mechanism", PRE_INIT, signinit_unknown_mech},
    {"signinit_digest_mechanism", PRE_INIT, signinit_digest_mech},
    {"signinit_md5_rsa_pkcs", PRE_INIT, signinit_md5_mech},
    {"signinit_public_key", PRE_INIT, signinit_public_key},
    {"signinit_certificate", PRE_INIT, signinit_certificate},
    {"signinit_bad_key", PRE_INIT, signinit_bad_key},
    {"signinit_twice", PRE_INIT, signinit_twice},
    {"sign_without_init", PRE_INIT, sign_without_init},
    {"sign_twocall", PRE_INIT, sign_twocall},
    {"signfinal_twocall", PRE_INIT, signfinal_twocall},
    {"sign_rsa_pkcs", PRE_INIT, sign_rsa_pkcs},
    {"sign_rsa_pkcs_max_len", PRE_INIT, sign_rsa_pkcs_max},
    {"sign_rsa_pkcs_too_long", PRE_INIT, sign_rsa_pkcs_too_long},
    {"sign_sha1_rsa_pkcs", PRE_INIT, sign_sha1_rsa_pkcs},
    {"sign_sha224_rsa_pkcs", PRE_INIT, sign_sha224_rsa_pkcs},
    {"sign_sha256_rsa_pkcs", PRE_INIT, sign_sha256_rsa_pkcs},
    {"sign_sha384_rsa_pkcs", PRE_INIT, sign_sha384_rsa_pkcs},
    {"sign_sha512_rsa_pkcs", PRE_INIT, sign_sha512_rsa_pkcs},
    {"sign_multipart", PRE_INIT, sign_multipart},
    {"signupdate_rsa_pkcs", PRE_INIT, signupdate_rsa_pkcs},
    {"sign_rsa_pkcs_pss", PRE_INIT, sign_rsa_pkcs_pss},
    {"sign_sha256_rsa_pkcs_pss", PRE_INIT, sign_sha256_rsa_pkcs_pss},
    {"sign_pss_bad_params", PRE_INIT, pss_bad_params},
    {"sign_pss_wrong_hash_len", PRE_INIT, pss_wrong_hash_len},
    {"sign_always_authenticate", PRE_INIT, sign_always_auth},
    {"verify_good", PRE_INIT, verify_good},
    {"verify_bad_signature", PRE_INIT, verify_bad_signature},
    {"verify_short_signature", PRE_INIT, verify_short_signature},
    {"verify_rsa_pkcs_logged_out", PRE_INIT, verify_rsa_pkcs_public},
    {"verifyinit_private_key", PRE_INIT, verify_with_private_key},
    {NULL, PRE_INIT, NULL},
};
