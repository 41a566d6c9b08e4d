/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Life cycle of the module: C_Initialize, C_Finalize, C_GetInfo and the function list.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pkcs11/call.h"
#include "pkcs11/error_map.h"
#include "pkcs11/module.h"
#include "pkcs11/rv_name.h"
#include "pkcs11/session.h"
#include "pkcs11/slot.h"
#include "pkcs11/text.h"
#include "src/log.h"

static _Atomic(struct module *) current;
/* Entry points between module_enter and module_leave (process-wide, see C_Finalize). */
static atomic_int in_flight;
/* A forked child's copy of its parent's module: never freed (it is the parent's). */
static struct module *abandoned;

static const struct jpki_transport_ops *transport_ops = &jpki_transport_pcsc;
static void *transport_arg;

void jpki_module_use_transport(const struct jpki_transport_ops *ops, void *arg)
{
	transport_ops = ops != NULL ? ops : &jpki_transport_pcsc;
	transport_arg = arg;
}

struct module *module_enter(void)
{
	struct module *m;

	atomic_fetch_add(&in_flight, 1);
	m = atomic_load(&current);
	/* In a forked child the parent's module is not initialised for us. */
	return m != NULL && m->pid == getpid() ? m : NULL;
}

void module_leave(void)
{
	atomic_fetch_sub(&in_flight, 1);
}

void module_lock(struct module *m)
{
	locking_lock(&m->locking, m->lock);
}

void module_unlock(struct module *m)
{
	locking_unlock(&m->locking, m->lock);
}

static void module_free(struct module *m)
{
	size_t i;

	for (i = 0; i < MODULE_MAX_READERS; i++) {
		struct reader *r = m->readers[i];

		if (r == NULL || r->card.jc == NULL)
			continue;
		/* Leave no PIN verified on a card we let go of. */
		if (r->card.tokens[TOKEN_AUTH].logged_in || r->card.tokens[TOKEN_SIGN].logged_in)
			jpki_card_logout(r->card.jc);
	}
	while (handles_count(&m->sessions) > 0) {
		struct session *s = handles_at(&m->sessions, 0);

		handles_remove(&m->sessions, s->handle);
		session_free(s);
	}
	handles_free(&m->sessions);
	slot_free_all(m);
	if (m->transport != NULL)
		m->ops->close(m->transport);
	locking_free(&m->locking, m->lock);
	free(m);
}

CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
	struct module *m = NULL, *old, *expected = NULL;
	struct locking locking;
	enum jpki_rc rc;
	CK_RV rv;

	jpki_log_init();
	jpki_log(JPKI_LOG_CALLS, "C_Initialize: in");
	rv = locking_setup(pInitArgs, &locking);
	if (rv != CKR_OK)
		goto out;
	old = atomic_load(&current);
	if (old != NULL && old->pid == getpid()) {
		rv = CKR_CRYPTOKI_ALREADY_INITIALIZED;
		goto out;
	}
	if (old != NULL) {
		/* A forked child: its parent's locks and PC/SC context are not ours to touch. */
		abandoned = old;
		atomic_store(&current, NULL);
		atomic_store(&in_flight, 0);
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		rv = CKR_HOST_MEMORY;
		goto out;
	}
	m->pid = getpid();
	m->locking = locking;
	m->ops = transport_ops;
	m->ops_arg = transport_arg;
	handles_init(&m->sessions);
	rv = locking_new(&locking, &m->lock);
	if (rv != CKR_OK)
		goto out;
	/* Configuration only: no card I/O here (browsers load modules at start-up). */
	jpki_settings_defaults(&m->settings);
	rc = jpki_settings_load(NULL, &m->settings);
	if (rc != JPKI_OK) {
		rv = error_map(rc, "configuration");
		goto out;
	}
	if (!atomic_compare_exchange_strong(&current, &expected, m)) {
		rv = CKR_CRYPTOKI_ALREADY_INITIALIZED;
		goto out;
	}
	m = NULL;
out:
	if (m != NULL) {
		locking_free(&m->locking, m->lock);
		free(m);
	}
	jpki_log(JPKI_LOG_CALLS, "C_Initialize: out %s", rv_name(rv));
	return rv;
}

CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
	struct module *m = atomic_load(&current);
	struct jpki_transport *t;
	struct timespec ms = {0, 1000000L};
	CK_RV rv = CKR_OK;

	jpki_log(JPKI_LOG_CALLS, "C_Finalize: in");
	if (m == NULL || m->pid != getpid()) {
		rv = CKR_CRYPTOKI_NOT_INITIALIZED;
		goto out;
	}
	if (pReserved != NULL) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	if (!atomic_compare_exchange_strong(&current, &m, NULL)) {
		rv = CKR_CRYPTOKI_NOT_INITIALIZED;
		goto out;
	}
	/* New calls now see "not initialised"; wait for those inside, waking any waiter. */
	atomic_store(&m->finalizing, true);
	while (atomic_load(&in_flight) > 0) {
		module_lock(m);
		t = m->transport;
		module_unlock(m);
		if (t != NULL)
			m->ops->cancel_wait(t);
		nanosleep(&ms, NULL);
	}
	module_free(m);
out:
	jpki_log(JPKI_LOG_CALLS, "C_Finalize: out %s", rv_name(rv));
	if (rv == CKR_OK)
		jpki_log_close(); /* the next C_Initialize reads the environment again */
	return rv;
}

/* "major.minor.patch" from configure. */
static void version(CK_VERSION *v)
{
	unsigned major = 0, minor = 0;

	if (sscanf(PACKAGE_VERSION, "%u.%u", &major, &minor) != 2)
		major = minor = 0;
	v->major = (CK_BYTE)major;
	v->minor = (CK_BYTE)minor;
}

CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
	struct call c;
	CK_RV rv = call_enter(&c, __func__, pInfo != NULL);

	if (rv != CKR_OK)
		goto out;
	memset(pInfo, 0, sizeof(*pInfo));
	pInfo->cryptokiVersion.major = 2;
	pInfo->cryptokiVersion.minor = 40;
	text_pad(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "jpki-pkcs11 project");
	text_pad(pInfo->libraryDescription, sizeof(pInfo->libraryDescription),
		 "JPKI My Number card PKCS#11");
	version(&pInfo->libraryVersion);
out:
	return call_leave(&c, rv);
}

static CK_FUNCTION_LIST function_list = {
    {CRYPTOKI_VERSION_MAJOR, CRYPTOKI_VERSION_MINOR},
    C_Initialize,
    C_Finalize,
    C_GetInfo,
    C_GetFunctionList,
    C_GetSlotList,
    C_GetSlotInfo,
    C_GetTokenInfo,
    C_GetMechanismList,
    C_GetMechanismInfo,
    C_InitToken,
    C_InitPIN,
    C_SetPIN,
    C_OpenSession,
    C_CloseSession,
    C_CloseAllSessions,
    C_GetSessionInfo,
    C_GetOperationState,
    C_SetOperationState,
    C_Login,
    C_Logout,
    C_CreateObject,
    C_CopyObject,
    C_DestroyObject,
    C_GetObjectSize,
    C_GetAttributeValue,
    C_SetAttributeValue,
    C_FindObjectsInit,
    C_FindObjects,
    C_FindObjectsFinal,
    C_EncryptInit,
    C_Encrypt,
    C_EncryptUpdate,
    C_EncryptFinal,
    C_DecryptInit,
    C_Decrypt,
    C_DecryptUpdate,
    C_DecryptFinal,
    C_DigestInit,
    C_Digest,
    C_DigestUpdate,
    C_DigestKey,
    C_DigestFinal,
    C_SignInit,
    C_Sign,
    C_SignUpdate,
    C_SignFinal,
    C_SignRecoverInit,
    C_SignRecover,
    C_VerifyInit,
    C_Verify,
    C_VerifyUpdate,
    C_VerifyFinal,
    C_VerifyRecoverInit,
    C_VerifyRecover,
    C_DigestEncryptUpdate,
    C_DecryptDigestUpdate,
    C_SignEncryptUpdate,
    C_DecryptVerifyUpdate,
    C_GenerateKey,
    C_GenerateKeyPair,
    C_WrapKey,
    C_UnwrapKey,
    C_DeriveKey,
    C_SeedRandom,
    C_GenerateRandom,
    C_GetFunctionStatus,
    C_CancelFunction,
    C_WaitForSlotEvent,
};

/* Works before C_Initialize, as the spec requires. */
CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
	CK_RV rv = CKR_OK;

	jpki_log(JPKI_LOG_CALLS, "C_GetFunctionList: in");
	if (ppFunctionList == NULL)
		rv = CKR_ARGUMENTS_BAD;
	else
		*ppFunctionList = &function_list;
	jpki_log(JPKI_LOG_CALLS, "C_GetFunctionList: out %s", rv_name(rv));
	return rv;
}
