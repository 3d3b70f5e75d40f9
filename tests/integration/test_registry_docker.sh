#!/bin/bash
# Registry interop with real Docker (Debian's docker.io 20.10) and skopeo:
# an image Docker pushed is pulled by berth with the same ID, digest and
# config; an image berth compressed and pushed is pulled by Docker (and
# runs) and copied by skopeo, both seeing the digest berth printed.
. "$(dirname "$0")/lib.sh"
start_dockerd
start_registry
R=$REGISTRY

# Docker pushes, berth pulls.
docker_build_busybox bbtest:1.0
$DOCKER tag bbtest:1.0 "$R/bb:1.0"
docker_digest=$($DOCKER push "$R/bb:1.0" | sed -n 's/^1.0: digest: \(sha256:[0-9a-f]*\) size: [0-9]*$/\1/p')
[ -n "$docker_digest" ] || fail "docker push printed no digest"
berth pull "$R/bb:1.0" >"$WORK/pull.out"
grep -qx "Digest: $docker_digest" "$WORK/pull.out" || { cat "$WORK/pull.out"; fail "berth pull saw another digest"; }
fields='{{.Id}} {{json .RootFS}} {{json .Config}} {{.Architecture}} {{.Os}} {{.Size}} {{json .RepoDigests}}'
assert_eq "$(berth inspect -f "$fields" "$R/bb:1.0")" "$($DOCKER inspect -f "$fields" "$R/bb:1.0")" "inspect of an image Docker pushed"
# (Docker built it, so its history also names the intermediate images: compare the rest.)
hf='{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}'
assert_eq "$(berth history --no-trunc --format "$hf" "$R/bb:1.0")" "$($DOCKER history --no-trunc --format "$hf" "$R/bb:1.0")" "history of an image Docker pushed"
berth push "$R/bb-again:1.0" >/dev/null 2>&1 && fail "push of a name no image has"
berth tag "$R/bb:1.0" "$R/bb-again:1.0"
berth push "$R/bb-again:1.0" | matches "^1.0: digest: $docker_digest " || fail "berth push of Docker's image changed its digest"
# Saved by berth (its pulled, compressed layers as they came), loaded by Docker: same ID.
$DOCKER rmi "$R/bb:1.0" >/dev/null
berth save "$R/bb:1.0" | $DOCKER load -q >/dev/null
assert_eq "$($DOCKER inspect -f '{{.Id}}' "$R/bb:1.0")" "$(berth inspect -f '{{.Id}}' "$R/bb:1.0")" "ID after berth save | docker load"
pass "an image Docker pushed: berth pulls the same ID, config, history and digest, and pushes it back unchanged"

# berth pushes an image it compresses itself; Docker pulls and runs it.
$DOCKER save bbtest:1.0 | berth load -q >/dev/null
berth tag bbtest:1.0 "$R/from-berth:1.0"
berth_digest=$(berth push "$R/from-berth:1.0" | sed -n 's/^1.0: digest: \(sha256:[0-9a-f]*\) size: [0-9]*$/\1/p')
[ -n "$berth_digest" ] || fail "berth push printed no digest"
$DOCKER pull "$R/from-berth:1.0" | matches -x "Digest: $berth_digest" || fail "docker pull saw another digest"
assert_eq "$($DOCKER inspect -f '{{.Id}}' "$R/from-berth:1.0")" "$(berth inspect -f '{{.Id}}' bbtest:1.0)" "ID Docker pulled"
assert_eq "$($DOCKER run --rm --network none "$R/from-berth:1.0" cat /www/index.html)" "hello" "docker run of berth's push"
skopeo copy -q --preserve-digests --src-tls-verify=false "docker://$R/from-berth:1.0" "oci:$WORK/oci:x" >/dev/null
assert_eq "$(jq -r '.manifests[0].digest' "$WORK/oci/index.json")" "$berth_digest" "skopeo copy's digest"
pass "an image berth pushed: docker pull gets the digest berth printed and runs it; skopeo keeps the digest"

# manifest inspect against docker's (the CLI reads the registry itself): the
# same document, byte for byte, for a manifest Docker pushed and one berth
# pushed; an OCI index as the registry has it; a missing tag; nothing pulled.
berth rmi "$R/bb-again:1.0" >/dev/null
images_before=$(berth images -a --no-trunc -q | sort)
for ref in "$R/bb:1.0" "$R/from-berth:1.0" "$R/from-berth@$berth_digest"; do
  diff <($DOCKER manifest inspect --insecure "$ref") <(berth manifest inspect "$ref") ||
    fail "docker manifest inspect (<) and berth's (>) differ for $ref"
done
manifest=$(curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$R/v2/from-berth/manifests/1.0")
index=$(jq -nc --arg d "$berth_digest" --argjson s "${#manifest}" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{mediaType: "application/vnd.docker.distribution.manifest.v2+json", digest: $d, size: $s,
                 platform: {architecture: "amd64", os: "linux"}}]}')
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.index.v1+json' --data-binary "$index" \
  "http://$R/v2/from-berth/manifests/multi" || fail "putting an index"
assert_eq "$(berth manifest inspect "$R/from-berth:multi" | jq -c .)" "$index" "manifest inspect of an index"
berth manifest inspect "$R/from-berth:multi" | sed -n 2p | matches -x "$(printf '\t')\"schemaVersion\": 2," ||
  fail "tab indentation"
expect_failure "manifest inspect of a missing tag" berth manifest inspect "$R/from-berth:nope"
grep -qx "Error: no such manifest: $R/from-berth:nope" "$WORK/stderr" || fail "docker's message: $(cat "$WORK/stderr")"
assert_eq "$(berth images -a --no-trunc -q | sort)" "$images_before" "manifest inspect pulls nothing"
pass "manifest inspect: docker's document for a manifest, an index as stored, a missing tag"
