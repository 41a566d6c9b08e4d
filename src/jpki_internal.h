/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of the JPKI driver shared by its files: the card handle, the APDU exchange with
 * selection tracking, and the PC/SC transaction nesting. Not for the front end.
 */
#ifndef JPKI_INTERNAL_H
#define JPKI_INTERNAL_H

#include "src/apdu.h"
#include "src/jpki_cache.h"
#include "src/jpki.h"

/* jpki-card.md §2, §3.1 */
#define JPKI_FID_SIGN_CERT  0x0001
#define JPKI_FID_SIGN_CA    0x0002
#define JPKI_FID_TOKEN_INFO 0x0006
#define JPKI_FID_CERT_FLAGS 0x0008
#define JPKI_FID_AUTH_CERT  0x000A
#define JPKI_FID_AUTH_CA    0x000B
#define JPKI_FID_AUTH_KEY   0x0017
#define JPKI_FID_AUTH_PIN   0x0018
#define JPKI_FID_SIGN_KEY   0x001A
#define JPKI_FID_SIGN_PIN   0x001B

#define JPKI_AUTH_MAX_TRIES 3
#define JPKI_SIGN_MAX_TRIES 5

/* What the driver believes is selected on the card. */
enum {
	JPKI_SEL_UNKNOWN = -1, /* nothing known: select before use */
	JPKI_SEL_DF = 0,       /* the application, no EF */
};

struct jpki_card {
	const struct jpki_transport_ops *ops;
	struct jpki_connection *conn;
	struct jpki_card_info info;
	bool allow_extended;  /* the caller allows extended READ BINARY (settings) */
	bool extended_failed; /* the card refused an extended READ once: short from then on */
	unsigned depth;	      /* nesting of jpki_card_begin/internal transactions */
	int selected;	      /* FID of the current EF, JPKI_SEL_DF or JPKI_SEL_UNKNOWN */
	bool need_aid;	      /* the application must be selected before the next EF command */
	bool fresh;	      /* nothing answered since connect/reset: the 6F00 quirk window */
	bool auth_ef;	      /* EF 000A answered its SELECT in the probe */
	char *cache_dir;      /* on-disk cache of public data, NULL for none */
	bool cache_hit;	      /* the probe found this card's entry */
	struct jpki_cache_entry entry; /* what the disk cache holds (or will) for this card */
	unsigned long apdus, bytes;
};

/*
 * Sends a, receives into resp (cap bytes) and parses it into r. Transport errors come back
 * as they are and make the driver forget the selection; after a reset the application is
 * re-selected before the next EF command. The command buffer is wiped afterwards.
 */
enum jpki_rc jpki_xfer(struct jpki_card *c, const struct jpki_apdu *a, uint8_t *resp, size_t cap,
		       struct jpki_resp *r);

/* SELECT of the JPKI AID: the application, with nothing verified. */
enum jpki_rc jpki_select_aid(struct jpki_card *c);

/* SELECT of an EF, skipped when it is known to be selected in this transaction. */
enum jpki_rc jpki_select_ef(struct jpki_card *c, int fid);

/* Outermost begin starts a PC/SC transaction; the outermost end forgets the selection. */
enum jpki_rc jpki_txn_begin(struct jpki_card *c);
/* Ends one level; rc is the operation's result (any error forgets the selection). */
enum jpki_rc jpki_txn_end(struct jpki_card *c, enum jpki_rc rc);

/* Bookkeeping after a transport-level error (reset, removal, failure). */
void jpki_forget(struct jpki_card *c, enum jpki_rc rc);

/* VERIFY with data, with the PIN EF selected first. Used by verify, change and sign paths. */
enum jpki_rc jpki_verify_inlock(struct jpki_card *c, enum jpki_pin pin, const char *value,
				size_t len, struct jpki_pin_status *st);
enum jpki_rc jpki_sign_inlock(struct jpki_card *c, enum jpki_key key, enum jpki_scheme scheme,
			      const uint8_t *in, size_t in_len, uint8_t *sig);
enum jpki_rc jpki_sign_check_args(enum jpki_scheme scheme, const uint8_t *in, size_t in_len,
				  const uint8_t *sig);

#endif
