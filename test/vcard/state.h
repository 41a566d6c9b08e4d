/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The virtual card's persistent state: PIN values and retry counters, kept in a small text
 * file ("key=value" lines) that tests may read to observe the card's own counters.
 */
#ifndef JPKI_VCARD_STATE_H
#define JPKI_VCARD_STATE_H

#include "test/vcard/card.h"

#define VCARD_DEFAULT_AUTH_PIN "1234"
#define VCARD_DEFAULT_SIGN_PIN "PASS1234"

/* Factory state: default PINs, full counters. */
void vcard_state_defaults(struct vcard_pins *pins);

/* Loads path; a missing file gives the defaults. Returns 0, or -1 with a message on stderr. */
int vcard_state_load(const char *path, struct vcard_pins *pins);

/* Writes path atomically (temporary file, fsync, rename). Returns 0 or -1. */
int vcard_state_save(const char *path, const struct vcard_pins *pins);

#endif
