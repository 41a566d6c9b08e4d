/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The card side of vsmartcard's vpcd protocol. The card is a TCP client of the vpcd reader
 * driver; every message either way is a 2-byte big-endian length and that many bytes. A 1-byte
 * message from vpcd is a control code, a longer one a command APDU (answered with response data
 * and SW). Closing the connection is a card removal, connecting again an insertion.
 */
#ifndef JPKI_VCARD_VPCD_H
#define JPKI_VCARD_VPCD_H

#include <stddef.h>
#include <stdint.h>

#define VPCD_DEFAULT_PORT 35963
#define VPCD_MSG_MAX	  0xFFFF

enum vpcd_ctrl {
	VPCD_CTRL_OFF = 0,
	VPCD_CTRL_ON = 1,
	VPCD_CTRL_RESET = 2,
	VPCD_CTRL_ATR = 4,
};

/*
 * One connection attempt to vpcd at host:port (numeric IPv4/IPv6 or a name). Returns the
 * connected socket with TCP_NODELAY set, or -1 (errno set; ECONNREFUSED while vpcd does not
 * listen yet).
 */
int vpcd_connect(const char *host, unsigned port);

/*
 * Reads one message into buf (VPCD_MSG_MAX bytes). Returns its length (0 is a valid empty
 * message), -1 when vpcd closed the connection or on an error.
 */
long vpcd_recv(int fd, uint8_t *buf);

/* Sends one message of len <= VPCD_MSG_MAX bytes. Returns 0 or -1. */
int vpcd_send(int fd, const uint8_t *buf, size_t len);

#endif
