#!/bin/bash
# Registry mirrors: Debian's docker-registry in pull-through (proxy:) mode on
# 127.0.0.1 in front of an origin registry. registries.conf's
# [[registry.mirror]] for any registry, config.json's registry-mirrors for
# Docker Hub; a mirror that is down or lacks the image: one warning, the
# image from the origin; pull-from-mirror = "digest-only": a tag is never
# resolved through the mirror.
. "$(dirname "$0")/lib.sh"

REGISTRY_ACCESS_LOG=1 start_registry
O=$REGISTRY
REGISTRY_ACCESS_LOG=1 start_registry "proxy:
  remoteurl: http://$O"
P=$REGISTRY
P_LOG=$REGISTRY_DIR/log
start_registry
EMPTY=$REGISTRY

mkdir -p "$WORK/base/bin"
cp /bin/busybox "$WORK/base/bin/busybox" && ln -s busybox "$WORK/base/bin/sh"
tar -C "$WORK/base" -cf "$WORK/base.tar" .
berth import "$WORK/base.tar" "$O/app:1" >/dev/null
berth push "$O/app:1" >/dev/null
berth tag "$O/app:1" "$O/library/busybox:1"
berth push "$O/library/busybox:1" >/dev/null
ID=$(berth inspect -f '{{.Id}}' "$O/app:1")
DIGEST=$(berth inspect -f '{{index .RepoDigests 0}}' "$O/app:1" | sed 's/.*@//')
export BERTH_REGISTRIES_CONF=$WORK/registries.conf
forget() { berth rmi -f "$@" >/dev/null 2>&1 || true; berth image prune -af >/dev/null; }
conf() {  # MIRROR [PULL-FROM-MIRROR]
  printf '[[registry]]\nlocation = "%s"\n[[registry.mirror]]\nlocation = "%s"\ninsecure = true\npull-from-mirror = "%s"\n' \
    "$O" "$1" "${2:-all}" >"$BERTH_REGISTRIES_CONF"
}

# Through the pull-through mirror.
forget "$O/app:1" "$O/library/busybox:1"
conf "$P"
before=$(grep -c 'GET /v2/app/manifests/1 ' "$P_LOG" || true)
berth pull "$O/app:1" >"$WORK/out" 2>"$WORK/err"
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "a working mirror: no warning"; }
assert_eq "$(grep -c 'GET /v2/app/manifests/1 ' "$P_LOG")" $((before + 1)) "the tag resolved through the mirror"
assert_eq "$(berth inspect -f '{{.Id}}' "$O/app:1")" "$ID" "the mirror's image is the origin's"
berth inspect -f '{{.RepoDigests}}' "$O/app:1" | matches "$O/app@$DIGEST" || fail "recorded under the origin's name"
pass "pull through a registries.conf mirror (docker-registry in proxy mode)"

# A mirror that is down, and one that lacks the image: one warning, the origin's image.
for mirror in 127.0.0.1:1 "$EMPTY"; do
  forget "$O/app:1"
  conf "$mirror"
  berth pull "$O/app:1" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err"; fail "mirror $mirror: the pull failed"; }
  assert_eq "$(grep -c '^WARNING: mirror' "$WORK/err")" 1 "mirror $mirror: one warning"
  assert_eq "$(wc -l <"$WORK/err")" 1 "mirror $mirror: nothing else on stderr"
  assert_eq "$(berth inspect -f '{{.Id}}' "$O/app:1")" "$ID" "mirror $mirror: the origin's image"
  echo "ok: mirror $mirror -> $(cat "$WORK/err")"
done
pass "a mirror down or without the image: one warning, pulled from the origin"

# digest-only: a tag never goes to the mirror; a digest does.
conf "$P" digest-only
forget "$O/app:1"
before=$(grep -c 'GET /v2/app/manifests/' "$P_LOG")
berth pull "$O/app:1" >/dev/null 2>"$WORK/err"
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "digest-only, a tag: no warning"; }
assert_eq "$(grep -c 'GET /v2/app/manifests/' "$P_LOG")" "$before" "digest-only: a tag is not resolved through the mirror"
forget "$O/app:1" "$O/app@$DIGEST"
berth pull "$O/app@$DIGEST" >/dev/null 2>"$WORK/err"
assert_eq "$(grep -c "GET /v2/app/manifests/$DIGEST " "$P_LOG")" 1 "digest-only: a digest goes through the mirror"
pass "pull-from-mirror = digest-only"

# Docker Hub's images through config.json's registry-mirrors (never Docker Hub itself).
rm -f "$BERTH_REGISTRIES_CONF"
printf '{"registry-mirrors": ["http://%s"]}\n' "$P" >"$WORK/config.json"
BERTH_CONFIG=$WORK/config.json berth pull busybox:1 >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "a Docker Hub pull through registry-mirrors"; }
assert_eq "$(berth inspect -f '{{.Id}}' busybox:1)" "$ID" "busybox:1 came through the mirror"
matches 'GET /v2/library/busybox/manifests/1 ' <"$P_LOG" || fail "the mirror served library/busybox"
pass "config.json registry-mirrors for Docker Hub"
