# Must show 7: two loads of images that share layers, at the same time: both
# succeed and the shared layers are stored once.
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
make_fixtures

for round in 1 2 3; do
  export BERTH_ROOT=$WORK/root-$round
  "$BERTH" load -q -i "$FX/shared-a.tar" & a=$!
  "$BERTH" load -q -i "$FX/shared-b.tar" & b=$!
  wait $a || fail "first concurrent load"
  wait $b || fail "second concurrent load"
  berth inspect shared:a shared:b >/dev/null
  # 2 shared + 2 unique layers = 4 directories (plus l/), 4 links.
  assert_eq "$(ls "$BERTH_ROOT/overlay2" | grep -vc '^l$')" "4" "layer directories"
  assert_eq "$(ls "$BERTH_ROOT/overlay2/l" | wc -l)" "4" "short links"
  assert_eq "$(sqlite3 "$BERTH_ROOT/berth.db" 'select count(*) from layers')" "4" "layer records"
  berth system check >/dev/null || fail "store inconsistent after concurrent loads"
done
pass "concurrent loads share layers"
