#!/bin/bash
# Concurrency (hardening issue, point 6): eight berth processes at once —
# loads, pulls and builds of images that share layers — while a ninth removes
# unrelated images and prunes: every one succeeds, each shared layer is
# stored once, `system check` is clean. (A build's newest step image is
# untagged and childless, like a dangling one: its lease keeps it from the
# prune — store/image_leases.h.) Then `rmi -f` racing the `run` that
# starts a container from the same image never takes a layer the container
# mounts.
. "$(dirname "$0")/lib.sh"
make_fixtures
start_registry
R=$REGISTRY

# The registry holds the two images that share their first two layers.
for t in a b; do
  BERTH_ROOT=$WORK/src berth load -q -i "$FX/shared-$t.tar" >/dev/null
  BERTH_ROOT=$WORK/src berth tag "shared:$t" "$R/shared:$t"
  BERTH_ROOT=$WORK/src berth push -q "$R/shared:$t" >/dev/null
done

# The store: a base to build on, and unrelated images to remove meanwhile.
mkdir -p "$WORK/bb/bin" && cp /bin/busybox "$WORK/bb/bin/"
for c in sh echo cat sleep true; do ln -s busybox "$WORK/bb/bin/$c"; done
tar -C "$WORK/bb" -cf "$WORK/bb.tar" .
berth import "$WORK/bb.tar" bb:1 >/dev/null
for i in 1 2 3 4; do
  mkdir -p "$WORK/u$i" && echo "unrelated $i" >"$WORK/u$i/f" && tar -C "$WORK/u$i" -cf "$WORK/u$i.tar" .
  berth import "$WORK/u$i.tar" "unrelated:$i" >/dev/null
done
for i in 1 2; do
  mkdir -p "$WORK/ctx$i" && echo "build $i" >"$WORK/ctx$i/f"
  printf 'FROM bb:1\nCOPY f /f\nRUN cat /f > /g\n' >"$WORK/ctx$i/Dockerfile"
done

pids=()
launch() { "$@" >"$WORK/out.${#pids[@]}" 2>&1 & pids+=($!); }
launch berth load -q -i "$FX/shared-a.tar"
launch berth load -q -i "$FX/shared-b.tar"
launch berth pull -q "$R/shared:a"
launch berth pull -q "$R/shared:b"
launch berth load -q -i "$FX/layered.tar"
launch berth load -q -i "$FX/gzip-layer.tar"
launch berth build -q -t built:1 "$WORK/ctx1"
launch berth build -q -t built:2 "$WORK/ctx2"
( for i in 1 2 3 4; do berth rmi "unrelated:$i" >/dev/null; berth image prune -f >/dev/null; berth container prune -f >/dev/null; done ) &
remover=$!
for n in "${!pids[@]}"; do
  wait "${pids[$n]}" || { cat "$WORK/out.$n" >&2; fail "concurrent command $n failed"; }
done
wait $remover || fail "rmi/prune alongside failed"
berth inspect shared:a shared:b "$R/shared:a" "$R/shared:b" layered:1.0 gzlayer:1 built:1 built:2 >/dev/null ||
  fail "every image is there"
berth images -q unrelated | matches -x '' || fail "the unrelated images are gone"
first=$(sha256sum "$FX/layer1.tar" | cut -d' ' -f1)
assert_eq "$(sqlite3 "$BERTH_ROOT/berth.db" "select count(*) from layers where diff_id = 'sha256:$first'")" 1 \
  "the layer every image shares is stored once"
berth system check >/dev/null || fail "system check after eight at once"
pass "eight loads, pulls and builds at once, with rmi and prune alongside: all succeed, shared layers once"

# rmi -f against the run starting a container from the same image.
for round in 1 2 3 4 5; do
  berth tag bb:1 "victim:$round"
  berth run -d --name "v$round" "victim:$round" sleep 30 >"$WORK/run.out" 2>&1 & run=$!
  berth rmi -f "victim:$round" >/dev/null 2>&1 || true
  wait $run || true
  if berth inspect "v$round" >/dev/null 2>&1; then
    berth exec "v$round" true 2>/dev/null || [ "$(berth inspect -f '{{.State.Running}}' "v$round")" = false ] ||
      fail "round $round: the container runs but its root is gone"
    berth rm -f "v$round" >/dev/null
  fi
  berth system check >/dev/null || fail "round $round: system check after rmi raced run"
done
pass "rmi -f racing run never removes a layer a container mounts"
