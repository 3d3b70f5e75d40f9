#!/bin/bash
# push and pull through Debian's docker-registry: the round trip keeps IDs and
# digests, pulled images go back with their digest (and by mount), skopeo
# reads what berth pushed, a multi-platform index yields the right platform,
# and two pulls at once store each layer once.
. "$(dirname "$0")/lib.sh"
make_fixtures
start_registry
R=$REGISTRY

# 1. Round trip: push, then pull into an empty store.
export BERTH_ROOT=$WORK/src
berth load -q -i "$FX/layered.tar" >/dev/null
berth tag layered:1.0 "$R/app:1.0"
id=$(berth inspect -f '{{.Id}}' layered:1.0)
berth push "$R/app:1.0" >"$WORK/push.out"
grep -q '^The push refers to repository \['"$R"'/app\]$' "$WORK/push.out" || fail "push header"
[ "$(grep -c ': Pushed$' "$WORK/push.out")" = 3 ] || { cat "$WORK/push.out"; fail "three layers pushed"; }
digest=$(sed -n 's/^1.0: digest: \(sha256:[0-9a-f]*\) size: [0-9]*$/\1/p' "$WORK/push.out")
[ -n "$digest" ] || fail "push printed no digest"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/app/manifests/$digest")" 200 "manifest stored under the digest push printed"
berth push "$R/app:1.0" | grep -c ': Layer already exists$' | matches -x 3 || fail "second push skips every layer"

export BERTH_ROOT=$WORK/dst
berth pull "$R/app:1.0" >"$WORK/pull.out"
assert_eq "$(berth inspect -f '{{.Id}}' "$R/app:1.0")" "$id" "image ID after the round trip"
assert_eq "$(berth inspect -f '{{index .RepoDigests 0}}' "$R/app:1.0")" "$R/app@$digest" "RepoDigests after pull"
grep -qx "Digest: $digest" "$WORK/pull.out" || fail "pull digest line"
grep -qx "Status: Downloaded newer image for $R/app:1.0" "$WORK/pull.out" || fail "pull status line"
assert_eq "$(tail -1 "$WORK/pull.out")" "$R/app:1.0" "pull's last line"
[ "$(grep -c ': Pull complete$' "$WORK/pull.out")" = 3 ] || fail "three layers pulled"
berth images --digests --format '{{.Digest}}' "$R/app" | matches -x "$digest" || fail "images --digests"
berth system check >/dev/null || fail "system check after pull"
berth pull "$R/app:1.0" | matches -x "Status: Image is up to date for $R/app:1.0" || fail "second pull is up to date"
berth pull -q "$R/app@$digest" | matches -x "$R/app@$digest" || fail "pull by digest, quiet"
berth tag "$R/app:1.0" "$R/same-layers:1"
berth push -q "$R/same-layers:1" >/dev/null
berth rmi "$R/same-layers:1" >/dev/null
berth pull "$R/same-layers:1" | grep -c ': Already exists$' | matches -x 3 || fail "layers already stored are not skipped"
pass "push -> pull round trip: same ID and digest"

# Layers pushed once, removed, and made again from the same tars: the archives
# the registry has are remembered by diff ID, so this push compresses nothing
# (no gzip archive is made and kept in the store).
export BERTH_ROOT=$WORK/src
berth rmi -f layered:1.0 "$R/app:1.0" "$R/same-layers:1" >/dev/null 2>&1 || true
berth image prune -af >/dev/null
berth load -q -i "$FX/layered.tar" >/dev/null
berth tag layered:1.0 "$R/app:again"
gzip_blobs() { for f in "$BERTH_ROOT"/blobs/sha256/*; do head -c2 "$f" | od -An -tx1 | tr -d ' \n'; echo; done | grep -c '^1f8b$' || true; }
gzip_before=$(gzip_blobs)
berth push "$R/app:again" | grep -c ': Layer already exists$' | matches -x 3 || fail "the layers exist in the registry"
assert_eq "$(gzip_blobs)" "$gzip_before" "no archive compressed again"
berth system check >/dev/null || fail "system check after a push of remembered archives"
pass "a layer made again is pushed as the archive remembered for its tar"
export BERTH_ROOT=$WORK/dst

# run of an image not in the store pulls it first (--pull=missing), progress on stderr.
mkdir -p "$WORK/bb/bin" && cp /bin/busybox "$WORK/bb/bin/" && ln -s busybox "$WORK/bb/bin/echo"
tar -C "$WORK/bb" -cf "$WORK/bb.tar" .
BERTH_ROOT=$WORK/bb-src berth import "$WORK/bb.tar" "$R/bb:1" >/dev/null
BERTH_ROOT=$WORK/bb-src berth push -q "$R/bb:1" >/dev/null
assert_eq "$(BERTH_ROOT=$WORK/run-pull berth run --rm "$R/bb:1" echo pulled and ran 2>"$WORK/run-pull.err")" "pulled and ran" "run pulls a missing image"
grep -qx "Unable to find image '$R/bb:1' locally" "$WORK/run-pull.err" || fail "run says it pulls"
grep -q "^Status: Downloaded newer image for $R/bb:1$" "$WORK/run-pull.err" || fail "run's pull status on stderr"
pass "run pulls a missing image"

# 2. A pulled image goes back byte for byte: same manifest digest, blobs
# mounted from the repository they came from, and skopeo agrees.
berth tag "$R/app:1.0" "$R/copy:2"
berth push "$R/copy:2" >"$WORK/push2.out"
grep -q "^2: digest: $digest " "$WORK/push2.out" || { cat "$WORK/push2.out"; fail "pulled image pushed with a new digest"; }
[ "$(grep -c ': Mounted from [a-z-]*$' "$WORK/push2.out")" = 3 ] || { cat "$WORK/push2.out"; fail "layers not mounted"; }
assert_eq "$(skopeo inspect --tls-verify=false "docker://$R/copy:2" | jq -r .Digest)" "$digest" "skopeo's digest"
skopeo copy -q --preserve-digests --src-tls-verify=false "docker://$R/app:1.0" "oci:$WORK/oci:app" >/dev/null
assert_eq "$(jq -r '.manifests[0].digest' "$WORK/oci/index.json")" "$digest" "skopeo copy to an OCI layout"
pass "pulled image pushed again: same digest, mounted, read by skopeo"

# 3. A multi-platform index: this machine's platform by default, another on request.
export BERTH_ROOT=$WORK/mp
for arch in amd64 arm64; do
  mkdir -p "$WORK/rootfs-$arch" && echo "$arch" >"$WORK/rootfs-$arch/arch"
  tar -C "$WORK/rootfs-$arch" -cf "$WORK/$arch.tar" .
  berth import --platform "linux/$arch" "$WORK/$arch.tar" "$R/mp:$arch" >/dev/null
  berth push -q "$R/mp:$arch" >/dev/null
  eval "id_$arch=\$(berth inspect -f '{{.Id}}' $R/mp:$arch)"
  eval "d_$arch=\$(berth inspect -f '{{index .RepoDigests 0}}' $R/mp:$arch | cut -d@ -f2)"
  eval "s_$arch=\$(curl -s http://$R/v2/mp/manifests/$arch -H 'Accept: application/vnd.oci.image.manifest.v1+json' | wc -c)"
done
cat >"$WORK/index.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$d_arm64","size":$s_arm64,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$d_amd64","size":$s_amd64,"platform":{"architecture":"amd64","os":"linux"}}]}
JSON
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.index.v1+json' --data-binary @"$WORK/index.json" \
  "http://$R/v2/mp/manifests/multi" >/dev/null || fail "index PUT"
index_digest=sha256:$(sha256sum <"$WORK/index.json" | cut -d' ' -f1)
export BERTH_ROOT=$WORK/mp-pull
berth pull -q "$R/mp:multi" >/dev/null
assert_eq "$(berth inspect -f '{{.Id}} {{.Architecture}}' "$R/mp:multi")" "$id_amd64 amd64" "the host's platform chosen"
assert_eq "$(berth inspect -f '{{index .RepoDigests 0}}' "$R/mp:multi")" "$R/mp@$index_digest" "RepoDigests names the index"
berth pull -q --platform linux/arm64 "$R/mp:multi" >/dev/null
assert_eq "$(berth inspect -f '{{.Id}} {{.Architecture}}' "$R/mp:multi")" "$id_arm64 arm64" "--platform linux/arm64"
expect_failure "a platform the index lacks" berth pull -q --platform linux/s390x "$R/mp:multi"
expect_failure "a single-platform image of another platform" berth pull -q --platform linux/arm64 "$R/mp:amd64"
berth pull -q "$R/mp:arm64" >/dev/null || fail "without --platform, a single-platform image is taken as it is"
pass "multi-platform index: right platform by default and on request"

# An uncompressed layer (OCI allows plain tar blobs): pushed by hand with curl,
# pulled, kept as diff/ + tar-split with no stray archive, saved back byte for byte.
upload() {  # upload REPO FILE
  local loc
  loc=$(curl -si -X POST "http://$R/v2/$1/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$2" \
    "$loc&digest=sha256:$(sha256sum <"$2" | cut -d' ' -f1)" >/dev/null || fail "upload of $2"
}
layer_digest=sha256:$(sha256sum <"$FX/layer1.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}' "$layer_digest" >"$WORK/plain-config.json"
upload plain "$FX/layer1.tar"
upload plain "$WORK/plain-config.json"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}' \
  "$(sha256sum <"$WORK/plain-config.json" | cut -d' ' -f1)" "$(stat -c %s "$WORK/plain-config.json")" "$layer_digest" "$(stat -c %s "$FX/layer1.tar")" >"$WORK/plain-manifest.json"
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$WORK/plain-manifest.json" \
  "http://$R/v2/plain/manifests/1" >/dev/null || fail "manifest PUT"
export BERTH_ROOT=$WORK/plain
berth pull -q "$R/plain:1" >/dev/null
assert_eq "$(find "$BERTH_ROOT/overlay2" -name blob | wc -l)" 0 "spooled archives left in layer directories"
assert_eq "$(ls "$BERTH_ROOT/blobs/sha256" | wc -l)" 2 "blobs kept for an uncompressed pull (config and manifest)"
berth system check >/dev/null || fail "system check after an uncompressed pull"
berth save "$R/plain:1" | tar -xO "blobs/sha256/${layer_digest#sha256:}" | cmp - "$FX/layer1.tar" || fail "uncompressed layer saved back"
pass "an uncompressed layer: pulled into diff/ + tar-split, saved back byte for byte"

# -a: every tag of a repository, both ways; and the warning about "latest".
export BERTH_ROOT=$WORK/all-tags
berth pull -a "$R/mp" >"$WORK/pull-a.out"
assert_eq "$(berth images --format '{{.Tag}}' "$R/mp" | sort | tr '\n' ' ')" "amd64 arm64 multi " "tags pulled by pull -a"
berth tag "$R/mp:amd64" "$R/mp-copy:one"
berth tag "$R/mp:arm64" "$R/mp-copy:two"
berth push -a -q "$R/mp-copy" >/dev/null
assert_eq "$(curl -s "http://$R/v2/mp-copy/tags/list" | jq -c '.tags | sort')" '["one","two"]' "tags pushed by push -a"
berth tag "$R/mp:amd64" "$R/mp:latest"
berth push -q "$R/mp:latest" >/dev/null
berth pull "$R/mp" >"$WORK/latest.out" 2>"$WORK/latest.err"
assert_eq "$(head -1 "$WORK/latest.out")" "Using default tag: latest" "pull without a tag"
grep -q 'Warning: "latest" moves' "$WORK/latest.err" || fail "no warning about pulling latest"
berth pull "$R/mp:amd64" 2>"$WORK/pinned.err" >/dev/null
assert_eq "$(cat "$WORK/pinned.err")" "" "warnings when pulling a fixed tag"
pass "pull -a and push -a; pulling latest warns"

# 4. Two pulls of one image at once: both succeed, each layer stored once.
export BERTH_ROOT=$WORK/together
berth pull -q "$R/app:1.0" >"$WORK/p1" & p1=$!
berth pull -q "$R/app:1.0" >"$WORK/p2" & p2=$!
wait $p1 || fail "first concurrent pull"
wait $p2 || fail "second concurrent pull"
assert_eq "$(ls "$BERTH_ROOT/overlay2" | grep -vc '^l$')" 3 "layer directories after two concurrent pulls"
berth system check >/dev/null || fail "system check after concurrent pulls"
pass "two pulls at once: one copy of each layer"

# 5. Errors name the image, exit non-zero, and change nothing.
before=$(store_snapshot)
expect_failure "pull of a missing tag" berth pull "$R/app:nope"
expect_failure "pull of a missing repository" berth pull "$R/nothing/here:1"
expect_failure "push of a missing image" berth push "$R/absent:1"
expect_failure "pull from nowhere" berth pull "127.0.0.1:$(free_port)/x:1"
assert_eq "$(store_snapshot)" "$before" "store after failed commands"
pass "failures are one line and change nothing"

# 6. Over TLS: a registry that only speaks HTTPS (on loopback, so not verified,
# as Docker treats loopback registries).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/tls.key" -out "$WORK/tls.crt" \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 1 2>/dev/null
start_registry "  tls:
    certificate: $WORK/tls.crt
    key: $WORK/tls.key"
export BERTH_ROOT=$WORK/src
berth tag layered:1.0 "$REGISTRY/tls:1"
berth push -q "$REGISTRY/tls:1" >/dev/null || fail "push over TLS"
export BERTH_ROOT=$WORK/tls-pull
berth pull -q "$REGISTRY/tls:1" >/dev/null || fail "pull over TLS"
assert_eq "$(berth inspect -f '{{.Id}}' "$REGISTRY/tls:1")" "$id" "ID pulled over TLS"
assert_eq "$(curl -sk -o /dev/null -w '%{http_code}' "https://$REGISTRY/v2/tls/tags/list")" 200 "the registry speaks HTTPS"
pass "push and pull over HTTPS"
