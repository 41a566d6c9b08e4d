/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * No PIN leaves the module's calls behind: not in a heap block it frees (free() and realloc()
 * of this program search every released block, test/api/pin_scan.c), not in the stack its
 * calls leave behind, and not in its debug log at any level (JPKI_PKCS11_DEBUG=1..4 to a file,
 * the APDU trace included, as text or hex). Driven: right and wrong PINs, malformed ones, the
 * lower-case password, context-specific login with signing, C_SetPIN on both tokens, logout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/api/pin_scan.h"
#include "test/api/test-api.h"

#define WRONG_AUTH   "8264"
#define BAD_AUTH     "82645"
#define NEW_AUTH     "5826"
#define LOWER_SIGN   "qx7z5k2w"
#define WRONG_SIGN   "ZR4T8V6Y"
#define NEW_SIGN     "K8M3N7P2"
#define NEW_SIGN_LOW "k8m3n7p2"

static const char *const secrets[] = {AUTH_PIN,	  SIGN_PIN,   WRONG_AUTH, NEW_AUTH,
				      LOWER_SIGN, WRONG_SIGN, NEW_SIGN,	  NEW_SIGN_LOW};
#define N_SECRETS (sizeof(secrets) / sizeof(secrets[0]))

/* The hex forms of each secret an APDU trace could print: "3733", "3733" lower, "37 33". */
static char hex_upper[N_SECRETS][40], hex_lower[N_SECRETS][40], hex_spaced[N_SECRETS][60];

static unsigned long stack_hits;
static int stack_which = -1;

static void setup(void)
{
	for (size_t i = 0; i < N_SECRETS; i++) {
		pin_scan_needle(secrets[i]);
		for (size_t j = 0; secrets[i][j] != '\0'; j++) {
			snprintf(hex_upper[i] + 2 * j, 3, "%02X", (unsigned char)secrets[i][j]);
			snprintf(hex_lower[i] + 2 * j, 3, "%02x", (unsigned char)secrets[i][j]);
			snprintf(hex_spaced[i] + (j > 0 ? 3 * j - 1 : 0), 4,
				 j > 0 ? " %02X" : "%02X", (unsigned char)secrets[i][j]);
		}
	}
	api_setup_uninitialised();
	pin_scan_reset();
	stack_hits = 0;
}

/* After every module call: what it left in the dead stack below us. */
static CK_RV after(CK_RV rv)
{
	int which = -1;
	unsigned long hits = pin_scan_stack(&which);

	if (hits > 0) {
		stack_hits += hits;
		stack_which = which;
	}
	return rv;
}

#define CALL(x) after(api.f->x)

static CK_RV login(CK_SESSION_HANDLE h, CK_USER_TYPE who, const char *pin)
{
	return CALL(C_Login(h, who, (CK_UTF8CHAR_PTR)pin, strlen(pin)));
}

static CK_RV set_pin(CK_SESSION_HANDLE h, const char *old, const char *new_pin)
{
	return CALL(C_SetPIN(h, (CK_UTF8CHAR_PTR)old, strlen(old), (CK_UTF8CHAR_PTR)new_pin,
			     strlen(new_pin)));
}

/* Every PIN path once: the scanner is armed from C_Initialize to C_Finalize. */
static void drive(void)
{
	CK_SLOT_ID auth = api_slot(0, AUTH), sign = api_slot(0, SIGN);
	CK_SESSION_HANDLE ha = api_open(auth, true), hs = api_open(sign, true);
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[256];
	CK_ULONG sig_len = sizeof(sig);
	CK_OBJECT_HANDLE key;

	RV(login(ha, CKU_USER, WRONG_AUTH), CKR_PIN_INCORRECT);
	RV(login(ha, CKU_USER, WRONG_AUTH), CKR_PIN_INCORRECT); /* the guard's path */
	RV(login(ha, CKU_USER, BAD_AUTH), CKR_PIN_LEN_RANGE);
	RV(login(ha, CKU_USER, "73a1"), CKR_PIN_INVALID);
	RV(login(ha, CKU_USER, AUTH_PIN), CKR_OK);
	RV(login(ha, CKU_USER, AUTH_PIN), CKR_USER_ALREADY_LOGGED_IN);
	RV(CALL(C_Logout(ha)), CKR_OK);
	RV(set_pin(ha, WRONG_AUTH, NEW_AUTH), CKR_PIN_INCORRECT);
	RV(set_pin(ha, AUTH_PIN, NEW_AUTH), CKR_OK);
	RV(set_pin(ha, NEW_AUTH, AUTH_PIN), CKR_OK);

	RV(login(hs, CKU_USER, WRONG_SIGN), CKR_PIN_INCORRECT);
	RV(login(hs, CKU_USER, LOWER_SIGN), CKR_OK);
	key = api_find_one(hs, CKO_PRIVATE_KEY, 2);
	RV(CALL(C_SignInit(hs, &m, key)), CKR_OK);
	/* The module keeps a context-specific PIN until C_Sign sends VERIFY and signature. */
	RV(login(hs, CKU_CONTEXT_SPECIFIC, WRONG_SIGN), CKR_OK);
	ck_assert_uint_ne(CALL(C_Sign(hs, (CK_BYTE_PTR) "data", 4, sig, &sig_len)), CKR_OK);
	sig_len = sizeof(sig);
	CALL(C_SignFinal(hs, NULL, &sig_len)); /* ends the operation if it is still active */
	sig_len = sizeof(sig);
	RV(CALL(C_SignInit(hs, &m, key)), CKR_OK);
	/* The same value again: the guard refuses it without a VERIFY. */
	RV(login(hs, CKU_CONTEXT_SPECIFIC, WRONG_SIGN), CKR_PIN_INCORRECT);
	ck_assert_uint_ne(CALL(C_Sign(hs, (CK_BYTE_PTR) "data", 4, sig, &sig_len)), CKR_OK);
	sig_len = sizeof(sig);
	RV(CALL(C_SignInit(hs, &m, key)), CKR_OK);
	RV(login(hs, CKU_CONTEXT_SPECIFIC, SIGN_PIN), CKR_OK);
	RV(CALL(C_Sign(hs, (CK_BYTE_PTR) "data", 4, sig, &sig_len)), CKR_OK);
	RV(set_pin(hs, SIGN_PIN, NEW_SIGN_LOW), CKR_OK);
	RV(set_pin(hs, NEW_SIGN, "AB1"), CKR_PIN_LEN_RANGE);
	RV(set_pin(hs, NEW_SIGN, LOWER_SIGN), CKR_OK);
	RV(CALL(C_Logout(hs)), CKR_OK);
	RV(CALL(C_CloseAllSessions(auth)), CKR_OK);
	RV(CALL(C_CloseAllSessions(sign)), CKR_OK);
}

static void init_armed(void)
{
	pin_scan_arm(1);
	api_init();
}

static void finalize_disarm(void)
{
	api_finalize();
	pin_scan_arm(0);
}

static void assert_clean_memory(void)
{
	int which = -1;
	unsigned long hits = pin_scan_heap_hits(&which);

	ck_assert_msg(pin_scan_blocks() > 100, "the scanner saw only %lu freed blocks",
		      pin_scan_blocks());
	ck_assert_msg(hits == 0, "%lu freed heap block(s) held a PIN (last: %s)", hits,
		      which >= 0 ? secrets[which] : "?");
	ck_assert_msg(stack_hits == 0, "the module left a PIN on the stack %lu time(s) (last: %s)",
		      stack_hits, stack_which >= 0 ? secrets[stack_which] : "?");
}

START_TEST(test_no_pin_in_freed_memory)
{
	init_armed();
	drive();
	finalize_disarm();
	assert_clean_memory();
}
END_TEST

/* The scanner finds a PIN when one is there (so that zero hits means something). */
START_TEST(test_scanner_sees_a_pin)
{
	char *p = malloc(64);
	int which = -1;

	ck_assert_ptr_nonnull(p);
	snprintf(p, 64, "xx%syy", SIGN_PIN);
	pin_scan_arm(1);
	free(p);
	pin_scan_arm(0);
	ck_assert_uint_eq(pin_scan_heap_hits(&which), 1);
	ck_assert_str_eq(secrets[which], SIGN_PIN);
	ck_assert_uint_eq(pin_scan_stack(NULL), 0);
}
END_TEST

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = calloc(1, 1 << 22);

	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, (1 << 22) - 1, fp);
	fclose(fp);
	return buf;
}

START_TEST(test_no_pin_in_debug_log)
{
	int level = _i;
	char path[256], env[300];
	size_t len;
	char *log;

	snprintf(path, sizeof(path), "%s/debug-%d.log", api.dir, level);
	snprintf(env, sizeof(env), "%d:%s", level, path);
	setenv("JPKI_PKCS11_DEBUG", env, 1);
	init_armed();
	drive();
	finalize_disarm();
	assert_clean_memory();
	log = read_file(path, &len);
	/* Each level writes something: the wrong PINs at least give an error line. */
	ck_assert_msg(len > 0, "level %d: empty log", level);
	if (level >= 4)
		ck_assert_msg(strstr(log, " 00 20 00 ") != NULL,
			      "level 4 without the VERIFY APDUs");
	for (size_t i = 0; i < N_SECRETS; i++) {
		ck_assert_msg(memmem(log, len, secrets[i], strlen(secrets[i])) == NULL,
			      "level %d: %s in the log", level, secrets[i]);
		ck_assert_msg(memmem(log, len, hex_upper[i], strlen(hex_upper[i])) == NULL &&
				  memmem(log, len, hex_lower[i], strlen(hex_lower[i])) == NULL &&
				  memmem(log, len, hex_spaced[i], strlen(hex_spaced[i])) == NULL,
			      "level %d: %s in hex in the log", level, secrets[i]);
	}
	free(log);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-secrets");
	TCase *tc = tcase_create("secrets");
	SRunner *sr;
	int failed;

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_scanner_sees_a_pin);
	tcase_add_test(tc, test_no_pin_in_freed_memory);
	tcase_add_loop_test(tc, test_no_pin_in_debug_log, 1, 5);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
