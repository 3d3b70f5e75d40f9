#!/bin/bash
# The Engine API on a socket (issue #12): `berth system service`, its socket,
# /_ping and /version as Docker's CLI reads them, moby's error bodies, a client
# that misbehaves costing only its own connection, and the idle timeout.
. "$(dirname "$0")/lib.sh"

sock=$WORK/api.sock
api() { curl -s --unix-socket "$sock" "$@"; }
start_service() {
  "$BERTH" system service --time "$1" "unix://$sock" 2>"$WORK/service.err" & service_pid=$!  # not the berth function: $! must be the service
  BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $service_pid"
  for _ in $(seq 50); do [ -S "$sock" ] && api -o /dev/null http://d/_ping && return; sleep 0.1; done
  fail "the service did not start: $(cat "$WORK/service.err")"
}

start_service 0
assert_eq "$(stat -c '%a %U:%G %F' "$sock")" "660 root:root socket" "the socket's mode, owner and type"
headers=$(api -D - -o "$WORK/ping" http://d/_ping | tr -d '\r')
assert_eq "$(cat "$WORK/ping")" "OK" "/_ping's body"
for h in "Api-Version: 1.41" "Builder-Version: 1" "Ostype: linux" "Docker-Experimental: false"; do
  grep -qx "$h" <<<"$headers" || fail "/_ping lacks header $h: $headers"
done
assert_eq "$(api -I http://d/_ping | tr -d '\r' | sed -n 1p)" "HTTP/1.1 200 OK" "HEAD /_ping"
pass "the socket and /_ping"

# The docker CLI reads /version: the Server section is berth's engine.
server=$(DOCKER_HOST="unix://$sock" $DOCKER version --format '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}/{{.Server.Arch}}')
assert_eq "$server" "$(berth --version | awk '{print $3}') 1.41 1.24 linux/$(dpkg --print-architecture)" "docker version's Server"
assert_eq "$(api http://d/v1.24/version | python3 -c 'import json,sys; print(json.load(sys.stdin)["Components"][0]["Name"])')" "Engine" "/v1.24/version"
pass "docker version through the socket"

# moby's errors: unknown paths, versions out of range.
out=$(api -w ' %{http_code} %{content_type}' http://d/v1.41/no/such/thing)
assert_eq "$out" '{"message":"page not found"}
 404 application/json' "an unknown path"
assert_eq "$(api -o /dev/null -w '%{http_code}' http://d/v1.12/version)" 400 "a version below 1.24"
pass "moby's error bodies"

# A misbehaving client costs its own connection: a header larger than 1 MiB, a
# body cut short, a client that connects and never sends; the others are served.
python3 - "$sock" <<'PY' || fail "oversized and short requests"
import socket, sys
def conn():
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); return s
s = conn()
try:
    s.sendall(b"GET /_ping HTTP/1.1\r\nX: " + b"a" * (2 << 20) + b"\r\n\r\n")
except (BrokenPipeError, ConnectionResetError):
    pass
reply = s.recv(100)
assert reply.startswith(b"HTTP/1.1 431"), reply
s = conn(); s.sendall(b"POST /build HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort"); s.shutdown(socket.SHUT_WR)
reply = s.recv(100)
assert reply.startswith(b"HTTP/1.1 400"), reply
PY
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(30)' "$sock" & stalled=$!
sleep 0.3
assert_eq "$(api --max-time 5 http://d/_ping)" "OK" "served while another client stalls"
kill "$stalled"; wait "$stalled" 2>/dev/null || true
kill -0 "$service_pid" || fail "the service died"
pass "a misbehaving client costs one connection"
kill "$service_pid"; wait "$service_pid" 2>/dev/null || true

# Idle timeout: not while a connection is open; then it exits by itself.
start_service 1
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(2.5)' "$sock" & holder=$!
sleep 2
kill -0 "$service_pid" 2>/dev/null || fail "the service stopped with a connection open"
wait "$holder"
for _ in $(seq 40); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$service_pid" 2>/dev/null && fail "the service did not stop when idle"
wait "$service_pid"; assert_eq $? 0 "the idle service's exit code"
pass "the idle timeout counts open connections"

# A socket left by a killed service is taken over; a live one is not.
start_service 0
expect_failure "a second service on a live socket" berth system service "unix://$sock"
kill -9 "$service_pid"; wait "$service_pid" 2>/dev/null || true
start_service 0
echo keep >"$WORK/not-a-socket"
expect_failure "a path that is not a socket" berth system service "unix://$WORK/not-a-socket"
assert_eq "$(cat "$WORK/not-a-socket")" keep "the file named instead of a socket is left as it was"
pass "a stale socket is replaced, a live one refused, a file never removed"

# TCP: loopback only, unless told otherwise (then with a warning).
port=$(free_port)
"$BERTH" system service --time 0 "tcp://127.0.0.1:$port" 2>"$WORK/tcp.err" & tcp_pid=$!
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $tcp_pid"
wait_for_http "http://127.0.0.1:$port/_ping"
assert_eq "$(DOCKER_HOST="tcp://127.0.0.1:$port" $DOCKER version --format '{{.Server.APIVersion}}')" "1.41" "docker version over TCP"
kill "$tcp_pid"; wait "$tcp_pid" 2>/dev/null || true
expect_failure "a non-loopback TCP address" berth system service "tcp://0.0.0.0:$(free_port)"
grep -q "not a loopback address" "$WORK/stderr" || fail "the refusal says why: $(cat "$WORK/stderr")"
any_port=$(free_port)
"$BERTH" system service --time 0 --allow-non-loopback "tcp://0.0.0.0:$any_port" 2>"$WORK/any.err" & any_pid=$!
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $any_pid"
wait_for_http "http://127.0.0.1:$any_port/_ping"
grep -q "^WARNING: serving the Engine API on tcp://0.0.0.0:$any_port without TLS" "$WORK/any.err" || fail "the warning: $(cat "$WORK/any.err")"
kill "$any_pid"; wait "$any_pid" 2>/dev/null || true
pass "TCP on loopback; elsewhere only with --allow-non-loopback and a warning"

# --group: the socket's group, mode 0660 still.
"$BERTH" system service --time 0 --group nogroup "unix://$WORK/group.sock" 2>/dev/null & group_pid=$!
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $group_pid"
for _ in $(seq 50); do [ -S "$WORK/group.sock" ] && break; sleep 0.1; done
assert_eq "$(stat -c '%a %U:%G' "$WORK/group.sock")" "660 root:nogroup" "--group"
kill "$group_pid"; wait "$group_pid" 2>/dev/null || true
pass "--group names the socket's group"

# The systemd units: the socket unit's ListenStream handed over as systemd
# does (systemd-socket-activate sets LISTEN_FDS), the service's ExecStart run.
units=$BERTH_SOURCE_DIR/contrib/systemd
assert_eq "$(sed -n 's/^ListenStream=//p' "$units/berth.socket")" "/run/berth.sock" "the socket unit's path"
assert_eq "$(sed -n 's/^KillMode=//p' "$units/berth.service")" "process" "the service unit's KillMode"
exec_start=$(sed -n 's/^ExecStart=//p' "$units/berth.service")
read -r -a argv <<<"$exec_start"
systemd-socket-activate -l "$WORK/activated.sock" -- "$BERTH" "${argv[@]:1}" 2>"$WORK/activate.err" & act_pid=$!
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $act_pid"
for _ in $(seq 50); do [ -S "$WORK/activated.sock" ] && break; sleep 0.1; done
assert_eq "$(curl -s --unix-socket "$WORK/activated.sock" http://d/_ping)" "OK" "served on the socket systemd passed"
kill "$act_pid"; wait "$act_pid" 2>/dev/null || true
pass "contrib/systemd: socket activation with the units' settings"
