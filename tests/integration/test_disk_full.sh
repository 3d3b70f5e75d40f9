#!/bin/bash
# Disk full (hardening issue, point 5): the store on a 48 MB ext4 of its own.
# A load, a pull and a build (a COPY of a big file) that run out of space
# each fail with one line naming it ("No space left on device"), leave the
# store as it was, `system check` is clean, and what fits afterwards works.
. "$(dirname "$0")/lib.sh"
make_fixtures

# 60 MB of random bytes in one layer: more than the file system holds.
python3 - "$WORK" <<'PY'
import os, sys
sys.path.insert(0, os.environ["BERTH_SOURCE_DIR"] + "/tests/integration")
import fixtures
big = fixtures.tar_bytes([("big", "file", os.urandom(60 << 20), {})])
open(sys.argv[1] + "/big.tar", "wb").write(fixtures.docker_archive([big], ["big:1"]))
PY
head -c $((60 << 20)) /dev/urandom >"$WORK/big.bin"

start_registry  # on the machine's own disk
R=$REGISTRY
BERTH_ROOT=$WORK/src berth load -q -i "$WORK/big.tar" >/dev/null
BERTH_ROOT=$WORK/src berth tag big:1 "$R/big:1"
BERTH_ROOT=$WORK/src berth push -q "$R/big:1" >/dev/null

truncate -s 48M "$WORK/disk.img"
mkfs.ext4 -q -F "$WORK/disk.img"
mkdir -p "$WORK/mnt"
mount -o loop "$WORK/disk.img" "$WORK/mnt"
export BERTH_ROOT=$WORK/mnt/store
berth load -q -i "$FX/layered.tar" >/dev/null  # something to lose
mkdir -p "$WORK/bb/bin" && cp /bin/busybox "$WORK/bb/bin/" && tar -C "$WORK/bb" -cf "$WORK/bb.tar" .
berth import "$WORK/bb.tar" bb:1 >/dev/null
before=$(store_snapshot)

runs_out() {  # WHAT COMMAND...
  local what=$1 && shift
  expect_failure "$what on a full disk" "$@"
  matches -F "No space left on device" <"$WORK/stderr" || fail "$what: the error names the full disk"
  [ "$(store_snapshot)" = "$before" ] || { diff <(echo "$before") <(store_snapshot) >&2; fail "$what: the store changed"; }
  berth system check >/dev/null || fail "$what: system check after it"
  [ -z "$(ls "$BERTH_ROOT/tmp")" ] || fail "$what: staging left in tmp/"
}
runs_out "load" berth load -i "$WORK/big.tar"
runs_out "pull" berth pull "$R/big:1"
mkdir -p "$WORK/ctx" && cp "$WORK/big.bin" "$WORK/ctx/big.bin"
printf 'FROM bb:1\nCOPY big.bin /big.bin\n' >"$WORK/ctx/Dockerfile"
runs_out "build" berth build -q -t full:1 "$WORK/ctx"
printf 'FROM bb:1\nCOPY small.txt /small.txt\n' >"$WORK/ctx/Dockerfile" && echo small >"$WORK/ctx/small.txt"
rm "$WORK/ctx/big.bin"
berth build -q -t fits:1 "$WORK/ctx" >/dev/null || fail "a build that fits, after the failures"
berth system check >/dev/null || fail "system check at the end"
pass "disk full: load, pull and build fail naming ENOSPC, the store as it was; what fits works after"
