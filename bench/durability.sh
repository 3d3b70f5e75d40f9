#!/bin/bash
# Who waits for the disk (issue #13, docs/storage.md "Durability"): `berth load`
# of the workload image with --sync=full (every commit waits for the disk, as
# berth always did) and with the default --sync=normal (the disk catches up
# after the command), and `docker load`, in the same run — every store on a
# journaled ext4 in a loop file, emptied right before each run, the page cache
# dropped. The background sync a normal load starts is let finish between runs,
# untimed: it is what the disk does after the command, not what anyone waits for.
#
#   sudo bench/durability.sh [IMAGE.tar]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [ -n "${1:-}" ]; then image_tar=$1; else build_workload_image; fi

truncate -s 8G "$work/ext4.img"
mkfs.ext4 -q -F "$work/ext4.img"
mkdir -p "$work/fs"
mount -o loop "$work/ext4.img" "$work/fs"
start_dockerd "$work/fs/docker"
export BERTH_ROOT=$work/fs/berth

settle() { sync; echo 3 >/proc/sys/vm/drop_caches; }
empty_berth() { rm -rf "$BERTH_ROOT"; settle; }
empty_docker() { $DOCKER rmi -f $($DOCKER images -q) >/dev/null 2>&1 || true; $DOCKER image prune -af >/dev/null; settle; }

size_mb=$(( $(stat -c %s "$image_tar") / 1000000 ))
echo "workload: $size_mb MB archive; journaled ext4 on a loop file; median of $RUNS runs"
median_ms empty_berth "$BERTH" --sync=full load -q -i "$image_tar"; full=$median
median_ms empty_berth "$BERTH" load -q -i "$image_tar"; normal=$median
median_ms empty_docker $DOCKER load -q -i "$image_tar"; docker=$median
report "load --sync=full" "$full" "$docker"
report "load (normal)" "$normal" "$docker" "$(printf 'normal/full %.2f' "$(echo "$normal / $full" | bc -l)")"
stop_dockerd
umount "$work/fs"
