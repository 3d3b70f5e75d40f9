#!/bin/bash
# docker-compose (Debian's 1.29.2, over docker-py) driving berth through
# `berth system service` (issue #12, "Must show" 2): a web service built from
# a Dockerfile, publishing a port, with a named volume; a client that reaches
# it by its service name; up -d, ps, logs, exec, down -v — and nothing left.
. "$(dirname "$0")/lib.sh"

import_busybox_image box:1

start_api_service
sock=$API_SOCK service_pid=$SERVICE_PID
export DOCKER_HOST=unix://$sock

port=$(free_port)
project=$WORK/shop
mkdir -p "$project/web"
cat >"$project/web/Dockerfile" <<'DOCKERFILE'
FROM box:1
RUN echo "served by compose" > /www/index.html
CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]
DOCKERFILE
cat >"$project/docker-compose.yml" <<YAML
version: "3.8"
services:
  web:
    build: ./web
    image: shopweb:1
    ports:
      - "127.0.0.1:$port:80"
    volumes:
      - data:/data
  client:
    image: box:1
    command: ["sh", "-c", "while true; do wget -q -O /www/got http://web/; sleep 0.5; done"]
    depends_on:
      - web
volumes:
  data:
YAML
cd "$project"
docker-compose up -d >"$WORK/up.out" 2>&1 || fail "docker-compose up -d: $(cat "$WORK/up.out")"
wait_for_http "http://127.0.0.1:$port/"
assert_eq "$(curl -s "http://127.0.0.1:$port/")" "served by compose" "the published page"
docker-compose ps >"$WORK/ps.out"
assert_eq "$(grep -c ' Up ' "$WORK/ps.out")" 2 "docker-compose ps lists each service once: $(cat "$WORK/ps.out")"
grep -q "127.0.0.1:$port->80/tcp" "$WORK/ps.out" || fail "docker-compose ps shows the port: $(cat "$WORK/ps.out")"
for _ in $(seq 50); do docker-compose exec -T client cat /www/got 2>/dev/null | grep -q . && break; sleep 0.2; done
assert_eq "$(docker-compose exec -T client cat /www/got)" "served by compose" "the client reaches web by its service name"
assert_eq "$(berth inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' shop_web_1)" "web" "compose's labels"
berth volume inspect shop_data >/dev/null || fail "the named volume"
docker-compose logs --no-color web >"$WORK/logs.out"
grep -q "response:200" "$WORK/logs.out" || fail "docker-compose logs shows the web server's log: $(cat "$WORK/logs.out")"
pass "docker-compose up -d, ps, exec, logs"

docker-compose down -v >"$WORK/down.out" 2>&1 || fail "docker-compose down -v: $(cat "$WORK/down.out")"
assert_eq "$(berth ps -aq)" "" "no container left"
assert_eq "$(berth network ls --filter name=shop -q)" "" "no network left"
assert_eq "$(berth volume ls -q)" "" "no volume left"
curl -s -m 2 "http://127.0.0.1:$port/" && fail "the port still answers"
pass "docker-compose down -v removes everything"

kill "$service_pid"; wait "$service_pid" 2>/dev/null || true
