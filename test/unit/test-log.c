/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging: PIN masking in APDU traces, levels from the environment, thread-safe file output. */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/log.h"

static char text[2048];

static const char *fmt(const char *dir, const uint8_t *apdu, size_t len)
{
	jpki_log_format_apdu(text, sizeof(text), dir, apdu, len);
	return text;
}

START_TEST(masks_pin_commands)
{
	const uint8_t verify[] = {0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34};
	const uint8_t change[] = {0x00, 0x24, 0x01, 0x80, 0x04, 0x39, 0x38, 0x37, 0x36};
	const uint8_t ext[] = {0x00, 0x20, 0x00, 0x80, 0x00, 0x00, 0x02, 0x31, 0x32};
	const uint8_t query[] = {0x00, 0x20, 0x00, 0x80};
	const uint8_t rd[] = {0x00, 0xB0, 0x00, 0x00, 0x04};

	ck_assert_str_eq(fmt(">>", verify, sizeof(verify)), ">> 00 20 00 80 04 ** ** ** **");
	ck_assert_str_eq(fmt(">>", change, sizeof(change)), ">> 00 24 01 80 04 ** ** ** **");
	ck_assert_str_eq(fmt(">>", ext, sizeof(ext)), ">> 00 20 00 80 00 00 02 ** **");
	ck_assert_str_eq(fmt(">>", query, sizeof(query)), ">> 00 20 00 80");
	ck_assert_str_eq(fmt(">>", rd, sizeof(rd)), ">> 00 B0 00 00 04");
	/* Responses are shown as they are (a response never carries a PIN). */
	ck_assert_str_eq(fmt("<<", verify, sizeof(verify)), "<< 00 20 00 80 04 31 32 33 34");
}
END_TEST

START_TEST(long_and_small)
{
	uint8_t big[600];
	char tiny[8];

	memset(big, 0xAB, sizeof(big));
	fmt("<<", big, sizeof(big));
	ck_assert_ptr_nonnull(strstr(text, "... (600 bytes)"));
	ck_assert_uint_eq(strlen(text), 2 + 3 * JPKI_LOG_APDU_SHOWN + strlen(" ... (600 bytes)"));
	jpki_log_format_apdu(tiny, sizeof(tiny), ">>", big, sizeof(big));
	ck_assert_uint_eq(strlen(tiny), sizeof(tiny) - 1);
	ck_assert_str_eq(tiny, ">> AB A");
}
END_TEST

START_TEST(levels)
{
	static const struct {
		const char *env;
		int level;
	} cases[] = {{"3", 3}, {"1", 1},  {"9", 4},  {"0", 0},
		     {"x", 0}, {"-2", 0}, {"2x", 0}, {"", 0}};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv(JPKI_LOG_ENV, cases[i].env, 1);
		jpki_log_init();
		ck_assert_msg(jpki_log_level() == cases[i].level, "%s", cases[i].env);
		jpki_log_init(); /* idempotent */
		ck_assert_int_eq(jpki_log_level(), cases[i].level);
		jpki_log_close();
		ck_assert_int_eq(jpki_log_level(), 0);
	}
	unsetenv(JPKI_LOG_ENV);
	jpki_log_init();
	ck_assert_int_eq(jpki_log_level(), 0);
	jpki_log_close();
}
END_TEST

static void *writer(void *arg)
{
	for (int i = 0; i < 200; i++)
		jpki_log(JPKI_LOG_CARD, "thread %ld line %d", (long)(intptr_t)arg, i);
	return NULL;
}

START_TEST(file_output)
{
	const uint8_t verify[] = {0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34};
	char path[] = "/tmp/jpki-log-XXXXXX";
	char env[64], line[512];
	pthread_t th[4];
	int fd = mkstemp(path), lines = 0, masked = 0;
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(env, sizeof(env), "4:%s", path);
	setenv(JPKI_LOG_ENV, env, 1);
	jpki_log_init();
	ck_assert_int_eq(jpki_log_level(), JPKI_LOG_APDU);
	jpki_log_apdu(">>", verify, sizeof(verify));
	for (long i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, writer, (void *)(intptr_t)i);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	jpki_log_close();
	unsetenv(JPKI_LOG_ENV);

	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		lines++;
		ck_assert_ptr_nonnull(strstr(line, "jpki-pkcs11["));
		ck_assert_ptr_null(strstr(line, "31 32 33 34"));
		if (strstr(line, "00 20 00 80 04 ** ** ** **") != NULL)
			masked++;
	}
	fclose(fp);
	unlink(path);
	ck_assert_int_eq(masked, 1);
	ck_assert_int_eq(lines, 1 + 4 * 200);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, masks_pin_commands);
	tcase_add_test(tc, long_and_small);
	tcase_add_test(tc, levels);
	tcase_add_test(tc, file_output);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
