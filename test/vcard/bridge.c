/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/vcard/bridge.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "test/vcard/control.h"
#include "test/vcard/fault.h"
#include "test/vcard/state.h"
#include "test/vcard/vpcd.h"

#define RECONNECT_MS 20

struct bridge {
	const struct bridge_config *cfg;
	struct vcard *card;
	struct vcard_pins *pins;
	struct trace *trace;
	int fd;	       /* connection to vpcd, -1 while the card is out of the reader */
	bool inserted; /* the card wants to be in the reader */
	bool powered;
	/* Count-downs of remove-after / remove-during; 0 = off. */
	unsigned long remove_after, remove_during;
	struct fault_plan faults;
	unsigned long apdus, bytes;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void note(const struct bridge *b, const char *what, const char *detail)
{
	if (b->cfg->verbose)
		fprintf(stderr, "jpki-vcard: %s%s\n", what, detail);
}

static void remove_card(struct bridge *b, const char *event)
{
	if (b->fd >= 0) {
		close(b->fd);
		b->fd = -1;
	}
	/* Leaving the reader cuts the power: the security status is gone. */
	vcard_power_off(b->card);
	b->powered = false;
	trace_event(b->trace, event);
	note(b, event, "");
}

static void try_insert(struct bridge *b)
{
	b->fd = vpcd_connect(b->cfg->host, b->cfg->port);
	if (b->fd < 0)
		return;
	trace_event(b->trace, "insert");
	note(b, "connected to vpcd at ", b->cfg->host);
}

/* Returns true when the count-down reaches zero with this APDU. */
static bool count_down(unsigned long *left)
{
	return *left && --*left == 0;
}

/* Returns 0, or -1 when the card cannot go on (its state could not be saved). */
static int serve_apdu(struct bridge *b, const uint8_t *cmd, size_t len)
{
	static uint8_t resp[VCARD_RESP_MAX];
	size_t resp_len;
	bool drop, removing;
	unsigned fired = fault_step(&b->faults);

	if (fired & (1u << FAULT_RESET)) {
		/* A brown-out between two commands: the card starts over, nobody is told. */
		vcard_power_off(b->card);
		vcard_power_on(b->card);
		trace_event(b->trace, "reset (fault)");
	}
	trace_command(b->trace, cmd, len);
	resp_len = vcard_process(b->card, cmd, len, resp);
	/* A real card commits its counters before it answers; so does this one. */
	if (vcard_take_pins_dirty(b->card) && b->cfg->state_path &&
	    vcard_state_save(b->cfg->state_path, b->pins) != 0)
		return -1;
	if (resp_len > VPCD_MSG_MAX) {
		fprintf(stderr, "jpki-vcard: %zu-byte response does not fit vpcd's frame\n",
			resp_len);
		resp[0] = 0x6F;
		resp[1] = 0x00;
		resp_len = 2;
	}
	if (fired & (1u << FAULT_GARBAGE)) {
		resp_len = fault_garbage(&b->faults, resp);
		trace_event(b->trace, "garbage (fault)");
	} else if (fired & (1u << FAULT_SW)) {
		fault_wrong_sw(resp, resp_len, b->faults.sw);
		trace_event(b->trace, "wrong SW (fault)");
	}
	latency_sleep(latency_cost(&b->cfg->lat, len + resp_len, vcard_last_rsa_ops(b->card)));
	b->apdus++;
	b->bytes += len + resp_len;
	drop = count_down(&b->remove_during);
	removing = count_down(&b->remove_after);
	if (drop) {
		b->inserted = false;
		remove_card(b, "remove (response dropped)");
		return 0;
	}
	trace_response(b->trace, resp, resp_len);
	if (vpcd_send(b->fd, resp, resp_len) != 0) {
		remove_card(b, "vpcd-closed");
		return 0;
	}
	if (removing) {
		b->inserted = false;
		remove_card(b, "remove");
	}
	return 0;
}

static int serve_vpcd(struct bridge *b)
{
	static uint8_t msg[VPCD_MSG_MAX];
	uint8_t atr[VCARD_ATR_MAX];
	long len = vpcd_recv(b->fd, msg);

	if (len < 0) {
		remove_card(b, "vpcd-closed");
		return 0;
	}
	if (len > 1)
		return serve_apdu(b, msg, (size_t)len);
	if (len == 0)
		return 0;
	switch (msg[0]) {
	case VPCD_CTRL_OFF:
		vcard_power_off(b->card);
		b->powered = false;
		trace_event(b->trace, "power-off");
		break;
	case VPCD_CTRL_ON:
		vcard_power_on(b->card);
		b->powered = true;
		trace_event(b->trace, "power-on");
		break;
	case VPCD_CTRL_RESET:
		vcard_reset(b->card);
		b->powered = true;
		trace_event(b->trace, "reset");
		break;
	case VPCD_CTRL_ATR:
		/* vpcd's presence check, several times a second: not traced. */
		if (vpcd_send(b->fd, atr, vcard_atr(b->card, atr, sizeof(atr))) != 0)
			remove_card(b, "vpcd-closed");
		break;
	default:
		fprintf(stderr, "jpki-vcard: unknown vpcd control code %u\n", msg[0]);
		break;
	}
	return 0;
}

static void serve_control(struct bridge *b, int lfd)
{
	struct control_request req;
	char reply[128];
	int cfd = control_accept(lfd, &req);

	if (cfd < 0)
		return;
	snprintf(reply, sizeof(reply), "ok");
	switch (req.cmd) {
	case CONTROL_REMOVE:
		if (b->inserted) {
			b->inserted = false;
			remove_card(b, "remove");
		}
		break;
	case CONTROL_INSERT:
		b->inserted = true;
		break;
	case CONTROL_REMOVE_AFTER:
		b->remove_after = req.count;
		break;
	case CONTROL_REMOVE_DURING:
		b->remove_during = req.count;
		break;
	case CONTROL_RESET_AT:
		fault_arm(&b->faults, FAULT_RESET, req.count);
		break;
	case CONTROL_GARBAGE_AT:
		fault_arm(&b->faults, FAULT_GARBAGE, req.count);
		break;
	case CONTROL_SW_AT:
		b->faults.sw = (uint16_t)req.sw;
		fault_arm(&b->faults, FAULT_SW, req.count);
		break;
	case CONTROL_STATUS:
		snprintf(reply, sizeof(reply),
			 "%s power=%s apdus=%lu bytes=%lu auth_tries=%d sign_tries=%d armed=%u",
			 b->fd >= 0    ? "present"
			 : b->inserted ? "waiting"
				       : "absent",
			 b->powered ? "on" : "off", b->apdus, b->bytes, b->pins->auth_tries,
			 b->pins->sign_tries, fault_armed(&b->faults));
		break;
	}
	control_reply(cfd, reply);
}

int bridge_run(const struct bridge_config *cfg, struct vcard *card, struct vcard_pins *pins,
	       struct trace *trace, int lfd)
{
	struct bridge bridge = {
	    .cfg = cfg,
	    .card = card,
	    .pins = pins,
	    .trace = trace,
	    .fd = -1,
	    .inserted = !cfg->start_removed,
	    .remove_after = cfg->remove_after,
	    .remove_during = cfg->remove_during,
	};
	struct bridge *b = &bridge;
	const struct timespec retry = {.tv_nsec = RECONNECT_MS * 1000000L};
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t block, orig;
	int rc = 0;

	fault_plan_init(&b->faults);
	fault_arm(&b->faults, FAULT_RESET, cfg->reset_at);
	fault_arm(&b->faults, FAULT_GARBAGE, cfg->garbage_at);
	fault_arm(&b->faults, FAULT_SW, cfg->sw_at);
	if (cfg->fault_sw)
		b->faults.sw = (uint16_t)cfg->fault_sw;

	/* Signals arrive only inside ppoll(): an APDU in progress is always finished. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stop && rc == 0) {
		struct pollfd pfd[2];
		nfds_t n = 0;
		int vpcd_slot = -1, ctl_slot = -1;

		if (b->inserted && b->fd < 0)
			try_insert(b);
		if (b->fd >= 0) {
			vpcd_slot = (int)n;
			pfd[n++] = (struct pollfd){.fd = b->fd, .events = POLLIN};
		}
		if (lfd >= 0) {
			ctl_slot = (int)n;
			pfd[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
		}
		if (ppoll(pfd, n, b->inserted && b->fd < 0 ? &retry : NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			perror("jpki-vcard: poll");
			rc = -1;
			break;
		}
		if (vpcd_slot >= 0 && pfd[vpcd_slot].revents)
			rc = serve_vpcd(b);
		if (ctl_slot >= 0 && pfd[ctl_slot].revents)
			serve_control(b, lfd);
	}
	if (b->fd >= 0)
		close(b->fd);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return rc;
}
