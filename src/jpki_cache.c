/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The on-disk cache of public card data (see jpki_cache.h for what and why). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "src/der.h"
#include "src/jpki_cache.h"
#include "src/log.h"

/* File: MAGIC, then records of tag (1 byte), length (2 bytes big-endian), data. */
static const char magic[] = "jpki-pkcs11 cert cache 1\n";
#define MAGIC_LEN (sizeof(magic) - 1)
#define TAG_HEAD  'H'
#define TAG_INFO  'T'
#define TAG_CERT0 '0' /* '0' + enum jpki_cert */
#define FILE_MAX                                                                                   \
	(MAGIC_LEN + 3 * 2 + JPKI_CACHE_HEAD_MAX + JPKI_CACHE_TOKEN_INFO_MAX +                     \
	 JPKI_CACHE_CERTS * (3 + JPKI_DER_MAX))
#define NAME_MAX_LEN 80

bool jpki_cache_cert_allowed(enum jpki_cert which)
{
	return which == JPKI_CERT_AUTH || which == JPKI_CERT_AUTH_CA || which == JPKI_CERT_SIGN_CA;
}

void jpki_cache_entry_clear(struct jpki_cache_entry *e)
{
	for (int i = 0; i < JPKI_CACHE_CERTS; i++)
		free(e->cert[i]);
	memset(e, 0, sizeof(*e));
}

enum jpki_rc jpki_cache_file_name(const uint8_t *head, size_t head_len, char *out, size_t size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (head_len == 0 || size < 2 * 32 + sizeof(".cert") ||
	    !EVP_Digest(head, head_len, md, &md_len, EVP_sha256(), NULL) || md_len != 32)
		return JPKI_ERR_ARGS;
	for (unsigned int i = 0; i < md_len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	strcpy(out + 2 * md_len, ".cert");
	return JPKI_OK;
}

/* A directory we may trust: ours, a real directory, writable by nobody else. */
static bool dir_safe(const char *dir)
{
	struct stat st;

	return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	       (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static bool entry_path(const char *dir, const uint8_t *head, size_t head_len, char *path,
		       size_t size)
{
	char name[NAME_MAX_LEN];
	int n;

	if (dir == NULL || dir[0] == '\0' ||
	    jpki_cache_file_name(head, head_len, name, sizeof(name)) != JPKI_OK)
		return false;
	n = snprintf(path, size, "%s/%s", dir, name);
	return n > 0 && (size_t)n < size;
}

/* Reads the whole file (regular, ours, not a link, bounded) into a new buffer. */
static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size <= 0 || (size_t)st.st_size > FILE_MAX)
		goto out;
	buf = malloc((size_t)st.st_size);
	if (buf == NULL)
		goto out;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	*len = got;
out:
	close(fd);
	return buf;
}

/* One record into e; false when it does not belong in a valid entry. */
static bool take_record(struct jpki_cache_entry *e, uint8_t tag, const uint8_t *data, size_t len,
			bool *head_seen)
{
	size_t total = 0;
	int which;

	switch (tag) {
	case TAG_HEAD:
		/* The key: must be exactly what the card just gave. */
		*head_seen = len == e->head_len && memcmp(data, e->head, len) == 0;
		return *head_seen;
	case TAG_INFO:
		if (len == 0 || len > sizeof(e->token_info))
			return false;
		memcpy(e->token_info, data, len);
		e->token_info_len = len;
		return true;
	default:
		break;
	}
	which = tag - TAG_CERT0;
	if (which < 0 || which >= JPKI_CACHE_CERTS || !jpki_cache_cert_allowed(which) ||
	    e->cert[which] != NULL)
		return false;
	/* A whole DER object, nothing after it. */
	if (jpki_der_total_len(data, len, JPKI_DER_MAX, &total) != JPKI_OK || total != len)
		return false;
	/* The authentication certificate must start with the key chunk. */
	if (which == JPKI_CERT_AUTH &&
	    memcmp(data, e->head, len < e->head_len ? len : e->head_len) != 0)
		return false;
	e->cert[which] = malloc(len);
	if (e->cert[which] == NULL)
		return false;
	memcpy(e->cert[which], data, len);
	e->cert_len[which] = len;
	return true;
}

enum jpki_rc jpki_cache_load(const char *dir, struct jpki_cache_entry *e)
{
	char path[4096];
	uint8_t head[JPKI_CACHE_HEAD_MAX];
	size_t head_len = e->head_len, len = 0, pos = MAGIC_LEN;
	bool head_seen = false, ok = true;
	uint8_t *buf;

	memcpy(head, e->head, head_len);
	jpki_cache_entry_clear(e);
	memcpy(e->head, head, head_len);
	e->head_len = head_len;
	if (!entry_path(dir, head, head_len, path, sizeof(path)) || !dir_safe(dir))
		return JPKI_ERR_NOT_FOUND;
	buf = slurp(path, &len);
	if (buf == NULL)
		return JPKI_ERR_NOT_FOUND;
	if (len < MAGIC_LEN || memcmp(buf, magic, MAGIC_LEN) != 0)
		ok = false;
	while (ok && pos < len) {
		size_t rec_len;

		if (len - pos < 3) {
			ok = false;
			break;
		}
		rec_len = (size_t)buf[pos + 1] << 8 | buf[pos + 2];
		if (len - pos - 3 < rec_len) {
			ok = false;
			break;
		}
		ok = take_record(e, buf[pos], buf + pos + 3, rec_len, &head_seen);
		pos += 3 + rec_len;
	}
	free(buf);
	if (!ok || !head_seen || e->token_info_len == 0) {
		jpki_log(JPKI_LOG_CARD, "cache: %s unusable, ignored", path);
		jpki_cache_entry_clear(e);
		memcpy(e->head, head, head_len);
		e->head_len = head_len;
		return JPKI_ERR_NOT_FOUND;
	}
	return JPKI_OK;
}

static size_t put_record(uint8_t *buf, size_t pos, uint8_t tag, const uint8_t *data, size_t len)
{
	buf[pos] = tag;
	buf[pos + 1] = (uint8_t)(len >> 8);
	buf[pos + 2] = (uint8_t)len;
	memcpy(buf + pos + 3, data, len);
	return pos + 3 + len;
}

/* Creates dir and missing parents (0700); true when dir is then safe to use. */
static bool make_dir(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(path))
		return false;
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i < n; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return false;
		path[i] = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return false;
	return dir_safe(dir);
}

static bool write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

enum jpki_rc jpki_cache_store(const char *dir, const struct jpki_cache_entry *e)
{
	char path[4096], tmp[4096];
	uint8_t *buf;
	size_t pos;
	int fd, n;
	bool ok;

	if (e->head_len == 0 || e->head_len > sizeof(e->head) ||
	    !entry_path(dir, e->head, e->head_len, path, sizeof(path)))
		return JPKI_ERR_ARGS;
	n = snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
	if (n <= 0 || (size_t)n >= sizeof(tmp) || !make_dir(dir))
		return JPKI_ERR_NOT_SUPPORTED;
	buf = malloc(FILE_MAX);
	if (buf == NULL)
		return JPKI_ERR_NO_MEMORY;
	memcpy(buf, magic, MAGIC_LEN);
	pos = put_record(buf, MAGIC_LEN, TAG_HEAD, e->head, e->head_len);
	pos = put_record(buf, pos, TAG_INFO, e->token_info, e->token_info_len);
	for (int i = 0; i < JPKI_CACHE_CERTS; i++)
		if (e->cert[i] != NULL && jpki_cache_cert_allowed(i) &&
		    e->cert_len[i] <= JPKI_DER_MAX)
			pos = put_record(buf, pos, (uint8_t)(TAG_CERT0 + i), e->cert[i],
					 e->cert_len[i]);
	fd = mkstemp(tmp); /* mode 0600 */
	ok = fd >= 0;
	if (ok) {
		ok = write_all(fd, buf, pos);
		ok = close(fd) == 0 && ok;
		/* rename is atomic: readers see the old entry or the new one, never half. */
		ok = ok && rename(tmp, path) == 0;
		if (!ok)
			unlink(tmp);
	}
	free(buf);
	jpki_log(JPKI_LOG_CARD, "cache: store %s: %s", path, ok ? "ok" : strerror(errno));
	return ok ? JPKI_OK : JPKI_ERR_NOT_SUPPORTED;
}
