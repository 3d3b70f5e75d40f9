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
  [ -n "$dockerd_pid" ] && kill "$dockerd_pid" && wait "$dockerd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A private dockerd on its own data root, so the bench measures a clean daemon.
dockerd --bridge=none --iptables=false --data-root "$BENCH_DIR/docker" --exec-root "$work/dx" \
  -H "unix://$work/d.sock" --pidfile "$work/d.pid" >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
export DOCKER_HOST=unix://$work/d.sock
for _ in $(seq 60); do $DOCKER info >/dev/null 2>&1 && break; sleep 0.5; done

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
fi
image=$(tar -xOf "$image_tar" manifest.json | jq -r '.[0].RepoTags[0]')

# median_ms CMD...: runs CMD $RUNS times (after one warm-up) and prints the median in ms.
median_ms() {
  local times=() s
  "$@" >/dev/null 2>&1
  for _ in $(seq "$RUNS"); do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($(( ($(date +%s%N) - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}
report() {  # name berth_ms docker_ms [floor]
  printf '%-22s berth %7d ms   docker %7d ms   ratio %.2f   %s\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" "${4:-}"
}

export BERTH_ROOT=$work/berth-root
docker_load() { $DOCKER rmi -f "$image" >/dev/null 2>&1 || true; $DOCKER image prune -f >/dev/null; $DOCKER load -i "$image_tar"; }
berth_load() { rm -rf "$BERTH_ROOT"; "$BERTH" load -i "$image_tar"; }
tar_x() { rm -rf "$work/x"; mkdir "$work/x"; tar -xf "$image_tar" -C "$work/x"; for l in $(tar -xOf "$image_tar" manifest.json | jq -r '.[0].Layers[]'); do mkdir -p "$work/y"; tar -xf "$work/x/$l" -C "$work/y"; done; rm -rf "$work/y"; }

size_mb=$(( $(stat -c %s "$image_tar") / 1000000 ))
echo "workload: $image, $size_mb MB archive, $(tar -xOf "$image_tar" manifest.json | jq '.[0].Layers | length') layers; median of $RUNS runs"
floor_x=$(median_ms tar_x)
report "load" "$(median_ms berth_load)" "$(median_ms docker_load)" "(tar -x of the same bytes: $floor_x ms)"

berth_load >/dev/null; docker_load >/dev/null
floor_c=$(median_ms tar -C "$work/x" -cf "$work/floor.tar" .)
report "save" "$(median_ms "$BERTH" save -o "$work/b.tar" "$image")" "$(median_ms $DOCKER save -o "$work/d.tar" "$image")" "(tar -c: $floor_c ms)"

for i in $(seq 500); do echo "$i"; done | while read -r i; do "$BERTH" tag "$image" "bench/many:$i"; done
for i in $(seq 500); do $DOCKER tag "$image" "bench/many:$i"; done
report "images (500 tags)" "$(median_ms "$BERTH" images)" "$(median_ms $DOCKER images)"
report "inspect" "$(median_ms "$BERTH" inspect "$image")" "$(median_ms $DOCKER inspect "$image")"
