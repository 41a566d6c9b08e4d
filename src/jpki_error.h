/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Error codes of the card side (src/). The front end maps them to CKR_ codes in exactly one
 * place (pkcs11/error_map.c); nothing below pkcs11/ knows PKCS#11.
 */
#ifndef JPKI_ERROR_H
#define JPKI_ERROR_H

enum jpki_rc {
	JPKI_OK = 0,
	JPKI_ERR_ARGS, /* caller passed something invalid */
	JPKI_ERR_NO_MEMORY,
	JPKI_ERR_NO_SERVICE,	/* PC/SC service (pcscd) not available */
	JPKI_ERR_NO_READER,	/* reader gone */
	JPKI_ERR_NO_CARD,	/* no card in the reader */
	JPKI_ERR_CARD_REMOVED,	/* the card was removed since we connected */
	JPKI_ERR_CARD_RESET,	/* the card was reset by someone; security state is gone */
	JPKI_ERR_NOT_JPKI,	/* card present, but SELECT of the JPKI AID failed */
	JPKI_ERR_NOT_FOUND,	/* file or key absent on this card (6A82) */
	JPKI_ERR_SECURITY,	/* security status not satisfied (6982): PIN not verified */
	JPKI_ERR_PIN_INCORRECT, /* VERIFY failed, tries remain */
	JPKI_ERR_PIN_LOCKED,	/* PIN blocked (63C0 / 6984) */
	JPKI_ERR_PIN_FORMAT,	/* PIN rejected locally: wrong characters */
	JPKI_ERR_PIN_LENGTH,	/* PIN rejected locally: wrong length */
	JPKI_ERR_DATA_LENGTH,	/* input too long for the operation */
	JPKI_ERR_NOT_SUPPORTED, /* the card (or its configuration) does not offer this */
	JPKI_ERR_BAD_RESPONSE,	/* malformed or unexpected answer from the card */
	JPKI_ERR_TRANSPORT,	/* communication failed; outcome of the command unknown */
	JPKI_ERR_BUSY,		/* card held exclusively by another process */
	JPKI_ERR_CANCELLED,	/* a wait was cancelled */
	JPKI_ERR_TIMEOUT,	/* a wait timed out */
	JPKI_ERR_CONFIG,	/* configuration file invalid */
	JPKI_ERR_INTERNAL,
};

/* A short English name for logs ("PIN_LOCKED"). */
const char *jpki_rc_name(enum jpki_rc rc);

#endif
