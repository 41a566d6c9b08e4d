/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JPKI application driver: the narrow card interface the Cryptoki front end uses.
 * No APDUs, no PC/SC and no CK_ types cross this line: the front end asks for "the
 * authentication certificate", "the retry counter of the signature password", "sign these
 * bytes with the signature key under scheme S"; the driver knows AIDs, files, status words.
 */
#ifndef JPKI_JPKI_H
#define JPKI_JPKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/jpki_error.h"
#include "src/transport.h"

enum jpki_pin {
	JPKI_PIN_AUTH, /* 利用者証明用暗証番号: 4 digits, 3 tries (EF 0018) */
	JPKI_PIN_SIGN, /* 署名用パスワード: 6-16 of A-Z 0-9, 5 tries (EF 001B) */
};

enum jpki_key {
	JPKI_KEY_AUTH, /* EF 0017, needs JPKI_PIN_AUTH */
	JPKI_KEY_SIGN, /* EF 001A, needs JPKI_PIN_SIGN */
};

enum jpki_cert {
	JPKI_CERT_AUTH,	   /* EF 000A, public */
	JPKI_CERT_AUTH_CA, /* EF 000B, public */
	JPKI_CERT_SIGN,	   /* EF 0001, needs JPKI_PIN_SIGN */
	JPKI_CERT_SIGN_CA, /* EF 0002, public */
};

/* COMPUTE DIGITAL SIGNATURE schemes (P1), jpki-card.md §5.2. */
enum jpki_scheme {
	JPKI_SCHEME_PKCS1 = 0x00,      /* PKCS#1 v1.5 over the given bytes (a DigestInfo) */
	JPKI_SCHEME_PSS_SHA256 = 0x04, /* RSASSA-PSS over a 32-byte SHA-256 hash */
};

enum jpki_token_kind {
	JPKI_KIND_MYNUMBER, /* JPKIAPICCTOKEN2 */
	JPKI_KIND_JUKI,	    /* JPKIAPICCTOKEN: old resident card, signature function only */
	JPKI_KIND_PHONE,   /* JPKIAPGPSETOKEN / JPKIAPIOSTOKEN (not in a PC/SC reader, but named) */
	JPKI_KIND_UNKNOWN, /* JPKI AID answered, label not recognised */
};

/* What the card says about itself (EF 0006 and EF 0008), read once per connection. */
struct jpki_card_info {
	enum jpki_token_kind kind;
	char label[33];	       /* trailing spaces/NULs trimmed */
	char manufacturer[33]; /* trimmed */
	char model[17];	       /* trimmed */
	char serial[17];       /* trimmed */
	bool has_auth;	       /* authentication key and certificate present */
	bool has_sign;	       /* signature certificate issued (EF 0008 byte 0 = 8F) */
	/*
	 * The first READ BINARY chunk of the authentication certificate EF 000A (cut to the
	 * certificate's DER length): its serial number and issuer, i.e. which card this is.
	 * auth_head_len 0 when the card has no readable EF 000A.
	 */
	uint8_t auth_head[256];
	size_t auth_head_len;
};

/* How to open a card. */
struct jpki_card_options {
	/*
	 * Directory of the on-disk cache of public card data (src/jpki_cache.h), NULL for none.
	 * An entry is used only when the card's auth_head equals the one stored.
	 */
	const char *cache_dir;
};

/* PIN status from the non-consuming retry query. */
struct jpki_pin_status {
	int tries_left; /* -1 when the card did not report (9000 on a verified PIN) */
	bool locked;
	bool verified; /* the card answered 9000: already verified in this security state */
};

#define JPKI_PIN_MAX_LEN     16
#define JPKI_SIGNATURE_LEN   256
#define JPKI_PKCS1_MAX_INPUT 245

struct jpki_card;

/*
 * Connects to the card in `reader` and identifies it: SELECT of the JPKI AID (never by ATR),
 * the first chunk of EF 000A, EF 0006 (unless a disk cache entry for that chunk holds it)
 * and EF 0008. JPKI_ERR_NOT_JPKI for any other card. No PIN is touched.
 */
enum jpki_rc jpki_card_open(const struct jpki_transport_ops *ops, struct jpki_transport *t,
			    const char *reader, struct jpki_card **out);
/* The same with options (NULL: the defaults, no disk cache). */
enum jpki_rc jpki_card_open_with(const struct jpki_transport_ops *ops, struct jpki_transport *t,
				 const char *reader, const struct jpki_card_options *opt,
				 struct jpki_card **out);
void jpki_card_close(struct jpki_card *card);
const struct jpki_card_info *jpki_card_info(const struct jpki_card *card);

/* The DER certificate (length from the DER header; filler after it is ignored). Caller frees. */
enum jpki_rc jpki_card_read_cert(struct jpki_card *card, enum jpki_cert which, uint8_t **der,
				 size_t *der_len);

/* The retry counter, read without consuming a try (empty VERIFY, case 1). */
enum jpki_rc jpki_card_pin_status(struct jpki_card *card, enum jpki_pin pin,
				  struct jpki_pin_status *st);

/*
 * VERIFY. The value must already be in the card's format (checked and upper-cased by the
 * caller, see pin_policy). Never retried after a transport error. On JPKI_ERR_PIN_INCORRECT
 * st->tries_left holds what the card reported.
 */
enum jpki_rc jpki_card_verify(struct jpki_card *card, enum jpki_pin pin, const char *value,
			      size_t len, struct jpki_pin_status *st);

/* VERIFY old, then CHANGE REFERENCE DATA new, in one transaction. */
enum jpki_rc jpki_card_change_pin(struct jpki_card *card, enum jpki_pin pin, const char *old_value,
				  size_t old_len, const char *new_value, size_t new_len,
				  struct jpki_pin_status *st);

/* COMPUTE DIGITAL SIGNATURE; sig receives JPKI_SIGNATURE_LEN bytes. */
enum jpki_rc jpki_card_sign(struct jpki_card *card, enum jpki_key key, enum jpki_scheme scheme,
			    const uint8_t *in, size_t in_len, uint8_t *sig);

/* What jpki_card_probe_pss learnt about the RSASSA-PSS scheme (jpki-card.md §5.2). */
enum jpki_pss_probe {
	JPKI_PSS_PRESENT, /* the card checks the scheme first and accepted 04 */
	JPKI_PSS_ABSENT,  /* the card checks the scheme first and refused 04 */
	JPKI_PSS_UNKNOWN, /* the card checks the security status first: it cannot tell */
};

/*
 * Asks whether the card has the PSS scheme without a PIN try and without a signature: in one
 * transaction the application is selected again (so nothing is verified; that also ends a
 * login, so call this right after jpki_card_open, before any), then COMPUTE DIGITAL SIGNATURE
 * goes to `key` with an undefined scheme and with scheme 04. Only a card that answers the
 * undefined scheme with 6A86 (wrong P1) checks the scheme before the security status; its
 * answer to 04 (6982 security status or 6A86) tells. Any other answer is JPKI_PSS_UNKNOWN.
 */
enum jpki_rc jpki_card_probe_pss(struct jpki_card *card, enum jpki_key key,
				 enum jpki_pss_probe *out);

/* VERIFY then sign inside one transaction (context-specific login of an always-auth key). */
enum jpki_rc jpki_card_verify_and_sign(struct jpki_card *card, enum jpki_pin pin, const char *value,
				       size_t len, struct jpki_pin_status *st, enum jpki_key key,
				       enum jpki_scheme scheme, const uint8_t *in, size_t in_len,
				       uint8_t *sig);

/* Re-selects the application: clears both PINs' security state on the card. */
enum jpki_rc jpki_card_logout(struct jpki_card *card);

/*
 * Cheap liveness check without an APDU where the transport can tell (reset/removed), used
 * when a card event is suspected: JPKI_OK, JPKI_ERR_CARD_RESET or JPKI_ERR_CARD_REMOVED.
 */
enum jpki_rc jpki_card_check(struct jpki_card *card);

/* APDUs and bytes exchanged on this connection (for diagnostics and benchmarks). */
void jpki_card_counters(const struct jpki_card *card, unsigned long *apdus, unsigned long *bytes);

/*
 * Groups several of the calls above into one PC/SC transaction, e.g. pin_status then verify
 * for a login: nothing interleaves, and the PIN EF is selected once (3 APDUs instead of 4).
 * Nestable; every successful begin needs one end.
 */
enum jpki_rc jpki_card_begin(struct jpki_card *card);
void jpki_card_end(struct jpki_card *card);

/*
 * Allows (the default, settings "extended_apdu = auto") or forbids ("off") one extended
 * READ BINARY per certificate when the reader reports max_response > 256. A card that
 * refuses the extended form is read with short APDUs from then on.
 */
void jpki_card_set_extended_apdu(struct jpki_card *card, bool allow);

/*
 * Threading: a struct jpki_card is not locked internally; the caller serialises the calls on
 * one card (different cards may be used from different threads).
 */

#endif
