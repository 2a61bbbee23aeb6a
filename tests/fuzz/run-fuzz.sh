#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer + UBSan) through meson and runs each for a bounded
# time. Usage: run-fuzz.sh BUILD_DIR SECONDS [TARGET...]
#   translate    the translator (lib/), seeded with every fixture input; runs SECONDS
#   config       siitd's configuration parser (app/config/config_file.cpp), seeded with every shipped config
#   control_api  the control API's requests, with a real TranslationState (app/api/control_api.cpp)
#   jool_import  siitctl's Jool importer behind the strict JSON reader (ctl/jool_import.cpp)
#   tayga_import siitctl's TAYGA importer (ctl/tayga_import.cpp)
#   eamt_file    siitctl's EAMT file formats (ctl/eamt_file.cpp)
#   pcapng       the pcapng reader siitctl cuts a capture stream with (lib/control/pcapng.cpp)
# Without TARGETs, all of them; every target but translate runs SECONDS/2 (at least 5 s), so the
# test command stays brief. A longer run of one target, for example an hour of the control API:
#   bash tests/fuzz/run-fuzz.sh build-fuzz 3600 control_api
# (a named target runs the full SECONDS). Findings are left in BUILD_DIR as crash-* files.
# The targets are meson's (tests/fuzz/meson.build), in a clang build in BUILD_DIR.
set -euo pipefail
# Allocation sites four frames deep: enough to place a finding, and a fraction of the cost of
# recording thirty for every allocation.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}malloc_context_size=4"
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd) # absolute: each target runs from inside it
seconds=$2
shift 2
targets=("$@")
named=1
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(translate config control_api jool_import tayga_import eamt_file pcapng entries_request)
  named=0
fi
for target in "${targets[@]}"; do
  [ -f "$root/tests/fuzz/fuzz_$target.cpp" ] || { echo "run-fuzz.sh: no target '$target'" >&2; exit 2; }
done
# A meson build of its own with clang, the sanitizers and libFuzzer (meson_options.txt's fuzz):
# tests/fuzz/meson.build says what each target links.
if [ ! -f "$out/build.ninja" ]; then
  CXX=clang++-14 meson setup "$out" "$root" -Dfuzz=true -Dman=disabled -Db_sanitize=address,undefined \
    -Db_lundef=false -Db_lto=false -Dwerror=false -Doptimization=1 -Ddebug=true >"$out/setup.log" 2>&1 \
    || { cat "$out/setup.log"; exit 1; }
fi
ninja -C "$out" "${targets[@]/#/tests/fuzz/fuzz_}" >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }

seed_target() { # target corpus-dir
  local target=$1 corpus=$2
  case $target in
    translate)
      # Each fixture input, once per direction byte, so the fuzzer starts from real packets.
      /usr/bin/python3 - "$root/tests/fixtures/rfc7915.txt" "$corpus" <<'PY'
import sys, os
src, dst = sys.argv[1], sys.argv[2]
n = 0
for line in open(src):
    if line.startswith("input "):
        data = bytes.fromhex(line.split()[1])
        control = 1 if data[:1] and data[0] >> 4 == 4 else 0
        for flags in (0, 0x3e, 0x40, 0x7e):  # 0x40: the production EAMT, lookups made ahead
            with open(os.path.join(dst, f"fixture{n}"), "wb") as f:
                f.write(bytes([control | flags]) + data)
            n += 1
PY
      ;;
    config)
      cp "$root/deploy/siitd.example.json" "$corpus/example.json"
      local n=0
      for f in "$root"/pcaps/*/config*.json; do [ -f "$f" ] && cp "$f" "$corpus/golden$((n++)).json"; done
      ;;
    *) cp "$root/tests/fuzz/seeds/$target"/* "$corpus/" ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  corpus=$out/corpus-$target
  mkdir -p "$corpus"
  seed_target "$target" "$corpus"
  time_limit=$seconds
  if [ "$named" -eq 0 ] && [ "$target" != translate ]; then
    time_limit=$((seconds / 2)); [ "$time_limit" -ge 5 ] || time_limit=5
  fi
  log=$out/fuzz_$target.log
  if (cd "$out" && "./tests/fuzz/fuzz_$target" -max_total_time="$time_limit" -max_len="$([ "$target" = translate ] && echo 2000 || echo 4096)" -timeout=20 \
        -print_final_stats=1 "corpus-$target" >"$log" 2>&1); then
    echo "fuzz $target (${time_limit}s): $(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}') executions, no finding"
  else
    echo "fuzz $target: FINDING"; tail -60 "$log"; status=1
  fi
done
exit $status
