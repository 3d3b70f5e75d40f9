#!/bin/bash
# build, issue #5's workload, side by side in the same run: berth against
# BuildKit (dockerd 20.10's, DOCKER_BUILDKIT=1), Docker's classic builder and
# buildah, on the same Debian base image in all four. The Dockerfile:
#   stage 1: Debian + COPY of a 10k-file 100 MB tree + a RUN writing 50 MB
#   stage 2: Debian + COPY --from of two small files
# Three cases, each tool's median of $RUNS runs, the tools taking turns:
#   cold     the tool's build cache emptied first (berth builder prune -af,
#            docker builder prune -af, buildah's built images removed) and --no-cache;
#   cached   the same build again;
#   changed  one file of the tree changed (a different one each run).
#
#   sudo bench/build_tree.sh        # RUNS=3 by default; SKIP="buildah classic" leaves tools out
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${RUNS:-3}
SKIP=${SKIP:-}
build_workload_image >/dev/null  # makes $BENCH_DIR/rootfs (debootstrap) once
start_dockerd "$work/docker"
export BERTH_ROOT=$work/berth
BUILDAH="buildah --root $work/buildah/root --runroot $work/buildah/run --storage-driver overlay"

tar -C "$BENCH_DIR/rootfs" -cf "$work/debian.tar" .
"$BERTH" import "$work/debian.tar" bench/debian:bookworm >/dev/null
"$BERTH" save -o "$work/debian-image.tar" bench/debian:bookworm
$DOCKER load -q -i "$work/debian-image.tar" >/dev/null
[[ " $SKIP " == *" buildah "* ]] || $BUILDAH pull -q docker-archive:"$work/debian-image.tar" >/dev/null
rm -f "$work/debian.tar" "$work/debian-image.tar"

ctx=$work/ctx
mkdir -p "$ctx"
make_file_tree "$ctx/tree"
cat >"$ctx/Dockerfile" <<'D'
FROM bench/debian:bookworm AS build
COPY tree /src/tree
RUN dd if=/dev/zero of=/out.bin bs=1M count=50 status=none && echo built > /artifact.txt
FROM bench/debian:bookworm
COPY --from=build /artifact.txt /app/artifact.txt
COPY --from=build /src/tree/d000/f000.bin /app/
CMD ["cat", "/app/artifact.txt"]
D

prune_berth() { "$BERTH" builder prune -af >/dev/null; }
prune_buildkit() { $DOCKER builder prune -af >/dev/null; }
prune_classic() { :; }
# buildah's cache is its images: the result and the steps it stands on (the base stays).
prune_buildah() { $BUILDAH rmi -f bench/tree:1 >/dev/null 2>&1 || true; $BUILDAH rmi --prune >/dev/null 2>&1 || true; }
build_berth() { "$BERTH" build --network host "$@" -t bench/tree:1 "$ctx"; }
build_buildkit() { DOCKER_BUILDKIT=1 $DOCKER build --network host "$@" -t bench/tree:1 "$ctx"; }
build_classic() { DOCKER_BUILDKIT=0 $DOCKER build --network host "$@" -t bench/tree:1 "$ctx"; }
build_buildah() { $BUILDAH bud --network host --layers "$@" -t bench/tree:1 "$ctx"; }

# This VM's ext4 has no journal, and there ext4 skips, for every inode it
# allocates, each free inode deleted in the last 60 s (300 s while its inode
# table block is dirty) whose inode table block is in memory: creating 10k
# files soon after another tool deleted 10k costs seconds, whoever creates
# them. So each timed build starts on a settled file system: written back,
# the caches dropped (a block not in memory counts as written out), and the
# context read back in, as it would be after the user edited it.
settle() {
  sync
  echo 3 >/proc/sys/vm/drop_caches
  find "$ctx" -type f -print0 | xargs -0 cat >/dev/null
}
time_ms() {  # a failed build stops the bench: its time would mean nothing
  local s
  settle
  s=$(date +%s%N)
  "$@" >"$work/build.log" 2>&1 || { tail -5 "$work/build.log" >&2; echo "failed: $*" >&2; exit 1; }
  echo $(( ($(date +%s%N) - s) / 1000000 ))
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

tools=()
for t in berth buildkit classic buildah; do [[ " $SKIP " == *" $t "* ]] || tools+=("$t"); done
declare -A times
for run in $(seq "$RUNS"); do
  for t in "${tools[@]}"; do
    "prune_$t"
    times[$t.cold]+=" $(time_ms "build_$t" --no-cache)"
    times[$t.cached]+=" $(time_ms "build_$t")"
    echo "$run $t" >>"$ctx/tree/d$(printf %03d $((run * 7 % 100)))/f$(printf %03d $((run * 13 % 100))).bin"
    times[$t.changed]+=" $(time_ms "build_$t")"
  done
done

printf '%-10s' case; for t in "${tools[@]}"; do printf '%12s' "$t"; done
[[ " ${tools[*]} " == *" buildkit "* ]] && printf '   berth/buildkit'
echo
for t in "${tools[@]}"; do for c in cold cached changed; do echo "# $t $c:${times[$t.$c]}"; done; done
for c in cold cached changed; do
  printf '%-10s' "$c"
  for t in "${tools[@]}"; do printf '%9d ms' "$(median ${times[$t.$c]})"; done
  if [[ " ${tools[*]} " == *" buildkit "* ]]; then
    printf '   %.2f' "$(echo "$(median ${times[berth.$c]}) / $(median ${times[buildkit.$c]})" | bc -l)"
  fi
  echo
done
