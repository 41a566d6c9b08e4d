/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Remote control of a running virtual card over a unix stream socket: one command line per
 * connection, one reply line back.
 *
 *   remove              close the vpcd connection (card removal); stays removed until insert
 *   insert              connect to vpcd again (card insertion)
 *   remove-after N      answer N more APDUs, then remove
 *   remove-during N     process N more APDUs, but remove instead of sending the N-th response
 *   reset-at N          power-cycle the card just before the N-th APDU from now
 *   garbage-at N        answer the N-th APDU from now with random bytes (fault.h)
 *   sw-at N [XXXX]      answer the N-th APDU from now with status word XXXX (default 6F00)
 *   status              "present|absent|waiting power=on|off apdus=N bytes=N auth_tries=N
 *                        sign_tries=N"
 *
 * Replies are "ok", the status line, or "error: ...".
 */
#ifndef JPKI_VCARD_CONTROL_H
#define JPKI_VCARD_CONTROL_H

enum control_cmd {
	CONTROL_REMOVE,
	CONTROL_INSERT,
	CONTROL_REMOVE_AFTER,
	CONTROL_REMOVE_DURING,
	CONTROL_STATUS,
	CONTROL_RESET_AT,
	CONTROL_GARBAGE_AT,
	CONTROL_SW_AT,
};

struct control_request {
	enum control_cmd cmd;
	unsigned long count; /* for the counted commands (remove-after ... sw-at) */
	unsigned sw;	     /* for sw-at */
};

/* Creates the listening socket at path (replacing a stale socket). Returns it, or -1. */
int control_listen(const char *path);

/*
 * Accepts one client on lfd and reads its command. Returns the client socket with req filled
 * in (answer it with control_reply), or -1 when there was nothing valid to read (a malformed
 * command is answered with an error here).
 */
int control_accept(int lfd, struct control_request *req);

/* Writes reply and a newline to the client and closes it. */
void control_reply(int cfd, const char *reply);

/*
 * Client side: sends the words joined by spaces to the card at path, prints the reply on
 * stdout. Returns 0 for a non-error reply, 1 for an error reply, 2 when the card is unreachable.
 */
int control_client(const char *path, int argc, char *const *argv);

#endif
