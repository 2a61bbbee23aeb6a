#!/usr/bin/env bash
# The one test command: installs what is missing, builds twice (release with warnings as errors,
# and debug with AddressSanitizer + UndefinedBehaviorSanitizer), runs every test suite in both, and
# ends with the line "N passed, N failed" counting test cases over all runs.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash deploy/install-deps.sh || exit 1

build() { # dir, target ('' for all), meson options...
  local dir=$1 target=$2; shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
  fi
  ninja -C "$dir" $target >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; return 1; }
}

passed=0
failed=0
# Runs one Catch2 binary with the XML reporter, prints failures readably, adds up test cases.
run_catch() { # label, binary, args...
  local label=$1 binary=$2; shift 2
  local xml; xml=$(mktemp)
  "$binary" "$@" -r xml -o "$xml" >/dev/null 2>"$xml.stderr"
  local rc=$?
  local counts
  counts=$(/usr/bin/python3 - "$xml" "$label" <<'PY'
import sys, xml.etree.ElementTree as ET
path, label = sys.argv[1], sys.argv[2]
try:
    root = ET.parse(path).getroot()
except Exception as e:
    print(f"{label}: no readable report ({e})", file=sys.stderr); print("0 1"); sys.exit()
for tc in root.iter("TestCase"):
    result = tc.find("OverallResult")
    if result is not None and result.get("success") == "false":
        print(f"FAILED [{label}] {tc.get('name')}", file=sys.stderr)
        for expr in tc.iter("Expression"):
            if expr.get("success") == "false":
                orig = (expr.findtext("Original") or "").strip()
                exp = (expr.findtext("Expanded") or "").strip()
                print(f"  {expr.get('filename')}:{expr.get('line')}: {orig}\n    with: {exp[:600]}", file=sys.stderr)
                for info in expr.iter("Info"):
                    print(f"    info: {(info.text or '').strip()[:600]}", file=sys.stderr)
        for ex in tc.iter("Exception"):
            print(f"  exception: {(ex.text or '').strip()}", file=sys.stderr)
cases = root.find("OverallResultsCases")
if cases is None:
    print("0 1")
else:
    print(cases.get("successes"), cases.get("failures"))
PY
)
  local p f; read -r p f <<<"$counts"
  # A crash (sanitizer report, signal) counts as a failure even if the report says otherwise.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; cat "$xml.stderr" >&2; fi
  echo "$label: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
  rm -f "$xml" "$xml.stderr"
}

build build '' --buildtype=release -Db_lto=true -Dwerror=true || { echo "0 passed, 1 failed"; exit 1; }
build build-sanitize '' --buildtype=debug -Db_lto=false -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true \
  || { echo "0 passed, 1 failed"; exit 1; }
# ThreadSanitizer only for what runs threads (the lock-free EAMT under change).
build build-tsan tests/stress-tests --buildtype=debugoptimized -Db_lto=false -Db_sanitize=thread -Db_lundef=false -Dwerror=true \
  || { echo "0 passed, 1 failed"; exit 1; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
run_catch "lib (release)" build/tests/lib-tests
run_catch "lib (asan+ubsan)" build-sanitize/tests/lib-tests
run_catch "app (release)" build/tests/app-tests
run_catch "app (asan+ubsan)" build-sanitize/tests/app-tests
run_catch "ctl (release)" build/tests/ctl-tests
run_catch "ctl (asan+ubsan)" build-sanitize/tests/ctl-tests
export TSAN_OPTIONS=halt_on_error=1
run_catch "stress (tsan)" build-tsan/tests/stress-tests
run_catch "stress (asan+ubsan)" build-sanitize/tests/stress-tests

# The tree against its READMEs: the layout table, each source folder's README.md, the include
# order of app/'s rooms.
layout_log=$(mktemp)
/usr/bin/python3 tests/layout/layout_test.py | tee "$layout_log" | grep -v '^ok layout'
lp=; lf=
read -r lp lf < <(sed -n 's/^layout: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$layout_log")
if [ -z "${lp:-}" ]; then lp=0; lf=1; echo "layout: the check printed no total"; fi
passed=$((passed + lp)); failed=$((failed + lf))
rm -f "$layout_log"

# Golden pcaps: every scenario under pcaps/ through the real siitd on net_pcap; then again with
# the workers' staged pipeline (EAMT lookups prefetched a burst ahead) forced on, which siitd
# otherwise takes only for tables larger than the caches: the output must be the same.
for golden_args in "" "--eamt-prefetch always"; do
  golden_log=$(mktemp)
  # shellcheck disable=SC2086 # golden_args is two words or none
  /usr/bin/python3 tests/pcap/run-golden.py build/app/siitd $golden_args | tee "$golden_log" | grep -v '^ok golden'
  gp=; gf=
  read -r gp gf < <(sed -n 's/^golden: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$golden_log")
  if [ -z "${gp:-}" ]; then gp=0; gf=1; echo "golden: the runner printed no total"; fi
  passed=$((passed + gp)); failed=$((failed + gf))
  rm -f "$golden_log"
done

# End to end: real kernels in network namespaces, siitd on net_af_packet (needs root).
for scenario in tests/e2e/*_test.sh; do
  e2e_log=$(mktemp)
  if [ "$(id -u)" -ne 0 ]; then
    echo "$scenario: needs root (network namespaces)"; echo "e2e: 0 passed, 1 failed" >"$e2e_log"
  else
    # A scenario may ask for more than 300 s with a line "# e2e-timeout: SECONDS".
    limit=$(sed -n 's/^# e2e-timeout: \([0-9][0-9]*\)$/\1/p' "$scenario")
    timeout "${limit:-300}" bash "$scenario" 2>&1 | tee "$e2e_log" | grep -v '^ok e2e'
  fi
  read -r ep ef < <(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$e2e_log")
  if [ -z "${ep:-}" ]; then ep=0; ef=1; echo "$scenario: printed no total"; fi
  echo "$(basename "$scenario"): $ep passed, $ef failed"
  passed=$((passed + ep)); failed=$((failed + ef))
  rm -f "$e2e_log"; unset ep ef
done

# Formatting: every C++ file as .clang-format says.
if find lib app ctl tests -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run -Werror 2>/tmp/siit-format.log; then
  echo "format: 1 passed, 0 failed"; passed=$((passed + 1))
else
  head -30 /tmp/siit-format.log; echo "format: 0 passed, 1 failed"; failed=$((failed + 1))
fi

# Fuzzing: bounded time, seeded with the fixtures; SIIT_FUZZ_SECONDS=0 skips it.
fuzz_seconds=${SIIT_FUZZ_SECONDS:-30}
if [ "$fuzz_seconds" -gt 0 ]; then
  if bash tests/fuzz/run-fuzz.sh build-fuzz "$fuzz_seconds"; then
    echo "fuzz (${fuzz_seconds}s): 1 passed, 0 failed"; passed=$((passed + 1))
  else
    echo "fuzz (${fuzz_seconds}s): 0 passed, 1 failed"; failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
