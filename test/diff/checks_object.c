/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Object search and attributes, and the refusal to modify objects. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test/diff/checks.h"

/* Runs a search with tmpl and appends the rv of each step and the objects per class. */
static void find_facts(struct diff_ctx *c, struct result *r, CK_SESSION_HANDLE s,
		       CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
	CK_OBJECT_HANDLE h[64];
	CK_ULONG n = 0;
	unsigned certs = 0, pubs = 0, privs = 0, others = 0;
	CK_RV rv = c->f->C_FindObjectsInit(s, tmpl, count);

	res_rv(r, rv);
	if (rv != CKR_OK)
		return;
	rv = c->f->C_FindObjects(s, h, 64, &n);
	res_rv(r, rv);
	for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
		CK_OBJECT_CLASS cls = (CK_OBJECT_CLASS)-1;
		CK_ATTRIBUTE a = {CKA_CLASS, &cls, sizeof(cls)};
		c->f->C_GetAttributeValue(s, h[i], &a, 1);
		certs += cls == CKO_CERTIFICATE;
		pubs += cls == CKO_PUBLIC_KEY;
		privs += cls == CKO_PRIVATE_KEY;
		others += cls != CKO_CERTIFICATE && cls != CKO_PUBLIC_KEY && cls != CKO_PRIVATE_KEY;
	}
	res_rv(r, c->f->C_FindObjectsFinal(s));
	res_fact(r, "cert=%u,pub=%u,priv=%u,other=%u", certs, pubs, privs, others);
}

static void find_all_public(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	find_facts(c, r, s, NULL, 0);
}

static void find_all_user(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	find_facts(c, r, s, NULL, 0);
}

/* After a logout the private objects are gone again. */
static void find_after_logout(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_Logout(s));
	find_facts(c, r, s, NULL, 0);
}

static void find_by_class(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
	CK_ATTRIBUTE t = {CKA_CLASS, &cls, sizeof(cls)};
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	find_facts(c, r, s, &t, 1);
}

static void find_by_id(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_ATTRIBUTE t = {CKA_ID, c->key_id, c->key_id_len};
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	find_facts(c, r, s, &t, 1);
}

static void find_unknown_attribute(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_BBOOL yes = CK_TRUE;
	CK_ATTRIBUTE t = {DIFF_BOGUS_ATTRIBUTE, &yes, sizeof(yes)};
	res_rv(r, ctx_open(c, false, &s));
	find_facts(c, r, s, &t, 1);
}

static void find_no_match(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_ATTRIBUTE t = {CKA_CLASS, &cls, sizeof(cls)};
	res_rv(r, ctx_open(c, false, &s));
	find_facts(c, r, s, &t, 1);
}

static void findinit_twice(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
	res_rv(r, c->f->C_FindObjectsFinal(s));
}

static void findobjects_without_init(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE h;
	CK_ULONG n;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_FindObjects(s, &h, 1, &n));
	res_rv(r, c->f->C_FindObjectsFinal(s));
}

static void findobjects_after_final(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE h;
	CK_ULONG n;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
	res_rv(r, c->f->C_FindObjectsFinal(s));
	res_rv(r, c->f->C_FindObjects(s, &h, 1, &n));
}

/* One handle per call gives the same set as one big call, without repeats, then 0. */
static void findobjects_batches(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE all[64], one[64];
	CK_ULONG n_all = 0, n_one = 0, n;
	bool same = true;

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
	res_rv(r, c->f->C_FindObjects(s, all, 64, &n_all));
	res_rv(r, c->f->C_FindObjectsFinal(s));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
	while (n_one < 64 && c->f->C_FindObjects(s, &one[n_one], 1, &n) == CKR_OK && n == 1)
		n_one++;
	res_rv(r, c->f->C_FindObjectsFinal(s));
	same = n_one == n_all;
	for (CK_ULONG i = 0; same && i < n_all; i++) {
		bool found = false;
		for (CK_ULONG j = 0; j < n_one; j++)
			found = found || one[j] == all[i];
		same = found;
	}
	res_fact(r, same ? "same-set" : "different-set");
}

/* NULL -> length; short buffer -> CKR_BUFFER_TOO_SMALL and CK_UNAVAILABLE_INFORMATION; then the
 * value. */
static void getattr_twocall(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_ATTRIBUTE a = {CKA_VALUE, NULL, 0};
	CK_BYTE *buf;

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	CK_RV rv = c->f->C_GetAttributeValue(s, cert, &a, 1);
	res_rv(r, rv);
	CK_ULONG len = a.ulValueLen;
	if (rv != CKR_OK || len == CK_UNAVAILABLE_INFORMATION || !(buf = malloc(len)))
		return;
	res_fact(r, len == c->cert_len ? "len-ok" : "len-wrong");
	a.pValue = buf;
	a.ulValueLen = len - 1;
	res_rv(r, c->f->C_GetAttributeValue(s, cert, &a, 1));
	res_fact(r, a.ulValueLen == CK_UNAVAILABLE_INFORMATION ? "unavailable" : "len=%lu",
		 (unsigned long)a.ulValueLen);
	a.ulValueLen = len;
	res_rv(r, c->f->C_GetAttributeValue(s, cert, &a, 1));
	res_fact(r, a.ulValueLen == c->cert_len && !memcmp(buf, c->cert, len) ? "value-ok"
									      : "value-wrong");
	free(buf);
}

/* Counts the template entries that came back filled and those marked unavailable. */
static void template_facts(struct result *r, const CK_ATTRIBUTE *t, size_t n)
{
	unsigned filled = 0, unavailable = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i].ulValueLen == CK_UNAVAILABLE_INFORMATION)
			unavailable++;
		else
			filled++;
	}
	res_fact(r, "filled=%u:unavailable=%u", filled, unavailable);
}

static void getattr_mixed_invalid(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_CLASS cls = 0;
	CK_BBOOL token = 0, bogus = 0;
	CK_ATTRIBUTE t[] = {
	    {CKA_CLASS, &cls, sizeof(cls)},
	    {DIFF_BOGUS_ATTRIBUTE, &bogus, sizeof(bogus)},
	    {CKA_TOKEN, &token, sizeof(token)},
	};

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_GetAttributeValue(s, cert, t, 3));
	template_facts(r, t, 3);
	res_fact(r, cls == CKO_CERTIFICATE && token ? "values-ok" : "values-wrong");
}

static void getattr_mixed_short(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_CLASS cls = 0;
	CK_BYTE value[4];
	CK_ATTRIBUTE t[] = {
	    {CKA_VALUE, value, sizeof(value)},
	    {CKA_CLASS, &cls, sizeof(cls)},
	};

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_GetAttributeValue(s, cert, t, 2));
	template_facts(r, t, 2);
	res_fact(r, cls == CKO_CERTIFICATE ? "class-ok" : "class-wrong");
}

/* Not an attribute of a certificate at all: CKR_ATTRIBUTE_TYPE_INVALID. */
static void getattr_wrong_class_attribute(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_BYTE mod[512];
	CK_ATTRIBUTE t = {CKA_MODULUS, mod, sizeof(mod)};

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_GetAttributeValue(s, cert, &t, 1));
	template_facts(r, &t, 1);
}

static void getattr_sensitive(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_KEY_TYPE kt = 0;
	CK_BYTE d[512];
	CK_ATTRIBUTE t[] = {
	    {CKA_KEY_TYPE, &kt, sizeof(kt)},
	    {CKA_PRIVATE_EXPONENT, d, sizeof(d)},
	};

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_GetAttributeValue(s, key, t, 2));
	template_facts(r, t, 2);
	res_fact(r, kt == CKK_RSA ? "rsa" : "not-rsa");
}

static void getattr_sensitive_len(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_ATTRIBUTE t[] = {
	    {CKA_PRIME_1, NULL, 0},
	    {CKA_MODULUS, NULL, 0},
	};

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_GetAttributeValue(s, key, t, 2));
	template_facts(r, t, 2);
	res_fact(r, "modulus-len=%lu", (unsigned long)t[1].ulValueLen);
}

static void getattr_bad_object(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_CLASS cls;
	CK_ATTRIBUTE a = {CKA_CLASS, &cls, sizeof(cls)};
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_GetAttributeValue(s, DIFF_BOGUS_HANDLE, &a, 1));
	res_rv(r, c->f->C_GetAttributeValue(s, CK_INVALID_HANDLE, &a, 1));
}

static void cert_attributes(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_CERTIFICATE_TYPE ct = (CK_ULONG)-1;
	CK_BBOOL token = 0, priv = 1;
	CK_BYTE id[128];
	CK_ATTRIBUTE t[] = {
	    {CKA_CERTIFICATE_TYPE, &ct, sizeof(ct)},
	    {CKA_TOKEN, &token, sizeof(token)},
	    {CKA_PRIVATE, &priv, sizeof(priv)},
	    {CKA_ID, id, sizeof(id)},
	};

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_GetAttributeValue(s, cert, t, 4));
	res_fact(r, "x509=%d:token=%d:private=%d:id-ok=%d", ct == CKC_X_509, token, priv,
		 t[3].ulValueLen == c->key_id_len && !memcmp(id, c->key_id, c->key_id_len));
}

static void cert_modifiable(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_BBOOL modifiable = 1;
	CK_ATTRIBUTE a = {CKA_MODIFIABLE, &modifiable, sizeof(modifiable)};

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_GetAttributeValue(s, cert, &a, 1));
	res_fact(r, "modifiable=%d", modifiable);
}

static void pubkey_attributes(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_KEY_TYPE kt = 0;
	CK_BBOOL verify = 0, token = 0;
	CK_BYTE mod[512], exp[16];
	CK_ATTRIBUTE t[] = {
	    {CKA_KEY_TYPE, &kt, sizeof(kt)},	     {CKA_VERIFY, &verify, sizeof(verify)},
	    {CKA_TOKEN, &token, sizeof(token)},	     {CKA_MODULUS, mod, sizeof(mod)},
	    {CKA_PUBLIC_EXPONENT, exp, sizeof(exp)},
	};

	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE pub = ctx_find(c, s, CKO_PUBLIC_KEY);
	res_rv(r, c->f->C_GetAttributeValue(s, pub, t, 5));
	res_fact(r, "rsa=%d:verify=%d:token=%d:bits=%lu:e65537=%d", kt == CKK_RSA, verify, token,
		 (unsigned long)t[3].ulValueLen * 8,
		 t[4].ulValueLen == 3 && !memcmp(exp, "\x01\x00\x01", 3));
}

static void privkey_attributes(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_KEY_TYPE kt = 0;
	CK_BBOOL sign = 0, sensitive = 0, extractable = 1, token = 0;
	CK_ATTRIBUTE t[] = {
	    {CKA_KEY_TYPE, &kt, sizeof(kt)},
	    {CKA_SIGN, &sign, sizeof(sign)},
	    {CKA_SENSITIVE, &sensitive, sizeof(sensitive)},
	    {CKA_EXTRACTABLE, &extractable, sizeof(extractable)},
	    {CKA_TOKEN, &token, sizeof(token)},
	};

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_GetAttributeValue(s, key, t, 5));
	res_fact(r, "rsa=%d:sign=%d:sensitive=%d:extractable=%d:token=%d", kt == CKK_RSA, sign,
		 sensitive, extractable, token);
}

static void privkey_private(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_BBOOL priv = 0;
	CK_ATTRIBUTE a = {CKA_PRIVATE, &priv, sizeof(priv)};

	res_rv(r, ctx_user_session(c, false, &s, &key));
	res_rv(r, c->f->C_GetAttributeValue(s, key, &a, 1));
	res_fact(r, "private=%d", priv);
}

static void destroy_ro_session(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_DestroyObject(s, cert));
}

static void destroy_bad_object(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_DestroyObject(s, DIFF_BOGUS_HANDLE));
}

/* Destroys the certificate on a module that allows it: run last, and only when asked. */
static void destroy_rw_session(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	if (!c->allow_destroy) {
		res_na(r, "destroy-not-allowed");
		return;
	}
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_DestroyObject(s, cert));
}

/* Writes the label the certificate already has, so that a writable token is left unchanged. */
static void setattr_label(struct diff_ctx *c, struct result *r, bool rw)
{
	CK_SESSION_HANDLE s;
	CK_BYTE label[256];
	CK_ATTRIBUTE a = {CKA_LABEL, label, sizeof(label)};

	res_rv(r, ctx_open(c, rw, &s));
	res_rv(r, ctx_login(c, s));
	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	res_rv(r, c->f->C_GetAttributeValue(s, cert, &a, 1));
	res_rv(r, c->f->C_SetAttributeValue(s, cert, &a, 1));
}

static void setattr_ro_session(struct diff_ctx *c, struct result *r)
{
	setattr_label(c, r, false);
}

static void setattr_rw_session(struct diff_ctx *c, struct result *r)
{
	setattr_label(c, r, true);
}

static void create_object(struct diff_ctx *c, struct result *r, bool rw, CK_BBOOL token)
{
	CK_SESSION_HANDLE s;
	CK_OBJECT_CLASS cls = CKO_DATA;
	CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
	CK_ATTRIBUTE t[] = {
	    {CKA_CLASS, &cls, sizeof(cls)},
	    {CKA_TOKEN, &token, sizeof(token)},
	    {CKA_VALUE, "x", 1},
	};

	res_rv(r, ctx_open(c, rw, &s));
	res_rv(r, ctx_login(c, s));
	CK_RV rv = c->f->C_CreateObject(s, t, 3, &h);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_rv(r, c->f->C_DestroyObject(s, h));
}

static void createobject_ro_token(struct diff_ctx *c, struct result *r)
{
	create_object(c, r, false, CK_TRUE);
}

static void createobject_rw_session_object(struct diff_ctx *c, struct result *r)
{
	create_object(c, r, true, CK_FALSE);
}

const struct check checks_object[] = {
    {"find_all_public", PRE_INIT, find_all_public},
    {"find_all_user", PRE_INIT, find_all_user},
    {"find_after_logout", PRE_INIT, find_after_logout},
    {"find_by_class_cert", PRE_INIT, find_by_class},
    {"find_by_id", PRE_INIT, find_by_id},
    {"find_unknown_attribute", PRE_INIT, find_unknown_attribute},
    {"find_no_match", PRE_INIT, find_no_match},
    {"findobjectsinit_twice", PRE_INIT, findinit_twice},
    {"findobjects_without_init", PRE_INIT, findobjects_without_init},
    {"findobjects_after_final", PRE_INIT, findobjects_after_final},
    {"findobjects_batches", PRE_INIT, findobjects_batches},
    {"getattr_twocall", PRE_INIT, getattr_twocall},
    {"getattr_mixed_invalid", PRE_INIT, getattr_mixed_invalid},
    {"getattr_mixed_short", PRE_INIT, getattr_mixed_short},
    {"getattr_wrong_class_attribute", PRE_INIT, getattr_wrong_class_attribute},
    {"getattr_sensitive", PRE_INIT, getattr_sensitive},
    {"getattr_sensitive_len", PRE_INIT, getattr_sensitive_len},
    {"getattr_bad_object", PRE_INIT, getattr_bad_object},
    {"cert_attributes", PRE_INIT, cert_attributes},
    {"cert_modifiable", PRE_INIT, cert_modifiable},
    {"pubkey_attributes", PRE_INIT, pubkey_attributes},
    {"privkey_attributes", PRE_INIT, privkey_attributes},
    {"privkey_private", PRE_INIT, privkey_private},
    {"destroy_ro_session", PRE_INIT, destroy_ro_session},
    {"destroy_bad_object", PRE_INIT, destroy_bad_object},
    {"setattr_ro_session", PRE_INIT, setattr_ro_session},
    {"setattr_rw_session", PRE_INIT, setattr_rw_session},
    {"createobject_ro_token", PRE_INIT, createobject_ro_token},
    {"createobject_rw_session_object", PRE_INIT, createobject_rw_session_object},
    {NULL, PRE_INIT, NULL},
};

/* Run after everything else: it may remove the certificate. */
const struct check checks_destroy[] = {
    {"destroy_rw_session", PRE_INIT, destroy_rw_session},
    {NULL, PRE_INIT, NULL},
};
