/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The rest of the function list: functions a card module refuses (after validating its
 * arguments), the legacy parallel functions, random numbers, digests, slot events. Nothing
 * here changes a token: C_InitToken gets a wrong SO PIN, generated keys are session objects.
 */
#include "config.h"

#include <string.h>

#include "test/diff/checks.h"

static void inittoken_wrong_so_pin(struct diff_ctx *c, struct result *r)
{
	CK_UTF8CHAR label[32];
	memset(label, ' ', sizeof(label));
	res_rv(r, c->f->C_InitToken(c->slot, (CK_UTF8CHAR_PTR) "00000000", 8, label));
}

static void initpin(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, c->f->C_InitPIN(s, (CK_UTF8CHAR_PTR)c->pin, strlen(c->pin)));
}

static void initpin_bad_session(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_InitPIN(DIFF_BOGUS_HANDLE, (CK_UTF8CHAR_PTR)c->pin, strlen(c->pin)));
}

static void generatekeypair_session(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
	CK_ULONG bits = 1024;
	CK_BBOOL no = CK_FALSE;
	CK_ATTRIBUTE pub[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)}, {CKA_TOKEN, &no, 1}};
	CK_ATTRIBUTE priv[] = {{CKA_TOKEN, &no, 1}};
	CK_OBJECT_HANDLE hpub, hpriv;

	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_GenerateKeyPair(s, &m, pub, 2, priv, 1, &hpub, &hpriv));
}

static void generatekeypair_null_mech(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE hpub, hpriv;
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_GenerateKeyPair(s, NULL, NULL, 0, NULL, 0, &hpub, &hpriv));
}

static void decryptinit_private_key(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_DecryptInit(s, &m, key));
}

static void generaterandom(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_BYTE buf[16];
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_GenerateRandom(s, buf, sizeof(buf)));
}

static void digest_sha256(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_MECHANISM m = {CKM_SHA256, NULL, 0};
	CK_BYTE out[32], want[32];
	CK_ULONG len = sizeof(out);

	res_rv(r, ctx_open(c, false, &s));
	CK_RV rv = c->f->C_DigestInit(s, &m);
	res_rv(r, rv);
	if (rv != CKR_OK)
		return;
	rv = c->f->C_Digest(s, (CK_BYTE_PTR)diff_message, diff_message_len, out, &len);
	res_rv(r, rv);
	diff_sha256(want);
	if (rv == CKR_OK)
		res_fact(r, len == 32 && !memcmp(out, want, 32) ? "value-ok" : "value-wrong");
}

static void getoperationstate(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_ULONG len = 0;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_GetOperationState(s, NULL, &len));
}

static void parallel_functions(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_GetFunctionStatus(s));
	res_rv(r, c->f->C_CancelFunction(s));
}

static void waitforslotevent_dontblock(struct diff_ctx *c, struct result *r)
{
	CK_SLOT_ID slot;
	res_rv(r, c->f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL));
}

static void seedrandom(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_BYTE seed[8] = {0};
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_SeedRandom(s, seed, sizeof(seed)));
}

const struct check checks_misc[] = {
    {"inittoken_wrong_so_pin", PRE_INIT, inittoken_wrong_so_pin},
    {"initpin_public_session", PRE_INIT, initpin},
    {"initpin_bad_session", PRE_INIT, initpin_bad_session},
    {"generatekeypair_session_objects", PRE_INIT, generatekeypair_session},
    {"generatekeypair_null_mechanism", PRE_INIT, generatekeypair_null_mech},
    {"decryptinit_private_key", PRE_INIT, decryptinit_private_key},
    {"generaterandom", PRE_INIT, generaterandom},
    {"seedrandom", PRE_INIT, seedrandom},
    {"digest_sha256", PRE_INIT, digest_sha256},
    {"getoperationstate", PRE_INIT, getoperationstate},
    {"parallel_functions", PRE_INIT, parallel_functions},
    {"waitforslotevent_dontblock", PRE_INIT, waitforslotevent_dontblock},
    {NULL, PRE_INIT, NULL},
};
