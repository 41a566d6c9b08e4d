/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/bench/bench_p11.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bench_module_load(const char *path, struct bench_module *m)
{
	CK_C_GetFunctionList get_list;

	memset(m, 0, sizeof(*m));
	m->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!m->dl) {
		fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
		return -1;
	}
	/* POSIX guarantees that dlsym's result converts to a function pointer. */
	*(void **)&get_list = dlsym(m->dl, "C_GetFunctionList");
	if (!get_list || get_list(&m->f) != CKR_OK || !m->f) {
		fprintf(stderr, "%s: no usable C_GetFunctionList\n", path);
		bench_module_unload(m);
		return -1;
	}
	return 0;
}

void bench_module_unload(struct bench_module *m)
{
	if (m->dl)
		dlclose(m->dl);
	memset(m, 0, sizeof(*m));
}

int bench_ok(CK_RV rv, const char *call)
{
	if (rv == CKR_OK)
		return 0;
	fprintf(stderr, "%s failed: CKR 0x%08lX\n", call, (unsigned long)rv);
	return -1;
}

int bench_initialize(CK_FUNCTION_LIST_PTR f)
{
	CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};

	return bench_ok(f->C_Initialize(&args), "C_Initialize");
}

static bool label_has(const CK_TOKEN_INFO *ti, const char *needle)
{
	char label[sizeof(ti->label) + 1];

	memcpy(label, ti->label, sizeof(ti->label));
	label[sizeof(ti->label)] = '\0';
	return strstr(label, needle) != NULL;
}

int bench_token_slot(CK_FUNCTION_LIST_PTR f, const char *needle, CK_SLOT_ID *slot)
{
	CK_SLOT_ID ids[32];
	CK_ULONG n = sizeof(ids) / sizeof(ids[0]);
	CK_TOKEN_INFO ti;

	if (bench_ok(f->C_GetSlotList(CK_TRUE, ids, &n), "C_GetSlotList") != 0)
		return -1;
	for (CK_ULONG i = 0; i < n; i++) {
		if (bench_ok(f->C_GetTokenInfo(ids[i], &ti), "C_GetTokenInfo") != 0)
			return -1;
		if (label_has(&ti, needle)) {
			*slot = ids[i];
			return 0;
		}
	}
	fprintf(stderr, "no token with \"%s\" in its label\n", needle);
	return -1;
}

int bench_find_one(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, CK_BYTE id,
		   CK_OBJECT_HANDLE *h)
{
	CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_ID, &id, 1}};
	CK_ULONG n = 0;

	if (bench_ok(f->C_FindObjectsInit(s, tmpl, 2), "C_FindObjectsInit") != 0)
		return -1;
	if (bench_ok(f->C_FindObjects(s, h, 1, &n), "C_FindObjects") != 0 ||
	    bench_ok(f->C_FindObjectsFinal(s), "C_FindObjectsFinal") != 0)
		return -1;
	if (n != 1) {
		fprintf(stderr, "no object of class %lu with ID %02X\n", (unsigned long)cls, id);
		return -1;
	}
	return 0;
}

CK_RV bench_read_attr(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
		      CK_ATTRIBUTE_TYPE type, size_t *len)
{
	CK_ATTRIBUTE a = {type, NULL, 0};
	CK_RV rv = f->C_GetAttributeValue(s, h, &a, 1);

	if (len)
		*len = 0;
	if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION || a.ulValueLen == 0)
		return rv;
	if (!(a.pValue = malloc(a.ulValueLen)))
		return CKR_HOST_MEMORY;
	rv = f->C_GetAttributeValue(s, h, &a, 1);
	if (rv == CKR_OK && len)
		*len = a.ulValueLen;
	free(a.pValue);
	return rv;
}

int bench_always_authenticate(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key,
			      bool *always)
{
	CK_BBOOL v = CK_FALSE;
	CK_ATTRIBUTE a = {CKA_ALWAYS_AUTHENTICATE, &v, sizeof(v)};
	CK_RV rv = f->C_GetAttributeValue(s, key, &a, 1);

	if (rv != CKR_ATTRIBUTE_TYPE_INVALID && bench_ok(rv, "C_GetAttributeValue") != 0)
		return -1;
	*always = a.ulValueLen == sizeof(v) && v == CK_TRUE;
	return 0;
}

int bench_login(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, const char *pin)
{
	return bench_ok(f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)), "C_Login");
}

int bench_sign(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, bool always,
	       const char *pin)
{
	/* RFC 8017 DigestInfo for SHA-256 with a fixed hash: the card signs what it is given. */
	CK_BYTE data[51] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
			    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
	CK_MECHANISM mech = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE sig[512];
	CK_ULONG sig_len = sizeof(sig);

	for (size_t i = 19; i < sizeof(data); i++)
		data[i] = (CK_BYTE)i;
	if (bench_ok(f->C_SignInit(s, &mech, key), "C_SignInit") != 0)
		return -1;
	if (always &&
	    bench_ok(f->C_Login(s, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)pin, strlen(pin)),
		     "C_Login(CKU_CONTEXT_SPECIFIC)") != 0)
		return -1;
	if (bench_ok(f->C_Sign(s, data, sizeof(data), sig, &sig_len), "C_Sign") != 0)
		return -1;
	if (sig_len != 256) {
		fprintf(stderr, "C_Sign gave %lu bytes, expected 256 (RSA-2048)\n",
			(unsigned long)sig_len);
		return -1;
	}
	return 0;
}
