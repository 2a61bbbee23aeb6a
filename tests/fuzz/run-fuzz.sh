#!/usr/bin/env bash
# Builds the libFuzzer target with clang (AddressSanitizer + UBSan) and runs it for a bounded
# time, seeded with every fixture input. Usage: run-fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
seconds=$2
mkdir -p "$out/corpus"
clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root/lib" "$root"/lib/siit/*.cpp "$root/tests/fuzz/fuzz_translate.cpp" -o "$out/fuzz_translate"
# Seeds: each fixture input, once per direction byte, so the fuzzer starts from real packets.
/usr/bin/python3 - "$root/tests/fixtures/rfc7915.txt" "$out/corpus" <<'PY'
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
cd "$out"
./fuzz_translate -max_total_time="$seconds" -max_len=2000 -print_final_stats=1 corpus >fuzz.log 2>&1 || {
  tail -60 fuzz.log; exit 1; }
grep -E "stat::number_of_executed_units" fuzz.log || true
