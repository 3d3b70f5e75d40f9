#!/bin/bash
# Debian's docker CLI driving berth through `berth system service` (issue #12,
# "Must show" 1): each command gives what the same command typed with berth
# gives — IDs, columns, exit codes.
. "$(dirname "$0")/lib.sh"

import_busybox_image web:1 -c 'CMD ["httpd","-f","-p","80","-h","/www"]' -c 'EXPOSE 80'

start_api_service
sock=$API_SOCK service_pid=$SERVICE_PID
docker() { DOCKER_HOST="unix://$sock" $DOCKER "$@"; }
t0=$(date +%s)

# Relative times move between two commands; the rest must be the same.
steady() { sed -E 's/(Less than a second|About a minute|[0-9]+ seconds?|About an hour|[0-9]+ minutes?)( ago)?/T/g' | tr -s ' '; }
same() {  # same WHAT ARGS...: docker and berth print the same
  local what=$1; shift
  local docker_rc=0 berth_rc=0
  docker "$@" >"$WORK/via-docker" 2>&1 || docker_rc=$?
  berth "$@" >"$WORK/via-berth" 2>&1 || berth_rc=$?
  steady <"$WORK/via-docker" | ${ORDER:-cat} >"$WORK/docker.steady"
  steady <"$WORK/via-berth" | ${ORDER:-cat} >"$WORK/berth.steady"
  diff "$WORK/docker.steady" "$WORK/berth.steady" >&2 || fail "$what: docker (<) and berth (>) differ"
  assert_eq "$docker_rc" "$berth_rc" "$what: exit code"
}

assert_eq "$(docker info --format '{{.Images}} {{.Driver}} {{.OSType}} {{.Swarm.LocalNodeState}}')" "1 overlay2 linux inactive" "docker info"
# version and info: the Server sections (the Client ones describe two different programs).
server_part() { sed -n '/^Server:/,$p'; }
assert_eq "$(docker version | server_part)" "$(berth version | server_part)" "docker version's Server section"
assert_eq "$(docker info 2>&1 | server_part)" "$(berth info 2>&1 | server_part)" "docker info's Server section and warnings"
same "version --format" version --format '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}'
same "info --format" info --format '{{.Images}} {{.Driver}} {{.OSType}} {{.Swarm.LocalNodeState}}'
same "images" images
same "images --no-trunc" images --no-trunc
same "inspect of an image" inspect web:1
same "history" history web:1
same "history --no-trunc" history --no-trunc web:1
pass "docker info, images, inspect, history"

docker tag web:1 127.0.0.1:5000/team/web:2 || fail "docker tag"
# The docker CLI lists the names of one image in Go's random map order.
ORDER=sort same "images after docker tag" images
same "inspect of a name with a registry and a path" inspect 127.0.0.1:5000/team/web:2
assert_eq "$(docker rmi 127.0.0.1:5000/team/web:2)" "Untagged: 127.0.0.1:5000/team/web:2" "docker rmi of a second name"
same "images after docker rmi" images
expect_failure "docker rmi of a missing image" docker rmi no-such:image
grep -qx "Error: No such image: no-such:image" "$WORK/stderr" || fail "docker rmi's message: $(cat "$WORK/stderr")"
pass "docker tag and rmi"

# run attached: the output and the exit code; -d -p: a server that answers.
assert_eq "$(docker run --rm web:1 echo attached)" "attached" "docker run --rm's output"
rc=0; docker run --name exits3 web:1 sh -c 'echo out; echo err >&2; exit 3' >"$WORK/out" 2>"$WORK/err" || rc=$?
assert_eq "$rc" 3 "docker run's exit code"
assert_eq "$(cat "$WORK/out") $(cat "$WORK/err")" "out err" "docker run's stdout and stderr"
port=$(free_port)
id=$(docker run -d -p "127.0.0.1:$port:80" --name web web:1) || fail "docker run -d -p"
assert_eq "$(berth inspect -f '{{.Id}}' web)" "$id" "the ID docker run -d printed"
wait_for_http "http://127.0.0.1:$port/"
assert_eq "$(curl -s "http://127.0.0.1:$port/")" "hello through the API" "the published port"
same "ps" ps
same "ps -a --no-trunc" ps -a --no-trunc
same "ps with a filter" ps -a --filter name=exits --filter status=exited
same "inspect of a container" inspect exits3
same "logs" logs exits3
pass "docker run attached and detached, ps, inspect, logs"

# exec: output and exit code, stdin with -i, a terminal with -it (under a pty).
docker run -d --name box web:1 sleep 60 >/dev/null
rc=0; docker exec box sh -c 'echo out; echo err >&2; exit 4' >"$WORK/out" 2>"$WORK/err" || rc=$?
assert_eq "$rc $(cat "$WORK/out") $(cat "$WORK/err")" "4 out err" "docker exec's exit code and streams"
assert_eq "$(echo piped | docker exec -i box cat)" "piped" "docker exec -i reads stdin"
# run -i and start -ai: the attach connection is the container's stdin, to its EOF.
assert_eq "$(printf 'one\ntwo\n' | DOCKER_HOST="unix://$sock" timeout 60 $DOCKER run -i --rm web:1 sh -c 'cat; echo end')" "one
two
end" "docker run -i: stdin to EOF, then the rest of the script"
rc=0; echo first | DOCKER_HOST="unix://$sock" timeout 60 $DOCKER run -i --name reader web:1 sh -c 'read x; echo "got $x"; exit 4' >"$WORK/out" || rc=$?
assert_eq "$rc:$(cat "$WORK/out")" "4:got first" "docker run -i: output and exit code"
rc=0; echo second | DOCKER_HOST="unix://$sock" timeout 60 $DOCKER start -ai reader >"$WORK/out" || rc=$?
assert_eq "$rc:$(cat "$WORK/out")" "4:got second" "docker start -ai"
docker rm reader >/dev/null
# (The CLI sends a NUL on the terminal, which its echo shows as ^@ — with dockerd too.)
rc=0; DOCKER_HOST="unix://$sock" script -qec "$DOCKER exec -it box sh -c 'tty; echo in-tty; exit 5'" /dev/null </dev/null \
  | sed 's/\^@//g' >"$WORK/tty.out" || rc=$?
assert_eq "$rc" 5 "docker exec -it's exit code"
grep -q "^/dev/pts/[0-9]*"$'\r'"$" "$WORK/tty.out" || fail "docker exec -it has a terminal: $(od -c "$WORK/tty.out" | head)"
grep -q "^in-tty"$'\r'"$" "$WORK/tty.out" || fail "docker exec -it's output: $(od -c "$WORK/tty.out" | head)"
expect_failure "docker exec in a stopped container" docker exec exits3 true
# run -it: the container's terminal relayed (typed input, its output, its exit
# code) and sized from the client's (stty in script's pty, then the resize).
rc=0; (sleep 2; printf 'echo typed-$((6*7))\rexit 6\r') | DOCKER_HOST="unix://$sock" timeout 60 \
  script -qec "$DOCKER run -it --rm web:1 sh" /dev/null | tr -d '\r' >"$WORK/tty.out" || rc=$?
assert_eq "$rc" 6 "docker run -it --rm: the exit code"
grep -qx 'typed-42' "$WORK/tty.out" || fail "docker run -it: what was typed ran: $(od -c "$WORK/tty.out" | head)"
DOCKER_HOST="unix://$sock" timeout 60 script -qec "stty rows 33 cols 77; $DOCKER run -it --rm web:1 sh -c 'sleep 1; stty size'" \
  /dev/null </dev/null | tr -d '\r' | sed 's/\^@//g' >"$WORK/size.out"
grep -qx '33 77' "$WORK/size.out" || fail "docker run -it: the terminal's size: $(cat "$WORK/size.out")"
# exec -it sized from the client's terminal (the resize may come before the
# runtime has the process on it: kept until it does).
DOCKER_HOST="unix://$sock" timeout 60 script -qec "stty rows 21 cols 93; $DOCKER exec -it box sh -c 'sleep 1; stty size'" \
  /dev/null </dev/null | tr -d '\r' | sed 's/\^@//g' >"$WORK/size.out"
grep -qx '21 93' "$WORK/size.out" || fail "docker exec -it: the terminal's size: $(cat "$WORK/size.out")"
# docker attach to a running container with a terminal: typed input reaches it,
# its output comes back, the client exits with its code; sized as the client's.
docker run -dit --name term web:1 sh >/dev/null || fail "docker run -dit"
rc=0; (sleep 2; printf 'stty size; echo typed-$((6*8))\rexit 7\r') | DOCKER_HOST="unix://$sock" timeout 60 \
  script -qec "stty rows 25 cols 81; $DOCKER attach term" /dev/null | tr -d '\r' >"$WORK/tty.out" || rc=$?
assert_eq "$rc" 7 "docker attach: the container's exit code"
grep -qx 'typed-48' "$WORK/tty.out" || fail "docker attach: what was typed ran: $(od -c "$WORK/tty.out" | head)"
grep -qx '25 81' "$WORK/tty.out" || fail "docker attach: the terminal's size: $(cat "$WORK/tty.out")"
assert_eq "$(berth inspect -f '{{.State.Status}} {{.State.ExitCode}}' term)" "exited 7" "the attached container after exit"
docker rm term >/dev/null
rc=0; docker run --rm web:1 sh -c 'exit 3' || rc=$?
assert_eq "$rc" 3 "docker run --rm: the exit code of a container already removed"
pass "docker exec, -i, -it (sized); run -it, run --rm; attach to a running terminal"

# cp both ways: a directory into an existing one, a file to a new name, out again.
mkdir -p "$WORK/cp/in/sub"
echo one >"$WORK/cp/in/a.txt"
echo two >"$WORK/cp/in/sub/b.txt"
docker cp "$WORK/cp/in" box:/www/ || fail "docker cp of a directory into the container"
docker cp "$WORK/cp/in/a.txt" box:/www/renamed.txt || fail "docker cp of a file to a new name"
assert_eq "$(docker exec box cat /www/in/a.txt /www/in/sub/b.txt /www/renamed.txt)" "one
two
one" "what docker cp put in the container"
docker cp box:/www "$WORK/cp/by-docker" || fail "docker cp out of the container"
berth cp box:/www "$WORK/cp/by-berth"
diff -r "$WORK/cp/by-docker" "$WORK/cp/by-berth" || fail "docker cp and berth cp copy out the same tree"
assert_eq "$(docker cp box:/www/in/sub - | tar -tf - | sort | tr '\n' ' ')" "sub/ sub/b.txt " "docker cp to stdout: a tar under the name"
rc=0; docker cp box:/no/such "$WORK/cp/x" 2>"$WORK/err" || rc=$?
assert_eq "$rc" 1 "docker cp of a missing path"
grep -q "No such container:path: box:/no/such" "$WORK/err" || fail "docker cp's message: $(cat "$WORK/err")"
same "diff" diff box
docker export box >"$WORK/box-by-docker.tar" || fail "docker export"
berth export box >"$WORK/box-by-berth.tar"
diff <(tar -tvf "$WORK/box-by-docker.tar" | sort) <(tar -tvf "$WORK/box-by-berth.tar" | sort) ||
  fail "docker export (<) and berth export (>) differ"
expect_failure "docker export of a missing container" docker export no-such-container
docker rm -f box >/dev/null
pass "docker cp both ways, docker diff, docker export"

docker run -d --name talker web:1 sh -c 'for i in 1 2 3; do echo line $i; sleep 0.3; done' >/dev/null
assert_eq "$(DOCKER_HOST="unix://$sock" timeout 20 $DOCKER logs -f talker)" "line 1
line 2
line 3" "docker logs -f ends when the container exits"
assert_eq "$(docker wait talker)" 0 "docker wait"
docker rename talker chatter || fail "docker rename"
assert_eq "$(berth inspect -f '{{.Name}}' chatter)" "/chatter" "the renamed container"
docker rename chatter talker
docker update --memory 64m --cpus 0.5 --pids-limit 40 web >/dev/null || fail "docker update"
assert_eq "$(berth inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}' web)" \
  "67108864 500000000 40" "what docker update set"
assert_eq "$(berth stats --no-stream --format '{{.MemUsage}}' web | sed 's#.* / ##')" "64MiB" "the running container's new limit"
assert_eq "$(docker update --cpu-shares 512 web 2>&1)" \
  "Error response from daemon: HostConfig.CpuShares is not supported by berth's update" "docker update of a limit berth does not set"
docker pause web >/dev/null || fail "docker pause"
same "ps while paused" ps
same "inspect of a paused container" inspect -f '{{.State.Status}} {{.State.Running}} {{.State.Paused}}' web
assert_eq "$(docker exec web true 2>&1)" "Error response from daemon: Container web is paused, unpause the container before exec" \
  "docker exec in a paused container"
docker unpause web >/dev/null || fail "docker unpause"
assert_eq "$(berth inspect -f '{{.State.Status}} {{.State.Paused}}' web)" "running false" "unpaused"
assert_eq "$(docker unpause web 2>&1)" "Error response from daemon: Container $(berth inspect -f '{{.Id}}' web) is not paused" \
  "docker unpause of a running container"
docker stop -t 1 web >/dev/null || fail "docker stop"
assert_eq "$(berth inspect -f '{{.State.Status}}' web)" "exited" "the stopped container's state"
same "ps -a after stop" ps -a
docker rm web talker >/dev/null || fail "docker rm"
exits3=$(berth inspect -f '{{.Id}}' exits3)
assert_eq "$(docker container prune -f)" "Deleted Containers:
$exits3

Total reclaimed space: 0B" "docker container prune"
assert_eq "$(berth ps -aq)" "" "no container left after docker rm and prune"
expect_failure "docker rm of a missing container" docker rm no-such-container
pass "docker logs -f, wait, update, pause, unpause, stop, rm, container prune"

net=$(docker network create apinet) || fail "docker network create"
assert_eq "$(berth network inspect -f '{{.Id}}' apinet)" "$net" "the network's ID"
same "network ls" network ls
same "network inspect" network inspect apinet
docker network rm apinet >/dev/null || fail "docker network rm"
same "network ls after rm" network ls
pass "docker network create, ls, inspect, rm"

# Images in and out: build, push and pull with a loopback registry, save and load.
mkdir -p "$WORK/ctx"
printf 'FROM web:1\nRUN echo built >/built.txt\nCOPY hello.txt /\nCMD ["cat", "/built.txt"]\n' >"$WORK/ctx/Dockerfile"
echo hi >"$WORK/ctx/hello.txt"
docker build -t app:1 "$WORK/ctx" >"$WORK/build.out" || fail "docker build: $(cat "$WORK/build.out")"
grep -q "^Successfully tagged app:1$" "$WORK/build.out" || fail "docker build's output: $(cat "$WORK/build.out")"
assert_eq "$(docker build -q "$WORK/ctx")" "$(berth inspect -f '{{.Id}}' app:1)" "docker build -q prints the ID berth has"
berth build -t app:2 "$WORK/ctx" >/dev/null
assert_eq "$(berth inspect -f '{{.Id}}' app:2)" "$(berth inspect -f '{{.Id}}' app:1)" "the same build through berth"
# --label: in the final config, no step of its own (BuildKit's rule), the same image both ways.
labelled=$(docker build -q --label team=api --label 'note=two words' "$WORK/ctx") || fail "docker build --label"
assert_eq "$(berth build -q --label team=api --label 'note=two words' "$WORK/ctx")" "$labelled" "berth build --label gives the same image"
assert_eq "$(berth inspect -f '{{.Config.Labels.team}}/{{index .Config.Labels "note"}}' "$labelled")" "api/two words" "the build's labels"
assert_eq "$(berth history -q "$labelled" | wc -l)" "$(berth history -q app:1 | wc -l)" "labels add no history step"
assert_eq "$(docker run --rm app:1)" "built" "the built image runs"
printf 'FROM web:1\nRUN exit 3\n' >"$WORK/ctx/Dockerfile.bad"
rc=0; docker build -f "$WORK/ctx/Dockerfile.bad" "$WORK/ctx" >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 3 "a failed RUN's exit code through docker build"
grep -q "returned a non-zero code: 3" "$WORK/err" || fail "docker build's error: $(cat "$WORK/err")"
pass "docker build"

start_registry
docker tag app:1 "$REGISTRY/app:1"
docker push "$REGISTRY/app:1" >"$WORK/push.out" || fail "docker push: $(cat "$WORK/push.out")"
grep -q "^1: digest: sha256:[0-9a-f]* size: [0-9]*$" "$WORK/push.out" || fail "docker push's output: $(cat "$WORK/push.out")"
pushed=$(sed -n 's/^1: digest: \(sha256:[0-9a-f]*\).*/\1/p' "$WORK/push.out")
assert_eq "$(berth push "$REGISTRY/app:1" | sed -n 's/^1: digest: \(sha256:[0-9a-f]*\).*/\1/p')" "$pushed" "berth pushes the same manifest"
docker rmi "$REGISTRY/app:1" app:1 app:2 >/dev/null
docker pull "$REGISTRY/app:1" >"$WORK/pull.out" || fail "docker pull: $(cat "$WORK/pull.out")"
assert_eq "$(tail -2 "$WORK/pull.out")" "Status: Downloaded newer image for $REGISTRY/app:1
$REGISTRY/app:1" "docker pull's last lines"
assert_eq "$(berth inspect -f '{{index .RepoDigests 0}}' "$REGISTRY/app:1")" "$REGISTRY/app@$pushed" "the pulled image's digest"
expect_failure "docker pull of a missing tag" docker pull "$REGISTRY/app:nope"
docker save -o "$WORK/saved.tar" "$REGISTRY/app:1" || fail "docker save"
berth save -o "$WORK/saved-by-berth.tar" "$REGISTRY/app:1"
cmp "$WORK/saved.tar" "$WORK/saved-by-berth.tar" || fail "docker save and berth save differ"
docker rmi "$REGISTRY/app:1" >/dev/null
assert_eq "$(docker load -i "$WORK/saved.tar")" "Loaded image: $REGISTRY/app:1" "docker load"
same "images after load" images
pass "docker push, pull, save, load"

# Volumes and disk usage.
assert_eq "$(docker volume create --label a=b apivol)" "apivol" "docker volume create"
docker run -d --name holder -v apivol:/data -v /anon web:1 sleep 60 >/dev/null
same "volume ls" volume ls
same "volume inspect" volume inspect apivol
expect_failure "docker volume rm of a volume in use" docker volume rm apivol
same "system df" system df
docker rm -f -v holder >/dev/null
assert_eq "$(docker volume rm apivol)" "apivol" "docker volume rm"
same "volume ls after rm" volume ls
same "system df after rm" system df
docker volume create spare >/dev/null
docker network create spare-net >/dev/null
docker create --name spare-box web:1 true >/dev/null
docker system prune -f --volumes >"$WORK/out" 2>&1 || fail "docker system prune: $(cat "$WORK/out")"
grep -qx spare "$WORK/out" && grep -qx spare-net "$WORK/out" || fail "docker system prune's report: $(cat "$WORK/out")"
assert_eq "$(berth ps -aq; berth volume ls -q; berth network ls -q --filter name=spare)" "" "what docker system prune left"
pass "docker volume create, ls, inspect, rm; system df; system prune"

# Events: what the CLI and the service did, in a window; and followed live
# (a dev container waits for `start` so), here a start made by the berth CLI.
same "events --since --until" events --since "$t0" --until "$(date +%s)"
same "events with filters" events --since "$t0" --until "$(date +%s)" --filter type=container --filter event=die
DOCKER_HOST="unix://$sock" timeout 20 $DOCKER events --filter event=start --format '{{.Actor.Attributes.name}}' >"$WORK/live" &
watcher=$!
sleep 1
berth run -d --name live-one web:1 true >/dev/null
for _ in $(seq 100); do [ -s "$WORK/live" ] && break; sleep 0.1; done
kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null || true
assert_eq "$(head -1 "$WORK/live")" "live-one" "docker events follows a start the berth CLI made"
pass "docker events --since --until, --filter, followed"

kill "$service_pid"; wait "$service_pid" 2>/dev/null || true
