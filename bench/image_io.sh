#!/bin/bash
# Side-by-side timings of berth and Docker on the same image, in the same run:
# load, save, images (500 tags) and inspect, with tar's own -x/-c as the floor.
# Prints each median, and berth's time as a fraction of Docker's.
#
#   sudo bench/image_io.sh [IMAGE.tar]
#
# Without an argument it builds the issue's workload once (cached under
# $BENCH_DIR): a 3-layer Debian bookworm + python3 image, made with
# debootstrap and Docker's classic builder. Needs the Debian archive.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/var/tmp/berth-bench}
RUNS=${RUNS:-5}
DOCKER=/usr/bin/docker
BERTH=${BERTH:-$PWD/build/berth}
mkdir -p "$BENCH_DIR"
[ -x "$BERTH" ] || { cmake -S . -B build -G Ninja >/dev/null && cmake --build build --target berth >/dev/null; }

work=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
dockerd_pid=
cleanup() {
  [ -n "$dockerd_pid" ] && stop_dockerd
  rm -rf "$work"
}
trap cleanup EXIT

# A private dockerd on a data root of our choosing, so each run can start clean.
start_dockerd() {
  dockerd --bridge=none --iptables=false --data-root "$1" --exec-root "$work/dx" \
    -H "unix://$work/d.sock" --pidfile "$work/d.pid" >>"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 60); do $DOCKER info >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "dockerd did not start" >&2
  exit 1
}
stop_dockerd() {
  kill "$dockerd_pid" && wait "$dockerd_pid" 2>/dev/null || true
  dockerd_pid=
  for m in $(awk -v w="$work/dx" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
}
export DOCKER_HOST=unix://$work/d.sock
start_dockerd "$BENCH_DIR/docker"

image_tar=${1:-$BENCH_DIR/debian-python3.tar}
image=bench/debian-python3:1.0
if [ ! -f "$image_tar" ]; then
  echo "building the workload image (once)..." >&2
  if [ ! -x "$BENCH_DIR/rootfs/bin/sh" ]; then
    rm -rf "$BENCH_DIR/rootfs"
    debootstrap --variant=minbase bookworm "$BENCH_DIR/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log"
  fi
  tar -C "$BENCH_DIR/rootfs" -c . | $DOCKER import - bench/debian:bookworm >/dev/null
  mkdir -p "$work/ctx"
  echo 'print("hello from python")' >"$work/ctx/app.py"
  cat >"$work/ctx/Dockerfile" <<'DOCKERFILE'
FROM bench/debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
COPY app.py /app/app.py
CMD ["python3", "/app/app.py"]
DOCKERFILE
  DOCKER_BUILDKIT=0 $DOCKER build -q --network host -t "$image" "$work/ctx" >/dev/null
  $DOCKER save -o "$image_tar" "$image"
  $DOCKER rmi "$image" bench/debian:bookworm >/dev/null  # or docker load would find the base layer present
fi
image=$(tar -xOf "$image_tar" manifest.json | jq -r '.[0].RepoTags[0]')

# median_ms PREPARE CMD...: runs PREPARE (untimed) and then CMD, $RUNS times,
# and sets $median to CMD's median time in ms. PREPARE gets the run number.
# (Not in a subshell: PREPARE may switch the store or restart dockerd.)
median_ms() {
  local prepare=$1 times=() s
  shift
  [ "$prepare" = nothing ] && "$@" >/dev/null 2>&1  # warm-up
  for run in $(seq "$RUNS"); do
    $prepare "$run"
    sync
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($(( ($(date +%s%N) - s) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
}
report() {  # name berth_ms docker_ms [note]
  printf '%-18s berth %6d ms   docker %6d ms   berth/docker %.2f   %s\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" "${4:-}"
}
nothing() { :; }

# Loads go into fresh directories and nothing is deleted while timing: ext4
# allocates inodes slowly for a while after many were freed, and whoever
# deleted last would pay for it.
berth_fresh() { export BERTH_ROOT=$work/berth-$1; }
docker_fresh() { stop_dockerd; start_dockerd "$work/docker-$1"; }
floor_fresh() { mkdir -p "$work/x-$1" "$work/y-$1"; floor_run=$1; }
tar_x() {  # what any loader must do at least: unpack the archive, then each layer
  tar -xf "$image_tar" -C "$work/x-$floor_run"
  for l in $(jq -r '.[0].Layers[]' "$work/x-$floor_run/manifest.json"); do tar -xf "$work/x-$floor_run/$l" -C "$work/y-$floor_run"; done
}

size_mb=$(( $(stat -c %s "$image_tar") / 1000000 ))
echo "workload: $image, $size_mb MB archive, $(tar -xOf "$image_tar" manifest.json | jq '.[0].Layers | length') layers; median of $RUNS runs"
# compare NAME BERTH_PREPARE DOCKER_PREPARE NOTE -- BERTH_CMD... -- DOCKER_CMD...
compare() {
  local name=$1 bprep=$2 dprep=$3 note=$4 b d
  shift 5
  local bcmd=() dcmd=()
  while [ "$1" != -- ]; do bcmd+=("$1"); shift; done
  shift
  dcmd=("$@")
  median_ms "$bprep" "${bcmd[@]}"; b=$median
  median_ms "$dprep" "${dcmd[@]}"; d=$median
  report "$name" "$b" "$d" "$note"
}

median_ms floor_fresh tar_x; floor_x=$median
compare load berth_fresh docker_fresh "(floor, tar -x of the same bytes: $floor_x ms)" -- \
  "$BERTH" load -i "$image_tar" -- $DOCKER load -i "$image_tar"

median_ms nothing tar -C "$work/y-1" -cf "$work/floor.tar" .; floor_c=$median
compare save nothing nothing "(floor, tar -c of the files: $floor_c ms)" -- \
  "$BERTH" save -o "$work/b.tar" "$image" -- $DOCKER save -o "$work/d.tar" "$image"

for i in $(seq 500); do echo "$i"; done | while read -r i; do "$BERTH" tag "$image" "bench/many:$i"; done
for i in $(seq 500); do $DOCKER tag "$image" "bench/many:$i"; done
compare "images (500 tags)" nothing nothing "" -- "$BERTH" images -- $DOCKER images
compare inspect nothing nothing "" -- "$BERTH" inspect "$image" -- $DOCKER inspect "$image"
