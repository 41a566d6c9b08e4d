/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The settings parser: every key, bad values, comments, filters, and loading from files. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/settings.h"

static struct jpki_settings s;

static enum jpki_rc parse(const char *text)
{
	return jpki_settings_parse(text, strlen(text), &s);
}

static void assert_defaults(void)
{
	ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_OFF);
	ck_assert_int_eq(s.final_try, JPKI_FINAL_TRY_ALLOW);
	ck_assert(s.sign_always_authenticate);
	ck_assert(s.extended_apdu);
	ck_assert(s.public_certificates_token);
	ck_assert_uint_eq(s.n_include, 0);
	ck_assert_uint_eq(s.n_exclude, 0);
}

START_TEST(defaults)
{
	jpki_settings_defaults(&s);
	assert_defaults();
	ck_assert_int_eq(parse(""), JPKI_OK);
	assert_defaults();
	ck_assert_int_eq(parse("# only a comment\n\n   \n\t# indented comment\n"), JPKI_OK);
	assert_defaults();
}
END_TEST

START_TEST(every_key)
{
	ck_assert_int_eq(parse("rsa_pss = on\n"
			       "final_try=refuse\n"
			       "  sign_always_authenticate  =  off  \r\n"
			       "extended_apdu = off\n"
			       "public_certificates_token = off\n"
			       "reader_include = Virtual PCD\n"
			       "reader_exclude = Yubico # not a comment\n"
			       "reader_exclude = 00 01"),
			 JPKI_OK);
	ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_ON);
	ck_assert_int_eq(s.final_try, JPKI_FINAL_TRY_REFUSE);
	ck_assert(!s.sign_always_authenticate);
	ck_assert(!s.extended_apdu);
	ck_assert(!s.public_certificates_token);
	ck_assert_uint_eq(s.n_include, 1);
	ck_assert_str_eq(s.reader_include[0], "Virtual PCD");
	ck_assert_uint_eq(s.n_exclude, 2);
	ck_assert_str_eq(s.reader_exclude[0], "Yubico # not a comment");
	ck_assert_str_eq(s.reader_exclude[1], "00 01");
	ck_assert_int_eq(parse("final_try = ALLOW\nextended_apdu = Auto\n"
			       "public_certificates_token = on\n"),
			 JPKI_OK);
	ck_assert_int_eq(s.final_try, JPKI_FINAL_TRY_ALLOW);
	ck_assert(s.extended_apdu);
	ck_assert(s.public_certificates_token);
	ck_assert_int_eq(parse("public_certificates_token = maybe\n"), JPKI_ERR_CONFIG);
	ck_assert_int_eq(parse("rsa_pss = auto\n"), JPKI_OK);
	ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_AUTO);
	ck_assert_int_eq(parse("rsa_pss = AUTO\n"), JPKI_OK);
	ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_AUTO);
}
END_TEST

START_TEST(booleans)
{
	static const char *const yes[] = {"on", "yes", "true", "1", "ON", "Yes", "TRUE"};
	static const char *const no[] = {"off", "no", "false", "0", "OFF", "No", "False"};
	char line[64];

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(line, sizeof(line), "rsa_pss = %s", yes[i]);
		ck_assert_int_eq(parse(line), JPKI_OK);
		ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_ON);
		snprintf(line, sizeof(line), "rsa_pss = %s", no[i]);
		ck_assert_int_eq(parse(line), JPKI_OK);
		ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_OFF);
	}
}
END_TEST

START_TEST(bad_input)
{
	static const char *const bad[] = {
	    "rsa_pss = maybe",
	    "rsa_pss = 2",
	    "rsa_pss = automatic",
	    "rsa_pss =",
	    "rsa_pss",
	    "= on",
	    "final_try = sometimes",
	    "extended_apdu = on", /* auto|off only */
	    "extended_apdu = yes",
	    "unknown_key = on",
	    "RSA_PSS = on", /* keys are lower case */
	    "reader_include = ",
	    "rsa_pss = on\nfinal_try = never\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(bad[i]) == JPKI_ERR_CONFIG, "accepted: %s", bad[i]);
		assert_defaults(); /* a failed parse leaves the defaults */
	}
	ck_assert_int_eq(jpki_settings_parse("rsa_pss = on\0x", 14, &s), JPKI_ERR_CONFIG);
	ck_assert_int_eq(jpki_settings_parse(NULL, 3, &s), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_settings_parse("", 0, NULL), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_settings_parse(NULL, 0, &s), JPKI_OK);
}
END_TEST

START_TEST(filters)
{
	char text[2048] = "";
	char longv[JPKI_SETTINGS_FILTER_LEN + 20];

	for (int i = 0; i < JPKI_SETTINGS_MAX_FILTERS; i++) {
		char line[64];

		snprintf(line, sizeof(line), "reader_include = R%d\n", i);
		strcat(text, line);
	}
	ck_assert_int_eq(parse(text), JPKI_OK);
	ck_assert_uint_eq(s.n_include, JPKI_SETTINGS_MAX_FILTERS);
	strcat(text, "reader_include = one too many\n");
	ck_assert_int_eq(parse(text), JPKI_ERR_CONFIG);

	memset(longv, 'x', sizeof(longv));
	memcpy(longv, "reader_exclude = ", 17);
	longv[17 + JPKI_SETTINGS_FILTER_LEN - 1] = '\0'; /* 127 characters: fits */
	ck_assert_int_eq(parse(longv), JPKI_OK);
	longv[17 + JPKI_SETTINGS_FILTER_LEN - 1] = 'x';
	longv[17 + JPKI_SETTINGS_FILTER_LEN] = '\0'; /* 128: too long */
	ck_assert_int_eq(parse(longv), JPKI_ERR_CONFIG);
}
END_TEST

START_TEST(reader_allowed)
{
	ck_assert_int_eq(parse(""), JPKI_OK);
	ck_assert(jpki_settings_reader_allowed(&s, "Any Reader 00 00"));
	ck_assert(!jpki_settings_reader_allowed(&s, NULL));
	ck_assert_int_eq(parse("reader_include = virtual pcd\nreader_include = ACS\n"
			       "reader_exclude = 00 01\n"),
			 JPKI_OK);
	ck_assert(jpki_settings_reader_allowed(&s, "Virtual PCD 00 00"));
	ck_assert(!jpki_settings_reader_allowed(&s, "Virtual PCD 00 01"));
	ck_assert(jpki_settings_reader_allowed(&s, "ACS ACR39U ICC Reader 00 00"));
	ck_assert(!jpki_settings_reader_allowed(&s, "Yubico YubiKey OTP+FIDO+CCID 00 00"));
	ck_assert_int_eq(parse("reader_exclude = yubico\n"), JPKI_OK);
	ck_assert(jpki_settings_reader_allowed(&s, "Virtual PCD 00 00"));
	ck_assert(!jpki_settings_reader_allowed(&s, "Yubico YubiKey OTP+FIDO+CCID 00 00"));
}
END_TEST

static char dir[] = "/tmp/jpki-settings-XXXXXX";

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(cache_dir)
{
	char cache[JPKI_SETTINGS_PATH_LEN];

	/* On by default, in the XDG cache directory, else under HOME. */
	ck_assert_int_eq(parse(""), JPKI_OK);
	ck_assert(s.cert_cache);
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	setenv("HOME", "/home/u", 1);
	ck_assert(jpki_settings_cache_dir(&s, cache, sizeof(cache)));
	ck_assert_str_eq(cache, "/x/cache/jpki-pkcs11");
	setenv("XDG_CACHE_HOME", "relative", 1); /* ignored, as the XDG spec says */
	ck_assert(jpki_settings_cache_dir(&s, cache, sizeof(cache)));
	ck_assert_str_eq(cache, "/home/u/.cache/jpki-pkcs11");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	ck_assert(!jpki_settings_cache_dir(&s, cache, sizeof(cache)));
	/* A configured directory wins; off is off. */
	ck_assert_int_eq(parse("cert_cache_dir = /var/cache/j\n"), JPKI_OK);
	ck_assert(jpki_settings_cache_dir(&s, cache, sizeof(cache)));
	ck_assert_str_eq(cache, "/var/cache/j");
	ck_assert_int_eq(parse("cert_cache = off\ncert_cache_dir = /var/cache/j\n"), JPKI_OK);
	ck_assert(!jpki_settings_cache_dir(&s, cache, sizeof(cache)));
	ck_assert_int_eq(parse("cert_cache_dir = relative/cache\n"), JPKI_ERR_CONFIG);
	ck_assert_int_eq(parse("cert_cache = maybe\n"), JPKI_ERR_CONFIG);
}
END_TEST

START_TEST(load)
{
	char path[256], other[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	snprintf(other, sizeof(other), "%s/missing.conf", dir);
	write_file(path, "rsa_pss = on\n");
	ck_assert_int_eq(jpki_settings_load(path, &s), JPKI_OK);
	ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_ON);
	ck_assert_int_eq(jpki_settings_load(other, &s), JPKI_OK); /* missing: defaults */
	assert_defaults();
	/* The environment variable names the file when no path is given. */
	setenv(JPKI_SETTINGS_ENV, path, 1);
	ck_assert_int_eq(jpki_settings_load(NULL, &s), JPKI_OK);
	ck_assert_int_eq(s.rsa_pss, JPKI_RSA_PSS_ON);
	write_file(path, "rsa_pss = perhaps\n");
	ck_assert_int_eq(jpki_settings_load(NULL, &s), JPKI_ERR_CONFIG);
	assert_defaults();
	/* A directory cannot be read as a file. */
	ck_assert_int_eq(jpki_settings_load(dir, &s), JPKI_ERR_CONFIG);
	unsetenv(JPKI_SETTINGS_ENV);
	ck_assert_int_eq(jpki_settings_load(path, NULL), JPKI_ERR_ARGS);
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("settings");
	TCase *tc = tcase_create("parser");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, every_key);
	tcase_add_test(tc, booleans);
	tcase_add_test(tc, bad_input);
	tcase_add_test(tc, filters);
	tcase_add_test(tc, reader_allowed);
	tcase_add_test(tc, cache_dir);
	tcase_add_test(tc, load);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
