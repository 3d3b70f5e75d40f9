# What the benchmarks share: the berth binary, a scratch directory, a private
# dockerd, median timings, and the issue's workload image (a 3-layer Debian
# bookworm + python3 image, made once with debootstrap and Docker's classic
# builder, cached under $BENCH_DIR; needs the Debian archive the first time).
# Source it from a bench script, from the repository's root, after `set -euo pipefail`.
BENCH_DIR=${BENCH_DIR:-/var/tmp/berth-bench}
RUNS=${RUNS:-5}
DOCKER=/usr/bin/docker
BERTH=${BERTH:-$PWD/build/berth}
mkdir -p "$BENCH_DIR"
[ -x "$BERTH" ] || { cmake -S . -B build -G Ninja >/dev/null && cmake --build build --target berth >/dev/null; }

work=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
dockerd_pid=
registry_pid=
cleanup() {
  [ -n "$dockerd_pid" ] && stop_dockerd
  [ -n "$registry_pid" ] && kill "$registry_pid"
  # podman and skopeo leave their storage's overlay mounted.
  [ -n "$work" ] && awk -v w="$work" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | xargs -r umount -l
  rm -rf "$work"
}
trap cleanup EXIT

# A private dockerd on a data root of our choosing, so each run can start clean.
# start_dockerd DATA_ROOT: Docker with its bridge off, as the machine's own network
# namespace must stay untouched; a script running in a namespace of its own
# (containers.sh) sets DOCKERD_NETWORK=bridge to give Docker its default bridge,
# iptables rules included, inside that namespace.
start_dockerd() {
  local net=(--bridge=none --iptables=false)
  [ "${DOCKERD_NETWORK:-}" = bridge ] && [ -n "${BERTH_BENCH_NETNS:-}" ] && net=()
  dockerd "${net[@]}" --data-root "$1" --exec-root "$work/dx" \
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

# build_workload_image: sets $image_tar (a `docker save` archive) and $image.
build_workload_image() {
  image_tar=$BENCH_DIR/debian-python3.tar
  image=bench/debian-python3:1.0
  if [ ! -f "$image_tar" ]; then
    echo "building the workload image (once)..." >&2
    if [ ! -x "$BENCH_DIR/rootfs/bin/sh" ]; then
      rm -rf "$BENCH_DIR/rootfs"
      debootstrap --variant=minbase bookworm "$BENCH_DIR/rootfs" "$("$(dirname "$0")/../scripts/debian-mirror")" >"$work/debootstrap.log"
    fi
    # A script that makes the image before it starts its own dockerd (build_tree.sh) gets one here.
    local own_dockerd=
    if [ -z "$dockerd_pid" ]; then
      start_dockerd "$work/docker-workload"
      own_dockerd=1
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
    if [ -n "$own_dockerd" ]; then
      stop_dockerd
      rm -rf "$work/docker-workload"
    fi
  fi
}

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


# start_registry STORAGE_DIR: Debian's docker-registry on 127.0.0.1 (address in
# $R), storing into STORAGE_DIR; a second call replaces the first.
start_registry() {
  command -v docker-registry >/dev/null || apt-get install -y -qq docker-registry >/dev/null
  [ -n "$registry_pid" ] && { kill "$registry_pid"; wait "$registry_pid" 2>/dev/null || true; }
  [ -n "${R:-}" ] || R=127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$1"
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' \
    "$1" "$R" >"$1.yml"
  docker-registry serve "$1.yml" >>"$work/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://$R/v2/" && return 0; sleep 0.1; done
  echo "docker-registry did not start" >&2
  exit 1
}

# make_many_layer_image OUT.tar: a `docker save` archive of bench/many:1, 21
# layers each one 10 MB file, half of it random (so gzip has real work but
# cannot make it vanish).
make_many_layer_image() {
  python3 - "$1" <<'PY'
import hashlib, io, json, os, sys, tarfile
out = tarfile.open(sys.argv[1], "w")
diff_ids, names = [], []
for i in range(21):
    data = os.urandom(5 << 20) + bytes(range(256)) * (5 << 12)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo(f"data/layer{i:02d}.bin"); info.size = len(data); info.mtime = 1700000000
        t.addfile(info, io.BytesIO(data))
    layer = buf.getvalue()
    d = hashlib.sha256(layer).hexdigest()
    info = tarfile.TarInfo(f"{d}/layer.tar"); info.size = len(layer)
    out.addfile(info, io.BytesIO(layer))
    diff_ids.append("sha256:" + d); names.append(f"{d}/layer.tar")
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]},
                     "created": "2024-01-01T00:00:00Z",
                     "rootfs": {"type": "layers", "diff_ids": diff_ids},
                     "history": [{"created": "2024-01-01T00:00:00Z", "created_by": f"layer {i}"} for i in range(21)]}).encode()
cid = hashlib.sha256(config).hexdigest()
for name, body in ((f"{cid}.json", config),
                   ("manifest.json", json.dumps([{"Config": f"{cid}.json", "RepoTags": ["bench/many:1"], "Layers": names}]).encode())):
    info = tarfile.TarInfo(name); info.size = len(body); out.addfile(info, io.BytesIO(body))
out.close()
PY
}

# make_file_tree DIR: build_tree.sh's context tree, 100 directories of 100
# files of 10 KiB of random bytes (10k files, 100 MB).
make_file_tree() {
  python3 - "$1" <<'PY'
import os, sys
for d in range(100):
    os.makedirs(f"{sys.argv[1]}/d{d:03}")
    for f in range(100):
        with open(f"{sys.argv[1]}/d{d:03}/f{f:03}.bin", "wb") as out:
            out.write(os.urandom(10240))
PY
}
