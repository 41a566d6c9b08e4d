/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* C_Initialize's locking arguments (v2.40 §5.4) and the mutex wrappers. */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "pkcs11/locking.h"

static int created, destroyed, locked, unlocked;

static CK_RV app_create(void **m)
{
	created++;
	*m = malloc(1);
	return CKR_OK;
}

static CK_RV app_destroy(void *m)
{
	destroyed++;
	free(m);
	return CKR_OK;
}

static CK_RV app_lock(void *m)
{
	locked++;
	return CKR_OK;
}

static CK_RV app_unlock(void *m)
{
	unlocked++;
	return CKR_OK;
}

static CK_C_INITIALIZE_ARGS args(bool callbacks, CK_FLAGS flags)
{
	CK_C_INITIALIZE_ARGS a = {NULL, NULL, NULL, NULL, flags, NULL};

	created = destroyed = locked = unlocked = 0;

	if (callbacks) {
		a.CreateMutex = app_create;
		a.DestroyMutex = app_destroy;
		a.LockMutex = app_lock;
		a.UnlockMutex = app_unlock;
	}
	return a;
}

START_TEST(test_no_args_is_os_locking)
{
	struct locking l;
	void *m;

	ck_assert_uint_eq(locking_setup(NULL, &l), CKR_OK);
	ck_assert(l.os);
	ck_assert_uint_eq(locking_new(&l, &m), CKR_OK);
	locking_lock(&l, m);
	locking_unlock(&l, m);
	locking_free(&l, m);
	locking_free(&l, NULL);
}
END_TEST

START_TEST(test_reserved_is_bad)
{
	CK_C_INITIALIZE_ARGS a = args(false, CKF_OS_LOCKING_OK);
	struct locking l;

	a.pReserved = &a;
	ck_assert_uint_eq(locking_setup(&a, &l), CKR_ARGUMENTS_BAD);
}
END_TEST

START_TEST(test_some_callbacks_is_bad)
{
	CK_C_INITIALIZE_ARGS a = args(true, 0);
	struct locking l;

	a.UnlockMutex = NULL;
	ck_assert_uint_eq(locking_setup(&a, &l), CKR_ARGUMENTS_BAD);
	a = args(false, CKF_OS_LOCKING_OK);
	a.CreateMutex = app_create;
	ck_assert_uint_eq(locking_setup(&a, &l), CKR_ARGUMENTS_BAD);
}
END_TEST

START_TEST(test_callbacks_without_os_flag_are_used)
{
	CK_C_INITIALIZE_ARGS a = args(true, 0);
	struct locking l;
	void *m;

	ck_assert_uint_eq(locking_setup(&a, &l), CKR_OK);
	ck_assert(!l.os);
	ck_assert_uint_eq(locking_new(&l, &m), CKR_OK);
	locking_lock(&l, m);
	locking_unlock(&l, m);
	locking_free(&l, m);
	ck_assert_int_eq(created, 1);
	ck_assert_int_eq(locked, 1);
	ck_assert_int_eq(unlocked, 1);
	ck_assert_int_eq(destroyed, 1);
}
END_TEST

START_TEST(test_os_flag_wins)
{
	CK_C_INITIALIZE_ARGS a = args(true, CKF_OS_LOCKING_OK);
	CK_C_INITIALIZE_ARGS b = args(false, CKF_OS_LOCKING_OK);
	CK_C_INITIALIZE_ARGS c = args(false, CKF_LIBRARY_CANT_CREATE_OS_THREADS);
	struct locking l;
	void *m;

	ck_assert_uint_eq(locking_setup(&a, &l), CKR_OK);
	ck_assert(l.os);
	ck_assert_uint_eq(locking_new(&l, &m), CKR_OK);
	locking_lock(&l, m);
	locking_unlock(&l, m);
	locking_free(&l, m);
	ck_assert_int_eq(created + locked, 0);
	ck_assert_uint_eq(locking_setup(&b, &l), CKR_OK);
	ck_assert(l.os);
	ck_assert_uint_eq(locking_setup(&c, &l), CKR_OK);
	ck_assert(l.os);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("locking");
	TCase *tc = tcase_create("locking");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_no_args_is_os_locking);
	tcase_add_test(tc, test_reserved_is_bad);
	tcase_add_test(tc, test_some_callbacks_is_bad);
	tcase_add_test(tc, test_callbacks_without_os_flag_are_used);
	tcase_add_test(tc, test_os_flag_wins);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
