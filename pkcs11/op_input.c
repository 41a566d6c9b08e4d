/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "pkcs11/digest_info.h"
#include "pkcs11/op_input.h"

CK_RV op_input_init(struct op_input *in, const struct mechanism *m)
{
	memset(in, 0, sizeof(*in));
	in->mech = m;
	if (m->digest == DIGEST_NONE)
		return CKR_OK;
	in->md = EVP_MD_CTX_new();
	if (in->md == NULL)
		return CKR_HOST_MEMORY;
	if (!EVP_DigestInit_ex(in->md, digest_md(m->digest), NULL)) {
		op_input_free(in);
		return CKR_GENERAL_ERROR;
	}
	return CKR_OK;
}

CK_RV op_input_update(struct op_input *in, const uint8_t *data, size_t len)
{
	if (in->md != NULL)
		return len == 0 || EVP_DigestUpdate(in->md, data, len) ? CKR_OK : CKR_GENERAL_ERROR;
	if (len > in->mech->raw_max - in->len)
		return CKR_DATA_LEN_RANGE;
	if (len > 0)
		memcpy(in->buf + in->len, data, len);
	in->len += len;
	return CKR_OK;
}

CK_RV op_input_final(struct op_input *in, uint8_t *out, size_t *out_len)
{
	uint8_t hash[EVP_MAX_MD_SIZE];
	unsigned int hash_len = 0;

	if (in->md == NULL) {
		if (in->len < in->mech->raw_min || in->len > in->mech->raw_max)
			return CKR_DATA_LEN_RANGE;
		memcpy(out, in->buf, in->len);
		*out_len = in->len;
		return CKR_OK;
	}
	if (!EVP_DigestFinal_ex(in->md, hash, &hash_len))
		return CKR_GENERAL_ERROR;
	if (in->mech->scheme == JPKI_SCHEME_PSS_SHA256) {
		memcpy(out, hash, hash_len);
		*out_len = hash_len;
		return CKR_OK;
	}
	return digest_info_build(in->mech->digest, hash, hash_len, out, out_len)
		   ? CKR_OK
		   : CKR_GENERAL_ERROR;
}

void op_input_free(struct op_input *in)
{
	EVP_MD_CTX_free(in->md);
	OPENSSL_cleanse(in->buf, sizeof(in->buf));
	memset(in, 0, sizeof(*in));
}
