/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/vcard/vpcd.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void set_quickack(int fd)
{
	int one = 1;

	/* Linux clears QUICKACK again after a while, so it is set before every read. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

int vpcd_connect(const char *host, unsigned port)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char service[8];
	int fd = -1, one = 1, err = ECONNREFUSED;

	snprintf(service, sizeof(service), "%u", port);
	if (getaddrinfo(host, service, &hints, &res) != 0) {
		errno = EHOSTUNREACH;
		return -1;
	}
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		errno = err;
		return -1;
	}
	/*
	 * vpcd writes the length and the payload in two send() calls; with Nagle on our side and
	 * delayed ACKs on both, every exchange would stall ~40 ms.
	 */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static int read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n;

		set_quickack(fd);
		n = recv(fd, buf + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

long vpcd_recv(int fd, uint8_t *buf)
{
	uint8_t hdr[2];
	size_t len;

	if (read_full(fd, hdr, sizeof(hdr)) != 0)
		return -1;
	len = (size_t)hdr[0] << 8 | hdr[1];
	if (read_full(fd, buf, len) != 0)
		return -1;
	return (long)len;
}

int vpcd_send(int fd, const uint8_t *buf, size_t len)
{
	struct iovec iov[2];
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	uint8_t hdr[2];
	size_t total = sizeof(hdr) + len, sent = 0;

	if (len > VPCD_MSG_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	hdr[0] = (uint8_t)(len >> 8);
	hdr[1] = (uint8_t)len;
	/* One segment for header and payload: vpcd reads them with two blocking recv() calls. */
	while (sent < total) {
		ssize_t n;

		iov[0].iov_base = hdr + (sent < 2 ? sent : 2);
		iov[0].iov_len = sent < 2 ? 2 - sent : 0;
		iov[1].iov_base = (uint8_t *)buf + (sent > 2 ? sent - 2 : 0);
		iov[1].iov_len = len - (sent > 2 ? sent - 2 : 0);
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		sent += (size_t)n;
	}
	return 0;
}
