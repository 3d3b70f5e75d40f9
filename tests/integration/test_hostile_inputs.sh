#!/bin/bash
# Hardening (issue: fuzzed parsers, strict archive and descriptor checks,
# legal layouts accepted): archives and registry content with one defect
# each — tar headers Go's reader refuses (and libarchive would read its own
# way), descriptors whose size lies, what is not an image — are refused with
# one line naming what was found, the store unchanged; two layouts Docker
# accepts safely load: a legacy archive whose repeated layer is a symlink to
# the first copy, and a layer writing through a symlink it made.
. "$(dirname "$0")/lib.sh"
make_fixtures
HFX=$WORK/hfx
python3 "$BERTH_SOURCE_DIR/tests/integration/hostile_fixtures.py" "$HFX"

berth load -q -i "$FX/layered.tar" >/dev/null  # a store with something to lose
before=$(store_snapshot)
refused() {  # WHAT EXPECTED-WORDS COMMAND...
  local what=$1 words=$2 && shift 2
  expect_failure "$what" "$@"
  matches -F "$words" <"$WORK/stderr" || fail "$what: says \"$words\""
  [ "$(store_snapshot)" = "$before" ] || { diff <(echo "$before") <(store_snapshot) >&2; fail "$what: the store changed"; }
}

refused "a tar size that is not octal" "invalid tar header: size field is not a number" \
  berth load -i "$HFX/bad-tar-size-not-octal.tar"
refused "a PAX size that is not a number" "invalid tar header: PAX size is not a number" \
  berth load -i "$HFX/bad-tar-pax-size.tar"
refused "a PAX record running past its header" "invalid tar header: a malformed PAX record" \
  berth load -i "$HFX/bad-tar-pax-length.tar"
refused "a malformed header in the archive itself" "archive: invalid tar header: mode field is not a number" \
  berth load -i "$HFX/bad-tar-outer-mode.tar"
refused "import of a malformed tar" "invalid tar header: size field is not a number" \
  berth import "$HFX/bad-tar-size-not-octal.tar.layer" x:1
pass "malformed tar headers are refused, in layers and in the archive around them"

refused "a manifest descriptor whose size lies" "bytes, its descriptor says" berth load -i "$HFX/bad-oci-manifest-size.tar"
refused "a layer descriptor whose size lies" "bytes, its descriptor says" berth load -i "$HFX/bad-oci-layer-size.tar"
pass "OCI layout: descriptor sizes enforced"

refused "a layer of an unknown media type" "has media type application/vnd.example.unknown.v1, not an image layer" \
  berth load -i "$HFX/bad-oci-layer-mediatype.tar"
refused "an artifact's manifest" "its config is application/vnd.cncf.helm.config.v1+json, not an image config" \
  berth load -i "$HFX/bad-oci-artifact-config.tar"
refused "an upper-case RepoTags entry" "must be lowercase" berth load -i "$HFX/bad-repotags-uppercase.tar"
refused "a config field of the wrong type" "image config: config.User is not a string" \
  berth load -i "$HFX/bad-config-types.tar"
pass "what is not a runnable image is refused, naming what was found"

refused "a manifest.json of 5 MiB" "archive: manifest.json is 5242882 bytes, more than the 4194304 a JSON document may have" \
  berth load -i "$HFX/bad-huge-manifest-json.tar"
refused "an xz layer asking for a 2 GiB dictionary" "xz data needs more than 512 MiB to decompress" \
  berth load -i "$HFX/bad-xz-dictionary.tar"
pass "bounds: JSON documents in archives, xz's memory"

# The same through a registry: manifests pushed by hand.
start_registry
R=$REGISTRY
put_blob() {  # REPO FILE -> digest
  local digest location sep
  digest=sha256:$(sha256sum "$2" | cut -d' ' -f1)
  location=$(curl -sf -X POST -D - -o /dev/null "http://$R/v2/$1/blobs/uploads/" | tr -d '\r' | sed -n 's/^Location: //Ip')
  case $location in http*) ;; *) location="http://$R$location" ;; esac
  sep='?'; [[ $location == *'?'* ]] && sep='&'
  curl -sf -X PUT --data-binary @"$2" -H 'Content-Type: application/octet-stream' "$location${sep}digest=$digest" >/dev/null
  echo "$digest"
}
python3 - "$WORK" <<'PY'
import io, json, sys, tarfile
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    info = tarfile.TarInfo("a.txt"); data = b"hello\n"; info.size = len(data); t.addfile(info, io.BytesIO(data))
open(sys.argv[1] + "/layer.tar", "wb").write(buf.getvalue())
import hashlib
cfg = {"architecture": "amd64", "os": "linux", "config": {},
       "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(buf.getvalue()).hexdigest()]}}
open(sys.argv[1] + "/config.json", "w").write(json.dumps(cfg))
PY
layer=$(put_blob hostile "$WORK/layer.tar")
config=$(put_blob hostile "$WORK/config.json")
layer_size=$(stat -c %s "$WORK/layer.tar")
config_size=$(stat -c %s "$WORK/config.json")
put_manifest() {  # TAG CONFIG-MEDIA-TYPE CONFIG-SIZE LAYER-MEDIA-TYPE LAYER-SIZE
  jq -n --arg cmt "$2" --arg c "$config" --argjson cs "$3" --arg lmt "$4" --arg l "$layer" --argjson ls "$5" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: $cmt, digest: $c, size: $cs}, layers: [{mediaType: $lmt, digest: $l, size: $ls}]}' \
    >"$WORK/m.json"
  curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$WORK/m.json" \
    "http://$R/v2/hostile/manifests/$1" >/dev/null
}
OCI_CFG=application/vnd.oci.image.config.v1+json
OCI_TAR=application/vnd.oci.image.layer.v1.tar
put_manifest good "$OCI_CFG" "$config_size" "$OCI_TAR" "$layer_size"
put_manifest long-layer "$OCI_CFG" "$config_size" "$OCI_TAR" $((layer_size + 1))
put_manifest short-layer "$OCI_CFG" "$config_size" "$OCI_TAR" $((layer_size - 1))
put_manifest short-config "$OCI_CFG" $((config_size - 1)) "$OCI_TAR" "$layer_size"
put_manifest unknown-layer "$OCI_CFG" "$config_size" application/vnd.example.unknown.v1 "$layer_size"
put_manifest artifact application/vnd.cncf.helm.config.v1+json "$config_size" "$OCI_TAR" "$layer_size"
berth pull -q "$R/hostile:good" >/dev/null || fail "the well-formed image pulls"
berth rmi -f "$(berth inspect -f '{{.Id}}' "$R/hostile:good")" >/dev/null  # (each case below downloads again)
before=$(store_snapshot)
refused "a blob shorter than its descriptor says" "is shorter than its $((layer_size + 1)) bytes" berth pull "$R/hostile:long-layer"
refused "a blob longer than its descriptor says" "is longer than its $((layer_size - 1)) bytes" berth pull "$R/hostile:short-layer"
refused "a config whose size lies" "is longer than its $((config_size - 1)) bytes" berth pull "$R/hostile:short-config"
refused "a pulled layer of an unknown media type" "not an image layer" berth pull "$R/hostile:unknown-layer"
refused "a pulled artifact" "not an image config" berth pull "$R/hostile:artifact"
pass "pull: exactly a descriptor's bytes, and only images"

# Layouts Docker accepts, and berth now does.
berth load -i "$HFX/good-linked-layer.tar" >/dev/null || fail "a legacy archive with a linked layer loads"
assert_eq "$(berth inspect -f '{{len .RootFS.Layers}}' linked:1)" 3 "the linked layer counts twice"
berth load -i "$HFX/good-write-through-symlink.tar" >/dev/null || fail "a layer writing through its own symlink loads"
upper=$(berth inspect -f '{{.GraphDriver.Data.UpperDir}}' through:1)
assert_eq "$(cat "$upper/usr/lib/x")" "through the link" "lib/x lands in usr/lib"
assert_eq "$(cat "$upper/usr/lib/y")" "through an absolute link" "abs/y lands in usr/lib, inside the layer"
[ -L "$upper/lib" ] && [ -L "$upper/abs" ] || fail "the links stay links"
berth save -o "$WORK/through.tar" through:1 || fail "the image saves"
berth system check >/dev/null || fail "system check after the accepted layouts"
pass "accepted: a legacy archive's linked layer, writes through a layer's own symlinks (contained)"
