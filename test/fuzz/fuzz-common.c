/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11/module.h"
#include "test/fuzz/fuzz.h"
#include "test/vcard/pki.h"
#include "test/vcard/state.h"

static struct vcard_pki pki;
static bool pki_loaded;

size_t fz_bytes(struct fz *f, uint8_t *out, size_t len)
{
	if (len > f->n)
		len = f->n;
	if (len > 0)
		memcpy(out, f->p, len);
	f->p += len;
	f->n -= len;
	return len;
}

void fuzz_setup_env(void)
{
	const char *dir = getenv("JPKI_TEST_PKI");

	/* An empty configuration; no debug log unless the caller asks for one. */
	setenv("JPKI_PKCS11_CONF", "/dev/null", 1);
	if (getenv("JPKI_FUZZ_DEBUG") == NULL)
		unsetenv("JPKI_PKCS11_DEBUG");
	if (!pki_loaded) {
		if (vcard_pki_load(dir != NULL ? dir : "test/pki", 0, &pki) != 0) {
			fprintf(stderr, "fuzz: cannot load the test PKI (set JPKI_TEST_PKI)\n");
			exit(1);
		}
		pki_loaded = true;
	}
}

void fuzz_world_new(struct fuzz_world *w, enum vcard_profile profile)
{
	memset(w, 0, sizeof(*w));
	vcard_config_defaults(&w->cfg);
	w->cfg.profile = profile;
	vcard_pki_identity(&pki, profile, &w->id);
	vcard_state_defaults(&w->pins);
	w->vt = vt_new();
	if (w->vt == NULL || vt_add_reader(w->vt, "Fuzz Reader 0") != 0 ||
	    vt_insert(w->vt, 0, &w->cfg, &w->id, &w->pins) != 0) {
		fprintf(stderr, "fuzz: cannot build the virtual card\n");
		abort();
	}
	jpki_module_use_transport(&vt_transport_ops, w->vt);
}

void fuzz_world_reinsert(struct fuzz_world *w)
{
	vt_remove(w->vt, 0);
	if (vt_insert(w->vt, 0, &w->cfg, &w->id, &w->pins) != 0)
		abort();
}

void fuzz_world_free(struct fuzz_world *w)
{
	vt_free(w->vt);
	jpki_module_use_transport(NULL, NULL);
	memset(w, 0, sizeof(*w));
}

CK_FUNCTION_LIST_PTR fuzz_module(void)
{
	CK_FUNCTION_LIST_PTR f = NULL;

	if (C_GetFunctionList(&f) != CKR_OK || f == NULL)
		abort();
	return f;
}
