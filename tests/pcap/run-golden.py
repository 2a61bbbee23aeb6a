#!/usr/bin/python3
"""Replays every golden scenario under pcaps/ through the real siitd on net_pcap and compares.

For each scenario: siitd runs with the scenario's config (its @DIR@ and @OUT@ replaced), reads the
input pcap(s), writes what it sends, and prints its counters. The test checks every sent frame
against the expected pcap, byte for byte, except the IPv4 Identification of unfragmented packets
(siitd generates those at random: RFC 6864 requires them unique only for fragments) and the
checksums covering it, which must instead be valid. Counters must match counters.json exactly, and
every other outcome counter must be zero. One-armed scenarios compare in order; two-armed ones per
port as a multiset (two ports' bursts interleave).

Usage: run-golden.py SIITD [--eamt-prefetch auto|always|never] [SCENARIO...]
Ends with "golden: N passed, N failed". --eamt-prefetch sets that setting in every scenario's
config: "always" runs the workers' staged pipeline (EAMT lookups prefetched a burst ahead), which
siitd otherwise takes only for tables larger than the caches, against the same expected output.
"""
import json
import os
import subprocess
import sys
import tempfile

from scapy.all import Ether, rdpcap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PCAPS = os.path.join(ROOT, "pcaps")


def checksum_ok(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s == 0xffff


def normalise_ipv4(b, off, problems, outer):
    if len(b) < off + 20:
        return
    ihl = (b[off] & 15) * 4
    if len(b) < off + ihl:
        return
    fragment = ((b[off + 6] & 0x3f) << 8 | b[off + 7]) != 0
    if not checksum_ok(bytes(b[off:off + ihl])):
        problems.append(f"IPv4 header checksum invalid (header at byte {off})")
    if not fragment:
        b[off + 4:off + 6] = b"\0\0"
    b[off + 10:off + 12] = b"\0\0"
    if outer and b[off + 9] == 1 and not fragment:
        icmp = off + ihl
        total = int.from_bytes(b[off + 2:off + 4], "big")
        if not checksum_ok(bytes(b[icmp:off + total])):
            problems.append("ICMPv4 checksum invalid")
        if icmp < len(b) and b[icmp] in (3, 11, 12):
            b[icmp + 2:icmp + 4] = b"\0\0"
            normalise_ipv4(b, icmp + 8, problems, False)


def normalise(frame):
    b = bytearray(frame)
    problems = []
    l2 = 18 if len(b) >= 18 and b[12:14] == b"\x81\x00" else 14  # behind an 802.1Q tag
    if len(b) >= l2 and b[l2 - 2:l2] == b"\x08\x00":
        normalise_ipv4(b, l2, problems, True)
    return bytes(b), problems


def describe(a, e):
    i = 0
    while i < min(len(a), len(e)) and a[i] == e[i]:
        i += 1
    return (f"first difference at byte {i} (lengths {len(a)} and {len(e)})\n"
            f"      sent:     {Ether(a).summary()}\n      expected: {Ether(e).summary()}\n"
            f"      sent hex:     {a.hex()[:400]}\n      expected hex: {e.hex()[:400]}")


def run_scenario(siitd, name, eamt_prefetch=None):
    d = os.path.join(PCAPS, name)
    out = tempfile.mkdtemp(prefix=f"golden-{name}-")
    config = open(os.path.join(d, "config.json")).read().replace("@DIR@", d).replace("@OUT@", out)
    if eamt_prefetch:
        parsed = json.loads(config)
        parsed["eamt-prefetch"] = eamt_prefetch
        config = json.dumps(parsed)
    config_path = os.path.join(out, "config.json")
    open(config_path, "w").write(config)
    try:
        proc = subprocess.run([siitd, "--config", config_path, "--no-control", "--exit-idle-ms", "400", "--stats-json",
                               "--log-level", "warning"], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return ["siitd did not stop within 120 s"]
    if proc.returncode != 0:
        return [f"siitd exited {proc.returncode}: {proc.stderr.strip()[-800:]}"]
    stats_lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if not stats_lines:
        return ["siitd printed no counters"]
    stats = json.loads(stats_lines[-1])
    failures = []

    expected_counters = json.load(open(os.path.join(d, "counters.json")))
    for key, value in sorted(stats.items()):
        want = expected_counters.get(key, 0)
        if key == "icmp_errors_sent":
            continue  # equals the replies, already checked as packets and per-rule counters
        if key == "busy_cycles":  # a measurement, not an outcome: it only has to have run
            if stats.get("rx_packets", 0) > 0 and value == 0:
                failures.append("busy_cycles = 0 although packets were received")
            continue
        if value != want:
            failures.append(f"counter {key} = {value}, expected {want}")

    two_armed = os.path.exists(os.path.join(d, "expected-ipv4.pcap"))
    sides = [("-ipv4", "output-ipv4.pcap"), ("-ipv6", "output-ipv6.pcap")] if two_armed else [("", "output.pcap")]
    names = []
    if os.path.exists(os.path.join(d, "expected-names.txt")):
        names = open(os.path.join(d, "expected-names.txt")).read().splitlines()
    for suffix, output in sides:
        expected_path = os.path.join(d, f"expected{suffix}.pcap")
        expected = [bytes(p) for p in rdpcap(expected_path)] if os.path.getsize(expected_path) > 24 else []
        out_path = os.path.join(out, output)
        sent = [bytes(p) for p in rdpcap(out_path)] if os.path.exists(out_path) and os.path.getsize(out_path) > 24 else []
        norm_sent, norm_expected = [], [normalise(e)[0] for e in expected]
        for i, s in enumerate(sent):
            n, problems = normalise(s)
            norm_sent.append(n)
            for p in problems:
                failures.append(f"sent frame {i}{suffix}: {p}")
        if two_armed:
            norm_sent_sorted, norm_expected_sorted = sorted(norm_sent), sorted(norm_expected)
            if norm_sent_sorted != norm_expected_sorted:
                missing = [e for e in norm_expected_sorted if e not in norm_sent_sorted]
                extra = [s for s in norm_sent_sorted if s not in norm_expected_sorted]
                failures.append(f"port{suffix}: {len(sent)} frames sent, {len(expected)} expected; "
                                f"{len(missing)} expected frames missing, {len(extra)} unexpected")
                for m in missing[:3]:
                    failures.append(f"  missing: {Ether(m).summary()}")
                for x in extra[:3]:
                    failures.append(f"  unexpected: {Ether(x).summary()}")
            continue
        if len(sent) != len(expected):
            failures.append(f"{len(sent)} frames sent, {len(expected)} expected")
        for i, (a, e) in enumerate(zip(norm_sent, norm_expected)):
            if a != e:
                rule = names[i] if i < len(names) else "?"
                failures.append(f"frame {i} ({rule}): {describe(a, e)}")
    return failures


def main():
    siitd = sys.argv[1]
    args = sys.argv[2:]
    eamt_prefetch = None
    if args[:1] == ["--eamt-prefetch"]:
        if len(args) < 2 or args[1] not in ("auto", "always", "never"):
            print("run-golden.py: --eamt-prefetch needs auto, always or never")
            print("golden: 0 passed, 1 failed")
            return 1
        eamt_prefetch, args = args[1], args[2:]
    scenarios = args or sorted(e for e in os.listdir(PCAPS) if os.path.isdir(os.path.join(PCAPS, e)))
    passed = failed = 0
    for scenario in scenarios:
        name = scenario + (f" (eamt-prefetch {eamt_prefetch})" if eamt_prefetch else "")
        failures = run_scenario(siitd, scenario, eamt_prefetch)
        if failures:
            failed += 1
            print(f"FAILED golden {name}")
            for f in failures[:20]:
                print(f"    {f}")
        else:
            passed += 1
            print(f"ok golden {name}")
    print(f"golden: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


sys.exit(main())
