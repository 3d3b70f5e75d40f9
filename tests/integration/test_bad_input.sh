# Must show 5: every kind of bad input gets a one-line error and a non-zero
# exit, nothing is written outside the store, and the store is unchanged.
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
make_fixtures
rm -f /tmp/berth-escape-*

berth load -i "$FX/layered.tar" >/dev/null  # a non-empty store to protect
before=$(store_snapshot)

for f in "$FX"/bad-*.tar; do
  expect_failure "load $(basename "$f")" berth load -i "$f"
  [ "$(store_snapshot)" = "$before" ] || fail "$(basename "$f") changed the store"
done
ls /tmp/berth-escape-* 2>/dev/null && fail "a hostile archive wrote outside its layer"
[ "$(stat -c %i /etc/shadow)" != "" ] && [ "$(stat -c %h /etc/shadow)" = "1" ] || fail "/etc/shadow gained a link"

expect_failure "load of a missing file" berth load -i "$WORK/nope.tar"
expect_failure "load of a non-archive" berth load -i /etc/hostname
expect_failure "unknown flag" berth load --bogus
expect_failure "invalid tag" berth tag layered:1.0 'Bad:Name!'
expect_failure "tag of a missing image" berth tag nosuch:1 x:1
expect_failure "inspect of a missing image" berth inspect nosuch:1
expect_failure "rmi of a missing image" berth rmi nosuch:1
expect_failure "history of a missing image" berth history nosuch:1
expect_failure "save of a missing image" berth save -o "$WORK/x.tar" nosuch:1
[ ! -e "$WORK/x.tar" ] || fail "failed save left a file"
expect_failure "import with a bad change" berth import -c "RUN rm -rf /" "$FX/layer1.tar" x:1
expect_failure "import of a truncated tar" sh -c "head -c 3000 '$FX/layer1.tar' | '$BERTH' import - x:1"
expect_failure "bad images filter" berth images --filter foo=bar
expect_failure "bad template" berth images --format '{{.ID'
expect_failure "inspect of a non-image type" berth inspect --type container layered:1.0
[ "$(store_snapshot)" = "$before" ] || fail "a failed command changed the store"
pass "store unchanged after every failure"

# Exit code for usage errors is docker's 125.
set +e; berth images --bogus 2>/dev/null; rc=$?; set -e
assert_eq "$rc" "125" "usage error exit code"
