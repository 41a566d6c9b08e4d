/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/vcard/fault.h"

#define GARBAGE_MAX 64

void fault_plan_init(struct fault_plan *p)
{
	for (int k = 0; k < FAULT_KINDS; k++)
		p->left[k] = 0;
	p->sw = FAULT_DEFAULT_SW;
	p->seed = 0x9E3779B97F4A7C15u;
}

void fault_arm(struct fault_plan *p, enum fault_kind kind, unsigned long n)
{
	if (kind < FAULT_KINDS)
		p->left[kind] = n;
}

unsigned fault_armed(const struct fault_plan *p)
{
	unsigned n = 0;

	for (int k = 0; k < FAULT_KINDS; k++)
		n += p->left[k] != 0;
	return n;
}

unsigned fault_step(struct fault_plan *p)
{
	unsigned fired = 0;

	for (int k = 0; k < FAULT_KINDS; k++)
		if (p->left[k] && --p->left[k] == 0)
			fired |= 1u << k;
	return fired;
}

static uint8_t next_byte(struct fault_plan *p)
{
	/* xorshift64*: reproducible, so a failing run can be repeated */
	p->seed ^= p->seed >> 12;
	p->seed ^= p->seed << 25;
	p->seed ^= p->seed >> 27;
	return (uint8_t)((p->seed * 0x2545F4914F6CDD1Du) >> 56);
}

size_t fault_garbage(struct fault_plan *p, uint8_t *resp)
{
	size_t len = 1 + next_byte(p) % GARBAGE_MAX;
	uint8_t sw1;

	for (size_t i = 0; i < len; i++)
		resp[i] = next_byte(p);
	if (len >= 2) {
		sw1 = resp[len - 2];
		if (sw1 == 0x90 || sw1 == 0x61 || sw1 == 0x62 || sw1 == 0x63)
			resp[len - 2] = 0x6F;
	}
	return len;
}

void fault_wrong_sw(uint8_t *resp, size_t len, uint16_t sw)
{
	resp[len - 2] = (uint8_t)(sw >> 8);
	resp[len - 1] = (uint8_t)sw;
}
