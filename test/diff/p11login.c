/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * p11login: logs in to one token with each given PIN in turn, inside ONE process and session
 * (what pkcs11-tool cannot do), and prints the return code and the token's PIN flags after
 * each attempt. A successful login is followed by a logout.
 *
 *   p11login --token-label L MODULE PIN...
 *
 *   before pin-flags=-
 *   1 CKR_PIN_INCORRECT pin-flags=count-low
 *   2 CKR_PIN_INCORRECT pin-flags=count-low
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "test/diff/p11util.h"

static void print_flags(CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot)
{
	static const struct {
		CK_FLAGS flag;
		const char *name;
	} names[] = {
	    {CKF_USER_PIN_COUNT_LOW, "count-low"},
	    {CKF_USER_PIN_FINAL_TRY, "final-try"},
	    {CKF_USER_PIN_LOCKED, "locked"},
	};
	CK_TOKEN_INFO ti;
	CK_RV rv = f->C_GetTokenInfo(slot, &ti);
	const char *sep = "";

	if (rv != CKR_OK) {
		printf(" token-info=%s\n", p11_rv_name(rv));
		return;
	}
	printf(" pin-flags=");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ti.flags & names[i].flag) {
			printf("%s%s", sep, names[i].name);
			sep = ",";
		}
	printf("%s\n", *sep ? "" : "-");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"token-label", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	const char *label = NULL;
	struct p11_module mod;
	CK_SESSION_HANDLE s;
	CK_SLOT_ID slot;
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 't') {
			fputs("usage: p11login --token-label L MODULE PIN...\n", stderr);
			return 1;
		}
		label = optarg;
	}
	if (!label || argc - optind < 2) {
		fputs("usage: p11login --token-label L MODULE PIN...\n", stderr);
		return 1;
	}
	if (p11_module_load(argv[optind], &mod) != 0)
		return 2;
	CK_RV rv = mod.f->C_Initialize(NULL);
	if (rv == CKR_OK)
		rv = p11_slot_by_label(mod.f, label, &slot);
	if (rv == CKR_OK)
		rv = mod.f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
	if (rv != CKR_OK) {
		fprintf(stderr, "p11login: %s\n", p11_rv_name(rv));
		return 2;
	}
	printf("before");
	print_flags(mod.f, slot);
	for (int i = optind + 1; i < argc; i++) {
		rv = mod.f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)argv[i], strlen(argv[i]));
		printf("%d %s", i - optind, p11_rv_name(rv));
		print_flags(mod.f, slot);
		if (rv == CKR_OK)
			mod.f->C_Logout(s);
	}
	mod.f->C_Finalize(NULL);
	p11_module_unload(&mod);
	return 0;
}
