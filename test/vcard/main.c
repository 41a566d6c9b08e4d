/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * jpki-vcard: the virtual JPKI card behind pcscd. This file turns the command line into a
 * card, its PIN state, trace and control socket, and hands them to the bridge (bridge.c) that
 * connects the card to vsmartcard's vpcd reader driver. See doc/testing.md.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test/vcard/bridge.h"
#include "test/vcard/card.h"
#include "test/vcard/control.h"
#include "test/vcard/latency.h"
#include "test/vcard/pki.h"
#include "test/vcard/state.h"
#include "test/vcard/trace.h"
#include "test/vcard/vpcd.h"

struct options {
	struct bridge_config bridge;
	const char *pki_dir, *trace_path, *control_path;
	const char *auth_pin, *sign_pin;
	unsigned identity;
	bool reset_counters, init_state;
	struct vcard_config cfg;
};

static const struct quirk {
	const char *name;
	size_t offset;
	const char *help;
} quirks[] = {
    {"first-command-6f00", offsetof(struct vcard_quirks, first_command_6f00),
     "first command after power-up answers 6F00"},
    {"warm-reset-keeps-security", offsetof(struct vcard_quirks, warm_reset_keeps_security),
     "a warm reset keeps the verified PINs"},
    {"blocked-verify-6984", offsetof(struct vcard_quirks, blocked_verify_6984),
     "VERIFY on a blocked PIN answers 6984 (off: 63C0)"},
    {"blocked-verify-6983", offsetof(struct vcard_quirks, blocked_verify_6983),
     "VERIFY on a blocked PIN answers 6983 (unconfirmed; wins over blocked-verify-6984)"},
    {"blocked-query-6984", offsetof(struct vcard_quirks, blocked_query_6984),
     "retry query on a blocked PIN answers 6984 (off: 63C0)"},
    {"verified-query-9000", offsetof(struct vcard_quirks, verified_query_9000),
     "retry query on a verified PIN answers 9000"},
    {"read-short-6282", offsetof(struct vcard_quirks, read_short_6282),
     "READ BINARY cut by the end of file answers 6282"},
    {"extended-apdu", offsetof(struct vcard_quirks, extended_apdu), "accept extended-length APDUs"},
    {"get-challenge", offsetof(struct vcard_quirks, get_challenge), "GET CHALLENGE supported"},
    {"read-by-sfi", offsetof(struct vcard_quirks, read_by_sfi), "READ BINARY with P1 = 80|SFI"},
    {"verify-by-sfi", offsetof(struct vcard_quirks, verify_by_sfi),
     "VERIFY / CHANGE REFERENCE DATA with P2 = 80|SFI"},
    {"sign-key-by-sfi", offsetof(struct vcard_quirks, sign_key_by_sfi),
     "COMPUTE DIGITAL SIGNATURE with P2 = 97 / 9A"},
    {"sign-schemes", offsetof(struct vcard_quirks, sign_schemes), "signature schemes P1 01-03"},
    {"sign-pss", offsetof(struct vcard_quirks, sign_pss), "RSASSA-PSS schemes P1 04-05"},
    {"scheme-before-security", offsetof(struct vcard_quirks, scheme_before_security),
     "unknown signature P1 answers 6A86 before 6982"},
    {"minor-sign-pin", offsetof(struct vcard_quirks, minor_sign_pin),
     "profile minor keeps the sign password EF 001B (no key, no certificate)"},
};

static bool *quirk_field(struct vcard_quirks *q, const struct quirk *k)
{
	return (bool *)((char *)q + k->offset);
}

static void usage(FILE *out)
{
	struct vcard_config def;

	vcard_config_defaults(&def);
	fprintf(out,
		"Usage: jpki-vcard [OPTION]...\n"
		"       jpki-vcard --ctl PATH remove|insert|status|remove-after N|remove-during N\n"
		"                            |reset-at N|garbage-at N|sw-at N [XXXX]\n"
		"Virtual JPKI (My Number) card for pcscd's vpcd reader driver.\n\n"
		"  --host HOST            vpcd host (default 127.0.0.1)\n"
		"  --port N               vpcd port (default %d; second reader %d)\n"
		"  --pki DIR              test PKI directory (default $JPKI_TEST_PKI)\n"
		"  --identity 0|1         which card identity of the PKI (default 0)\n"
		"  --profile P            mynumber, juki or minor (default mynumber)\n"
		"  --atr K                contact, contactless or old (default contact)\n"
		"  --state FILE           persist PINs and retry counters in FILE\n"
		"  --auth-pin PIN         set the auth PIN (stored in the state)\n"
		"  --sign-pin PIN         set the sign password (stored in the state)\n"
		"  --reset-counters       give both PINs their full tries\n"
		"  --init-state           only write the state (with the options above) and exit\n"
		"  --latency SPEC         none, contact, contactless or APDU_US,BYTE_US,RSA_US\n"
		"  --trace FILE           append an APDU trace (PINs masked) to FILE\n"
		"  --control PATH         listen for remove/insert/status on unix socket PATH\n"
		"  --remove-after N       remove the card after answering the N-th APDU\n"
		"  --remove-during N      remove the card instead of answering the N-th APDU\n"
		"  --removed              start removed (until an insert command)\n"
		"  --reset-at N           power-cycle the card just before the N-th APDU\n"
		"  --garbage-at N         answer the N-th APDU with 1-64 random bytes\n"
		"  --sw-at N              answer the N-th APDU with the status word of --fault-sw\n"
		"  --fault-sw XXXX        status word for --sw-at and sw-at (default 6F00)\n"
		"  --quirk NAME=on|off    switch a card behaviour (see below)\n"
		"  --filler HEX           byte after the DER certificate in its EF (default %02X)\n"
		"  --cert-ef-size N       size of a certificate EF in bytes (default %zu)\n"
		"  --verbose              log connections and control commands to stderr\n"
		"  --help                 show this help\n\n"
		"Quirks (default):\n",
		VPCD_DEFAULT_PORT, VPCD_DEFAULT_PORT + 1, def.quirks.cert_filler,
		def.quirks.cert_ef_size);
	for (size_t i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++)
		fprintf(out, "  %-26s %-4s %s\n", quirks[i].name,
			*quirk_field(&def.quirks, &quirks[i]) ? "on" : "off", quirks[i].help);
}

static int parse_number(const char *s, int base, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s == '-' || *s == '\0')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, base);
	return errno || *end != '\0' || *v > max ? -1 : 0;
}

static int parse_quirk(const char *arg, struct vcard_quirks *q)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : 0;

	if (!eq || (strcmp(eq + 1, "on") != 0 && strcmp(eq + 1, "off") != 0))
		return -1;
	for (size_t i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++) {
		if (strlen(quirks[i].name) == len && strncmp(quirks[i].name, arg, len) == 0) {
			*quirk_field(q, &quirks[i]) = strcmp(eq + 1, "on") == 0;
			return 0;
		}
	}
	return -1;
}

static int parse_enum(const char *arg, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	return -1;
}

static const char *const profile_names[] = {
    [VCARD_PROFILE_MYNUMBER] = "mynumber",
    [VCARD_PROFILE_JUKI] = "juki",
    [VCARD_PROFILE_MINOR] = "minor",
};
static const char *const atr_names[] = {
    [VCARD_ATR_CONTACT] = "contact",
    [VCARD_ATR_CONTACTLESS] = "contactless",
    [VCARD_ATR_OLD] = "old",
};

enum {
	OPT_HOST = 256,
	OPT_PORT,
	OPT_PKI,
	OPT_IDENTITY,
	OPT_PROFILE,
	OPT_ATR,
	OPT_STATE,
	OPT_AUTH_PIN,
	OPT_SIGN_PIN,
	OPT_RESET_COUNTERS,
	OPT_INIT_STATE,
	OPT_LATENCY,
	OPT_TRACE,
	OPT_CONTROL,
	OPT_CTL,
	OPT_REMOVE_AFTER,
	OPT_REMOVE_DURING,
	OPT_REMOVED,
	OPT_RESET_AT,
	OPT_GARBAGE_AT,
	OPT_SW_AT,
	OPT_FAULT_SW,
	OPT_QUIRK,
	OPT_FILLER,
	OPT_CERT_EF_SIZE,
	OPT_VERBOSE,
	OPT_HELP,
};

/* Same order as the enum above: an option's index names it in error messages. */
static const struct option long_options[] = {
    {"host", required_argument, NULL, OPT_HOST},
    {"port", required_argument, NULL, OPT_PORT},
    {"pki", required_argument, NULL, OPT_PKI},
    {"identity", required_argument, NULL, OPT_IDENTITY},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"atr", required_argument, NULL, OPT_ATR},
    {"state", required_argument, NULL, OPT_STATE},
    {"auth-pin", required_argument, NULL, OPT_AUTH_PIN},
    {"sign-pin", required_argument, NULL, OPT_SIGN_PIN},
    {"reset-counters", no_argument, NULL, OPT_RESET_COUNTERS},
    {"init-state", no_argument, NULL, OPT_INIT_STATE},
    {"latency", required_argument, NULL, OPT_LATENCY},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"control", required_argument, NULL, OPT_CONTROL},
    {"ctl", required_argument, NULL, OPT_CTL},
    {"remove-after", required_argument, NULL, OPT_REMOVE_AFTER},
    {"remove-during", required_argument, NULL, OPT_REMOVE_DURING},
    {"removed", no_argument, NULL, OPT_REMOVED},
    {"reset-at", required_argument, NULL, OPT_RESET_AT},
    {"garbage-at", required_argument, NULL, OPT_GARBAGE_AT},
    {"sw-at", required_argument, NULL, OPT_SW_AT},
    {"fault-sw", required_argument, NULL, OPT_FAULT_SW},
    {"quirk", required_argument, NULL, OPT_QUIRK},
    {"filler", required_argument, NULL, OPT_FILLER},
    {"cert-ef-size", required_argument, NULL, OPT_CERT_EF_SIZE},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* Returns 0 to run, 1 to exit successfully (help), -1 on a usage error. */
static int parse_options(int argc, char **argv, struct options *o, const char **ctl)
{
	unsigned long v;
	int c, i;

	while ((c = getopt_long(argc, argv, "+", long_options, NULL)) != -1) {
		bool ok = true;

		switch (c) {
		case OPT_HOST:
			o->bridge.host = optarg;
			break;
		case OPT_PORT:
			ok = parse_number(optarg, 10, 65535, &v) == 0 && v > 0;
			o->bridge.port = (unsigned)v;
			break;
		case OPT_PKI:
			o->pki_dir = optarg;
			break;
		case OPT_IDENTITY:
			ok = parse_number(optarg, 10, VCARD_PKI_IDENTITIES - 1, &v) == 0;
			o->identity = (unsigned)v;
			break;
		case OPT_PROFILE:
			i = parse_enum(optarg, profile_names, 3);
			ok = i >= 0;
			o->cfg.profile = (enum vcard_profile)i;
			break;
		case OPT_ATR:
			i = parse_enum(optarg, atr_names, 3);
			ok = i >= 0;
			o->cfg.atr = (enum vcard_atr_kind)i;
			break;
		case OPT_STATE:
			o->bridge.state_path = optarg;
			break;
		case OPT_AUTH_PIN:
			o->auth_pin = optarg;
			ok = *optarg && strlen(optarg) <= VCARD_PIN_MAX;
			break;
		case OPT_SIGN_PIN:
			o->sign_pin = optarg;
			ok = *optarg && strlen(optarg) <= VCARD_PIN_MAX;
			break;
		case OPT_RESET_COUNTERS:
			o->reset_counters = true;
			break;
		case OPT_INIT_STATE:
			o->init_state = true;
			break;
		case OPT_LATENCY:
			ok = latency_parse(optarg, &o->bridge.lat) == 0;
			break;
		case OPT_TRACE:
			o->trace_path = optarg;
			break;
		case OPT_CONTROL:
			o->control_path = optarg;
			break;
		case OPT_CTL:
			*ctl = optarg;
			break;
		case OPT_REMOVE_AFTER:
			ok = parse_number(optarg, 10, ~0UL, &o->bridge.remove_after) == 0 &&
			     o->bridge.remove_after;
			break;
		case OPT_REMOVE_DURING:
			ok = parse_number(optarg, 10, ~0UL, &o->bridge.remove_during) == 0 &&
			     o->bridge.remove_during;
			break;
		case OPT_REMOVED:
			o->bridge.start_removed = true;
			break;
		case OPT_RESET_AT:
			ok = parse_number(optarg, 10, ~0UL, &o->bridge.reset_at) == 0 &&
			     o->bridge.reset_at;
			break;
		case OPT_GARBAGE_AT:
			ok = parse_number(optarg, 10, ~0UL, &o->bridge.garbage_at) == 0 &&
			     o->bridge.garbage_at;
			break;
		case OPT_SW_AT:
			ok = parse_number(optarg, 10, ~0UL, &o->bridge.sw_at) == 0 &&
			     o->bridge.sw_at;
			break;
		case OPT_FAULT_SW:
			ok = strlen(optarg) == 4 && parse_number(optarg, 16, 0xFFFF, &v) == 0;
			o->bridge.fault_sw = (unsigned)v;
			break;
		case OPT_QUIRK:
			ok = parse_quirk(optarg, &o->cfg.quirks) == 0;
			break;
		case OPT_FILLER:
			ok = parse_number(optarg, 16, 0xFF, &v) == 0;
			o->cfg.quirks.cert_filler = (uint8_t)v;
			break;
		case OPT_CERT_EF_SIZE:
			ok = parse_number(optarg, 10, 0xFFFF, &v) == 0;
			o->cfg.quirks.cert_ef_size = v;
			break;
		case OPT_VERBOSE:
			o->bridge.verbose = true;
			break;
		case OPT_HELP:
			usage(stdout);
			return 1;
		default:
			return -1;
		}
		if (!ok) {
			fprintf(stderr, "jpki-vcard: invalid value for --%s: %s\n",
				long_options[c - OPT_HOST].name, optarg);
			return -1;
		}
	}
	if (optind < argc && !*ctl) {
		fprintf(stderr, "jpki-vcard: unexpected argument: %s\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int prepare_state(const struct options *o, struct vcard_pins *pins)
{
	if (!o->bridge.state_path)
		vcard_state_defaults(pins);
	else if (vcard_state_load(o->bridge.state_path, pins) != 0)
		return -1;
	if (o->auth_pin)
		snprintf(pins->auth_pin, sizeof(pins->auth_pin), "%s", o->auth_pin);
	if (o->sign_pin)
		snprintf(pins->sign_pin, sizeof(pins->sign_pin), "%s", o->sign_pin);
	if (o->reset_counters) {
		pins->auth_tries = VCARD_AUTH_MAX_TRIES;
		pins->sign_tries = VCARD_SIGN_MAX_TRIES;
	}
	/* Written at once, so that tests can read the counters before the first APDU. */
	if (o->bridge.state_path && vcard_state_save(o->bridge.state_path, pins) != 0)
		return -1;
	return 0;
}

static int run_card(const struct options *o, struct vcard_pins *pins)
{
	struct vcard_identity id;
	struct vcard_pki pki;
	struct vcard *card = NULL;
	struct trace *trace = NULL;
	int lfd = -1, rc = 1;

	if (!o->pki_dir) {
		fprintf(stderr, "jpki-vcard: no test PKI: give --pki DIR or set JPKI_TEST_PKI\n");
		return 1;
	}
	if (vcard_pki_load(o->pki_dir, o->identity, &pki) != 0)
		return 1;
	vcard_pki_identity(&pki, o->cfg.profile, &id);
	card = vcard_new(&o->cfg, &id, pins);
	if (!card) {
		fprintf(stderr, "jpki-vcard: cannot create the card\n");
		goto out;
	}
	if (o->trace_path && !(trace = trace_open(o->trace_path)))
		goto out;
	if (o->control_path && (lfd = control_listen(o->control_path)) < 0)
		goto out;
	rc = bridge_run(&o->bridge, card, pins, trace, lfd) == 0 ? 0 : 1;
	if (o->bridge.state_path && vcard_state_save(o->bridge.state_path, pins) != 0)
		rc = 1;
out:
	if (lfd >= 0) {
		close(lfd);
		unlink(o->control_path);
	}
	trace_close(trace);
	vcard_free(card);
	vcard_pki_free(&pki);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = {.bridge = {.host = "127.0.0.1", .port = VPCD_DEFAULT_PORT}};
	struct vcard_pins pins;
	const char *ctl = NULL;
	int r;

	o.pki_dir = getenv("JPKI_TEST_PKI");
	vcard_config_defaults(&o.cfg);
	latency_parse("none", &o.bridge.lat);
	r = parse_options(argc, argv, &o, &ctl);
	if (r != 0) {
		if (r < 0)
			fprintf(stderr, "Try 'jpki-vcard --help'.\n");
		return r < 0 ? 2 : 0;
	}
	if (ctl) {
		if (optind == argc) {
			fprintf(stderr, "jpki-vcard: --ctl needs a command\n");
			return 2;
		}
		return control_client(ctl, argc - optind, argv + optind);
	}
	if (o.init_state && !o.bridge.state_path) {
		fprintf(stderr, "jpki-vcard: --init-state needs --state FILE\n");
		return 2;
	}
	if (prepare_state(&o, &pins) != 0)
		return 1;
	if (o.init_state) {
		printf("auth_tries=%d sign_tries=%d\n", pins.auth_tries, pins.sign_tries);
		return 0;
	}
	return run_card(&o, &pins);
}
