/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of the card model shared by its parts: the parsed command, the file system of the
 * JPKI application, the volatile card state, and one handler per command.
 */
#ifndef JPKI_VCARD_CARD_INTERNAL_H
#define JPKI_VCARD_CARD_INTERNAL_H

#include "test/vcard/card.h"

/* Status words the model produces (jpki-card.md §8). */
#define SW_OK			    0x9000
#define SW_END_OF_FILE		    0x6282
#define SW_TRIES_LEFT(n)	    (0x63C0 | ((n)&0x0F))
#define SW_WRONG_LENGTH		    0x6700
#define SW_CHANNEL_NOT_SUPPORTED    0x6881
#define SW_SM_NOT_SUPPORTED	    0x6882
#define SW_INCOMPATIBLE_FILE	    0x6981
#define SW_SECURITY_NOT_SATISFIED   0x6982
#define SW_PIN_BLOCKED		    0x6984
#define SW_AUTH_METHOD_BLOCKED	    0x6983
#define SW_CONDITIONS_NOT_SATISFIED 0x6985
#define SW_NO_CURRENT_EF	    0x6986
#define SW_SM_CLASS_REFUSED	    0x69FC
#define SW_WRONG_DATA		    0x6A80
#define SW_NOT_FOUND		    0x6A82
#define SW_WRONG_P1P2		    0x6A86
#define SW_OFFSET_OUTSIDE	    0x6B00
#define SW_INS_NOT_SUPPORTED	    0x6D00
#define SW_CLA_NOT_SUPPORTED	    0x6E00
#define SW_NO_DIAGNOSIS		    0x6F00

#define VCARD_TOKEN_INFO_LEN 160
#define VCARD_CERT_MAP_LEN   3
#define VCARD_MAX_EFS	     16

/* One command APDU, split per ISO/IEC 7816-4 (cases 1, 2, 3, 4; short or extended). */
struct vcard_apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data; /* points into the command buffer; NULL when lc == 0 */
	size_t lc;
	size_t le;     /* 1..65536 when has_le */
	bool has_le;   /* case 2 or 4 */
	bool extended; /* the length fields used the extended form */
};

/* Returns 0 and fills apdu, or the status word for a malformed command. */
uint16_t vcard_apdu_parse(const uint8_t *cmd, size_t len, bool allow_extended,
			  struct vcard_apdu *apdu);

/* Which cardholder credential a PIN EF holds, a key EF needs, or a data EF needs to be read. */
enum vcard_cred {
	VCARD_CRED_NONE,
	VCARD_CRED_AUTH, /* EF 0018 */
	VCARD_CRED_SIGN, /* EF 001B */
};

enum vcard_ef_kind {
	VCARD_EF_DATA,	   /* transparent, READ BINARY */
	VCARD_EF_INTERNAL, /* present, never readable (0009, 0016) */
	VCARD_EF_PIN,	   /* key reference for VERIFY / CHANGE REFERENCE DATA */
	VCARD_EF_KEY,	   /* private key for COMPUTE DIGITAL SIGNATURE */
};

struct vcard_ef {
	uint16_t fid; /* the SFI is the low byte: every JPKI FID is 00xx with xx <= 1E */
	enum vcard_ef_kind kind;
	enum vcard_cred cred;
	const uint8_t *data; /* VCARD_EF_DATA: the whole EF, filler included */
	size_t len;
	EVP_PKEY *key; /* VCARD_EF_KEY */
};

struct vcard {
	struct vcard_config cfg;
	const struct vcard_identity *id;
	struct vcard_pins *pins;

	/* The JPKI application's files, built once for the profile. */
	struct vcard_ef efs[VCARD_MAX_EFS];
	size_t n_efs;
	uint8_t token_info[VCARD_TOKEN_INFO_LEN];
	uint8_t cert_map[VCARD_CERT_MAP_LEN];
	uint8_t *cert_efs[4]; /* owned copies of the certificate EFs */

	/* Volatile state (RAM of the card). */
	bool powered;
	bool first_command_pending; /* the 6F00 quirk is still to answer */
	bool jpki_selected;	    /* current DF: the JPKI AP (else MF level) */
	const struct vcard_ef *current_ef;
	bool auth_verified, sign_verified;

	bool pins_dirty;
	unsigned rsa_ops;
};

/* Writes SW1 SW2 after n data bytes already in resp; returns the response length. */
size_t vcard_sw(uint8_t *resp, size_t n, uint16_t sw);

/* Clears every verified state and the current EF (AID selection, power loss). */
void vcard_clear_security(struct vcard *card);

bool *vcard_verified_flag(struct vcard *card, enum vcard_cred cred);

/* card_fs.c: the files of the JPKI application. */
int vcard_fs_init(struct vcard *card);
void vcard_fs_free(struct vcard *card);
const struct vcard_ef *vcard_fs_find(const struct vcard *card, uint16_t fid);

/* card_pin.c: whether a new PIN value has the format of its credential (§4.1). */
bool vcard_pin_format_ok(enum vcard_cred cred, const uint8_t *pin, size_t len);

/* Command handlers: each returns the response length (data + SW). */
size_t vcard_cmd_select(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp);
size_t vcard_cmd_read_binary(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp);
size_t vcard_cmd_verify(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp);
size_t vcard_cmd_change_reference_data(struct vcard *card, const struct vcard_apdu *apdu,
				       uint8_t *resp);
size_t vcard_cmd_sign(struct vcard *card, const struct vcard_apdu *apdu, uint8_t *resp);

#endif
