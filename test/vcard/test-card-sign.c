/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card model: COMPUTE DIGITAL SIGNATURE 80 2A (jpki-card.md §5). Every signature is checked with
 * OpenSSL against the public key of the certificate the card carries.
 */
#include "config.h"

#include <string.h>

#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "test/vcard/test-util.h"

#define SIG_LEN 256

static const uint8_t sha256_prefix[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

static uint8_t cmd[VCARD_RESP_MAX + 16];

static struct vcard_config config(void)
{
	struct vcard_config cfg;

	vcard_config_defaults(&cfg);
	return cfg;
}

static struct tu_card *jpki_card(const struct vcard_config *cfg)
{
	struct tu_card *tc = tu_card_new(cfg);

	tu_select_jpki(tc);
	return tc;
}

static EVP_PKEY *cert_key(const uint8_t *der, size_t len)
{
	const uint8_t *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	EVP_PKEY *key;

	ck_assert_ptr_nonnull(x);
	key = X509_get_pubkey(x);
	ck_assert_ptr_nonnull(key);
	X509_free(x);
	return key;
}

static EVP_PKEY *auth_pub(unsigned identity)
{
	return cert_key(tu_pki[identity].auth_cert, tu_pki[identity].auth_cert_len);
}

static EVP_PKEY *sign_pub(unsigned identity)
{
	return cert_key(tu_pki[identity].sign_cert, tu_pki[identity].sign_cert_len);
}

/* 80 2A P1 P2 with Le 256; short when the data fits, else extended. */
static uint16_t sign(struct tu_card *tc, uint8_t p1, uint8_t p2, const uint8_t *data, size_t len)
{
	uint16_t sw =
	    tu_send(tc, cmd, tu_build(cmd, 0x80, 0x2A, p1, p2, data, len, 256, len > 255));

	if (sw == 0x9000) {
		ck_assert_uint_eq(tu_data_len(tc), SIG_LEN);
		ck_assert_uint_eq(vcard_last_rsa_ops(tc->card), 1);
	} else {
		ck_assert_uint_eq(tu_data_len(tc), 0);
		ck_assert_uint_eq(vcard_last_rsa_ops(tc->card), 0);
	}
	return sw;
}

static void set_pss(EVP_PKEY_CTX *ctx)
{
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32), 1);
}

/*
 * EVP_PKEY_verify over tbs: md NULL = PKCS#1 v1.5 over tbs as it is (what the card got for
 * P1 00), md set = tbs is that hash (DigestInfo added by OpenSSL, or PSS).
 */
static bool verify_tbs(EVP_PKEY *key, const EVP_MD *md, bool pss, const uint8_t *tbs,
		       size_t tbs_len, const uint8_t *sig)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	int rc;

	ck_assert_int_eq(EVP_PKEY_verify_init(ctx), 1);
	if (pss)
		set_pss(ctx);
	else
		ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1);
	if (md)
		ck_assert_int_eq(EVP_PKEY_CTX_set_signature_md(ctx, md), 1);
	rc = EVP_PKEY_verify(ctx, sig, SIG_LEN, tbs, tbs_len);
	EVP_PKEY_CTX_free(ctx);
	return rc == 1;
}

/* sha256WithRSAEncryption (or RSASSA-PSS SHA-256 salt 32) over the message. */
static bool verify_message(EVP_PKEY *key, bool pss, const uint8_t *msg, size_t len,
			   const uint8_t *sig)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	int rc;

	ck_assert_int_eq(EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, key), 1);
	if (pss)
		set_pss(pctx);
	rc = EVP_DigestVerify(md, sig, SIG_LEN, msg, len);
	EVP_MD_CTX_free(md);
	return rc == 1;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static size_t digest_info(const uint8_t *msg, size_t len, uint8_t *out)
{
	memcpy(out, sha256_prefix, sizeof(sha256_prefix));
	SHA256(msg, len, out + sizeof(sha256_prefix));
	return sizeof(sha256_prefix) + 32;
}

/* The traces of §6: PIN, SELECT key, sign a SHA-256 DigestInfo. */
START_TEST(test_standard_trace)
{
	struct tu_card *tc = jpki_card(NULL);
	EVP_PKEY *auth = auth_pub(0), *signk = sign_pub(0);
	uint8_t msg[100], di[64];
	size_t di_len;

	fill(msg, sizeof(msg), 1);
	di_len = digest_info(msg, sizeof(msg), di);
	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C3);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80 04 31 32 33 34"), 0x9000);
	tu_select_ef(tc, 0x0017);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, di, di_len), 0x9000);
	ck_assert(verify_message(auth, false, msg, sizeof(msg), tc->resp));
	ck_assert(!verify_message(signk, false, msg, sizeof(msg), tc->resp));
	/* Several signatures after one VERIFY. */
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, di, di_len), 0x9000);
	ck_assert(verify_message(auth, false, msg, sizeof(msg), tc->resp));

	tu_select_ef(tc, 0x001B);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80 08 50 41 53 53 31 32 33 34"), 0x9000);
	tu_select_ef(tc, 0x001A);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, di, di_len), 0x9000);
	ck_assert(verify_message(signk, false, msg, sizeof(msg), tc->resp));
	ck_assert(!verify_message(auth, false, msg, sizeof(msg), tc->resp));
	EVP_PKEY_free(auth);
	EVP_PKEY_free(signk);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_p1_00_lengths)
{
	static const size_t lens[] = {1, 35, 51, 83, 200, 245};
	struct tu_card *tc = jpki_card(NULL);
	EVP_PKEY *auth = auth_pub(0);
	uint8_t data[400];

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		fill(data, lens[i], (uint8_t)i);
		ck_assert_uint_eq(sign(tc, 0x00, 0x97, data, lens[i]), 0x9000);
		ck_assert(verify_tbs(auth, NULL, false, data, lens[i], tc->resp));
	}
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, data, 246), 0x6700);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, data, 255), 0x6700);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, data, 300), 0x6700); /* extended */
	EVP_PKEY_free(auth);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_p1_01_bare_hash)
{
	struct tu_card *tc = jpki_card(NULL);
	EVP_PKEY *auth = auth_pub(0);
	uint8_t msg[1000], hash[32];

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	fill(msg, sizeof(msg), 3);
	SHA256(msg, 100, hash);
	ck_assert_uint_eq(sign(tc, 0x01, 0x97, msg, 100), 0x9000);
	ck_assert(verify_tbs(auth, NULL, false, hash, 32, tc->resp));
	ck_assert(!verify_message(auth, false, msg, 100, tc->resp)); /* no DigestInfo */
	SHA256(msg, sizeof(msg), hash);
	ck_assert_uint_eq(sign(tc, 0x01, 0x97, msg, sizeof(msg)), 0x9000);
	ck_assert(verify_tbs(auth, NULL, false, hash, 32, tc->resp));
	EVP_PKEY_free(auth);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_p1_02_hash_digest_info)
{
	struct tu_card *tc = jpki_card(NULL);
	EVP_PKEY *auth = auth_pub(0);
	uint8_t msg[64], hash[33];

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	fill(msg, sizeof(msg), 5);
	SHA256(msg, sizeof(msg), hash);
	ck_assert_uint_eq(sign(tc, 0x02, 0x97, hash, 32), 0x9000);
	ck_assert(verify_tbs(auth, EVP_sha256(), false, hash, 32, tc->resp));
	ck_assert(verify_message(auth, false, msg, sizeof(msg), tc->resp));
	ck_assert_uint_eq(sign(tc, 0x02, 0x97, hash, 31), 0x6700);
	ck_assert_uint_eq(sign(tc, 0x02, 0x97, hash, 33), 0x6700);
	EVP_PKEY_free(auth);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_p1_03_sha256_rsa)
{
	struct tu_card *tc = jpki_card(NULL);
	EVP_PKEY *signk = sign_pub(0);
	uint8_t msg[2000];

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	fill(msg, sizeof(msg), 9);
	ck_assert_uint_eq(sign(tc, 0x03, 0x9A, msg, 255), 0x9000);
	ck_assert(verify_message(signk, false, msg, 255, tc->resp));
	ck_assert_uint_eq(sign(tc, 0x03, 0x9A, msg, 1), 0x9000);
	ck_assert(verify_message(signk, false, msg, 1, tc->resp));
	ck_assert_uint_eq(sign(tc, 0x03, 0x9A, msg, sizeof(msg)), 0x9000); /* extended Lc */
	ck_assert(verify_message(signk, false, msg, sizeof(msg), tc->resp));
	EVP_PKEY_free(signk);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_p1_04_pss_hash)
{
	struct tu_card *tc = jpki_card(NULL);
	EVP_PKEY *auth = auth_pub(0);
	uint8_t msg[50], hash[33], first[SIG_LEN];

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	fill(msg, sizeof(msg), 11);
	SHA256(msg, sizeof(msg), hash);
	ck_assert_uint_eq(sign(tc, 0x04, 0x97, hash, 32), 0x9000);
	ck_assert(verify_tbs(auth, EVP_sha256(), true, hash, 32, tc->resp));
	ck_assert(verify_message(auth, true, msg, sizeof(msg), tc->resp));
	ck_assert(!verify_tbs(auth, EVP_sha256(), false, hash, 32, tc->resp));
	memcpy(first, tc->resp, SIG_LEN);
	/* Random salt: a second signature differs and verifies too. */
	ck_assert_uint_eq(sign(tc, 0x04, 0x97, hash, 32), 0x9000);
	ck_assert_mem_ne(first, tc->resp, SIG_LEN);
	ck_assert(verify_tbs(auth, EVP_sha256(), true, hash, 32, tc->resp));
	ck_assert_uint_eq(sign(tc, 0x04, 0x97, hash, 31), 0x6700);
	ck_assert_uint_eq(sign(tc, 0x04, 0x97, hash, 33), 0x6700);
	EVP_PKEY_free(auth);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_p1_05_pss_message)
{
	struct tu_card *tc = jpki_card(NULL);
	EVP_PKEY *signk = sign_pub(0);
	uint8_t msg[700], first[SIG_LEN];

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	fill(msg, sizeof(msg), 13);
	ck_assert_uint_eq(sign(tc, 0x05, 0x9A, msg, 200), 0x9000);
	ck_assert(verify_message(signk, true, msg, 200, tc->resp));
	memcpy(first, tc->resp, SIG_LEN);
	ck_assert_uint_eq(sign(tc, 0x05, 0x9A, msg, 200), 0x9000);
	ck_assert_mem_ne(first, tc->resp, SIG_LEN);
	ck_assert(verify_message(signk, true, msg, 200, tc->resp));
	ck_assert_uint_eq(sign(tc, 0x05, 0x9A, msg, sizeof(msg)), 0x9000);
	ck_assert(verify_message(signk, true, msg, sizeof(msg), tc->resp));
	EVP_PKEY_free(signk);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_key_by_sfi_is_identical)
{
	struct tu_card *tc = jpki_card(NULL);
	uint8_t msg[10], di[64], by_select[SIG_LEN];
	size_t di_len;

	fill(msg, sizeof(msg), 17);
	di_len = digest_info(msg, sizeof(msg), di);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);

	tu_select_ef(tc, 0x0017);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, di, di_len), 0x9000);
	memcpy(by_select, tc->resp, SIG_LEN);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, di, di_len), 0x9000);
	ck_assert_mem_eq(by_select, tc->resp, SIG_LEN);

	tu_select_ef(tc, 0x001A);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, di, di_len), 0x9000);
	memcpy(by_select, tc->resp, SIG_LEN);
	ck_assert_uint_eq(sign(tc, 0x00, 0x9A, di, di_len), 0x9000);
	ck_assert_mem_eq(by_select, tc->resp, SIG_LEN);
	/* The SFI form leaves the current EF alone: P2 80 still means 001A. */
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, di, di_len), 0x9000);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, di, di_len), 0x9000);
	ck_assert_mem_eq(by_select, tc->resp, SIG_LEN);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_schemes_disabled)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;
	uint8_t hash[32] = {1};

	cfg.quirks.sign_schemes = false;
	tc = jpki_card(&cfg);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	ck_assert_uint_eq(sign(tc, 0x01, 0x97, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x02, 0x97, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x03, 0x97, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x9000);
	ck_assert_uint_eq(sign(tc, 0x04, 0x97, hash, 32), 0x9000);
	tu_card_free(tc);

	cfg = config();
	cfg.quirks.sign_pss = false;
	tc = jpki_card(&cfg);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	ck_assert_uint_eq(sign(tc, 0x04, 0x97, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x05, 0x97, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x03, 0x97, hash, 32), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_unknown_scheme)
{
	static const uint8_t p1s[] = {0x06, 0x07, 0x10, 0x80, 0x81, 0xFF};
	struct tu_card *tc = jpki_card(NULL);
	uint8_t hash[32] = {2};

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	for (size_t i = 0; i < sizeof(p1s); i++)
		ck_assert_uint_eq(sign(tc, p1s[i], 0x97, hash, 32), 0x6A86);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_security_status)
{
	struct tu_card *tc = jpki_card(NULL);
	uint8_t hash[32] = {3};

	/* Nothing verified. */
	tu_select_ef(tc, 0x0017);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x6982);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x6982);
	ck_assert_uint_eq(sign(tc, 0x00, 0x9A, hash, 32), 0x6982);
	/* Only the auth PIN: the sign key stays closed. */
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	tu_select_ef(tc, 0x001A);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x6982);
	ck_assert_uint_eq(sign(tc, 0x00, 0x9A, hash, 32), 0x6982);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x9000);
	/* Only the sign password: the auth key stays closed. */
	tu_select_jpki(tc);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x6982);
	ck_assert_uint_eq(sign(tc, 0x00, 0x9A, hash, 32), 0x9000);
	/* A wrong PIN ends it. */
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B 06 57 52 4F 4E 47 31"), 0x63C4);
	ck_assert_uint_eq(sign(tc, 0x00, 0x9A, hash, 32), 0x6982);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_check_order)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;
	uint8_t hash[32] = {4};

	/* Default: the security status before the scheme. */
	tc = jpki_card(NULL);
	ck_assert_uint_eq(sign(tc, 0x06, 0x97, hash, 32), 0x6982);
	ck_assert_uint_eq(sign(tc, 0x02, 0x97, hash, 31), 0x6982);
	tu_card_free(tc);

	cfg.quirks.scheme_before_security = true;
	cfg.quirks.sign_pss = false;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(sign(tc, 0x06, 0x97, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x04, 0x97, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x6982);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_key_reference_errors)
{
	struct vcard_config cfg = config();
	struct tu_card *tc = tu_card_new(NULL);
	uint8_t hash[32] = {5};

	/* MF level. */
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x6986);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x6A82);
	tu_select_jpki(tc);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	tu_select_jpki(tc);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x6986);
	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x6986);
	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x6986);
	tu_select_ef(tc, 0x000A);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x6986);
	ck_assert_uint_eq(sign(tc, 0x00, 0x00, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x00, 0x81, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x00, 0x98, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x00, 0x9B, hash, 32), 0x6A86);
	ck_assert_uint_eq(sign(tc, 0x00, 0x17, hash, 32), 0x6A86);
	tu_card_free(tc);

	cfg.quirks.sign_key_by_sfi = false;
	tc = jpki_card(&cfg);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x6A86);
	tu_select_ef(tc, 0x0017);
	ck_assert_uint_eq(sign(tc, 0x00, 0x80, hash, 32), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_length_errors)
{
	struct tu_card *tc = jpki_card(NULL);
	uint8_t hash[32] = {6};

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	ck_assert_uint_eq(tu_sendf(tc, "80 2A 00 97"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "80 2A 00 97 00"), 0x6700);
	/* No Le, or a Le below the signature size. */
	ck_assert_uint_eq(tu_send(tc, cmd, tu_build(cmd, 0x80, 0x2A, 0, 0x97, hash, 32, 0, false)),
			  0x6700);
	ck_assert_uint_eq(
	    tu_send(tc, cmd, tu_build(cmd, 0x80, 0x2A, 0, 0x97, hash, 32, 0x80, false)), 0x6700);
	ck_assert_uint_eq(tu_send(tc, cmd, tu_build(cmd, 0x80, 0x2A, 0, 0x97, hash, 32, 255, true)),
			  0x6700);
	/* Extended Le 0000 (65536) is room enough. */
	ck_assert_uint_eq(
	    tu_send(tc, cmd, tu_build(cmd, 0x80, 0x2A, 0, 0x97, hash, 32, 65536, true)), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), SIG_LEN);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_profile_minor)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;
	EVP_PKEY *auth = auth_pub(0);
	uint8_t msg[32] = {7};

	cfg.profile = VCARD_PROFILE_MINOR;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(sign(tc, 0x03, 0x9A, msg, 32), 0x6A82);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	ck_assert_uint_eq(sign(tc, 0x03, 0x9A, msg, 32), 0x6A82);
	ck_assert_uint_eq(sign(tc, 0x03, 0x97, msg, 32), 0x9000);
	ck_assert(verify_message(auth, false, msg, 32, tc->resp));
	EVP_PKEY_free(auth);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_profile_juki)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;
	EVP_PKEY *signk = sign_pub(0);
	uint8_t msg[32] = {8};

	cfg.profile = VCARD_PROFILE_JUKI;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(sign(tc, 0x03, 0x97, msg, 32), 0x6A82);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	ck_assert_uint_eq(sign(tc, 0x03, 0x97, msg, 32), 0x6A82);
	tu_select_ef(tc, 0x001A);
	ck_assert_uint_eq(sign(tc, 0x03, 0x80, msg, 32), 0x9000);
	ck_assert(verify_message(signk, false, msg, 32, tc->resp));
	EVP_PKEY_free(signk);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_second_identity)
{
	struct tu_card *tc = tu_card_new_identity(NULL, 1);
	EVP_PKEY *mine = auth_pub(1), *other = auth_pub(0);
	uint8_t msg[20] = {9};

	tu_select_jpki(tc);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	ck_assert_uint_eq(sign(tc, 0x03, 0x97, msg, sizeof(msg)), 0x9000);
	ck_assert(verify_message(mine, false, msg, sizeof(msg), tc->resp));
	ck_assert(!verify_message(other, false, msg, sizeof(msg), tc->resp));
	EVP_PKEY_free(mine);
	EVP_PKEY_free(other);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_rsa_ops_reset)
{
	struct tu_card *tc = jpki_card(NULL);
	uint8_t hash[32] = {10};

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	ck_assert_uint_eq(sign(tc, 0x00, 0x97, hash, 32), 0x9000);
	ck_assert_uint_eq(vcard_last_rsa_ops(tc->card), 1);
	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(vcard_last_rsa_ops(tc->card), 0);
	tu_card_free(tc);
}
END_TEST

static Suite *sign_suite(void)
{
	Suite *s = suite_create("vcard-sign");
	TCase *tc;

	tc = tcase_create("schemes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_standard_trace);
	tcase_add_test(tc, test_p1_00_lengths);
	tcase_add_test(tc, test_p1_01_bare_hash);
	tcase_add_test(tc, test_p1_02_hash_digest_info);
	tcase_add_test(tc, test_p1_03_sha256_rsa);
	tcase_add_test(tc, test_p1_04_pss_hash);
	tcase_add_test(tc, test_p1_05_pss_message);
	tcase_add_test(tc, test_key_by_sfi_is_identical);
	tcase_add_test(tc, test_schemes_disabled);
	tcase_add_test(tc, test_unknown_scheme);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_security_status);
	tcase_add_test(tc, test_check_order);
	tcase_add_test(tc, test_key_reference_errors);
	tcase_add_test(tc, test_length_errors);
	tcase_add_test(tc, test_rsa_ops_reset);
	suite_add_tcase(s, tc);

	tc = tcase_create("profiles");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_profile_minor);
	tcase_add_test(tc, test_profile_juki);
	tcase_add_test(tc, test_second_identity);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	tu_pki_init();
	rc = tu_run(sign_suite());
	tu_pki_cleanup();
	return rc;
}
