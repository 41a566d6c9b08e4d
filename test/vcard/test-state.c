/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The PIN state file: defaults, round trip, tolerated and rejected contents, atomic save. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test/vcard/test-util.h"

static char dir[4096];
static char path[4200];

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/vcard-state.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[8400];

	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void write_text(const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void check_defaults(const struct vcard_pins *p)
{
	ck_assert_str_eq(p->auth_pin, "1234");
	ck_assert_str_eq(p->sign_pin, "PASS1234");
	ck_assert_int_eq(p->auth_tries, 3);
	ck_assert_int_eq(p->sign_tries, 5);
}

START_TEST(test_defaults)
{
	struct vcard_pins p;

	memset(&p, 0x55, sizeof(p));
	vcard_state_defaults(&p);
	check_defaults(&p);
	ck_assert_str_eq(VCARD_DEFAULT_AUTH_PIN, "1234");
	ck_assert_str_eq(VCARD_DEFAULT_SIGN_PIN, "PASS1234");
}
END_TEST

START_TEST(test_missing_file)
{
	struct vcard_pins p;

	memset(&p, 0x55, sizeof(p));
	ck_assert_int_eq(vcard_state_load(path, &p), 0);
	check_defaults(&p);
}
END_TEST

START_TEST(test_round_trip)
{
	struct vcard_pins p, q;
	char text[256];
	FILE *f;
	size_t n;

	vcard_state_defaults(&p);
	strcpy(p.auth_pin, "9876");
	strcpy(p.sign_pin, "ABCDEFGH12345678");
	p.auth_tries = 1;
	p.sign_tries = 0;
	ck_assert_int_eq(vcard_state_save(path, &p), 0);
	ck_assert_int_eq(vcard_state_load(path, &q), 0);
	ck_assert_str_eq(q.auth_pin, "9876");
	ck_assert_str_eq(q.sign_pin, "ABCDEFGH12345678");
	ck_assert_int_eq(q.auth_tries, 1);
	ck_assert_int_eq(q.sign_tries, 0);
	/* The documented text format, which tests may read. */
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	ck_assert_str_eq(text, "auth_pin=9876\nauth_tries=1\nsign_pin=ABCDEFGH12345678\n"
			       "sign_tries=0\n");
	/* Saving again replaces it. */
	vcard_state_defaults(&p);
	ck_assert_int_eq(vcard_state_save(path, &p), 0);
	ck_assert_int_eq(vcard_state_load(path, &q), 0);
	check_defaults(&q);
}
END_TEST

START_TEST(test_save_leaves_no_temporary)
{
	struct vcard_pins p;
	DIR *d;
	struct dirent *e;
	unsigned files = 0;

	vcard_state_defaults(&p);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(vcard_state_save(path, &p), 0);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.') {
			ck_assert_str_eq(e->d_name, "state");
			files++;
		}
	closedir(d);
	ck_assert_uint_eq(files, 1);
}
END_TEST

START_TEST(test_save_fails)
{
	struct vcard_pins p;
	char bad[4300];

	vcard_state_defaults(&p);
	snprintf(bad, sizeof(bad), "%s/no-such-dir/state", dir);
	ck_assert_int_eq(vcard_state_save(bad, &p), -1);
	/* A directory in the way of the load is an error, not the defaults. */
	ck_assert_int_eq(vcard_state_load(dir, &p), -1);
}
END_TEST

START_TEST(test_tolerated)
{
	static const char text[] = "# a comment\n"
				   "\n"
				   "future_key=whatever\n"
				   "  sign_tries = 2  \n"
				   "auth_pin=0000\r\n"
				   "auth_tries=0";
	struct vcard_pins p;

	write_text(text, sizeof(text) - 1);
	ck_assert_int_eq(vcard_state_load(path, &p), 0);
	ck_assert_str_eq(p.auth_pin, "0000");
	ck_assert_int_eq(p.auth_tries, 0);
	ck_assert_int_eq(p.sign_tries, 2);
	ck_assert_str_eq(p.sign_pin, "PASS1234"); /* absent: default */
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
	    "auth_tries=x\n",	"auth_tries=4\n",
	    "auth_tries=-1\n",	"auth_tries=\n",
	    "auth_tries=2x\n",	"sign_tries=6\n",
	    "auth_pin=12345\n", "auth_pin=12a4\n",
	    "auth_pin=\n",	"sign_pin=pass1234\n",
	    "sign_pin=PASS\n",	"sign_pin=ABCDEFGH123456789\n",
	    "no equals sign\n", "sign_tries=99999999999999999999\n",
	};
	static const char nul[] = "auth_pin=12\0"
				  "34\n";
	struct vcard_pins p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_text(bad[i], strlen(bad[i]));
		ck_assert_msg(vcard_state_load(path, &p) == -1, "%s", bad[i]);
		check_defaults(&p);
	}
	/* An embedded NUL. */
	write_text(nul, sizeof(nul) - 1);
	ck_assert_int_eq(vcard_state_load(path, &p), -1);
}
END_TEST

START_TEST(test_card_uses_loaded_state)
{
	static const char text[] = "sign_pin=NEWPASS9\nsign_tries=1\n";
	struct tu_card *tc = tu_card_new(NULL);

	write_text(text, sizeof(text) - 1);
	ck_assert_int_eq(vcard_state_load(path, &tc->pins), 0);
	tu_select_jpki(tc);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x63C1);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B 08 50 41 53 53 31 32 33 34"), 0x63C0);
	/* The caller persists what the card changed. */
	ck_assert(vcard_take_pins_dirty(tc->card));
	ck_assert_int_eq(vcard_state_save(path, &tc->pins), 0);
	ck_assert_int_eq(vcard_state_load(path, &tc->pins), 0);
	ck_assert_int_eq(tc->pins.sign_tries, 0);
	ck_assert_str_eq(tc->pins.sign_pin, "NEWPASS9");
	tu_card_free(tc);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("vcard-state");
	TCase *tc = tcase_create("state");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_save_leaves_no_temporary);
	tcase_add_test(tc, test_save_fails);
	tcase_add_test(tc, test_tolerated);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_card_uses_loaded_state);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	tu_pki_init();
	rc = tu_run(state_suite());
	tu_pki_cleanup();
	return rc;
}
