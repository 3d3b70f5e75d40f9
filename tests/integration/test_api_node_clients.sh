#!/bin/bash
# The Engine API's Node clients from the npm registry (issue #12, "Must show"
# 4): dockerode lists, starts, attaches to and removes a container;
# testcontainers starts a GenericContainer with an exposed port and an HTTP
# wait strategy, Ryuk disabled. The packages are pinned in
# tests/integration/node/package-lock.json and installed beside the berth binary.
. "$(dirname "$0")/lib.sh"

clients=$(dirname "$BERTH")/node-clients
if [ ! -d "$clients/node_modules/testcontainers" ]; then
  mkdir -p "$clients"
  cp "$BERTH_SOURCE_DIR/tests/integration/node/package.json" "$BERTH_SOURCE_DIR/tests/integration/node/package-lock.json" "$clients/"
  host_net npm ci --prefix "$clients" --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1 || fail "npm ci: $(tail -5 "$WORK/npm.log")"
fi

import_busybox_image nodeweb:1

start_api_service
sock=$API_SOCK service_pid=$SERVICE_PID

DOCKER_HOST="unix://$sock" TESTCONTAINERS_RYUK_DISABLED=true NODE_PATH="$clients/node_modules" \
  timeout 120 node "$BERTH_SOURCE_DIR/tests/integration/node/clients.js" nodeweb:1 >"$WORK/node.out" 2>&1 \
  || fail "the Node clients: $(cat "$WORK/node.out")"
grep -qx "dockerode ok" "$WORK/node.out" || fail "dockerode: $(cat "$WORK/node.out")"
grep -qx "testcontainers ok" "$WORK/node.out" || fail "testcontainers: $(cat "$WORK/node.out")"
assert_eq "$(berth ps -aq)" "" "no container left"
pass "dockerode (list, attach, start, wait, remove) and testcontainers (GenericContainer, exposed port, HTTP wait)"

kill "$service_pid"; wait "$service_pid" 2>/dev/null || true
