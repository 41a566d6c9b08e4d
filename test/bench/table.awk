# SPDX-License-Identifier: LGPL-2.1-or-later
# The comparison table of run-bench.sh, from its results.txt lines:
#   module=NAME latency=none|contact run=R flow=X apdus=N bytes=N wall_us=N cpu_us=N ops=N
#   module=NAME latency=... run=R flow=X status=fail
# APDUs and bytes: the contact run (any other run that counted differently is noted);
# wall time: the contact run; CPU: the least of the zero-latency runs (D: per signature).
# Then the targets of doc/performance.md, each met or missed (never an error).

function parse(i, p)
{
	split("", F)
	for (i = 1; i <= NF; i++) {
		p = index($i, "=")
		F[substr($i, 1, p - 1)] = substr($i, p + 1)
	}
}

# The least CPU time of the zero-latency runs: other processes on the machine only ever add to
# it (cache misses, migrations), so the minimum is the steadiest estimate of the module's cost.
function least(key, i, v)
{
	v = cpu[key, 1]
	for (i = 2; i <= ncpu[key]; i++)
		if (cpu[key, i] < v)
			v = cpu[key, i]
	return v
}

function has(m, f) { return ((m, f) in apdus) }

function cell(m, f, what, fmt)
{
	if ((m, f) in failed)
		return "fail"
	if (!has(m, f))
		return "-"
	if (what == "apdus") return apdus[m, f]
	if (what == "bytes") return bytes[m, f]
	if (what == "ms") return ((m, f) in wall) ? sprintf("%.1f", wall[m, f] / 1000) : "-"
	if (what == "cpu") return ncpu[m, f] ? sprintf(fmt, least(m SUBSEP f) / 1000) : "-"
}

function ratio(a, b)
{
	if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0)
		return "-"
	return sprintf("%.2f", a / b)
}

# verdict OK TEXT — "met"/"missed" with the evidence; "n/a" when a number is missing.
function verdict(ok, text)
{
	return (ok == "" ? "n/a" : ok ? "met" : "MISSED") " (" text ")"
}

function le(a, limit)
{
	return (a ~ /^[0-9.]+$/ && limit ~ /^[0-9.]+$/) ? (a + 0 <= limit + 0) : ""
}

{
	parse()
	key = F["module"] SUBSEP F["flow"]
	if (F["status"] == "fail") {
		failed[key] = 1
		next
	}
	if (F["latency"] == "contact" || !has(F["module"], F["flow"])) {
		if (has(F["module"], F["flow"]) && (apdus[key] != F["apdus"] || bytes[key] != F["bytes"]))
			note = note sprintf("- %s %s: the runs counted %s APDUs / %s bytes and %s / %s\n",
				F["module"], F["flow"], apdus[key], bytes[key], F["apdus"], F["bytes"])
		apdus[key] = F["apdus"]
		bytes[key] = F["bytes"]
	} else if (apdus[key] != F["apdus"] || bytes[key] != F["bytes"]) {
		note = note sprintf("- %s %s run %s (no latency): %s APDUs / %s bytes, not %s / %s\n",
			F["module"], F["flow"], F["run"], F["apdus"], F["bytes"], apdus[key], bytes[key])
	}
	if (F["latency"] == "contact")
		wall[key] = F["wall_us"]
	else
		cpu[key, ++ncpu[key]] = F["cpu_us"] / (F["flow"] == "D" ? F["ops"] : 1)
}

END {
	label["A"] = "A start-up (cold)"
	label["F"] = "F start-up again (warm)"
	label["B"] = "B login + 1 signature (auth)"
	label["C"] = "C sign login + cert + 1 signature"
	label["D"] = "D " count " signatures (CPU per signature)"
	label["E"] = "E " count " C_GetTokenInfo"
	print "| flow | ours APDUs | OpenSC APDUs | ratio | ours bytes | OpenSC bytes " \
	      "| ours ms (contact) | OpenSC ms | ratio | ours CPU ms | OpenSC CPU ms | ratio |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	n = split("A F B C D E", order, " ")
	for (i = 1; i <= n; i++) {
		f = order[i]
		fmt = f == "D" ? "%.3f" : "%.2f"
		oa = cell("ours", f, "apdus"); sa = cell("opensc", f, "apdus")
		om = cell("ours", f, "ms"); sm = cell("opensc", f, "ms")
		oc = cell("ours", f, "cpu", fmt); sc = cell("opensc", f, "cpu", fmt)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label[f],
		       oa, sa, ratio(oa, sa), cell("ours", f, "bytes"), cell("opensc", f, "bytes"),
		       om, sm, ratio(om, sm), oc, sc, ratio(oc, sc)
	}

	print ""
	print "Targets (issue 6):"
	oa = cell("ours", "A", "apdus"); sa = cell("opensc", "A", "apdus")
	om = cell("ours", "A", "ms"); sm = cell("opensc", "A", "ms")
	print "- A APDUs <= 0.4 x OpenSC: " verdict(le(ratio(oa, sa), 0.4), "ratio " ratio(oa, sa))
	print "- A simulated time <= 0.4 x OpenSC: " verdict(le(ratio(om, sm), 0.4), "ratio " ratio(om, sm))

	# The least a client-authentication process can send, with the commands every client
	# uses (jpki-card.md §6): SELECT AP (a new process cannot know what is selected),
	# SELECT 0018, VERIFY, SELECT 0017, COMPUTE DIGITAL SIGNATURE. Bytes = command + response:
	# 15+2, 7+2, 9+2 (4-digit PIN), 7+2, 5+51+1 (DigestInfo, Le) + 256+2.
	min_apdus = 5
	min_bytes = 17 + 9 + 11 + 9 + 315
	min_ms = (min_apdus * 4000 + min_bytes * 256 + 300000) / 1000
	ob = cell("ours", "B", "apdus")
	print "- B at the card's minimum (" min_apdus " APDUs, " min_bytes " bytes, " \
	      sprintf("%.1f", min_ms) " ms under contact): " \
	      verdict(le(ob, min_apdus), "ours " ob " APDUs, " cell("ours", "B", "bytes") \
	      " bytes, " cell("ours", "B", "ms") " ms")
	print "    minimum = SELECT AP, SELECT 0018, VERIFY, SELECT 0017, SIGN; no retry query" \
	      " (VERIFY reports the tries left);"
	print "    3 APDUs with the single-source SFI forms (VERIFY P2=98, SIGN P2=97)"

	od = cell("ours", "D", "cpu", "%.3f"); sd = cell("opensc", "D", "cpu", "%.3f")
	print "- D module CPU per signature <= 0.5 x OpenSC: " \
	      verdict(le(ratio(od, sd), 0.5), "ours " od " ms, OpenSC " sd " ms, ratio " ratio(od, sd))
	oe = cell("ours", "E", "apdus")
	print "- E <= 2 APDUs for " count " C_GetTokenInfo: " verdict(le(oe, 2), "ours " oe)
	of = cell("ours", "F", "apdus"); ofm = cell("ours", "F", "ms")
	print "- F APDUs <= 0.1 x OpenSC's A: " verdict(le(ratio(of, sa), 0.1), "ratio " ratio(of, sa))
	print "- F simulated time <= 0.1 x OpenSC's A: " \
	      verdict(le(ratio(ofm, sm), 0.1), "ratio " ratio(ofm, sm))
	if (note != "") {
		print ""
		print "Runs that counted differently:"
		printf "%s", note
	}
}
