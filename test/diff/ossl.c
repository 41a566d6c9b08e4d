/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The test message's digests, and signature verification with OpenSSL against the certificate. */
#include "config.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "test/diff/checks.h"

const CK_BYTE diff_message[] = "jpki-pkcs11 differential test message";
const size_t diff_message_len = sizeof(diff_message) - 1;

/* RFC 8017 §9.2 note 1 */
static const CK_BYTE sha256_prefix[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
					  0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
					  0x01, 0x05, 0x00, 0x04, 0x20};

void diff_sha256(CK_BYTE *out)
{
	unsigned int len = 32;
	EVP_Digest(diff_message, diff_message_len, out, &len, EVP_sha256(), NULL);
}

size_t diff_digest_info(CK_BYTE *out)
{
	memcpy(out, sha256_prefix, sizeof(sha256_prefix));
	diff_sha256(out + sizeof(sha256_prefix));
	return sizeof(sha256_prefix) + 32;
}

static const EVP_MD *mech_md(CK_MECHANISM_TYPE mech, bool *pss)
{
	*pss = false;
	switch (mech) {
	case CKM_SHA1_RSA_PKCS:
		return EVP_sha1();
	case CKM_SHA224_RSA_PKCS:
		return EVP_sha224();
	case CKM_SHA256_RSA_PKCS:
		return EVP_sha256();
	case CKM_SHA384_RSA_PKCS:
		return EVP_sha384();
	case CKM_SHA512_RSA_PKCS:
		return EVP_sha512();
	case CKM_SHA256_RSA_PKCS_PSS:
		*pss = true;
		return EVP_sha256();
	default:
		return NULL;
	}
}

static bool verify_with(EVP_PKEY *pkey, CK_MECHANISM_TYPE mech, const CK_BYTE *data,
			size_t data_len, const CK_BYTE *sig, size_t sig_len)
{
	bool pss = false, ok = false;
	const EVP_MD *md = mech_md(mech, &pss);
	EVP_PKEY_CTX *pctx = NULL;

	if (md) {
		EVP_MD_CTX *mctx = EVP_MD_CTX_new();
		if (mctx && EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pkey) == 1 &&
		    (!pss || (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
			      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1)))
			ok = EVP_DigestVerify(mctx, sig, sig_len, data, data_len) == 1;
		EVP_MD_CTX_free(mctx);
		return ok;
	}
	/* Raw schemes: the input is the DigestInfo (PKCS#1) or the hash (PSS). */
	pctx = EVP_PKEY_CTX_new(pkey, NULL);
	if (pctx && EVP_PKEY_verify_init(pctx) == 1) {
		if (mech == CKM_RSA_PKCS)
			ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
		else if (mech == CKM_RSA_PKCS_PSS)
			ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
			     EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1 &&
			     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1;
		ok = ok && EVP_PKEY_verify(pctx, sig, sig_len, data, data_len) == 1;
	}
	EVP_PKEY_CTX_free(pctx);
	return ok;
}

bool diff_verify(const struct diff_ctx *c, CK_MECHANISM_TYPE mech, const CK_BYTE *data,
		 size_t data_len, const CK_BYTE *sig, size_t sig_len)
{
	const unsigned char *p = c->cert;
	X509 *x = d2i_X509(NULL, &p, (long)c->cert_len);
	bool ok = x && verify_with(X509_get0_pubkey(x), mech, data, data_len, sig, sig_len);
	X509_free(x);
	return ok;
}
