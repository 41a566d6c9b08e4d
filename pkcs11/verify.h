/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Signature verification in software (OpenSSL) with a public key object's key. */
#ifndef JPKI_PKCS11_VERIFY_H
#define JPKI_PKCS11_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#include "pkcs11/op_input.h"

struct verify_op {
	bool active;
	struct op_input in;
	EVP_PKEY *pkey;
};

/* spki: the key's DER SubjectPublicKeyInfo (CKA_PUBLIC_KEY_INFO). */
CK_RV verify_init(struct verify_op *op, const struct mechanism *m, const uint8_t *spki,
		  size_t spki_len);

/*
 * Checks sig against the input gathered so far: CKR_OK, CKR_SIGNATURE_INVALID or
 * CKR_SIGNATURE_LEN_RANGE (or CKR_DATA_LEN_RANGE for bad raw input).
 */
CK_RV verify_final(struct verify_op *op, const uint8_t *sig, size_t sig_len);

void verify_end(struct verify_op *op);

#endif
