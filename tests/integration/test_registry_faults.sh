#!/bin/bash
# Bad peers: a proxy in front of a real registry (registry_peer.py) corrupts,
# truncates, junks or fails its answers. Every pull either verifies and
# refuses, leaving the store as it was, or retries and succeeds; a pull
# killed midway leaves nothing that a second pull and `system check` mind.
. "$(dirname "$0")/lib.sh"
make_fixtures
start_registry
MODE=$WORK/peer-mode
PORT=$(free_port)
python3 "$BERTH_SOURCE_DIR/tests/integration/registry_peer.py" --port "$PORT" --upstream "$REGISTRY" --mode-file "$MODE" &
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $!"
wait_for_http "http://127.0.0.1:$PORT/v2/"
P=127.0.0.1:$PORT

export BERTH_ROOT=$WORK/src
berth load -q -i "$FX/layered.tar" >/dev/null
id=$(berth inspect -f '{{.Id}}' layered:1.0)
berth tag layered:1.0 "$REGISTRY/app:1.0"
berth push -q "$REGISTRY/app:1.0" >/dev/null

export BERTH_ROOT=$WORK/dst
berth images >/dev/null  # creates the empty store
before=$(store_snapshot)
refused() {
  echo "$1" >"$MODE"
  expect_failure "$2" berth pull -q "$P/app:1.0"
  assert_eq "$(store_snapshot)" "$before" "store after $2"
  assert_eq "$(ls "$BERTH_ROOT/tmp")" "" "tmp/ after $2"
}
refused corrupt-blob "a blob whose bytes do not match its digest"
grep -q "does not match its digest" "$WORK/stderr" || fail "corrupt blob: the error names the digest mismatch"
refused manifest-junk "a manifest that is not JSON"
grep -q "not a JSON object" "$WORK/stderr" || fail "junk manifest: the error says it is not JSON"
refused schema1 "a schema 1 manifest"
grep -q "schema 1 is not supported" "$WORK/stderr" || fail "schema 1: the error says so"
refused truncate-always "a body that always stops half way"
echo "" >"$MODE"
# A layer blob tampered with in the registry's own storage, served as is.
layer=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/app/manifests/1.0" | jq -r '.layers[1].digest')
data=$(find "$REGISTRY_DIR/data" -path "*/blobs/sha256/*/${layer#sha256:}/data")
[ -f "$data" ] || fail "layer blob not found in the registry's storage"
cp "$data" "$WORK/blob.orig"
printf "\\377" | dd of="$data" bs=1 seek=$(( $(stat -c %s "$data") / 2 )) conv=notrunc status=none
expect_failure "a tampered layer blob" berth pull -q "$P/app:1.0"
grep -q "^Error: layer $layer: " "$WORK/stderr" || fail "tampered layer: the error names the layer"
assert_eq "$(store_snapshot)" "$before" "store after a tampered layer"
cp "$WORK/blob.orig" "$data"
pass "bad blobs and manifests are refused, nothing registered"

echo truncate-once >"$MODE"
berth pull -q "$P/app:1.0" >/dev/null || fail "pull resumes a body that stopped half way"
assert_eq "$(berth inspect -f '{{.Id}}' "$P/app:1.0")" "$id" "ID after a resumed download"
berth rmi -f "$P/app:1.0" >/dev/null
echo 500-once >"$MODE"
berth pull -q "$P/app:1.0" >/dev/null || fail "pull retries after a 500"
assert_eq "$(berth inspect -f '{{.Id}}' "$P/app:1.0")" "$id" "ID after a 500 then success"
berth system check >/dev/null || fail "system check after retried pulls"
pass "a truncated body resumes and a 500 is retried"

# Blob downloads redirected (to blob storage, here the registry itself).
export BERTH_ROOT=$WORK/redirected
echo redirect-blobs >"$MODE"
berth pull -q "$P/app:1.0" >/dev/null || fail "pull through redirects"
assert_eq "$(berth inspect -f '{{.Id}}' "$P/app:1.0")" "$id" "ID after redirected downloads"
pass "redirects to blob storage are followed"

# Killed midway (the peer holds each blob body back for 3 s), then pulled again.
export BERTH_ROOT=$WORK/killed
echo slow-blobs >"$MODE"
"$BERTH" pull -q "$P/app:1.0" >/dev/null 2>&1 & pid=$!  # the binary itself, so kill reaches it
for _ in $(seq 1 50); do [ -n "$(ls "$BERTH_ROOT/tmp" 2>/dev/null)" ] && break; sleep 0.1; done
[ -n "$(ls "$BERTH_ROOT/tmp" 2>/dev/null)" ] || fail "the pull never started downloading"
kill -9 $pid; wait $pid 2>/dev/null || true
assert_eq "$(berth images -q)" "" "images after a killed pull"
echo "" >"$MODE"
berth pull -q "$P/app:1.0" >/dev/null || fail "pull after a killed pull"
assert_eq "$(berth inspect -f '{{.Id}}' "$P/app:1.0")" "$id" "ID after a killed pull and a second one"
berth system check >"$WORK/check" || { cat "$WORK/check"; fail "system check after a killed pull"; }
assert_eq "$(ls "$BERTH_ROOT/tmp")" "" "tmp/ after the check"
pass "a pull killed with SIGKILL, pulled again: complete and consistent"
