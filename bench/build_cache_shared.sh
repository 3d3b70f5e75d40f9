#!/bin/bash
# A build cache shared through a registry: build_tree.sh's workload (a stage
# that COPYs a 10k-file 100 MB tree and RUNs a 50 MB write, a second stage that
# COPYs two files from it) on two "machines" — store A and store B — and a
# docker-registry on 127.0.0.1, berth against dockerd 20.10's BuildKit in the
# same run. Docker 20.10's built-in BuildKit exports no registry cache (that
# needs buildx); its way is the inline cache (BUILDKIT_INLINE_CACHE=1, the image
# pushed, `--cache-from IMAGE`), which is what it is measured with. Cases, each
# the median of $RUNS:
#   A cold             A's build cache emptied, --no-cache: the plain cold build
#   A cold + export    the same with berth --cache-to type=registry,mode=max
#                      (BuildKit: with its inline cache and the push of the image)
#   B cold             B's store emptied (images and cache), the base pulled, no cache
#   B cold + cache     the same with --cache-from the registry's cache
# Targets (the issue): B cold + cache <= 0.5 x B cold; <= BuildKit's B cold + cache;
# the export adds <= 20% to A's cold build.
#
#   sudo bench/build_cache_shared.sh      # RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${RUNS:-3}
build_workload_image >/dev/null  # $BENCH_DIR/rootfs (debootstrap), once
start_dockerd "$work/docker"
start_registry "$work/registry"
ROOT_A=$work/berth-a
ROOT_B=$work/berth-b
berth_a() { BERTH_ROOT=$ROOT_A "$BERTH" "$@"; }
berth_b() { BERTH_ROOT=$ROOT_B "$BERTH" "$@"; }

tar -C "$BENCH_DIR/rootfs" -cf "$work/debian.tar" .
berth_a import "$work/debian.tar" "$R/bench/debian:bookworm" >/dev/null
berth_a push "$R/bench/debian:bookworm" >/dev/null
rm -f "$work/debian.tar"

ctx=$work/ctx
mkdir -p "$ctx"
make_file_tree "$ctx/tree"
cat >"$ctx/Dockerfile" <<D
FROM $R/bench/debian:bookworm AS build
COPY tree /src/tree
RUN dd if=/dev/zero of=/out.bin bs=1M count=50 status=none && echo built > /artifact.txt
FROM $R/bench/debian:bookworm
COPY --from=build /artifact.txt /app/artifact.txt
COPY --from=build /src/tree/d000/f000.bin /app/
CMD ["cat", "/app/artifact.txt"]
D

# Machine B's checkout: the same files, every mtime another.
fresh_checkout() { rm -rf "$work/ctx-b"; cp -r "$ctx" "$work/ctx-b"; find "$work/ctx-b" -exec touch -d '2001-02-03' {} +; }
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; }
time_ms() {
  local s
  settle
  s=$(date +%s%N)
  "$@" >"$work/build.log" 2>&1 || { tail -5 "$work/build.log" >&2; echo "failed: $*" >&2; exit 1; }
  echo $(( ($(date +%s%N) - s) / 1000000 ))
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
empty_berth_b() {
  berth_b rmi -f $(berth_b images -aq) >/dev/null 2>&1 || true
  berth_b image prune -af >/dev/null; berth_b builder prune -af >/dev/null
}
empty_docker() {
  $DOCKER rmi -f $($DOCKER images -aq) >/dev/null 2>&1 || true
  $DOCKER builder prune -af >/dev/null; $DOCKER image prune -af >/dev/null
}

declare -A t
for run in $(seq "$RUNS"); do
  berth_a builder prune -af >/dev/null
  t[berth.a]+=" $(time_ms berth_a build --network host --no-cache -t "$R/tree:1" "$ctx")"
  berth_a builder prune -af >/dev/null
  t[berth.a_export]+=" $(time_ms berth_a build --network host --no-cache -t "$R/tree:1" \
    --cache-to "type=registry,ref=$R/cache:tree,mode=max" "$ctx")"
  fresh_checkout
  empty_berth_b
  t[berth.b]+=" $(time_ms berth_b build --network host -t tree:b "$work/ctx-b")"
  empty_berth_b
  t[berth.b_cache]+=" $(time_ms berth_b build --network host -t tree:b \
    --cache-from "type=registry,ref=$R/cache:tree" "$work/ctx-b")"

  empty_docker
  $DOCKER pull -q "$R/bench/debian:bookworm" >/dev/null
  t[buildkit.a]+=" $(time_ms env DOCKER_BUILDKIT=1 $DOCKER build --network host --no-cache -t "$R/tree:bk" "$ctx")"
  $DOCKER builder prune -af >/dev/null
  t[buildkit.a_export]+=" $(time_ms sh -c "DOCKER_BUILDKIT=1 $DOCKER build --network host --no-cache \
    --build-arg BUILDKIT_INLINE_CACHE=1 -t $R/tree:bk $ctx && $DOCKER push $R/tree:bk")"
  empty_docker
  t[buildkit.b]+=" $(time_ms env DOCKER_BUILDKIT=1 $DOCKER build --network host -t tree:b "$work/ctx-b")"
  empty_docker
  t[buildkit.b_cache]+=" $(time_ms env DOCKER_BUILDKIT=1 $DOCKER build --network host --cache-from "$R/tree:bk" \
    -t tree:b "$work/ctx-b")"
  grep -c CACHED "$work/build.log" | sed 's/^/# buildkit cache hits: /'
done

for k in "${!t[@]}"; do echo "# $k:${t[$k]}"; done | sort
printf '%-22s %10s %10s %16s\n' case berth buildkit berth/buildkit
for c in a a_export b b_cache; do
  name=$(case $c in a) echo "A cold";; a_export) echo "A cold + export";; b) echo "B cold";; b_cache) echo "B cold + cache";; esac)
  printf '%-22s %7d ms %7d ms %16.2f\n' "$name" "$(median ${t[berth.$c]})" "$(median ${t[buildkit.$c]})" \
    "$(echo "$(median ${t[berth.$c]}) / $(median ${t[buildkit.$c]})" | bc -l)"
done
for tool in berth buildkit; do
  printf '%s: B cold + cache / B cold = %.2f (target <= 0.5); export adds %+.0f%% (target <= 20%%)\n' "$tool" \
    "$(echo "$(median ${t[$tool.b_cache]}) / $(median ${t[$tool.b]})" | bc -l)" \
    "$(echo "($(median ${t[$tool.a_export]}) / $(median ${t[$tool.a]}) - 1) * 100" | bc -l)"
done
