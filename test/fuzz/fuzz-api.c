/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Random sequences of PKCS#11 calls against the module over the in-process virtual card:
 * random handles (mostly ones the module gave out, some invented), templates, buffer lengths,
 * NULL pointers, mechanisms and PINs, interleaved with card removal, insertion and reset.
 * Pointers are always valid for the lengths passed (a caller lying about its buffer is not
 * a module bug); everything else is up to the input. Each input starts from a fresh module
 * and card.
 *
 * Input: a sequence of calls, each one opcode byte followed by its operands.
 */
#include "config.h"

#include <string.h>

#include "test/fuzz/fuzz.h"

#define POOL   8
#define BUFCAP 1024
#define MAXT   6

static struct {
	struct fz in;
	CK_FUNCTION_LIST_PTR f;
	struct fuzz_world w;
	CK_SLOT_ID slots[POOL];
	CK_SESSION_HANDLE sessions[POOL];
	CK_OBJECT_HANDLE objects[POOL];
	CK_ULONG n_slots, n_sessions, n_objects;
	uint8_t buf[MAXT + 2][BUFCAP];
} s;

/* A handle: one of those seen (or 0, or anything) as the input says. */
static CK_ULONG pick(const CK_ULONG *pool, CK_ULONG n)
{
	uint8_t b = fz_u8(&s.in);

	if (b < 0xF0 && n > 0)
		return pool[b % n];
	if (b == 0xF0)
		return 0;
	if (b == 0xF1)
		return CK_INVALID_HANDLE - 1;
	return fz_u32(&s.in);
}

static void remember(CK_ULONG *pool, CK_ULONG *n, CK_ULONG v)
{
	pool[*n % POOL] = v;
	(*n)++;
}

static CK_ULONG pool_len(CK_ULONG n)
{
	return n < POOL ? n : POOL;
}

#define SLOT()	  pick(s.slots, pool_len(s.n_slots))
#define SESSION() pick(s.sessions, pool_len(s.n_sessions))
#define OBJECT()  pick(s.objects, pool_len(s.n_objects))

/* A buffer of BUFCAP bytes or NULL, and a length no larger than it is. */
static void *buffer(unsigned which, CK_ULONG *len)
{
	uint8_t b = fz_u8(&s.in);

	*len = fz_u16(&s.in) % (BUFCAP + 1);
	if (b % 8 == 0) {
		/* NULL: any length (a length query, or a bad argument). */
		if (b & 0x80)
			*len = CK_UNAVAILABLE_INFORMATION;
		return NULL;
	}
	return s.buf[which];
}

static CK_ATTRIBUTE_TYPE attr_type(void)
{
	static const CK_ATTRIBUTE_TYPE known[] = {CKA_CLASS,
						  CKA_TOKEN,
						  CKA_PRIVATE,
						  CKA_LABEL,
						  CKA_ID,
						  CKA_VALUE,
						  CKA_SUBJECT,
						  CKA_ISSUER,
						  CKA_KEY_TYPE,
						  CKA_MODULUS,
						  CKA_SIGN,
						  CKA_CERTIFICATE_TYPE,
						  CKA_ALWAYS_AUTHENTICATE,
						  CKA_PRIVATE_EXPONENT,
						  CKA_ALLOWED_MECHANISMS,
						  CKA_MODULUS_BITS,
						  CKA_START_DATE,
						  CKA_SENSITIVE};
	uint8_t b = fz_u8(&s.in);

	if (b < 0xF0)
		return known[b % (sizeof(known) / sizeof(known[0]))];
	return fz_u32(&s.in);
}

/* A template of up to MAXT entries; with values from the input when fill is set. */
static CK_ULONG template(CK_ATTRIBUTE *t, bool fill)
{
	CK_ULONG n = fz_u8(&s.in) % (MAXT + 1);

	for (CK_ULONG i = 0; i < n; i++) {
		t[i].type = attr_type();
		t[i].pValue = buffer((unsigned)i, &t[i].ulValueLen);
		if (fill && t[i].pValue != NULL) {
			uint8_t len = fz_u8(&s.in);

			if (len < t[i].ulValueLen)
				t[i].ulValueLen = len;
			fz_bytes(&s.in, t[i].pValue, t[i].ulValueLen);
		}
	}
	return n;
}

static CK_MECHANISM_TYPE mech_type(void)
{
	static const CK_MECHANISM_TYPE known[] = {
	    CKM_RSA_PKCS,	 CKM_SHA1_RSA_PKCS,	   CKM_SHA256_RSA_PKCS,
	    CKM_SHA384_RSA_PKCS, CKM_SHA512_RSA_PKCS,	   CKM_SHA224_RSA_PKCS,
	    CKM_RSA_PKCS_PSS,	 CKM_SHA256_RSA_PKCS_PSS,  CKM_RSA_X_509,
	    CKM_SHA256,		 CKM_RSA_PKCS_KEY_PAIR_GEN};
	uint8_t b = fz_u8(&s.in);

	if (b < 0xF0)
		return known[b % (sizeof(known) / sizeof(known[0]))];
	return fz_u32(&s.in);
}

/* A mechanism with parameter bytes from the input (possibly a PSS parameter block). */
static CK_MECHANISM *mechanism(CK_MECHANISM *m, CK_RSA_PKCS_PSS_PARAMS *pss)
{
	uint8_t b = fz_u8(&s.in);

	m->mechanism = mech_type();
	m->pParameter = NULL;
	m->ulParameterLen = 0;
	if (b % 4 == 1) {
		pss->hashAlg = mech_type();
		pss->mgf = fz_u8(&s.in) < 0x80 ? CKG_MGF1_SHA256 : fz_u32(&s.in);
		pss->sLen = fz_u8(&s.in);
		m->pParameter = pss;
		m->ulParameterLen =
		    fz_u8(&s.in) < 0xC0 ? sizeof(*pss) : fz_u8(&s.in) % sizeof(*pss);
	} else if (b % 4 == 2) {
		m->pParameter = buffer(MAXT, &m->ulParameterLen);
	}
	return b == 0xFF ? NULL : m;
}

/* A PIN from the input: up to 20 bytes, or one of the card's own, or NULL. */
static CK_UTF8CHAR_PTR pin(unsigned which, CK_ULONG *len)
{
	static const char *const known[] = {"1234", "PASS1234", "pass1234", "4321", "ABCDEF"};
	uint8_t b = fz_u8(&s.in);
	CK_UTF8CHAR_PTR p = s.buf[MAXT + which];

	if (b < 0x80) {
		const char *k = known[b % 5];

		*len = strlen(k);
		memcpy(p, k, *len);
		return p;
	}
	if (b == 0xFF) {
		*len = fz_u8(&s.in);
		return NULL;
	}
	*len = fz_bytes(&s.in, p, b % 21);
	return p;
}

static void call(uint8_t op)
{
	CK_FUNCTION_LIST_PTR f = s.f;
	CK_ATTRIBUTE t[MAXT];
	CK_MECHANISM m;
	CK_RSA_PKCS_PSS_PARAMS pss;
	CK_C_INITIALIZE_ARGS args = {0};
	CK_ULONG n, n2, i;
	CK_SESSION_HANDLE h;
	CK_SLOT_ID slot;
	CK_OBJECT_HANDLE o;
	CK_UTF8CHAR_PTR p1, p2;
	void *b;
	union {
		CK_INFO info;
		CK_SLOT_INFO slot;
		CK_TOKEN_INFO token;
		CK_SESSION_INFO session;
		CK_MECHANISM_INFO mech;
	} info;

	switch (op % 32) {
	case 0:
		args.flags = fz_u8(&s.in) & 0x03;
		f->C_Initialize(fz_u8(&s.in) & 1 ? &args : NULL);
		break;
	case 1:
		f->C_Finalize(fz_u8(&s.in) == 0xFF ? (void *)&args : NULL);
		break;
	case 2:
		f->C_GetInfo(fz_u8(&s.in) & 1 ? &info.info : NULL);
		break;
	case 3:
		b = buffer(0, &n);
		n /= sizeof(CK_SLOT_ID);
		if (f->C_GetSlotList(fz_u8(&s.in) & 1, b, &n) == CKR_OK && b != NULL)
			for (i = 0; i < n; i++)
				remember(s.slots, &s.n_slots, ((CK_SLOT_ID *)b)[i]);
		break;
	case 4:
		slot = SLOT();
		f->C_GetSlotInfo(slot, fz_u8(&s.in) & 1 ? &info.slot : NULL);
		break;
	case 5:
		slot = SLOT();
		f->C_GetTokenInfo(slot, fz_u8(&s.in) & 1 ? &info.token : NULL);
		break;
	case 6:
		slot = SLOT();
		b = buffer(0, &n);
		n /= sizeof(CK_MECHANISM_TYPE);
		f->C_GetMechanismList(slot, b, fz_u8(&s.in) & 1 ? &n : NULL);
		break;
	case 7:
		slot = SLOT();
		f->C_GetMechanismInfo(slot, mech_type(), fz_u8(&s.in) & 1 ? &info.mech : NULL);
		break;
	case 8:
		slot = SLOT();
		n = fz_u8(&s.in);
		if (f->C_OpenSession(slot, n & 0x0F, NULL, NULL, n & 0x10 ? NULL : &h) == CKR_OK &&
		    !(n & 0x10))
			remember(s.sessions, &s.n_sessions, h);
		break;
	case 9:
		f->C_CloseSession(SESSION());
		break;
	case 10:
		f->C_CloseAllSessions(SLOT());
		break;
	case 11:
		h = SESSION();
		f->C_GetSessionInfo(h, fz_u8(&s.in) & 1 ? &info.session : NULL);
		break;
	case 12:
		h = SESSION();
		n2 = fz_u8(&s.in) % 4;
		p1 = pin(0, &n);
		f->C_Login(h, n2 == 3 ? fz_u32(&s.in) : n2, p1, n);
		break;
	case 13:
		f->C_Logout(SESSION());
		break;
	case 14:
		h = SESSION();
		n = template(t, true);
		f->C_FindObjectsInit(h, fz_u8(&s.in) == 0xFF ? NULL : t, n);
		break;
	case 15:
		h = SESSION();
		b = buffer(0, &n2);
		n2 /= sizeof(CK_OBJECT_HANDLE);
		n = 0;
		if (f->C_FindObjects(h, b, n2, fz_u8(&s.in) == 0xFF ? NULL : &n) == CKR_OK &&
		    b != NULL)
			for (i = 0; i < n && i < n2; i++)
				remember(s.objects, &s.n_objects, ((CK_OBJECT_HANDLE *)b)[i]);
		break;
	case 16:
		f->C_FindObjectsFinal(SESSION());
		break;
	case 17:
		h = SESSION();
		o = OBJECT();
		n = template(t, false);
		f->C_GetAttributeValue(h, o, fz_u8(&s.in) == 0xFF ? NULL : t, n);
		break;
	case 18:
		h = SESSION();
		o = OBJECT();
		f->C_GetObjectSize(h, o, fz_u8(&s.in) & 1 ? &n : NULL);
		break;
	case 19:
		h = SESSION();
		f->C_SignInit(h, mechanism(&m, &pss), OBJECT());
		break;
	case 20:
		h = SESSION();
		p1 = buffer(MAXT, &n);
		fz_bytes(&s.in, s.buf[MAXT], n);
		b = buffer(0, &n2);
		f->C_Sign(h, p1, n, b, fz_u8(&s.in) == 0xFF ? NULL : &n2);
		break;
	case 21:
		h = SESSION();
		p1 = buffer(MAXT, &n);
		fz_bytes(&s.in, s.buf[MAXT], n);
		f->C_SignUpdate(h, p1, n);
		break;
	case 22:
		h = SESSION();
		b = buffer(0, &n2);
		f->C_SignFinal(h, b, fz_u8(&s.in) == 0xFF ? NULL : &n2);
		break;
	case 23:
		h = SESSION();
		f->C_VerifyInit(h, mechanism(&m, &pss), OBJECT());
		break;
	case 24:
		h = SESSION();
		p1 = buffer(MAXT, &n);
		fz_bytes(&s.in, s.buf[MAXT], n);
		b = buffer(0, &n2);
		fz_bytes(&s.in, s.buf[0], n2);
		f->C_Verify(h, p1, n, b, n2);
		break;
	case 25:
		h = SESSION();
		p1 = pin(0, &n);
		p2 = pin(1, &n2);
		f->C_SetPIN(h, p1, n, p2, n2);
		break;
	case 26:
		/* Never blocking: nothing in this process would ever wake it. */
		f->C_WaitForSlotEvent(CKF_DONT_BLOCK, fz_u8(&s.in) == 0xFF ? NULL : &slot, NULL);
		break;
	case 27:
		/* Functions the module does not support: argument checks and the right code. */
		h = SESSION();
		switch (fz_u8(&s.in) % 8) {
		case 0:
			f->C_GenerateRandom(h, s.buf[0], fz_u8(&s.in));
			break;
		case 1:
			f->C_DigestInit(h, mechanism(&m, &pss));
			break;
		case 2:
			n = template(t, true);
			f->C_CreateObject(h, t, n, &o);
			break;
		case 3:
			f->C_DestroyObject(h, OBJECT());
			break;
		case 4:
			n = template(t, true);
			f->C_SetAttributeValue(h, OBJECT(), t, n);
			break;
		case 5:
			b = buffer(0, &n);
			f->C_GetOperationState(h, b, &n);
			break;
		case 6:
			p1 = pin(0, &n);
			f->C_InitPIN(h, p1, n);
			break;
		case 7:
			f->C_SeedRandom(h, s.buf[0], fz_u8(&s.in));
			break;
		}
		break;
	case 28:
		vt_remove(s.w.vt, 0);
		break;
	case 29:
		fuzz_world_reinsert(&s.w);
		break;
	case 30:
		vt_reset(s.w.vt, 0);
		break;
	case 31:
		h = SESSION();
		p1 = buffer(MAXT, &n);
		fz_bytes(&s.in, s.buf[MAXT], n);
		f->C_VerifyUpdate(h, p1, n);
		b = buffer(0, &n2);
		fz_bytes(&s.in, s.buf[0], n2);
		f->C_VerifyFinal(h, b, n2);
		break;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup_env();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned calls = 0;

	memset(&s, 0, sizeof(s));
	s.in.p = data;
	s.in.n = size;
	s.f = fuzz_module();
	fuzz_world_new(&s.w, VCARD_PROFILE_MYNUMBER);
	s.f->C_Initialize(NULL);
	/* Bounded: a long input is many calls, not an endless run. */
	while (!fz_empty(&s.in) && calls++ < 256)
		call(fz_u8(&s.in));
	s.f->C_Finalize(NULL);
	fuzz_world_free(&s.w);
	return 0;
}
