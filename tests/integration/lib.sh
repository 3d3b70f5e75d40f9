# Shared helpers for the integration tests: a private store root and work
# directory per test, assertions, fixtures, and a private dockerd when needed.
# Every test drives the real berth binary ($BERTH) as root.
set -euo pipefail

# Every test runs in a network namespace of its own (the machine's network
# rule): the bridges, veths, addresses and NAT rules berth makes for its
# containers live there and vanish with it. Loopback is up, so registries,
# dockerd and published ports on 127.0.0.1 work as before.
# The machine's namespace stays reachable through a pin (PID 1's may be closed to us).
if [ -z "${BERTH_TEST_NETNS:-}" ]; then
  export BERTH_TEST_NETNS=$$ BERTH_HOST_NETNS
  BERTH_HOST_NETNS=$(mktemp /tmp/berth-hostnet.XXXXXX)
  mount --bind /proc/self/ns/net "$BERTH_HOST_NETNS"
  exec unshare --net -- bash "${BASH_SOURCE[1]}" "$@"
fi
ip link set lo up
# Runs a command in the machine's own network namespace, for what needs the
# Debian archive (debootstrap, a build whose RUN steps apt-get). Never for a
# command that starts a container.
host_net() { nsenter --net="$BERTH_HOST_NETNS" -- "$@"; }

: "${BERTH:?set BERTH to the berth binary}"
: "${BERTH_SOURCE_DIR:?set BERTH_SOURCE_DIR to the source tree}"
DOCKER=/usr/bin/docker  # Debian's docker.io client, matching its dockerd
WORK=$(mktemp -d /tmp/bit.XXXXXX)
export BERTH_ROOT=$WORK/root
FX=$WORK/fx

cleanup() {
  local rc=$?
  for pid in ${BACKGROUND_PIDS:-}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "${DOCKERD_PID:-}" ]; then
    kill "$DOCKERD_PID" 2>/dev/null || true
    wait "$DOCKERD_PID" 2>/dev/null || true
  fi
  # Containers a failed test left running (their monitors would outlive $WORK).
  if [ -d "$BERTH_ROOT/containers" ] && [ -n "$(ls "$BERTH_ROOT/containers")" ]; then
    "$BERTH" rm -f $("$BERTH" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
  fi
  # Only mounts below our own directory: an empty $WORK would match every mount.
  [ -n "$WORK" ] && grep -q " $WORK" /proc/mounts && awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | xargs -r umount -l
  rm -rf "$WORK"
  umount "$BERTH_HOST_NETNS" 2>/dev/null && rm -f "$BERTH_HOST_NETNS"
  exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
assert_eq() { [ "$1" = "$2" ] || fail "$3: expected [$2], got [$1]"; }

# `grep -q` for the end of a pipeline. grep -q (and grep to /dev/null) stops
# at the first match, so a writer still writing gets SIGPIPE, and pipefail
# turns a match into a random failure. This reads all of its input first.
matches() { local input; input=$(cat); grep -q "$@" <<<"$input"; }
# The first line of the input, likewise reading all of it (head -1 would not).
first_line() { sed -n 1p; }

berth() { "$BERTH" "$@"; }

make_fixtures() { python3 "$BERTH_SOURCE_DIR/tests/integration/fixtures.py" "$FX"; }

# Everything in the store that a command could change: files (not the
# database's own WAL files) and the database contents — but not the durability
# marks, which a background sync clears whenever it runs (docs/storage.md).
store_snapshot() {
  (cd "$BERTH_ROOT" && find . \( -name 'berth.db*' -o -name berth.lock \) -prune -o -printf '%p %y %s %m\n' | sort
   # (a busy timeout: the background sync may be clearing its marks right now)
   sqlite3 -cmd '.timeout 10000' "$BERTH_ROOT/berth.db" .dump | grep -v '^INSERT INTO unsynced ')
}

# Runs a command expected to fail: non-zero exit, exactly one line on stderr.
expect_failure() {
  local what=$1; shift
  local err=$WORK/stderr
  if "$@" >"$WORK/stdout" 2>"$err"; then fail "$what: succeeded but should have failed"; fi
  [ "$(wc -l <"$err")" -eq 1 ] || { cat "$err" >&2; fail "$what: error is not one line"; }
  echo "ok: $what -> $(cat "$err")"
}

start_dockerd() {
  local sock=$WORK/d.sock
  dockerd --bridge=none --iptables=false --data-root "$WORK/docker" --exec-root "$WORK/dx" \
    -H "unix://$sock" --pidfile "$WORK/d.pid" >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  export DOCKER_HOST=unix://$sock
  for _ in $(seq 1 60); do
    $DOCKER info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  cat "$WORK/dockerd.log" >&2
  fail "dockerd did not start"
}

# A small busybox image built by real Docker (classic builder: no BuildKit needed).
docker_build_busybox() {
  local tag=$1 ctx=$WORK/ctx
  mkdir -p "$ctx"
  cp /bin/busybox "$ctx/busybox"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www && echo hello > /www/index.html && rm /bin/ls
ENV APP=demo
LABEL org.example.test=yes
CMD ["/bin/sh"]
DOCKERFILE
  DOCKER_BUILDKIT=0 $DOCKER build -q -t "$tag" "$ctx" >/dev/null
}

# `berth system service` on $WORK/api.sock, for Docker's clients; sets
# API_SOCK and SERVICE_PID (killed at exit with the other background processes).
start_api_service() {
  API_SOCK=$WORK/api.sock
  "$BERTH" system service --time 0 "unix://$API_SOCK" 2>"$WORK/service.err" & SERVICE_PID=$!  # not the berth function: $! must be the service
  BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $SERVICE_PID"
  for _ in $(seq 50); do [ -S "$API_SOCK" ] && return 0; sleep 0.1; done
  fail "the service did not start: $(cat "$WORK/service.err")"
}

# A FROM-scratch image with static busybox and these applets, /www/index.html
# holding "hello through the API", imported into berth as $1 (extra import flags after).
import_busybox_image() {
  local name=$1; shift
  local root=$WORK/rootfs-$RANDOM
  mkdir -p "$root/bin" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for c in sh echo cat sleep httpd wget true; do ln -s busybox "$root/bin/$c"; done
  echo "hello through the API" >"$root/www/index.html"
  tar -C "$root" -cf "$root.tar" .
  berth import "$@" "$root.tar" "$name" >/dev/null
}

# A TCP port nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for_http() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  fail "nothing answers at $1"
}

# Debian's docker-registry on 127.0.0.1 with its storage under $WORK. Extra
# YAML (an auth: section) may come as $1. Sets REGISTRY=127.0.0.1:port.
start_registry() {
  local port dir
  port=$(free_port)
  dir=$WORK/registry-$port
  mkdir -p "$dir"
  # REGISTRY_ACCESS_LOG=1: every request in $REGISTRY_DIR/log (a test counts them).
  { printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: %s\n' \
      "$([ "${REGISTRY_ACCESS_LOG:-0}" = 1 ] && echo false || echo true)"
    printf 'storage:\n  filesystem:\n    rootdirectory: %s/data\n  delete:\n    enabled: true\n' "$dir"
    printf 'http:\n  addr: 127.0.0.1:%s\n' "$port"
    printf '%s\n' "${1:-}"
  } >"$dir/config.yml"
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $!"
  REGISTRY=127.0.0.1:$port
  REGISTRY_DIR=$dir
  wait_for_http "http://$REGISTRY/v2/"
}
