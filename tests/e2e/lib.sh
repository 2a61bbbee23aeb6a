# Shared by the end-to-end scenarios: namespace set-up and tear-down, siitd start and stop.
# Each scenario sources this, names its namespaces with a unique prefix, and calls e2e_cleanup on
# exit (trap), so nothing is left behind even on failure.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIITD=${SIITD:-$E2E_ROOT/build/app/siitd}
PREFIX="siit$$"
E2E_NAMESPACES=()
E2E_PIDS=()
E2E_TMP=$(mktemp -d)
E2E_PASSED=0
E2E_FAILED=0

e2e_cleanup() {
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  for ns in "${E2E_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$E2E_TMP"
}

e2e_ns() { # name
  ip netns add "$1"
  ip -n "$1" link set lo up
  E2E_NAMESPACES+=("$1")
}

mac_of() { # ns iface
  ip -n "$1" -o link show "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# Passes when the command succeeds; prints the command's output when it does not.
check() { # description, command...
  local what=$1; shift
  local out
  if out=$("$@" 2>&1); then
    echo "ok e2e $what"; E2E_PASSED=$((E2E_PASSED + 1))
  else
    echo "FAILED e2e $what"; echo "$out" | tail -15 | sed 's/^/    /'; E2E_FAILED=$((E2E_FAILED + 1))
  fi
}

# Starts siitd inside namespace $1 with config $2; waits (bounded) until its ports are up.
start_siitd() { # ns config
  ip netns exec "$1" "$SIITD" --config "$2" --stats-json --log-level info >"$E2E_TMP/siitd.out" 2>"$E2E_TMP/siitd.err" &
  E2E_PIDS+=($!)
  SIITD_PID=$!
  for _ in $(seq 1 100); do
    grep -q "worker(s) translating" "$E2E_TMP/siitd.err" && return 0
    kill -0 "$SIITD_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "siitd did not start:"; cat "$E2E_TMP/siitd.err"; return 1
}

stop_siitd() {
  kill -TERM "$SIITD_PID" 2>/dev/null
  wait "$SIITD_PID" 2>/dev/null
  tail -1 "$E2E_TMP/siitd.out"
}

e2e_summary() { echo "e2e: $E2E_PASSED passed, $E2E_FAILED failed"; [ "$E2E_FAILED" -eq 0 ]; }
