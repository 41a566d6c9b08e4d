/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/vcard/trace.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

struct trace {
	FILE *f;
};

struct trace *trace_open(const char *path)
{
	struct trace *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->f = fopen(path, "ae");
	if (!t->f) {
		perror(path);
		free(t);
		return NULL;
	}
	return t;
}

void trace_close(struct trace *t)
{
	if (!t)
		return;
	fclose(t->f);
	free(t);
}

static void stamp(FILE *f, char dir)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	fprintf(f, "%02d:%02d:%02d.%06ld %c ", tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec,
		dir);
}

static void hex(FILE *out, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fprintf(out, "%02X", p[i]);
}

/* Commands whose data field is a PIN: VERIFY, CHANGE REFERENCE DATA, and JICSAP CHANGE KEY. */
static bool carries_pin(const uint8_t *cmd)
{
	return cmd[1] == 0x20 || cmd[1] == 0x24 || (cmd[0] == 0x80 && cmd[1] == 0x32);
}

static void format_command(FILE *out, const uint8_t *cmd, size_t len)
{
	size_t lc_len, data_len;

	if (len <= 5 || !carries_pin(cmd)) {
		hex(out, cmd, len);
		return;
	}
	/* Header and Lc stay visible; Le (if any) too. */
	if (cmd[4] != 0) {
		lc_len = 1;
		data_len = cmd[4];
	} else if (len >= 7) {
		lc_len = 3;
		data_len = (size_t)cmd[5] << 8 | cmd[6];
	} else {
		lc_len = 1;
		data_len = len - 5;
	}
	/* A malformed length masks everything after the header. */
	if (4 + lc_len + data_len > len) {
		lc_len = 0;
		data_len = len - 4;
	}
	hex(out, cmd, 4 + lc_len);
	for (size_t i = 0; i < data_len; i++)
		fputs("**", out);
	hex(out, cmd + 4 + lc_len + data_len, len - 4 - lc_len - data_len);
}

void trace_command(struct trace *t, const uint8_t *cmd, size_t len)
{
	if (!t)
		return;
	stamp(t->f, '>');
	format_command(t->f, cmd, len);
	fputc('\n', t->f);
	fflush(t->f);
}

void trace_response(struct trace *t, const uint8_t *resp, size_t len)
{
	if (!t)
		return;
	stamp(t->f, '<');
	hex(t->f, resp, len);
	fputc('\n', t->f);
	fflush(t->f);
}

void trace_event(struct trace *t, const char *event)
{
	if (!t)
		return;
	stamp(t->f, '*');
	fputs(event, t->f);
	fputc('\n', t->f);
	fflush(t->f);
}
