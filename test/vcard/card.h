/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * jpki-vcard card model: a software JPKI card that takes one command APDU and returns one
 * response APDU. Written from the card reference (jpki-card.md) alone; it shares no code with
 * src/, so that a misreading of the card in one cannot hide in the other.
 */
#ifndef JPKI_VCARD_CARD_H
#define JPKI_VCARD_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* Largest response: extended Le (65536 data bytes) + SW1 SW2. */
#define VCARD_RESP_MAX (65536 + 2)
#define VCARD_ATR_MAX  33
#define VCARD_PIN_MAX  16

enum vcard_profile {
	VCARD_PROFILE_MYNUMBER, /* My Number card: token JPKIAPICCTOKEN2, both key pairs */
	VCARD_PROFILE_JUKI,	/* old resident card: JPKIAPICCTOKEN, signature function only */
	VCARD_PROFILE_MINOR,	/* My Number card without signature certificate (under 15) */
};

enum vcard_atr_kind {
	VCARD_ATR_CONTACT,     /* 3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B */
	VCARD_ATR_CONTACTLESS, /* 3B 88 80 01 00 00 05 E0 B3 81 A1 00 7F */
	VCARD_ATR_OLD,	       /* 3B E0 00 FF 81 31 FE 45 14 */
};

/*
 * Behaviours the reference marks single-source or unconfirmed, and choices where real cards
 * differ. Each can be switched; vcard_config_defaults() gives the defaults documented in
 * doc/vcard.md.
 */
struct vcard_quirks {
	bool first_command_6f00;	/* §1.5: first command after power-up answers 6F00 */
	bool warm_reset_keeps_security; /* §4.6: a warm reset leaves the verified state */
	bool blocked_verify_6984;	/* VERIFY with data on a blocked PIN: 6984 (else 63C0) */
	bool blocked_verify_6983;    /* ... answers ISO's 6983 instead (unconfirmed on this card) */
	bool blocked_query_6984;     /* retry query on a blocked PIN: 6984 (else 63C0) */
	bool verified_query_9000;    /* retry query on a verified PIN answers 9000 (§4.3) */
	bool read_short_6282;	     /* a READ BINARY cut by end of file answers 6282, not 9000 */
	bool extended_apdu;	     /* accept extended-length APDUs (§1.3) */
	bool get_challenge;	     /* GET CHALLENGE 00 84 supported (else 6D00) */
	bool read_by_sfi;	     /* READ BINARY P1 = 80|SFI */
	bool verify_by_sfi;	     /* VERIFY / CHANGE REFERENCE DATA P2 = 80|SFI */
	bool sign_key_by_sfi;	     /* COMPUTE DIGITAL SIGNATURE P2 = 97 / 9A */
	bool sign_schemes;	     /* P1 01, 02, 03 (§5.2) */
	bool sign_pss;		     /* P1 04, 05: RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 */
	bool scheme_before_security; /* an unknown P1 answers 6A86 before 6982 is checked */
	bool minor_sign_pin;	     /* profile minor keeps the sign password EF 001B */
	uint8_t cert_filler;	     /* byte value after the DER certificate in its EF */
	size_t cert_ef_size;	     /* physical size of a certificate EF (>= DER length) */
};

struct vcard_config {
	enum vcard_profile profile;
	enum vcard_atr_kind atr;
	struct vcard_quirks quirks;
};

/* The keys and certificates of one card (from the test PKI, see pki.h). Not owned by the card. */
struct vcard_identity {
	EVP_PKEY *auth_key; /* NULL for the juki profile */
	EVP_PKEY *sign_key; /* NULL for the minor profile */
	const uint8_t *auth_cert, *auth_ca, *sign_cert, *sign_ca;
	size_t auth_cert_len, auth_ca_len, sign_cert_len, sign_ca_len;
	char token_serial[17]; /* EF 0006 serialNumber, 16 characters */
};

/* Persistent PIN state (state.h saves and loads it). Tries count down from 3 / 5. */
struct vcard_pins {
	char auth_pin[VCARD_PIN_MAX + 1];
	char sign_pin[VCARD_PIN_MAX + 1];
	int auth_tries;
	int sign_tries;
};

#define VCARD_AUTH_MAX_TRIES 3
#define VCARD_SIGN_MAX_TRIES 5

struct vcard;

void vcard_config_defaults(struct vcard_config *cfg);

/* The card keeps pointers to id and pins; both must outlive it. pins is updated in place. */
struct vcard *vcard_new(const struct vcard_config *cfg, const struct vcard_identity *id,
			struct vcard_pins *pins);
void vcard_free(struct vcard *card);

/* The ATR of the configured kind; returns its length. */
size_t vcard_atr(const struct vcard *card, uint8_t *atr, size_t cap);

void vcard_power_on(struct vcard *card);
void vcard_power_off(struct vcard *card);
void vcard_reset(struct vcard *card); /* warm reset */

/*
 * Processes one command APDU; writes the response (data + SW1 SW2) and returns its length
 * (>= 2). resp must hold VCARD_RESP_MAX bytes. A powered-off card answers 6F00.
 */
size_t vcard_process(struct vcard *card, const uint8_t *cmd, size_t cmd_len, uint8_t *resp);

/* True once after the PIN state (values or counters) changed: the caller persists it. */
bool vcard_take_pins_dirty(struct vcard *card);

/* Cost of the last vcard_process() call, for the latency model: RSA private operations done. */
unsigned vcard_last_rsa_ops(const struct vcard *card);

#endif
