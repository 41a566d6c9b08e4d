/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/diff/p11util.h"

int p11_module_load(const char *path, struct p11_module *m)
{
	memset(m, 0, sizeof(*m));
	m->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!m->dl) {
		fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
		return -1;
	}
	/* POSIX allows converting dlsym's result to a function pointer through a union-free cast.
	 */
	*(void **)&m->get_function_list = dlsym(m->dl, "C_GetFunctionList");
	if (!m->get_function_list) {
		fprintf(stderr, "%s: no C_GetFunctionList\n", path);
		p11_module_unload(m);
		return -1;
	}
	CK_RV rv = m->get_function_list(&m->f);
	if (rv != CKR_OK || !m->f) {
		fprintf(stderr, "%s: C_GetFunctionList: %s\n", path, p11_rv_name(rv));
		p11_module_unload(m);
		return -1;
	}
	return 0;
}

void p11_module_unload(struct p11_module *m)
{
	if (m->dl)
		dlclose(m->dl);
	memset(m, 0, sizeof(*m));
}

static size_t padded_len(const CK_UTF8CHAR *s, size_t cap)
{
	while (cap > 0 && (s[cap - 1] == ' ' || s[cap - 1] == '\0'))
		cap--;
	return cap;
}

/* Finds label among the slots with a token; with report set, lists the labels instead. */
static bool scan_slots(CK_FUNCTION_LIST_PTR f, const CK_SLOT_ID *ids, CK_ULONG n, const char *label,
		       bool report, CK_SLOT_ID *slot)
{
	for (CK_ULONG i = 0; i < n; i++) {
		CK_TOKEN_INFO ti;
		if (f->C_GetTokenInfo(ids[i], &ti) != CKR_OK)
			continue;
		size_t len = padded_len(ti.label, sizeof(ti.label));
		if (report)
			fprintf(stderr, "slot 0x%lx: token \"%.*s\"\n", (unsigned long)ids[i],
				(int)len, (const char *)ti.label);
		else if (len == strlen(label) && memcmp(ti.label, label, len) == 0) {
			*slot = ids[i];
			return true;
		}
	}
	return false;
}

CK_RV p11_slot_by_label(CK_FUNCTION_LIST_PTR f, const char *label, CK_SLOT_ID *slot)
{
	CK_ULONG n = 0;
	CK_RV rv = f->C_GetSlotList(CK_TRUE, NULL, &n);
	if (rv != CKR_OK)
		return rv;
	CK_SLOT_ID *ids = calloc(n ? n : 1, sizeof(*ids));
	if (!ids)
		return CKR_HOST_MEMORY;
	rv = f->C_GetSlotList(CK_TRUE, ids, &n);
	if (rv == CKR_OK && !scan_slots(f, ids, n, label, false, slot)) {
		fprintf(stderr, "no token labelled \"%s\"\n", label);
		scan_slots(f, ids, n, label, true, slot);
		rv = CKR_TOKEN_NOT_PRESENT;
	}
	free(ids);
	return rv;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long p11_hex_decode(const char *hex, CK_BYTE *out, size_t cap)
{
	size_t len = strlen(hex);
	if (len % 2 || len / 2 > cap)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hex_nibble(hex[2 * i]), lo = hex_nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (CK_BYTE)(hi << 4 | lo);
	}
	return (long)(len / 2);
}
