/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/vcard/test-util.h"

struct vcard_pki tu_pki[VCARD_PKI_IDENTITIES];

static char pki_dir[4096];
static bool pki_dir_is_temporary;

void tu_pki_init(void)
{
	const char *env = getenv("JPKI_TEST_PKI");
	const char *tmp = getenv("TMPDIR");

	if (env != NULL && env[0] != '\0') {
		snprintf(pki_dir, sizeof(pki_dir), "%s", env);
	} else {
		snprintf(pki_dir, sizeof(pki_dir), "%s/vcard-pki.XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(pki_dir) == NULL) {
			perror("mkdtemp");
			exit(99);
		}
		pki_dir_is_temporary = true;
	}
	for (unsigned i = 0; i < VCARD_PKI_IDENTITIES; i++)
		if (vcard_pki_load(pki_dir, i, &tu_pki[i]) != 0) {
			fprintf(stderr, "cannot load the test PKI from %s\n", pki_dir);
			exit(99);
		}
}

const char *tu_pki_dir(void)
{
	return pki_dir;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

void tu_pki_cleanup(void)
{
	for (unsigned i = 0; i < VCARD_PKI_IDENTITIES; i++)
		vcard_pki_free(&tu_pki[i]);
	if (pki_dir_is_temporary)
		nftw(pki_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

struct tu_card *tu_card_new_identity(const struct vcard_config *cfg, unsigned identity)
{
	struct tu_card *tc = calloc(1, sizeof(*tc));

	ck_assert_ptr_nonnull(tc);
	if (cfg)
		tc->cfg = *cfg;
	else
		vcard_config_defaults(&tc->cfg);
	vcard_pki_identity(&tu_pki[identity], tc->cfg.profile, &tc->id);
	vcard_state_defaults(&tc->pins);
	tc->card = vcard_new(&tc->cfg, &tc->id, &tc->pins);
	ck_assert_ptr_nonnull(tc->card);
	vcard_power_on(tc->card);
	return tc;
}

struct tu_card *tu_card_new(const struct vcard_config *cfg)
{
	return tu_card_new_identity(cfg, 0);
}

void tu_card_free(struct tu_card *tc)
{
	vcard_free(tc->card);
	free(tc);
}

uint16_t tu_send(struct tu_card *tc, const uint8_t *cmd, size_t len)
{
	/* A copy of exactly len bytes, so that AddressSanitizer sees any over-read. */
	uint8_t *copy = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, cmd, len);
	tc->resp_len = vcard_process(tc->card, copy, len, tc->resp);
	free(copy);
	ck_assert_uint_ge(tc->resp_len, 2);
	ck_assert_uint_le(tc->resp_len, VCARD_RESP_MAX);
	return (uint16_t)(tc->resp[tc->resp_len - 2] << 8 | tc->resp[tc->resp_len - 1]);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

uint16_t tu_sendf(struct tu_card *tc, const char *fmt, ...)
{
	static uint8_t cmd[VCARD_RESP_MAX + 16];
	char *hex = NULL;
	size_t n = 0;
	int hi = -1;
	va_list ap;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&hex, fmt, ap), 0);
	va_end(ap);
	for (const char *p = hex; *p; p++) {
		int v = hex_value(*p);

		if (*p == ' ')
			continue;
		ck_assert_msg(v >= 0, "bad hex in %s", hex);
		if (hi < 0) {
			hi = v;
		} else {
			ck_assert_uint_lt(n, sizeof(cmd));
			cmd[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	ck_assert_msg(hi < 0, "odd hex in %s", hex);
	free(hex);
	return tu_send(tc, cmd, n);
}

size_t tu_data_len(const struct tu_card *tc)
{
	return tc->resp_len - 2;
}

size_t tu_build(uint8_t *buf, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, const uint8_t *data,
		size_t lc, size_t le, bool extended)
{
	size_t n = 0;

	buf[n++] = cla;
	buf[n++] = ins;
	buf[n++] = p1;
	buf[n++] = p2;
	if (extended && (lc || le))
		buf[n++] = 0;
	if (lc) {
		if (extended)
			buf[n++] = (uint8_t)(lc >> 8);
		buf[n++] = (uint8_t)lc;
		memcpy(buf + n, data, lc);
		n += lc;
	}
	if (le) {
		if (extended)
			buf[n++] = (uint8_t)(le >> 8);
		buf[n++] = (uint8_t)le; /* 256 -> 00, 65536 -> 00 00 */
	}
	return n;
}

void tu_select_jpki(struct tu_card *tc)
{
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x9000);
}

void tu_select_ef(struct tu_card *tc, uint16_t fid)
{
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 %04X", fid), 0x9000);
}

void tu_verify(struct tu_card *tc, uint16_t pin_fid, const char *pin)
{
	uint8_t cmd[32];
	size_t len = strlen(pin);

	tu_select_ef(tc, pin_fid);
	ck_assert_uint_eq(
	    tu_send(tc, cmd,
		    tu_build(cmd, 0x00, 0x20, 0x00, 0x80, (const uint8_t *)pin, len, 0, false)),
	    0x9000);
}

size_t tu_read_all(struct tu_card *tc, uint8_t *buf, size_t cap)
{
	size_t off = 0;

	for (;;) {
		uint16_t sw = tu_sendf(tc, "00 B0 %02X %02X 00", (unsigned)(off >> 8),
				       (unsigned)(off & 0xFF));
		size_t n = tu_data_len(tc);

		if (sw == 0x6B00)
			return off;
		ck_assert_uint_eq(sw, 0x9000);
		ck_assert_uint_le(off + n, cap);
		memcpy(buf + off, tc->resp, n);
		off += n;
		if (n < 256)
			return off;
	}
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
