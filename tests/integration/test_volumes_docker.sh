#!/bin/bash
# Volumes (issue #12): `berth volume create|ls|inspect|rm|prune` against
# Docker 20.10's, command by command — output and exit codes, a volume in
# use, a name that is a path, -v and --mount making volumes on the way.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for c in sh true sleep; do ln -s busybox "$WORK/rootfs/bin/$c"; done
tar -C "$WORK/rootfs" -cf "$WORK/box.tar" .
berth import "$WORK/box.tar" box:1 >/dev/null
start_dockerd
$DOCKER import "$WORK/box.tar" box:1 >/dev/null

# The same command through both; store paths, times and container IDs differ by nature.
normal() {
  sed -E -e "s#$WORK/docker/volumes#ROOT#g; s#$BERTH_ROOT/volumes#ROOT#g" \
         -e 's/"CreatedAt": "[^"]*"/"CreatedAt": T/; s/\[[0-9a-f]{64}\]/[ID]/'
}
both() {
  local what=$1; shift
  local d_rc=0 b_rc=0
  $DOCKER "$@" >"$WORK/d.out" 2>&1 || d_rc=$?
  berth "$@" >"$WORK/b.out" 2>&1 || b_rc=$?
  sed -i 's/^Error response from daemon: /Error: /' "$WORK/d.out"  # who answered differs, not what
  diff <(normal <"$WORK/d.out" | ${ORDER:-cat}) <(normal <"$WORK/b.out" | ${ORDER:-cat}) >&2 || fail "$what: docker (<) and berth (>) differ"
  assert_eq "$b_rc" "$d_rc" "$what: exit code"
}

both "create" volume create --label team=web data
both "create of an existing volume" volume create data
both "create of a generated name" volume create --name other
both "ls" volume ls
both "ls -q" volume ls -q
both "ls --filter label" volume ls --filter label=team=web
both "ls --filter name" volume ls --filter name=oth
both "ls --format" volume ls --format '{{.Name}} {{.Driver}} {{.Labels}}'
both "inspect" volume inspect data other
both "inspect -f" volume inspect -f '{{.Name}} {{.Labels}} {{.Options}}' data
both "inspect of a missing volume" volume inspect data nope
both "create of a name that is a path" volume create bad/name
both "create with an unknown driver" volume create -d nfs x1
pass "volume create, ls, inspect"

for engine in docker berth; do
  run=$DOCKER; [ "$engine" = berth ] && run=berth
  $run run -d --name user -v data:/data --mount type=volume,source=mounted,target=/m box:1 sleep 60 >/dev/null
done
both "ls with volumes -v and --mount made" volume ls
# (-f on a -v made volume differs: the CLI's template sees a nil Go map, "map[]";
# berth's templates see JSON's null. The JSON itself is the same.)
both "inspect of a volume --mount made" volume inspect mounted
both "rm of a volume in use" volume rm data
both "ls --filter dangling" volume ls --filter dangling=true
for engine in docker berth; do
  run=$DOCKER; [ "$engine" = berth ] && run=berth
  $run rm -f user >/dev/null
done
both "rm of a volume and a missing one" volume rm data nope
both "rm -f of a missing volume" volume rm -f nope
ORDER=sort both "prune (Docker lists them in its store's order)" volume prune -f
both "ls after prune" volume ls
pass "volume rm and prune, in use and not"
