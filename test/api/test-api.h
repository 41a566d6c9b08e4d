/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared bench of the API tests: the module's function list, driven in-process over the
 * virtual card model (test/api/transport_vcard.h). Each Check test runs in its own process
 * with a fresh world: readers, cards, PIN state and configuration.
 */
#ifndef JPKI_TEST_API_H
#define JPKI_TEST_API_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "test/api/transport_vcard.h"
#include "test/vcard/pki.h"
#include "test/vcard/state.h"

/* PINs chosen so that their bytes cannot turn up by chance in certificates or signatures. */
#define AUTH_PIN "7391"
#define SIGN_PIN "QX7Z5K2W"

/* Asserts that a call returns want, naming the call and both codes (evaluates it once). */
#define RV(call, want)                                                                             \
	do {                                                                                       \
		CK_RV rv_ = (call), want_ = (want);                                                \
		ck_assert_msg(rv_ == want_, "%s: got 0x%lx, want 0x%lx", #call, rv_, want_);       \
	} while (0)

#define API_READERS 4
#define AUTH	    0 /* token kinds as the module numbers its two slots per reader */
#define SIGN	    1

struct api {
	struct vt *vt;
	CK_FUNCTION_LIST_PTR f;
	struct vcard_config cfg[API_READERS];
	struct vcard_identity id[API_READERS];
	struct vcard_pins pins[API_READERS];
	char names[VT_MAX_READERS][32];
	char dir[200]; /* scratch directory: configuration, logs */
	bool initialised;
};
extern struct api api;

/* Loads the test PKI (both identities, $JPKI_TEST_PKI) once per process: call from main. */
void api_load_pki(void);
const struct vcard_pki *api_pki(unsigned identity);

/*
 * Fixture: a world with one reader "Virtual Reader 0" holding a My Number card (identity 0,
 * PINs AUTH_PIN / SIGN_PIN, full counters), the module's transport set to it, no
 * configuration file, and C_Initialize(NULL) done.
 */
void api_setup(void);
/* The same world without C_Initialize. */
void api_setup_uninitialised(void);
void api_teardown(void);

/* Writes the configuration file (JPKI_PKCS11_CONF) used by the next C_Initialize. */
void api_config(const char *text);
void api_init(void);
void api_finalize(void);

/* Adds a reader (returns its index, its name remembered for api_slot). */
int api_add_reader(const char *name);
/* Inserts a card of profile with identity (0/1); pins reset to AUTH_PIN / SIGN_PIN. */
void api_insert(unsigned reader, enum vcard_profile profile, unsigned identity);

/* The slot of reader/kind (found through C_GetSlotList(NULL) + C_GetSlotInfo). */
CK_SLOT_ID api_slot(unsigned reader, int kind);
CK_SESSION_HANDLE api_open(CK_SLOT_ID slot, bool rw);
void api_login(CK_SESSION_HANDLE h, const char *pin);
CK_TOKEN_INFO api_token_info(CK_SLOT_ID slot);
CK_STATE api_state(CK_SESSION_HANDLE h);

/* Object search: handles matching class (and id if id_len > 0); returns the count. */
CK_ULONG api_find(CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls, const uint8_t *id, size_t id_len,
		  CK_OBJECT_HANDLE *out, CK_ULONG max);
/* The single object of that class (and id); fails the test otherwise. */
CK_OBJECT_HANDLE api_find_one(CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls, uint8_t id);
/* An attribute's value into a malloc'd buffer; *len its length. */
uint8_t *api_attr(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, CK_ULONG *len);

/* APDUs the card in reader has answered since insertion. */
unsigned long api_apdus(unsigned reader);
/* VERIFY commands carrying a PIN (not the empty retry query) since insertion. */
unsigned api_verifies(unsigned reader);

#endif
