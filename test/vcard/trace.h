/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * APDU trace of the virtual card: one line per command, response and card event, flushed at
 * once so that tests can read the file while the card runs. PIN bytes never reach the file:
 * the data field of VERIFY, CHANGE REFERENCE DATA and CHANGE KEY is written as "**" per byte.
 *
 *   HH:MM:SS.uuuuuu > 00A4040C0AD392F000260100000001
 *   HH:MM:SS.uuuuuu < 9000
 *   HH:MM:SS.uuuuuu > 0020008004********
 *   HH:MM:SS.uuuuuu * power-on
 */
#ifndef JPKI_VCARD_TRACE_H
#define JPKI_VCARD_TRACE_H

#include <stddef.h>
#include <stdint.h>

struct trace;

/* Opens (appends to) path. Returns NULL with a message on stderr. */
struct trace *trace_open(const char *path);
void trace_close(struct trace *t);

/* Each function accepts t == NULL (no trace) and does nothing then. */
void trace_command(struct trace *t, const uint8_t *cmd, size_t len);
void trace_response(struct trace *t, const uint8_t *resp, size_t len);
void trace_event(struct trace *t, const char *event);

#endif
