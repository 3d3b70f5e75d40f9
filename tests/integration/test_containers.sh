#!/bin/bash
# Containers with runc: the seed's `run -d -p HOST:80` web server, exit codes,
# isolation, writes that stay in the container's layer, bad input that leaves
# nothing behind, and a monitor killed with SIGKILL.
. "$(dirname "$0")/lib.sh"

# A web image: FROM scratch + static busybox, as the seed's example (import until build exists).
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/www" "$WORK/rootfs/etc"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for c in sh echo cat ls hostname id ps sleep httpd true wc grep stat rm mkdir; do ln -s busybox "$WORK/rootfs/bin/$c"; done
echo "hello from berth" >"$WORK/rootfs/www/index.html"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$WORK/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$WORK/rootfs/etc/group"
tar -C "$WORK/rootfs" -cf "$WORK/web.tar" .
berth import -c 'CMD ["httpd","-f","-v","-p","80","-h","/www"]' -c 'EXPOSE 80' "$WORK/web.tar" web:1 >/dev/null
layers_before=$(ls "$BERTH_ROOT/overlay2" | sort)
nothing_left() {  # no container, mount, monitor or file of one is left
  assert_eq "$(berth ps -aq)" "" "containers left ($1)"
  assert_eq "$(grep -c " $BERTH_ROOT" /proc/mounts || true)" 0 "mounts left ($1)"
  assert_eq "$(ls "$BERTH_ROOT/containers")" "" "container directories left ($1)"
  assert_eq "$(ls "$BERTH_ROOT/overlay2" | sort)" "$layers_before" "layer directories ($1)"
  assert_eq "$(pgrep -f "container-monitor" -a | grep -c "$BERTH_ROOT" || true)" 0 "monitors left ($1)"
}

# 1. The seed's scenario.
PORT=$(free_port)
id=$(berth run -d -p "$PORT:80" --name web web:1)
[ ${#id} = 64 ] || fail "run -d prints the ID"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
assert_eq "$(curl -s "http://127.0.0.1:$PORT/")" "hello from berth" "the page through the published port"
seq 200 | xargs -P 50 -I{} curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$PORT/" >"$WORK/codes"
assert_eq "$(grep -c '^200$' "$WORK/codes")" 200 "200 concurrent requests answered"
berth ps >"$WORK/ps"
grep -q "^${id:0:12} .*web:1 .*Up .*0.0.0.0:$PORT->80/tcp .*web$" "$WORK/ps" || { cat "$WORK/ps"; fail "ps line"; }
assert_eq "$(berth inspect -f '{{.State.Status}} {{.State.Running}} {{.Name}} {{.Config.Image}} {{json .NetworkSettings.Ports}}' web)" \
  "running true /web web:1 {\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"$PORT\"}]}" "inspect of a container"
assert_eq "$(berth inspect -f '{{.GraphDriver.Data.UpperDir}}' web)" \
  "$BERTH_ROOT/overlay2/$(sqlite3 "$BERTH_ROOT/berth.db" "SELECT layer_id FROM containers WHERE id = '$id'")/diff" "GraphDriver in the seed's layout"
assert_eq "$(berth exec -w /www -e WHO=exec web sh -c 'echo $WHO $(pwd); cat index.html')" "exec /www
hello from berth" "exec in the running container"
set +e
berth exec web sh -c 'exit 7'; rc7=$?
berth exec web nosuchcmd 2>/dev/null; rc_missing=$?
set -e
assert_eq "$rc7" 7 "exec's exit code"
assert_eq "$rc_missing" 127 "exec of a missing command"
berth top web | matches 'httpd -f -v -p 80 -h /www' || fail "top lists httpd"
assert_eq "$(berth top web | wc -l)" 2 "top: the header and the container's one process"
assert_eq "$(berth port web)" "80/tcp -> 0.0.0.0:$PORT" "port"
assert_eq "$(berth port web 80)" "0.0.0.0:$PORT" "port PRIVATE_PORT"
berth restart -t 1 web | matches -x web || fail "restart"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
assert_eq "$(curl -s "http://127.0.0.1:$PORT/")" "hello from berth" "the page after restart"
start=$(date +%s%N)
berth stop -t 2 web | matches -x web || fail "stop prints the name"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -lt 4000 ] || fail "stop -t 2 took ${elapsed} ms"
berth ps -a --format '{{.Status}}' | matches '^Exited (137) ' || fail "stopped httpd (PID 1 ignores SIGTERM) exits 137"
berth logs web 2>&1 | matches 'response:200' || fail "logs show httpd's output"
berth logs --since 1h web 2>&1 | matches 'response:200' || fail "logs --since a duration"
berth logs --since 1970-01-02T00:00:00Z web 2>&1 | matches 'response:200' || fail "logs --since an RFC 3339 time"
assert_eq "$(berth logs --since 2099-01-01T00:00:00Z web 2>&1)" "" "logs --since a time after every entry"
assert_eq "$(berth logs --since "$(( $(date +%s) + 3600 ))" web 2>&1)" "" "logs --since unix seconds"
expect_failure "logs --since gibberish" berth logs --since soon web
berth container prune -f | matches -x "$id" || fail "container prune removes the stopped container"
nothing_left "after rm"
pass "run -d -p: page served, 200 concurrent requests, ps, inspect, exec, port, restart, stop, logs; prune leaves nothing"

# 1b. A published UDP port: datagrams from two clients reach a UDP server in
# the container, and each client gets its own answers back.
mkdir -p "$WORK/udp"
cc -static -O2 -o "$WORK/udp/udp_echo" "$(dirname "$0")/tools/udp_echo.c"
UDP_PORT=$(free_port)
berth run -d --name udp -v "$WORK/udp:/t:ro" -p "127.0.0.1:$UDP_PORT:5353/udp" web:1 /t/udp_echo 5353 >/dev/null
for _ in $(seq 50); do berth logs udp | matches 'listening on udp' && break; sleep 0.1; done
udp_ask() {  # CLIENT_NAME: sends two datagrams from one socket, prints the answers
  python3 - "$UDP_PORT" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for i in (1, 2):
    s.sendto(f"{sys.argv[2]} {i}".encode(), ("127.0.0.1", int(sys.argv[1])))
    print(s.recv(2048).decode())
PY
}
assert_eq "$(udp_ask alpha)" "$(printf 'echo: alpha 1\necho: alpha 2')" "UDP answers to the first client"
assert_eq "$(udp_ask beta)" "$(printf 'echo: beta 1\necho: beta 2')" "UDP answers to the second client"
assert_eq "$(berth port udp)" "5353/udp -> 127.0.0.1:$UDP_PORT" "port lists the UDP mapping"
berth ps --format '{{.Ports}}' --filter name=udp | matches -x "127.0.0.1:$UDP_PORT->5353/udp" || fail "ps shows the UDP port"
berth rm -f udp >/dev/null
nothing_left "after the UDP container"
pass "-p HOST:CTR/udp: datagrams relayed per client, both ways"

# 1c. ps --filter, as Docker: values of one key are alternatives, keys combine.
berth create --name f-web -l tier=web -l team=a -p 127.0.0.1::80 web:1 >/dev/null
berth run --name f-three web:1 sh -c 'exit 3' || true
berth run -d --name f-up -l tier=db -v fvol:/data --network none web:1 sleep 60 >/dev/null
ps_names() { berth ps --format '{{.Names}}' "$@" | sort | tr '\n' ' '; }
assert_eq "$(ps_names)" "f-up " "ps: running only"
assert_eq "$(ps_names -a)" "f-three f-up f-web " "ps -a"
assert_eq "$(ps_names --filter status=created)" "f-web " "status=created (implies -a)"
assert_eq "$(ps_names -f status=exited -f status=running)" "f-three f-up " "two status values: either"
assert_eq "$(ps_names -a --filter exited=3)" "f-three " "exited=3"
assert_eq "$(ps_names -a --filter label=tier)" "f-up f-web " "label=KEY"
assert_eq "$(ps_names -a --filter label=tier=web --filter label=team=a)" "f-web " "two labels: both"
assert_eq "$(ps_names -a --filter name=f-t)" "f-three " "name= matches anywhere"
assert_eq "$(ps_names -a --filter name=^/f-up\$)" "f-up " "name= as Docker's regexp, with its leading slash"
assert_eq "$(ps_names -a --filter "id=$(berth inspect -f '{{.Id}}' f-web | cut -c1-10)")" "f-web " "id= prefix"
assert_eq "$(ps_names -a --filter ancestor=web:1)" "f-three f-up f-web " "ancestor="
assert_eq "$(ps_names -a --filter volume=/data)" "f-up " "volume= by target"
assert_eq "$(ps_names -a --filter volume=fvol)" "f-up " "volume= by name"
assert_eq "$(ps_names -a --filter publish=80)" "f-web " "publish="
assert_eq "$(ps_names -a --filter expose=80/tcp)" "f-three f-up f-web " "expose= (the image EXPOSEs 80)"
assert_eq "$(ps_names -a --filter network=none)" "f-up " "network="
assert_eq "$(ps_names -a --filter since=f-web)" "f-three f-up " "since="
assert_eq "$(ps_names -a --filter before=f-up)" "f-three f-web " "before="
assert_eq "$(berth ps -a --filter name=f-web --format '{{.Labels}}')" "team=a,tier=web" "Labels column"
expect_failure "an unknown filter" berth ps --filter colour=red
expect_failure "an unknown status" berth ps --filter status=sleeping
berth rm -f -v f-web f-three f-up >/dev/null
rm -rf "$BERTH_ROOT/volumes/fvol"
nothing_left "after the filter containers"
pass "ps --filter: status, exited, label, name, id, ancestor, volume, publish, expose, network, since, before"

# 2. Exit codes.
set +e
berth run --rm web:1 sh -c 'exit 3'; rc3=$?
berth run --rm web:1 nosuchcmd 2>"$WORK/err127"; rc127=$?
berth run --rm web:1 /www/index.html 2>/dev/null; rc126=$?
set -e
assert_eq "$rc3" 3 "the container's exit code"
assert_eq "$rc127" 127 "a command not found"
grep -q 'executable file not found' "$WORK/err127" || fail "127 says why"
assert_eq "$rc126" 126 "a command not executable"
assert_eq "$(berth run --rm web:1 echo hello world)" "hello world" "output of an attached run"
set +e
out=$(berth run --rm --init web:1 sh -c 'tr "\0" " " </proc/1/cmdline; exit 6'); rc_init=$?
set -e
assert_eq "$out" "/sbin/docker-init -- sh -c tr \"\\0\" \" \" </proc/1/cmdline; exit 6 " "--init runs tini as PID 1"
assert_eq "$rc_init" 6 "exit code through --init"
assert_eq "$(berth run --rm web:1 sh -c 'echo out; echo err >&2' 2>/dev/null)" "out" "stdout and stderr kept apart"
nothing_left "after --rm runs"
pass "exit codes: the container's, 126, 127, and through --init"

# Signals sent to an attached run reach the container (Docker's --sig-proxy).
"$BERTH" run --rm web:1 sh -c 'trap "echo got-term; exit 9" TERM; echo ready; while true; do sleep 0.1; done' >"$WORK/sig.out" 2>&1 &
runner=$!
for _ in $(seq 50); do grep -q ready "$WORK/sig.out" && break; sleep 0.1; done
kill -TERM "$runner"
set +e; wait "$runner"; rc_sig=$?; set -e
assert_eq "$rc_sig" 9 "exit code after a forwarded SIGTERM"
grep -q got-term "$WORK/sig.out" || fail "the container's trap ran"
pass "signals to an attached run go to the container"

# -i feeds the container berth's stdin; -it gives it a terminal (driven here by script(1)).
assert_eq "$(echo "piped in" | berth run -i --rm web:1 cat)" "piped in" "run -i"
set +e
script -qec "$BERTH run -it --rm web:1 sh -c 'tty; echo \$TERM; exit 5'" /dev/null >"$WORK/tty.out"; rc_tty=$?
printf 'echo typed-$((6*7))\nexit 2\n' | script -qec "$BERTH run -it --rm web:1 sh" /dev/null >"$WORK/tty2.out"; rc_typed=$?
set -e
assert_eq "$rc_tty" 5 "exit code through a terminal"
grep -q '/dev/pts/0' "$WORK/tty.out" || { cat -A "$WORK/tty.out"; fail "the container has a terminal"; }
grep -q 'xterm' "$WORK/tty.out" || fail "TERM=xterm with -t"
grep -q 'typed-42' "$WORK/tty2.out" || { cat -A "$WORK/tty2.out"; fail "input typed into the terminal ran"; }
assert_eq "$rc_typed" 2 "exit typed into the terminal"
# exec: stdin only with -i (Docker closes it otherwise); -it through a terminal.
berth run -d --name shell web:1 sleep 60 >/dev/null
assert_eq "$(echo "to exec" | berth exec -i shell cat)" "to exec" "exec -i reads berth's stdin"
assert_eq "$(echo "not read" | berth exec shell cat)" "" "exec without -i gets no stdin"
set +e
script -qec "$BERTH exec -it shell sh -c 'tty; echo \$TERM; exit 4'" /dev/null >"$WORK/etty.out"; rc_etty=$?
printf 'echo exec-typed-$((6*7))\nexit 3\n' | script -qec "$BERTH exec -it shell sh" /dev/null >"$WORK/etty2.out"; rc_etyped=$?
set -e
assert_eq "$rc_etty" 4 "exec -it: exit code through a terminal"
grep -q '/dev/pts/' "$WORK/etty.out" || { cat -A "$WORK/etty.out"; fail "exec -it has a terminal"; }
grep -q 'xterm' "$WORK/etty.out" || fail "TERM=xterm with exec -t"
grep -q 'exec-typed-42' "$WORK/etty2.out" || { cat -A "$WORK/etty2.out"; fail "input typed into exec's terminal ran"; }
assert_eq "$rc_etyped" 3 "exit typed into exec's terminal"
expect_failure "exec -it without a terminal" berth exec -it shell sh </dev/null
berth rm -f shell >/dev/null
# A detached terminal (-dit): its output is in the log; attach types into it,
# ^P^Q detaches and leaves it running; a second attach sees it exit.
berth run -dit --name term web:1 sh >/dev/null
set +e
(sleep 0.5; printf 'echo attached-$((2*21))\n'; sleep 0.5; printf '\020\021') | script -qec "$BERTH attach term" /dev/null >"$WORK/att.out"; rc_detach=$?
set -e
assert_eq "$rc_detach" 0 "^P^Q detaches with 0"
grep -q 'attached-42' "$WORK/att.out" || { cat -A "$WORK/att.out"; fail "input typed through attach ran"; }
assert_eq "$(berth ps --filter name=term --format '{{.Status}}' | cut -c1-2)" "Up" "still running after ^P^Q"
berth logs term | matches 'attached-42' || fail "terminal output is in the log"
set +e
(sleep 0.5; printf 'exit 9\n') | script -qec "$BERTH attach term" /dev/null >/dev/null; rc_attach=$?
set -e
assert_eq "$rc_attach" 9 "attach returns the container's exit code"
expect_failure "attach to a stopped container" berth attach term
# start -a, with and without a terminal; attach to a container without one.
set +e
(sleep 0.5; printf 'exit 6\n') | script -qec "$BERTH start -ai term" /dev/null >/dev/null; rc_start_tty=$?
set -e
assert_eq "$rc_start_tty" 6 "start -ai of a container with a terminal"
berth create --name plain web:1 sh -c 'sleep 0.5; echo out; echo err >&2; exit 4' >/dev/null
set +e
berth start -a plain >"$WORK/sa.out" 2>"$WORK/sa.err"; rc_start=$?
berth start plain; berth attach plain >"$WORK/at.out" 2>"$WORK/at.err"; rc_plain_attach=$?
set -e
assert_eq "$rc_start $(cat "$WORK/sa.out") $(cat "$WORK/sa.err")" "4 out err" "start -a: output and exit code"
assert_eq "$rc_plain_attach $(cat "$WORK/at.out") $(cat "$WORK/at.err")" "4 out err" "attach without a terminal: output from now on"
assert_eq "$(echo fed | berth start -ai "$(berth create -i web:1 cat)")" "fed" "start -ai feeds stdin"
berth rm -f $(berth ps -aq) >/dev/null
nothing_left "after terminal runs"
pass "run -i and run -it; exec -i and exec -it; -dit, attach, ^P^Q, start -a"

# 3. Isolation, and writes that stay in the container's layer.
mkdir -p "$WORK/hostmount" && mount -t tmpfs none "$WORK/hostmount"
# (/proc/kcore is masked where the kernel has one; /proc/keys, masked too, is on every kernel.)
out=$(berth run --rm --hostname box1 web:1 sh -c 'echo $$; ps >/ps.txt; wc -l </ps.txt; hostname; if [ -e /proc/kcore ]; then wc -c </proc/kcore; else echo 0; fi; wc -c </proc/keys; grep CapEff /proc/self/status; grep -c hostmount /proc/mounts; true')
umount "$WORK/hostmount"
assert_eq "$(echo "$out" | tr '\n' ' ')" "1 3 box1 0 0 CapEff:	00000000a80425fb 0 " "PID 1, own processes, hostname, masked kcore and keys, Docker's capabilities, no host mounts"
image_state() { find "$BERTH_ROOT/overlay2" -path '*/diff/*' -not -path "*$1*" -printf '%P %s %m %T@\n' | sort | md5sum; }
before=$(image_state none)
cid=$(berth create web:1 sh -c 'echo new >/new.txt; echo changed >/www/index.html; rm /bin/true')
berth start "$cid" >/dev/null
berth wait "$cid" | matches -x 0 || fail "the writing container failed"
layer=$(sqlite3 "$BERTH_ROOT/berth.db" "SELECT layer_id FROM containers WHERE id = '$cid'")
diff=$BERTH_ROOT/overlay2/$layer/diff
assert_eq "$(cat "$diff/new.txt")" "new" "a new file in the container's layer"
assert_eq "$(cat "$diff/www/index.html")" "changed" "a changed file copied up"
[ -c "$diff/bin/true" ] || fail "a deleted file is a whiteout in the container's layer"
assert_eq "$(image_state "$layer")" "$before" "image layers after the container wrote"
berth rm "$cid" >/dev/null
nothing_left "after the writing container"
pass "isolation: PID 1, processes, hostname, /proc/kcore, capabilities, mounts; writes only in the container's layer"

# seccomp: new namespaces and the like are denied (EPERM) unless unconfined,
# privileged, or the capability they need was added; RUN steps get it too.
assert_eq "$(berth run --rm web:1 sh -c 'grep Seccomp: /proc/self/status; busybox unshare -U true 2>&1; echo $?')" \
  "$(printf 'Seccomp:\t2\nunshare: unshare(0x10000000): Operation not permitted\n1')" "the default seccomp filter"
berth run --rm --security-opt seccomp=unconfined web:1 busybox unshare -U true || fail "seccomp=unconfined"
berth run --rm --cap-add SYS_ADMIN web:1 busybox unshare -U true || fail "--cap-add SYS_ADMIN allows unshare"
berth run --rm --privileged web:1 sh -c 'busybox unshare -U true' || fail "--privileged (all the capabilities this host has)"
assert_eq "$(berth run --rm --security-opt no-new-privileges web:1 grep NoNewPrivs: /proc/self/status)" "$(printf 'NoNewPrivs:\t1')" \
  "--security-opt no-new-privileges"
expect_failure "an unknown --security-opt" berth run --rm --security-opt apparmor=x web:1 true
nothing_left "after the seccomp checks"
pass "seccomp by default; --security-opt seccomp=unconfined and no-new-privileges; --privileged"

# Volumes: a host directory (read-write and read-only), a named volume that
# outlives its containers, an anonymous one that `run --rm` removes, tmpfs.
mkdir -p "$WORK/host" && echo "from host" >"$WORK/host/in.txt"
assert_eq "$(berth run --rm -v "$WORK/host:/data" web:1 sh -c 'cat /data/in.txt; echo back >/data/out.txt')" "from host" "bind mount read"
assert_eq "$(cat "$WORK/host/out.txt")" "back" "bind mount written"
berth run --rm -v "$WORK/host:/data:ro" web:1 sh -c 'echo x >/data/nope' 2>/dev/null && fail "a :ro bind mount was writable"
berth run --rm -v keep:/v web:1 sh -c 'echo kept >/v/file' || fail "write to a named volume (exit $?)"
assert_eq "$(berth run --rm -v keep:/v web:1 cat /v/file)" "kept" "a named volume outlives its container"
assert_eq "$(cat "$BERTH_ROOT/volumes/keep/_data/file")" "kept" "named volumes live in <root>/volumes/NAME/_data"
berth run --rm -v /anon web:1 true || fail "run with an anonymous volume (exit $?)"
assert_eq "$(ls "$BERTH_ROOT/volumes")" "keep" "run --rm removes its anonymous volume"
berth run --rm --tmpfs /scratch web:1 grep -q ' /scratch tmpfs ' /proc/mounts || fail "--tmpfs"
nothing_left "after volume runs"
# Copy-up: a new volume over an image directory starts with the image's files
# (and the directory's mode); once it has content it is never overwritten.
assert_eq "$(berth run --rm -v site:/www web:1 cat /www/index.html)" "hello from berth" "a new volume holds the image's files"
assert_eq "$(stat -c %a "$BERTH_ROOT/volumes/site/_data")" "$(stat -c %a "$WORK/rootfs/www")" "the volume takes the directory's mode"
berth run --rm -v site:/www web:1 sh -c 'echo changed >/www/index.html' || fail "write to a filled volume (exit $?)"
assert_eq "$(berth run --rm -v site:/www web:1 cat /www/index.html)" "changed" "a volume with content is not refilled"
assert_eq "$(berth run --rm -v bare:/www:nocopy web:1 ls /www)" "" "nocopy: the volume stays empty"
assert_eq "$(berth run --rm --mount type=volume,source=bare2,target=/www,volume-nocopy web:1 ls /www)" "" "--mount volume-nocopy"
assert_eq "$(berth run --rm -v /www web:1 cat /www/index.html)" "hello from berth" "an anonymous volume is filled too"
pass "volumes: bind (rw, ro), named, anonymous, tmpfs; copy-up of image files into new volumes"

# 5. Bad input: exit 125, one line, nothing left.
busy_port=$(free_port)
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$busy_port" &
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $!"
sleep 0.3
for bad in "--pull never nosuch:image" "-p 80x web:1" "--mount type=bind,source=$WORK/nosuch,target=/x web:1" "-p $busy_port:80 web:1" "--runtime nosuch-runtime web:1" \
           "--network nosuchnet web:1" "--name bad/name web:1" "--cpus lots web:1" "-m 12q web:1"; do
  set +e
  # shellcheck disable=SC2086
  "$BERTH" run -d $bad >/dev/null 2>"$WORK/err"; rc=$?
  set -e
  assert_eq "$rc" 125 "exit code for run $bad"
  assert_eq "$(wc -l <"$WORK/err")" 1 "one error line for run $bad"
  echo "ok: run $bad -> $(cat "$WORK/err")"
  nothing_left "after run $bad"
done
set +e; "$BERTH" stop -t soon nosuch 2>"$WORK/err"; rc=$?; set -e
assert_eq "$rc $(wc -l <"$WORK/err")" "125 1" "stop -t with a non-number"
pass "bad input: exit 125, one line, nothing left behind"

# 5b. logs --tail and -f, kill, wait, rm of a running one (engine/containers.h, container_logs.h).
berth run -d --name counter web:1 sh -c 'for i in 1 2 3; do echo line-$i; sleep 0.3; done; exit 7' >/dev/null
timeout 20 "$BERTH" logs -f counter >"$WORK/follow.out" 2>&1 || fail "logs -f ends when the container stops"
assert_eq "$(tr '\n' ' ' <"$WORK/follow.out")" "line-1 line-2 line-3 " "logs -f follows to the end"
assert_eq "$(berth wait counter)" 7 "wait prints the exit code"
assert_eq "$(berth logs --tail 1 counter)" "line-3" "logs --tail 1"
assert_eq "$(berth logs -n 0 counter)" "" "logs --tail 0"
expect_failure "kill of a stopped container" berth kill counter
{ berth kill counter 2>&1 || true; } | matches 'is not running' || fail "kill says the container is not running"
berth run -d --name sleeper web:1 sleep 60 >/dev/null
{ berth rm sleeper 2>&1 || true; } | matches 'You cannot remove a running container' || fail "rm of a running container says why"
berth kill sleeper >/dev/null  # SIGKILL: a sleep as PID 1 ignores TERM
assert_eq "$(berth wait sleeper)" 137 "wait after kill (SIGKILL)"
berth rm counter sleeper >/dev/null
pass "logs -f and --tail, wait, kill, rm of a running container"

# 6. A monitor killed with SIGKILL: ps -a stays truthful, rm -f cleans up.
id=$(berth run -d --name victim web:1)
expect_failure "rm of a running container" berth rm victim
sleep 0.3
monitor=$(pgrep -f "container-monitor $id")
kill -9 "$monitor"
sleep 0.2
berth ps --format '{{.Names}} {{.Status}}' | matches '^victim Up ' || fail "a container whose monitor died still runs"
kill -9 "$(sqlite3 "$BERTH_ROOT/berth.db" "SELECT pid FROM containers WHERE id = '$id'")"
sleep 0.3
berth ps -a --format '{{.Names}} {{.Status}}' | matches '^victim Exited ' || fail "ps -a reports it exited"
berth rm -f victim >/dev/null
nothing_left "after rm -f of a container whose monitor was killed"
id=$(berth run -d --name victim2 web:1)
sleep 0.3
kill -9 "$(pgrep -f "container-monitor $id")"
berth rm -f victim2 >/dev/null
nothing_left "after rm -f of a running container without its monitor"
pass "monitor killed with SIGKILL: ps -a truthful, rm -f cleans up"

# cp both ways; a symlink in the container that points out is never followed.
ln -s / "$WORK/rootfs/escape"
tar -C "$WORK/rootfs" -cf "$WORK/web2.tar" .
berth import "$WORK/web2.tar" web:escape >/dev/null
cid=$(berth create web:escape sh)
mkdir -p "$WORK/out" "$WORK/in/sub" && echo deep >"$WORK/in/sub/d.txt" && echo file >"$WORK/f.txt"
berth cp "$cid:/www/index.html" "$WORK/out/"
assert_eq "$(cat "$WORK/out/index.html")" "hello from berth" "cp out of a stopped container"
berth cp "$WORK/in" "$cid:/www/"
berth cp "$WORK/f.txt" "$cid:/www/copied.txt"
berth cp "$cid:/www" "$WORK/out/www"
assert_eq "$(cat "$WORK/out/www/in/sub/d.txt") $(cat "$WORK/out/www/copied.txt")" "deep file" "cp in, then out again"
# To stdout: a tar of the file or directory under its own name, as Docker writes it.
berth cp "$cid:/www/copied.txt" - >"$WORK/one.tar"
assert_eq "$(tar -tf "$WORK/one.tar")" "copied.txt" "cp of a file to stdout: a tar of it"
assert_eq "$(tar -xOf "$WORK/one.tar" copied.txt)" "file" "cp of a file to stdout: its content"
berth cp "$cid:/www" - >"$WORK/dir.tar"
assert_eq "$(tar -tf "$WORK/dir.tar" | sort | tr '\n' ' ')" "www/ www/copied.txt www/in/ www/in/sub/ www/in/sub/d.txt www/index.html " "cp of a directory to stdout"
expect_failure "cp out through a symlink that points out" berth cp "$cid:/escape/etc/hostname" "$WORK/out/"
expect_failure "cp in through a symlink that points out" berth cp "$WORK/f.txt" "$cid:/escape/$(basename "$WORK")/"
[ ! -e "$WORK/f.txt.copy" ] && [ ! -e "$WORK/out/hostname" ] || fail "cp crossed the container's root"
assert_eq "$(find "$WORK" -maxdepth 1 -newer "$WORK/f.txt" -name 'f.txt*' | wc -l)" 0 "files written outside the container"
berth rm "$cid" >/dev/null
pass "cp in and out; symlinks pointing out are refused"

# rmi refuses an image a container uses.
cid=$(berth create web:1)
expect_failure "rmi of an image a container uses" berth rmi web:1
berth rm "$cid" >/dev/null
pass "rmi refuses an image in use"

# system df, in a store of its own: containers (active when running, sized by
# their writable layers), volumes (active when mounted), images (active when a
# container uses one).
export BERTH_ROOT=$WORK/df-root
berth import -c 'CMD ["sh"]' "$WORK/web.tar" web:1 >/dev/null
df_row() { berth system df | awk -v t="$1" '$0 ~ "^"t" " {sub("^"t" +", ""); print}'; }
cid=$(berth run -d -v dfvol:/data web:1 sh -c 'echo hello > /data/f; echo 123456789 > /written; touch /ready; sleep 100')
for _ in $(seq 50); do berth exec "$cid" ls /ready >/dev/null 2>&1 && break; sleep 0.1; done
df_row Containers | matches -E '^1 +1 +10B +0B \(0%\)$' || { berth system df; fail "system df: one running container"; }
df_row 'Local Volumes' | matches -E '^1 +1 +6B +0B \(0%\)$' || { berth system df; fail "system df: one volume in use"; }
df_row Images | matches -E '^1 +1 +[0-9.]+MB +0B \(0%\)$' || { berth system df; fail "system df: the image in use"; }
berth stop -t 1 "$cid" >/dev/null
df_row Containers | matches -E '^1 +0 +10B +10B \(100%\)$' || { berth system df; fail "system df: a stopped container is reclaimable"; }
berth rm "$cid" >/dev/null
df_row 'Local Volumes' | matches -E '^1 +0 +6B +6B \(100%\)$' || { berth system df; fail "system df: an unused volume"; }
df_row Images | matches -E '^1 +0 +([0-9.]+MB) +\1 \(100%\)$' || { berth system df; fail "system df: an unused image is reclaimable"; }
pass "system df: containers, volumes and images in use"
