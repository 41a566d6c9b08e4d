/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "pkcs11/digest_info.h"

/* DER of DigestInfo up to the hash's OCTET STRING header (RFC 8017 §9.2, note 1). */
static const uint8_t prefix_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
				      0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
static const uint8_t prefix_sha224[] = {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c};
static const uint8_t prefix_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t prefix_sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t prefix_sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};

static const struct {
	const uint8_t *prefix;
	size_t prefix_len;
	size_t hash_len;
} table[] = {
    [DIGEST_NONE] = {NULL, 0, 0},
    [DIGEST_SHA1] = {prefix_sha1, sizeof(prefix_sha1), 20},
    [DIGEST_SHA224] = {prefix_sha224, sizeof(prefix_sha224), 28},
    [DIGEST_SHA256] = {prefix_sha256, sizeof(prefix_sha256), 32},
    [DIGEST_SHA384] = {prefix_sha384, sizeof(prefix_sha384), 48},
    [DIGEST_SHA512] = {prefix_sha512, sizeof(prefix_sha512), 64},
};

const EVP_MD *digest_md(enum digest_kind kind)
{
	switch (kind) {
	case DIGEST_SHA1:
		return EVP_sha1();
	case DIGEST_SHA224:
		return EVP_sha224();
	case DIGEST_SHA256:
		return EVP_sha256();
	case DIGEST_SHA384:
		return EVP_sha384();
	case DIGEST_SHA512:
		return EVP_sha512();
	case DIGEST_NONE:
		break;
	}
	return NULL;
}

size_t digest_len(enum digest_kind kind)
{
	return table[kind].hash_len;
}

bool digest_info_build(enum digest_kind kind, const uint8_t *hash, size_t hash_len, uint8_t *out,
		       size_t *out_len)
{
	if (kind == DIGEST_NONE || hash_len != table[kind].hash_len)
		return false;
	memcpy(out, table[kind].prefix, table[kind].prefix_len);
	memcpy(out + table[kind].prefix_len, hash, hash_len);
	*out_len = table[kind].prefix_len + hash_len;
	return true;
}
