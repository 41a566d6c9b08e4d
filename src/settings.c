/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The configuration file: "key = value" lines, "#" comment lines. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/log.h"
#include "src/settings.h"

#ifndef JPKI_SYSCONFDIR
#define JPKI_SYSCONFDIR "/etc"
#endif
#define SETTINGS_FILE "jpki-pkcs11.conf"
/* A configuration file is a few hundred bytes; anything huge is a mistake. */
#define SETTINGS_MAX_SIZE 65536

void jpki_settings_defaults(struct jpki_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->rsa_pss = JPKI_RSA_PSS_OFF;
	s->final_try = JPKI_FINAL_TRY_ALLOW;
	s->sign_always_authenticate = true;
	s->extended_apdu = true;
	s->public_certificates_token = true;
	s->cert_cache = true;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"on", "yes", "true", "1"};
	static const char *const no[] = {"off", "no", "false", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool add_filter(char list[][JPKI_SETTINGS_FILTER_LEN], size_t *n, const char *v)
{
	size_t len = strlen(v);

	if (*n >= JPKI_SETTINGS_MAX_FILTERS || len == 0 || len >= JPKI_SETTINGS_FILTER_LEN)
		return false;
	memcpy(list[*n], v, len + 1);
	(*n)++;
	return true;
}

/* Applies one key/value pair; false when the key is unknown or the value bad. */
static bool apply(struct jpki_settings *s, const char *key, const char *v)
{
	bool on;

	if (strcmp(key, "rsa_pss") == 0) {
		if (strcasecmp(v, "auto") == 0) {
			s->rsa_pss = JPKI_RSA_PSS_AUTO;
			return true;
		}
		if (!parse_bool(v, &on))
			return false;
		s->rsa_pss = on ? JPKI_RSA_PSS_ON : JPKI_RSA_PSS_OFF;
		return true;
	}
	if (strcmp(key, "sign_always_authenticate") == 0)
		return parse_bool(v, &s->sign_always_authenticate);
	if (strcmp(key, "public_certificates_token") == 0)
		return parse_bool(v, &s->public_certificates_token);
	if (strcmp(key, "final_try") == 0) {
		if (strcasecmp(v, "allow") == 0)
			s->final_try = JPKI_FINAL_TRY_ALLOW;
		else if (strcasecmp(v, "refuse") == 0)
			s->final_try = JPKI_FINAL_TRY_REFUSE;
		else
			return false;
		return true;
	}
	if (strcmp(key, "extended_apdu") == 0) {
		if (strcasecmp(v, "auto") == 0)
			s->extended_apdu = true;
		else if (strcasecmp(v, "off") == 0)
			s->extended_apdu = false;
		else
			return false;
		return true;
	}
	if (strcmp(key, "cert_cache") == 0)
		return parse_bool(v, &s->cert_cache);
	if (strcmp(key, "cert_cache_dir") == 0) {
		size_t len = strlen(v);

		if (v[0] != '/' || len >= sizeof(s->cert_cache_dir))
			return false;
		memcpy(s->cert_cache_dir, v, len + 1);
		return true;
	}
	if (strcmp(key, "reader_include") == 0)
		return add_filter(s->reader_include, &s->n_include, v);
	if (strcmp(key, "reader_exclude") == 0)
		return add_filter(s->reader_exclude, &s->n_exclude, v);
	return false;
}

bool jpki_settings_cache_dir(const struct jpki_settings *s, char *out, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (s == NULL || out == NULL || !s->cert_cache)
		return false;
	if (s->cert_cache_dir[0] != '\0')
		n = snprintf(out, size, "%s", s->cert_cache_dir);
	else if (xdg != NULL && xdg[0] == '/') /* the spec: relative values are ignored */
		n = snprintf(out, size, "%s/jpki-pkcs11", xdg);
	else if (home != NULL && home[0] == '/')
		n = snprintf(out, size, "%s/.cache/jpki-pkcs11", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

static char *trim(char *p)
{
	char *end;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return p;
}

/* One line (NUL-terminated, writable). */
static bool parse_line(struct jpki_settings *s, char *line)
{
	char *eq, *key, *value;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return true;
	eq = strchr(line, '=');
	if (eq == NULL)
		return false;
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	return *value != '\0' && apply(s, key, value);
}

enum jpki_rc jpki_settings_parse(const char *text, size_t len, struct jpki_settings *s)
{
	struct jpki_settings tmp;
	char *copy;
	size_t start = 0;
	unsigned line_no = 0;
	enum jpki_rc rc = JPKI_OK;

	if (s == NULL || (text == NULL && len > 0))
		return JPKI_ERR_ARGS;
	jpki_settings_defaults(s);
	jpki_settings_defaults(&tmp);
	if (len > 0 && memchr(text, '\0', len) != NULL) {
		jpki_log(JPKI_LOG_ERROR, "configuration: NUL byte in the text");
		return JPKI_ERR_CONFIG;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return JPKI_ERR_NO_MEMORY;
	if (len > 0)
		memcpy(copy, text, len);
	copy[len] = '\0';
	while (start <= len && rc == JPKI_OK) {
		char *nl = strchr(copy + start, '\n');
		size_t end = nl != NULL ? (size_t)(nl - copy) : len;

		copy[end] = '\0';
		line_no++;
		if (!parse_line(&tmp, copy + start)) {
			jpki_log(JPKI_LOG_ERROR, "configuration line %u: bad key or value",
				 line_no);
			rc = JPKI_ERR_CONFIG;
		}
		start = end + 1;
	}
	free(copy);
	if (rc == JPKI_OK)
		*s = tmp;
	return rc;
}

enum jpki_rc jpki_settings_load(const char *path, struct jpki_settings *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	enum jpki_rc rc;

	if (s == NULL)
		return JPKI_ERR_ARGS;
	jpki_settings_defaults(s);
	if (path == NULL)
		path = secure_getenv(JPKI_SETTINGS_ENV);
	if (path == NULL || *path == '\0')
		path = JPKI_SYSCONFDIR "/" SETTINGS_FILE;
	fp = fopen(path, "re");
	if (fp == NULL) {
		if (errno == ENOENT)
			return JPKI_OK;
		jpki_log(JPKI_LOG_ERROR, "configuration %s: %s", path, strerror(errno));
		return JPKI_ERR_CONFIG;
	}
	buf = malloc(SETTINGS_MAX_SIZE + 1);
	if (buf == NULL) {
		fclose(fp);
		return JPKI_ERR_NO_MEMORY;
	}
	len = fread(buf, 1, SETTINGS_MAX_SIZE + 1, fp);
	if (ferror(fp) || len > SETTINGS_MAX_SIZE) {
		jpki_log(JPKI_LOG_ERROR, "configuration %s: unreadable or too large", path);
		rc = JPKI_ERR_CONFIG;
	} else {
		rc = jpki_settings_parse(buf, len, s);
	}
	fclose(fp);
	free(buf);
	return rc;
}

bool jpki_settings_reader_allowed(const struct jpki_settings *s, const char *reader)
{
	bool included = s->n_include == 0;

	if (reader == NULL)
		return false;
	for (size_t i = 0; i < s->n_include && !included; i++)
		included = strcasestr(reader, s->reader_include[i]) != NULL;
	if (!included)
		return false;
	for (size_t i = 0; i < s->n_exclude; i++)
		if (strcasestr(reader, s->reader_exclude[i]) != NULL)
			return false;
	return true;
}
