/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The module as a whole: the function list, C_Initialize/C_Finalize and their arguments,
 * application mutex callbacks, fork, logging, and every entry point against the generic
 * failures: not initialised, NULL pointers, invalid handles.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

START_TEST(test_function_list)
{
	CK_FUNCTION_LIST_PTR list = NULL;
	void (**p)(void);
	size_t i, n;

	RV(C_GetFunctionList(NULL), CKR_ARGUMENTS_BAD);
	RV(C_GetFunctionList(&list), CKR_OK);
	ck_assert_int_eq(list->version.major, 2);
	ck_assert_int_eq(list->version.minor, 40);
	/* Every v2.40 entry point is in the list (68 pointers after the version). */
	p = (void (**)(void))((char *)list + offsetof(CK_FUNCTION_LIST, C_Initialize));
	n = (sizeof(CK_FUNCTION_LIST) - offsetof(CK_FUNCTION_LIST, C_Initialize)) / sizeof(*p);
	ck_assert_uint_eq(n, 68);
	for (i = 0; i < n; i++)
		ck_assert_msg(p[i] != NULL, "entry %zu is NULL", i);
	ck_assert_ptr_eq(list->C_GetFunctionList, C_GetFunctionList);
	ck_assert_ptr_eq(list->C_WaitForSlotEvent, C_WaitForSlotEvent);
}
END_TEST

/* Calls every function but C_Initialize/C_Finalize/C_GetFunctionList with good pointers. */
static void every_function(CK_RV want_session, CK_RV want_slot, CK_RV want_global, CK_SLOT_ID slot,
			   CK_SESSION_HANDLE h)
{
	CK_BYTE buf[512];
	CK_ULONG len = sizeof(buf), n = 4;
	CK_SLOT_ID slots[4];
	CK_INFO info;
	CK_SLOT_INFO sinfo;
	CK_TOKEN_INFO tinfo;
	CK_SESSION_INFO session_info;
	CK_MECHANISM_TYPE mechs[16];
	CK_MECHANISM_INFO minfo;
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_OBJECT_CLASS cls = CKO_DATA;
	CK_ATTRIBUTE tmpl[1] = {{CKA_CLASS, &cls, sizeof(cls)}};
	CK_OBJECT_HANDLE o, o2, objs[4];
	CK_SESSION_HANDLE h2;
	CK_UTF8CHAR pin[] = AUTH_PIN, label[32];

	memset(label, ' ', sizeof(label));
	RV(f->C_GetInfo(&info), want_global);
	RV(f->C_GetSlotList(CK_FALSE, slots, &n), want_global);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL),
	   want_global == CKR_OK ? CKR_NO_EVENT : want_global);
	RV(f->C_GetSlotInfo(slot, &sinfo), want_slot);
	RV(f->C_GetTokenInfo(slot, &tinfo), want_slot);
	RV(f->C_GetMechanismList(slot, mechs, &n), want_slot);
	RV(f->C_GetMechanismInfo(slot, CKM_RSA_PKCS, &minfo), want_slot);
	RV(f->C_InitToken(slot, pin, 4, label),
	   want_slot == CKR_OK ? CKR_FUNCTION_NOT_SUPPORTED : want_slot);
	RV(f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &h2), want_slot);
	RV(f->C_CloseAllSessions(slot), want_slot);

	RV(f->C_InitPIN(h, pin, 4), want_session);
	RV(f->C_SetPIN(h, pin, 4, pin, 4), want_session);
	RV(f->C_GetSessionInfo(h, &session_info), want_session);
	RV(f->C_GetOperationState(h, buf, &len), want_session);
	RV(f->C_SetOperationState(h, buf, 10, 0, 0), want_session);
	RV(f->C_Login(h, CKU_USER, pin, 4), want_session);
	RV(f->C_Logout(h), want_session);
	RV(f->C_CreateObject(h, tmpl, 1, &o), want_session);
	RV(f->C_CopyObject(h, 1, tmpl, 1, &o2), want_session);
	RV(f->C_DestroyObject(h, 1), want_session);
	RV(f->C_GetObjectSize(h, 1, &len), want_session);
	RV(f->C_GetAttributeValue(h, 1, tmpl, 1), want_session);
	RV(f->C_SetAttributeValue(h, 1, tmpl, 1), want_session);
	RV(f->C_FindObjectsInit(h, tmpl, 1), want_session);
	RV(f->C_FindObjects(h, objs, 4, &n), want_session);
	RV(f->C_FindObjectsFinal(h), want_session);
	RV(f->C_EncryptInit(h, &mech, 1), want_session);
	RV(f->C_Encrypt(h, buf, 10, buf, &len), want_session);
	RV(f->C_EncryptUpdate(h, buf, 10, buf, &len), want_session);
	RV(f->C_EncryptFinal(h, buf, &len), want_session);
	RV(f->C_DecryptInit(h, &mech, 1), want_session);
	RV(f->C_Decrypt(h, buf, 10, buf, &len), want_session);
	RV(f->C_DecryptUpdate(h, buf, 10, buf, &len), want_session);
	RV(f->C_DecryptFinal(h, buf, &len), want_session);
	RV(f->C_DigestInit(h, &mech), want_session);
	RV(f->C_Digest(h, buf, 10, buf, &len), want_session);
	RV(f->C_DigestUpdate(h, buf, 10), want_session);
	RV(f->C_DigestKey(h, 1), want_session);
	RV(f->C_DigestFinal(h, buf, &len), want_session);
	RV(f->C_SignInit(h, &mech, 1), want_session);
	RV(f->C_Sign(h, buf, 10, buf, &len), want_session);
	RV(f->C_SignUpdate(h, buf, 10), want_session);
	RV(f->C_SignFinal(h, buf, &len), want_session);
	RV(f->C_SignRecoverInit(h, &mech, 1), want_session);
	RV(f->C_SignRecover(h, buf, 10, buf, &len), want_session);
	RV(f->C_VerifyInit(h, &mech, 1), want_session);
	RV(f->C_Verify(h, buf, 10, buf, 256), want_session);
	RV(f->C_VerifyUpdate(h, buf, 10), want_session);
	RV(f->C_VerifyFinal(h, buf, 256), want_session);
	RV(f->C_VerifyRecoverInit(h, &mech, 1), want_session);
	RV(f->C_VerifyRecover(h, buf, 256, buf, &len), want_session);
	RV(f->C_DigestEncryptUpdate(h, buf, 10, buf, &len), want_session);
	RV(f->C_DecryptDigestUpdate(h, buf, 10, buf, &len), want_session);
	RV(f->C_SignEncryptUpdate(h, buf, 10, buf, &len), want_session);
	RV(f->C_DecryptVerifyUpdate(h, buf, 10, buf, &len), want_session);
	RV(f->C_GenerateKey(h, &mech, tmpl, 1, &o), want_session);
	RV(f->C_GenerateKeyPair(h, &mech, tmpl, 1, tmpl, 1, &o, &o2), want_session);
	RV(f->C_WrapKey(h, &mech, 1, 2, buf, &len), want_session);
	RV(f->C_UnwrapKey(h, &mech, 1, buf, 10, tmpl, 1, &o), want_session);
	RV(f->C_DeriveKey(h, &mech, 1, tmpl, 1, &o), want_session);
	RV(f->C_SeedRandom(h, buf, 10), want_session);
	RV(f->C_GenerateRandom(h, buf, 10), want_session);
	RV(f->C_GetFunctionStatus(h), want_session);
	RV(f->C_CancelFunction(h), want_session);
	RV(f->C_CloseSession(h), want_session);
}

START_TEST(test_not_initialised)
{
	const CK_RV ni = CKR_CRYPTOKI_NOT_INITIALIZED;

	RV(f->C_Finalize(NULL), ni);
	every_function(ni, ni, ni, 0, 1);
	/* And again after a full cycle. */
	api_init();
	api_finalize();
	every_function(ni, ni, ni, 0, 1);
	/* No card I/O at all without C_Initialize. */
	ck_assert_uint_eq(api_apdus(0), 0);
}
END_TEST

START_TEST(test_invalid_handles)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE h = api_open(slot, true);

	/* Never-issued handles: SESSION_HANDLE_INVALID / SLOT_ID_INVALID everywhere. */
	every_function(CKR_SESSION_HANDLE_INVALID, CKR_SLOT_ID_INVALID, CKR_OK, 9999, h + 1000);
	every_function(CKR_SESSION_HANDLE_INVALID, CKR_SLOT_ID_INVALID, CKR_OK, 9999,
		       CK_INVALID_HANDLE);
	/* A closed session's handle stays invalid. */
	RV(f->C_CloseSession(h), CKR_OK);
	every_function(CKR_SESSION_HANDLE_INVALID, CKR_SLOT_ID_INVALID, CKR_OK, 9999, h);
}
END_TEST

START_TEST(test_null_pointers)
{
	const CK_RV bad = CKR_ARGUMENTS_BAD;
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE h = api_open(slot, true);
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE buf[256];
	CK_ULONG len = sizeof(buf);
	CK_OBJECT_HANDLE o;
	CK_UTF8CHAR pin[] = AUTH_PIN, label[32];
	CK_C_INITIALIZE_ARGS args = {NULL, NULL, NULL, NULL, 0, &args};

	memset(label, ' ', sizeof(label));
	RV(f->C_Initialize(&args), bad); /* checked even when initialised */
	RV(f->C_Finalize(&args), bad);
	RV(f->C_GetInfo(NULL), bad);
	RV(f->C_GetSlotList(CK_FALSE, NULL, NULL), bad);
	RV(f->C_GetSlotInfo(slot, NULL), bad);
	RV(f->C_GetSlotInfo(9999, NULL), bad); /* pointers before handles */
	RV(f->C_GetTokenInfo(slot, NULL), bad);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, NULL, NULL), bad);
	RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, &len), bad);
	RV(f->C_GetMechanismList(slot, NULL, NULL), bad);
	RV(f->C_GetMechanismInfo(slot, CKM_RSA_PKCS, NULL), bad);
	RV(f->C_GetMechanismInfo(slot, 0x12345678, NULL), bad);
	RV(f->C_InitToken(slot, pin, 4, NULL), bad);
	RV(f->C_InitToken(slot, NULL, 4, label), bad);
	RV(f->C_InitPIN(h, NULL, 4), bad);
	RV(f->C_SetPIN(h, NULL, 4, pin, 4), bad);
	RV(f->C_SetPIN(h, pin, 4, NULL, 4), bad);
	RV(f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, NULL), bad);
	RV(f->C_GetSessionInfo(h, NULL), bad);
	RV(f->C_GetSessionInfo(9999, NULL), bad);
	RV(f->C_GetOperationState(h, buf, NULL), bad);
	RV(f->C_SetOperationState(h, NULL, 4, 0, 0), bad);
	RV(f->C_Login(h, CKU_USER, NULL, 4), bad);
	RV(f->C_CreateObject(h, NULL, 1, &o), bad);
	RV(f->C_CreateObject(h, NULL, 0, NULL), bad);
	RV(f->C_CopyObject(h, 1, NULL, 1, &o), bad);
	RV(f->C_CopyObject(h, 1, NULL, 0, NULL), bad);
	RV(f->C_GetObjectSize(h, 1, NULL), bad);
	RV(f->C_GetAttributeValue(h, 1, NULL, 1), bad);
	RV(f->C_SetAttributeValue(h, 1, NULL, 1), bad);
	RV(f->C_FindObjectsInit(h, NULL, 1), bad);
	RV(f->C_FindObjects(h, NULL, 1, &len), bad);
	RV(f->C_FindObjects(h, &o, 1, NULL), bad);
	RV(f->C_EncryptInit(h, NULL, 1), bad);
	RV(f->C_Encrypt(h, NULL, 4, buf, &len), bad);
	RV(f->C_Encrypt(h, buf, 4, buf, NULL), bad);
	RV(f->C_EncryptUpdate(h, buf, 4, buf, NULL), bad);
	RV(f->C_EncryptFinal(h, buf, NULL), bad);
	RV(f->C_DecryptInit(h, NULL, 1), bad);
	RV(f->C_Decrypt(h, buf, 4, buf, NULL), bad);
	RV(f->C_DecryptUpdate(h, NULL, 4, buf, &len), bad);
	RV(f->C_DecryptFinal(h, buf, NULL), bad);
	RV(f->C_DigestInit(h, NULL), bad);
	RV(f->C_Digest(h, buf, 4, buf, NULL), bad);
	RV(f->C_DigestUpdate(h, NULL, 4), bad);
	RV(f->C_DigestFinal(h, buf, NULL), bad);
	RV(f->C_SignInit(h, NULL, 1), bad);
	RV(f->C_Sign(h, buf, 4, buf, NULL), bad);
	RV(f->C_Sign(h, NULL, 4, buf, &len), bad);
	RV(f->C_SignUpdate(h, NULL, 4), bad);
	RV(f->C_SignFinal(h, buf, NULL), bad);
	RV(f->C_SignRecoverInit(h, NULL, 1), bad);
	RV(f->C_SignRecover(h, buf, 4, buf, NULL), bad);
	RV(f->C_VerifyInit(h, NULL, 1), bad);
	RV(f->C_Verify(h, buf, 4, NULL, 256), bad);
	RV(f->C_Verify(h, NULL, 4, buf, 256), bad);
	RV(f->C_VerifyUpdate(h, NULL, 4), bad);
	RV(f->C_VerifyFinal(h, NULL, 256), bad);
	RV(f->C_VerifyRecoverInit(h, NULL, 1), bad);
	RV(f->C_VerifyRecover(h, buf, 256, buf, NULL), bad);
	RV(f->C_DigestEncryptUpdate(h, buf, 4, buf, NULL), bad);
	RV(f->C_DecryptDigestUpdate(h, buf, 4, buf, NULL), bad);
	RV(f->C_SignEncryptUpdate(h, buf, 4, buf, NULL), bad);
	RV(f->C_DecryptVerifyUpdate(h, buf, 4, buf, NULL), bad);
	RV(f->C_GenerateKey(h, &mech, NULL, 0, NULL), bad);
	RV(f->C_GenerateKey(h, NULL, NULL, 0, &o), bad);
	RV(f->C_GenerateKeyPair(h, &mech, NULL, 0, NULL, 0, &o, NULL), bad);
	RV(f->C_WrapKey(h, &mech, 1, 2, buf, NULL), bad);
	RV(f->C_UnwrapKey(h, &mech, 1, buf, 4, NULL, 0, NULL), bad);
	RV(f->C_DeriveKey(h, NULL, 1, NULL, 0, &o), bad);
	RV(f->C_SeedRandom(h, NULL, 4), bad);
	RV(f->C_GenerateRandom(h, NULL, 4), bad);
	/* None of it reached the card beyond the probe, and the session is intact. */
	ck_assert_int_eq(api_state(h), CKS_RW_PUBLIC_SESSION);
}
END_TEST

START_TEST(test_unsupported_functions)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE h = api_open(slot, true);
	CK_MECHANISM mech = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE buf[256];
	CK_ULONG len = sizeof(buf);
	CK_OBJECT_HANDLE o, o2, key;
	CK_UTF8CHAR pin[] = AUTH_PIN, label[32];
	const CK_RV ns = CKR_FUNCTION_NOT_SUPPORTED;

	api_login(h, AUTH_PIN);
	key = api_find_one(h, CKO_PRIVATE_KEY, 1);
	memset(label, ' ', sizeof(label));
	RV(f->C_InitToken(slot, pin, 4, label), ns);
	RV(f->C_InitPIN(h, pin, 4), ns);
	RV(f->C_GetOperationState(h, NULL, &len), ns);
	RV(f->C_SetOperationState(h, buf, 4, 0, 0), ns);
	RV(f->C_EncryptInit(h, &mech, key), ns);
	RV(f->C_Encrypt(h, buf, 4, buf, &len), ns);
	RV(f->C_DecryptInit(h, &mech, key), ns);
	RV(f->C_Decrypt(h, buf, 4, buf, &len), ns);
	RV(f->C_DigestInit(h, &mech), ns);
	RV(f->C_DigestKey(h, key), ns);
	RV(f->C_SignRecoverInit(h, &mech, key), ns);
	RV(f->C_VerifyRecoverInit(h, &mech, key), ns);
	RV(f->C_GenerateKeyPair(h, &mech, NULL, 0, NULL, 0, &o, &o2), ns);
	RV(f->C_GenerateKey(h, &mech, NULL, 0, &o), ns);
	RV(f->C_WrapKey(h, &mech, key, key, NULL, &len), ns);
	RV(f->C_UnwrapKey(h, &mech, key, buf, 4, NULL, 0, &o), ns);
	RV(f->C_DeriveKey(h, &mech, key, NULL, 0, &o), ns);
	RV(f->C_SeedRandom(h, buf, 4), CKR_RANDOM_NO_RNG);
	RV(f->C_GenerateRandom(h, buf, 4), CKR_RANDOM_NO_RNG);
	RV(f->C_GetFunctionStatus(h), CKR_FUNCTION_NOT_PARALLEL);
	RV(f->C_CancelFunction(h), CKR_FUNCTION_NOT_PARALLEL);
	/* Refusing left the session and its login alone. */
	ck_assert_int_eq(api_state(h), CKS_RW_USER_FUNCTIONS);
}
END_TEST

START_TEST(test_initialize_finalize)
{
	CK_SLOT_ID slots[2];
	CK_SLOT_INFO sinfo;
	CK_ULONG n = 0;
	CK_INFO info;

	RV(f->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
	RV(f->C_GetInfo(&info), CKR_OK);
	ck_assert_int_eq(info.cryptokiVersion.major, 2);
	ck_assert_int_eq(info.cryptokiVersion.minor, 40);
	ck_assert_int_eq(info.flags, 0);
	ck_assert_mem_eq(info.manufacturerID, "jpki-pkcs11", 11);
	ck_assert_int_eq(info.manufacturerID[31], ' ');
	ck_assert_int_eq(info.libraryDescription[31], ' ');
	api_finalize();
	RV(f->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
	RV(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
	api_init();
	/* C_Initialize and slot listing do no card I/O; the first token question does. */
	ck_assert_uint_eq(api_apdus(0), 0);
	RV(f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
	ck_assert_uint_eq(n, 2);
	RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
	ck_assert_uint_eq(api_apdus(0), 0);
	RV(f->C_GetSlotInfo(slots[0], &sinfo), CKR_OK);
	ck_assert(sinfo.flags & CKF_TOKEN_PRESENT);
	ck_assert_uint_gt(api_apdus(0), 0);
}
END_TEST

START_TEST(test_initialize_args)
{
	CK_C_INITIALIZE_ARGS a;

	memset(&a, 0, sizeof(a));
	a.pReserved = &a;
	RV(f->C_Initialize(&a), CKR_ARGUMENTS_BAD);
	memset(&a, 0, sizeof(a));
	a.CreateMutex = (CK_CREATEMUTEX)1; /* only some callbacks */
	RV(f->C_Initialize(&a), CKR_ARGUMENTS_BAD);
	memset(&a, 0, sizeof(a));
	a.flags = CKF_OS_LOCKING_OK;
	RV(f->C_Initialize(&a), CKR_OK);
	api.initialised = true;
	api_token_info(api_slot(0, SIGN));
}
END_TEST

static int n_create, n_destroy, n_lock, n_unlock, depth;

static CK_RV app_create(void **m)
{
	n_create++;
	*m = malloc(sizeof(int));
	*(int *)*m = 0;
	return CKR_OK;
}

static CK_RV app_destroy(void *m)
{
	n_destroy++;
	ck_assert_int_eq(*(int *)m, 0); /* destroyed unlocked */
	free(m);
	return CKR_OK;
}

static CK_RV app_lock(void *m)
{
	n_lock++;
	ck_assert_int_eq(*(int *)m, 0); /* single thread: never locked twice */
	*(int *)m = 1;
	depth++;
	return CKR_OK;
}

static CK_RV app_unlock(void *m)
{
	n_unlock++;
	ck_assert_int_eq(*(int *)m, 1);
	*(int *)m = 0;
	depth--;
	return CKR_OK;
}

static void exercise(void)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);

	api_login(h, AUTH_PIN);
	api_find_one(h, CKO_PRIVATE_KEY, 1);
	ck_assert_uint_eq(f->C_CloseSession(h), CKR_OK);
}

START_TEST(test_application_mutexes)
{
	CK_C_INITIALIZE_ARGS a = {app_create, app_destroy, app_lock, app_unlock, 0, NULL};

	RV(f->C_Initialize(&a), CKR_OK);
	exercise();
	ck_assert_int_gt(n_create, 1); /* the global lock and one per reader */
	ck_assert_int_gt(n_lock, 10);
	ck_assert_int_eq(n_lock, n_unlock);
	ck_assert_int_eq(depth, 0);
	RV(f->C_Finalize(NULL), CKR_OK);
	ck_assert_int_eq(n_create, n_destroy);
}
END_TEST

START_TEST(test_os_locking_preferred)
{
	CK_C_INITIALIZE_ARGS a = {app_create, app_destroy,	 app_lock,
				  app_unlock, CKF_OS_LOCKING_OK, NULL};

	RV(f->C_Initialize(&a), CKR_OK);
	exercise();
	RV(f->C_Finalize(NULL), CKR_OK);
	ck_assert_int_eq(n_create + n_lock, 0);
}
END_TEST

START_TEST(test_fork_child_not_initialised)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	CK_SLOT_ID slots[8];
	CK_ULONG n = 8;
	CK_INFO info;
	pid_t pid;
	int status = -1;

	api_login(h, AUTH_PIN);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* In the child every call says "not initialised" until it initialises. */
		int bad = f->C_GetInfo(&info) != CKR_CRYPTOKI_NOT_INITIALIZED;

		bad |= f->C_GetSlotList(CK_FALSE, slots, &n) != CKR_CRYPTOKI_NOT_INITIALIZED;
		bad |= f->C_GetSessionInfo(h, NULL) != CKR_CRYPTOKI_NOT_INITIALIZED;
		bad |= f->C_Finalize(NULL) != CKR_CRYPTOKI_NOT_INITIALIZED;
		bad |= f->C_Initialize(NULL) != CKR_OK;
		n = 8;
		bad |= f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK || n != 2;
		bad |= f->C_GetSessionInfo(h, &(CK_SESSION_INFO){0}) != CKR_SESSION_HANDLE_INVALID;
		bad |= f->C_Finalize(NULL) != CKR_OK;
		_exit(bad ? 1 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	/* The parent is untouched. */
	ck_assert_int_eq(api_state(h), CKS_RO_USER_FUNCTIONS);
}
END_TEST

START_TEST(test_bad_configuration_fails)
{
	api_config("final_try = perhaps\n");
	RV(f->C_Initialize(NULL), CKR_GENERAL_ERROR);
	RV(f->C_GetInfo(&(CK_INFO){0}), CKR_CRYPTOKI_NOT_INITIALIZED);
	api_config("final_try = refuse\n");
	api_init();
}
END_TEST

static bool file_contains(const char *path, const void *needle, size_t len)
{
	FILE *fp = fopen(path, "rb");
	static char data[1 << 20];
	size_t n, i;

	ck_assert_ptr_nonnull(fp);
	n = fread(data, 1, sizeof(data), fp);
	fclose(fp);
	for (i = 0; i + len <= n; i++)
		if (memcmp(data + i, needle, len) == 0)
			return true;
	return false;
}

START_TEST(test_log_names_codes_never_pins)
{
	char path[256], env[272];
	CK_SESSION_HANDLE h;

	snprintf(path, sizeof(path), "%s/debug.log", api.dir);
	snprintf(env, sizeof(env), "4:%s", path);
	setenv("JPKI_PKCS11_DEBUG", env, 1);
	api_init();
	h = api_open(api_slot(0, SIGN), false);
	RV(f->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR) "wrong1", 6), CKR_PIN_INCORRECT);
	api_login(h, SIGN_PIN);
	h = api_open(api_slot(0, AUTH), false);
	api_login(h, AUTH_PIN);
	api_finalize();
	ck_assert(file_contains(path, "C_Login: out CKR_PIN_INCORRECT", 30));
	ck_assert(file_contains(path, "C_Initialize: out CKR_OK", 24));
	/* Neither PIN, as text or as APDU bytes in hex. */
	ck_assert(!file_contains(path, SIGN_PIN, strlen(SIGN_PIN)));
	ck_assert(!file_contains(path, "WRONG1", 6));
	ck_assert(!file_contains(path, AUTH_PIN, strlen(AUTH_PIN)));
	ck_assert(!file_contains(path, "37 33 39 31", 11));
	ck_assert(!file_contains(path, "37333931", 8));
	ck_assert(!file_contains(path, "51 58 37 5A", 11));
	ck_assert(!file_contains(path, "51583735", 8));
	ck_assert(!file_contains(path, "51 58 37 5a", 11));
	ck_assert(!file_contains(path, "5158375a", 8));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-general");
	TCase *tc = tcase_create("initialised");
	TCase *tu = tcase_create("uninitialised");
	SRunner *sr;
	int failed;

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_invalid_handles);
	tcase_add_test(tc, test_null_pointers);
	tcase_add_test(tc, test_unsupported_functions);
	tcase_add_test(tc, test_initialize_finalize);
	tcase_add_test(tc, test_fork_child_not_initialised);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tu, setup_uninit, api_teardown);
	tcase_set_timeout(tu, 60);
	tcase_add_test(tu, test_function_list);
	tcase_add_test(tu, test_not_initialised);
	tcase_add_test(tu, test_initialize_args);
	tcase_add_test(tu, test_application_mutexes);
	tcase_add_test(tu, test_os_locking_preferred);
	tcase_add_test(tu, test_bad_configuration_fails);
	tcase_add_test(tu, test_log_names_codes_never_pins);
	suite_add_tcase(s, tu);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
