#!/usr/bin/env bash
# The Prometheus endpoint (`metrics`) end to end, inside a namespace of its own: siitd on a net_null
# port (zero-filled frames as fast as it can: neither IPv4 nor IPv6, each counted drop_not_ip)
# serves GET /metrics on a TCP address; promtool (Debian's prometheus package) checks the page;
# a real Prometheus server started here scrapes it, and the test reads a counter back through
# Prometheus's query API. Then the same page over a Unix socket, and the refusals.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

NS=${PREFIX}m
e2e_ns "$NS"
PORT=9417
# lib.sh's net_null configuration, its port "null" receiving (net_null's endless packets), and the
# "metrics" key $2 (JSON text).
write_config() { # file metrics-json
  null_port_config "$1" null
  METRICS_JSON=$2 edit_config "$1" "del c['control']; c['ports'][0]['name'] = 'null'
c['eal'][c['eal'].index('net_null0,no-rx=1')] = 'net_null0'
c['metrics'] = json.loads(__import__('os').environ['METRICS_JSON'])"
}
write_config "$E2E_TMP/siitd.json" "\"127.0.0.1:$PORT\""
edit_config "$E2E_TMP/siitd.json" 'c["announce-interface"] = "siitd-up"'
check "siitd --check-config accepts a metrics address" "$SIITD" --check-config "$E2E_TMP/siitd.json"
start_siitd "$NS" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }

fetch() { # url [curl-like method]: the body on stdout; fails on an HTTP error
  ip netns exec "$NS" /usr/bin/python3 - "$@" <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], method=sys.argv[2] if len(sys.argv) > 2 else "GET")
with urllib.request.urlopen(request, timeout=5) as r:
    sys.stdout.write(r.headers["Content-Type"] + "\n" + r.read().decode())
PY
}
export -f fetch
export NS
fetch "http://127.0.0.1:$PORT/metrics" >"$E2E_TMP/page.txt"
check "GET /metrics answers in the Prometheus text format" \
  grep -qx "text/plain; version=0.0.4; charset=utf-8" "$E2E_TMP/page.txt"
sed -i 1d "$E2E_TMP/page.txt"
check "promtool check metrics finds nothing wrong with the page" \
  bash -c "promtool check metrics <'$E2E_TMP/page.txt'"
check "every counter is there, with its description as HELP" bash -c "
  grep -qx '# HELP siitd_drop_not_ip_total frames neither IPv4 nor IPv6, on a port without a kernel interface' '$E2E_TMP/page.txt' &&
  grep -q '^# HELP siitd_drop_wkp_non_global_4to6_total ' '$E2E_TMP/page.txt' &&
  [ \$(grep -c '^# TYPE siitd_.*_total counter' '$E2E_TMP/page.txt') -ge 60 ]"
check "counters are by worker, and by direction and protocol where their names say" bash -c "
  grep -qE '^siitd_drop_not_ip_total\{worker=\"0\"\} [1-9]' '$E2E_TMP/page.txt' &&
  grep -qx 'siitd_translated_4to6_tcp_total{worker=\"0\",direction=\"4to6\",protocol=\"tcp\"} 0' '$E2E_TMP/page.txt'"
check "the ports' statistics and link" bash -c "
  grep -qE '^siitd_port_received_packets_total\{port=\"null\"\} [1-9]' '$E2E_TMP/page.txt' &&
  grep -qx 'siitd_port_link_up{port=\"null\"} 1' '$E2E_TMP/page.txt' &&
  grep -q '^siitd_port_no_mbuf_total{port=\"null\"} ' '$E2E_TMP/page.txt'"
check "each worker's busy time per packet, the mbufs, the EAMT with its digest" bash -c "
  grep -qE '^siitd_worker_busy_seconds_per_packet\{worker=\"0\",lcore=\"0\"\} [0-9.e-]+$' '$E2E_TMP/page.txt' &&
  grep -qx 'siitd_mbufs{state=\"size\"} 2047' '$E2E_TMP/page.txt' &&
  grep -qx 'siitd_eamt_entries 1' '$E2E_TMP/page.txt' &&
  grep -qE '^siitd_eamt_info\{digest=\"[0-9a-f]{16}\"\} 1$' '$E2E_TMP/page.txt'"
digest=$("$SIITCTL" --json status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["eamt"]["digest"])')
check "... the digest siitctl status shows" grep -qx "siitd_eamt_info{digest=\"$digest\"} 1" "$E2E_TMP/page.txt"
check "the announce interface up, the box not draining" bash -c "
  grep -qx 'siitd_announce_up{interface=\"siitd-up\"} 1' '$E2E_TMP/page.txt' && grep -qx 'siitd_draining 0' '$E2E_TMP/page.txt'"
"$SIITCTL" drain >/dev/null
drain_shows() {
  fetch "http://127.0.0.1:$PORT/metrics" | grep -qx 'siitd_announce_up{interface="siitd-up"} 0' &&
    fetch "http://127.0.0.1:$PORT/metrics" | grep -qx 'siitd_draining 1'
}
check "... and after siitctl drain, down and draining" drain_shows
"$SIITCTL" drain --end >/dev/null
"$SIITCTL" eamt add 203.0.113.0/24 2001:db8:200::/120 >/dev/null
eamt_follows() {
  fetch "http://127.0.0.1:$PORT/metrics" | grep -qx "siitd_eamt_entries 2" &&
    ! fetch "http://127.0.0.1:$PORT/metrics" | grep -q "digest=\"$digest\""
}
check "an EAMT change shows on the page within 2 s (entries, digest)" within_2s eamt_follows
check "another path is 404" bash -c "fetch http://127.0.0.1:$PORT/ 2>&1 | grep -q 'HTTP Error 404'"
check "another method is 405" bash -c "fetch http://127.0.0.1:$PORT/metrics POST 2>&1 | grep -q 'HTTP Error 405'"
# Idle clients cannot blind the monitoring: 16 connections that say nothing, then a scrape; 64
# held, and the next is answered 503 at once; 2 s later the idle ones are gone.
idle_clients() { # count: prints how long the scrape took, or its refusal
  ip netns exec "$NS" /usr/bin/python3 - "$1" "$PORT" <<'PY'
import socket, sys, time, urllib.request, urllib.error
idle = [socket.create_connection(("127.0.0.1", int(sys.argv[2]))) for _ in range(int(sys.argv[1]))]
time.sleep(0.2)
start = time.monotonic()
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[2]}/metrics", timeout=10) as r:
        r.read()
    print("scraped in %.3f s" % (time.monotonic() - start))
except urllib.error.HTTPError as e:
    print("refused %d in %.3f s" % (e.code, time.monotonic() - start))
time.sleep(2.5)
closed = sum(1 for s in idle if s.recv(1) == b"")
print(f"closed by siitd after 2.5 s idle: {closed} of {len(idle)}")
PY
}
idle_clients 16 >"$E2E_TMP/idle16.txt"; sed 's/^/    16 idle connections: /' "$E2E_TMP/idle16.txt"
check "with 16 idle connections held, a scrape answers within 1 s" \
  grep -qE '^scraped in 0\.[0-9]+ s$' "$E2E_TMP/idle16.txt"
check "... and siitd closes the idle ones after 2 s" grep -qx "closed by siitd after 2.5 s idle: 16 of 16" "$E2E_TMP/idle16.txt"
idle_clients 64 >"$E2E_TMP/idle64.txt"; sed 's/^/    64 idle connections: /' "$E2E_TMP/idle64.txt"
check "with 64 held, the next is refused 503 at once, not queued" \
  grep -qE '^refused 503 in 0\.[0-9]+ s$' "$E2E_TMP/idle64.txt"
check "... and a scrape after the idle ones are gone answers" bash -c "fetch http://127.0.0.1:$PORT/metrics | grep -q siitd_build_info"

# A real Prometheus scrapes siitd, and answers a query about one of its counters.
mkdir -p "$E2E_TMP/prometheus"
cat >"$E2E_TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: siitd
    static_configs:
      - targets: ["127.0.0.1:$PORT"]
YML
ip netns exec "$NS" prometheus --config.file="$E2E_TMP/prometheus.yml" \
  --storage.tsdb.path="$E2E_TMP/prometheus" --web.listen-address=127.0.0.1:9090 \
  >"$E2E_TMP/prometheus.log" 2>&1 &
E2E_PIDS+=($!)
prometheus_has_counter() {
  fetch "http://127.0.0.1:9090/api/v1/query?query=siitd_drop_not_ip_total" | sed 1d |
    /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
results = r["data"]["result"]
assert r["status"] == "success" and results, r
assert results[0]["metric"]["job"] == "siitd" and results[0]["metric"]["worker"] == "0", results
assert float(results[0]["value"][1]) > 0, results'
}
prometheus_scraped() { for _ in $(seq 1 60); do prometheus_has_counter 2>/dev/null && return 0; sleep 0.5; done; prometheus_has_counter; }
check "Prometheus scrapes siitd; its query API returns drop_not_ip, above zero" prometheus_scraped
check "... and found the target healthy" bash -c "
  fetch 'http://127.0.0.1:9090/api/v1/query?query=up%7Bjob%3D%22siitd%22%7D' | sed 1d |
  /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); assert r[\"data\"][\"result\"][0][\"value\"][1] == \"1\", r'"
promql_once() { # query python-assertion-on-results
  fetch "http://127.0.0.1:9090/api/v1/query?query=$(/usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1")" |
    sed 1d | /usr/bin/python3 -c "
import json, sys
r = json.load(sys.stdin); assert r['status'] == 'success', r
results = r['data']['result']
assert $2, results"
}
promql() { # the same, retried for 5 s (a rate needs two scrapes)
  for _ in $(seq 1 10); do promql_once "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  promql_once "$@"
}
check "docs/operations.md's queries: the top drop counters" promql \
  'topk(5, sum by (__name__) ({__name__=~"siitd_drop_.*_total"}))' \
  'results[0]["metric"]["__name__"] == "siitd_drop_not_ip_total"'
check "... what was translated, by direction" promql \
  'sum by (direction) ({__name__=~"siitd_translated_.*_total"})' \
  'sorted(x["metric"]["direction"] for x in results) == ["4to6", "6to4"]'
check "... mbuf shortage" promql 'rate(siitd_port_no_mbuf_total[5m])' \
  'results[0]["metric"]["port"] == "null"'
check "... EAMT digests in the fleet" promql 'count(count by (digest) (siitd_eamt_info))' \
  'results[0]["value"][1] == "1"'
stop_siitd >/dev/null

# A Unix socket instead of TCP.
write_config "$E2E_TMP/unix.json" "\"$E2E_RUN/metrics.sock\""
mkdir -p "$E2E_RUN"
start_siitd "$NS" "$E2E_TMP/unix.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
check "the same page on a Unix socket" bash -c "
  /usr/bin/python3 - '$E2E_RUN/metrics.sock' <<'PY' | promtool check metrics
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b'GET /metrics HTTP/1.0\r\nHost: siitd\r\n\r\n')
data = b''
while chunk := s.recv(65536): data += chunk
head, body = data.split(b'\r\n\r\n', 1)
assert head.startswith(b'HTTP/1.0 200') or head.startswith(b'HTTP/1.1 200'), head
sys.stdout.write(body.decode())
PY"
stop_siitd >/dev/null
check "stopped: its socket file is gone" test ! -e "$E2E_RUN/metrics.sock"

# What the configuration refuses, with the reason.
for bad in '"localhost:9417"' '"127.0.0.1:0"' '"127.0.0.1:70000"' '"::1:9417"' '"metrics.sock"' 9417; do
  write_config "$E2E_TMP/bad.json" "$bad"
  check "metrics $bad is refused by --check-config, saying why" bash -c "
    ! '$SIITD' --check-config '$E2E_TMP/bad.json' >'$E2E_TMP/bad.out' 2>&1 &&
    grep -q 'metrics: ' '$E2E_TMP/bad.out'"
done
touch "$E2E_TMP/not-a-socket"
write_config "$E2E_TMP/occupied.json" "\"$E2E_TMP/not-a-socket\""
check "a metrics path that is a regular file is left alone: siitd refuses to start (exit 2)" bash -c "
  ip netns exec '$NS' timeout 30 '$SIITD' --config '$E2E_TMP/occupied.json' --socket '$E2E_RUN/x.sock' >/dev/null 2>'$E2E_TMP/occupied.err';
  status=\$?; [ \$status = 2 ] && grep -q 'exists and is not a socket' '$E2E_TMP/occupied.err' && [ -f '$E2E_TMP/not-a-socket' ]"

echo "e2e: $E2E_PASSED passed, $E2E_FAILED failed"
[ "$E2E_FAILED" -eq 0 ]
