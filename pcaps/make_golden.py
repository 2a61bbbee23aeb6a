#!/usr/bin/python3
"""Builds the golden pcap scenarios under pcaps/ from tests/fixtures/rfc7915.txt.

The fixtures' packets were built with scapy, independently of lib/ (see
tests/fixtures/make_rfc7915_fixtures.py). Here each fixture's input becomes an Ethernet frame from a
client, and its expected outputs the frames siitd must send: translated packets to the egress
port's next hop, ICMP errors back to the frame's sender. Fixtures sharing a configuration form
one scenario, replayed through the real siitd on net_pcap by tests/pcap/run-golden.py.

Scenario layout: pcaps/NAME/{config.json, input.pcap, expected.pcap, counters.json}, and for the
two-armed scenario input-ipv4.pcap, input-ipv6.pcap, expected-ipv4.pcap, expected-ipv6.pcap.
Run: /usr/bin/python3 pcaps/make_golden.py
"""
import json
import os
import shutil
from collections import Counter, OrderedDict

from scapy.all import ARP, IP, UDP, Dot1Q, Ether, Raw, wrpcap

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures", "rfc7915.txt")
CLIENT_MAC, SIITD_MAC, NEXT_HOP_MAC = "02:00:00:00:00:01", "02:00:00:00:00:aa", "02:00:00:00:00:bb"
SIITD4_MAC, SIITD6_MAC = "02:00:00:00:04:aa", "02:00:00:00:06:aa"
NEXT_HOP4_MAC, NEXT_HOP6_MAC = "02:00:00:00:04:bb", "02:00:00:00:06:bb"


def load_fixtures():
    cases, cur = [], None
    for line in open(FIXTURES):
        word, _, rest = line.rstrip("\n").partition(" ")
        if word == "case":
            cur = {"name": rest, "outputs": []}
        elif word == "config":
            cur["config"] = rest.split()
        elif word == "direction":
            cur["direction"] = rest
        elif word == "input":
            cur["input"] = bytes.fromhex(rest)
        elif word == "expect":
            cur["action"], cur["counter"] = rest.split()
        elif word == "output":
            cur["outputs"].append(bytes.fromhex(rest))
        elif word == "end":
            cases.append(cur)
    return cases


def translation_json(settings):
    """The fixture's settings as siitd's "translation" object, plus the port MTU they need."""
    t = OrderedDict()
    mtu4 = mtu6 = 1500
    for s in settings:
        key, _, value = s.partition("=")
        if key == "pool6":
            t["pool6"] = value
        elif key == "eam":
            v4, v6 = value.split(",")
            t.setdefault("eamt", []).append({"ipv4": v4, "ipv6": v6})
        elif key == "denylist4":
            t.setdefault("denylist4", []).append(value)
        elif key in ("pool6791v4", "pool6791v6"):
            t[key] = value
        elif key in ("reset_traffic_class", "reset_tos", "amend_udp_checksum_zero"):
            t[key.replace("_", "-")] = value == "true"
        elif key in ("new_tos", "lowest_ipv6_mtu"):
            t[key.replace("_", "-")] = int(value)
        elif key == "hairpin_mode":
            t["eam-hairpin-mode"] = value
        elif key == "ipv4_mtu":
            mtu4 = int(value)
        elif key == "ipv6_mtu":
            mtu6 = int(value)
        elif key == "id_seed":
            pass  # siitd seeds Identifications at random; run-golden.py checks them by rule instead
        else:
            raise SystemExit(f"make_golden: fixture setting {key} has no siitd equivalent")
    return t, mtu4, mtu6


def frame_in(case, src_mac, dst_mac):
    return Ether(src=src_mac, dst=dst_mac, type=0x800 if case["direction"] == "4to6" else 0x86dd) / Raw(case["input"])


def frames_out(case, siitd_mac, next_hop_mac):
    out = []
    for o in case["outputs"]:
        ethertype = 0x800 if o[0] >> 4 == 4 else 0x86dd
        dst = CLIENT_MAC if case["action"] == "reply" else next_hop_mac
        out.append(Ether(src=siitd_mac, dst=dst, type=ethertype) / Raw(o))
    return out


EAL = ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "-l", "0"]


def write_scenario(name, cases, translation, mtu, extra_frames=(), extra_counters=None, vlan=None, settings=None):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    inputs, expected = [], []
    counters = Counter()
    for c in cases:
        inputs.append(frame_in(c, CLIENT_MAC, SIITD_MAC))
        expected += frames_out(c, SIITD_MAC, NEXT_HOP_MAC)
        counters[c["counter"]] += 1
    if vlan is not None:  # the same frames with an 802.1Q tag, which siitd must keep
        def tag(f):
            e = Ether(bytes(f))
            return Ether(src=e.src, dst=e.dst, type=0x8100) / Dot1Q(vlan=vlan, type=e.type) / e.payload
        inputs = [tag(f) for f in inputs]
        expected = [tag(f) for f in expected]
    inputs += list(extra_frames)
    counters.update(extra_counters or {})
    counters["rx_packets"] = len(inputs)
    counters["tx_packets"] = len(expected)
    wrpcap(os.path.join(d, "input.pcap"), inputs)
    wrpcap(os.path.join(d, "expected.pcap"), expected)
    with open(os.path.join(d, "expected-names.txt"), "w") as names:
        for c in cases:
            for _ in c["outputs"]:
                names.write(c["name"] + "\n")
    config = OrderedDict(
        eal=EAL + ["--vdev", "net_pcap0,rx_pcap=@DIR@/input.pcap,tx_pcap=@OUT@/output.pcap"],
        ports=[{"name": "lan", "device": "net_pcap0", "role": "both", "mac": SIITD_MAC, "next-hop-mac": NEXT_HOP_MAC,
                "mtu": mtu}],
        mbufs=2047,
        translation=translation)
    config.update(settings or {})
    json.dump(config, open(os.path.join(d, "config.json"), "w"), indent=2)
    json.dump(dict(sorted(counters.items())), open(os.path.join(d, "counters.json"), "w"), indent=2)


def write_two_armed(name, cases, translation):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    ins = {"ipv4": [], "ipv6": []}
    outs = {"ipv4": [], "ipv6": []}
    counters = Counter()
    for c in cases:
        side = "ipv4" if c["direction"] == "4to6" else "ipv6"
        ins[side].append(frame_in(c, CLIENT_MAC, SIITD4_MAC if side == "ipv4" else SIITD6_MAC))
        for o in c["outputs"]:
            out_side = "ipv4" if o[0] >> 4 == 4 else "ipv6"
            if c["action"] == "reply":
                dst = CLIENT_MAC
            else:
                dst = NEXT_HOP4_MAC if out_side == "ipv4" else NEXT_HOP6_MAC
            outs[out_side].append(Ether(src=SIITD4_MAC if out_side == "ipv4" else SIITD6_MAC, dst=dst,
                                        type=0x800 if out_side == "ipv4" else 0x86dd) / Raw(o))
        counters[c["counter"]] += 1
    counters["rx_packets"] = len(ins["ipv4"]) + len(ins["ipv6"])
    counters["tx_packets"] = len(outs["ipv4"]) + len(outs["ipv6"])
    for side in ("ipv4", "ipv6"):
        wrpcap(os.path.join(d, f"input-{side}.pcap"), ins[side])
        wrpcap(os.path.join(d, f"expected-{side}.pcap"), outs[side])
    config = OrderedDict(
        eal=EAL + ["--vdev", "net_pcap0,rx_pcap=@DIR@/input-ipv4.pcap,tx_pcap=@OUT@/output-ipv4.pcap",
                   "--vdev", "net_pcap1,rx_pcap=@DIR@/input-ipv6.pcap,tx_pcap=@OUT@/output-ipv6.pcap"],
        ports=[{"name": "ipv4-side", "device": "net_pcap0", "role": "ipv4", "mac": SIITD4_MAC,
                "next-hop-mac": NEXT_HOP4_MAC},
               {"name": "ipv6-side", "device": "net_pcap1", "role": "ipv6", "mac": SIITD6_MAC,
                "next-hop-mac": NEXT_HOP6_MAC}],
        mbufs=2047,
        translation=translation)
    json.dump(config, open(os.path.join(d, "config.json"), "w"), indent=2)
    json.dump(dict(sorted(counters.items())), open(os.path.join(d, "counters.json"), "w"), indent=2)


def main():
    cases = load_fixtures()
    groups = OrderedDict()
    skipped = []
    for c in cases:
        translation, mtu4, mtu6 = translation_json(c["config"])
        if mtu4 != mtu6:
            skipped.append(c["name"])  # one link can only have one MTU; the unit fixtures cover these
            continue
        key = json.dumps([translation, mtu4])
        groups.setdefault(key, []).append(c)
    for entry in os.listdir(HERE):
        if os.path.isdir(os.path.join(HERE, entry)):
            shutil.rmtree(os.path.join(HERE, entry))
    base_key = next(iter(groups))
    for i, (key, group) in enumerate(groups.items()):
        translation, mtu = json.loads(key)
        name = "one-armed-base" if key == base_key else f"one-armed-config{i:02d}"
        extra = ()
        extra_counters = None
        if key == base_key:
            # Frames the translator never sees: ARP, and a runt shorter than an Ethernet header.
            extra = (Ether(src=CLIENT_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(pdst="198.51.100.5"),
                     Raw(b"\x02\x00\x00\x00\x00\xaa\x02\x00\x00\x00"))
            extra_counters = {"drop_not_ip": 1, "drop_runt_frame": 1}
        write_scenario(name, group, translation, mtu, extra, extra_counters)
    base_cases, base_translation = groups[base_key], json.loads(base_key)[0]
    write_two_armed("two-armed-base", base_cases, base_translation)
    forwarded = [c for c in base_cases if c["action"] == "forward"][:12]
    write_scenario("one-armed-vlan", forwarded, base_translation, 1500, vlan=100)
    # RFC 4443 2.4(f): a bucket of one error refilled once a second: five TTL-expired packets
    # within the second, one error.
    expiring = [c for c in base_cases if c["counter"] == "drop_ipv4_ttl_expired"]
    rate_cases = [dict(expiring[0], outputs=expiring[0]["outputs"] if i == 0 else []) for i in range(5)]
    write_scenario("one-armed-icmp-rate-limit", rate_cases, base_translation, 1500,
                   extra_counters={"icmp_errors_rate_limited": 4},
                   settings={"icmp-errors-per-second": 1, "icmp-error-burst": 1})
    # RFC 7915 4.4 and 5.4: errors "not sent" at all when the rate is zero.
    silent_cases = [dict(expiring[0], outputs=[]) for _ in range(5)]
    write_scenario("one-armed-icmp-errors-off", silent_cases, base_translation, 1500,
                   extra_counters={"icmp_errors_rate_limited": 5},
                   settings={"icmp-errors-per-second": 0, "icmp-error-burst": 1})
    print(f"make_golden: {len(groups) + 4} scenarios from {len(cases) - len(skipped)} fixtures "
          f"({len(skipped)} with unequal IPv4/IPv6 MTUs stay unit-only)")


main()
