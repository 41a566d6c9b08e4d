/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sessions and objects: session states, the objects of each token before and after login,
 * their attributes against the card's certificates, C_GetAttributeValue's template walk,
 * searches, the read-only answers, and the profile object (public_certificates_token on/off).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "pkcs11/cryptoki3.h"
#include "test/api/test-api.h"

static CK_FUNCTION_LIST_PTR f;

static void setup(void)
{
	api_setup();
	f = api.f;
}

START_TEST(test_open_close)
{
	CK_SLOT_ID slot = api_slot(0, AUTH);
	CK_SESSION_HANDLE h1, h2, h3;
	CK_SESSION_INFO info;
	CK_TOKEN_INFO t;

	RV(f->C_OpenSession(slot, CKF_RW_SESSION, NULL, NULL, &h1),
	   CKR_SESSION_PARALLEL_NOT_SUPPORTED);
	RV(f->C_OpenSession(4242, CKF_SERIAL_SESSION, NULL, NULL, &h1), CKR_SLOT_ID_INVALID);
	h1 = api_open(slot, false);
	h2 = api_open(slot, true);
	h3 = api_open(api_slot(0, SIGN), true);
	RV(f->C_GetSessionInfo(h1, &info), CKR_OK);
	ck_assert_uint_eq(info.slotID, slot);
	ck_assert_uint_eq(info.state, CKS_RO_PUBLIC_SESSION);
	ck_assert_uint_eq(info.flags, CKF_SERIAL_SESSION);
	ck_assert_uint_eq(info.ulDeviceError, 0);
	ck_assert_uint_eq(api_state(h2), CKS_RW_PUBLIC_SESSION);
	t = api_token_info(slot);
	ck_assert_uint_eq(t.ulSessionCount, 2);
	ck_assert_uint_eq(t.ulRwSessionCount, 1);
	RV(f->C_CloseSession(h1), CKR_OK);
	RV(f->C_CloseSession(h1), CKR_SESSION_HANDLE_INVALID);
	RV(f->C_CloseAllSessions(slot), CKR_OK);
	RV(f->C_GetSessionInfo(h2, &info), CKR_SESSION_HANDLE_INVALID);
	ck_assert_uint_eq(api_state(h3), CKS_RW_PUBLIC_SESSION); /* other slot untouched */
	RV(f->C_CloseAllSessions(4242), CKR_SLOT_ID_INVALID);
}
END_TEST

START_TEST(test_auth_objects_before_login)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	CK_OBJECT_HANDLE all[8];
	CK_ULONG n = 0;

	RV(f->C_FindObjectsInit(h, NULL, 0), CKR_OK);
	RV(f->C_FindObjects(h, all, 8, &n), CKR_OK);
	RV(f->C_FindObjectsFinal(h), CKR_OK);
	/* Certificate, CA certificate, public key, profile; the private key is private. */
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(api_find(h, CKO_PRIVATE_KEY, NULL, 0, all, 8), 0);
	ck_assert_uint_eq(api_find(h, CKO_CERTIFICATE, NULL, 0, all, 8), 2);
	api_find_one(h, CKO_PUBLIC_KEY, 1);
	api_find_one(h, CKO_CERTIFICATE, 1);
	api_find_one(h, CKO_CERTIFICATE, 3);
	api_login(h, AUTH_PIN);
	api_find_one(h, CKO_PRIVATE_KEY, 1);
}
END_TEST

/* READ BINARY or SELECT of EF 0001 (the signature certificate) in the traffic. */
static bool sign_cert_touched(void)
{
	static uint8_t cmd[VCARD_RESP_MAX], resp[VCARD_RESP_MAX];
	size_t i, n = vt_traffic_count(api.vt, 0), cl, rl;

	for (i = 0; i < n; i++) {
		if (!vt_traffic_get(api.vt, 0, i, cmd, &cl, resp, &rl) || cl < 4)
			continue;
		if (cmd[1] == 0xB0 && cmd[2] == 0x81)
			return true;
		if (cmd[1] == 0xA4 && cmd[2] == 0x02 && cl >= 7 && cmd[5] == 0x00 && cmd[6] == 0x01)
			return true;
	}
	return false;
}

START_TEST(test_sign_objects_need_login)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, SIGN), false);
	CK_OBJECT_HANDLE all[8];
	CK_ULONG n = 0;

	RV(f->C_FindObjectsInit(h, NULL, 0), CKR_OK);
	RV(f->C_FindObjects(h, all, 8, &n), CKR_OK);
	RV(f->C_FindObjectsFinal(h), CKR_OK);
	/* The CA certificate and the profile: the certificate and both keys need the password. */
	ck_assert_uint_eq(n, 2);
	api_find_one(h, CKO_CERTIFICATE, 4);
	ck_assert(!sign_cert_touched());
	api_login(h, SIGN_PIN);
	RV(f->C_FindObjectsInit(h, NULL, 0), CKR_OK);
	RV(f->C_FindObjects(h, all, 8, &n), CKR_OK);
	RV(f->C_FindObjectsFinal(h), CKR_OK);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(api_find(h, CKO_CERTIFICATE, (const uint8_t *)"\x02", 1, all, 8), 1);
	ck_assert(sign_cert_touched());
	/* Logged out, the private objects disappear and their handles stop working. */
	RV(f->C_Logout(h), CKR_OK);
	ck_assert_uint_eq(api_find(h, CKO_CERTIFICATE, NULL, 0, all, 8), 1);
	RV(f->C_GetAttributeValue(h, api_find_one(h, CKO_CERTIFICATE, 4), NULL, 0), CKR_OK);
}
END_TEST

static X509 *parse(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	ck_assert_ptr_nonnull(x);
	return x;
}

START_TEST(test_attributes_match_card_certificates)
{
	const struct vcard_identity *id = &api.id[0];
	CK_SESSION_HANDLE h = api_open(api_slot(0, SIGN), false);
	CK_OBJECT_HANDLE cert, ca, pub, priv;
	CK_ULONG len;
	uint8_t *v, *mod_pub, *mod_priv;
	CK_ULONG mod_pub_len, mod_priv_len;
	X509 *x;
	unsigned char *subj = NULL;
	int subj_len;

	api_login(h, SIGN_PIN);
	cert = api_find_one(h, CKO_CERTIFICATE, 2);
	ca = api_find_one(h, CKO_CERTIFICATE, 4);
	pub = api_find_one(h, CKO_PUBLIC_KEY, 2);
	priv = api_find_one(h, CKO_PRIVATE_KEY, 2);
	v = api_attr(h, cert, CKA_VALUE, &len);
	ck_assert_uint_eq(len, id->sign_cert_len);
	ck_assert_mem_eq(v, id->sign_cert, len);
	free(v);
	v = api_attr(h, ca, CKA_VALUE, &len);
	ck_assert_uint_eq(len, id->sign_ca_len);
	ck_assert_mem_eq(v, id->sign_ca, len);
	free(v);
	v = api_attr(h, ca, CKA_CERTIFICATE_CATEGORY, &len);
	ck_assert_uint_eq(*(CK_ULONG *)v, 2);
	free(v);
	v = api_attr(h, cert, CKA_LABEL, &len);
	ck_assert_uint_eq(len, strlen("JPKI signature certificate"));
	ck_assert_mem_eq(v, "JPKI signature certificate", len);
	free(v);
	v = api_attr(h, cert, CKA_PRIVATE, &len);
	ck_assert_uint_eq(*v, CK_TRUE);
	free(v);
	v = api_attr(h, pub, CKA_PRIVATE, &len);
	ck_assert_uint_eq(*v, CK_TRUE); /* the signature public key too (jpki-card.md §4.5) */
	free(v);
	v = api_attr(h, priv, CKA_ALWAYS_AUTHENTICATE, &len);
	ck_assert_uint_eq(*v, CK_TRUE);
	free(v);
	mod_pub = api_attr(h, pub, CKA_MODULUS, &mod_pub_len);
	mod_priv = api_attr(h, priv, CKA_MODULUS, &mod_priv_len);
	ck_assert_uint_eq(mod_pub_len, 256);
	ck_assert_uint_eq(mod_priv_len, 256);
	ck_assert_mem_eq(mod_pub, mod_priv, 256);
	free(mod_pub);
	free(mod_priv);
	x = parse(id->sign_cert, id->sign_cert_len);
	subj_len = i2d_X509_NAME(X509_get_subject_name(x), &subj);
	v = api_attr(h, priv, CKA_SUBJECT, &len);
	ck_assert_uint_eq(len, (CK_ULONG)subj_len);
	ck_assert_mem_eq(v, subj, len);
	free(v);
	OPENSSL_free(subj);
	X509_free(x);
}
END_TEST

START_TEST(test_get_attribute_walk)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	CK_OBJECT_HANDLE priv, cert;
	CK_BYTE small[4], big[4096];
	CK_BBOOL sign = CK_FALSE;
	CK_OBJECT_CLASS cls = 0;
	CK_ATTRIBUTE t[5];

	api_login(h, AUTH_PIN);
	priv = api_find_one(h, CKO_PRIVATE_KEY, 1);
	cert = api_find_one(h, CKO_CERTIFICATE, 1);
	t[0] = (CK_ATTRIBUTE){CKA_PRIVATE_EXPONENT, big, sizeof(big)};
	t[1] = (CK_ATTRIBUTE){CKA_VALUE, big, sizeof(big)};
	t[2] = (CK_ATTRIBUTE){CKA_MODULUS, small, sizeof(small)};
	t[3] = (CK_ATTRIBUTE){CKA_SIGN, &sign, sizeof(sign)};
	t[4] = (CK_ATTRIBUTE){CKA_CLASS, &cls, sizeof(cls)};
	RV(f->C_GetAttributeValue(h, priv, t, 5), CKR_ATTRIBUTE_SENSITIVE);
	ck_assert_uint_eq(t[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(t[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(t[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	/* The walk went on after the errors. */
	ck_assert_uint_eq(sign, CK_TRUE);
	ck_assert_uint_eq(cls, CKO_PRIVATE_KEY);
	t[0] = (CK_ATTRIBUTE){CKA_VALUE, small, sizeof(small)};
	RV(f->C_GetAttributeValue(h, cert, t, 1), CKR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(t[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	t[0] = (CK_ATTRIBUTE){CKA_VALUE, NULL, 0};
	RV(f->C_GetAttributeValue(h, cert, t, 1), CKR_OK);
	ck_assert_uint_eq(t[0].ulValueLen, api.id[0].auth_cert_len);
	t[0] = (CK_ATTRIBUTE){CKA_MODULUS, big, sizeof(big)};
	RV(f->C_GetAttributeValue(h, cert, t, 1), CKR_ATTRIBUTE_TYPE_INVALID);
	RV(f->C_GetAttributeValue(h, 0, t, 1), CKR_OBJECT_HANDLE_INVALID);
	RV(f->C_GetAttributeValue(h, 12345678, t, 1), CKR_OBJECT_HANDLE_INVALID);
	/* A handle of the other token, through this token's session. */
	RV(f->C_GetAttributeValue(h, cert + 16, t, 1), CKR_OBJECT_HANDLE_INVALID);
}
END_TEST

START_TEST(test_find_templates_and_states)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	CK_OBJECT_HANDLE o[8];
	CK_ULONG n = 99;
	CK_BBOOL yes = CK_TRUE;
	CK_BYTE id = 1;
	CK_ATTRIBUTE by_id = {CKA_ID, &id, 1};
	CK_ATTRIBUTE verify = {CKA_VERIFY, &yes, 1};
	CK_ATTRIBUTE label = {CKA_LABEL, "JPKI authentication certificate", 31};
	CK_ATTRIBUTE nothing = {CKA_LABEL, "no such label", 13};

	RV(f->C_FindObjects(h, o, 8, &n), CKR_OPERATION_NOT_INITIALIZED);
	RV(f->C_FindObjectsFinal(h), CKR_OPERATION_NOT_INITIALIZED);
	api_login(h, AUTH_PIN);
	RV(f->C_FindObjectsInit(h, &by_id, 1), CKR_OK);
	RV(f->C_FindObjectsInit(h, &by_id, 1), CKR_OPERATION_ACTIVE);
	/* In batches: 1, then the rest, then nothing. */
	RV(f->C_FindObjects(h, o, 1, &n), CKR_OK);
	ck_assert_uint_eq(n, 1);
	RV(f->C_FindObjects(h, o + 1, 8, &n), CKR_OK);
	ck_assert_uint_eq(n, 2); /* certificate, public and private key share CKA_ID 01 */
	RV(f->C_FindObjects(h, o, 8, &n), CKR_OK);
	ck_assert_uint_eq(n, 0);
	RV(f->C_FindObjectsFinal(h), CKR_OK);
	RV(f->C_FindObjectsInit(h, &verify, 1), CKR_OK);
	RV(f->C_FindObjects(h, o, 8, &n), CKR_OK);
	ck_assert_uint_eq(n, 1);
	RV(f->C_FindObjectsFinal(h), CKR_OK);
	RV(f->C_FindObjectsInit(h, &label, 1), CKR_OK);
	RV(f->C_FindObjects(h, o, 8, &n), CKR_OK);
	ck_assert_uint_eq(n, 1);
	RV(f->C_FindObjectsFinal(h), CKR_OK);
	RV(f->C_FindObjectsInit(h, &nothing, 1), CKR_OK);
	RV(f->C_FindObjects(h, o, 8, &n), CKR_OK);
	ck_assert_uint_eq(n, 0);
	RV(f->C_FindObjectsFinal(h), CKR_OK);
}
END_TEST

START_TEST(test_certificates_cached)
{
	CK_SESSION_HANDLE h = api_open(api_slot(0, AUTH), false);
	CK_OBJECT_HANDLE o[8];
	unsigned long before;

	api_find(h, CKO_CERTIFICATE, NULL, 0, o, 8);
	before = api_apdus(0);
	api_find(h, CKO_CERTIFICATE, NULL, 0, o, 8);
	api_find(h, CKO_PUBLIC_KEY, NULL, 0, o, 8);
	free(api_attr(h, o[0], CKA_MODULUS, &(CK_ULONG){0}));
	ck_assert_uint_eq(api_apdus(0), before);
	/* Dropped when the card goes: read again from the new card. */
	vt_remove(api.vt, 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 1);
	h = api_open(api_slot(0, AUTH), false);
	ck_assert_uint_eq(api_find(h, CKO_CERTIFICATE, NULL, 0, o, 8), 2);
	free(api_attr(h, api_find_one(h, CKO_CERTIFICATE, 1), CKA_VALUE, &(CK_ULONG){0}));
	ck_assert_uint_gt(api_apdus(0), 0);
}
END_TEST

START_TEST(test_read_only_objects)
{
	CK_SESSION_HANDLE ro = api_open(api_slot(0, AUTH), false);
	CK_SESSION_HANDLE rw = api_open(api_slot(0, AUTH), true);
	CK_OBJECT_HANDLE cert, o;
	CK_OBJECT_CLASS cls = CKO_DATA;
	CK_BBOOL yes = CK_TRUE;
	CK_ATTRIBUTE tmpl[2] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_TOKEN, &yes, 1}};
	CK_ATTRIBUTE label = {CKA_LABEL, "new", 3};
	CK_ULONG size = 0;

	cert = api_find_one(rw, CKO_CERTIFICATE, 1);
	RV(f->C_CreateObject(rw, tmpl, 2, &o), CKR_TOKEN_WRITE_PROTECTED);
	RV(f->C_CreateObject(rw, tmpl, 1, &o), CKR_TOKEN_WRITE_PROTECTED);
	RV(f->C_CreateObject(ro, tmpl, 2, &o), CKR_SESSION_READ_ONLY);
	RV(f->C_CopyObject(rw, cert, &label, 1, &o), CKR_ACTION_PROHIBITED);
	RV(f->C_CopyObject(rw, 4242, &label, 1, &o), CKR_OBJECT_HANDLE_INVALID);
	RV(f->C_DestroyObject(rw, cert), CKR_ACTION_PROHIBITED);
	RV(f->C_DestroyObject(ro, cert), CKR_SESSION_READ_ONLY);
	RV(f->C_DestroyObject(rw, 4242), CKR_OBJECT_HANDLE_INVALID);
	RV(f->C_SetAttributeValue(rw, cert, &label, 1), CKR_ACTION_PROHIBITED);
	RV(f->C_SetAttributeValue(ro, cert, &label, 1), CKR_SESSION_READ_ONLY);
	RV(f->C_GetObjectSize(rw, cert, &size), CKR_OK);
	ck_assert_uint_eq(size, CK_UNAVAILABLE_INFORMATION);
	RV(f->C_GetObjectSize(rw, 4242, &size), CKR_OBJECT_HANDLE_INVALID);
	/* Still there, unchanged. */
	ck_assert_uint_eq(api_find_one(ro, CKO_CERTIFICATE, 1), cert);
}
END_TEST

START_TEST(test_two_cards)
{
	CK_SESSION_HANDLE h0, h1;
	CK_OBJECT_HANDLE c0, c1;
	uint8_t *v0, *v1;
	CK_ULONG l0, l1;
	int r = api_add_reader("Second Reader");

	api_insert((unsigned)r, VCARD_PROFILE_MYNUMBER, 1);
	h0 = api_open(api_slot(0, AUTH), false);
	h1 = api_open(api_slot((unsigned)r, AUTH), false);
	api_login(h1, AUTH_PIN);
	ck_assert_uint_eq(api_state(h0), CKS_RO_PUBLIC_SESSION);
	c0 = api_find_one(h0, CKO_CERTIFICATE, 1);
	c1 = api_find_one(h1, CKO_CERTIFICATE, 1);
	ck_assert_uint_ne(c0, c1);
	v0 = api_attr(h0, c0, CKA_VALUE, &l0);
	v1 = api_attr(h1, c1, CKA_VALUE, &l1);
	ck_assert(l0 != l1 || memcmp(v0, v1, l0) != 0);
	free(v0);
	free(v1);
}
END_TEST

/* The single profile object of the session's token, found without any card I/O. */
static CK_OBJECT_HANDLE find_profile(CK_SESSION_HANDLE h)
{
	CK_OBJECT_HANDLE o[4];
	unsigned long before = api_apdus(0);

	ck_assert_uint_eq(api_find(h, CKO_PROFILE, NULL, 0, o, 4), 1);
	ck_assert_uint_eq(api_apdus(0), before);
	return o[0];
}

static void check_profile(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, const char *label)
{
	CK_OBJECT_CLASS cls = 0;
	CK_ULONG profile = 0;
	CK_BBOOL token = 0, priv = 1, modifiable = 1, copyable = 1, destroyable = 1;
	char buf[64] = "";
	CK_BYTE id[8];
	CK_ATTRIBUTE t[] = {
	    {CKA_CLASS, &cls, sizeof(cls)},
	    {CKA_PROFILE_ID, &profile, sizeof(profile)},
	    {CKA_TOKEN, &token, 1},
	    {CKA_PRIVATE, &priv, 1},
	    {CKA_MODIFIABLE, &modifiable, 1},
	    {CKA_COPYABLE, &copyable, 1},
	    {CKA_DESTROYABLE, &destroyable, 1},
	    {CKA_LABEL, buf, sizeof(buf) - 1},
	};
	CK_ATTRIBUTE bad[3] = {
	    {CKA_ID, id, sizeof(id)}, {CKA_VALUE, NULL, 0}, {CKA_CLASS, NULL, 0}};
	unsigned long before = api_apdus(0);

	RV(f->C_GetAttributeValue(h, o, t, sizeof(t) / sizeof(t[0])), CKR_OK);
	ck_assert_uint_eq(cls, CKO_PROFILE);
	ck_assert_uint_eq(profile, CKP_PUBLIC_CERTIFICATES_TOKEN);
	ck_assert(token && !priv && !modifiable && !copyable && !destroyable);
	ck_assert_uint_eq(t[7].ulValueLen, strlen(label));
	ck_assert_str_eq(buf, label);
	/* Attributes a profile does not have: the walk reports them and goes on. */
	RV(f->C_GetAttributeValue(h, o, bad, 3), CKR_ATTRIBUTE_TYPE_INVALID);
	ck_assert_uint_eq(bad[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(bad[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(bad[2].ulValueLen, sizeof(CK_OBJECT_CLASS));
	t[0].ulValueLen = 1;
	RV(f->C_GetAttributeValue(h, o, t, 1), CKR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(api_apdus(0), before);
}

START_TEST(test_profile_object)
{
	CK_SESSION_HANDLE a = api_open(api_slot(0, AUTH), false);
	CK_SESSION_HANDLE s = api_open(api_slot(0, SIGN), true);
	CK_OBJECT_HANDLE pa, ps, o[8];
	CK_ULONG n = 0, id = CKP_PUBLIC_CERTIFICATES_TOKEN, other = 1;
	CK_ATTRIBUTE by_id = {CKA_PROFILE_ID, &id, sizeof(id)};
	CK_ATTRIBUTE by_other = {CKA_PROFILE_ID, &other, sizeof(other)};
	CK_ATTRIBUTE label = {CKA_LABEL, "new", 3};
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};

	/* Public on both tokens, before any login, and before any certificate was read. */
	pa = find_profile(a);
	ps = find_profile(s);
	ck_assert_uint_ne(pa, ps);
	check_profile(a, pa, "JPKI authentication token profile");
	check_profile(s, ps, "JPKI signature token profile");
	ck_assert(!sign_cert_touched());
	RV(f->C_FindObjectsInit(s, &by_id, 1), CKR_OK);
	RV(f->C_FindObjects(s, o, 8, &n), CKR_OK);
	RV(f->C_FindObjectsFinal(s), CKR_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(o[0], ps);
	RV(f->C_FindObjectsInit(s, &by_other, 1), CKR_OK);
	RV(f->C_FindObjects(s, o, 8, &n), CKR_OK);
	RV(f->C_FindObjectsFinal(s), CKR_OK);
	ck_assert_uint_eq(n, 0);
	/* The token stays what it was: login required, the signature objects private. */
	ck_assert_uint_eq(api_token_info(api_slot(0, SIGN)).flags & CKF_LOGIN_REQUIRED,
			  CKF_LOGIN_REQUIRED);
	ck_assert_uint_eq(api_find(s, CKO_CERTIFICATE, (const uint8_t *)"\x02", 1, o, 8), 0);
	/* Read-only, no key, and not an object of the other token. */
	RV(f->C_SetAttributeValue(s, ps, &label, 1), CKR_ACTION_PROHIBITED);
	RV(f->C_DestroyObject(s, ps), CKR_ACTION_PROHIBITED);
	RV(f->C_CopyObject(s, ps, &label, 1, o), CKR_ACTION_PROHIBITED);
	RV(f->C_DestroyObject(a, pa), CKR_SESSION_READ_ONLY);
	RV(f->C_GetAttributeValue(a, ps, &label, 1), CKR_OBJECT_HANDLE_INVALID);
	RV(f->C_VerifyInit(a, &mech, pa), CKR_KEY_HANDLE_INVALID);
	/* Still the one profile after the login. */
	api_login(s, SIGN_PIN);
	ck_assert_uint_eq(find_profile(s), ps);
	ck_assert_uint_eq(api_find(s, CKO_CERTIFICATE, (const uint8_t *)"\x02", 1, o, 8), 1);
}
END_TEST

START_TEST(test_profile_object_off)
{
	CK_SESSION_HANDLE a, s;
	CK_OBJECT_HANDLE o[8], cert;
	CK_ULONG n = 0;
	CK_ATTRIBUTE cls = {CKA_CLASS, NULL, 0};

	api_finalize();
	api_config("public_certificates_token = off\n");
	api_init();
	a = api_open(api_slot(0, AUTH), false);
	s = api_open(api_slot(0, SIGN), false);
	ck_assert_uint_eq(api_find(a, CKO_PROFILE, NULL, 0, o, 8), 0);
	ck_assert_uint_eq(api_find(s, CKO_PROFILE, NULL, 0, o, 8), 0);
	RV(f->C_FindObjectsInit(a, NULL, 0), CKR_OK);
	RV(f->C_FindObjects(a, o, 8, &n), CKR_OK);
	RV(f->C_FindObjectsFinal(a), CKR_OK);
	ck_assert_uint_eq(n, 3); /* certificate, CA certificate, public key */
	/* Where the profile would be, there is no object. */
	cert = api_find_one(a, CKO_CERTIFICATE, 1);
	RV(f->C_GetAttributeValue(a, (cert & ~(CK_OBJECT_HANDLE)0xF) | 5, &cls, 1),
	   CKR_OBJECT_HANDLE_INVALID);
	api_login(s, SIGN_PIN);
	ck_assert_uint_eq(api_find(s, CKO_PROFILE, NULL, 0, o, 8), 0);
	RV(f->C_FindObjectsInit(s, NULL, 0), CKR_OK);
	RV(f->C_FindObjects(s, o, 8, &n), CKR_OK);
	RV(f->C_FindObjectsFinal(s), CKR_OK);
	ck_assert_uint_eq(n, 4);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api-objects");
	TCase *tc = tcase_create("objects");
	SRunner *sr;
	int failed;

	api_load_pki();
	tcase_add_checked_fixture(tc, setup, api_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_open_close);
	tcase_add_test(tc, test_auth_objects_before_login);
	tcase_add_test(tc, test_sign_objects_need_login);
	tcase_add_test(tc, test_attributes_match_card_certificates);
	tcase_add_test(tc, test_get_attribute_walk);
	tcase_add_test(tc, test_find_templates_and_states);
	tcase_add_test(tc, test_certificates_cached);
	tcase_add_test(tc, test_read_only_objects);
	tcase_add_test(tc, test_two_cards);
	tcase_add_test(tc, test_profile_object);
	tcase_add_test(tc, test_profile_object_off);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
