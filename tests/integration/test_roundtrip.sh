# Must show 3: load -> save -> load keeps the image ID and byte-identical
# layer tars; compressed archives and stdin work.
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
make_fixtures

berth load -i "$FX/layered.tar" >/dev/null
id=$(berth inspect -f '{{.Id}}' layered:1.0)
berth save -o "$WORK/a.tar" layered:1.0

# Into a fresh store, from stdin, and again from a gzip- and a zstd-compressed copy.
export BERTH_ROOT=$WORK/root2
berth load <"$WORK/a.tar" | matches -x "Loaded image: layered:1.0" || fail "load from stdin"
assert_eq "$(berth inspect -f '{{.Id}}' layered:1.0)" "$id" "image ID after round trip"
berth save -o "$WORK/b.tar" layered:1.0
cmp "$WORK/a.tar" "$WORK/b.tar" || fail "second save differs from the first"
pass "load -> save -> load -> save: same ID, identical archives"

# Each layer in the saved archive is the original tar, byte for byte.
mkdir "$WORK/x" && tar -xf "$WORK/b.tar" -C "$WORK/x"
for n in 1 2 3; do
  want=$(sha256sum <"$FX/layer$n.tar" | cut -d' ' -f1)
  [ -f "$WORK/x/blobs/sha256/$want" ] || fail "layer $n is not in the saved archive byte for byte"
done
jq -e --arg id "$id" '.[0].Config == ("blobs/sha256/" + ($id | ltrimstr("sha256:")))' "$WORK/x/manifest.json" >/dev/null \
  || fail "manifest.json Config"
pass "saved layers are the original tars"

# Uncompressed layers are kept as diff/ + tar-split, not twice: only the config is a blob.
assert_eq "$(ls "$BERTH_ROOT/blobs/sha256" | wc -l)" "1" "blobs kept for an uncompressed load"
ls "$BERTH_ROOT"/overlay2/*/tar-split.zst >/dev/null || fail "no tar-split"

# A layer tar-split cannot describe (a file written twice) keeps its archive,
# found by a second pass over the input; it still saves byte for byte. From a pipe.
export BERTH_ROOT=$WORK/root-twice
cat "$FX/twice.tar" | berth load -q
berth save twice:1 | tar -x -O "blobs/sha256/$(sha256sum <"$FX/twice-layer.tar" | cut -d' ' -f1)" | cmp - "$FX/twice-layer.tar" \
  || fail "a layer with a file written twice did not round-trip"
berth system check >/dev/null || fail "check after the fallback"
pass "layers tar-split cannot describe keep their archive"

for c in "gzip -c" "zstd -q -c"; do
  export BERTH_ROOT=$WORK/root-$(echo "$c" | cut -d' ' -f1)
  $c "$WORK/a.tar" >"$WORK/c.tar"
  berth load -q -i "$WORK/c.tar"
  assert_eq "$(berth inspect -f '{{.Id}}' layered:1.0)" "$id" "ID after loading a ${c%% *} archive"
done
pass "gzip and zstd archives load"

# A layer kept gzip-compressed is saved as it came, and Docker's reader copes.
export BERTH_ROOT=$WORK/root3
berth load -i "$FX/gzip-layer.tar" >/dev/null
berth save gzlayer:1 >"$WORK/gz-out.tar"
tar -tf "$WORK/gz-out.tar" | matches '^blobs/sha256/' || fail "save to stdout"
export BERTH_ROOT=$WORK/root4
berth load -i "$WORK/gz-out.tar" >/dev/null
assert_eq "$(berth inspect -f '{{.Id}}' gzlayer:1)" "$(BERTH_ROOT=$WORK/root3 berth inspect -f '{{.Id}}' gzlayer:1)" "gzip layer round trip"
pass "compressed layers round-trip"

# Several images in one file; a shared layer is written once.
export BERTH_ROOT=$WORK/root5
berth load -i "$FX/shared-a.tar" >/dev/null
berth load -i "$FX/shared-b.tar" >/dev/null
berth save -o "$WORK/two.tar" shared:a shared:b
assert_eq "$(tar -tf "$WORK/two.tar" | grep -c '^blobs/sha256/.')" "$((4 + 2 + 2))" "blobs in a two-image save"
export BERTH_ROOT=$WORK/root6
berth load -i "$WORK/two.tar" | sort >"$WORK/out"
printf 'Loaded image: shared:a\nLoaded image: shared:b\n' | diff - "$WORK/out" || fail "two-image load"
pass "two images in one archive, shared layers once"
