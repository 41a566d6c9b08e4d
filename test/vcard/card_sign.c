/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * COMPUTE DIGITAL SIGNATURE 80 2A P1 P2 (jpki-card.md §5): P2 names the key (current EF or
 * SFI), P1 the scheme: 00 PKCS#1 v1.5 over the data as given, 01 over the bare SHA-256,
 * 02/03 over a SHA-256 DigestInfo (hash given / computed), 04/05 RSASSA-PSS SHA-256 with a
 * 32-byte salt (hash given / computed).
 */
#include "config.h"

#include <string.h>

#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "test/vcard/card_internal.h"

#define RSA_PKCS1_MAX_INPUT 245 /* k - 11 for RSA-2048 */
#define SIGNATURE_LEN	    256

static const uint8_t sha256_digest_info[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60,
					     0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
					     0x01, 0x05, 0x00, 0x04, 0x20};

struct scheme {
	bool hash_on_card; /* SHA-256 of the data is computed here */
	bool digest_info;  /* the hash is wrapped in a SHA-256 DigestInfo */
	bool pss;
	bool hash_given; /* the data must be exactly one SHA-256 */
};

static const struct scheme schemes[] = {
    [0x00] = {false, false, false, false}, [0x01] = {true, false, false, false},
    [0x02] = {false, true, false, true},   [0x03] = {true, true, false, false},
    [0x04] = {false, false, true, true},   [0x05] = {true, false, true, false},
};

static const struct scheme *find_scheme(const struct vcard *card, uint8_t p1)
{
	if (p1 == 0x00)
		return &schemes[0];
	if (p1 <= 0x03 && card->cfg.quirks.sign_schemes)
		return &schemes[p1];
	if ((p1 == 0x04 || p1 == 0x05) && card->cfg.quirks.sign_pss)
		return &schemes[p1];
	return NULL;
}

/* P2 80 = key of the current EF (6986 otherwise, unconfirmed §14.7), 97/9A = key by SFI. */
static uint16_t find_key(struct vcard *card, uint8_t p2, const struct vcard_ef **key)
{
	if (p2 == 0x80) {
		*key = card->current_ef;
		if (*key == NULL || (*key)->kind != VCARD_EF_KEY)
			return SW_NO_CURRENT_EF;
		return 0;
	}
	if ((p2 == 0x97 || p2 == 0x9A) && card->cfg.quirks.sign_key_by_sfi) {
		*key = vcard_fs_find(card, p2 & 0x1F);
		return *key == NULL ? SW_NOT_FOUND : 0;
	}
	return SW_WRONG_P1P2;
}

/* The bytes that go under the padding, or their length check (67 00 when wrong). */
static uint16_t prepare_input(const struct scheme *s, const struct vcard_apdu *apdu, uint8_t *buf,
			      size_t *len)
{
	uint8_t hash[SHA256_DIGEST_LENGTH];
	size_t n = 0;

	if (s->hash_given && apdu->lc != sizeof(hash))
		return SW_WRONG_LENGTH;
	if (!s->hash_on_card && !s->hash_given) {
		if (apdu->lc > RSA_PKCS1_MAX_INPUT)
			return SW_WRONG_LENGTH;
		memcpy(buf, apdu->data, apdu->lc);
		*len = apdu->lc;
		return 0;
	}
	if (s->hash_on_card)
		SHA256(apdu->data, apdu->lc, hash);
	else
		memcpy(hash, apdu->data, sizeof(hash));
	if (s->digest_info) {
		memcpy(buf, sha256_digest_info, sizeof(sha256_digest_info));
		n = sizeof(sha256_digest_info);
	}
	memcpy(buf + n, hash, sizeof(hash));
	*len = n + sizeof(hash);
	return 0;
}

/* The private-key operation; 0 on success. */
static int rsa_sign(EVP_PKEY *key, bool pss, const uint8_t *in, size_t in_len, uint8_t *sig,
		    size_t *sig_len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	int ok = ctx != NULL && EVP_PKEY_sign_init(ctx) == 1;

	if (ok && pss)
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, SHA256_DIGEST_LENGTH) == 1;
	else if (ok) /* no signature md: type-1 padding over the input as it is */
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;
	ok = ok && EVP_PKEY_sign(ctx, sig, sig_len, in, in_len) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

size_t vcard_cmd_sign(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp)
{
	const struct scheme *s = find_scheme(card, apdu->p1);
	const struct vcard_ef *key;
	uint8_t input[sizeof(sha256_digest_info) + SHA256_DIGEST_LENGTH + RSA_PKCS1_MAX_INPUT];
	size_t input_len, sig_len = SIGNATURE_LEN;
	uint16_t sw;

	/* Case 4 only, with room for the whole signature. */
	if (apdu->lc == 0 || !apdu->has_le || apdu->le < SIGNATURE_LEN)
		return vcard_sw(resp, 0, SW_WRONG_LENGTH);
	sw = find_key(card, apdu->p2, &key);
	if (sw != 0)
		return vcard_sw(resp, 0, sw);
	if (s == NULL && card->cfg.quirks.scheme_before_security)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	if (!*vcard_verified_flag(card, key->cred))
		return vcard_sw(resp, 0, SW_SECURITY_NOT_SATISFIED);
	if (s == NULL)
		return vcard_sw(resp, 0, SW_WRONG_P1P2);
	sw = prepare_input(s, apdu, input, &input_len);
	if (sw != 0)
		return vcard_sw(resp, 0, sw);
	if (EVP_PKEY_get_size(key->key) != SIGNATURE_LEN)
		return vcard_sw(resp, 0, SW_NO_DIAGNOSIS);
	card->rsa_ops = 1;
	if (rsa_sign(key->key, s->pss, input, input_len, resp, &sig_len) != 0 ||
	    sig_len != SIGNATURE_LEN)
		return vcard_sw(resp, 0, SW_NO_DIAGNOSIS);
	return vcard_sw(resp, sig_len, SW_OK);
}
