/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Local PIN format checks and the memory of just-rejected PINs (keyed hashes only). */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "src/pin_policy.h"

#define AUTH_PIN_LEN 4
#define SIGN_PIN_MIN 6
#define SIGN_PIN_MAX 16

void jpki_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		OPENSSL_cleanse(p, len);
}

static bool is_digit(uint8_t ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_upper(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z';
}

enum jpki_rc jpki_pin_normalise(enum jpki_pin pin, const uint8_t *in, size_t in_len, char *out,
				size_t *out_len)
{
	if ((in == NULL && in_len > 0) || out == NULL || out_len == NULL)
		return JPKI_ERR_ARGS;
	*out_len = 0;
	switch (pin) {
	case JPKI_PIN_AUTH:
		if (in_len != AUTH_PIN_LEN)
			return JPKI_ERR_PIN_LENGTH;
		for (size_t i = 0; i < in_len; i++)
			if (!is_digit(in[i]))
				return JPKI_ERR_PIN_FORMAT;
		memcpy(out, in, in_len);
		break;
	case JPKI_PIN_SIGN:
		if (in_len < SIGN_PIN_MIN || in_len > SIGN_PIN_MAX)
			return JPKI_ERR_PIN_LENGTH;
		/* The card compares bytes: lower case would burn a try (jpki-card.md §4.1). */
		for (size_t i = 0; i < in_len; i++) {
			uint8_t ch = in[i];

			if (ch >= 'a' && ch <= 'z')
				ch = (uint8_t)(ch - 'a' + 'A');
			if (!is_digit(ch) && !is_upper(ch)) {
				jpki_wipe(out, in_len);
				return JPKI_ERR_PIN_FORMAT;
			}
			out[i] = (char)ch;
		}
		break;
	default:
		return JPKI_ERR_ARGS;
	}
	*out_len = in_len;
	return JPKI_OK;
}

enum jpki_rc jpki_pin_check_new(enum jpki_pin pin, const char *value, size_t len)
{
	char norm[JPKI_PIN_MAX_LEN];
	size_t norm_len = 0;
	bool letter = false, digit = false;
	enum jpki_rc rc;

	rc = jpki_pin_normalise(pin, (const uint8_t *)value, len, norm, &norm_len);
	if (rc == JPKI_OK && pin == JPKI_PIN_SIGN) {
		for (size_t i = 0; i < norm_len; i++) {
			letter = letter || is_upper((uint8_t)norm[i]);
			digit = digit || is_digit((uint8_t)norm[i]);
		}
		if (!letter || !digit)
			rc = JPKI_ERR_PIN_FORMAT;
	}
	jpki_wipe(norm, sizeof(norm));
	return rc;
}

void jpki_pin_guard_init(struct jpki_pin_guard *g)
{
	memset(g, 0, sizeof(*g));
	g->keyed = RAND_bytes(g->key, sizeof(g->key)) == 1;
}

void jpki_pin_guard_wipe(struct jpki_pin_guard *g)
{
	jpki_wipe(g, sizeof(*g));
}

static bool guard_mac(const struct jpki_pin_guard *g, const char *value, size_t len,
		      uint8_t mac[32])
{
	size_t mac_len = 0;

	return g->keyed &&
	       EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, g->key, sizeof(g->key),
			 (const unsigned char *)value, len, mac, 32, &mac_len) != NULL &&
	       mac_len == 32;
}

static bool pin_index_ok(enum jpki_pin pin)
{
	return pin == JPKI_PIN_AUTH || pin == JPKI_PIN_SIGN;
}

void jpki_pin_guard_rejected(struct jpki_pin_guard *g, enum jpki_pin pin, const char *value,
			     size_t len, int tries_left)
{
	if (!pin_index_ok(pin))
		return;
	g->armed[pin] = guard_mac(g, value, len, g->mac[pin]);
	g->tries_after[pin] = tries_left;
}

void jpki_pin_guard_clear(struct jpki_pin_guard *g, enum jpki_pin pin)
{
	if (!pin_index_ok(pin))
		return;
	g->armed[pin] = false;
	jpki_wipe(g->mac[pin], sizeof(g->mac[pin]));
}

bool jpki_pin_guard_blocks(const struct jpki_pin_guard *g, enum jpki_pin pin, const char *value,
			   size_t len, int tries_left)
{
	uint8_t mac[32];
	bool same;

	if (!pin_index_ok(pin) || !g->armed[pin] || g->tries_after[pin] != tries_left)
		return false;
	same = guard_mac(g, value, len, mac) && CRYPTO_memcmp(mac, g->mac[pin], sizeof(mac)) == 0;
	jpki_wipe(mac, sizeof(mac));
	return same;
}
