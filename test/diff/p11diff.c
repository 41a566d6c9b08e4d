/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * p11diff: runs a fixed list of API-level checks against a PKCS#11 module and prints one line
 * per check, "NAME RESULT", where RESULT is the observed return code(s) and facts (see
 * checks.h). Run against two modules, the outputs compare line by line.
 *
 *   p11diff --token-label L | --slot ID  --pin PIN [--wrong-pin PIN] [--so-pin PIN]
 *           [--key-id HEX] [--allow-destroy] [--only NAME] MODULE
 *
 * The key pair under test is the private key with CKA_ID HEX (default: the first private key
 * found after login), with its certificate of the same CKA_ID.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/diff/checks.h"

static const struct check *const tables[] = {
    checks_init,   checks_args, checks_slot, checks_session, checks_login,
    checks_object, checks_sign, checks_misc, checks_destroy,
};

static void usage(void)
{
	fputs("usage: p11diff (--token-label L | --slot ID) --pin PIN [--wrong-pin PIN]\n"
	      "               [--so-pin PIN] [--key-id HEX] [--allow-destroy] [--only NAME]\n"
	      "               MODULE\n",
	      stderr);
}

static CK_RV resolve_slot(struct diff_ctx *c)
{
	if (!c->token_label)
		return CKR_OK;
	return p11_slot_by_label(c->f, c->token_label, &c->slot);
}

/* A slot ID the module does not list. */
static CK_RV pick_bad_slot(struct diff_ctx *c)
{
	CK_SLOT_ID ids[256];
	CK_ULONG n = 256;
	CK_RV rv = c->f->C_GetSlotList(CK_FALSE, ids, &n);
	bool taken = true;

	c->bad_slot = DIFF_BOGUS_HANDLE;
	while (rv == CKR_OK && taken) {
		taken = false;
		for (CK_ULONG i = 0; i < n; i++)
			taken = taken || ids[i] == c->bad_slot;
		if (taken)
			c->bad_slot++;
	}
	return rv;
}

/* Finds the key pair under test and reads its certificate. */
static CK_RV find_key_pair(struct diff_ctx *c, CK_SESSION_HANDLE s)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_ID, c->key_id, c->key_id_len}};
	CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
	CK_ULONG n = 0;
	CK_RV rv = c->f->C_FindObjectsInit(s, tmpl, c->key_id_len ? 2 : 1);

	if (rv == CKR_OK)
		rv = c->f->C_FindObjects(s, &key, 1, &n);
	c->f->C_FindObjectsFinal(s);
	if (rv != CKR_OK || n != 1)
		return rv != CKR_OK ? rv : CKR_KEY_HANDLE_INVALID;

	CK_BBOOL always = CK_FALSE;
	CK_ATTRIBUTE a[] = {
	    {CKA_ID, c->key_id, sizeof(c->key_id)},
	    {CKA_ALWAYS_AUTHENTICATE, &always, sizeof(always)},
	};
	rv = c->f->C_GetAttributeValue(s, key, a, 2);
	if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID)
		return rv;
	if (a[0].ulValueLen == CK_UNAVAILABLE_INFORMATION)
		return CKR_ATTRIBUTE_TYPE_INVALID;
	c->key_id_len = a[0].ulValueLen;
	c->always_auth = a[1].ulValueLen == sizeof(always) && always;

	CK_OBJECT_HANDLE cert = ctx_find(c, s, CKO_CERTIFICATE);
	CK_ATTRIBUTE v = {CKA_VALUE, NULL, 0};
	if (cert == CK_INVALID_HANDLE)
		return CKR_OBJECT_HANDLE_INVALID;
	rv = c->f->C_GetAttributeValue(s, cert, &v, 1);
	if (rv != CKR_OK)
		return rv;
	c->cert = malloc(v.ulValueLen);
	if (!c->cert)
		return CKR_HOST_MEMORY;
	v.pValue = c->cert;
	rv = c->f->C_GetAttributeValue(s, cert, &v, 1);
	c->cert_len = v.ulValueLen;
	return rv;
}

static int setup(struct diff_ctx *c)
{
	CK_SESSION_HANDLE s;
	const char *step = "C_Initialize";
	CK_RV rv = ctx_initialize(c, NULL);

	if (rv == CKR_OK) {
		step = "finding the token";
		rv = resolve_slot(c);
	}
	if (rv == CKR_OK) {
		step = "C_GetSlotList";
		rv = pick_bad_slot(c);
	}
	if (rv == CKR_OK) {
		step = "C_OpenSession";
		rv = ctx_open(c, false, &s);
	}
	if (rv == CKR_OK) {
		step = "C_Login";
		rv = ctx_login(c, s);
	}
	if (rv == CKR_OK) {
		step = "finding the key pair and its certificate";
		rv = find_key_pair(c, s);
	}
	ctx_finalize(c);
	if (rv != CKR_OK) {
		fprintf(stderr, "p11diff: setup failed at %s: %s\n", step, p11_rv_name(rv));
		return -1;
	}
	return 0;
}

static void run_check(struct diff_ctx *c, const struct check *k)
{
	struct result r = {.len = 0};
	CK_RV rv = CKR_OK;

	if (k->pre == PRE_FINALIZED && c->initialised)
		ctx_finalize(c);
	if (k->pre == PRE_INIT && !c->initialised) {
		rv = ctx_initialize(c, NULL);
		if (rv == CKR_OK)
			rv = resolve_slot(c);
	}
	if (rv == CKR_OK)
		k->fn(c, &r);
	else
		res_na(&r, "setup-failed");
	printf("%s %s\n", k->name, r.text);
	fflush(stdout);
	if (c->initialised)
		ctx_finalize(c);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"token-label", required_argument, NULL, 't'},
	    {"slot", required_argument, NULL, 's'},
	    {"pin", required_argument, NULL, 'p'},
	    {"wrong-pin", required_argument, NULL, 'w'},
	    {"so-pin", required_argument, NULL, 'S'},
	    {"key-id", required_argument, NULL, 'i'},
	    {"allow-destroy", no_argument, NULL, 'D'},
	    {"only", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	struct diff_ctx c = {.slot = (CK_SLOT_ID)-1};
	struct p11_module mod;
	const char *only = NULL;
	bool have_slot = false;
	long len;
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			c.token_label = optarg;
			have_slot = true;
			break;
		case 's':
			c.slot = strtoul(optarg, NULL, 0);
			have_slot = true;
			break;
		case 'p':
			c.pin = optarg;
			break;
		case 'w':
			c.wrong_pin = optarg;
			break;
		case 'S':
			c.so_pin = optarg;
			break;
		case 'i':
			len = p11_hex_decode(optarg, c.key_id, sizeof(c.key_id));
			if (len <= 0) {
				fprintf(stderr, "p11diff: bad --key-id\n");
				return 1;
			}
			c.key_id_len = (CK_ULONG)len;
			break;
		case 'D':
			c.allow_destroy = true;
			break;
		case 'o':
			only = optarg;
			break;
		default:
			usage();
			return 1;
		}
	}
	if (optind != argc - 1 || !have_slot || !c.pin) {
		usage();
		return 1;
	}
	if (p11_module_load(argv[optind], &mod) != 0)
		return 2;
	c.f = mod.f;
	c.get_function_list = mod.get_function_list;
	if (setup(&c) != 0)
		return 2;

	unsigned run = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct check *k = tables[t]; k->name; k++)
			if (!only || !strcmp(only, k->name)) {
				run_check(&c, k);
				run++;
			}
	free(c.cert);
	p11_module_unload(&mod);
	if (run == 0) {
		fprintf(stderr, "p11diff: no check named %s\n", only);
		return 1;
	}
	return 0;
}
