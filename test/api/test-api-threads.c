/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Several threads at once, as browsers do: signing on both tokens of a card, listing slots and
 * tokens, searching objects and polling for events, with OS locking and with the
 * application's mutex callbacks. Every signature must verify; nothing may crash or deadlock.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "test/api/test-api.h"

#define ROUNDS 25

static CK_FUNCTION_LIST_PTR f;
static const char msg[] = "signed from many threads";
static CK_SLOT_ID auth_slot, sign_slot;

static void setup(void)
{
	api_setup_uninitialised();
	f = api.f;
}

static bool verifies(const uint8_t *der, size_t der_len, const uint8_t *sig, size_t len)
{
	X509 *x = d2i_X509(NULL, &der, (long)der_len);
	EVP_PKEY *k = X509_get_pubkey(x);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, k) == 1 &&
		 EVP_DigestVerify(ctx, sig, len, (const uint8_t *)msg, sizeof(msg)) == 1;

	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	X509_free(x);
	return ok;
}

/* Thread bodies return the number of failures. */
static void *signer(void *arg)
{
	int kind = *(int *)arg;
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_SESSION_HANDLE h;
	CK_OBJECT_HANDLE key = 0, found[2];
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE t = {CKA_CLASS, &cls, sizeof(cls)};
	CK_BYTE sig[256];
	CK_ULONG len, n = 0;
	const char *pin = kind == AUTH ? AUTH_PIN : SIGN_PIN;
	long bad = 0;
	int i;

	if (f->C_OpenSession(kind == AUTH ? auth_slot : sign_slot, CKF_SERIAL_SESSION, NULL, NULL,
			     &h) != CKR_OK)
		return (void *)1L;
	bad += f->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)) != CKR_OK;
	bad += f->C_FindObjectsInit(h, &t, 1) != CKR_OK;
	bad += f->C_FindObjects(h, found, 2, &n) != CKR_OK || n != 1;
	bad += f->C_FindObjectsFinal(h) != CKR_OK;
	key = found[0];
	for (i = 0; i < ROUNDS && bad == 0; i++) {
		len = sizeof(sig);
		bad += f->C_SignInit(h, &mech, key) != CKR_OK;
		if (kind == SIGN)
			bad += f->C_Login(h, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)pin,
					  strlen(pin)) != CKR_OK;
		bad += f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg), sig, &len) != CKR_OK;
		bad += !verifies(kind == AUTH ? api.id[0].auth_cert : api.id[0].sign_cert,
				 kind == AUTH ? api.id[0].auth_cert_len : api.id[0].sign_cert_len,
				 sig, len);
	}
	/* Keep the session (and so the login) until the end: closing is the main thread's job. */
	return (void *)bad;
}

static void *lister(void *arg)
{
	CK_SLOT_ID slots[16], ev;
	CK_TOKEN_INFO ti;
	CK_SLOT_INFO si;
	CK_ULONG n;
	long bad = 0;
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS * 4; i++) {
		n = 16;
		bad += f->C_GetSlotList(i % 2 ? CK_TRUE : CK_FALSE, i % 3 ? slots : NULL, &n) !=
		       CKR_OK;
		bad += f->C_GetSlotInfo(auth_slot, &si) != CKR_OK;
		bad += f->C_GetTokenInfo(sign_slot, &ti) != CKR_OK;
		bad += f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &ev, NULL) != CKR_NO_EVENT;
	}
	return (void *)bad;
}

static void *finder(void *arg)
{
	CK_OBJECT_HANDLE o[8];
	CK_SESSION_HANDLE h;
	CK_ATTRIBUTE t = {CKA_VALUE, NULL, 0};
	CK_ULONG n;
	long bad = 0;
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS * 2; i++) {
		bad += f->C_OpenSession(auth_slot, CKF_SERIAL_SESSION, NULL, NULL, &h) != CKR_OK;
		bad += f->C_FindObjectsInit(h, NULL, 0) != CKR_OK;
		bad += f->C_FindObjects(h, o, 8, &n) != CKR_OK || n < 3;
		bad += f->C_FindObjectsFinal(h) != CKR_OK;
		t.pValue = NULL;
		bad += f->C_GetAttributeValue(h, o[0], &t, 1) != CKR_OK;
		bad += f->C_CloseSession(h) != CKR_OK;
	}
	return (void *)bad;
}

static void run_threads(void)
{
	static int kinds[2] = {AUTH, SIGN};
	pthread_t t[5];
	void *r;
	long bad = 0;
	int i;

	auth_slot = api_slot(0, AUTH);
	sign_slot = api_slot(0, SIGN);
	ck_assert_int_eq(pthread_create(&t[0], NULL, signer, &kinds[0]), 0);
	ck_assert_int_eq(pthread_create(&t[1], NULL, signer, &kinds[1]), 0);
	ck_assert_int_eq(pthread_create(&t[2], NULL, lister, NULL), 0);
	ck_assert_int_eq(pthread_create(&t[3], NULL, finder, NULL), 0);
	ck_assert_int_eq(pthread_create(&t[4], NULL, lister, NULL), 0);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(pthread_join(t[i], &r), 0);
		ck_assert_msg((long)r == 0, "thread %d: %ld failures", i, (long)r);
		bad += (long)r;
	}
	ck_assert_int_eq(bad, 0);
	ck_assert_int_eq(api.pins[0].auth_tries, 3);
	ck_assert_int_eq(api.pins[0].sign_tries, 5);
}

START_TEST(test_os_locking)
{
	CK_C_INITIALIZE_ARGS a = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};

	RV(f->C_Initialize(&a), CKR_OK);
	api.initialised = true;
	run_threads();
}
END_TEST

static int app_mutex_ops;

static CK_RV app_create(void **m)
{
	pthread_mutex_t *p = malloc(sizeof(*p));

	pthread_mutex_init(p, NULL);
	*m = p;
	return CKR_OK;
}

static CK_RV app_destroy(void *m)
{
	pthread_mutex_destroy(m);
	free(m);
	return CKR_OK;
}

static CK_RV app_lock(void *m)
{
	pthread_mutex_lock(m);
	app_mutex_ops++; /* under the mutex just taken: good enough as a "was used" signal */
	return CKR_OK;
}

static CK_RV app_unlock(void *m)
{
	pthread_mutex_unlock(m);
	return CKR_OK;
}

START_TEST(test_application_locking)
{
	CK_C_INITIALIZE_ARGS a = {app_create, app_destroy, app_lock, app_unlock, 0, NULL};

	RV(f->C_Initialize(&a), CKR_OK);
	api.initialised = true;
	run_threads();
	ck_assert_int_gt(app_mutex_ops, 100);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-threads");
	TCase *tc = tcase_create("threads");
	SRunner *sr;
	int failed;

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_os_locking);
	tcase_add_test(tc, test_application_locking);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
