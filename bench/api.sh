#!/bin/bash
# The Engine API, side by side in the same run: Debian's docker CLI (client
# start-up included) against `berth system service` and against a private
# dockerd 20.10, both stores holding the same image and the same 10 stopped
# containers — `docker ps -a`, `docker images`, `docker inspect`,
# `docker run --rm IMG true` (--network none on both) — medians of $RUNS
# runs taken in turn;
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
RUNS=${RUNS:-40}
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
# One run on each engine in turn, $RUNS times, so both meet the same machine
# state; sets $berth_us and $docker_us to the medians in microseconds (these
# workloads differ by a millisecond or two, below the resolution of median_ms).
alternating_medians() {
  local berth_times=() docker_times=() s
  via "$berth_sock" "$@" >/dev/null 2>&1
  via "$docker_sock" "$@" >/dev/null 2>&1
  for _ in $(seq "$RUNS"); do
    s=$(date +%s%N); via "$berth_sock" "$@" >/dev/null 2>&1; berth_times+=($(( ($(date +%s%N) - s) / 1000 )))
    s=$(date +%s%N); via "$docker_sock" "$@" >/dev/null 2>&1; docker_times+=($(( ($(date +%s%N) - s) / 1000 )))
  done
  berth_us=$(printf '%s\n' "${berth_times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  docker_us=$(printf '%s\n' "${docker_times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
}
for workload in "ps -a" "images" "inspect c1" "run --rm --network none bench/box:1 true"; do
  # shellcheck disable=SC2086
  alternating_medians $workload
  printf '%-18s berth %8.1f ms   docker %8.1f ms   berth/docker %.2f   %s\n' "docker ${workload%% *}" \
    "$(echo "$berth_us / 1000" | bc -l)" "$(echo "$docker_us / 1000" | bc -l)" "$(echo "$berth_us / $docker_us" | bc -l)" \
    "docker $workload, client start-up included"
done

python3 bench/api_load.py "$berth_sock" 50 10
kill "$service"
