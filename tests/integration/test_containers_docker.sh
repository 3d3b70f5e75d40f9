#!/bin/bash
# commit and export against real Docker: a container that created, changed and
# deleted files (and made a hard link and a directory) is committed; the image,
# saved by berth and loaded into Docker, shows the same file system as the
# container did (berth export of the container vs docker export of a container
# of the loaded image).
. "$(dirname "$0")/lib.sh"
start_dockerd
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/www" "$WORK/rootfs/etc"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for c in sh echo cat ls rm mkdir ln true sleep; do ln -s busybox "$WORK/rootfs/bin/$c"; done
echo "hello" >"$WORK/rootfs/www/index.html"
echo "gone" >"$WORK/rootfs/www/old.html"
tar -C "$WORK/rootfs" -cf "$WORK/web.tar" .
berth import -c 'CMD ["/bin/sh"]' "$WORK/web.tar" base:1 >/dev/null

cid=$(berth create base:1 sh -c 'echo new >/new.txt; echo changed >/www/index.html; rm /www/old.html /bin/true; mkdir -p /d/e; ln /new.txt /d/hard.txt; ln -s /new.txt /d/soft')
berth start "$cid" >/dev/null
code=$(berth wait "$cid")
[ "$code" = 0 ] || fail "the container's script failed (exit $code): $(berth logs "$cid" 2>&1 | tr '\n' ' ')"
id=$(berth commit -m "changes" -c 'ENV STAGE=committed' "$cid" committed:1)
assert_eq "$(berth inspect -f '{{.Id}}' committed:1)" "$id" "commit prints the new image's ID"
assert_eq "$(berth inspect -f '{{len .RootFS.Layers}}' committed:1)" 2 "commit adds one layer"
berth inspect -f '{{json .Config.Env}}' committed:1 | matches 'STAGE=committed' || fail "commit -c ENV"
berth history --format '{{.Comment}}' committed:1 | first_line | matches -x changes || fail "commit -m"

# The file system as the container saw it, without mount points and times.
listing() { tar --numeric-owner -tvf - | awk '{ $4 = ""; $5 = ""; print }' | grep -vE ' (\./)?(etc/(hosts|hostname|resolv\.conf|mtab)|\.dockerenv|dev/.*|proc/|sys/|dev/|etc/)( |$)' | sed 's#^\(.*\) \./#\1 #' | sort; }
berth export "$cid" | listing >"$WORK/berth.list"
berth save committed:1 | $DOCKER load -q >/dev/null
assert_eq "$($DOCKER inspect -f '{{.Id}}' committed:1)" "$id" "ID in Docker"
dcid=$($DOCKER create --network none committed:1)
$DOCKER export "$dcid" | listing >"$WORK/docker.list"
diff "$WORK/berth.list" "$WORK/docker.list" || fail "Docker sees another file system than the container had"
grep -q ' new.txt' "$WORK/docker.list" || fail "the new file is there"
if grep -q 'old.html' "$WORK/docker.list"; then fail "a deleted file came back"; fi
assert_eq "$($DOCKER run --rm --network none committed:1 cat /www/index.html /d/hard.txt /d/soft)" "changed
new
new" "contents Docker reads"
if $DOCKER run --rm --network none committed:1 ls /bin/true 2>/dev/null; then fail "/bin/true was deleted"; fi
pass "commit: Docker loads the image and sees the container's file system (created, changed, deleted, linked)"

# diff against Docker's: the same script in a container of the same image on each.
berth save base:1 | $DOCKER load -q >/dev/null
script='echo new >/new.txt; echo changed >/www/index.html; rm /www/old.html /bin/true; mkdir -p /d/e; echo x >/d/e/f'
bcid=$(berth create --network none base:1 sh -c "$script")
berth start "$bcid" >/dev/null; berth wait "$bcid" >/dev/null
dcid=$($DOCKER create --network none base:1 sh -c "$script")
$DOCKER start "$dcid" >/dev/null; $DOCKER wait "$dcid" >/dev/null
# What each engine writes for a container of its own (/etc/hosts and friends) is left out.
own() { grep -vE ' /(etc|etc/(hosts|hostname|resolv\.conf|mtab)|dev|proc|sys|\.dockerenv)$'; }
# (Docker's order changes from run to run; berth's is the paths' order.)
diff <($DOCKER diff "$dcid" | own | sort) <(berth diff "$bcid" | own | sort) || fail "docker diff (<) and berth diff (>) differ"
berth diff "$bcid" | grep -qx "D /www/old.html" || fail "berth diff shows the deletion"
pass "diff: the same changes as docker diff"

# rename against Docker's: a taken name, the same name, an invalid one, a missing container.
for engine in docker berth; do
  run=$DOCKER; [ "$engine" = berth ] && run=berth
  $run create --network none --name rn1 base:1 true >/dev/null
  $run create --network none --name rn2 base:1 true >/dev/null
  for args in "rn1 rn2" "rn1 rn1" "rn1 bad/x" "nope x1" "rn1 rn3"; do
    # shellcheck disable=SC2086
    rc=0; $run rename $args >"$WORK/out" 2>&1 || rc=$?
    # Docker's CLI adds a second line of its own ("failed to rename container named …").
    echo "$args -> $rc $(sed -e 's/^Error response from daemon: /Error: /' -e '/^Error: failed to rename/d' \
      -e 's/container "[0-9a-f]*"/container ID/' "$WORK/out")" >>"$WORK/rename.$engine"
  done
  $run ps -a --format '{{.Names}}' | grep '^rn' | sort >>"$WORK/rename.$engine"
  $run rm rn2 rn3 >/dev/null
done
diff "$WORK/rename.docker" "$WORK/rename.berth" || fail "docker rename (<) and berth rename (>) differ"
pass "rename: Docker's checks and messages"

# pause and unpause against Docker's: the states ps and inspect show, every
# refusal (paused twice, exec, rm, unpause twice, pause when stopped), and a
# paused container that stop thaws so that its TERM handler runs (exit 0, not 137).
for engine in docker berth; do
  run=$DOCKER; [ "$engine" = berth ] && run=berth
  out=$WORK/pause.$engine
  $run run -d --network none --name pz base:1 sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done' >/dev/null
  step() { local rc=0; "$run" "$@" >"$WORK/out" 2>&1 || rc=$?
    echo "$* -> $rc $(sed -e 's/^Error response from daemon: /Error: /' -e 's/[0-9a-f]\{64\}/ID/g' "$WORK/out")" >>"$out"; }
  step pause pz
  step ps --filter status=paused --format '{{.Names}} {{.Status}}'
  step ps --filter status=running --format '{{.Names}}'
  step inspect -f '{{.State.Status}} {{.State.Running}} {{.State.Paused}}' pz
  step pause pz
  step exec pz true
  step rm pz
  step unpause pz
  step unpause pz
  step inspect -f '{{.State.Status}} {{.State.Paused}}' pz
  step pause pz
  step stop -t 20 pz
  step inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Paused}}' pz
  step pause pz
  step rm pz
done
sed -i -e 's/Up [^()]*(Paused)/Up (Paused)/' "$WORK/pause.docker" "$WORK/pause.berth"
diff "$WORK/pause.docker" "$WORK/pause.berth" || fail "docker pause/unpause (<) and berth's (>) differ"
grep -qx 'stop -t 20 pz -> 0 pz' "$WORK/pause.berth" || fail "stop of a paused container"
grep -qx 'inspect -f {{.State.Status}} {{.State.ExitCode}} {{.State.Paused}} pz -> 0 exited 0 false' "$WORK/pause.berth" ||
  fail "stop thawed the container so that it handled TERM"
pass "pause/unpause: Docker's states, refusals and stop of a paused container"

# stats and top against Docker's, on the CLI and through the socket: the same
# container (two processes, no network) on each engine.
start_api_service
for engine in docker berth; do
  run=$DOCKER; [ "$engine" = berth ] && run=berth
  $run run -d --network none --name st base:1 sh -c 'sleep 1000 & wait' >/dev/null
  $run create --network none --name st-stopped base:1 true >/dev/null
  out=$WORK/stats.$engine
  $run stats --no-stream st | sed -n 1p >"$out"  # (sed reads it all: head could make stats die of SIGPIPE)
  $run stats --no-stream --format '{{.Container}} {{.Name}} {{.PIDs}} {{.NetIO}} {{.BlockIO}}' st >>"$out"
  $run stats --no-stream --format '{{.MemUsage}}' st | sed 's#.* / #limit #' >>"$out"
  $run stats --no-stream --format '{{.CPUPerc}} {{.MemUsage}} {{.MemPerc}} {{.NetIO}} {{.PIDs}}' st-stopped >>"$out"
  $run top st | awk 'NR == 1 { print } NR > 1 { print $NF, $(NF-1) }' >>"$out"
  $run stats --no-stream --format '{{.CPUPerc}} {{.MemPerc}}' st | matches -E '^[0-9]+\.[0-9]{2}% [0-9]+\.[0-9]{2}%$' ||
    fail "$engine stats: CPU and memory percentages"
done
# The API's shapes: the same keys at the top, under cpu_stats and memory_stats.
keys() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(list(d), list(d["cpu_stats"]), list(d["memory_stats"]), list(d["blkio_stats"]))'; }
for name in st st-stopped; do
  diff <(curl -sf --unix-socket "${DOCKER_HOST#unix://}" "http://d/v1.41/containers/$name/stats?stream=false" | keys) \
       <(curl -sf --unix-socket "$API_SOCK" "http://d/v1.41/containers/$name/stats?stream=false" | keys) ||
    fail "stats of $name: Docker's keys (<) and berth's (>) differ"
done
diff "$WORK/stats.docker" "$WORK/stats.berth" || fail "docker stats/top (<) and berth's (>) differ"
via_api() { DOCKER_HOST="unix://$API_SOCK" $DOCKER "$@"; }
assert_eq "$(via_api stats --no-stream --format '{{.Name}} {{.PIDs}} {{.NetIO}}' st)" "st 2 0B / 0B" "docker stats through berth's socket"
assert_eq "$(via_api top st | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')" "1000 wait " "docker top through berth's socket"
curl -sN --max-time 3 --unix-socket "$API_SOCK" "http://d/v1.41/containers/st/stats" >"$WORK/stream" || true
[ "$(wc -l <"$WORK/stream")" -ge 2 ] || fail "stats streams a sample a second"
$DOCKER rm -f st st-stopped >/dev/null; berth rm -f st st-stopped >/dev/null
pass "stats and top: Docker's columns, limits, stopped containers and API shapes"

# system prune against Docker's: the same leftovers on each engine — stopped
# containers, a custom network and a volume nobody uses, a dangling image, an
# image in use — then `system prune -f --volumes`; reports compared with IDs
# masked, and what is left.
mkdir -p "$WORK/other/bin" && cp /bin/busybox "$WORK/other/bin/" && tar -C "$WORK/other" -cf "$WORK/other.tar" .
for engine in docker berth; do
  run=$DOCKER; [ "$engine" = berth ] && run=berth
  $run import "$WORK/other.tar" sp:1 >/dev/null
  $run import "$WORK/web.tar" sp:1 >/dev/null  # the first sp:1 is dangling now
  $run create --network none base:1 true >/dev/null
  $run run --network none --name sp-ran base:1 true >/dev/null
  $run network create sp-net >/dev/null
  $run volume create sp-vol >/dev/null
  $run system prune -f --volumes >"$WORK/out" 2>&1 || fail "$engine system prune"
  sed -E -e 's/[0-9a-f]{64}/ID/g' -e 's/space: .*/space: N/' "$WORK/out" | sort >"$WORK/prune.$engine"
  { $run ps -aq; $run network ls --format '{{.Name}}' | grep sp-; $run volume ls -q; } >>"$WORK/prune.$engine" || true
  $run images --format '{{.Repository}}:{{.Tag}}' | sort >>"$WORK/prune.$engine"
done
diff "$WORK/prune.docker" "$WORK/prune.berth" || fail "docker system prune (<) and berth's (>) differ"
if berth network ls --format '{{.Name}}' | grep -qx sp-net; then fail "the unused network is gone"; fi
grep -qx 'Deleted Networks:' "$WORK/prune.berth" || fail "the network's section"
berth system prune -f | tail -1 | matches -x 'Total reclaimed space: 0B' || fail "a second prune finds nothing"
pass "system prune --volumes: Docker's sections, and the same left"

# update against Docker's: memory, CPUs and the PID limit of a running and a
# stopped container — what inspect and stats show after — and the refusals.
# (Docker 20.10 refuses --memory alone for a container created without one —
# "update the memoryswap at the same time", a known pain point — so Docker is
# given --memory-swap too; berth, without swap limits, takes --memory alone.)
for engine in docker berth; do
  run=$DOCKER; [ "$engine" = berth ] && run=berth
  out=$WORK/update.$engine
  $run run -d --network none --name up1 base:1 sh -c 'sleep 1000 & wait' >/dev/null
  $run create --network none --name up2 base:1 true >/dev/null
  step() { local rc=0; "$run" "$@" >"$WORK/out" 2>&1 || rc=$?
    echo "$* -> $rc $(sed -e 's/^Error response from daemon: /Error: /' -e 's/[0-9a-f]\{64\}/ID/g' "$WORK/out")" >>"$out"; }
  step update --cpus 0.5 --pids-limit 50 up1 up2
  swap=(); [ "$engine" = docker ] && swap=(--memory-swap 128m)
  step update --memory 64m "${swap[@]}" up1 up2
  step inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}' up1 up2
  $run stats --no-stream --format '{{.MemUsage}}' up1 | sed 's#.* / #limit #' >>"$out"
  step update --memory 1m up1
  step update --cpus 99 up1
  step update --memory 64m no-such-container
  step start up2
  $run stats --no-stream --format '{{.MemUsage}}' up2 | sed 's#.* / #limit of the started one #' >>"$out"
  $run rm -f up1 up2 >/dev/null
done
sed -i 's/ --memory-swap 128m//' "$WORK/update.docker"
diff "$WORK/update.docker" "$WORK/update.berth" || fail "docker update (<) and berth update (>) differ"
grep -qx 'limit 64MiB' "$WORK/update.berth" || fail "the running container's new memory limit"
pass "update: memory, CPUs and PIDs of running and stopped containers, Docker's refusals"

# run -u and exec -u: uid, gid and supplementary groups as Docker gives them
# (the groups listing the user, then its primary one; a group given: only it).
mkdir -p "$WORK/users/bin" "$WORK/users/etc"
cp /bin/busybox "$WORK/users/bin/busybox"
for c in sh id sleep; do ln -s busybox "$WORK/users/bin/$c"; done
printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\nother:x:1001:1001::/:/bin/sh\n' >"$WORK/users/etc/passwd"
printf 'root:x:0:\nuser:x:1000:\nstaff:x:50:user\nother:x:1001:\nextra:x:60:user,other\n' >"$WORK/users/etc/group"
tar -C "$WORK/users" -cf "$WORK/users.tar" .
berth import "$WORK/users.tar" users:1 >/dev/null
berth save users:1 | $DOCKER load -q >/dev/null
for engine in docker berth; do
  if [ $engine = docker ]; then run="$DOCKER"; else run=berth; fi
  for u in user 1000 other 2000 1000:50 user:extra 2000:77; do
    echo "$u: $($run run --rm --network none -u "$u" users:1 id 2>&1)"
  done >"$WORK/users.$engine"
  $run run -d --name ux --network none -u user users:1 sleep 30 >/dev/null
  for u in "" other 1000:50; do echo "exec $u: $($run exec ${u:+-u "$u"} ux id 2>&1)"; done >>"$WORK/users.$engine"
  $run rm -f ux >/dev/null
done
diff "$WORK/users.docker" "$WORK/users.berth" || fail "docker run/exec -u (<) and berth (>) differ"
grep -qx '1000:50: uid=1000(user) gid=50(staff) groups=50(staff)' "$WORK/users.berth" || fail "run -u uid:gid"
pass "run -u and exec -u: Docker's uid, gid and supplementary groups"
