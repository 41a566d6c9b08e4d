/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "pkcs11/verify.h"
#include "src/jpki.h"

CK_RV verify_init(struct verify_op *op, const struct mechanism *m, const uint8_t *spki,
		  size_t spki_len)
{
	const unsigned char *p = spki;
	CK_RV rv;

	memset(op, 0, sizeof(*op));
	op->pkey = d2i_PUBKEY(NULL, &p, (long)spki_len);
	if (op->pkey == NULL)
		return CKR_KEY_HANDLE_INVALID;
	rv = op_input_init(&op->in, m);
	if (rv != CKR_OK) {
		verify_end(op);
		return rv;
	}
	op->active = true;
	return CKR_OK;
}

CK_RV verify_final(struct verify_op *op, const uint8_t *sig, size_t sig_len)
{
	uint8_t tbs[OP_INPUT_MAX];
	size_t tbs_len = 0;
	EVP_PKEY_CTX *ctx = NULL;
	CK_RV rv;
	int ok;

	rv = op_input_final(&op->in, tbs, &tbs_len);
	if (rv != CKR_OK)
		return rv;
	if (sig_len != (size_t)EVP_PKEY_get_size(op->pkey))
		return CKR_SIGNATURE_LEN_RANGE;
	ctx = EVP_PKEY_CTX_new(op->pkey, NULL);
	if (ctx == NULL || EVP_PKEY_verify_init(ctx) <= 0) {
		rv = CKR_GENERAL_ERROR;
		goto out;
	}
	if (op->in.mech->scheme == JPKI_SCHEME_PSS_SHA256) {
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) > 0;
	} else {
		/* No digest set: the recovered block must equal tbs (the DigestInfo) exactly. */
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
	}
	if (!ok) {
		rv = CKR_GENERAL_ERROR;
		goto out;
	}
	rv = EVP_PKEY_verify(ctx, sig, sig_len, tbs, tbs_len) == 1 ? CKR_OK : CKR_SIGNATURE_INVALID;
out:
	EVP_PKEY_CTX_free(ctx);
	return rv;
}

void verify_end(struct verify_op *op)
{
	op_input_free(&op->in);
	EVP_PKEY_free(op->pkey);
	memset(op, 0, sizeof(*op));
}
