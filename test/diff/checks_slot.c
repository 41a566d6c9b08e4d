/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Slots, tokens and mechanisms: invalid slot IDs, the two-call lists, info flags. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test/diff/checks.h"

static void bad_slot_getslotinfo(struct diff_ctx *c, struct result *r)
{
	CK_SLOT_INFO si;
	res_rv(r, c->f->C_GetSlotInfo(c->bad_slot, &si));
}

static void bad_slot_gettokeninfo(struct diff_ctx *c, struct result *r)
{
	CK_TOKEN_INFO ti;
	res_rv(r, c->f->C_GetTokenInfo(c->bad_slot, &ti));
}

static void bad_slot_getmechlist(struct diff_ctx *c, struct result *r)
{
	CK_ULONG n = 0;
	res_rv(r, c->f->C_GetMechanismList(c->bad_slot, NULL, &n));
}

static void bad_slot_getmechinfo(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM_INFO mi;
	res_rv(r, c->f->C_GetMechanismInfo(c->bad_slot, CKM_RSA_PKCS, &mi));
}

static void bad_slot_opensession(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, c->f->C_OpenSession(c->bad_slot, CKF_SERIAL_SESSION, NULL, NULL, &s));
}

static void bad_slot_closeall(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->f->C_CloseAllSessions(c->bad_slot));
}

static void bad_slot_inittoken(struct diff_ctx *c, struct result *r)
{
	CK_UTF8CHAR label[32];
	memset(label, ' ', sizeof(label));
	res_rv(r, c->f->C_InitToken(c->bad_slot, (CK_UTF8CHAR_PTR) "00000000", 8, label));
}

/* NULL -> count; short buffer -> CKR_BUFFER_TOO_SMALL with the count; then the list. */
static void slotlist_twocall(struct diff_ctx *c, struct result *r)
{
	CK_ULONG n = 0, m, k;
	CK_SLOT_ID *ids;
	CK_RV rv = c->f->C_GetSlotList(CK_FALSE, NULL, &n);

	res_rv(r, rv);
	if (rv != CKR_OK || n == 0 || !(ids = calloc(n, sizeof(*ids))))
		return;
	m = n - 1;
	res_rv(r, c->f->C_GetSlotList(CK_FALSE, ids, &m));
	res_fact(r, m == n ? "count-set" : "count-not-set");
	k = n;
	res_rv(r, c->f->C_GetSlotList(CK_FALSE, ids, &k));
	bool found = false;
	for (CK_ULONG i = 0; i < k && k == n; i++)
		found = found || ids[i] == c->slot;
	res_fact(r, found ? "slot-listed" : "slot-missing");
	free(ids);
}

static void slotlist_present(struct diff_ctx *c, struct result *r)
{
	CK_SLOT_ID ids[64];
	CK_ULONG n = 64;
	CK_RV rv = c->f->C_GetSlotList(CK_TRUE, ids, &n);
	bool found = false;

	res_rv(r, rv);
	for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++)
		found = found || ids[i] == c->slot;
	res_fact(r, found ? "slot-listed" : "slot-missing");
}

static void slotinfo_flags(struct diff_ctx *c, struct result *r)
{
	CK_SLOT_INFO si;
	CK_RV rv = c->f->C_GetSlotInfo(c->slot, &si);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_fact(r, "token-present=%d", !!(si.flags & CKF_TOKEN_PRESENT));
}

static void tokeninfo_flags(struct diff_ctx *c, struct result *r)
{
	CK_TOKEN_INFO ti;
	CK_RV rv = c->f->C_GetTokenInfo(c->slot, &ti);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_fact(r, "login-required=%d:user-pin-initialized=%d:token-initialized=%d",
			 !!(ti.flags & CKF_LOGIN_REQUIRED), !!(ti.flags & CKF_USER_PIN_INITIALIZED),
			 !!(ti.flags & CKF_TOKEN_INITIALIZED));
}

static void tokeninfo_write_protected(struct diff_ctx *c, struct result *r)
{
	CK_TOKEN_INFO ti;
	CK_RV rv = c->f->C_GetTokenInfo(c->slot, &ti);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_fact(r, "write-protected=%d", !!(ti.flags & CKF_WRITE_PROTECTED));
}

/* The PIN length bounds must admit the PIN under test. */
static void tokeninfo_pin_len(struct diff_ctx *c, struct result *r)
{
	CK_TOKEN_INFO ti;
	CK_RV rv = c->f->C_GetTokenInfo(c->slot, &ti);
	size_t len = strlen(c->pin);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_fact(r, len >= ti.ulMinPinLen && len <= ti.ulMaxPinLen ? "pin-len-ok"
									   : "pin-len-outside");
}

static void mechlist_twocall(struct diff_ctx *c, struct result *r)
{
	CK_ULONG n = 0, m, k;
	CK_MECHANISM_TYPE *list;
	CK_RV rv = c->f->C_GetMechanismList(c->slot, NULL, &n);

	res_rv(r, rv);
	if (rv != CKR_OK || n == 0 || !(list = calloc(n, sizeof(*list))))
		return;
	m = n - 1;
	res_rv(r, c->f->C_GetMechanismList(c->slot, list, &m));
	res_fact(r, m == n ? "count-set" : "count-not-set");
	k = n;
	res_rv(r, c->f->C_GetMechanismList(c->slot, list, &k));
	bool found = false;
	for (CK_ULONG i = 0; i < k && k == n; i++)
		found = found || list[i] == CKM_RSA_PKCS;
	res_fact(r, found ? "has-rsa-pkcs" : "no-rsa-pkcs");
	free(list);
}

/* Sign/verify flags and that 2048-bit keys are in range; other flags differ by design. */
static void mechinfo(struct diff_ctx *c, struct result *r, CK_MECHANISM_TYPE type)
{
	CK_MECHANISM_INFO mi;
	CK_RV rv = c->f->C_GetMechanismInfo(c->slot, type, &mi);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_fact(r, "sign=%d:verify=%d:2048-in-range=%d", !!(mi.flags & CKF_SIGN),
			 !!(mi.flags & CKF_VERIFY),
			 mi.ulMinKeySize <= 2048 && mi.ulMaxKeySize >= 2048);
}

static void mechinfo_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	mechinfo(c, r, CKM_RSA_PKCS);
}

static void mechinfo_sha1_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	mechinfo(c, r, CKM_SHA1_RSA_PKCS);
}

static void mechinfo_sha256_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	mechinfo(c, r, CKM_SHA256_RSA_PKCS);
}

static void mechinfo_sha512_rsa_pkcs(struct diff_ctx *c, struct result *r)
{
	mechinfo(c, r, CKM_SHA512_RSA_PKCS);
}

static void mechinfo_invalid(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM_INFO mi;
	res_rv(r, c->f->C_GetMechanismInfo(c->slot, DIFF_BOGUS_MECHANISM, &mi));
}

/* Every listed mechanism has info, and the info of an unlisted one is refused. */
static void mechlist_consistent(struct diff_ctx *c, struct result *r)
{
	CK_MECHANISM_TYPE list[256];
	CK_ULONG n = 256;
	CK_RV rv = c->f->C_GetMechanismList(c->slot, list, &n);
	bool ok = true;

	res_rv(r, rv);
	for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
		CK_MECHANISM_INFO mi;
		ok = ok && c->f->C_GetMechanismInfo(c->slot, list[i], &mi) == CKR_OK;
	}
	res_fact(r, ok ? "all-have-info" : "info-missing");
}

const struct check checks_slot[] = {
    {"bad_slot_getslotinfo", PRE_INIT, bad_slot_getslotinfo},
    {"bad_slot_gettokeninfo", PRE_INIT, bad_slot_gettokeninfo},
    {"bad_slot_getmechanismlist", PRE_INIT, bad_slot_getmechlist},
    {"bad_slot_getmechanisminfo", PRE_INIT, bad_slot_getmechinfo},
    {"bad_slot_opensession", PRE_INIT, bad_slot_opensession},
    {"bad_slot_closeallsessions", PRE_INIT, bad_slot_closeall},
    {"bad_slot_inittoken", PRE_INIT, bad_slot_inittoken},
    {"slotlist_twocall", PRE_INIT, slotlist_twocall},
    {"slotlist_token_present", PRE_INIT, slotlist_present},
    {"slotinfo_flags", PRE_INIT, slotinfo_flags},
    {"tokeninfo_flags", PRE_INIT, tokeninfo_flags},
    {"tokeninfo_write_protected", PRE_INIT, tokeninfo_write_protected},
    {"tokeninfo_pin_len", PRE_INIT, tokeninfo_pin_len},
    {"mechlist_twocall", PRE_INIT, mechlist_twocall},
    {"mechlist_consistent", PRE_INIT, mechlist_consistent},
    {"mechinfo_rsa_pkcs", PRE_INIT, mechinfo_rsa_pkcs},
    {"mechinfo_sha1_rsa_pkcs", PRE_INIT, mechinfo_sha1_rsa_pkcs},
    {"mechinfo_sha256_rsa_pkcs", PRE_INIT, mechinfo_sha256_rsa_pkcs},
    {"mechinfo_sha512_rsa_pkcs", PRE_INIT, mechinfo_sha512_rsa_pkcs},
    {"mechinfo_invalid", PRE_INIT, mechinfo_invalid},
    {NULL, PRE_INIT, NULL},
};
