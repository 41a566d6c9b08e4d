/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/vcard/control.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define LINE_MAX_LEN 128

static int fill_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		fprintf(stderr, "%s: control socket path too long\n", path);
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

int control_listen(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd;

	if (fill_addr(path, &sa) != 0)
		return -1;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 4) != 0) {
		perror(path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Reads up to a newline or EOF, waiting at most timeout_s seconds for each piece. */
static int read_line(int fd, char *line, size_t cap, long timeout_s)
{
	struct timeval tv = {.tv_sec = timeout_s};
	size_t len = 0;

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len + 1 < cap) {
		ssize_t n = recv(fd, line + len, cap - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len))
			break;
	}
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	return len ? 0 : -1;
}

static int parse_count(const char *s, unsigned long *count)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*count = strtoul(s, &end, 10);
	return errno || *end != '\0' || *count == 0 ? -1 : 0;
}

static const struct {
	const char *word;
	enum control_cmd cmd;
	bool counted;
} commands[] = {
    {"remove", CONTROL_REMOVE, false},
    {"insert", CONTROL_INSERT, false},
    {"status", CONTROL_STATUS, false},
    {"remove-after", CONTROL_REMOVE_AFTER, true},
    {"remove-during", CONTROL_REMOVE_DURING, true},
    {"reset-at", CONTROL_RESET_AT, true},
    {"garbage-at", CONTROL_GARBAGE_AT, true},
    {"sw-at", CONTROL_SW_AT, true},
};

static int parse_sw(const char *s, unsigned *sw)
{
	char *end;

	if (!s) {
		*sw = 0x6F00;
		return 0;
	}
	if (strlen(s) != 4)
		return -1;
	*sw = (unsigned)strtoul(s, &end, 16);
	return *end == '\0' ? 0 : -1;
}

static int parse(char *line, struct control_request *req)
{
	char *save = NULL;
	char *word = strtok_r(line, " \t", &save);
	char *arg = word ? strtok_r(NULL, " \t", &save) : NULL;
	char *arg2 = arg ? strtok_r(NULL, " \t", &save) : NULL;

	if (!word || (arg2 && strtok_r(NULL, " \t", &save)))
		return -1;
	req->count = 0;
	req->sw = 0;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(word, commands[i].word) != 0)
			continue;
		req->cmd = commands[i].cmd;
		if (!commands[i].counted)
			return arg ? -1 : 0;
		if (parse_count(arg, &req->count) != 0)
			return -1;
		if (req->cmd == CONTROL_SW_AT)
			return parse_sw(arg2, &req->sw);
		return arg2 ? -1 : 0;
	}
	return -1;
}

int control_accept(int lfd, struct control_request *req)
{
	char line[LINE_MAX_LEN];
	int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (cfd < 0)
		return -1;
	/* The card serves one client at a time: a silent client must not stall it long. */
	if (read_line(cfd, line, sizeof(line), 1) != 0) {
		close(cfd);
		return -1;
	}
	if (parse(line, req) != 0) {
		control_reply(cfd,
			      "error: unknown command (remove, insert, remove-after N, "
			      "remove-during N, reset-at N, garbage-at N, sw-at N [XXXX], status)");
		return -1;
	}
	return cfd;
}

void control_reply(int cfd, const char *reply)
{
	char line[LINE_MAX_LEN + 2];
	int n = snprintf(line, sizeof(line), "%s\n", reply);

	(void)send(cfd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1,
		   MSG_NOSIGNAL);
	close(cfd);
}

int control_client(const char *path, int argc, char *const *argv)
{
	char line[LINE_MAX_LEN] = "";
	struct sockaddr_un sa;
	size_t len = 0;
	int fd, rc = 2;

	for (int i = 0; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s", i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(line) - len - 1) {
			fprintf(stderr, "control command too long\n");
			return 1;
		}
		len += (size_t)n;
	}
	line[len++] = '\n';
	if (fill_addr(path, &sa) != 0)
		return 2;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror(path);
		goto out;
	}
	if (send(fd, line, len, MSG_NOSIGNAL) != (ssize_t)len)
		goto out;
	shutdown(fd, SHUT_WR);
	/* The card answers between APDUs; one may take a while (RSA, latency model). */
	if (read_line(fd, line, sizeof(line), 30) != 0) {
		fprintf(stderr, "%s: no reply\n", path);
		goto out;
	}
	puts(line);
	rc = strncmp(line, "error", 5) == 0 ? 1 : 0;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}
