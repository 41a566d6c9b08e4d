/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The input side of a sign or verify operation: single- or multi-part data, hashed on the host
 * for the CKM_SHAx mechanisms or collected as given for CKM_RSA_PKCS(_PSS), and turned into
 * what the RSA operation covers (a DigestInfo for PKCS#1 v1.5, the SHA-256 hash for PSS).
 */
#ifndef JPKI_PKCS11_OP_INPUT_H
#define JPKI_PKCS11_OP_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#include "pkcs11/mechanism.h"

/* The card's largest PKCS#1 input; covers every DigestInfo and the PSS hash. */
#define OP_INPUT_MAX JPKI_PKCS1_MAX_INPUT

struct op_input {
	const struct mechanism *mech;
	EVP_MD_CTX *md; /* hash mechanisms */
	uint8_t buf[OP_INPUT_MAX];
	size_t len;
	bool multi; /* C_xUpdate was called: C_Sign / C_Verify may no longer finish it */
};

CK_RV op_input_init(struct op_input *in, const struct mechanism *m);
/* CKR_DATA_LEN_RANGE when raw input outgrows what the mechanism takes. */
CK_RV op_input_update(struct op_input *in, const uint8_t *data, size_t len);
/* What the RSA operation covers, into out (OP_INPUT_MAX bytes). CKR_DATA_LEN_RANGE if bad. */
CK_RV op_input_final(struct op_input *in, uint8_t *out, size_t *out_len);
void op_input_free(struct op_input *in);

#endif
