# Must show 4: an overlay mount of the stored layer directories shows exactly
# what flattening the layer tars shows (whiteouts, opaque directories, links,
# modes), and the store keeps Docker's overlay2 layout.
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
make_fixtures

berth load -i "$FX/layered.tar" >/dev/null
upper=$(berth inspect -f '{{.GraphDriver.Data.UpperDir}}' layered:1.0)
lower=$(berth inspect -f '{{.GraphDriver.Data.LowerDir}}' layered:1.0)
top=$(dirname "$upper")

# Layout: diff/, link, lower ("l/<short>:l/<short>", nearest first), l/<short> -> ../<id>/diff.
[ -f "$top/link" ] && [ -f "$top/lower" ] || fail "top layer lacks link/lower"
assert_eq "$(awk -F: "{print NF}" "$top/lower")" "2" "lower entries"
for short in $(tr ':' ' ' <"$top/lower"); do
  [ "$(readlink -f "$BERTH_ROOT/overlay2/$short")" = "$(readlink -f "$BERTH_ROOT/overlay2/$(readlink "$BERTH_ROOT/overlay2/$short" | sed 's|^\.\./||')")" ] \
    || fail "short link $short"
done
[ ! -e "$(dirname "${lower%%:*}")/../$(basename "$(dirname "${lower##*:}")")/lower" ] || fail "base layer has a lower file"
pass "overlay2 layout"

# Mount the layers the way a container's root would be, through the short links.
mkdir -p "$WORK/mnt"
(cd "$BERTH_ROOT/overlay2" && mount -t overlay overlay -o "lowerdir=l/$(cat "$top/link"):$(cat "$top/lower")" "$WORK/mnt")
python3 "$BERTH_SOURCE_DIR/tests/integration/fixtures.py" --describe "$WORK/mnt" >"$WORK/mounted.json"
umount "$WORK/mnt"
python3 "$BERTH_SOURCE_DIR/tests/integration/fixtures.py" --flatten "$FX/layer1.tar" "$FX/layer2.tar" "$FX/layer3.tar" >"$WORK/flat.json"
diff "$WORK/flat.json" "$WORK/mounted.json" || fail "overlay view differs from the flattened tars"
# The specific cases, spelled out.
jq -e 'has("etc/motd") and has("data/new") and (has("data/old1") | not) and (has("data/sub/deep") | not)' "$WORK/mounted.json" >/dev/null \
  || fail "whiteout/opaque cases"
pass "overlay mount == flattened tars ($(jq length "$WORK/mounted.json") paths)"

# Owners, setuid bits and hard links survive extraction.
base=${lower##*:}
stat -c '%u:%g %a' "$base/home/user.txt" | matches -x '1000:1000 644' || fail "owner"
stat -c '%a' "$base/bin/tool" | matches -x '4755' || fail "setuid bit"
[ "$(stat -c %i "$base/bin/tool")" = "$(stat -c %i "$base/bin/tool-link")" ] || fail "hard link"
pass "owners, modes, hard links"
