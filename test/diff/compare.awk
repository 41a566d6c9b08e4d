# SPDX-License-Identifier: LGPL-2.1-or-later
# Compares two p11diff outputs (reference = softhsm2, then ours) for one token pair against the
# justified differences. Usage:
#   awk -v pair=auth -f compare.awk expected-differences softhsm.out jpki.out
# expected-differences lines: PAIR CHECK SOFTHSM_RESULT JPKI_RESULT JUSTIFICATION...
# (PAIR is a pair name or "both"). Fails on an unlisted difference, on a listed difference
# that did not occur, and on checks missing from either output. Prints a summary.

function fail(msg) {
	print "p11diff[" pair "]: " msg
	errors++
}

FILENAME == ARGV[1] {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	if (NF < 5) {
		fail("expected-differences:" FNR ": want PAIR CHECK SOFTHSM JPKI JUSTIFICATION")
		next
	}
	if ($1 != pair && $1 != "both")
		next
	if ($2 in exp_ref)
		fail("expected-differences:" FNR ": " $2 " listed twice")
	exp_ref[$2] = $3
	exp_ours[$2] = $4
	next
}
FILENAME == ARGV[2] {
	ref[$1] = $2
	order[++n] = $1
	next
}
FILENAME == ARGV[3] {
	ours[$1] = $2
	next
}
END {
	for (i = 1; i <= n; i++) {
		name = order[i]
		a = ref[name]
		if (!(name in ours)) {
			fail(name ": missing from our output")
			continue
		}
		b = ours[name]
		listed = name in exp_ref
		if (a ~ /^n\/a/ || b ~ /^n\/a/) {
			na++
			if (listed)
				fail(name ": listed as a difference, but not applicable now (" a " | " b ")")
		} else if (a == b) {
			same++
			if (listed)
				fail(name ": listed difference no longer occurs (both " a ")")
		} else if (!listed) {
			fail(name ": UNLISTED difference\n    softhsm2: " a "\n    jpki:     " b)
		} else if (exp_ref[name] != a || exp_ours[name] != b) {
			fail(name ": difference changed\n    softhsm2: " a " (listed " exp_ref[name] \
			     ")\n    jpki:     " b " (listed " exp_ours[name] ")")
		} else {
			justified++
		}
	}
	for (name in ours)
		if (!(name in ref))
			fail(name ": missing from the softhsm2 output")
	for (name in exp_ref)
		if (!(name in ref))
			fail(name ": listed in expected-differences but not a check")
	printf "p11diff[%s]: %d checks, %d same, %d justified differences, %d not applicable, %d errors\n",
	       pair, n, same, justified, na, errors
	exit errors > 0
}
