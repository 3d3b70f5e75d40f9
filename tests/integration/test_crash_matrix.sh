# Issue #15, point 4: every command that changes the store, killed with SIGKILL
# at $MOMENTS random moments (default 20) of its run. After each kill
# `system check` must find nothing it cannot repair, nothing may be left in
# tmp/, no mount and no process may be left once the containers are removed,
# the command's own invariant must hold (an image is whole or absent, a pushed
# tag is complete or absent), and the command must then succeed.
# (load has its own test: test_crash_safety.sh.)
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
MOMENTS=${MOMENTS:-20}
make_fixtures
start_registry

# Each command gets a store of its own, seeded by `seed_$name`.
use_store() { export BERTH_ROOT=$WORK/store-$1; }

# The whole image or nothing.
image_whole_or_absent() {
  if berth inspect "$1" >/dev/null 2>&1; then
    berth save "$1" >/dev/null || fail "$1 is recorded but cannot be saved"
  fi
}

# What a kill may leave, `system check` repairs: it finds no damage, and tmp/ is empty.
checked_after_kill() {
  berth system check >"$WORK/check.log" 2>&1 || { cat "$WORK/check.log" >&2; fail "$1: system check"; }
  ! grep -q "problem:" "$WORK/check.log" || { cat "$WORK/check.log" >&2; fail "$1: problems found"; }
  [ -z "$(ls -A "$BERTH_ROOT/tmp" 2>/dev/null)" ] || fail "$1: tmp/ not empty after check: $(ls "$BERTH_ROOT/tmp")"
}

# Every container can be removed, and then nothing of them is left: no mount
# below the store, no process whose root is in it.
containers_leave_nothing() {
  local c p
  for c in $(berth ps -aq); do
    [[ -n "${KEEP_CONTAINER:-}" && $KEEP_CONTAINER == "$c"* ]] && continue
    berth rm -f "$c" >/dev/null || fail "$1: container $c cannot be removed"
  done
  if awk -v r="$BERTH_ROOT" 'index($2, r) == 1' /proc/mounts | grep -q .; then
    fail "$1: mounts left: $(awk -v r="$BERTH_ROOT" 'index($2, r) == 1 {print $2}' /proc/mounts | tr '\n' ' ')"
  fi
  for p in /proc/[0-9]*; do
    case "$(readlink "$p/root" 2>/dev/null)" in
      "$BERTH_ROOT"/*) fail "$1: process ${p#/proc/} left rooted in the store" ;;
    esac
  done
}

sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# crash_matrix NAME 'ARGS' : ARGS (berth's arguments, expanded after
# `prepare_NAME` runs) are run once to time them, then MOMENTS times killed
# at a random moment up to that time; after each kill the store is checked,
# `verify_NAME` holds, and the command succeeds; then its containers leave nothing.
crash_matrix() {
  local name=$1 command=$2 args started took_ms i delay_ms pid
  use_store "$name"
  "seed_$name"
  "prepare_$name"
  eval "args=($command)"
  started=$(date +%s%N)
  "$BERTH" "${args[@]}" >/dev/null 2>&1 || fail "$name: fails without being killed"
  took_ms=$((($(date +%s%N) - started) / 1000000 + 1))
  for i in $(seq 1 "$MOMENTS"); do
    "prepare_$name"
    eval "args=($command)"
    delay_ms=$((RANDOM % (took_ms + 5)))
    "$BERTH" "${args[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep_ms "$delay_ms"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    checked_after_kill "$name killed at ${delay_ms}ms"
    "verify_$name"
    # (what the killed run may have finished is made again: rm needs a container)
    if declare -F "again_$name" >/dev/null; then "again_$name"; eval "args=($command)"; fi
    "$BERTH" "${args[@]}" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; fail "$name after the kill at ${delay_ms}ms"; }
    "verify_$name"
    containers_leave_nothing "$name killed at ${delay_ms}ms"
  done
  pass "$name: $MOMENTS kills in its ${took_ms} ms, store consistent and the command succeeds after each"
}

busybox_context() {
  mkdir -p "$WORK/ctx"
  # A RUN that takes a while and a layer big enough for its commit to take a while too.
  printf 'FROM bb:1\nRUN busybox sleep 0.2; busybox dd if=/dev/urandom of=/big bs=1M count=16 2>/dev/null\nRUN echo done >/done\n' \
    >"$WORK/ctx/Dockerfile"
}
busybox_context
seed_busybox() { import_busybox_image bb:1; }

# pull: the image from the registry, removed before each run.
use_store seed
berth load -q -i "$FX/shared-a.tar"
berth tag shared:a "$REGISTRY/crash/pull:1"
berth push -q "$REGISTRY/crash/pull:1" >/dev/null
seed_pull() { :; }
prepare_pull() { berth rmi -f "$REGISTRY/crash/pull:1" >/dev/null 2>&1 || true; }
verify_pull() { image_whole_or_absent "$REGISTRY/crash/pull:1"; }
crash_matrix pull "pull -q $REGISTRY/crash/pull:1"

# push: to a repository emptied before each run. The registry then has the
# tag with every blob it names, or no tag.
seed_push() { berth load -q -i "$FX/shared-a.tar"; berth tag shared:a "$REGISTRY/crash/push:1"; }
prepare_push() { rm -rf "$REGISTRY_DIR/data/docker/registry/v2/repositories/crash/push"; }
verify_push() {
  image_whole_or_absent "$REGISTRY/crash/push:1"
  local manifest=$WORK/pushed.json digest
  local accept=application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json
  [ "$(curl -s -o "$manifest" -w '%{http_code}' -H "Accept: $accept" "http://$REGISTRY/v2/crash/push/manifests/1")" = 200 ] || return 0
  for digest in $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["config"]["digest"], *[l["digest"] for l in m["layers"]])' "$manifest"); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -I "http://$REGISTRY/v2/crash/push/blobs/$digest")" = 200 ] ||
      fail "push: the registry has the tag but not its blob $digest"
  done
}
crash_matrix push "push -q $REGISTRY/crash/push:1"

# build: --no-cache, so every run has a RUN step and its commit to be killed in.
seed_build() { seed_busybox; }
prepare_build() { berth rmi -f built:1 >/dev/null 2>&1 || true; }
verify_build() { image_whole_or_absent built:1; }
crash_matrix build "build -q --no-cache -t built:1 $WORK/ctx"

# commit: a stopped container with a 16 MB file, committed again and again.
seed_commit() {
  seed_busybox
  KEEP_CONTAINER=$(berth create bb:1 busybox dd if=/dev/urandom of=/big bs=1M count=16)
  berth start "$KEEP_CONTAINER" >/dev/null
  assert_eq "$(berth wait "$KEEP_CONTAINER")" 0 "commit: the container's script"
}
prepare_commit() { berth rmi -f committed:1 >/dev/null 2>&1 || true; }
verify_commit() { image_whole_or_absent committed:1; berth inspect "$KEEP_CONTAINER" >/dev/null || fail "commit: the container is gone"; }
crash_matrix commit 'commit $KEEP_CONTAINER committed:1'
KEEP_CONTAINER=

# rmi, tag and image prune, of images loaded before each run.
seed_rmi() { berth load -q -i "$FX/layered.tar"; }
prepare_rmi() { berth load -q -i "$FX/shared-a.tar"; }
again_rmi() { berth inspect shared:a >/dev/null 2>&1 || prepare_rmi; }
verify_rmi() { image_whole_or_absent shared:a; image_whole_or_absent layered:1.0; berth inspect layered:1.0 >/dev/null || fail "rmi: another image went"; }
crash_matrix rmi "rmi shared:a"

seed_tag() { berth load -q -i "$FX/shared-a.tar"; }
prepare_tag() { berth rmi tagged:2 >/dev/null 2>&1 || true; }
verify_tag() { image_whole_or_absent tagged:2; image_whole_or_absent shared:a; }
crash_matrix tag "tag shared:a tagged:2"

seed_image_prune() { seed_busybox; }
# (bb:1 is kept by a container; the containers are removed after each round)
prepare_image_prune() { berth load -q -i "$FX/shared-a.tar"; berth load -q -i "$FX/layered.tar"; berth create bb:1 true >/dev/null; }
verify_image_prune() { image_whole_or_absent shared:a; image_whole_or_absent layered:1.0; berth inspect bb:1 >/dev/null || fail "image prune: an image in use went"; }
crash_matrix image_prune "image prune -a -f"

# Containers: create, run, rm and container prune.
seed_create() { seed_busybox; }
prepare_create() { :; }
verify_create() { :; }
crash_matrix create "create bb:1 true"

seed_run() { seed_busybox; }
prepare_run() { :; }
verify_run() { :; }
crash_matrix run "run bb:1 echo hello"

seed_rm() { seed_busybox; }
prepare_rm() { REMOVED=$(berth create bb:1 true); }
again_rm() { berth inspect "$REMOVED" >/dev/null 2>&1 || prepare_rm; }
verify_rm() { :; }
crash_matrix rm 'rm $REMOVED'

seed_container_prune() { seed_busybox; }
prepare_container_prune() { local n; for n in 1 2 3 4; do berth create bb:1 true >/dev/null; done; }
verify_container_prune() { :; }
crash_matrix container_prune "container prune -f"

# builder prune: the build cache of the build above, made again before each run.
seed_builder_prune() { seed_busybox; }
prepare_builder_prune() { berth build -q -t built:1 "$WORK/ctx" >/dev/null; }
verify_builder_prune() { image_whole_or_absent built:1; }
crash_matrix builder_prune "builder prune -a -f"

# system check keeps what containers own: a running one's writable layer is
# neither unmounted nor removed (it once was, as an "unrecorded" layer).
use_store running
seed_busybox
running=$(berth run -d bb:1 sh -c 'echo kept >/mine; sleep 30')
for _ in $(seq 50); do berth exec "$running" cat /mine 2>/dev/null | matches -x kept && break; sleep 0.1; done
checked_after_kill "a running container"
assert_eq "$(berth exec "$running" cat /mine)" kept "the running container's own file after system check"
berth commit "$running" kept:1 >/dev/null || fail "commit of the running container after system check"
containers_leave_nothing "a running container"
pass "system check keeps a running container's writable layer"
