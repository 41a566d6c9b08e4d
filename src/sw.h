/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the JPKI application's status words mean, per command, in one place
 * (jpki-card.md §4.3, §4.4, §8). Each function takes SW1 SW2 as one number.
 */
#ifndef JPKI_SW_H
#define JPKI_SW_H

#include <stdbool.h>
#include <stdint.h>

#include "src/jpki.h"

#define JPKI_SW_OK	     0x9000
#define JPKI_SW_EOF	     0x6282 /* end of file reached before Le bytes */
#define JPKI_SW_WRONG_LENGTH 0x6700
#define JPKI_SW_AUTH_BLOCKED 0x6983
#define JPKI_SW_KEY_BLOCKED  0x6984
#define JPKI_SW_SECURITY     0x6982
#define JPKI_SW_NOT_FOUND    0x6A82
#define JPKI_SW_BAD_P1P2     0x6A86
#define JPKI_SW_WRONG_OFFSET 0x6B00
#define JPKI_SW_NO_DIAGNOSIS 0x6F00 /* also the first answer after power-up on some cards */

/* SELECT of the JPKI AID: anything but 9000 means this is not (or no longer) a JPKI card. */
enum jpki_rc jpki_sw_select_aid(uint16_t sw);

/* SELECT of an EF: 9000, 6A82 = NOT_FOUND, anything else BAD_RESPONSE. */
enum jpki_rc jpki_sw_select_ef(uint16_t sw);

/*
 * READ BINARY: JPKI_OK for 9000 and 6282 (data may be shorter than asked), SECURITY for 6982,
 * NOT_FOUND for 6B00 (offset past the end), BAD_RESPONSE otherwise.
 */
enum jpki_rc jpki_sw_read(uint16_t sw);

/* True when an extended READ BINARY answer says "not this form", so a short one may work. */
bool jpki_sw_extended_refused(uint16_t sw);

/*
 * The empty-VERIFY retry query: 63Cx (x > 0) tries left; 63C0, 6984, 6983 locked; 9000
 * already verified (tries_left -1). Anything else BAD_RESPONSE.
 */
enum jpki_rc jpki_sw_pin_status(uint16_t sw, struct jpki_pin_status *st);

/*
 * VERIFY with data: 9000 OK (tries_left = max_tries); 63Cx x > 0 PIN_INCORRECT; 63C0, 6984,
 * 6983 PIN_LOCKED. Anything else BAD_RESPONSE. st is always filled.
 */
enum jpki_rc jpki_sw_verify(uint16_t sw, int max_tries, struct jpki_pin_status *st);

/* CHANGE REFERENCE DATA: 9000 OK, 6982 SECURITY, 6984/6983 PIN_LOCKED, else BAD_RESPONSE. */
enum jpki_rc jpki_sw_change(uint16_t sw);

/* COMPUTE DIGITAL SIGNATURE: 9000 OK, 6982 SECURITY, 6A86 NOT_SUPPORTED, else BAD_RESPONSE. */
enum jpki_rc jpki_sw_sign(uint16_t sw);

#endif
