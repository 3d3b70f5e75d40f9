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
. bench/lib.sh
start_dockerd "$BENCH_DIR/docker"

if [ -n "${1:-}" ]; then image_tar=$1; else build_workload_image; fi
image=$(tar -xOf "$image_tar" manifest.json | jq -r '.[0].RepoTags[0]')

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
