/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Diagnostics: off by default, JPKI_PKCS11_DEBUG=LEVEL[:FILE]. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/log.h"

#define LINE_MAX_LEN 1024

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int log_lvl;
static FILE *log_fp; /* NULL: stderr */
static bool log_ready;

/* "3" or "4:/path/file"; anything else leaves logging off. */
static void configure(const char *env)
{
	char *end = NULL;
	long lvl;

	if (env == NULL || *env == '\0')
		return;
	lvl = strtol(env, &end, 10);
	if (end == env || (*end != '\0' && *end != ':') || lvl <= 0)
		return;
	if (lvl > JPKI_LOG_APDU)
		lvl = JPKI_LOG_APDU;
	if (*end == ':' && end[1] != '\0') {
		log_fp = fopen(end + 1, "ae");
		if (log_fp == NULL)
			fprintf(stderr, "jpki-pkcs11: cannot open log file %s, logging to stderr\n",
				end + 1);
	}
	atomic_store(&log_lvl, (int)lvl);
}

void jpki_log_init(void)
{
	pthread_mutex_lock(&log_lock);
	if (!log_ready) {
		configure(secure_getenv(JPKI_LOG_ENV));
		log_ready = true;
	}
	pthread_mutex_unlock(&log_lock);
}

void jpki_log_close(void)
{
	pthread_mutex_lock(&log_lock);
	atomic_store(&log_lvl, JPKI_LOG_OFF);
	if (log_fp != NULL)
		fclose(log_fp);
	log_fp = NULL;
	log_ready = false;
	pthread_mutex_unlock(&log_lock);
}

int jpki_log_level(void)
{
	return atomic_load(&log_lvl);
}

void jpki_log_at(int level, const char *file, int line, const char *func, const char *fmt, ...)
{
	char msg[LINE_MAX_LEN];
	const char *base = strrchr(file, '/');
	va_list ap;

	if (jpki_log_level() < level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&log_lock);
	FILE *fp = log_fp != NULL ? log_fp : stderr;
	fprintf(fp, "jpki-pkcs11[%ld] %s:%d %s: %s\n", (long)getpid(), base ? base + 1 : file, line,
		func, msg);
	fflush(fp);
	pthread_mutex_unlock(&log_lock);
}

/* Where the data field of a VERIFY / CHANGE REFERENCE DATA command starts, or len. */
static size_t secret_from(const char *dir, const uint8_t *apdu, size_t len)
{
	if (dir[0] == '<' || len < 5 || (apdu[1] != 0x20 && apdu[1] != 0x24))
		return len;
	if (apdu[4] == 0x00 && len >= 7)
		return 7; /* extended Lc */
	return 5;
}

void jpki_log_format_apdu(char *out, size_t cap, const char *dir, const uint8_t *apdu, size_t len)
{
	size_t shown = len < JPKI_LOG_APDU_SHOWN ? len : JPKI_LOG_APDU_SHOWN;
	size_t mask = secret_from(dir, apdu, len);
	size_t pos;
	int n;

	if (cap == 0)
		return;
	n = snprintf(out, cap, "%s", dir);
	pos = n < 0 ? 0 : (size_t)n;
	for (size_t i = 0; i < shown && pos < cap; i++) {
		if (i >= mask)
			n = snprintf(out + pos, cap - pos, " **");
		else
			n = snprintf(out + pos, cap - pos, " %02X", apdu[i]);
		pos += n < 0 ? 0 : (size_t)n;
	}
	if (shown < len && pos < cap)
		snprintf(out + pos, cap - pos, " ... (%zu bytes)", len);
}

void jpki_log_apdu(const char *dir, const uint8_t *apdu, size_t len)
{
	char text[8 + 3 * JPKI_LOG_APDU_SHOWN + 32];

	if (jpki_log_level() < JPKI_LOG_APDU)
		return;
	jpki_log_format_apdu(text, sizeof(text), dir, apdu, len);
	jpki_log_at(JPKI_LOG_APDU, __FILE__, __LINE__, "apdu", "%s", text);
}
