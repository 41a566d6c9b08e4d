/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkcs11/module.h"
#include "test/api/test-api.h"

struct api api;
static struct vcard_pki pki[VCARD_PKI_IDENTITIES];

void api_load_pki(void)
{
	const char *dir = getenv("JPKI_TEST_PKI");
	unsigned i;

	for (i = 0; i < VCARD_PKI_IDENTITIES; i++)
		if (vcard_pki_load(dir != NULL ? dir : "test/pki", i, &pki[i]) != 0) {
			fprintf(stderr, "cannot load the test PKI\n");
			exit(99);
		}
}

const struct vcard_pki *api_pki(unsigned identity)
{
	return &pki[identity];
}

void api_setup_uninitialised(void)
{
	const char *tmp = getenv("TMPDIR");

	memset(&api, 0, sizeof(api));
	snprintf(api.dir, sizeof(api.dir), "%s/jpki-api-XXXXXX", tmp != NULL ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(api.dir));
	unsetenv("JPKI_PKCS11_CONF");
	unsetenv("JPKI_PKCS11_DEBUG");
	api.vt = vt_new();
	ck_assert_ptr_nonnull(api.vt);
	ck_assert_int_eq(api_add_reader("Virtual Reader 0"), 0);
	api_insert(0, VCARD_PROFILE_MYNUMBER, 0);
	jpki_module_use_transport(&vt_transport_ops, api.vt);
	ck_assert_uint_eq(C_GetFunctionList(&api.f), CKR_OK);
}

void api_setup(void)
{
	api_setup_uninitialised();
	api_init();
}

void api_teardown(void)
{
	char cmd[256];

	if (api.initialised)
		api_finalize();
	vt_free(api.vt);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", api.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", api.dir);
	memset(&api, 0, sizeof(api));
}

void api_config(const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/jpki-pkcs11.conf", api.dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	setenv("JPKI_PKCS11_CONF", path, 1);
}

void api_init(void)
{
	ck_assert_uint_eq(api.f->C_Initialize(NULL), CKR_OK);
	api.initialised = true;
}

void api_finalize(void)
{
	ck_assert_uint_eq(api.f->C_Finalize(NULL), CKR_OK);
	api.initialised = false;
}

int api_add_reader(const char *name)
{
	int i = vt_add_reader(api.vt, name);

	ck_assert_int_ge(i, 0);
	snprintf(api.names[i], sizeof(api.names[i]), "%s", name);
	return i;
}

void api_insert(unsigned reader, enum vcard_profile profile, unsigned identity)
{
	ck_assert_uint_lt(reader, API_READERS);
	vcard_config_defaults(&api.cfg[reader]);
	api.cfg[reader].profile = profile;
	vcard_pki_identity(&pki[identity], profile, &api.id[reader]);
	vcard_state_defaults(&api.pins[reader]);
	snprintf(api.pins[reader].auth_pin, sizeof(api.pins[reader].auth_pin), "%s", AUTH_PIN);
	snprintf(api.pins[reader].sign_pin, sizeof(api.pins[reader].sign_pin), "%s", SIGN_PIN);
	ck_assert_int_eq(
	    vt_insert(api.vt, reader, &api.cfg[reader], &api.id[reader], &api.pins[reader]), 0);
}

CK_SLOT_ID api_slot(unsigned reader, int kind)
{
	CK_SLOT_ID slots[64];
	CK_ULONG n = 64, i;
	CK_SLOT_INFO info;
	char want[80];

	snprintf(want, sizeof(want), "%s (%s)", api.names[reader], kind == AUTH ? "auth" : "sign");
	ck_assert_uint_eq(api.f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
	ck_assert_uint_eq(api.f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(api.f->C_GetSlotInfo(slots[i], &info), CKR_OK);
		if (memcmp(info.slotDescription, want, strlen(want)) == 0)
			return slots[i];
	}
	ck_abort_msg("no slot for %s", want);
	return 0;
}

CK_SESSION_HANDLE api_open(CK_SLOT_ID slot, bool rw)
{
	CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
	CK_FLAGS flags = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);

	ck_assert_uint_eq(api.f->C_OpenSession(slot, flags, NULL, NULL, &h), CKR_OK);
	ck_assert_uint_ne(h, CK_INVALID_HANDLE);
	return h;
}

void api_login(CK_SESSION_HANDLE h, const char *pin)
{
	ck_assert_uint_eq(api.f->C_Login(h, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)), CKR_OK);
}

CK_TOKEN_INFO api_token_info(CK_SLOT_ID slot)
{
	CK_TOKEN_INFO info;

	ck_assert_uint_eq(api.f->C_GetTokenInfo(slot, &info), CKR_OK);
	return info;
}

CK_STATE api_state(CK_SESSION_HANDLE h)
{
	CK_SESSION_INFO info;

	ck_assert_uint_eq(api.f->C_GetSessionInfo(h, &info), CKR_OK);
	return info.state;
}

CK_ULONG api_find(CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls, const uint8_t *id, size_t id_len,
		  CK_OBJECT_HANDLE *out, CK_ULONG max)
{
	CK_ATTRIBUTE t[2] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_ID, (void *)id, id_len}};
	CK_ULONG n = 0;

	ck_assert_uint_eq(api.f->C_FindObjectsInit(h, t, id_len > 0 ? 2 : 1), CKR_OK);
	ck_assert_uint_eq(api.f->C_FindObjects(h, out, max, &n), CKR_OK);
	ck_assert_uint_eq(api.f->C_FindObjectsFinal(h), CKR_OK);
	return n;
}

CK_OBJECT_HANDLE api_find_one(CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls, uint8_t id)
{
	CK_OBJECT_HANDLE o[4];

	ck_assert_uint_eq(api_find(h, cls, &id, 1, o, 4), 1);
	return o[0];
}

uint8_t *api_attr(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, CK_ULONG *len)
{
	CK_ATTRIBUTE t = {type, NULL, 0};
	uint8_t *buf;

	ck_assert_uint_eq(api.f->C_GetAttributeValue(h, o, &t, 1), CKR_OK);
	buf = malloc(t.ulValueLen + 1);
	t.pValue = buf;
	ck_assert_uint_eq(api.f->C_GetAttributeValue(h, o, &t, 1), CKR_OK);
	*len = t.ulValueLen;
	return buf;
}

unsigned long api_apdus(unsigned reader)
{
	struct vt_counters c;

	vt_counters(api.vt, reader, &c);
	return c.apdus;
}

unsigned api_verifies(unsigned reader)
{
	static uint8_t cmd[VCARD_RESP_MAX], resp[VCARD_RESP_MAX];
	size_t i, n = vt_traffic_count(api.vt, reader), cl, rl;
	unsigned count = 0;

	for (i = 0; i < n; i++)
		if (vt_traffic_get(api.vt, reader, i, cmd, &cl, resp, &rl) && cl > 5 &&
		    cmd[1] == 0x20)
			count++;
	return count;
}
