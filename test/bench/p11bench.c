/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * p11bench: runs one flow of doc/performance.md against a PKCS#11 module on a virtual card
 * and prints one line of numbers; test/bench/run-bench.sh runs every flow for each module and
 * builds the comparison table.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/bench/flows.h"

static const struct {
	char name;
	int (*run)(struct flow_ctx *ctx);
} flows[] = {
    {'A', flow_startup},   {'B', flow_client_auth}, {'C', flow_document_sign},
    {'D', flow_sign_many}, {'E', flow_token_info},
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: p11bench --module PATH --ctl PATH --flow A|B|C|D|E [OPTION]...\n"
		"Runs one flow against the module and prints\n"
		"  flow=X apdus=N bytes=N wall_us=N cpu_us=N ops=N\n"
		"counted by the virtual card (its --control socket PATH) and by this process.\n"
		"  A  start-up as a browser does it (C_Initialize .. C_Finalize)\n"
		"  B  login to the auth token and one signature (whole process)\n"
		"  C  login to the sign token, read its certificate, one signature\n"
		"  D  COUNT signatures with the auth key after one login (the signatures only)\n"
		"  E  COUNT C_GetTokenInfo calls after a start-up (the calls only)\n"
		"Options:\n"
		"  --count N         signatures (D) or calls (E), default 100\n"
		"  --auth-pin PIN    default 1234\n"
		"  --sign-pin PASS   default PASS1234\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"module", required_argument, NULL, 'm'},	{"ctl", required_argument, NULL, 'c'},
	    {"flow", required_argument, NULL, 'f'},	{"count", required_argument, NULL, 'n'},
	    {"auth-pin", required_argument, NULL, 'a'}, {"sign-pin", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},		{NULL, 0, NULL, 0}};
	struct flow_ctx ctx = {.auth_pin = "1234", .sign_pin = "PASS1234", .count = 100};
	struct bench_module mod;
	const char *module = NULL, *flow = NULL;
	int (*run)(struct flow_ctx *) = NULL;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			module = optarg;
			break;
		case 'c':
			ctx.meter.ctl = optarg;
			break;
		case 'f':
			flow = optarg;
			break;
		case 'n':
			ctx.count = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'a':
			ctx.auth_pin = optarg;
			break;
		case 's':
			ctx.sign_pin = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (size_t i = 0; flow && i < sizeof(flows) / sizeof(flows[0]); i++)
		if (strlen(flow) == 1 && flow[0] == flows[i].name)
			run = flows[i].run;
	if (!module || !ctx.meter.ctl || !run || ctx.count == 0 || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (bench_module_load(module, &mod) != 0)
		return 1;
	ctx.f = mod.f;
	rc = run(&ctx);
	bench_module_unload(&mod);
	if (rc != 0) {
		fprintf(stderr, "p11bench: flow %s failed\n", flow);
		return 1;
	}
	printf("flow=%s apdus=%lu bytes=%lu wall_us=%lld cpu_us=%lld ops=%u\n", flow,
	       ctx.meter.apdus, ctx.meter.bytes, ctx.meter.wall_us, ctx.meter.cpu_us,
	       run == flow_sign_many || run == flow_token_info ? ctx.count : 1);
	return 0;
}
