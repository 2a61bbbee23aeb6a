#!/bin/bash
# Packs the release build's benchmarks and siitd with every shared library they load (DPDK, libnl,
# libstdc++, glibc and its loader) into build-bundle/, so that they run on a machine with no DPDK
# packages, such as a borrowed many-core box for scaling runs:
#   build-bundle/run dataplane-bench 3 0-8     (one feeder, eight workers)
# The drivers DPDK loads as plugins (mempool, net_null) go into build-bundle/pmds, passed with -d;
# net_ring is linked in.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build-bundle
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/pmds"
pmds=/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0
binaries=(build/tests/dataplane-bench build/tests/eamt-bench build/app/siitd)
cp "${binaries[@]}" "$out/bin/"
# EAL loads only files named *.so (or *.so.23.0) from a -d directory.
cp -L "$pmds/librte_mempool_ring.so.23" "$out/pmds/librte_mempool_ring.so"
cp -L "$pmds/librte_net_null.so.23" "$out/pmds/librte_net_null.so"
for f in "${binaries[@]}" "$out"/pmds/*; do
    ldd "$f" | awk '/=> \//{print $3} $1 ~ /^\/.*ld-linux/{print $1}'
done | sort -u | while read -r lib; do cp -L "$lib" "$out/lib/"; done
cat > "$out/run" <<'RUN'
#!/bin/bash
# Runs one of the bundled programs with the bundled loader and libraries.
here="$(cd "$(dirname "$0")" && pwd)"
program="$1"
shift
export DATAPLANE_BENCH_EAL="-d $here/pmds ${DATAPLANE_BENCH_EAL:-}"
exec "$here/lib/ld-linux-x86-64.so.2" --library-path "$here/lib" "$here/bin/$program" "$@"
RUN
chmod +x "$out/run"
du -sh "$out"
