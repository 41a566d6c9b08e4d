/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Certificate bytes from the card: the DER length of a certificate EF (src/der.c), then the
 * PKCS#11 objects built from it (pkcs11/object.c: certificate, RSA public and private key)
 * and C_GetAttributeValue / C_FindObjects over their attributes (pkcs11/attrs.c).
 *
 * Input: one byte choosing the issuer (none, the input itself, or its second half), then the
 * certificate bytes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pkcs11/object.h"
#include "src/der.h"
#include "test/fuzz/fuzz.h"

static const CK_ATTRIBUTE_TYPE types[] = {CKA_CLASS,
					  CKA_TOKEN,
					  CKA_PRIVATE,
					  CKA_LABEL,
					  CKA_ID,
					  CKA_VALUE,
					  CKA_SUBJECT,
					  CKA_ISSUER,
					  CKA_SERIAL_NUMBER,
					  CKA_CHECK_VALUE,
					  CKA_START_DATE,
					  CKA_END_DATE,
					  CKA_PUBLIC_KEY_INFO,
					  CKA_HASH_OF_SUBJECT_PUBLIC_KEY,
					  CKA_HASH_OF_ISSUER_PUBLIC_KEY,
					  CKA_MODULUS,
					  CKA_PUBLIC_EXPONENT,
					  CKA_MODULUS_BITS,
					  CKA_ALLOWED_MECHANISMS,
					  CKA_PRIVATE_EXPONENT,
					  CKA_URL,
					  CKA_KEY_TYPE,
					  CKA_VENDOR_DEFINED};

/* Both calls of C_GetAttributeValue over a template of every type, then a self-match. */
static void walk(const struct object *o)
{
	enum { N = sizeof(types) / sizeof(types[0]) };
	CK_ATTRIBUTE t[N];
	CK_ULONG total = 0;
	uint8_t *buf, *p;

	for (size_t i = 0; i < N; i++)
		t[i] = (CK_ATTRIBUTE){types[i], NULL, 0};
	attrs_get(&o->attrs, t, N);
	for (size_t i = 0; i < N; i++)
		if (t[i].ulValueLen != CK_UNAVAILABLE_INFORMATION)
			total += t[i].ulValueLen;
	p = buf = malloc(total + 1);
	if (buf == NULL)
		return;
	for (size_t i = 0; i < N; i++) {
		if (t[i].ulValueLen == CK_UNAVAILABLE_INFORMATION)
			continue;
		t[i].pValue = p;
		p += t[i].ulValueLen;
	}
	attrs_get(&o->attrs, t, N);
	/* The values read back must match the object they came from. */
	for (size_t i = 0; i < N; i++) {
		if (t[i].pValue == NULL || t[i].ulValueLen == CK_UNAVAILABLE_INFORMATION)
			continue;
		if (!attrs_match(&o->attrs, &t[i], 1))
			abort();
	}
	free(buf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const CK_MECHANISM_TYPE mechs[] = {CKM_RSA_PKCS, CKM_SHA256_RSA_PKCS};
	const struct object_params p = {"fuzz", (const uint8_t *)"\x01", 1, false, true, mechs, 2};
	struct fz in = {data, size};
	const uint8_t *issuer = NULL;
	size_t issuer_len = 0, total = 0;
	struct object o;
	uint8_t mode = fz_u8(&in);

	for (size_t max = 2; max <= JPKI_DER_MAX; max *= 4)
		if (jpki_der_total_len(in.p, in.n, max, &total) == JPKI_OK &&
		    (total > max || total < 2))
			abort();
	if (mode % 3 == 1) {
		issuer = in.p;
		issuer_len = in.n;
	} else if (mode % 3 == 2) {
		issuer = in.p + in.n / 2;
		issuer_len = in.n - in.n / 2;
	}
	if (object_certificate(&o, in.p, in.n, issuer, issuer_len, 1 + mode % 2, &p) == CKR_OK) {
		walk(&o);
		object_free(&o);
	}
	if (object_public_key(&o, in.p, in.n, &p) == CKR_OK) {
		walk(&o);
		object_free(&o);
	}
	if (object_private_key(&o, in.p, in.n, &p) == CKR_OK) {
		walk(&o);
		object_free(&o);
	}
	return 0;
}
