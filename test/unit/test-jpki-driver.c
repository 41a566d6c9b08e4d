/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JPKI driver against the virtual card model through the in-process transport: probe,
 * certificate reads, PINs, signatures (checked with OpenSSL), logout, resets, the APDU counts
 * of the main flows, malformed answers, and every card behaviour the reference allows.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "src/jpki.h"
#include "test/api/transport_vcard.h"
#include "test/vcard/pki.h"
#include "test/vcard/state.h"

/* PINs chosen so that their bytes cannot turn up by chance in certificates or signatures. */
#define AUTH_PIN     "7391"
#define SIGN_PIN     "QX7Z5K2W"
#define NEW_AUTH_PIN "8062"

static struct vcard_pki pki;

struct bench {
	struct vt *vt;
	struct jpki_transport *t;
	struct vcard_config cfg;
	struct vcard_identity id;
	struct vcard_pins pins;
	struct jpki_card *card;
};
static struct bench b;

static void bench_insert(enum vcard_profile profile, const struct vcard_quirks *q)
{
	vcard_config_defaults(&b.cfg);
	b.cfg.profile = profile;
	if (q != NULL)
		b.cfg.quirks = *q;
	vcard_pki_identity(&pki, profile, &b.id);
	vcard_state_defaults(&b.pins);
	snprintf(b.pins.auth_pin, sizeof(b.pins.auth_pin), "%s", AUTH_PIN);
	snprintf(b.pins.sign_pin, sizeof(b.pins.sign_pin), "%s", SIGN_PIN);
	ck_assert_int_eq(vt_insert(b.vt, 0, &b.cfg, &b.id, &b.pins), 0);
}

static void bench_start(enum vcard_profile profile, const struct vcard_quirks *q)
{
	memset(&b, 0, sizeof(b));
	b.vt = vt_new();
	ck_assert_ptr_nonnull(b.vt);
	ck_assert_int_eq(vt_add_reader(b.vt, "Virtual 0"), 0);
	ck_assert_int_eq(vt_transport_ops.open(b.vt, &b.t), JPKI_OK);
	bench_insert(profile, q);
}

static enum jpki_rc bench_open(void)
{
	return jpki_card_open(&vt_transport_ops, b.t, "Virtual 0", &b.card);
}

static void bench_open_ok(void)
{
	ck_assert_int_eq(bench_open(), JPKI_OK);
	ck_assert_ptr_nonnull(b.card);
}

static void bench_stop(void)
{
	jpki_card_close(b.card);
	vt_transport_ops.close(b.t);
	vt_free(b.vt);
	memset(&b, 0, sizeof(b));
}

static unsigned long apdus(void)
{
	struct vt_counters c;

	vt_counters(b.vt, 0, &c);
	return c.apdus;
}

static struct vt_counters counters(void)
{
	struct vt_counters c;

	vt_counters(b.vt, 0, &c);
	return c;
}

/* Command i of the recorded traffic. */
static size_t command(size_t i, uint8_t *cmd)
{
	uint8_t resp[VCARD_RESP_MAX];
	size_t cmd_len = 0, resp_len = 0;

	ck_assert(vt_traffic_get(b.vt, 0, i, cmd, &cmd_len, resp, &resp_len));
	return cmd_len;
}

static void assert_command(size_t i, const uint8_t *want, size_t len)
{
	uint8_t cmd[VCARD_RESP_MAX];

	ck_assert_uint_eq(command(i, cmd), len);
	ck_assert_mem_eq(cmd, want, len);
}

static void verify_ok(enum jpki_pin pin)
{
	struct jpki_pin_status st;
	const char *v = pin == JPKI_PIN_AUTH ? AUTH_PIN : SIGN_PIN;

	ck_assert_int_eq(jpki_card_verify(b.card, pin, v, strlen(v), &st), JPKI_OK);
	ck_assert(st.verified);
}

static const uint8_t select_aid[] = {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
				     0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};

/* ---- probe ---- */

START_TEST(probe_mynumber)
{
	const uint8_t sel6[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x06};
	const uint8_t read6[] = {0x00, 0xB0, 0x00, 0x00, 0x60};
	const uint8_t sel8[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x08};
	const uint8_t read8[] = {0x00, 0xB0, 0x00, 0x00, 0x03};
	const struct jpki_card_info *info;

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	info = jpki_card_info(b.card);
	ck_assert_int_eq(info->kind, JPKI_KIND_MYNUMBER);
	ck_assert_str_eq(info->label, "JPKIAPICCTOKEN2");
	ck_assert_str_eq(info->manufacturer, "00000000000000000000000000000001");
	ck_assert_str_eq(info->model, "E16R01NJ");
	ck_assert_str_eq(info->serial, pki.token_serial);
	ck_assert(info->has_auth);
	ck_assert(info->has_sign);
	/* Probe = 5 APDUs in one transaction. */
	ck_assert_uint_eq(apdus(), 5);
	ck_assert_uint_eq(counters().transactions, 1);
	assert_command(0, select_aid, sizeof(select_aid));
	assert_command(1, sel6, sizeof(sel6));
	assert_command(2, read6, sizeof(read6));
	assert_command(3, sel8, sizeof(sel8));
	assert_command(4, read8, sizeof(read8));
	unsigned long n = 0, bytes = 0;
	jpki_card_counters(b.card, &n, &bytes);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(bytes, counters().bytes_in + counters().bytes_out);
	bench_stop();
}
END_TEST

START_TEST(probe_juki_and_minor)
{
	bench_start(VCARD_PROFILE_JUKI, NULL);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_info(b.card)->kind, JPKI_KIND_JUKI);
	ck_assert_str_eq(jpki_card_info(b.card)->label, "JPKIAPICCTOKEN");
	ck_assert(!jpki_card_info(b.card)->has_auth);
	ck_assert(jpki_card_info(b.card)->has_sign);
	ck_assert_uint_eq(apdus(), 5);
	bench_stop();

	bench_start(VCARD_PROFILE_MINOR, NULL);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_info(b.card)->kind, JPKI_KIND_MYNUMBER);
	ck_assert(jpki_card_info(b.card)->has_auth);
	ck_assert(!jpki_card_info(b.card)->has_sign);
	ck_assert_uint_eq(apdus(), 5);
	bench_stop();
}
END_TEST

static uint16_t answer_sw;

/* A card without the JPKI application: SELECT by AID answered answer_sw. */
static enum vt_verdict foreign_card(void *arg, enum vt_stage stage, unsigned reader,
				    unsigned long index, const uint8_t *cmd, size_t cmd_len,
				    uint8_t *resp, size_t *resp_len)
{
	if (stage == VT_BEFORE && cmd_len > 4 && cmd[1] == 0xA4 && cmd[2] == 0x04) {
		resp[0] = (uint8_t)(answer_sw >> 8);
		resp[1] = (uint8_t)answer_sw;
		*resp_len = 2;
		return VT_ANSWER;
	}
	return VT_PASS;
}

START_TEST(probe_not_jpki)
{
	static const uint16_t sws[] = {0x6A82, 0x6D00, 0x6E00, 0x6F00, 0x6999};

	for (size_t i = 0; i < sizeof(sws) / sizeof(sws[0]); i++) {
		bench_start(VCARD_PROFILE_MYNUMBER, NULL);
		answer_sw = sws[i];
		vt_set_hook(b.vt, foreign_card, NULL);
		ck_assert_int_eq(bench_open(), JPKI_ERR_NOT_JPKI);
		ck_assert_ptr_null(b.card);
		/* 6F00 on the first command is repeated once (the power-up quirk). */
		ck_assert_uint_eq(apdus(), sws[i] == 0x6F00 ? 2 : 1);
		bench_stop();
	}
	/* No card, no reader. */
	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	vt_remove(b.vt, 0);
	ck_assert_int_eq(bench_open(), JPKI_ERR_NO_CARD);
	ck_assert_int_eq(jpki_card_open(&vt_transport_ops, b.t, "Nowhere", &b.card),
			 JPKI_ERR_NO_READER);
	bench_stop();
}
END_TEST

START_TEST(probe_6f00_quirk)
{
	struct vcard_quirks q;
	struct vcard_config cfg;

	vcard_config_defaults(&cfg);
	q = cfg.quirks;
	q.first_command_6f00 = true;
	bench_start(VCARD_PROFILE_MYNUMBER, &q);
	bench_open_ok();
	ck_assert_uint_eq(apdus(), 6);
	assert_command(0, select_aid, sizeof(select_aid));
	assert_command(1, select_aid, sizeof(select_aid));
	bench_stop();
}
END_TEST

static const char *fake_label;

/* Rewrites the token information EF: label (NULL: keep) and a non-printable model. */
static enum vt_verdict rewrite_token_info(void *arg, enum vt_stage stage, unsigned reader,
					  unsigned long index, const uint8_t *cmd, size_t cmd_len,
					  uint8_t *resp, size_t *resp_len)
{
	if (stage == VT_AFTER && index == 2 && *resp_len == 0x60 + 2) {
		if (fake_label != NULL) {
			memset(resp, ' ', 32);
			memcpy(resp, fake_label, strlen(fake_label));
		}
		resp[64] = 0x01;
	}
	return VT_PASS;
}

START_TEST(probe_unknown_label)
{
	const uint8_t sel_a[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A};

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	fake_label = "SOMETHINGELSE";
	vt_set_hook(b.vt, rewrite_token_info, NULL);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_info(b.card)->kind, JPKI_KIND_UNKNOWN);
	ck_assert_str_eq(jpki_card_info(b.card)->label, "SOMETHINGELSE");
	ck_assert_str_eq(jpki_card_info(b.card)->model, ""); /* not printable: left empty */
	ck_assert(jpki_card_info(b.card)->has_auth);	     /* decided by SELECT 000A */
	ck_assert_uint_eq(apdus(), 6);
	assert_command(5, sel_a, sizeof(sel_a));
	bench_stop();

	/* A label padded with NULs is trimmed like one padded with spaces. */
	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	fake_label = "JPKIAPGPSETOKEN\0\0\0";
	vt_set_hook(b.vt, rewrite_token_info, NULL);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_info(b.card)->kind, JPKI_KIND_PHONE);
	ck_assert_str_eq(jpki_card_info(b.card)->label, "JPKIAPGPSETOKEN");
	ck_assert(jpki_card_info(b.card)->has_auth);
	ck_assert_uint_eq(apdus(), 5);
	bench_stop();
}
END_TEST

/* ---- certificates ---- */

static void read_and_compare(enum jpki_cert which, const uint8_t *want, size_t want_len)
{
	uint8_t *der = NULL;
	size_t len = 0;

	ck_assert_int_eq(jpki_card_read_cert(b.card, which, &der, &len), JPKI_OK);
	ck_assert_uint_eq(len, want_len);
	ck_assert_mem_eq(der, want, len);
	free(der);
}

/* Short reads: SELECT, then ceil(len / 256) READ BINARY. */
static unsigned long short_read_apdus(size_t len)
{
	return 1 + (len + 255) / 256;
}

/* Quirk combinations of certificate storage: 6282 at EOF, EF size, filler. */
static const struct {
	bool short_6282;
	size_t extra; /* EF size beyond the DER (SIZE_MAX: automatic) */
	uint8_t filler;
} storage[] = {
    {false, SIZE_MAX, 0xFF}, {true, SIZE_MAX, 0xFF}, {false, 0, 0xFF},
    {true, 0, 0x00},	     {false, 1, 0x30},	     {true, 1, 0x30},
    {true, 255, 0x00},	     {false, 3000, 0xFF},    {true, 3000, 0x82},
};

START_TEST(read_certs_storage)
{
	const struct vcard_identity *id;
	struct vcard_config cfg;
	struct vcard_quirks q;

	vcard_config_defaults(&cfg);
	q = cfg.quirks;
	q.read_short_6282 = storage[_i].short_6282;
	q.cert_filler = storage[_i].filler;
	/* One EF size for all four certificates: big enough for the largest when set. */
	q.cert_ef_size =
	    storage[_i].extra == SIZE_MAX
		? 0
		: (pki.auth_cert_len > pki.sign_cert_len ? pki.auth_cert_len : pki.sign_cert_len) +
		      storage[_i].extra;
	bench_start(VCARD_PROFILE_MYNUMBER, &q);
	id = &b.id;
	bench_open_ok();
	vt_traffic_clear(b.vt, 0);
	unsigned long before = apdus();
	read_and_compare(JPKI_CERT_AUTH, id->auth_cert, id->auth_cert_len);
	ck_assert_uint_eq(apdus() - before, short_read_apdus(id->auth_cert_len));
	read_and_compare(JPKI_CERT_AUTH_CA, id->auth_ca, id->auth_ca_len);
	read_and_compare(JPKI_CERT_SIGN_CA, id->sign_ca, id->sign_ca_len);
	ck_assert_int_eq(counters().extended, 0);
	verify_ok(JPKI_PIN_SIGN);
	read_and_compare(JPKI_CERT_SIGN, id->sign_cert, id->sign_cert_len);
	bench_stop();
}
END_TEST

START_TEST(read_cert_sequence)
{
	size_t len = pki.auth_cert_len, n;
	uint8_t cmd[16];

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	vt_traffic_clear(b.vt, 0);
	read_and_compare(JPKI_CERT_AUTH, pki.auth_cert, len);
	n = vt_traffic_count(b.vt, 0);
	ck_assert_uint_eq(n, short_read_apdus(len));
	const uint8_t sel[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A};
	assert_command(0, sel, sizeof(sel));
	for (size_t i = 1; i < n; i++) {
		size_t off = (i - 1) * 256, left = len - off;

		ck_assert_uint_eq(command(i, cmd), 5);
		ck_assert_uint_eq(cmd[1], 0xB0);
		ck_assert_uint_eq(((size_t)cmd[2] << 8) | cmd[3], off);
		ck_assert_uint_eq(cmd[4], left >= 256 ? 0x00 : left);
	}
	bench_stop();
}
END_TEST

START_TEST(read_sign_cert_needs_password)
{
	uint8_t *der = NULL;
	size_t len = 0;

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_read_cert(b.card, JPKI_CERT_SIGN, &der, &len),
			 JPKI_ERR_SECURITY);
	ck_assert_ptr_null(der);
	verify_ok(JPKI_PIN_AUTH); /* the auth PIN does not open it */
	ck_assert_int_eq(jpki_card_read_cert(b.card, JPKI_CERT_SIGN, &der, &len),
			 JPKI_ERR_SECURITY);
	verify_ok(JPKI_PIN_SIGN);
	read_and_compare(JPKI_CERT_SIGN, pki.sign_cert, pki.sign_cert_len);
	ck_assert_int_eq(jpki_card_read_cert(b.card, (enum jpki_cert)9, &der, &len), JPKI_ERR_ARGS);
	bench_stop();

	/* Absent EFs: no sign certificate under 15, no auth certificate on the old card. */
	bench_start(VCARD_PROFILE_MINOR, NULL);
	bench_open_ok();
	verify_ok(JPKI_PIN_AUTH);
	ck_assert_int_eq(jpki_card_read_cert(b.card, JPKI_CERT_SIGN, &der, &len),
			 JPKI_ERR_NOT_FOUND);
	bench_stop();
	bench_start(VCARD_PROFILE_JUKI, NULL);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_read_cert(b.card, JPKI_CERT_AUTH, &der, &len),
			 JPKI_ERR_NOT_FOUND);
	bench_stop();
}
END_TEST

START_TEST(read_cert_extended)
{
	struct vcard_config cfg;
	struct vcard_quirks q;

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	vt_set_max_response(b.vt, 0, 65536);
	bench_open_ok();
	unsigned long before = apdus();
	read_and_compare(JPKI_CERT_AUTH, pki.auth_cert, pki.auth_cert_len);
	ck_assert_uint_eq(apdus() - before, 2); /* SELECT + one extended READ BINARY */
	ck_assert_uint_eq(counters().extended, 1);
	/* Forbidden by the settings: short reads. */
	jpki_card_set_extended_apdu(b.card, false);
	before = apdus();
	read_and_compare(JPKI_CERT_AUTH, pki.auth_cert, pki.auth_cert_len);
	ck_assert_uint_eq(apdus() - before, short_read_apdus(pki.auth_cert_len));
	ck_assert_uint_eq(counters().extended, 1);
	bench_stop();

	/* A card without extended APDUs: refused once, short from then on. */
	vcard_config_defaults(&cfg);
	q = cfg.quirks;
	q.extended_apdu = false;
	bench_start(VCARD_PROFILE_MYNUMBER, &q);
	vt_set_max_response(b.vt, 0, 65536);
	bench_open_ok();
	before = apdus();
	read_and_compare(JPKI_CERT_AUTH, pki.auth_cert, pki.auth_cert_len);
	ck_assert_uint_eq(apdus() - before, 1 + short_read_apdus(pki.auth_cert_len));
	read_and_compare(JPKI_CERT_AUTH_CA, pki.auth_ca, pki.auth_ca_len);
	ck_assert_uint_eq(counters().extended, 1);
	bench_stop();
}
END_TEST

/* ---- PINs ---- */

START_TEST(pin_status_and_verify)
{
	struct jpki_pin_status st;
	const uint8_t query[] = {0x00, 0x20, 0x00, 0x80};

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	vt_traffic_clear(b.vt, 0);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 3);
	ck_assert(!st.locked && !st.verified);
	assert_command(1, query, sizeof(query)); /* case 1, exactly 4 bytes */
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_SIGN, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 5);

	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, "0000", 4, &st),
			 JPKI_ERR_PIN_INCORRECT);
	ck_assert_int_eq(st.tries_left, 2);
	ck_assert_int_eq(b.pins.auth_tries, 2);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 2);
	verify_ok(JPKI_PIN_AUTH);
	ck_assert_int_eq(b.pins.auth_tries, 3);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_SIGN, "WRONG1", 6, &st),
			 JPKI_ERR_PIN_INCORRECT);
	ck_assert_int_eq(st.tries_left, 4);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, "", 0, &st), JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, "12345678901234567", 17, &st),
			 JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(jpki_card_verify(b.card, (enum jpki_pin)5, "1234", 4, &st), JPKI_ERR_ARGS);
	bench_stop();
}
END_TEST

START_TEST(verified_query_9000)
{
	struct vcard_config cfg;
	struct jpki_pin_status st;

	vcard_config_defaults(&cfg);
	cfg.quirks.verified_query_9000 = true;
	bench_start(VCARD_PROFILE_MYNUMBER, &cfg.quirks);
	bench_open_ok();
	verify_ok(JPKI_PIN_SIGN);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_SIGN, &st), JPKI_OK);
	ck_assert(st.verified);
	ck_assert_int_eq(st.tries_left, -1);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert(!st.verified);
	ck_assert_int_eq(st.tries_left, 3);
	bench_stop();
}
END_TEST

/* Both blocked status words, on the query and on VERIFY: _i picks the combination. */
START_TEST(lock_pin)
{
	struct vcard_config cfg;
	struct jpki_pin_status st;

	vcard_config_defaults(&cfg);
	cfg.quirks.blocked_verify_6984 = (_i & 1) != 0;
	cfg.quirks.blocked_query_6984 = (_i & 2) != 0;
	bench_start(VCARD_PROFILE_MYNUMBER, &cfg.quirks);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, "0000", 4, &st),
			 JPKI_ERR_PIN_INCORRECT);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, "0000", 4, &st),
			 JPKI_ERR_PIN_INCORRECT);
	ck_assert_int_eq(st.tries_left, 1);
	/* The try that exhausts the counter: 63C0. */
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, "0000", 4, &st),
			 JPKI_ERR_PIN_LOCKED);
	ck_assert(st.locked);
	ck_assert_int_eq(st.tries_left, 0);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert(st.locked);
	/* Even the right PIN is refused now (6984 or 63C0). */
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, AUTH_PIN, 4, &st),
			 JPKI_ERR_PIN_LOCKED);
	ck_assert(st.locked);
	ck_assert_int_eq(b.pins.auth_tries, 0);
	/* The other PIN is independent. */
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_SIGN, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 5);
	bench_stop();
}
END_TEST

/* 6983, which no card is known to send, is understood as blocked too. */
static enum vt_verdict answer_6983(void *arg, enum vt_stage stage, unsigned reader,
				   unsigned long index, const uint8_t *cmd, size_t cmd_len,
				   uint8_t *resp, size_t *resp_len)
{
	if (stage == VT_AFTER && cmd[1] == 0x20) {
		resp[0] = 0x69;
		resp[1] = 0x83;
		*resp_len = 2;
	}
	return VT_PASS;
}

START_TEST(blocked_6983)
{
	struct jpki_pin_status st;

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	vt_set_hook(b.vt, answer_6983, NULL);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_SIGN, &st), JPKI_OK);
	ck_assert(st.locked);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_SIGN, SIGN_PIN, 8, &st),
			 JPKI_ERR_PIN_LOCKED);
	bench_stop();
}
END_TEST

START_TEST(change_pin)
{
	struct jpki_pin_status st;
	const uint8_t change[] = {0x00, 0x24, 0x01, 0x80, 0x04, '8', '0', '6', '2'};

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	vt_traffic_clear(b.vt, 0);
	ck_assert_int_eq(
	    jpki_card_change_pin(b.card, JPKI_PIN_AUTH, AUTH_PIN, 4, NEW_AUTH_PIN, 4, &st),
	    JPKI_OK);
	ck_assert_uint_eq(vt_traffic_count(b.vt, 0), 3); /* SELECT, VERIFY, CHANGE */
	assert_command(2, change, sizeof(change));
	ck_assert_str_eq(b.pins.auth_pin, NEW_AUTH_PIN);
	ck_assert_int_eq(jpki_card_logout(b.card), JPKI_OK);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, AUTH_PIN, 4, &st),
			 JPKI_ERR_PIN_INCORRECT);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, NEW_AUTH_PIN, 4, &st), JPKI_OK);
	/* A wrong old value: no CHANGE is sent. */
	vt_traffic_clear(b.vt, 0);
	ck_assert_int_eq(jpki_card_change_pin(b.card, JPKI_PIN_SIGN, "WRONG1", 6, "NEW123", 6, &st),
			 JPKI_ERR_PIN_INCORRECT);
	ck_assert_int_eq(st.tries_left, 4);
	ck_assert_uint_eq(vt_traffic_count(b.vt, 0), 2);
	ck_assert_str_eq(b.pins.sign_pin, SIGN_PIN);
	ck_assert_int_eq(jpki_card_change_pin(b.card, JPKI_PIN_SIGN, SIGN_PIN, 8, "", 0, &st),
			 JPKI_ERR_PIN_LENGTH);
	bench_stop();
}
END_TEST

/* ---- signatures ---- */

static const uint8_t sha256_prefix[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

static void hash_of(const char *msg, uint8_t out[32])
{
	unsigned int len = 32;

	ck_assert(EVP_Digest(msg, strlen(msg), out, &len, EVP_sha256(), NULL));
}

static EVP_PKEY *cert_key(const uint8_t *der, size_t len)
{
	const uint8_t *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	EVP_PKEY *k;

	ck_assert_ptr_nonnull(x);
	k = X509_get_pubkey(x);
	X509_free(x);
	ck_assert_ptr_nonnull(k);
	return k;
}

/* Checks sig over hash with the certificate's key: PKCS#1 v1.5 or PSS (salt 32, MGF1-SHA256). */
static int check_sig(const uint8_t *cert, size_t cert_len, bool pss, const uint8_t hash[32],
		     const uint8_t *sig)
{
	EVP_PKEY *k = cert_key(cert, cert_len);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
	int ok;

	ck_assert(EVP_PKEY_verify_init(ctx) == 1);
	ck_assert(EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1);
	if (pss) {
		ck_assert(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1);
		ck_assert(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) == 1);
		ck_assert(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) == 1);
	} else {
		ck_assert(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1);
	}
	ok = EVP_PKEY_verify(ctx, sig, JPKI_SIGNATURE_LEN, hash, 32);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok;
}

static void digest_info(const uint8_t hash[32], uint8_t di[51])
{
	memcpy(di, sha256_prefix, sizeof(sha256_prefix));
	memcpy(di + sizeof(sha256_prefix), hash, 32);
}

START_TEST(sign_pkcs1)
{
	uint8_t hash[32], di[51], sig[JPKI_SIGNATURE_LEN];

	hash_of("hello JPKI", hash);
	digest_info(hash, di);
	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_ERR_SECURITY);
	verify_ok(JPKI_PIN_AUTH);
	/* The auth PIN does not unlock the signature key. */
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_ERR_SECURITY);
	unsigned long before = apdus();
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_OK);
	ck_assert_uint_eq(apdus() - before, 2); /* SELECT key, COMPUTE DIGITAL SIGNATURE */
	ck_assert_int_eq(check_sig(pki.auth_cert, pki.auth_cert_len, false, hash, sig), 1);
	sig[10] ^= 1;
	ck_assert_int_ne(check_sig(pki.auth_cert, pki.auth_cert_len, false, hash, sig), 1);
	verify_ok(JPKI_PIN_SIGN);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_OK);
	ck_assert_int_eq(check_sig(pki.sign_cert, pki.sign_cert_len, false, hash, sig), 1);
	bench_stop();
}
END_TEST

START_TEST(sign_pss)
{
	struct vcard_config cfg;
	uint8_t hash[32], sig[JPKI_SIGNATURE_LEN], sig2[JPKI_SIGNATURE_LEN];

	hash_of("hello PSS", hash);
	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	verify_ok(JPKI_PIN_AUTH);
	ck_assert_int_eq(
	    jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PSS_SHA256, hash, 32, sig), JPKI_OK);
	ck_assert_int_eq(check_sig(pki.auth_cert, pki.auth_cert_len, true, hash, sig), 1);
	ck_assert_int_eq(
	    jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PSS_SHA256, hash, 32, sig2), JPKI_OK);
	ck_assert_mem_ne(sig, sig2, sizeof(sig)); /* random salt */
	ck_assert_int_eq(check_sig(pki.auth_cert, pki.auth_cert_len, true, hash, sig2), 1);
	bench_stop();

	/* A card without the PSS scheme answers 6A86. */
	vcard_config_defaults(&cfg);
	cfg.quirks.sign_pss = false;
	bench_start(VCARD_PROFILE_MYNUMBER, &cfg.quirks);
	bench_open_ok();
	verify_ok(JPKI_PIN_AUTH);
	ck_assert_int_eq(
	    jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PSS_SHA256, hash, 32, sig),
	    JPKI_ERR_NOT_SUPPORTED);
	bench_stop();
}
END_TEST

START_TEST(sign_input_checks)
{
	uint8_t in[300], sig[JPKI_SIGNATURE_LEN];

	memset(in, 0x42, sizeof(in));
	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	verify_ok(JPKI_PIN_AUTH);
	unsigned long before = apdus();
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, in, 0, sig),
			 JPKI_ERR_DATA_LENGTH);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, in, 246, sig),
			 JPKI_ERR_DATA_LENGTH);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PSS_SHA256, in, 31, sig),
			 JPKI_ERR_DATA_LENGTH);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PSS_SHA256, in, 33, sig),
			 JPKI_ERR_DATA_LENGTH);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, (enum jpki_scheme)3, in, 32, sig),
			 JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, in, 10, NULL),
			 JPKI_ERR_ARGS);
	ck_assert_uint_eq(apdus(), before); /* nothing sent */
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, in, 245, sig),
			 JPKI_OK);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, in, 1, sig),
			 JPKI_OK);
	bench_stop();
}
END_TEST

START_TEST(verify_and_sign)
{
	struct jpki_pin_status st;
	uint8_t hash[32], di[51], sig[JPKI_SIGNATURE_LEN];

	hash_of("always authenticate", hash);
	digest_info(hash, di);
	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	struct vt_counters c0 = counters();
	ck_assert_int_eq(jpki_card_verify_and_sign(b.card, JPKI_PIN_SIGN, SIGN_PIN, 8, &st,
						   JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_OK);
	ck_assert_uint_eq(counters().apdus - c0.apdus, 4);
	ck_assert_uint_eq(counters().transactions - c0.transactions, 1);
	ck_assert_int_eq(st.tries_left, 5);
	ck_assert_int_eq(check_sig(pki.sign_cert, pki.sign_cert_len, false, hash, sig), 1);
	c0 = counters();
	ck_assert_int_eq(jpki_card_verify_and_sign(b.card, JPKI_PIN_SIGN, "WRONG1", 6, &st,
						   JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_ERR_PIN_INCORRECT);
	ck_assert_uint_eq(counters().apdus - c0.apdus, 2); /* no signature after a wrong PIN */
	ck_assert_int_eq(st.tries_left, 4);
	ck_assert_int_eq(jpki_card_verify_and_sign(b.card, JPKI_PIN_SIGN, SIGN_PIN, 8, &st,
						   JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 0, sig),
			 JPKI_ERR_DATA_LENGTH);
	bench_stop();
}
END_TEST

START_TEST(login_in_one_transaction)
{
	struct jpki_pin_status st;
	struct vt_counters c0;

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	c0 = counters();
	ck_assert_int_eq(jpki_card_begin(b.card), JPKI_OK);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, AUTH_PIN, 4, &st), JPKI_OK);
	jpki_card_end(b.card);
	/* SELECT 0018, retry query, VERIFY: the PIN EF is selected once. */
	ck_assert_uint_eq(counters().apdus - c0.apdus, 3);
	ck_assert_uint_eq(counters().transactions - c0.transactions, 1);
	/* Across transactions the selection is not trusted: SELECT again. */
	c0 = counters();
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert_uint_eq(counters().apdus - c0.apdus, 2);
	bench_stop();
}
END_TEST

START_TEST(logout_clears_both)
{
	uint8_t hash[32], di[51], sig[JPKI_SIGNATURE_LEN];

	hash_of("logout", hash);
	digest_info(hash, di);
	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	verify_ok(JPKI_PIN_AUTH);
	verify_ok(JPKI_PIN_SIGN);
	vt_traffic_clear(b.vt, 0);
	ck_assert_int_eq(jpki_card_logout(b.card), JPKI_OK);
	ck_assert_uint_eq(vt_traffic_count(b.vt, 0), 1);
	assert_command(0, select_aid, sizeof(select_aid));
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_ERR_SECURITY);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_ERR_SECURITY);
	bench_stop();
}
END_TEST

/* ---- resets, removal, transport failures ---- */

static bool pending_6f00;

/* A card that answers 6F00 to the first command after a reset. */
static enum vt_verdict answer_6f00_once(void *arg, enum vt_stage stage, unsigned reader,
					unsigned long index, const uint8_t *cmd, size_t cmd_len,
					uint8_t *resp, size_t *resp_len)
{
	if (stage != VT_BEFORE || !pending_6f00)
		return VT_PASS;
	pending_6f00 = false;
	resp[0] = 0x6F;
	resp[1] = 0x00;
	*resp_len = 2;
	return VT_ANSWER;
}

START_TEST(reset_and_removal)
{
	struct vcard_config cfg;
	struct jpki_pin_status st;
	uint8_t cmd[32];

	vcard_config_defaults(&cfg);
	cfg.quirks.warm_reset_keeps_security = false;
	bench_start(VCARD_PROFILE_MYNUMBER, &cfg.quirks);
	bench_open_ok();
	vt_set_hook(b.vt, answer_6f00_once, NULL);
	ck_assert_int_eq(jpki_card_check(b.card), JPKI_OK);
	vt_reset(b.vt, 0);
	pending_6f00 = true;
	ck_assert_int_eq(jpki_card_check(b.card), JPKI_ERR_CARD_RESET);
	ck_assert_int_eq(jpki_card_check(b.card), JPKI_OK); /* reported once */
	/* The next operation re-selects the application first (and absorbs 6F00 again). */
	vt_traffic_clear(b.vt, 0);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 3);
	ck_assert_uint_eq(vt_traffic_count(b.vt, 0), 4);
	assert_command(0, select_aid, sizeof(select_aid));
	assert_command(1, select_aid, sizeof(select_aid));
	ck_assert_uint_eq(command(2, cmd), 7);

	/* A reset seen by a transmit: the operation fails with CARD_RESET, the next works. */
	vt_reset(b.vt, 0);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_ERR_CARD_RESET);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);

	vt_remove(b.vt, 0);
	ck_assert_int_eq(jpki_card_check(b.card), JPKI_ERR_CARD_REMOVED);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_ERR_CARD_REMOVED);
	/* A new card in the same reader does not revive the old connection. */
	bench_insert(VCARD_PROFILE_MYNUMBER, NULL);
	ck_assert_int_eq(jpki_card_check(b.card), JPKI_ERR_CARD_REMOVED);
	bench_stop();
}
END_TEST

/* The card processes the VERIFY but the answer is lost. */
static enum vt_verdict lose_verify_answer(void *arg, enum vt_stage stage, unsigned reader,
					  unsigned long index, const uint8_t *cmd, size_t cmd_len,
					  uint8_t *resp, size_t *resp_len)
{
	if (stage == VT_AFTER && cmd_len > 5 && cmd[1] == 0x20)
		return VT_FAIL;
	return VT_PASS;
}

START_TEST(verify_never_retried)
{
	struct jpki_pin_status st;
	uint8_t cmd[32];
	size_t verifies = 0;

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	vt_set_hook(b.vt, lose_verify_answer, NULL);
	vt_traffic_clear(b.vt, 0);
	ck_assert_int_eq(jpki_card_verify(b.card, JPKI_PIN_AUTH, "0000", 4, &st),
			 JPKI_ERR_TRANSPORT);
	for (size_t i = 0; i < vt_traffic_count(b.vt, 0); i++)
		if (command(i, cmd) > 5 && cmd[1] == 0x20)
			verifies++;
	ck_assert_uint_eq(verifies, 1);
	ck_assert_int_eq(b.pins.auth_tries, 2); /* the card counted it: the outcome was unknown */
	vt_set_hook(b.vt, NULL, NULL);
	/* The driver recovers: the counter is read again. */
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 2);
	bench_stop();
}
END_TEST

/* ---- malformed answers ---- */

enum mangle {
	M_ONE_BYTE,    /* a 1-byte response */
	M_EMPTY_READ,  /* READ BINARY: 9000 without data */
	M_LONG_READ,   /* READ BINARY: more than asked */
	M_HUGE_DER,    /* DER length above the bound */
	M_LONGER_DER,  /* DER longer than the EF: 6B00 at the end */
	M_EARLY_EOF,   /* 6282 before the object is complete */
	M_NOT_DER,     /* certificate EF not starting with a SEQUENCE */
	M_SHORT_SIG,   /* 255-byte signature */
	M_SELECT_6986, /* unexpected SW on SELECT */
	M_QUERY_6700,  /* unexpected SW on the retry query */
	M_COUNT,
};
static enum mangle mangle_kind;

static enum vt_verdict mangle(void *arg, enum vt_stage stage, unsigned reader, unsigned long index,
			      const uint8_t *cmd, size_t cmd_len, uint8_t *resp, size_t *resp_len)
{
	bool read = cmd[1] == 0xB0, first = read && cmd[2] == 0 && cmd[3] == 0;

	if (stage != VT_AFTER)
		return VT_PASS;
	switch (mangle_kind) {
	case M_ONE_BYTE:
		if (read)
			*resp_len = 1;
		break;
	case M_EMPTY_READ:
		if (read && !first) {
			resp[0] = 0x90;
			resp[1] = 0x00;
			*resp_len = 2;
		}
		break;
	case M_LONG_READ:
		if (read && !first) {
			memset(resp, 0, 300);
			resp[300] = 0x90;
			resp[301] = 0x00;
			*resp_len = 302;
		}
		break;
	case M_HUGE_DER:
		if (first) {
			resp[2] = 0x7F;
			resp[3] = 0xFF;
		}
		break;
	case M_LONGER_DER:
		if (first)
			resp[2] = (uint8_t)(resp[2] + 0x10); /* 4 KiB more than the EF holds */
		break;
	case M_EARLY_EOF:
		if (read && !first)
			resp[*resp_len - 1] = 0x82, resp[*resp_len - 2] = 0x62;
		break;
	case M_NOT_DER:
		if (first)
			resp[0] = 0xFF;
		break;
	case M_SHORT_SIG:
		if (cmd[1] == 0x2A && *resp_len == 258) {
			resp[255] = 0x90;
			resp[256] = 0x00;
			*resp_len = 257;
		}
		break;
	case M_SELECT_6986:
		if (cmd[1] == 0xA4 && cmd[2] == 0x02) {
			resp[0] = 0x69;
			resp[1] = 0x86;
		}
		break;
	case M_QUERY_6700:
		if (cmd[1] == 0x20 && cmd_len == 4) {
			resp[0] = 0x67;
			resp[1] = 0x00;
		}
		break;
	case M_COUNT:
		break;
	}
	return VT_PASS;
}

START_TEST(malformed_answers)
{
	uint8_t *der = NULL, sig[JPKI_SIGNATURE_LEN], di[51] = {0};
	size_t len = 0;
	struct jpki_pin_status st;
	enum jpki_rc rc;

	bench_start(VCARD_PROFILE_MYNUMBER, NULL);
	bench_open_ok();
	verify_ok(JPKI_PIN_AUTH);
	mangle_kind = (enum mangle)_i;
	vt_set_hook(b.vt, mangle, NULL);
	switch (mangle_kind) {
	case M_SHORT_SIG:
		rc = jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, di, 51, sig);
		break;
	case M_QUERY_6700:
		rc = jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st);
		break;
	default:
		rc = jpki_card_read_cert(b.card, JPKI_CERT_AUTH, &der, &len);
		ck_assert_ptr_null(der);
		ck_assert_uint_eq(len, 0);
		break;
	}
	ck_assert_msg(rc == JPKI_ERR_BAD_RESPONSE, "mangle %d: %s", _i, jpki_rc_name(rc));
	/* The connection stays usable. */
	vt_set_hook(b.vt, NULL, NULL);
	read_and_compare(JPKI_CERT_AUTH, pki.auth_cert, pki.auth_cert_len);
	bench_stop();
}
END_TEST

static unsigned rng_state;

static unsigned next_rand(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* Random damage to answers: truncation, bit flips, random status words. */
static enum vt_verdict random_damage(void *arg, enum vt_stage stage, unsigned reader,
				     unsigned long index, const uint8_t *cmd, size_t cmd_len,
				     uint8_t *resp, size_t *resp_len)
{
	if (stage != VT_AFTER || next_rand() % 3 != 0)
		return VT_PASS;
	switch (next_rand() % 4) {
	case 0:
		*resp_len = next_rand() % (*resp_len + 1);
		break;
	case 1:
		resp[next_rand() % *resp_len] ^= (uint8_t)(1u << (next_rand() % 8));
		break;
	case 2:
		resp[*resp_len - 2] = (uint8_t)next_rand();
		resp[*resp_len - 1] = (uint8_t)next_rand();
		break;
	default:
		if (*resp_len + 40 < VCARD_RESP_MAX) {
			memmove(resp + 40, resp, *resp_len);
			*resp_len += 40;
		}
		break;
	}
	return VT_PASS;
}

START_TEST(random_damage_never_crashes)
{
	uint8_t *der, sig[JPKI_SIGNATURE_LEN], di[51] = {0x30};
	size_t len;
	struct jpki_pin_status st;

	rng_state = 12345u + (unsigned)_i;
	for (int round = 0; round < 40; round++) {
		bench_start(VCARD_PROFILE_MYNUMBER, NULL);
		vt_set_max_response(b.vt, 0, round % 2 ? 65536 : 256);
		vt_set_hook(b.vt, random_damage, NULL);
		if (bench_open() == JPKI_OK) {
			for (int c = JPKI_CERT_AUTH; c <= JPKI_CERT_SIGN_CA; c++) {
				der = NULL;
				len = 0;
				if (jpki_card_read_cert(b.card, (enum jpki_cert)c, &der, &len) ==
				    JPKI_OK) {
					ck_assert_uint_gt(len, 0);
					ck_assert_uint_le(len, 16384);
				}
				free(der);
			}
			jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st);
			jpki_card_verify(b.card, JPKI_PIN_AUTH, AUTH_PIN, 4, &st);
			jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, di, 51, sig);
			jpki_card_logout(b.card);
		}
		bench_stop();
	}
}
END_TEST

/* ---- every behaviour the reference allows, and what the driver never sends ---- */

START_TEST(quirk_combinations)
{
	struct vcard_config cfg;
	struct jpki_pin_status st;
	uint8_t hash[32], di[51], sig[JPKI_SIGNATURE_LEN], cmd[VCARD_RESP_MAX],
	    resp[VCARD_RESP_MAX];
	size_t cmd_len, resp_len;

	vcard_config_defaults(&cfg);
	cfg.quirks.first_command_6f00 = (_i & 1) != 0;
	cfg.quirks.blocked_verify_6984 = (_i & 2) != 0;
	cfg.quirks.blocked_query_6984 = (_i & 4) != 0;
	cfg.quirks.verified_query_9000 = (_i & 8) != 0;
	cfg.quirks.read_short_6282 = (_i & 16) != 0;
	cfg.quirks.extended_apdu = (_i & 32) != 0;
	cfg.quirks.get_challenge = (_i & 64) != 0;
	cfg.quirks.warm_reset_keeps_security = (_i & 128) != 0;
	cfg.quirks.cert_filler = (uint8_t)_i;
	cfg.atr = (enum vcard_atr_kind)(_i % 3);
	hash_of("quirks", hash);
	digest_info(hash, di);

	bench_start(_i % 5 == 0 ? VCARD_PROFILE_JUKI : VCARD_PROFILE_MYNUMBER, &cfg.quirks);
	vt_set_max_response(b.vt, 0, (_i & 256) ? 65536 : 256);
	bench_open_ok();
	if (jpki_card_info(b.card)->has_auth) {
		read_and_compare(JPKI_CERT_AUTH, b.id.auth_cert, b.id.auth_cert_len);
		ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
		ck_assert_int_eq(st.tries_left, 3);
		verify_ok(JPKI_PIN_AUTH);
		ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_AUTH, &st), JPKI_OK);
		ck_assert(st.verified == cfg.quirks.verified_query_9000);
		ck_assert_int_eq(
		    jpki_card_sign(b.card, JPKI_KEY_AUTH, JPKI_SCHEME_PKCS1, di, 51, sig), JPKI_OK);
		ck_assert_int_eq(check_sig(b.id.auth_cert, b.id.auth_cert_len, false, hash, sig),
				 1);
	}
	verify_ok(JPKI_PIN_SIGN);
	read_and_compare(JPKI_CERT_SIGN, b.id.sign_cert, b.id.sign_cert_len);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_OK);
	ck_assert_int_eq(check_sig(b.id.sign_cert, b.id.sign_cert_len, false, hash, sig), 1);
	ck_assert_int_eq(jpki_card_logout(b.card), JPKI_OK);
	ck_assert_int_eq(jpki_card_sign(b.card, JPKI_KEY_SIGN, JPKI_SCHEME_PKCS1, di, 51, sig),
			 JPKI_ERR_SECURITY);
	vt_reset(b.vt, 0);
	ck_assert_int_eq(jpki_card_check(b.card), JPKI_ERR_CARD_RESET);
	ck_assert_int_eq(jpki_card_pin_status(b.card, JPKI_PIN_SIGN, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 5);

	/* Never GET CHALLENGE, never a PIN outside VERIFY/CHANGE, no extended APDU on a
	 * short-only reader, never an empty VERIFY with Le. */
	for (size_t i = 0; i < vt_traffic_count(b.vt, 0); i++) {
		ck_assert(vt_traffic_get(b.vt, 0, i, cmd, &cmd_len, resp, &resp_len));
		ck_assert_uint_ge(cmd_len, 4);
		ck_assert_uint_ne(cmd[1], 0x84);
		ck_assert(!(cmd[1] == 0x20 && cmd_len == 5));
		if (cmd[1] != 0x20 && cmd[1] != 0x24) {
			ck_assert_ptr_null(memmem(cmd, cmd_len, AUTH_PIN, 4));
			ck_assert_ptr_null(memmem(cmd, cmd_len, SIGN_PIN, 8));
		}
		ck_assert_ptr_null(memmem(resp, resp_len, AUTH_PIN, 4));
		ck_assert_ptr_null(memmem(resp, resp_len, SIGN_PIN, 8));
	}
	if (!(_i & 256))
		ck_assert_uint_eq(counters().extended, 0);
	bench_stop();
}
END_TEST

static Suite *driver_suite(void)
{
	Suite *s = suite_create("jpki driver");
	TCase *probe = tcase_create("probe"), *files = tcase_create("files"),
	      *pins = tcase_create("pins"), *sign = tcase_create("sign"),
	      *robust = tcase_create("robustness");

	tcase_add_test(probe, probe_mynumber);
	tcase_add_test(probe, probe_juki_and_minor);
	tcase_add_test(probe, probe_not_jpki);
	tcase_add_test(probe, probe_6f00_quirk);
	tcase_add_test(probe, probe_unknown_label);
	tcase_add_loop_test(files, read_certs_storage, 0, sizeof(storage) / sizeof(storage[0]));
	tcase_add_test(files, read_cert_sequence);
	tcase_add_test(files, read_sign_cert_needs_password);
	tcase_add_test(files, read_cert_extended);
	tcase_add_test(pins, pin_status_and_verify);
	tcase_add_test(pins, verified_query_9000);
	tcase_add_loop_test(pins, lock_pin, 0, 4);
	tcase_add_test(pins, blocked_6983);
	tcase_add_test(pins, change_pin);
	tcase_add_test(sign, sign_pkcs1);
	tcase_add_test(sign, sign_pss);
	tcase_add_test(sign, sign_input_checks);
	tcase_add_test(sign, verify_and_sign);
	tcase_add_test(sign, login_in_one_transaction);
	tcase_add_test(sign, logout_clears_both);
	tcase_add_test(robust, reset_and_removal);
	tcase_add_test(robust, verify_never_retried);
	tcase_add_loop_test(robust, malformed_answers, 0, M_COUNT);
	tcase_add_loop_test(robust, random_damage_never_crashes, 0, 4);
	tcase_add_loop_test(robust, quirk_combinations, 0, 512);
	tcase_set_timeout(robust, 120);
	suite_add_tcase(s, probe);
	suite_add_tcase(s, files);
	suite_add_tcase(s, pins);
	suite_add_tcase(s, sign);
	suite_add_tcase(s, robust);
	return s;
}

int main(void)
{
	const char *dir = getenv("JPKI_TEST_PKI");
	SRunner *sr;
	int failed;

	if (vcard_pki_load(dir != NULL ? dir : "test/pki", 0, &pki) != 0)
		return EXIT_FAILURE;
	sr = srunner_create(driver_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	vcard_pki_free(&pki);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
