/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PIN semantics behind C_Login, C_Logout and C_SetPIN: local format checks that never reach
 * the card, the locked PIN refused without VERIFY, the repeated wrong PIN guard, the final-try
 * policy, the PIN flags, login state shared per token and dropped by logout, removal and reset,
 * and no VERIFY retried after a transport error.
 */
#include "config.h"

#include <string.h>

#include "test/api/test-api.h"

static CK_FUNCTION_LIST_PTR f;

static void setup(void)
{
	api_setup();
	f = api.f;
}

static void setup_uninit(void)
{
	api_setup_uninitialised();
	f = api.f;
}

static CK_RV login(CK_SESSION_HANDLE h, CK_USER_TYPE who, const char *pin)
{
	return f->C_Login(h, who, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

START_TEST(test_login_logout)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE h1 = api_open(slot, false), h2 = api_open(slot, true);
	CK_SESSION_HANDLE other = api_open(api_slot(0, SIGN), false);

	RV(f->C_Logout(h1), CKR_USER_NOT_LOGGED_IN);
	RV(login(h1, CKU_USER, AUTH_PIN), CKR_OK);
	RV(login(h2, CKU_USER, AUTH_PIN), CKR_USER_ALREADY_LOGGED_IN);
	/* Login state is per token: every session of the token, none of the other token. */
	ck_assert_uint_eq(api_state(h1), CKS_RO_USER_FUNCTIONS);
	ck_assert_uint_eq(api_state(h2), CKS_RW_USER_FUNCTIONS);
	ck_assert_uint_eq(api_state(other), CKS_RO_PUBLIC_SESSION);
	ck_assert_uint_eq(api_state(api_open(slot, false)), CKS_RO_USER_FUNCTIONS);
	RV(f->C_Logout(h2), CKR_OK);
	ck_assert_uint_eq(api_state(h1), CKS_RO_PUBLIC_SESSION);
	RV(f->C_Logout(h1), CKR_USER_NOT_LOGGED_IN);
}
END_TEST

START_TEST(test_user_types)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), true);
	unsigned long before = api_apdus(0);

	RV(login(h, CKU_SO, AUTH_PIN), CKR_USER_TYPE_INVALID);
	RV(login(h, 77, AUTH_PIN), CKR_USER_TYPE_INVALID);
	/* No signature operation waits for a context-specific login. */
	RV(login(h, CKU_CONTEXT_SPECIFIC, AUTH_PIN), CKR_OPERATION_NOT_INITIALIZED);
	ck_assert_uint_eq(api_apdus(0), before);
}
END_TEST

START_TEST(test_login_three_apdus)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	unsigned long before = api_apdus(0);

	/* One transaction: SELECT 0018, the retry query, VERIFY. */
	api_login(h, AUTH_PIN);
	ck_assert_uint_eq(api_apdus(0) - before, 3);
}
END_TEST

START_TEST(test_format_checked_locally)
{
	CK_SESSION_HANDLE a = api_open(api_slot(0, AUTH), false);
	CK_SESSION_HANDLE s = api_open(api_slot(0, SIGN), false);
	unsigned long before;

	api_token_info(api_slot(0, AUTH)); /* the probe is done */
	before = api_apdus(0);
	RV(login(a, CKU_USER, "123"), CKR_PIN_LEN_RANGE);
	RV(login(a, CKU_USER, "12345"), CKR_PIN_LEN_RANGE);
	RV(login(a, CKU_USER, ""), CKR_PIN_LEN_RANGE);
	RV(login(a, CKU_USER, "12a4"), CKR_PIN_INVALID);
	RV(login(s, CKU_USER, "AB12"), CKR_PIN_LEN_RANGE);
	RV(login(s, CKU_USER, "ABCDEFGHIJ1234567"), CKR_PIN_LEN_RANGE);
	RV(login(s, CKU_USER, "PASS-1234"), CKR_PIN_INVALID);
	RV(login(s, CKU_USER, "PASS 1234"), CKR_PIN_INVALID);
	/* Nothing reached the card, no try was spent. */
	ck_assert_uint_eq(api_apdus(0), before);
	ck_assert_int_eq(api.pins[0].auth_tries, 3);
	ck_assert_int_eq(api.pins[0].sign_tries, 5);
}
END_TEST

START_TEST(test_lower_case_password)
{
	CK_SESSION_HANDLE s = api_open(api_slot(0, SIGN), false);

	RV(login(s, CKU_USER, "qx7z5k2w"), CKR_OK);
	ck_assert_int_eq(api.pins[0].sign_tries, 5);
	ck_assert_uint_eq(api_state(s), CKS_RO_USER_FUNCTIONS);
}
END_TEST

START_TEST(test_wrong_pin_flags_and_guard)
{
	CK_SLOT_ID slot = api_slot(0, SIGN);
	CK_SESSION_HANDLE s = api_open(slot, false);
	CK_TOKEN_INFO t;
	unsigned v;

	RV(login(s, CKU_USER, "WRONG111"), CKR_PIN_INCORRECT);
	ck_assert_int_eq(api.pins[0].sign_tries, 4);
	t = api_token_info(slot);
	ck_assert_uint_eq(
	    t.flags & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED),
	    CKF_USER_PIN_COUNT_LOW);
	/* The same wrong value again: refused without a VERIFY while the counter is unchanged. */
	v = api_verifies(0);
	RV(login(s, CKU_USER, "WRONG111"), CKR_PIN_INCORRECT);
	RV(login(s, CKU_USER, "wrong111"), CKR_PIN_INCORRECT); /* the same once upper-cased */
	ck_assert_uint_eq(api_verifies(0), v);
	ck_assert_int_eq(api.pins[0].sign_tries, 4);
	/* A different wrong value is tried. */
	RV(login(s, CKU_USER, "WRONG222"), CKR_PIN_INCORRECT);
	ck_assert_uint_eq(api_verifies(0), v + 1);
	ck_assert_int_eq(api.pins[0].sign_tries, 3);
	/* The right one resets the counter and the flags. */
	RV(login(s, CKU_USER, SIGN_PIN), CKR_OK);
	ck_assert_int_eq(api.pins[0].sign_tries, 5);
	t = api_token_info(slot);
	ck_assert_uint_eq(
	    t.flags & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED), 0);
}
END_TEST

START_TEST(test_final_try_and_locked)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE a = api_open(slot, false);
	CK_TOKEN_INFO t;
	unsigned v;

	RV(login(a, CKU_USER, "0000"), CKR_PIN_INCORRECT);
	RV(login(a, CKU_USER, "0001"), CKR_PIN_INCORRECT);
	t = api_token_info(slot);
	ck_assert_uint_eq(
	    t.flags & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED),
	    CKF_USER_PIN_FINAL_TRY);
	/* Default policy: the last try may be spent. It locks the PIN. */
	RV(login(a, CKU_USER, "0002"), CKR_PIN_LOCKED);
	ck_assert_int_eq(api.pins[0].auth_tries, 0);
	t = api_token_info(slot);
	ck_assert_uint_eq(t.flags & CKF_USER_PIN_LOCKED, CKF_USER_PIN_LOCKED);
	/* Locked: refused after the counter query, without a VERIFY, even the right PIN. */
	v = api_verifies(0);
	RV(login(a, CKU_USER, AUTH_PIN), CKR_PIN_LOCKED);
	ck_assert_uint_eq(api_verifies(0), v);
}
END_TEST

START_TEST(test_final_try_refused_by_policy)
{
	CK_SLOT_ID slot;
	CK_SESSION_HANDLE a;
	CK_TOKEN_INFO t;

	api_config("final_try = refuse\n");
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	api.pins[0].auth_tries = 1;
	api_init();
	slot = api_slot(0, AUTH);
	a = api_open(slot, false);
	t = api_token_info(slot);
	ck_assert_uint_eq(t.flags & CKF_USER_PIN_FINAL_TRY, CKF_USER_PIN_FINAL_TRY);
	/* Never spend the last try: refused without VERIFY, even for the right PIN. */
	RV(login(a, CKU_USER, AUTH_PIN), CKR_PIN_LOCKED);
	RV(login(a, CKU_USER, "0000"), CKR_PIN_LOCKED);
	ck_assert_uint_eq(api_verifies(0), 0);
	ck_assert_int_eq(api.pins[0].auth_tries, 1);
	/* The flags still tell the truth: final try, not locked. */
	t = api_token_info(slot);
	ck_assert_uint_eq(t.flags & (CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED),
			  CKF_USER_PIN_FINAL_TRY);
	/* The other token's PIN, with tries to spare, is unaffected. */
	RV(login(api_open(api_slot(0, SIGN), false), CKU_USER, SIGN_PIN), CKR_OK);
}
END_TEST

START_TEST(test_final_try_allowed_by_default)
{
	CK_SESSION_HANDLE a;

	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	api.pins[0].auth_tries = 1;
	a = api_open(api_slot(0, AUTH), false);
	RV(login(a, CKU_USER, AUTH_PIN), CKR_OK);
	ck_assert_int_eq(api.pins[0].auth_tries, 3);
}
END_TEST

START_TEST(test_flags_refreshed_on_card_event)
{
	CK_SLOT_ID slot = api_slot(0, SIGN);
	CK_TOKEN_INFO t = api_token_info(slot);

	ck_assert_uint_eq(t.flags & CKF_USER_PIN_COUNT_LOW, 0);
	/* Someone else spent tries while the card was away. */
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	api.pins[0].sign_tries = 2;
	t = api_token_info(slot);
	ck_assert_uint_eq(t.flags & CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_COUNT_LOW);
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	api.pins[0].sign_tries = 0;
	t = api_token_info(slot);
	ck_assert_uint_eq(t.flags & CKF_USER_PIN_LOCKED, CKF_USER_PIN_LOCKED);
}
END_TEST

START_TEST(test_logout_clears_both_tokens)
{
	CK_SESSION_HANDLE a = api_open(api_slot(0, AUTH), false);
	CK_SESSION_HANDLE s = api_open(api_slot(0, SIGN), false);
	CK_OBJECT_HANDLE o[8];

	api_login(a, AUTH_PIN);
	api_login(s, SIGN_PIN);
	ck_assert_uint_eq(api_find(s, CKO_PRIVATE_KEY, NULL, 0, o, 8), 1);
	RV(f->C_Logout(a), CKR_OK);
	/* One application holds both PINs: the signature token is logged out as well. */
	ck_assert_uint_eq(api_state(a), CKS_RO_PUBLIC_SESSION);
	ck_assert_uint_eq(api_state(s), CKS_RO_PUBLIC_SESSION);
	ck_assert_uint_eq(api_find(s, CKO_PRIVATE_KEY, NULL, 0, o, 8), 0);
	ck_assert_uint_eq(api_find(s, CKO_CERTIFICATE, NULL, 0, o, 8), 1);
	RV(f->C_Logout(s), CKR_USER_NOT_LOGGED_IN);
	api_login(s, SIGN_PIN);
}
END_TEST

START_TEST(test_reset_drops_login)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE a = api_open(slot, false), b;
	CK_SESSION_INFO info;

	api_login(a, AUTH_PIN);
	vt_reset(api.vt, 0);
	RV(f->C_GetSessionInfo(a, &info), CKR_SESSION_HANDLE_INVALID);
	b = api_open(slot, false);
	ck_assert_uint_eq(api_state(b), CKS_RO_PUBLIC_SESSION);
	api_login(b, AUTH_PIN);
}
END_TEST

START_TEST(test_removal_drops_login)
{
	CK_SLOT_ID slot = api_slot(0, SIGN);
	CK_SESSION_HANDLE s = api_open(slot, false);

	api_login(s, SIGN_PIN);
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	RV(f->C_Logout(s), CKR_SESSION_HANDLE_INVALID);
	ck_assert_uint_eq(api_state(api_open(slot, false)), CKS_RO_PUBLIC_SESSION);
}
END_TEST

START_TEST(test_last_session_closed_logs_out)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE a = api_open(slot, false);

	api_login(a, AUTH_PIN);
	RV(f->C_CloseSession(a), CKR_OK);
	a = api_open(slot, false);
	ck_assert_uint_eq(api_state(a), CKS_RO_PUBLIC_SESSION);
	api_login(a, AUTH_PIN);
	RV(f->C_CloseAllSessions(slot), CKR_OK);
	ck_assert_uint_eq(api_state(api_open(slot, false)), CKS_RO_PUBLIC_SESSION);
}
END_TEST

START_TEST(test_set_pin)
{
	CK_SLOT_ID slot = api_slot(0, SIGN);
	CK_SESSION_HANDLE ro = api_open(slot, false), rw = api_open(slot, true);
	unsigned long before;

#define SETPIN(h, o, n)                                                                            \
	f->C_SetPIN(h, (CK_UTF8CHAR_PTR)(o), strlen(o), (CK_UTF8CHAR_PTR)(n), strlen(n))
	RV(SETPIN(ro, SIGN_PIN, "NEWPASS99"), CKR_SESSION_READ_ONLY);
	api_token_info(slot);
	before = api_apdus(0);
	/* The new password must mix letters and digits, in the card's alphabet and length. */
	RV(SETPIN(rw, SIGN_PIN, "PASSWORD"), CKR_PIN_INVALID);
	RV(SETPIN(rw, SIGN_PIN, "12345678"), CKR_PIN_INVALID);
	RV(SETPIN(rw, SIGN_PIN, "AB1"), CKR_PIN_LEN_RANGE);
	RV(SETPIN(rw, SIGN_PIN, "NEW-PASS-99"), CKR_PIN_INVALID);
	RV(SETPIN(rw, "AB1", "NEWPASS99"), CKR_PIN_LEN_RANGE);
	ck_assert_uint_eq(api_apdus(0), before);
	RV(SETPIN(rw, "WRONG999", "NEWPASS99"), CKR_PIN_INCORRECT);
	ck_assert_int_eq(api.pins[0].sign_tries, 4);
	RV(SETPIN(rw, SIGN_PIN, "newpass99"), CKR_OK);
	ck_assert_str_eq(api.pins[0].sign_pin, "NEWPASS99");
	ck_assert_int_eq(api.pins[0].sign_tries, 5);
	/* Changing the PIN did not log the token in. */
	ck_assert_uint_eq(api_state(rw), CKS_RW_PUBLIC_SESSION);
	RV(login(ro, CKU_USER, SIGN_PIN), CKR_PIN_INCORRECT);
	RV(login(ro, CKU_USER, "NEWPASS99"), CKR_OK);
	/* Logged in, the user may change it again. */
	RV(SETPIN(rw, "NEWPASS99", SIGN_PIN), CKR_OK);
	ck_assert_uint_eq(api_state(rw), CKS_RW_USER_FUNCTIONS);
}
END_TEST

START_TEST(test_set_auth_pin)
{
	CK_SESSION_HANDLE rw = api_open(api_slot(0, AUTH), true);

	RV(SETPIN(rw, AUTH_PIN, "12a4"), CKR_PIN_INVALID);
	RV(SETPIN(rw, AUTH_PIN, "12345"), CKR_PIN_LEN_RANGE);
	RV(SETPIN(rw, AUTH_PIN, "8062"), CKR_OK);
	ck_assert_str_eq(api.pins[0].auth_pin, "8062");
	api_login(rw, "8062");
}
END_TEST

/* A transport failure after the card has processed the VERIFY: outcome unknown. */
static enum vt_verdict fail_after_verify(void *arg, enum vt_stage stage, unsigned reader,
					 unsigned long index, const uint8_t *cmd, size_t cmd_len,
					 uint8_t *resp, size_t *resp_len)
{
	int *armed = arg;

	if (*armed && stage == VT_AFTER && cmd_len > 5 && cmd[1] == 0x20) {
		*armed = 0;
		return VT_FAIL;
	}
	return VT_PASS;
}

START_TEST(test_verify_never_retried)
{
	CK_SLOT_ID slot = api_slot(0, SIGN);
	CK_SESSION_HANDLE s = api_open(slot, false);
	static int armed = 1;
	CK_TOKEN_INFO t;

	api_token_info(slot);
	vt_set_hook(api.vt, fail_after_verify, &armed);
	RV(login(s, CKU_USER, "WRONG333"), CKR_DEVICE_ERROR);
	ck_assert_uint_eq(api_verifies(0), 1);
	ck_assert_int_eq(api.pins[0].sign_tries, 4);
	/* The counter was read again instead: the flags know about the spent try. */
	t = api_token_info(slot);
	ck_assert_uint_eq(t.flags & CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_COUNT_LOW);
	ck_assert_uint_eq(api_state(s), CKS_RO_PUBLIC_SESSION);
	RV(login(s, CKU_USER, SIGN_PIN), CKR_OK);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-login");
	TCase *tc = tcase_create("login");
	TCase *tu = tcase_create("configured");
	SRunner *sr;
	int failed;

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_login_logout);
	tcase_add_test(tc, test_user_types);
	tcase_add_test(tc, test_login_three_apdus);
	tcase_add_test(tc, test_format_checked_locally);
	tcase_add_test(tc, test_lower_case_password);
	tcase_add_test(tc, test_wrong_pin_flags_and_guard);
	tcase_add_test(tc, test_final_try_and_locked);
	tcase_add_test(tc, test_final_try_allowed_by_default);
	tcase_add_test(tc, test_flags_refreshed_on_card_event);
	tcase_add_test(tc, test_logout_clears_both_tokens);
	tcase_add_test(tc, test_reset_drops_login);
	tcase_add_test(tc, test_removal_drops_login);
	tcase_add_test(tc, test_last_session_closed_logs_out);
	tcase_add_test(tc, test_set_pin);
	tcase_add_test(tc, test_set_auth_pin);
	tcase_add_test(tc, test_verify_never_retried);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tu, setup_uninit, api_teardown);
	tcase_set_timeout(tu, 60);
	tcase_add_test(tu, test_final_try_refused_by_policy);
	suite_add_tcase(s, tu);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
