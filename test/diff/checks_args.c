/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* NULL pointers given to every entry point that takes one: CKR_ARGUMENTS_BAD, no crash. */
#include "config.h"

#include <string.h>

#include "test/diff/checks.h"

static void null_getinfo(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_GetInfo(NULL));
}

static void null_getslotlist_count(struct diff_ctx *c, struct result *r)
{
	CK_SLOT_ID ids[8];
	res_rv(r, c->f->C_GetSlotList(CK_FALSE, NULL, NULL));
	res_rv(r, c->f->C_GetSlotList(CK_TRUE, ids, NULL));
}

static void null_getslotinfo(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_GetSlotInfo(c->slot, NULL));
}

static void null_gettokeninfo(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_GetTokenInfo(c->slot, NULL));
}

static void null_getmechlist_count(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_GetMechanismList(c->slot, NULL, NULL));
}

static void null_getmechinfo(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_GetMechanismInfo(c->slot, CKM_RSA_PKCS, NULL));
	/* pkcs11test GetMechanismInfoFail: the NULL pointer wins over the unknown mechanism */
	res_rv(r, c->f->C_GetMechanismInfo(c->slot, DIFF_BOGUS_MECHANISM, NULL));
}

static void null_opensession(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_OpenSession(c->slot, CKF_SERIAL_SESSION, NULL, NULL, NULL));
}

static void null_getsessioninfo(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_GetSessionInfo(s, NULL));
}

static void null_findinit_template(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 1));
	/* the failed init left no operation behind */
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
	res_rv(r, c->f->C_FindObjectsFinal(s));
}

static void null_findobjects(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE h[4];
	CK_ULONG n = 0;

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
	res_rv(r, c->f->C_FindObjects(s, NULL, 4, &n));
	res_rv(r, c->f->C_FindObjects(s, h, 4, NULL));
	/* still active after the argument errors */
	res_rv(r, c->f->C_FindObjects(s, h, 4, &n));
	res_rv(r, c->f->C_FindObjectsFinal(s));
}

static void null_getattr_template(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_GetAttributeValue(s, cert, NULL, 1));
}

static void null_setattr_template(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_SetAttributeValue(s, cert, NULL, 1));
}

static void null_signinit_mech(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_SignInit(s, NULL, key));
}

static void null_sign_args(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[512];
	CK_ULONG len = sizeof(sig);

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, NULL));
	/* whether the argument error ended the operation */
	res_rv(r, c->f->C_Sign(s, (CK_BYTE_PTR)diff_message, diff_message_len, sig, &len));
}

static void null_sign_data(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[512];
	CK_ULONG len = sizeof(sig);

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_Sign(s, NULL, 16, sig, &len));
}

static void null_signupdate_part(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_SignUpdate(s, NULL, 16));
}

static void null_signfinal_len(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_BYTE sig[512];

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, ctx_sign_init(c, s, &m, key));
	res_rv(r, c->f->C_SignUpdate(s, (CK_BYTE_PTR)diff_message, diff_message_len));
	res_rv(r, c->f->C_SignFinal(s, sig, NULL));
}

static void null_login_pin(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_Login(s, CKU_USER, NULL, strlen(c->pin)));
}

static void null_setpin(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_ULONG len = strlen(c->pin);

	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, c->f->C_SetPIN(s, NULL, len, (CK_UTF8CHAR_PTR)c->pin, len));
	res_rv(r, c->f->C_SetPIN(s, (CK_UTF8CHAR_PTR)c->pin, len, NULL, len));
}

static void null_verify(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE pub = ctx_find(c, s, CKO_PUBLIC_KEY);
	res_rv(r, c->f->C_VerifyInit(s, NULL, pub));
	res_rv(r, c->f->C_VerifyInit(s, &m, pub));
	res_rv(r, c->f->C_Verify(s, (CK_BYTE_PTR)diff_message, diff_message_len, NULL, 256));
}

const struct check checks_args[] = {
    {"null_getinfo", PRE_INIT, null_getinfo},
    {"null_getslotlist_count", PRE_INIT, null_getslotlist_count},
    {"null_getslotinfo", PRE_INIT, null_getslotinfo},
    {"null_gettokeninfo", PRE_INIT, null_gettokeninfo},
    {"null_getmechanismlist_count", PRE_INIT, null_getmechlist_count},
    {"null_getmechanisminfo", PRE_INIT, null_getmechinfo},
    {"null_opensession_handle", PRE_INIT, null_opensession},
    {"null_getsessioninfo", PRE_INIT, null_getsessioninfo},
    {"null_findobjectsinit_template", PRE_INIT, null_findinit_template},
    {"null_findobjects", PRE_INIT, null_findobjects},
    {"null_getattributevalue_template", PRE_INIT, null_getattr_template},
    {"null_setattributevalue_template", PRE_INIT, null_setattr_template},
    {"null_signinit_mechanism", PRE_INIT, null_signinit_mech},
    {"null_sign_signaturelen", PRE_INIT, null_sign_args},
    {"null_sign_data", PRE_INIT, null_sign_data},
    {"null_signupdate_part", PRE_INIT, null_signupdate_part},
    {"null_signfinal_signaturelen", PRE_INIT, null_signfinal_len},
    {"null_login_pin", PRE_INIT, null_login_pin},
    {"null_setpin", PRE_INIT, null_setpin},
    {"null_verify", PRE_INIT, null_verify},
    {NULL, PRE_INIT, NULL},
};
