/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "pkcs11/mechanism.h"

/* PSS_SHA256: the card's only PSS form takes a 32-byte SHA-256 hash (jpki-card.md §5.2). */
#define PSS_HASH_LEN 32

static const struct mechanism table[] = {
    {CKM_RSA_PKCS, DIGEST_NONE, JPKI_SCHEME_PKCS1, false, 1, JPKI_PKCS1_MAX_INPUT},
    {CKM_SHA1_RSA_PKCS, DIGEST_SHA1, JPKI_SCHEME_PKCS1, false, 0, 0},
    {CKM_SHA224_RSA_PKCS, DIGEST_SHA224, JPKI_SCHEME_PKCS1, false, 0, 0},
    {CKM_SHA256_RSA_PKCS, DIGEST_SHA256, JPKI_SCHEME_PKCS1, false, 0, 0},
    {CKM_SHA384_RSA_PKCS, DIGEST_SHA384, JPKI_SCHEME_PKCS1, false, 0, 0},
    {CKM_SHA512_RSA_PKCS, DIGEST_SHA512, JPKI_SCHEME_PKCS1, false, 0, 0},
    {CKM_RSA_PKCS_PSS, DIGEST_NONE, JPKI_SCHEME_PSS_SHA256, true, PSS_HASH_LEN, PSS_HASH_LEN},
    {CKM_SHA256_RSA_PKCS_PSS, DIGEST_SHA256, JPKI_SCHEME_PSS_SHA256, true, 0, 0},
};

_Static_assert(sizeof(table) / sizeof(table[0]) <= MECHANISM_MAX, "MECHANISM_MAX too small");

const struct mechanism *mechanism_find(CK_MECHANISM_TYPE type, bool pss_enabled)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].type == type && (!table[i].pss || pss_enabled))
			return &table[i];
	return NULL;
}

size_t mechanism_types(bool pss_enabled, CK_MECHANISM_TYPE *out)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!table[i].pss || pss_enabled)
			out[n++] = table[i].type;
	return n;
}

void mechanism_info(const struct mechanism *m, CK_MECHANISM_INFO *info)
{
	(void)m;
	info->ulMinKeySize = MECHANISM_KEY_BITS;
	info->ulMaxKeySize = MECHANISM_KEY_BITS;
	/* Signing happens on the card; verification in software with the certificate's key. */
	info->flags = CKF_HW | CKF_SIGN | CKF_VERIFY;
}

CK_RV mechanism_check(const CK_MECHANISM *mech, bool pss_enabled, const struct mechanism **out)
{
	const struct mechanism *m = mechanism_find(mech->mechanism, pss_enabled);

	if (m == NULL)
		return CKR_MECHANISM_INVALID;
	if (m->pss) {
		const CK_RSA_PKCS_PSS_PARAMS *p = mech->pParameter;

		if (p == NULL || mech->ulParameterLen != sizeof(*p))
			return CKR_MECHANISM_PARAM_INVALID;
		if (p->hashAlg != CKM_SHA256 || p->mgf != CKG_MGF1_SHA256 ||
		    p->sLen != PSS_HASH_LEN)
			return CKR_MECHANISM_PARAM_INVALID;
	} else if (mech->ulParameterLen != 0) {
		return CKR_MECHANISM_PARAM_INVALID;
	}
	*out = m;
	return CKR_OK;
}
