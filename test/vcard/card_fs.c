/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The files of the JPKI application per profile (jpki-card.md §3.1): which EFs exist, what the
 * data EFs hold (token information §3.2, certificate map, certificates with filler §3.3).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test/vcard/card_internal.h"

enum cert_slot { CERT_SIGN, CERT_SIGN_CA, CERT_AUTH, CERT_AUTH_CA };

/* A space-padded PKCS#11 text field; text may lack a NUL within width. */
static void put_text(uint8_t *dst, size_t width, const char *text)
{
	size_t n = 0;

	for (; n < width && text[n] != '\0'; n++)
		dst[n] = (uint8_t)text[n];
	memset(dst + n, ' ', width - n);
}

static void put_be32(uint8_t *dst, uint32_t v)
{
	dst[0] = (uint8_t)(v >> 24);
	dst[1] = (uint8_t)(v >> 16);
	dst[2] = (uint8_t)(v >> 8);
	dst[3] = (uint8_t)v;
}

/* EF 0006: a CK_TOKEN_INFO with 4-byte big-endian CK_ULONGs, values as on a physical card. */
static void build_token_info(struct vcard *card)
{
	uint8_t *t = card->token_info;
	const char *label =
	    card->cfg.profile == VCARD_PROFILE_JUKI ? "JPKIAPICCTOKEN" : "JPKIAPICCTOKEN2";
	static const uint32_t words[] = {
	    0x0000040D, /* flags: RNG, LOGIN_REQUIRED, USER_PIN_INITIALIZED, TOKEN_INITIALIZED */
	    1,		/* maxSessionCount */
	    0,		/* sessionCount */
	    1,		/* maxRwSessionCount */
	    0,		/* rwSessionCount */
	    16,		/* maxPinLen */
	    6,		/* minPinLen */
	    0xFFFFFFFF, /* total/free public/private memory: CK_UNAVAILABLE_INFORMATION */
	    0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
	};

	put_text(t, 32, label);
	put_text(t + 32, 32, "00000000000000000000000000000001");
	put_text(t + 64, 16, "E16R01NJ");
	put_text(t + 80, 16, card->id->token_serial);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		put_be32(t + 96 + 4 * i, words[i]);
	memcpy(t + 140, "03", 2); /* hardwareVersion, ASCII on the card */
	memcpy(t + 142, "01", 2); /* firmwareVersion */
	memset(t + 144, '0', 16); /* utcTime: no clock on the token (our choice of content) */
}

/* Physical size of a certificate EF: configured, or DER rounded up to 256 plus one block. */
static size_t cert_ef_size(const struct vcard *card, size_t der_len)
{
	if (card->cfg.quirks.cert_ef_size >= der_len)
		return card->cfg.quirks.cert_ef_size;
	return (der_len + 255) / 256 * 256 + 256;
}

static struct vcard_ef *add_ef(struct vcard *card, uint16_t fid, enum vcard_ef_kind kind,
			       enum vcard_cred cred)
{
	struct vcard_ef *ef = &card->efs[card->n_efs++];

	*ef = (struct vcard_ef){.fid = fid, .kind = kind, .cred = cred};
	return ef;
}

static int add_cert(struct vcard *card, enum cert_slot slot, uint16_t fid, enum vcard_cred cred,
		    const uint8_t *der, size_t der_len)
{
	struct vcard_ef *ef;
	size_t size;
	uint8_t *buf;

	if (der == NULL || der_len == 0)
		return 0;
	size = cert_ef_size(card, der_len);
	buf = malloc(size);
	if (buf == NULL)
		return -1;
	memcpy(buf, der, der_len);
	memset(buf + der_len, card->cfg.quirks.cert_filler, size - der_len);
	card->cert_efs[slot] = buf;
	ef = add_ef(card, fid, VCARD_EF_DATA, cred);
	ef->data = buf;
	ef->len = size;
	return 0;
}

static void add_key(struct vcard *card, uint16_t fid, enum vcard_cred cred, EVP_PKEY *key)
{
	if (key != NULL)
		add_ef(card, fid, VCARD_EF_KEY, cred)->key = key;
}

int vcard_fs_init(struct vcard *card)
{
	const struct vcard_identity *id = card->id;
	bool has_sign = card->cfg.profile != VCARD_PROFILE_MINOR;
	bool has_auth = card->cfg.profile != VCARD_PROFILE_JUKI;
	struct vcard_ef *ef;

	build_token_info(card);
	/* Byte 0 tells of the sign certificate, byte 1 of the auth certificate (§3.1, §9.15). */
	card->cert_map[0] = has_sign ? 0x8F : 0x00;
	card->cert_map[1] = has_auth ? 0x8F : 0x00;
	card->cert_map[2] = 0x00;

	ef = add_ef(card, 0x0006, VCARD_EF_DATA, VCARD_CRED_NONE);
	ef->data = card->token_info;
	ef->len = sizeof(card->token_info);
	ef = add_ef(card, 0x0008, VCARD_EF_DATA, VCARD_CRED_NONE);
	ef->data = card->cert_map;
	ef->len = sizeof(card->cert_map);
	add_ef(card, 0x0009, VCARD_EF_INTERNAL, VCARD_CRED_NONE);
	add_ef(card, 0x0016, VCARD_EF_INTERNAL, VCARD_CRED_NONE);

	if (add_cert(card, CERT_SIGN_CA, 0x0002, VCARD_CRED_NONE, id->sign_ca, id->sign_ca_len))
		return -1;
	if (has_sign) {
		if (add_cert(card, CERT_SIGN, 0x0001, VCARD_CRED_SIGN, id->sign_cert,
			     id->sign_cert_len))
			return -1;
		add_key(card, 0x001A, VCARD_CRED_SIGN, id->sign_key);
		add_ef(card, 0x001B, VCARD_EF_PIN, VCARD_CRED_SIGN);
	} else if (card->cfg.profile == VCARD_PROFILE_MINOR && card->cfg.quirks.minor_sign_pin) {
		/* Whether an under-15 card still carries the password EF is unknown (doc/vcard.md).
		 */
		add_ef(card, 0x001B, VCARD_EF_PIN, VCARD_CRED_SIGN);
	}
	if (has_auth) {
		if (add_cert(card, CERT_AUTH, 0x000A, VCARD_CRED_NONE, id->auth_cert,
			     id->auth_cert_len) ||
		    add_cert(card, CERT_AUTH_CA, 0x000B, VCARD_CRED_NONE, id->auth_ca,
			     id->auth_ca_len))
			return -1;
		add_key(card, 0x0017, VCARD_CRED_AUTH, id->auth_key);
		add_ef(card, 0x0018, VCARD_EF_PIN, VCARD_CRED_AUTH);
	}
	return 0;
}

void vcard_fs_free(struct vcard *card)
{
	for (size_t i = 0; i < sizeof(card->cert_efs) / sizeof(card->cert_efs[0]); i++) {
		free(card->cert_efs[i]);
		card->cert_efs[i] = NULL;
	}
}

const struct vcard_ef *vcard_fs_find(const struct vcard *card, uint16_t fid)
{
	if (!card->jpki_selected)
		return NULL;
	for (size_t i = 0; i < card->n_efs; i++)
		if (card->efs[i].fid == fid)
			return &card->efs[i];
	return NULL;
}
