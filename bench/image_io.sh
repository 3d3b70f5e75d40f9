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
  $DOCKER rmi "$image" bench/debian:bookworm >/dev/null  # or docker load would find the base layer present
fi
image=$(tar -xOf "$image_tar" manifest.json | jq -r '.[0].RepoTags[0]')

# median_ms PREPARE CMD...: runs PREPARE (untimed, e.g. emptying the store) and
# then CMD, $RUNS times after one warm-up, and prints CMD's median time in ms.
median_ms() {
  local prepare=$1 times=() s
  shift
  [ "$prepare" = nothing ] && "$@" >/dev/null 2>&1  # warm-up
  for _ in $(seq "$RUNS"); do
    $prepare
    sync
    # ext4 scans past inodes freed in the last ~30 s when it allocates new ones:
    # after a deletion, wait, or every loader pays for the one before it.
    [ "$prepare" = nothing ] || sleep "${SETTLE:-31}"
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($(( ($(date +%s%N) - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}
report() {  # name berth_ms docker_ms [note]
  printf '%-18s berth %6d ms   docker %6d ms   berth/docker %.2f   %s\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" "${4:-}"
}
nothing() { :; }

export BERTH_ROOT=$work/berth-root
docker_empty() {  # no image and no layer left, so every load is a cold one
  local ids
  ids=$($DOCKER images -q | sort -u)
  [ -z "$ids" ] || $DOCKER rmi -f $ids >/dev/null 2>&1 || true
  [ "$(ls "$BENCH_DIR/docker/overlay2" | grep -vc '^l$')" = 0 ] || echo "warning: docker still holds layers" >&2
}
berth_empty() { rm -rf "$BERTH_ROOT"; }
floor_empty() { rm -rf "$work/x" "$work/y"; mkdir -p "$work/x" "$work/y"; }
tar_x() {  # what any loader must do at least: unpack the archive, then each layer
  tar -xf "$image_tar" -C "$work/x"
  for l in $(jq -r '.[0].Layers[]' "$work/x/manifest.json"); do tar -xf "$work/x/$l" -C "$work/y"; done
}

size_mb=$(( $(stat -c %s "$image_tar") / 1000000 ))
echo "workload: $image, $size_mb MB archive, $(tar -xOf "$image_tar" manifest.json | jq '.[0].Layers | length') layers; median of $RUNS runs"
floor_x=$(median_ms floor_empty tar_x)
report "load" "$(median_ms berth_empty "$BERTH" load -i "$image_tar")" \
  "$(median_ms docker_empty $DOCKER load -i "$image_tar")" "(floor, tar -x of the same bytes: $floor_x ms)"

"$BERTH" load -i "$image_tar" >/dev/null; $DOCKER load -i "$image_tar" >/dev/null
floor_c=$(median_ms nothing tar -C "$work/y" -cf "$work/floor.tar" .)
report "save" "$(median_ms nothing "$BERTH" save -o "$work/b.tar" "$image")" \
  "$(median_ms nothing $DOCKER save -o "$work/d.tar" "$image")" "(floor, tar -c of the files: $floor_c ms)"

for i in $(seq 500); do echo "$i"; done | while read -r i; do "$BERTH" tag "$image" "bench/many:$i"; done
for i in $(seq 500); do $DOCKER tag "$image" "bench/many:$i"; done
report "images (500 tags)" "$(median_ms nothing "$BERTH" images)" "$(median_ms nothing $DOCKER images)"
report "inspect" "$(median_ms nothing "$BERTH" inspect "$image")" "$(median_ms nothing $DOCKER inspect "$image")"
