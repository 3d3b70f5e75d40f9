#!/bin/bash
# A build cache shared through a registry, as a CI fleet shares it (issue:
# builds Docker can't tell apart, and a cache CI machines share). Two stores
# stand for two machines and Debian's docker-registry on 127.0.0.1 for the
# registry between them: A builds with --cache-to, B — an empty store and the
# context freshly copied, so every mtime differs — builds with --cache-from
# and gets every step from the cache, the very image A made, and downloads
# only the layers of the chain it matched. Also type=local and type=inline,
# a changed source, and bad caches: unreachable, unauthorised, another
# tool's, malformed — each a one-line warning and a normal build.
. "$(dirname "$0")/lib.sh"

REGISTRY_ACCESS_LOG=1 start_registry
R=$REGISTRY
LOG=$REGISTRY_DIR/log
ROOT_A=$BERTH_ROOT
ROOT_B=$WORK/root-b
b() { BERTH_ROOT=$ROOT_B berth "$@"; }

# The base image both machines pull.
mkdir -p "$WORK/base/bin" "$WORK/base/etc"
cp /bin/busybox "$WORK/base/bin/busybox"
for c in sh echo cat; do ln -s busybox "$WORK/base/bin/$c"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$WORK/base/etc/passwd"
tar -C "$WORK/base" -cf "$WORK/base.tar" .
berth import "$WORK/base.tar" "$R/bb:1" >/dev/null
berth push "$R/bb:1" >/dev/null

# Two stages: mode=max exports the build stage too.
CTX=$WORK/ctx && mkdir -p "$CTX"
echo "data v1" >"$CTX/data.txt"
cat >"$CTX/Dockerfile" <<D
FROM $R/bb:1 AS build
RUN echo built > /artifact
FROM $R/bb:1
ENV MODE=shared
COPY data.txt /data.txt
COPY --from=build /artifact /artifact
RUN cat /data.txt /artifact > /combined && head -c 5000000 /dev/urandom > /noise
CMD ["cat", "/combined"]
D
STEPS=6  # RUN; ENV, COPY, COPY --from, RUN, CMD

# Machine A: a cold build that exports its cache, and pushes the image.
berth build -t "$R/app:1" --cache-to "type=registry,ref=$R/cache:main,mode=max" "$CTX" >"$WORK/a.out" 2>"$WORK/a.err" ||
  { cat "$WORK/a.out" "$WORK/a.err"; fail "A's build with --cache-to"; }
matches "Exporting build cache: type=registry,ref=$R/cache:main,mode=max" <"$WORK/a.out" || fail "A says it exports"
[ ! -s "$WORK/a.err" ] || { cat "$WORK/a.err"; fail "A's build warned"; }
berth push "$R/app:1" >/dev/null
# A built image has no repository of its own yet: its base's layer is mounted from where the base went.
matches 'POST /v2/app/blobs/uploads/?mount=sha256%3A[0-9a-f]*&from=bb HTTP[^"]*" 201' <"$LOG" ||
  fail "push of a built image mounts its base's layer from bb"
ID_A=$(berth inspect -f '{{.Id}}' "$R/app:1")
curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/cache/manifests/main" >"$WORK/cache.manifest"
jq -e '.config.mediaType == "application/vnd.berth.build-cache.config.v1+json"' "$WORK/cache.manifest" >/dev/null ||
  fail "the cache manifest's config is berth's"
jq -e '[.layers[].annotations["containerd.io/uncompressed"]] | all(startswith("sha256:"))' "$WORK/cache.manifest" >/dev/null ||
  fail "every cache layer names its diff ID"
jq -e '[.layers[].mediaType] | index("application/vnd.oci.image.layer.v1.tar") != null' "$WORK/cache.manifest" >/dev/null ||
  fail "a layer that does not compress (the RUN's random bytes) goes as its plain tar"
# That layer (5 MB that do not compress) went up while its commit made the
# tar: one streamed upload (PATCH, then PUT ?digest=), sent once.
noise=$(jq -r '.layers[] | select(.mediaType == "application/vnd.oci.image.layer.v1.tar") | .digest' "$WORK/cache.manifest")
assert_eq "$(grep -c 'PATCH /v2/cache/blobs/uploads/' "$LOG")" 1 "one layer streamed while it was committed"
assert_eq "$(grep -c "PUT /v2/cache/blobs/uploads/.*digest=${noise/:/%3A}" "$LOG")" 1 "the streamed layer sent once, under its diff ID"
# The base's layer is mounted from the repository the base was pushed to, not sent.
matches 'POST /v2/cache/blobs/uploads/?mount=sha256%3A[0-9a-f]*&from=bb HTTP[^"]*" 201' <"$LOG" ||
  fail "the base's layer mounted from bb into the cache's repository"
pass "A: --cache-to type=registry,mode=max writes an OCI manifest of berth's cache"

# Machine B: an empty store, the context copied afresh (every mtime differs).
cp -r "$CTX" "$WORK/ctx-b"
touch -d '2001-02-03 04:05:06' "$WORK/ctx-b"/*
before=$(grep -c 'GET /v2/cache/blobs/' "$LOG" || true)
manifests_before=$(grep -c 'GET /v2/cache/manifests/' "$LOG" || true)
b build -t app:b --cache-from "type=registry,ref=$R/cache:main" "$WORK/ctx-b" >"$WORK/b.out" 2>"$WORK/b.err" ||
  { cat "$WORK/b.out" "$WORK/b.err"; fail "B's build with --cache-from"; }
[ ! -s "$WORK/b.err" ] || { cat "$WORK/b.err"; fail "B's build warned"; }
assert_eq "$(grep -c 'Using cache' "$WORK/b.out")" "$STEPS" "B: every step from the registry's cache"
assert_eq "$(b inspect -f '{{.Id}}' app:b)" "$ID_A" "B makes the very image A made"
assert_eq "$(b run --rm app:b)" "data v1
built" "B's image runs"
# What B downloaded: the cache's config and the final image's layers it has
# not got — its two COPYs and its RUN (the base it pulled). The build stage's
# layer is never fetched: nothing needed its files (COPY --from is keyed by
# the stage's key).
blob_gets=$(( $(grep -c 'GET /v2/cache/blobs/' "$LOG") - before ))
assert_eq "$blob_gets" 4 "B's blob downloads (config + the final image's 3 layers)"
assert_eq "$(( $(grep -c 'GET /v2/cache/manifests/' "$LOG") - manifests_before ))" 1 "one manifest request"
pass "B: every step a hit, A's image ID, only the matched chain's layers downloaded"

# A changed COPY source: exactly that step and those after it run again.
echo "data v2" >"$WORK/ctx-b/data.txt"
b build -t app:b2 --cache-from "type=registry,ref=$R/cache:main" "$WORK/ctx-b" >"$WORK/b2.out" 2>&1
# Cached: the build stage's RUN and the ENV before the COPY; run: COPY, COPY --from, RUN, CMD.
assert_eq "$(grep -c 'Using cache' "$WORK/b2.out")" 2 "a changed source: the steps before it are hits"
grep -A1 'COPY data.txt' "$WORK/b2.out" | matches -v 'Using cache' || fail "the changed COPY ran"
assert_eq "$(b run --rm app:b2)" "data v2
built" "the changed source is in the image"
pass "a changed COPY source reruns that step and the steps after it"

# A miss costs one manifest request: another Dockerfile against the same cache.
mkdir -p "$WORK/other" && printf 'FROM %s/bb:1\nRUN echo other > /o\n' "$R" >"$WORK/other/Dockerfile"
before=$(grep -c 'GET /v2/cache/' "$LOG")
b build -q --cache-from "type=registry,ref=$R/cache:main" "$WORK/other" >/dev/null
assert_eq "$(( $(grep -c 'GET /v2/cache/' "$LOG") - before ))" 1 "a build matching nothing reads only the manifest"
pass "a miss costs one manifest request"

# mode=min (the default): only the final image's steps.
berth build -q --cache-to "type=registry,ref=$R/cache:min" "$CTX" >/dev/null
keys_min=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/cache/manifests/min" |
  jq -r '.annotations["org.berth.build-cache.keys"]' | wc -w)
keys_max=$(jq -r '.annotations["org.berth.build-cache.keys"]' "$WORK/cache.manifest" | wc -w)
assert_eq "$keys_min" 5 "mode=min: the final stage's steps"
assert_eq "$keys_max" 6 "mode=max: every stage's steps"
pass "mode=min exports the final image's steps, mode=max every stage's"

# mode=max uploads each layer while the build goes on: a build that fails
# after its first RUN has sent that layer already, and no cache manifest.
mkdir -p "$WORK/fails" && printf 'FROM %s/bb:1\nRUN echo early > /early\nRUN false\n' "$R" >"$WORK/fails/Dockerfile"
expect_failure "a failing build with --cache-to" \
  berth build -q --cache-to "type=registry,ref=$R/cache-fails:x,mode=max" "$WORK/fails"
matches 'PATCH /v2/cache-fails/blobs/uploads/\|PUT /v2/cache-fails/blobs/uploads/' <"$LOG" || fail "the first RUN's layer uploaded ahead"
! matches 'PUT /v2/cache-fails/manifests/' <"$LOG" || fail "no cache manifest for a failed build"
pass "mode=max: layers uploaded while the build goes on"

# type=local: an OCI layout directory.
berth build -q --cache-to "type=local,dest=$WORK/cache-dir" "$CTX" >/dev/null
[ -f "$WORK/cache-dir/index.json" ] && [ -f "$WORK/cache-dir/oci-layout" ] || fail "type=local writes an OCI layout"
ROOT_C=$WORK/root-c
BERTH_ROOT=$ROOT_C berth build -t app:c --cache-from "type=local,src=$WORK/cache-dir" "$CTX" >"$WORK/c.out" 2>&1
assert_eq "$(grep -c 'Using cache' "$WORK/c.out")" 5 "type=local: every final-stage step from the directory"
assert_eq "$(BERTH_ROOT=$ROOT_C berth inspect -f '{{.Id}}' app:c)" "$ID_A" "type=local: the same image"
pass "type=local: exported to a directory, imported from it"

# A cache whose blob of the last RUN's layer is gone: that step is rebuilt
# (one warning), not taken and then failed on when its layer is fetched.
cp -r "$WORK/cache-dir" "$WORK/cache-gone"
run_diff_id=$(BERTH_ROOT=$ROOT_C berth inspect -f '{{json .RootFS.Layers}}' app:c | jq -r '.[-1]')
manifest=$(jq -r '.manifests[0].digest' "$WORK/cache-gone/index.json" | cut -d: -f2)
gone=$(jq -r --arg d "$run_diff_id" '.layers[] | select(.annotations["containerd.io/uncompressed"] == $d) | .digest' \
  "$WORK/cache-gone/blobs/sha256/$manifest" | cut -d: -f2)
[ -n "$gone" ] && rm "$WORK/cache-gone/blobs/sha256/$gone" || fail "the RUN layer's blob is in the cache"
BERTH_ROOT=$WORK/root-e berth build -t app:e --cache-from "type=local,src=$WORK/cache-gone" "$CTX" >"$WORK/e.out" 2>"$WORK/e.err" ||
  { cat "$WORK/e.out" "$WORK/e.err"; fail "a cache with a blob gone fails the build"; }
matches "a step's layers are not all there; the step is rebuilt" <"$WORK/e.err" || fail "says the step is rebuilt"
assert_eq "$(BERTH_ROOT=$WORK/root-e berth run --rm app:e)" "data v1
built" "the image built with a blob gone"
pass "a cache with a layer's blob gone: the step rebuilt, the build fine"

# type=inline: the cache travels in the image; another machine pulls it as --cache-from.
dangling=$(berth images -q --filter dangling=true | wc -l)
berth build -q -t "$R/app:inline" --cache-to type=inline "$CTX" >/dev/null
assert_eq "$(berth images -q --filter dangling=true | wc -l)" "$dangling" "inline: no image left dangling"
berth push "$R/app:inline" >/dev/null
ID_INLINE=$(berth inspect -f '{{.Id}}' "$R/app:inline")
ROOT_D=$WORK/root-d
BERTH_ROOT=$ROOT_D berth build -t app:d --cache-from "$R/app:inline" --cache-to type=inline "$CTX" >"$WORK/d.out" 2>&1
assert_eq "$(grep -c 'Using cache' "$WORK/d.out")" 5 "inline: every final-stage step from the pulled image"
assert_eq "$(BERTH_ROOT=$ROOT_D berth inspect -f '{{.Id}}' app:d)" "$ID_INLINE" "inline: the same image"
pass "type=inline: the cache in the image's config, used by --cache-from IMAGE"

# Several --cache-from: asked in the order given, whatever their types. Two
# caches of the same step with different results (the RUN writes the time):
# the first named gives it.
ORDER=$WORK/order && mkdir -p "$ORDER"
printf 'FROM %s\nRUN cat /proc/sys/kernel/random/uuid >/t\n' "$R/bb:1" >"$ORDER/Dockerfile"
ID_LOCAL=$(berth build -q --cache-to "type=local,dest=$WORK/order-cache" "$ORDER")
berth build -q --no-cache -t "$R/order:inline" --cache-to type=inline "$ORDER" >/dev/null
berth push "$R/order:inline" >/dev/null
time_from() {  # ROOT --cache-from… : /t of the image built in an empty ROOT
  local root=$1 && shift
  BERTH_ROOT=$root berth build -q -t order "$@" "$ORDER" >/dev/null && BERTH_ROOT=$root berth run --rm order cat /t
}
t_local_first=$(time_from "$WORK/root-o1" --cache-from "type=local,src=$WORK/order-cache" --cache-from "$R/order:inline")
t_inline_first=$(time_from "$WORK/root-o2" --cache-from "$R/order:inline" --cache-from "type=local,src=$WORK/order-cache")
assert_eq "$t_local_first" "$(berth run --rm "$ID_LOCAL" cat /t)" "the local cache named first gives the step"
assert_eq "$t_inline_first" "$(berth run --rm "$R/order:inline" cat /t)" "the inline image named first gives the step"
[ "$t_local_first" != "$t_inline_first" ] || fail "the two caches differ"
pass "several --cache-from: the first named that has the step gives it"

# Bad caches: a one-line warning each, and a normal build.
# (each from an empty local cache, so the shared one is asked)
warns_once() {  # WHAT OUTFILE
  assert_eq "$(grep -c '^WARNING: --cache-' "$2")" 1 "$1: one warning"
  echo "ok: $1 -> $(grep '^WARNING' "$2")"
}
b builder prune -f >/dev/null
b build -q --cache-from "type=registry,ref=127.0.0.1:1/cache:x" "$WORK/other" >/dev/null 2>"$WORK/w1" ||
  fail "an unreachable cache fails the build"
warns_once "unreachable --cache-from" "$WORK/w1"
b build -q --cache-to "type=registry,ref=127.0.0.1:1/cache:x,mode=max" "$WORK/other" >/dev/null 2>"$WORK/w2" ||
  fail "an unreachable --cache-to fails the build"
warns_once "unreachable --cache-to" "$WORK/w2"
expect_failure "--cache-to ignore-error=false" b build -q --cache-to "type=registry,ref=127.0.0.1:1/cache:x,ignore-error=false" "$WORK/other"
htpasswd -Bbn tester secret >"$WORK/htpasswd"
start_registry "auth:
  htpasswd:
    realm: berth-test
    path: $WORK/htpasswd"
b builder prune -f >/dev/null
b build -q --cache-from "type=registry,ref=$REGISTRY/cache:x" --cache-to "type=registry,ref=$REGISTRY/cache:x" \
  "$WORK/other" >/dev/null 2>"$WORK/w6" || fail "an unauthorised cache fails the build"
assert_eq "$(grep -c '^WARNING: --cache-' "$WORK/w6")" 2 "unauthorised: a warning for each"
matches -i 'unauthorized' <"$WORK/w6" || fail "unauthorised: says so"
echo "ok: unauthorised --cache-from and --cache-to -> $(tr '\n' ' ' <"$WORK/w6")"
b builder prune -f >/dev/null
b build -q --cache-from "type=registry,ref=$R/app:1" "$WORK/other" >/dev/null 2>"$WORK/w3"  # an image, not a cache
warns_once "another tool's manifest" "$WORK/w3"
matches 'not a berth build cache' <"$WORK/w3" || fail "says it is not a berth cache"
# A berth manifest whose config blob is garbage.
printf 'garbage' >"$WORK/garbage"
garbage_digest=sha256:$(sha256sum "$WORK/garbage" | cut -d' ' -f1)
location=$(curl -sf -X POST -D - -o /dev/null "http://$R/v2/cache/blobs/uploads/" | tr -d '\r' | sed -n 's/^Location: //Ip')
case $location in http*) ;; *) location="http://$R$location" ;; esac
sep='?'; [[ $location == *'?'* ]] && sep='&'
curl -sf -X PUT --data-binary @"$WORK/garbage" -H 'Content-Type: application/octet-stream' \
  "$location${sep}digest=$garbage_digest" >/dev/null
jq -c --arg d "$garbage_digest" '.config.digest = $d | .config.size = 7' "$WORK/cache.manifest" >"$WORK/bad.manifest"
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$WORK/bad.manifest" \
  "http://$R/v2/cache/manifests/bad" >/dev/null
b builder prune -f >/dev/null
b build -q --cache-from "type=registry,ref=$R/cache:bad" "$WORK/ctx-b" >/dev/null 2>"$WORK/w4" ||
  fail "a malformed cache fails the build"
warns_once "a malformed cache config" "$WORK/w4"
mkdir -p "$WORK/bad-dir" && echo '{' >"$WORK/bad-dir/index.json"
b builder prune -f >/dev/null
b build -q --cache-from "type=local,src=$WORK/bad-dir" "$WORK/other" >/dev/null 2>"$WORK/w5" ||
  fail "a malformed local cache fails the build"
warns_once "a malformed local cache" "$WORK/w5"
expect_failure "--cache-to without a type" berth build --cache-to "$R/cache:x" "$WORK/other"
expect_failure "--cache-from type=s3" berth build --cache-from "type=s3,ref=x" "$WORK/other"
pass "bad caches: one-line warnings and normal builds; bad flags: one-line errors"
