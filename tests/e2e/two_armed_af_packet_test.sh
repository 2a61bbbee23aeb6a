#!/usr/bin/env bash
# Two-armed siitd on net_af_packet between an IPv6-only host and an IPv4-only host, each a real
# kernel in its own network namespace. Checks ping both ways (EAMT and pool6 addresses), an HTTP
# fetch from the IPv4 host to a web server on the IPv6 host, and siitd's counters. Both kernels
# validate every checksum they receive.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

two_armed_topology
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }

translates_both_ways two-armed
stats=$(stop_siitd)
check "two-armed: siitd counted ICMP echo both ways" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_6to4_icmp_echo'] >= 6 and s['translated_4to6_icmp_echo'] >= 6, s"
check "two-armed: siitd counted TCP both ways, and no translation drop" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_4to6_tcp'] >= 3 and s['translated_6to4_tcp'] >= 3, s
# The IPv6 host's own multicast (MLD reports, router solicitations to ff02::) is not for
# translation: counted as drop_untranslatable_dst6 on a port without a kernel interface to take it.
assert all(v == 0 for k, v in s.items() if k.startswith('drop_') and k not in ('drop_not_ip', 'drop_untranslatable_dst6')), s"
e2e_summary
