#!/bin/bash
# The Engine API's safety (issue #12, "Must show" 5 and 6): what a create
# request may ask is honoured as Docker would (the socket is root, docs/api.md)
# and what berth cannot do is refused, not ignored; malformed requests cost
# one connection; a client killed mid-build or mid-pull leaves the service up
# and the store consistent; the idle timeout waits for streaming and hijacked
# connections, and containers outlive the service.
. "$(dirname "$0")/lib.sh"

import_busybox_image box:1
start_api_service
api() { curl -s --unix-socket "$API_SOCK" "$@"; }
docker() { DOCKER_HOST="unix://$API_SOCK" $DOCKER "$@"; }
create() { api -o "$WORK/create.out" -w '%{http_code}' -H 'Content-Type: application/json' -d "$1" http://d/v1.41/containers/create; }

# Privileged gets every capability; a bind of / shows the host's files; both as in Docker.
caps=$(docker run --rm --privileged box:1 sh -c 'grep CapEff /proc/self/status')
default_caps=$(docker run --rm box:1 sh -c 'grep CapEff /proc/self/status')
[ "$caps" != "$default_caps" ] || fail "--privileged through the API changed nothing: $caps"
echo "host file $$" >"$WORK/host-file"
assert_eq "$(docker run --rm -v /:/host box:1 cat "/host$WORK/host-file")" "host file $$" "a bind of / through the API"
# What berth cannot do yet is refused with a one-line reason, nothing made.
for field in '"PidMode": "host"' '"Devices": [{"PathOnHost": "/dev/kmsg"}]' '"RestartPolicy": {"Name": "always"}' '"IpcMode": "host"'; do
  code=$(create "{\"Image\": \"box:1\", \"HostConfig\": {$field}}")
  assert_eq "$code" 400 "create with $field"
  grep -q "not supported by berth yet" "$WORK/create.out" || fail "the refusal of $field: $(cat "$WORK/create.out")"
done
assert_eq "$(berth ps -aq)" "" "no container made by a refused create"
pass "Privileged and binds of / honoured as Docker; PidMode, Devices, restart policies, IpcMode refused"

# Malformed requests: a 400 each, the service unharmed.
assert_eq "$(create '{"Image": "box:1", "HostConfig": ')" 400 "malformed JSON"
assert_eq "$(create '["not", "an", "object"]')" 400 "a JSON array for a container config"
assert_eq "$(create '{"Image": "box:1", "Cmd": 7}')" 400 "a Cmd of the wrong type"
# Members of the wrong type are refused as Go's decoder refuses them, never ignored, never a 500.
for body in '{"Image": 5}' '{"Image": "box:1", "Env": "A=1"}' '{"Image": "box:1", "Labels": {"a": 5}}' \
  '{"Image": "box:1", "Tty": "yes"}' '{"Image": "box:1", "ExposedPorts": []}' \
  '{"Image": "box:1", "HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": 80}]}}}' \
  '{"Image": "box:1", "HostConfig": {"Mounts": [{"Type": 5}]}}' '{"Image": "box:1", "HostConfig": {"Mounts": {}}}' \
  '{"Image": "box:1", "HostConfig": {"AutoRemove": "true"}}' '{"Image": "box:1", "HostConfig": {"Dns": "1.1.1.1"}}' \
  '{"Image": "box:1", "Healthcheck": {"Test": "CMD true"}}' '{"Image": "box:1", "Healthcheck": {"Interval": "5s"}}' \
  '{"Image": "box:1", "NetworkingConfig": {"EndpointsConfig": {"bridge": {"Aliases": "web"}}}}'; do
  assert_eq "$(create "$body")" 400 "create with $body"
done
assert_eq "$(create '{"Image": "box:1", "HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": 80}]}}}'; cat "$WORK/create.out")" \
  '400{"message":"invalid request: type must be string, but is number"}' "a JSON type error deep in a request"
assert_eq "$(create '{"Image": "box:1", "HostConfig": {"Dns": "1.1.1.1"}}'; cat "$WORK/create.out")" \
  '400{"message":"Dns must be a list of strings"}' "a []string sent as a string (only Cmd, Entrypoint, CapAdd, CapDrop take one)"
assert_eq "$(create '{"Image": "box:1", "Tty": "yes"}'; cat "$WORK/create.out")" '400{"message":"container config: Tty is not a boolean"}' "the field named"
assert_eq "$(create '{"Image": "box:1"}')" 400 "an image without a command (Docker: 400)"
assert_eq "$(api -o /dev/null -w '%{http_code}' -X POST 'http://d/v1.41/containers/json?limit=x')" 405 "a known path with the wrong method"
assert_eq "$(api -o /dev/null -w '%{http_code}' 'http://d/v1.41/containers/json?limit=x')" 400 "a bad integer parameter"
stdin_id=$(berth run -d -i box:1 sleep 60)
assert_eq "$(api -o "$WORK/attach.out" -w '%{http_code}' -X POST "http://d/v1.41/containers/$stdin_id/attach?stream=1&stdin=1&stdout=1")" 400 "attaching stdin to a running container without a terminal (not supported)"
grep -q "attaching stdin to a running container without a terminal is not supported by berth" "$WORK/attach.out" || fail "the refusal of stdin: $(cat "$WORK/attach.out")"
berth rm -f "$stdin_id" >/dev/null
# The other request bodies are decoded as strictly: a network, volume, exec or
# update whose member has the wrong type is refused, not carried out without it.
post() { api -o "$WORK/post.out" -w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "http://d/v1.41$1"; }
for body in '{"Name": 5}' '{"Name": "typed", "Labels": {"a": 5}}' '{"Name": "typed", "Labels": []}' \
  '{"Name": "typed", "Options": "x"}' '{"Name": "typed", "Internal": "yes"}' '{"Name": "typed", "IPAM": []}' \
  '{"Name": "typed", "IPAM": {"Config": {}}}' '{"Name": "typed", "IPAM": {"Config": [5]}}' \
  '{"Name": "typed", "IPAM": {"Config": [{"Subnet": 5}]}}'; do
  assert_eq "$(post /networks/create "$body")" 400 "network create with $body"
done
assert_eq "$(cat "$WORK/post.out")" '{"message":"Subnet must be a string"}' "the member named"
assert_eq "$(berth network ls -q -f name=typed)" "" "no network made by a refused create"
for body in '{"Container": "x", "EndpointConfig": {"Aliases": [1]}}' '{"Container": "x", "EndpointConfig": []}' \
  '{"Container": 5}'; do
  assert_eq "$(post /networks/bridge/connect "$body")" 400 "network connect with $body"
done
for body in '{"Name": "typed", "Labels": {"a": 1}}' '{"Name": "typed", "DriverOpts": []}' '{"Name": ["typed"]}'; do
  assert_eq "$(post /volumes/create "$body")" 400 "volume create with $body"
done
assert_eq "$(berth volume ls -q | grep -cx typed)" 0 "no volume made by a refused create"
typed_id=$(berth run -d box:1 sleep 60)
for body in '{"Cmd": "ls"}' '{"Cmd": ["ls", 1]}' '{"Cmd": ["ls"], "Tty": "yes"}' '{"Cmd": ["ls"], "Env": {"A": "1"}}'; do
  assert_eq "$(post "/containers/$typed_id/exec" "$body")" 400 "exec create with $body"
done
for body in '{"Memory": "1g"}' '{"PidsLimit": "10"}' '{"CpuShares": "2"}' '{"RestartPolicy": "always"}'; do
  assert_eq "$(post "/containers/$typed_id/update" "$body")" 400 "update with $body"
done
assert_eq "$(berth inspect -f '{{.HostConfig.Memory}}' "$typed_id")" 0 "no limit set by a refused update"
berth rm -f "$typed_id" >/dev/null
assert_eq "$(api http://d/_ping)" "OK" "the service after malformed requests"
pass "malformed requests are 400s"

# Large bodies are read as they arrive, never held whole: a 200 MB image
# archive loaded and a 200 MB build context sent through the socket leave the
# service's peak memory far below either.
mkdir -p "$WORK/big/root" "$WORK/bigctx"
head -c 200M /dev/urandom >"$WORK/big/root/blob"
tar -C "$WORK/big/root" -cf "$WORK/big/root.tar" .
berth import "$WORK/big/root.tar" big:1 >/dev/null
berth save -o "$WORK/big/big.tar" big:1
big_id=$(berth inspect -f '{{.Id}}' big:1)
berth rmi big:1 >/dev/null
api -sf -X POST -H 'Content-Type: application/x-tar' -T "$WORK/big/big.tar" http://d/v1.41/images/load >"$WORK/load.out" ||
  fail "loading 200 MB through the socket: $(cat "$WORK/load.out")"
assert_eq "$(berth inspect -f '{{.Id}}' big:1)" "$big_id" "the image loaded through the socket"
mv "$WORK/big/root/blob" "$WORK/bigctx/blob"
printf 'FROM box:1\nCOPY blob /blob\n' >"$WORK/bigctx/Dockerfile"
docker build -q -t bigctx:1 "$WORK/bigctx" >/dev/null || fail "a 200 MB build context through the socket"
assert_eq "$(berth run --rm bigctx:1 sh -c 'wc -c </blob')" "209715200" "the context's file in the built image"
peak_kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVICE_PID/status")
[ "$peak_kib" -lt $((96 * 1024)) ] || fail "the service's peak memory after 200 MB bodies: ${peak_kib} KiB"
berth rmi big:1 bigctx:1 >/dev/null
rm -rf "$WORK/big" "$WORK/bigctx"
pass "200 MB bodies (load, build context) streamed: the service's peak memory ${peak_kib} KiB"

# A client killed mid-build: the build ends, the service stays, the store is consistent.
mkdir -p "$WORK/ctx"
printf 'FROM box:1\nRUN sleep 3; echo done > /www/slow\n' >"$WORK/ctx/Dockerfile"
DOCKER_HOST="unix://$API_SOCK" $DOCKER build -t slow:1 "$WORK/ctx" >/dev/null 2>&1 & client=$!
sleep 1.5
kill -0 "$client" 2>/dev/null || fail "the build was over before its client could be killed"
kill -9 "$client"; wait "$client" 2>/dev/null || true
# A pull whose blobs come slowly (registry_peer.py's slow-blobs: 3 s before
# the first byte), its client killed while the service waits for them.
start_registry
peer_port=$(free_port)
echo slow-blobs >"$WORK/peer-mode"
python3 "$BERTH_SOURCE_DIR/tests/integration/registry_peer.py" --port "$peer_port" --upstream "$REGISTRY" \
  --mode-file "$WORK/peer-mode" &
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $!"
wait_for_http "http://127.0.0.1:$peer_port/v2/"
peer=127.0.0.1:$peer_port
head -c 8000000 /dev/urandom >"$WORK/big.bin"
mkdir -p "$WORK/bigroot" && cp "$WORK/big.bin" "$WORK/bigroot/" && tar -C "$WORK/bigroot" -cf "$WORK/big.tar" .
berth import "$WORK/big.tar" "$REGISTRY/big:1" >/dev/null
berth push "$REGISTRY/big:1" >/dev/null
berth rmi "$REGISTRY/big:1" >/dev/null
DOCKER_HOST="unix://$API_SOCK" $DOCKER pull "$peer/big:1" >"$WORK/pull.out" 2>&1 & client=$!
sleep 1
kill -0 "$client" 2>/dev/null || fail "the pull was over before its client could be killed: $(cat "$WORK/pull.out")"
kill -9 "$client"; wait "$client" 2>/dev/null || true
: >"$WORK/peer-mode"
sleep 4  # what the service was doing for them ends (or completes)
assert_eq "$(api http://d/_ping)" "OK" "the service after clients were killed mid-build and mid-pull"
kill -0 "$SERVICE_PID" || fail "the service died"
berth system check >"$WORK/check.out" 2>&1 || fail "system check after killed clients: $(cat "$WORK/check.out")"
docker pull "$peer/big:1" >/dev/null || fail "the pull again"
docker build -t slow:1 "$WORK/ctx" >/dev/null || fail "the build again"
assert_eq "$(docker run --rm slow:1 cat /www/slow)" "done" "the built image"
pass "clients killed mid-build and mid-pull cost the service nothing; system check clean"

kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true

# The idle timeout: not while a streaming (events) or hijacked (attach) connection
# is open; then it stops, and a container it started keeps running. (SIGKILL ends
# the clients: docker attach passes a SIGTERM on to the container.)
sock=$WORK/idle.sock
"$BERTH" system service --time 1 "unix://$sock" 2>"$WORK/idle.err" & idle_pid=$!
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $idle_pid"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
id=$(DOCKER_HOST="unix://$sock" $DOCKER run -d box:1 sleep 300)
DOCKER_HOST="unix://$sock" timeout -s KILL 3 $DOCKER events >/dev/null 2>&1 & watcher=$!
DOCKER_HOST="unix://$sock" timeout -s KILL 3 $DOCKER attach "$id" >/dev/null 2>&1 </dev/null & attached=$!
sleep 2.5
kill -0 "$idle_pid" 2>/dev/null || fail "the service stopped while a stream and an attach were open"
wait "$watcher" "$attached" 2>/dev/null || true
for _ in $(seq 40); do kill -0 "$idle_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$idle_pid" 2>/dev/null && fail "the service did not stop once idle"
assert_eq "$(berth inspect -f '{{.State.Status}}' "$id")" "running" "the container after the service stopped"
berth rm -f "$id" >/dev/null
# A client that attached stdin to a container it never started, then went: its
# connection ends with it (the service stops once idle).
"$BERTH" system service --time 1 "unix://$sock" 2>"$WORK/idle.err" & idle_pid=$!
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $idle_pid"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
id=$(berth create -i box:1 cat)
curl -s --max-time 1 --unix-socket "$sock" -X POST -H 'Connection: Upgrade' -H 'Upgrade: tcp' \
  "http://d/v1.41/containers/$id/attach?stream=1&stdin=1&stdout=1" >/dev/null || true
for _ in $(seq 40); do kill -0 "$idle_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$idle_pid" 2>/dev/null && fail "an abandoned stdin attach kept the service alive"
berth rm "$id" >/dev/null
pass "the idle timeout counts streams and attaches; containers outlive the service; abandoned attaches end"
