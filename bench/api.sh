#!/bin/bash
# The Engine API, side by side in the same run: Debian's docker CLI (client
# start-up included) against `berth system service` and against a private
# dockerd 20.10, both stores holding the same image and the same 10 stopped
# containers — `docker ps -a`, `docker images`, `docker inspect`,
# `docker run --rm IMG true` (--network none on both) — medians of $RUNS;
# then 50 concurrent clients listing containers on berth's socket for 10 s
# (bench/api_load.py): requests, errors, p50/p99 latency.
#
#   sudo bench/api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BERTH_BENCH_NETNS:-}" ]; then
  export BERTH_BENCH_NETNS=1
  exec unshare --net -- bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi
. bench/lib.sh
RUNS=${RUNS:-20}
start_dockerd "$work/docker"
docker_sock=${DOCKER_HOST#unix://}

mkdir -p "$work/rootfs/bin"
cp /bin/busybox "$work/rootfs/bin/"
for c in sh true; do ln -s busybox "$work/rootfs/bin/$c"; done
tar -C "$work/rootfs" -cf "$work/img.tar" .
export BERTH_ROOT=$work/berth
"$BERTH" import "$work/img.tar" bench/box:1 >/dev/null
"$BERTH" save bench/box:1 | $DOCKER load -q >/dev/null
berth_sock=$work/berth.sock
"$BERTH" system service --time 0 "unix://$berth_sock" 2>"$work/service.err" &
service=$!
for _ in $(seq 50); do [ -S "$berth_sock" ] && break; sleep 0.1; done
for engine in "$docker_sock" "$berth_sock"; do
  for n in $(seq 10); do DOCKER_HOST="unix://$engine" $DOCKER create --network none --name "c$n" bench/box:1 true >/dev/null; done
done

via() { local sock=$1; shift; DOCKER_HOST="unix://$sock" $DOCKER "$@"; }
for workload in "ps -a" "images" "inspect c1" "run --rm --network none bench/box:1 true"; do
  # shellcheck disable=SC2086
  median_ms nothing via "$berth_sock" $workload
  b=$median
  # shellcheck disable=SC2086
  median_ms nothing via "$docker_sock" $workload
  report "docker ${workload%% *}" "$b" "$median" "docker $workload, client start-up included"
done

python3 bench/api_load.py "$berth_sock" 50 10
kill "$service"
