/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The optional on-disk cache of what a card gives out without any PIN: EF 0006 (token
 * information) and the three PUBLIC certificates (auth, auth CA, sign CA). Never the signature
 * certificate (it carries name, address and birth date) and nothing PIN-related. Not EF 0008
 * either: a signature certificate can be issued to (or revoked from) a card whose
 * authentication certificate stays the same, so which certificates a card has is read anew.
 *
 * An entry is named after the SHA-256 of the first READ BINARY chunk of the authentication
 * certificate EF (its serial number, issuer and validity are in it) and holds that chunk
 * itself: it is used only when the chunk just read from the card equals it byte for byte, so
 * another card (or the same card with a renewed certificate) never gets an entry that is not
 * its own. Files are written atomically (temporary file + rename) with mode 0600 in a
 * directory of mode 0700 owned by the user; anything unexpected (a torn or foreign file, a
 * directory others can write) is a miss, never an error.
 */
#ifndef JPKI_CACHE_H
#define JPKI_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/jpki.h"

#define JPKI_CACHE_HEAD_MAX	  256
#define JPKI_CACHE_TOKEN_INFO_MAX 96

/* The public certificates an entry may hold, by enum jpki_cert. */
#define JPKI_CACHE_CERTS 4

struct jpki_cache_entry {
	uint8_t head[JPKI_CACHE_HEAD_MAX]; /* first chunk of EF 000A: the key */
	size_t head_len;
	uint8_t token_info[JPKI_CACHE_TOKEN_INFO_MAX]; /* EF 0006 as read */
	size_t token_info_len;
	uint8_t *cert[JPKI_CACHE_CERTS]; /* DER; always NULL for JPKI_CERT_SIGN */
	size_t cert_len[JPKI_CACHE_CERTS];
};

/* True for the certificates the cache may ever hold (public ones). */
bool jpki_cache_cert_allowed(enum jpki_cert which);

/*
 * Loads the entry for e->head (head_len bytes, set by the caller) from dir into e. JPKI_OK on
 * a valid entry with the same head; JPKI_ERR_NOT_FOUND on a miss or anything unusable.
 */
enum jpki_rc jpki_cache_load(const char *dir, struct jpki_cache_entry *e);

/* Writes e (head_len > 0) to dir, creating dir (0700) when missing. */
enum jpki_rc jpki_cache_store(const char *dir, const struct jpki_cache_entry *e);

/* Frees the certificates of e and clears it. */
void jpki_cache_entry_clear(struct jpki_cache_entry *e);

/* The file name of an entry (hex SHA-256 of head + ".cert"), for tests. */
enum jpki_rc jpki_cache_file_name(const uint8_t *head, size_t head_len, char *out, size_t size);

#endif
