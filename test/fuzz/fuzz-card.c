/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A hostile card: the module's whole life cycle (C_Initialize, slot and token probe, object
 * search, certificate and key attributes, PIN status, login, context-specific login, signing,
 * logout, C_Finalize) against a virtual card whose answers the fuzz input rewrites.
 *
 * Input: one flags byte (profile, extended-length reader, which PINs to present), then one
 * instruction per APDU the module sends, read when it sends it:
 *   00-7F  the card answers
 *   80-9F  the input answers instead: 2 length bytes, then that many bytes (data + SW)
 *   A0-AF  the card answers, then its answer is cut to (next byte) bytes
 *   B0-BF  the card answers, then byte (next byte) of it is set to (the byte after)
 *   C0-C7  the card answers, then its SW becomes the next 2 bytes
 *   C8-CF  the transmit fails (transport error)
 *   D0-D7  the card is reset (by someone else)
 *   D8-DF  the card is pulled out
 *   E0-FF  the card answers
 * When the input is used up the card answers everything.
 */
#include "config.h"

#include <string.h>

#include "test/fuzz/fuzz.h"

#define MAX_ANSWER 4096

static struct {
	struct fz in;
	int after;	/* what to do to the card's answer: 0 nothing, 1 cut, 2 poke, 3 SW */
	uint8_t a1, a2; /* its operands */
} st;

static enum vt_verdict hook(void *arg, enum vt_stage stage, unsigned reader, unsigned long index,
			    const uint8_t *cmd, size_t cmd_len, uint8_t *resp, size_t *resp_len)
{
	uint8_t op;

	if (stage == VT_AFTER) {
		switch (st.after) {
		case 1:
			if (st.a1 < *resp_len)
				*resp_len = st.a1;
			break;
		case 2:
			if (st.a1 < *resp_len)
				resp[st.a1] = st.a2;
			break;
		case 3:
			if (*resp_len >= 2) {
				resp[*resp_len - 2] = st.a1;
				resp[*resp_len - 1] = st.a2;
			}
			break;
		}
		st.after = 0;
		return VT_PASS;
	}
	if (fz_empty(&st.in))
		return VT_PASS;
	op = fz_u8(&st.in);
	if (op < 0x80 || op >= 0xE0)
		return VT_PASS;
	if (op < 0xA0) {
		size_t len = fz_u16(&st.in) % (MAX_ANSWER + 1);

		*resp_len = fz_bytes(&st.in, resp, len);
		return VT_ANSWER;
	}
	if (op < 0xC8) {
		st.after = op < 0xB0 ? 1 : op < 0xC0 ? 2 : 3;
		st.a1 = fz_u8(&st.in);
		st.a2 = st.after == 1 ? 0 : fz_u8(&st.in);
		return VT_PASS;
	}
	if (op < 0xD0)
		return VT_FAIL;
	return op < 0xD8 ? VT_RESET : VT_REMOVE;
}

/* Every attribute a consumer reads from a certificate or key, two-call style. */
static void read_attributes(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o)
{
	static const CK_ATTRIBUTE_TYPE types[] = {CKA_CLASS,
						  CKA_LABEL,
						  CKA_ID,
						  CKA_VALUE,
						  CKA_SUBJECT,
						  CKA_ISSUER,
						  CKA_SERIAL_NUMBER,
						  CKA_MODULUS,
						  CKA_PUBLIC_EXPONENT,
						  CKA_KEY_TYPE,
						  CKA_ALWAYS_AUTHENTICATE,
						  CKA_START_DATE,
						  CKA_END_DATE,
						  CKA_CHECK_VALUE,
						  CKA_PUBLIC_KEY_INFO,
						  CKA_PRIVATE_EXPONENT};
	uint8_t buf[4096];
	CK_ULONG size;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		CK_ATTRIBUTE a = {types[i], NULL, 0};

		if (f->C_GetAttributeValue(h, o, &a, 1) != CKR_OK || a.ulValueLen > sizeof(buf))
			continue;
		a.pValue = buf;
		f->C_GetAttributeValue(h, o, &a, 1);
	}
	f->C_GetObjectSize(h, o, &size);
}

static void sign_with(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE key,
		      const char *pin, CK_MECHANISM_TYPE mech)
{
	static const uint8_t msg[] = "fuzz";
	CK_MECHANISM m = {mech, NULL, 0};
	CK_BBOOL always = CK_FALSE;
	CK_ATTRIBUTE a = {CKA_ALWAYS_AUTHENTICATE, &always, sizeof(always)};
	uint8_t sig[512];
	CK_ULONG sig_len = sizeof(sig);

	f->C_GetAttributeValue(h, key, &a, 1);
	if (f->C_SignInit(h, &m, key) != CKR_OK)
		return;
	if (always)
		f->C_Login(h, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)pin, strlen(pin));
	f->C_Sign(h, (CK_BYTE_PTR)msg, sizeof(msg) - 1, sig, &sig_len);
}

static void token(CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot, const char *pin, bool sign)
{
	CK_TOKEN_INFO ti;
	CK_SESSION_INFO si;
	CK_MECHANISM_TYPE mechs[32];
	CK_ULONG n = 32;
	CK_OBJECT_HANDLE objs[16];
	CK_OBJECT_CLASS priv = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE find_priv = {CKA_CLASS, &priv, sizeof(priv)};
	CK_SESSION_HANDLE h;

	f->C_GetTokenInfo(slot, &ti);
	f->C_GetMechanismList(slot, mechs, &n);
	if (f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &h) != CKR_OK)
		return;
	n = 0;
	if (f->C_FindObjectsInit(h, NULL, 0) == CKR_OK) {
		f->C_FindObjects(h, objs, 16, &n);
		f->C_FindObjectsFinal(h);
	}
	for (CK_ULONG i = 0; i < n; i++)
		read_attributes(f, h, objs[i]);
	f->C_GetTokenInfo(slot, &ti); /* PIN status flags */
	if (f->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)) == CKR_OK) {
		n = 0;
		if (f->C_FindObjectsInit(h, &find_priv, 1) == CKR_OK) {
			f->C_FindObjects(h, objs, 16, &n);
			f->C_FindObjectsFinal(h);
		}
		for (CK_ULONG i = 0; i < n; i++) {
			read_attributes(f, h, objs[i]);
			sign_with(f, h, objs[i], pin, sign ? CKM_SHA256_RSA_PKCS : CKM_RSA_PKCS);
		}
		f->C_GetSessionInfo(h, &si);
		f->C_Logout(h);
	}
	f->C_CloseSession(h);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup_env();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const pins[][2] = {
	    {"1234", "PASS1234"}, {"0000", "pass1234"}, {"12345", "ABC"}, {"1234", "WRONG99"}};
	CK_FUNCTION_LIST_PTR f = fuzz_module();
	struct fuzz_world w;
	CK_SLOT_ID slots[8];
	CK_SLOT_INFO si;
	CK_ULONG n = 8;
	uint8_t flags;

	memset(&st, 0, sizeof(st));
	st.in.p = data;
	st.in.n = size;
	flags = fz_u8(&st.in);
	fuzz_world_new(&w, (enum vcard_profile)(flags % 3));
	if (flags & 0x04)
		vt_set_max_response(w.vt, 0, 65536);
	vt_set_hook(w.vt, hook, NULL);
	if (f->C_Initialize(NULL) == CKR_OK) {
		if (f->C_GetSlotList(CK_TRUE, slots, &n) == CKR_OK) {
			for (CK_ULONG i = 0; i < n && i < 8; i++) {
				f->C_GetSlotInfo(slots[i], &si);
				/* Slots come in pairs per reader: auth, then sign. */
				token(f, slots[i], pins[(flags >> 3) & 3][i & 1], i & 1);
			}
		}
		f->C_Finalize(NULL);
	}
	fuzz_world_free(&w);
	return 0;
}
