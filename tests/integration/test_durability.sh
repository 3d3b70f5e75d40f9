#!/bin/bash
# Commits that do not wait for the disk (issue #13, docs/storage.md
# "Durability"): with --sync=full nothing is marked, as before; by default the
# layers and blobs a command adds are marked not yet known durable and a
# detached helper's syncfs clears the marks; after a reboot (a changed boot ID,
# faked through BERTH_BOOT_ID_FILE) with marks left, the first command verifies
# what is marked: a layer whose kept archive is intact is extracted again, one
# that fails is dropped with its image and reported in one line, the rest of
# the store is intact, `system check` is clean, and the image loads again.
. "$(dirname "$0")/lib.sh"
make_fixtures
echo boot-one >"$WORK/boot_id"
export BERTH_BOOT_ID_FILE=$WORK/boot_id
unsynced() { sqlite3 "$BERTH_ROOT/berth.db" 'SELECT count(*) FROM unsynced'; }

# --sync=full: waits for the disk, marks nothing.
berth --sync=full load -q -i "$FX/layered.tar" >/dev/null
assert_eq "$(unsynced)" 0 "marks after a --sync=full load"
echo '{"sync": "full"}' >"$WORK/config.json"
BERTH_CONFIG=$WORK/config.json berth load -q -i "$FX/shared-a.tar" >/dev/null
assert_eq "$(unsynced)" 0 "marks after a load with \"sync\": \"full\" in the config file"
expect_failure "an unknown sync mode" berth --sync=sometimes images
pass "--sync=full (flag and config file) marks nothing"

# Default: marked at the commit, cleared by the detached helper's sync.
berth rmi layered:1.0 >/dev/null
berth load -q -i "$FX/layered.tar" >/dev/null
for _ in $(seq 100); do [ "$(unsynced)" = 0 ] && break; sleep 0.1; done
assert_eq "$(unsynced)" 0 "marks once the background sync ran"
pass "a load marks its layers and blobs; the background sync clears them"

# A machine that stops before the disk caught up: marks kept (no helper).
export BERTH_NO_BACKGROUND_SYNC=1
berth rmi layered:1.0 >/dev/null
berth load -q -i "$FX/layered.tar" >/dev/null                 # layers kept as diff/ + tar-split
mkdir -p "$WORK/other/etc"; echo "other content" >"$WORK/other/etc/other.txt"
tar -C "$WORK/other" -cf "$WORK/other.tar" .
BERTH_ROOT=$WORK/pusher berth --sync=full import "$WORK/other.tar" other:1 >/dev/null
start_registry
BERTH_ROOT=$WORK/pusher berth --sync=full tag other:1 "$REGISTRY/other:1"
BERTH_ROOT=$WORK/pusher berth --sync=full push "$REGISTRY/other:1" >/dev/null
berth pull -q "$REGISTRY/other:1" >/dev/null                   # a layer kept as its gzip archive
other_id=$(berth inspect -f '{{.Id}}' "$REGISTRY/other:1")
[ "$(unsynced)" -gt 0 ] || fail "no marks left to verify"
# What the disk did not get: a file of each image's top layer is empty.
layered_upper=$(berth inspect -f '{{.GraphDriver.Data.UpperDir}}' layered:1.0)
other_upper=$(berth inspect -f '{{.GraphDriver.Data.UpperDir}}' "$REGISTRY/other:1")
torn=$(find "$layered_upper" -type f -size +0 | sort | first_line)
[ -n "$torn" ] || fail "no file to tear in layered:1.0's top layer"
: >"$torn"
: >"$other_upper/etc/other.txt"
echo boot-two >"$WORK/boot_id"                                 # the reboot

berth images --format '{{.Repository}}:{{.Tag}}' >"$WORK/images.out" 2>"$WORK/recovery.err"
grep -qx "berth: image layered:1.0 ([0-9a-f]\{12\}) was lost in a crash: pull it again" \
  "$WORK/recovery.err" || fail "the loss reported in one line: $(cat "$WORK/recovery.err")"
assert_eq "$(wc -l <"$WORK/recovery.err")" 1 "lines reported"
assert_eq "$(sort "$WORK/images.out" | tr '\n' ' ')" "$REGISTRY/other:1 shared:a " "the images left"
assert_eq "$(cat "$other_upper/etc/other.txt")" "other content" "the pulled layer extracted again from its archive"
assert_eq "$(berth inspect -f '{{.Id}}' "$REGISTRY/other:1")" "$other_id" "the repaired image's ID"
assert_eq "$(unsynced)" 0 "marks after the recovery"
berth system check >"$WORK/check.out" || fail "system check after the recovery: $(cat "$WORK/check.out")"
matches "store is consistent" <"$WORK/check.out" || fail "system check: $(cat "$WORK/check.out")"
berth load -q -i "$FX/layered.tar" >/dev/null || fail "loading the lost image again"
berth save -o "$WORK/again.tar" layered:1.0 || fail "save of the image loaded again"
berth system check >/dev/null || fail "system check after loading again"
pass "after a crash: torn layers dropped with their image (one line), a kept archive re-extracted, the rest intact"

# A real power cut: the store on a journaled ext4 in a loop file, shut down
# with EXT4_IOC_SHUTDOWN(NOLOGFLUSH) right after a load — what was only in the
# page cache is gone, as when power fails (xfstests' godown) — then mounted
# again after a "reboot". SQLite synced its records at the checkpoint that
# closed the load, so they survived; the layers' data did not.
unset BERTH_NO_BACKGROUND_SYNC
truncate -s 1G "$WORK/disk.img"
mkfs.ext4 -q -F "$WORK/disk.img"
mkdir -p "$WORK/mnt"
mount -o loop "$WORK/disk.img" "$WORK/mnt"
export BERTH_ROOT=$WORK/mnt/store
echo boot-three >"$WORK/boot_id"
berth --sync=full load -q -i "$FX/shared-a.tar" >/dev/null   # durable before the cut
# Staging directories are spread over ext4's block groups (store.cpp says why).
lsattr -d "$BERTH_ROOT/tmp" | grep -q '^[^ ]*T' || fail "tmp/ is not a top directory: $(lsattr -d "$BERTH_ROOT/tmp")"
sync
BERTH_NO_BACKGROUND_SYNC=1 berth load -q -i "$FX/layered.tar" >/dev/null
BERTH_NO_BACKGROUND_SYNC=1 berth pull -q "$REGISTRY/other:1" >/dev/null
[ "$(unsynced)" -gt 0 ] || fail "the load and the pull left no marks"
# What no mark covers is written through to the disk even in normal mode.
berth volume create --label kept=yes kept >/dev/null
python3 -c 'import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.ioctl(fd, 0x8004587D, struct.pack("I", 2))  # EXT4_IOC_SHUTDOWN, EXT4_GOING_FLAGS_NOLOGFLUSH' "$WORK/mnt"
umount "$WORK/mnt"
mount -o loop "$WORK/disk.img" "$WORK/mnt"
echo boot-four >"$WORK/boot_id"
berth images --format '{{.Repository}}:{{.Tag}}' >"$WORK/images.out" 2>"$WORK/recovery.err" ||
  fail "the first command after the power cut: $(cat "$WORK/recovery.err")"
cat "$WORK/recovery.err"
assert_eq "$(sort "$WORK/images.out" | tr '\n' ' ')" "shared:a " "the images after the power cut"
grep -qx "berth: image layered:1.0 ([0-9a-f]\{12\}) was lost in a crash: pull it again" "$WORK/recovery.err" ||
  fail "the torn image reported: $(cat "$WORK/recovery.err")"
grep -qx "berth: image $REGISTRY/other:1 ([0-9a-f]\{12\}) was lost in a crash: pull it again" "$WORK/recovery.err" ||
  fail "the torn pulled image reported: $(cat "$WORK/recovery.err")"
assert_eq "$(unsynced)" 0 "marks after the recovery"
berth system check >"$WORK/check.out" || fail "system check after the power cut: $(cat "$WORK/check.out")"
assert_eq "$(berth volume inspect -f '{{.Labels.kept}}' kept 2>&1)" yes "a volume created right before the power cut"
berth load -q -i "$FX/layered.tar" >/dev/null || fail "loading the torn image again"
berth pull -q "$REGISTRY/other:1" >/dev/null || fail "pulling the torn image again"
berth save -o "$WORK/pulled-again.tar" "$REGISTRY/other:1" || fail "save of the image pulled again"
berth save -o "$WORK/again.tar" layered:1.0 shared:a || fail "save after the power cut"
berth system check >/dev/null || fail "system check after loading again"
umount "$WORK/mnt"
pass "a power cut (ext4 shut down without flushing): the torn images (loaded, pulled) dropped and reported, pulled again; the durable one and a new volume intact"
