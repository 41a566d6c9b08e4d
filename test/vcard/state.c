/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The PIN state file: "key=value" lines (auth_pin, auth_tries, sign_pin, sign_tries). Unknown
 * keys, blank lines and '#' comments are ignored; a malformed value rejects the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test/vcard/card_internal.h"
#include "test/vcard/state.h"

void vcard_state_defaults(struct vcard_pins *pins)
{
	memset(pins, 0, sizeof(*pins));
	memcpy(pins->auth_pin, VCARD_DEFAULT_AUTH_PIN, sizeof(VCARD_DEFAULT_AUTH_PIN));
	memcpy(pins->sign_pin, VCARD_DEFAULT_SIGN_PIN, sizeof(VCARD_DEFAULT_SIGN_PIN));
	pins->auth_tries = VCARD_AUTH_MAX_TRIES;
	pins->sign_tries = VCARD_SIGN_MAX_TRIES;
}

static int parse_pin(enum vcard_cred cred, const char *value, char *dst)
{
	size_t len = strlen(value);

	if (!vcard_pin_format_ok(cred, (const uint8_t *)value, len))
		return -1;
	memcpy(dst, value, len + 1);
	return 0;
}

static int parse_tries(const char *value, int max, int *dst)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < 0 || v > max)
		return -1;
	*dst = (int)v;
	return 0;
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Applies one "key=value" line (newline removed); returns -1 on a malformed value. */
static int parse_line(char *line, struct vcard_pins *pins)
{
	char *eq, *key = trim(line);
	const char *value;

	if (key[0] == '\0' || key[0] == '#')
		return 0;
	eq = strchr(key, '=');
	if (eq == NULL)
		return -1;
	*eq = '\0';
	key = trim(key);
	value = trim(eq + 1);
	if (strcmp(key, "auth_pin") == 0)
		return parse_pin(VCARD_CRED_AUTH, value, pins->auth_pin);
	if (strcmp(key, "sign_pin") == 0)
		return parse_pin(VCARD_CRED_SIGN, value, pins->sign_pin);
	if (strcmp(key, "auth_tries") == 0)
		return parse_tries(value, VCARD_AUTH_MAX_TRIES, &pins->auth_tries);
	if (strcmp(key, "sign_tries") == 0)
		return parse_tries(value, VCARD_SIGN_MAX_TRIES, &pins->sign_tries);
	return 0; /* unknown key: tolerated, for older and newer files alike */
}

int vcard_state_load(const char *path, struct vcard_pins *pins)
{
	struct vcard_pins loaded;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int rc = 0;
	FILE *f;

	vcard_state_defaults(pins);
	f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "jpki-vcard: %s: %s\n", path, strerror(errno));
		return -1;
	}
	loaded = *pins;
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)n != strlen(line) || parse_line(line, &loaded) != 0) {
			fprintf(stderr, "jpki-vcard: %s:%u: malformed line\n", path, lineno);
			rc = -1;
		}
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "jpki-vcard: %s: read error\n", path);
		rc = -1;
	}
	free(line);
	fclose(f);
	if (rc == 0)
		*pins = loaded;
	return rc;
}

static int fsync_dir(const char *path)
{
	char copy[PATH_MAX];
	int fd, rc;

	if (strlen(path) >= sizeof(copy))
		return -1;
	strcpy(copy, path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int vcard_state_save(const char *path, const struct vcard_pins *pins)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, ok;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -1;
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "jpki-vcard: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	f = fchmod(fd, 0644) == 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	ok = fprintf(f, "auth_pin=%.*s\nauth_tries=%d\nsign_pin=%.*s\nsign_tries=%d\n",
		     VCARD_PIN_MAX, pins->auth_pin, pins->auth_tries, VCARD_PIN_MAX, pins->sign_pin,
		     pins->sign_tries) > 0;
	ok = fflush(f) == 0 && ok;
	ok = fsync(fileno(f)) == 0 && ok;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "jpki-vcard: cannot save %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	fsync_dir(path);
	return 0;
}
