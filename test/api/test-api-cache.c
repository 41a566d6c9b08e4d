/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The on-disk cache of public card data through the module: a second "process" (C_Finalize,
 * C_Initialize) reads no certificate again; another card is never served the first card's
 * certificates; the signature certificate never reaches the disk; files and directory are
 * private; a damaged entry is a miss.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test/api/test-api.h"

/* A cache directory name, and that name with a slash and a directory entry name after it. */
#define DIR_LEN	  300
#define ENTRY_LEN (DIR_LEN + 1 + 256)

static char cache_dir[DIR_LEN];

static void setup(void)
{
	char conf[400];

	api_setup_uninitialised();
	snprintf(cache_dir, sizeof(cache_dir), "%s/cache/jpki", api.dir);
	snprintf(conf, sizeof(conf), "cert_cache = on\ncert_cache_dir = %s\n", cache_dir);
	api_config(conf);
	api_init();
}

/* A new process on the same world: the module forgets everything it kept in memory. */
static void restart(void)
{
	api_finalize();
	api_init();
}

/* CKA_VALUE of the certificate with CKA_ID id on the auth token, compared with want. */
static void assert_cert(uint8_t id, const uint8_t *want, size_t want_len)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	CK_ULONG len = 0;
	uint8_t *v = api_attr(h, api_find_one(h, CKO_CERTIFICATE, id), CKA_VALUE, &len);

	ck_assert_uint_eq(len, want_len);
	ck_assert_mem_eq(v, want, len);
	free(v);
	RV(api.f->C_CloseSession(h), CKR_OK);
}

/* The entry files in the cache directory (names ending in .cert). */
static int entries(char names[][ENTRY_LEN], int max)
{
	DIR *d = opendir(cache_dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".cert") != NULL && n < max)
			snprintf(names[n++], ENTRY_LEN, "%s/%s", cache_dir, e->d_name);
	closedir(d);
	return n;
}

START_TEST(test_warm_start_reads_no_certificate)
{
	const struct vcard_pki *p = api_pki(0);
	unsigned long cold, warm, before;
	char names[4][ENTRY_LEN];
	struct stat st;

	before = api_apdus(0);
	assert_cert(1, p->auth_cert, p->auth_cert_len);
	assert_cert(3, p->auth_ca, p->auth_ca_len);
	cold = api_apdus(0) - before;
	ck_assert_int_eq(entries(names, 4), 1);
	ck_assert_int_eq(stat(names[0], &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(cache_dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);

	restart();
	before = api_apdus(0);
	assert_cert(1, p->auth_cert, p->auth_cert_len);
	assert_cert(3, p->auth_ca, p->auth_ca_len);
	warm = api_apdus(0) - before;
	/* The probe only: SELECT AP, SELECT 000A, READ (the check), SELECT + READ of EF 0008. */
	ck_assert_uint_eq(warm, 5);
	ck_assert_uint_lt(warm, cold);
}
END_TEST

START_TEST(test_other_card_gets_its_own)
{
	const struct vcard_pki *p0 = api_pki(0), *p1 = api_pki(1);
	char names[4][ENTRY_LEN];

	assert_cert(1, p0->auth_cert, p0->auth_cert_len);
	restart();
	/* Card 0's entry is on disk; card 1 goes in the same reader. */
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 1);
	assert_cert(1, p1->auth_cert, p1->auth_cert_len);
	ck_assert_int_eq(entries(names, 4), 2);
	/* And back: each card its own entry. */
	restart();
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	assert_cert(1, p0->auth_cert, p0->auth_cert_len);
}
END_TEST

START_TEST(test_sign_certificate_never_on_disk)
{
	const struct vcard_pki *p = api_pki(0);
	CK_SESSION_HANDLE h = api_open(api_slot(0, SIGN), false);
	char names[4][ENTRY_LEN];
	CK_ULONG len = 0;
	uint8_t *v, *file;
	FILE *f;
	long size;

	api_login(h, SIGN_PIN);
	v = api_attr(h, api_find_one(h, CKO_CERTIFICATE, 2), CKA_VALUE, &len);
	ck_assert_mem_eq(v, p->sign_cert, p->sign_cert_len);
	free(v);
	free(api_attr(h, api_find_one(h, CKO_CERTIFICATE, 4), CKA_VALUE, &len));
	ck_assert_int_eq(entries(names, 4), 1);
	f = fopen(names[0], "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	file = malloc((size_t)size);
	ck_assert_uint_eq(fread(file, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	/* The sign CA is there, the sign certificate (nor any part of its tail) is not. */
	ck_assert_ptr_nonnull(memmem(file, (size_t)size, p->sign_ca, p->sign_ca_len));
	ck_assert_ptr_null(memmem(file, (size_t)size, p->sign_cert + p->sign_cert_len - 64, 64));
	free(file);
}
END_TEST

START_TEST(test_damaged_entry_is_a_miss)
{
	const struct vcard_pki *p0 = api_pki(0), *p1 = api_pki(1);
	char names[4][ENTRY_LEN];
	FILE *f;

	assert_cert(3, p0->auth_ca, p0->auth_ca_len);
	ck_assert_int_eq(entries(names, 4), 1);
	/* Truncated in the middle of a record. */
	ck_assert_int_eq(truncate(names[0], 400), 0);
	restart();
	assert_cert(1, p0->auth_cert, p0->auth_cert_len);
	assert_cert(3, p0->auth_ca, p0->auth_ca_len);
	/* Card 1's certificate planted under card 0's name: its head does not match. */
	f = fopen(names[0], "wb");
	ck_assert_ptr_nonnull(f);
	fputs("jpki-pkcs11 cert cache 1\n", f);
	fputc('0', f);
	fputc((int)(p1->auth_cert_len >> 8), f);
	fputc((int)(p1->auth_cert_len & 0xff), f);
	fwrite(p1->auth_cert, 1, p1->auth_cert_len, f);
	fclose(f);
	restart();
	assert_cert(1, p0->auth_cert, p0->auth_cert_len);
}
END_TEST

START_TEST(test_unsafe_directory_not_used)
{
	const struct vcard_pki *p = api_pki(0);
	unsigned long before;

	assert_cert(3, p->auth_ca, p->auth_ca_len);
	/* A directory others may write to could hold anybody's file: not trusted. */
	ck_assert_int_eq(chmod(cache_dir, 0777), 0);
	restart();
	before = api_apdus(0);
	assert_cert(3, p->auth_ca, p->auth_ca_len);
	/* The whole probe (7) and the CA from the card (SELECT + 5 READ). */
	ck_assert_uint_gt(api_apdus(0) - before, 7 + 1);
}
END_TEST

START_TEST(test_cache_off)
{
	char names[4][ENTRY_LEN];

	api_finalize();
	api_config("cert_cache = off\n");
	api_init();
	assert_cert(1, api_pki(0)->auth_cert, api_pki(0)->auth_cert_len);
	ck_assert_int_eq(entries(names, 4), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-cache");
	TCase *tc = tcase_create("cache");
	SRunner *sr;
	int failed;

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_warm_start_reads_no_certificate);
	tcase_add_test(tc, test_other_card_gets_its_own);
	tcase_add_test(tc, test_sign_certificate_never_on_disk);
	tcase_add_test(tc, test_damaged_entry_is_a_miss);
	tcase_add_test(tc, test_unsafe_directory_not_used);
	tcase_add_test(tc, test_cache_off);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
