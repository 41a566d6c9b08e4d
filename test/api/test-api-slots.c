/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Slots and tokens: two slots per reader with stable IDs, readers that come and go, token
 * information, card profiles, a card that is not JPKI, removal and reset, slot events and
 * the mechanism lists.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pkcs11/token.h"
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

static bool blank_padded(const CK_UTF8CHAR *field, size_t size, const char *text)
{
	size_t n = strlen(text), i;

	if (n > size || memcmp(field, text, n) != 0)
		return false;
	for (i = n; i < size; i++)
		if (field[i] != ' ')
			return false;
	return true;
}

START_TEST(test_slot_list_two_call)
{
	CK_SLOT_ID slots[4];
	CK_ULONG n = 0;

	RV(f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
	ck_assert_uint_eq(n, 2);
	n = 1;
	RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(n, 2);
	n = 4;
	RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_ne(slots[0], slots[1]);
	n = 0;
	RV(f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_slot_info)
{
	CK_SLOT_INFO info;

	RV(f->C_GetSlotInfo(api_slot(0, AUTH), &info), CKR_OK);
	ck_assert(blank_padded(info.slotDescription, 64, "Virtual Reader 0 (auth)"));
	ck_assert_uint_eq(info.flags, CKF_TOKEN_PRESENT | CKF_REMOVABLE_DEVICE | CKF_HW_SLOT);
	RV(f->C_GetSlotInfo(api_slot(0, SIGN), &info), CKR_OK);
	ck_assert(blank_padded(info.slotDescription, 64, "Virtual Reader 0 (sign)"));
	RV(f->C_GetSlotInfo(12345, &info), CKR_SLOT_ID_INVALID);
}
END_TEST

START_TEST(test_token_info)
{
	CK_TOKEN_INFO a = api_token_info(api_slot(0, AUTH));
	CK_TOKEN_INFO s = api_token_info(api_slot(0, SIGN));
	const CK_FLAGS must = CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED;
	const CK_FLAGS never = CKF_WRITE_PROTECTED | CKF_PROTECTED_AUTHENTICATION_PATH | CKF_RNG |
			       CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY |
			       CKF_USER_PIN_LOCKED | CKF_SO_PIN_LOCKED;

	ck_assert(blank_padded(a.label, 32, "JPKI Auth (4-digit PIN)"));
	ck_assert(blank_padded(s.label, 32, "JPKI Sign (6-16 char password)"));
	ck_assert_uint_eq(a.ulMinPinLen, 4);
	ck_assert_uint_eq(a.ulMaxPinLen, 4);
	ck_assert_uint_eq(s.ulMinPinLen, 6);
	ck_assert_uint_eq(s.ulMaxPinLen, 16);
	ck_assert_uint_eq(a.flags & must, must);
	ck_assert_uint_eq(s.flags & must, must);
	ck_assert_uint_eq(a.flags & never, 0);
	ck_assert_uint_eq(s.flags & never, 0);
	ck_assert_uint_eq(a.ulSessionCount, 0);
	ck_assert_uint_eq(a.ulMaxSessionCount, CK_EFFECTIVELY_INFINITE);
	ck_assert_uint_eq(a.ulTotalPublicMemory, CK_UNAVAILABLE_INFORMATION);
	/* manufacturerID and model come from the card's EF 0006 when it fills them. */
	ck_assert_int_ne(a.manufacturerID[0], ' ');
	ck_assert_int_ne(a.model[0], ' ');
	ck_assert_mem_eq(a.model, s.model, sizeof(a.model));
	/* Serial numbers: set, and different for the two tokens of one card. */
	ck_assert_mem_ne(a.serialNumber, "0000000000000000", 16);
	ck_assert_mem_ne(a.serialNumber, "                ", 16);
	ck_assert_mem_ne(a.serialNumber, s.serialNumber, 16);
}
END_TEST

START_TEST(test_serials_stable_and_per_card)
{
	CK_TOKEN_INFO a0 = api_token_info(api_slot(0, AUTH));
	CK_TOKEN_INFO s0 = api_token_info(api_slot(0, SIGN));
	CK_TOKEN_INFO a, s;

	/* The same card again (removed and re-inserted): the same serials. */
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	a = api_token_info(api_slot(0, AUTH));
	s = api_token_info(api_slot(0, SIGN));
	ck_assert_mem_eq(a.serialNumber, a0.serialNumber, 16);
	ck_assert_mem_eq(s.serialNumber, s0.serialNumber, 16);
	/* Another card: other serials. */
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 1);
	a = api_token_info(api_slot(0, AUTH));
	s = api_token_info(api_slot(0, SIGN));
	ck_assert_mem_ne(a.serialNumber, a0.serialNumber, 16);
	ck_assert_mem_ne(s.serialNumber, s0.serialNumber, 16);
}
END_TEST

START_TEST(test_token_info_does_no_io)
{
	CK_SLOT_ID slot = api_slot(0, SIGN);
	unsigned long before;
	int i;

	/* The first call per token asks for its PIN counter (for the flags); none after. */
	api_token_info(slot);
	api_token_info(api_slot(0, AUTH));
	before = api_apdus(0);
	for (i = 0; i < 10; i++) {
		api_token_info(slot);
		api_token_info(api_slot(0, AUTH));
	}
	ck_assert_uint_eq(api_apdus(0), before);
}
END_TEST

START_TEST(test_empty_reader)
{
	CK_SLOT_ID slot = api_slot(0, AUTH), slots[4];
	CK_SESSION_HANDLE h;
	CK_TOKEN_INFO info;
	CK_SLOT_INFO sinfo;
	CK_ULONG n = 4;

	vt_remove(api.vt, 0);
	RV(f->C_GetSlotInfo(slot, &sinfo), CKR_OK);
	ck_assert_uint_eq(sinfo.flags & CKF_TOKEN_PRESENT, 0);
	RV(f->C_GetTokenInfo(slot, &info), CKR_TOKEN_NOT_PRESENT);
	RV(f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &h), CKR_TOKEN_NOT_PRESENT);
	RV(f->C_GetMechanismList(slot, NULL, &n), CKR_TOKEN_NOT_PRESENT);
	n = 4;
	RV(f->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
	ck_assert_uint_eq(n, 0);
	n = 4;
	RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_profile_juki)
{
	CK_SLOT_INFO info;
	CK_ULONG n = 4;
	CK_SLOT_ID slots[4];

	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_JUKI, 0);
	/* The old resident card has only the signature function. */
	RV(f->C_GetSlotInfo(api_slot(0, AUTH), &info), CKR_OK);
	ck_assert_uint_eq(info.flags & CKF_TOKEN_PRESENT, 0);
	RV(f->C_GetSlotInfo(api_slot(0, SIGN), &info), CKR_OK);
	ck_assert_uint_eq(info.flags & CKF_TOKEN_PRESENT, CKF_TOKEN_PRESENT);
	RV(f->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(slots[0], api_slot(0, SIGN));
	api_token_info(slots[0]);
}
END_TEST

START_TEST(test_profile_minor)
{
	CK_SLOT_INFO info;
	CK_SESSION_HANDLE h;

	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MINOR, 0);
	/* No signature certificate: no signature token. */
	RV(f->C_GetSlotInfo(api_slot(0, SIGN), &info), CKR_OK);
	ck_assert_uint_eq(info.flags & CKF_TOKEN_PRESENT, 0);
	RV(f->C_OpenSession(api_slot(0, SIGN), CKF_SERIAL_SESSION, NULL, NULL, &h),
	   CKR_TOKEN_NOT_PRESENT);
	h = api_open(api_slot(0, AUTH), false);
	api_login(h, AUTH_PIN);
	api_find_one(h, CKO_PRIVATE_KEY, 1);
}
END_TEST

/* A card that answers SELECT of the JPKI AID with 6A82: some other card. */
static enum vt_verdict not_jpki(void *arg, enum vt_stage stage, unsigned reader,
				unsigned long index, const uint8_t *cmd, size_t cmd_len,
				uint8_t *resp, size_t *resp_len)
{
	if (stage == VT_BEFORE && cmd_len > 4 && cmd[1] == 0xA4 && cmd[2] == 0x04) {
		resp[0] = 0x6A;
		resp[1] = 0x82;
		*resp_len = 2;
		return VT_ANSWER;
	}
	return VT_PASS;
}

START_TEST(test_not_a_jpki_card)
{
	CK_SLOT_ID slot, slots[4];
	CK_SLOT_INFO info;
	CK_TOKEN_INFO tinfo;
	CK_ULONG n = 4;
	unsigned long after_first;
	int i;

	vt_set_hook(api.vt, not_jpki, NULL);
	slot = api_slot(0, AUTH);
	/* A negative answer is asked again a few times (a glitch is no verdict) ... */
	for (i = 0; i < PROBE_TRIES; i++) {
		RV(f->C_GetSlotInfo(slot, &info), CKR_OK);
		ck_assert_uint_eq(info.flags & CKF_TOKEN_PRESENT, 0);
	}
	after_first = api_apdus(0);
	ck_assert_uint_eq(after_first, PROBE_TRIES);
	/* ... then remembered for this insertion: no more card I/O. */
	for (i = 0; i < 5; i++) {
		RV(f->C_GetSlotInfo(slot, &info), CKR_OK);
		RV(f->C_GetTokenInfo(api_slot(0, SIGN), &tinfo), CKR_TOKEN_NOT_PRESENT);
		n = 4;
		RV(f->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
		ck_assert_uint_eq(n, 0);
	}
	ck_assert_uint_eq(api_apdus(0), after_first);
	/* A new insertion asks again. */
	vt_set_hook(api.vt, NULL, NULL);
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	api_token_info(slot);
}
END_TEST

START_TEST(test_reader_appears_later)
{
	CK_SLOT_ID slots[8], first[2] = {api_slot(0, AUTH), api_slot(0, SIGN)};
	CK_ULONG n = 8;
	int r;

	r = api_add_reader("Late Reader");
	api_insert((unsigned)r, VCARD_PROFILE_MYNUMBER, 1);
	/* The list only changes when the application asks for its length again. */
	RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
	ck_assert_uint_eq(n, 2);
	n = 0;
	RV(f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
	ck_assert_uint_eq(n, 4);
	RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
	ck_assert_uint_eq(slots[0], first[0]);
	ck_assert_uint_eq(slots[1], first[1]);
	api_token_info(api_slot((unsigned)r, SIGN));
}
END_TEST

START_TEST(test_slot_ids_stable)
{
	CK_SLOT_ID auth = api_slot(0, AUTH), sign = api_slot(0, SIGN), other;
	CK_SLOT_INFO info;
	int r;

	/* Unplugged: the slots stay, without a token. */
	vt_unplug_reader(api.vt, 0);
	RV(f->C_GetSlotInfo(auth, &info), CKR_OK);
	ck_assert_uint_eq(info.flags & CKF_TOKEN_PRESENT, 0);
	/* A new reader gets new IDs... */
	r = api_add_reader("Another Reader");
	other = api_slot((unsigned)r, AUTH);
	ck_assert_uint_ne(other, auth);
	ck_assert_uint_ne(other, sign);
	/* ... and the first one, plugged again under its name, gets its old IDs. */
	r = api_add_reader("Virtual Reader 0");
	api_insert((unsigned)r, VCARD_PROFILE_MYNUMBER, 0);
	ck_assert_uint_eq(api_slot((unsigned)r, AUTH), auth);
	ck_assert_uint_eq(api_slot((unsigned)r, SIGN), sign);
	api_token_info(auth);
	/* And across C_Finalize/C_Initialize. */
	api_finalize();
	api_init();
	ck_assert_uint_eq(api_slot((unsigned)r, SIGN), sign);
}
END_TEST

START_TEST(test_removal_ends_sessions)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE h = api_open(slot, false), h2;
	CK_SESSION_INFO info;
	CK_TOKEN_INFO tinfo;

	vt_remove(api.vt, 0);
	RV(f->C_GetSessionInfo(h, &info), CKR_SESSION_HANDLE_INVALID);
	RV(f->C_GetTokenInfo(slot, &tinfo), CKR_TOKEN_NOT_PRESENT);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	RV(f->C_GetSessionInfo(h, &info), CKR_SESSION_HANDLE_INVALID);
	h2 = api_open(slot, false);
	ck_assert_uint_ne(h2, h);
	tinfo = api_token_info(slot);
	ck_assert_uint_eq(tinfo.ulSessionCount, 1);
}
END_TEST

START_TEST(test_removal_during_operation)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE h = api_open(slot, false);
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_OBJECT_HANDLE key;
	CK_BYTE sig[256];
	CK_ULONG len = sizeof(sig);

	api_login(h, AUTH_PIN);
	key = api_find_one(h, CKO_PRIVATE_KEY, 1);
	RV(f->C_SignInit(h, &mech, key), CKR_OK);
	vt_remove(api.vt, 0);
	/* The call that meets the removal says so; the session is gone afterwards. */
	RV(f->C_Sign(h, (CK_BYTE_PTR) "x", 1, sig, &len), CKR_DEVICE_REMOVED);
	RV(f->C_SignInit(h, &mech, key), CKR_SESSION_HANDLE_INVALID);
}
END_TEST

START_TEST(test_no_event_without_change)
{
	CK_SLOT_ID slot;

	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_NO_EVENT);
	api_token_info(api_slot(0, AUTH));
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_NO_EVENT);
}
END_TEST

START_TEST(test_events_non_blocking)
{
	CK_SLOT_ID slot = 999, auth = api_slot(0, AUTH), sign = api_slot(0, SIGN);

	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_NO_EVENT);
	vt_remove(api.vt, 0);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_OK);
	ck_assert_uint_eq(slot, auth);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_OK);
	ck_assert_uint_eq(slot, sign);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_NO_EVENT);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_OK);
	ck_assert_uint_eq(slot, auth);
	/* A reset is an event too. */
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_OK);
	vt_reset(api.vt, 0);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_OK);
}
END_TEST

struct waiter {
	pthread_t thread;
	CK_SLOT_ID slot;
	CK_RV rv;
	volatile bool done;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->rv = f->C_WaitForSlotEvent(0, &w->slot, NULL);
	w->done = true;
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

START_TEST(test_events_blocking)
{
	struct waiter w = {0};
	CK_SLOT_ID auth = api_slot(0, AUTH);

	ck_assert_int_eq(pthread_create(&w.thread, NULL, wait_thread, &w), 0);
	sleep_ms(200);
	ck_assert(!w.done); /* nothing happened: it waits */
	vt_remove(api.vt, 0);
	ck_assert_int_eq(pthread_join(w.thread, NULL), 0);
	RV(w.rv, CKR_OK);
	ck_assert_uint_eq(w.slot, auth);
}
END_TEST

START_TEST(test_finalize_wakes_waiter)
{
	struct waiter w = {0};

	api_slot(0, AUTH);
	ck_assert_int_eq(pthread_create(&w.thread, NULL, wait_thread, &w), 0);
	sleep_ms(200);
	ck_assert(!w.done);
	api_finalize();
	ck_assert_int_eq(pthread_join(w.thread, NULL), 0);
	RV(w.rv, CKR_CRYPTOKI_NOT_INITIALIZED);
}
END_TEST

START_TEST(test_new_reader_with_card_is_an_event)
{
	CK_SLOT_ID slot;
	int r;

	api_slot(0, AUTH);
	r = api_add_reader("Late Reader");
	api_insert((unsigned)r, VCARD_PROFILE_MYNUMBER, 1);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL), CKR_OK);
	ck_assert_uint_eq(slot, api_slot((unsigned)r, AUTH));
}
END_TEST

START_TEST(test_mechanisms)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_MECHANISM_TYPE list[16];
	CK_MECHANISM_INFO info;
	CK_ULONG n = 0, i;

	RV(f->C_GetMechanismList(slot, NULL, &n), CKR_OK);
	ck_assert_uint_eq(n, 6);
	n = 5;
	RV(f->C_GetMechanismList(slot, list, &n), CKR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(n, 6);
	RV(f->C_GetMechanismList(slot, list, &n), CKR_OK);
	for (i = 0; i < n; i++) {
		RV(f->C_GetMechanismInfo(slot, list[i], &info), CKR_OK);
		ck_assert_uint_eq(info.ulMinKeySize, 2048);
		ck_assert_uint_eq(info.ulMaxKeySize, 2048);
		ck_assert_uint_eq(info.flags, CKF_HW | CKF_SIGN | CKF_VERIFY);
		ck_assert_uint_ne(list[i], CKM_RSA_PKCS_PSS);
	}
	RV(f->C_GetMechanismInfo(slot, CKM_RSA_PKCS_PSS, &info), CKR_MECHANISM_INVALID);
	RV(f->C_GetMechanismInfo(slot, CKM_RSA_X_509, &info), CKR_MECHANISM_INVALID);
	RV(f->C_GetMechanismInfo(9999, CKM_RSA_PKCS, &info), CKR_SLOT_ID_INVALID);
}
END_TEST

START_TEST(test_mechanisms_with_pss)
{
	CK_SLOT_ID slot;
	CK_MECHANISM_TYPE list[16];
	CK_MECHANISM_INFO info;
	CK_ULONG n = 16;

	api_config("rsa_pss = on\n");
	api_init();
	slot = api_slot(0, SIGN);
	RV(f->C_GetMechanismList(slot, list, &n), CKR_OK);
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(list[6], CKM_RSA_PKCS_PSS);
	ck_assert_uint_eq(list[7], CKM_SHA256_RSA_PKCS_PSS);
	RV(f->C_GetMechanismInfo(slot, CKM_SHA256_RSA_PKCS_PSS, &info), CKR_OK);
	ck_assert_uint_eq(info.flags, CKF_HW | CKF_SIGN | CKF_VERIFY);
}
END_TEST

START_TEST(test_reader_filter)
{
	CK_ULONG n = 0;
	int r;

	r = api_add_reader("Excluded Reader");
	api_insert((unsigned)r, VCARD_PROFILE_MYNUMBER, 1);
	api_config("reader_exclude = Excluded\n");
	api_init();
	RV(f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(api_apdus((unsigned)r), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-slots");
	TCase *tc = tcase_create("slots");
	TCase *tu = tcase_create("configured");
	SRunner *sr;
	int failed;

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_slot_list_two_call);
	tcase_add_test(tc, test_slot_info);
	tcase_add_test(tc, test_token_info);
	tcase_add_test(tc, test_serials_stable_and_per_card);
	tcase_add_test(tc, test_token_info_does_no_io);
	tcase_add_test(tc, test_empty_reader);
	tcase_add_test(tc, test_profile_juki);
	tcase_add_test(tc, test_profile_minor);
	tcase_add_test(tc, test_not_a_jpki_card);
	tcase_add_test(tc, test_reader_appears_later);
	tcase_add_test(tc, test_slot_ids_stable);
	tcase_add_test(tc, test_removal_ends_sessions);
	tcase_add_test(tc, test_removal_during_operation);
	tcase_add_test(tc, test_no_event_without_change);
	tcase_add_test(tc, test_events_non_blocking);
	tcase_add_test(tc, test_events_blocking);
	tcase_add_test(tc, test_finalize_wakes_waiter);
	tcase_add_test(tc, test_new_reader_with_card_is_an_event);
	tcase_add_test(tc, test_mechanisms);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tu, setup_uninit, api_teardown);
	tcase_set_timeout(tu, 60);
	tcase_add_test(tu, test_mechanisms_with_pss);
	tcase_add_test(tu, test_reader_filter);
	suite_add_tcase(s, tu);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
