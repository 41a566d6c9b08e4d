/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Module configuration: a small "key = value" file, read once per C_Initialize.
 * Location: $JPKI_PKCS11_CONF if set, else $(sysconfdir)/jpki-pkcs11.conf; a missing file
 * means the defaults. Behaviours the card reference marks unconfirmed are switched here.
 * Lines whose first non-blank character is "#" are comments; values are trimmed.
 */
#ifndef JPKI_SETTINGS_H
#define JPKI_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "src/jpki_error.h"

#define JPKI_SETTINGS_ENV	  "JPKI_PKCS11_CONF"
#define JPKI_SETTINGS_MAX_FILTERS 8
#define JPKI_SETTINGS_FILTER_LEN  128
#define JPKI_SETTINGS_PATH_LEN	  1024

enum jpki_final_try {
	JPKI_FINAL_TRY_ALLOW,  /* default: the user may spend the last try */
	JPKI_FINAL_TRY_REFUSE, /* unattended use: never spend the last try */
};

/* Whether to offer RSASSA-PSS (scheme 04, single-source card feature: jpki-card.md §5.2). */
enum jpki_rsa_pss {
	JPKI_RSA_PSS_OFF,  /* default */
	JPKI_RSA_PSS_ON,   /* always */
	JPKI_RSA_PSS_AUTO, /* when jpki_card_probe_pss finds the scheme on the card */
};

struct jpki_settings {
	enum jpki_rsa_pss rsa_pss;     /* rsa_pss = on|off|auto */
	enum jpki_final_try final_try; /* final_try = allow|refuse */
	bool sign_always_authenticate; /* sign_always_authenticate = on|off (default on, as OpenSC)
					*/
	bool extended_apdu; /* extended_apdu = auto|off (default auto: if the reader can) */
	/*
	 * public_certificates_token = on|off (default on): a PKCS#11 3.0 profile object
	 * CKP_PUBLIC_CERTIFICATES_TOKEN on each token, so that NSS asks for no PIN just to look
	 * for certificates
	 */
	bool public_certificates_token;
	/*
	 * cert_cache = on|off (default on): keep the card's PUBLIC data (token information and
	 * the public certificates, never the signature certificate) on disk between processes.
	 * cert_cache_dir = absolute path (default $XDG_CACHE_HOME/jpki-pkcs11, else
	 * $HOME/.cache/jpki-pkcs11).
	 */
	bool cert_cache;
	char cert_cache_dir[JPKI_SETTINGS_PATH_LEN];
	/*
	 * reader_include / reader_exclude = substring (repeatable, case-insensitive): which
	 * PC/SC readers to use
	 */
	char reader_include[JPKI_SETTINGS_MAX_FILTERS][JPKI_SETTINGS_FILTER_LEN];
	size_t n_include;
	char reader_exclude[JPKI_SETTINGS_MAX_FILTERS][JPKI_SETTINGS_FILTER_LEN];
	size_t n_exclude;
};

void jpki_settings_defaults(struct jpki_settings *s);

/*
 * Loads path (NULL: the environment variable, then the default location). Unknown keys and bad
 * values are JPKI_ERR_CONFIG with the line logged; a missing file is JPKI_OK with defaults.
 */
enum jpki_rc jpki_settings_load(const char *path, struct jpki_settings *s);

/* Parses a whole configuration text (used by jpki_settings_load and by tests/fuzzers). */
enum jpki_rc jpki_settings_parse(const char *text, size_t len, struct jpki_settings *s);

/*
 * The cache directory to use, from the settings and the environment, into out; false when
 * the cache is off or no directory can be named (no HOME).
 */
bool jpki_settings_cache_dir(const struct jpki_settings *s, char *out, size_t size);

/* True when a reader of this name passes the include/exclude filters. */
bool jpki_settings_reader_allowed(const struct jpki_settings *s, const char *reader);

#endif
