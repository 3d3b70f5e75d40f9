#!/bin/bash
# Issue #13's measurements: pull and load into a store emptied right before
# (prune, not a fresh directory — deleted inodes are what users' disks have),
# page cache dropped, berth with --sync=full (every commit waits for the disk,
# as berth always did) and with the default --sync=normal (the disk catches up
# after the command, docs/storage.md "Durability"), against Docker in the same
# run. Two tables: every store on a journaled ext4 in a loop file, then every
# store on the file system of $BENCH_DIR (this VM's root: ext4 without a
# journal). The background sync a normal command starts is let finish between
# runs, untimed: it is what the disk does after the command, not what anyone
# waits for. A last table shows the inode quirk: a pull into a never-used
# directory against one into a store pruned right before, for both engines.
#
#   sudo bench/durability.sh            # RUNS=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
build_workload_image

# The registry (its storage on $BENCH_DIR's file system) gets both images as
# Docker pushes them.
start_dockerd "$work/docker-seed"
start_registry "$work/registry"
make_many_layer_image "$work/many.tar"
$DOCKER load -q -i "$image_tar" >/dev/null
$DOCKER load -q -i "$work/many.tar" >/dev/null
for pair in "$image py" "bench/many:1 many"; do
  set -- $pair
  $DOCKER tag "$1" "$R/bench/$2:1"
  $DOCKER push -q "$R/bench/$2:1" >/dev/null
done
stop_dockerd
rm -rf "$work/docker-seed"

settle() { sync; echo 3 >/proc/sys/vm/drop_caches; }
# What users do to empty a store: remove every image, prune.
prune_berth() { "$BERTH" rmi -f $("$BERTH" images -q) >/dev/null 2>&1 || true; "$BERTH" image prune -af >/dev/null; }
prune_docker() { $DOCKER rmi -f $($DOCKER images -q) >/dev/null 2>&1 || true; $DOCKER image prune -af >/dev/null; }
empty_berth() { prune_berth; settle; }
empty_docker() { prune_docker; settle; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }

# The floor beside each figure: the same bytes through standard tools into the
# same file system, a layer per process, two at once (the VM's two cores) —
# load: sha256 and tar -x of each layer tar; pull: curl of each blob from the
# registry, sha256 of it, igzip -d, sha256 of the tar, tar -x.
command -v igzip >/dev/null || apt-get install -y -qq isal >/dev/null
mkdir -p "$work/layer-tars"
tar -C "$work/layer-tars" -xf "$image_tar"
floor_fresh() { rm -rf "$floor_dir"; mkdir -p "$floor_dir"; settle; }
floor_load() {
  find "$work/layer-tars" -name '*.tar' | xargs -P 2 -I{} bash -c \
    'd=$1/$(basename "$(dirname "$2")"); mkdir -p "$d"; tee >(sha256sum >/dev/null) <"$2" | tar -x -C "$d"' _ "$floor_dir" {}
}
floor_pull() {  # floor_pull NAME
  curl -s -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$R/v2/bench/$1/manifests/1" |
    jq -r '.layers[].digest' | xargs -P 2 -I{} bash -c \
    'mkdir -p "$1/$3"; curl -s "http://$2/v2/bench/$4/blobs/$3" | tee >(sha256sum >/dev/null) | igzip -dc |
       tee >(sha256sum >/dev/null) | tar -x -C "$1/$3"' _ "$floor_dir" "$R" {} "$1"
}

# measure_on DIR: the table for stores under DIR.
measure_on() {
  start_dockerd "$1/docker"
  export BERTH_ROOT=$1/berth
  "$BERTH" pull -q "$R/bench/py:1" >/dev/null   # the store exists before the first run
  floor_dir=$1/floor
  printf '%-10s %10s %10s %10s %10s   %s\n' workload "full" "normal" "docker" "floor" "normal/docker (full/docker)"
  local what full normal docker floor
  for what in load "pull py" "pull many"; do
    local cmd=(load -q -i "$image_tar")
    [ "$what" = load ] || cmd=(pull -q "$R/bench/${what#pull }:1")
    median_ms empty_berth "$BERTH" --sync=full "${cmd[@]}"; full=$median
    median_ms empty_berth "$BERTH" "${cmd[@]}"; normal=$median
    median_ms empty_docker $DOCKER "${cmd[@]}"; docker=$median
    if [ "$what" = load ]; then median_ms floor_fresh floor_load; else median_ms floor_fresh floor_pull "${what#pull }"; fi
    floor=$median
    [ "$(find "$floor_dir" -type f | wc -l)" -gt 20 ] || { echo "the floor of $what extracted nothing" >&2; exit 1; }
    printf '%-10s %7d ms %7d ms %7d ms %7d ms   %s (%s)\n' "$what" "$full" "$normal" "$docker" "$floor" \
      "$(ratio "$normal" "$docker")" "$(ratio "$full" "$docker")"
  done
  stop_dockerd
}

echo "workloads: load of a $(( $(stat -c %s "$image_tar") / 1000000 )) MB docker-save archive (3 layers); pull py (the same image from a registry on 127.0.0.1, gzip); pull many (21 layers of 10 MB); median of $RUNS runs"
truncate -s 8G "$work/ext4.img"
mkfs.ext4 -q -F "$work/ext4.img"
mkdir -p "$work/fs"
mount -o loop "$work/ext4.img" "$work/fs"
echo "== every store on a journaled ext4 (loop file)"
measure_on "$work/fs"
umount "$work/fs"
echo "== every store on $BENCH_DIR's file system ($(findmnt -n -o FSTYPE -T "$BENCH_DIR"))"
measure_on "$work/root"

# The quirk needs the freed inodes' table blocks still cached (ext4's
# recently_deleted()), so these runs drop no caches: prune, then pull at once.
echo "== the inode quirk on $BENCH_DIR's file system: pull py into a never-used store vs one pruned right before (caches kept)"
fresh_berth() { export BERTH_ROOT=$work/fresh-berth-$RANDOM; }
fresh_docker() { [ -n "$dockerd_pid" ] && stop_dockerd; start_dockerd "$work/fresh-docker-$RANDOM"; }
median_ms fresh_berth "$BERTH" pull -q "$R/bench/py:1"; berth_fresh=$median
median_ms fresh_docker $DOCKER pull -q "$R/bench/py:1"; docker_fresh=$median
stop_dockerd
start_dockerd "$work/root/docker"
export BERTH_ROOT=$work/root/berth
median_ms prune_berth "$BERTH" pull -q "$R/bench/py:1"; berth_pruned=$median
median_ms prune_docker $DOCKER pull -q "$R/bench/py:1"; docker_pruned=$median
stop_dockerd
printf 'berth  fresh %6d ms  pruned %6d ms  slowdown %s\n' "$berth_fresh" "$berth_pruned" "$(ratio "$berth_pruned" "$berth_fresh")"
printf 'docker fresh %6d ms  pruned %6d ms  slowdown %s\n' "$docker_fresh" "$docker_pruned" "$(ratio "$docker_pruned" "$docker_fresh")"
