# Must show 6: `berth load` killed with SIGKILL at 20 random moments, each
# followed by `system check`, leaves a consistent store; the load then succeeds.
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
make_fixtures
berth load -q -i "$FX/layered.tar"

# A load that takes long enough to be interrupted: two big unique layers.
start=$(date +%s%N)
BERTH_ROOT=$WORK/probe berth load -q -i "$FX/shared-a.tar"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$took_ms" -gt 0 ] || took_ms=1

for i in $(seq 1 20); do
  delay_ms=$(( RANDOM % (took_ms + 5) ))
  "$BERTH" load -q -i "$FX/shared-a.tar" &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  berth system check >"$WORK/check.log" || { cat "$WORK/check.log" >&2; fail "system check after kill $i (at ${delay_ms}ms)"; }
  # Whatever the moment, the image is either fully there or not at all.
  if berth inspect shared:a >/dev/null 2>&1; then
    berth save shared:a >/dev/null || fail "image present but unreadable after kill $i"
    berth rmi -f shared:a >/dev/null
  fi
  [ -z "$(ls -A "$BERTH_ROOT/tmp")" ] || fail "tmp not clean after check"
  berth inspect layered:1.0 >/dev/null || fail "an unrelated image was damaged"
done
pass "20 kills, store consistent after each check"

berth load -i "$FX/shared-a.tar" | matches -x "Loaded image: shared:a" || fail "load after the kills"
berth system check >/dev/null
pass "load succeeds afterwards"

# A damaged blob is found, not hidden.
blob=$(ls "$BERTH_ROOT/blobs/sha256" | first_line)
echo garbage >>"$BERTH_ROOT/blobs/sha256/$blob"
if berth system check >"$WORK/check.log"; then fail "system check missed a corrupt blob"; fi
grep -q "problem:" "$WORK/check.log" || fail "no problem reported"
pass "corruption reported by system check"
