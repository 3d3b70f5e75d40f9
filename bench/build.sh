#!/bin/bash
# build, side by side in the same run, berth against Docker 20.10's classic
# builder (DOCKER_BUILDKIT=0), on the same base image in both:
#  - the seed's Dockerfile (Debian bookworm + apt-get install python3 + COPY +
#    CMD), cold (--no-cache) and fully cached;
#  - a busybox-based Dockerfile of 12 small steps (config steps, RUNs, COPYs),
#    cold and cached: the per-step overhead.
# Medians of $RUNS runs. The Debian base comes from bench/lib.sh's debootstrap.
#
#   sudo bench/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${RUNS:-3}
build_workload_image >/dev/null  # makes $BENCH_DIR/rootfs (debootstrap) once
start_dockerd "$work/docker"
export BERTH_ROOT=$work/berth
export DOCKER_BUILDKIT=0

tar -C "$BENCH_DIR/rootfs" -cf "$work/debian.tar" .
"$BERTH" import "$work/debian.tar" bench/debian:bookworm >/dev/null
"$BERTH" save bench/debian:bookworm | $DOCKER load -q >/dev/null
mkdir -p "$work/box/bin"
cp /bin/busybox "$work/box/bin/" && for c in sh echo mkdir touch; do ln -s busybox "$work/box/bin/$c"; done
tar -C "$work/box" -cf "$work/box.tar" .
"$BERTH" import "$work/box.tar" bench/box:1 >/dev/null
"$BERTH" save bench/box:1 | $DOCKER load -q >/dev/null

mkdir -p "$work/seed" "$work/small"
echo 'print("hello")' >"$work/seed/app.py"
cat >"$work/seed/Dockerfile" <<'D'
FROM bench/debian:bookworm
RUN apt-get update && apt-get install -y python3
COPY app.py /app/app.py
CMD ["python3", "/app/app.py"]
D
for i in 1 2 3; do echo "file $i" >"$work/small/f$i.txt"; done
cat >"$work/small/Dockerfile" <<'D'
FROM bench/box:1
ARG V=1
ENV A=1 B=2
LABEL x=y
RUN echo one > /one
COPY f1.txt /f1.txt
RUN mkdir -p /d && touch /d/x
COPY f2.txt f3.txt /d/
WORKDIR /w
RUN echo $V > v
EXPOSE 80
CMD ["sh"]
D

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
time_ms() {  # a failed build stops the bench: its time would mean nothing
  local s
  s=$(date +%s%N)
  "$@" >"$work/build.log" 2>&1 || { tail -5 "$work/build.log" >&2; echo "failed: $*" >&2; exit 1; }
  echo $(( ($(date +%s%N) - s) / 1000000 ))
}
compare() {  # NAME CONTEXT FLAGS...
  local name=$1 ctx=$2 b=() d=()
  shift 2
  for _ in $(seq "$RUNS"); do
    b+=("$(time_ms "$BERTH" build --network host "$@" -t bench/built:1 "$ctx")")
    d+=("$(time_ms $DOCKER build --network host "$@" -t bench/built:1 "$ctx")")
  done
  report "$name" "$(median "${b[@]}")" "$(median "${d[@]}")"
}
compare "seed, cold" "$work/seed" --no-cache
compare "seed, cached" "$work/seed"
compare "12 steps, cold" "$work/small" --no-cache
compare "12 steps, cached" "$work/small"
