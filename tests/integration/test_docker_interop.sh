# Must show 1 and 2: images in from real Docker and out to Docker and skopeo.
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
start_dockerd
docker_build_busybox bbtest:1.0
$DOCKER save -o "$WORK/from-docker.tar" bbtest:1.0

# 1. In from Docker: same ID, tags, diff IDs, and the same inspect fields.
berth load -i "$WORK/from-docker.tar" | matches -x "Loaded image: bbtest:1.0" || fail "load output"
assert_eq "$(berth inspect -f '{{.Id}}' bbtest:1.0)" "$($DOCKER inspect -f '{{.Id}}' bbtest:1.0)" "image ID"
for field in RepoTags Config RootFS Architecture Os Size ContainerConfig Created; do
  a=$(berth inspect -f "{{json .$field}}" bbtest:1.0 | jq -S .)
  b=$($DOCKER inspect -f "{{json .$field}}" bbtest:1.0 | jq -S .)
  [ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b") >&2; fail "inspect .$field differs from docker's"; }
done
pass "docker save -> berth load: same ID and inspect fields"

# The history columns line up with docker's (sizes and CREATED BY).
diff <(berth history --format '{{.CreatedBy}}|{{.Size}}' bbtest:1.0) \
     <($DOCKER history --format '{{.CreatedBy}}|{{.Size}}' bbtest:1.0) || fail "history differs from docker's"
pass "history matches docker's"

# 2. Out to Docker: berth save loads in real Docker with the same ID, and runs.
id=$($DOCKER inspect -f '{{.Id}}' bbtest:1.0)
berth save -o "$WORK/from-berth.tar" bbtest:1.0
$DOCKER rmi bbtest:1.0 >/dev/null
$DOCKER image prune -f >/dev/null
$DOCKER load -i "$WORK/from-berth.tar" | matches "Loaded image: bbtest:1.0" || fail "docker load output"
assert_eq "$($DOCKER inspect -f '{{.Id}}' bbtest:1.0)" "$id" "image ID after docker load"
out=$($DOCKER run --rm --network none bbtest:1.0 sh -c 'cat /www/index.html; echo $APP; test ! -e /bin/ls && echo gone')
assert_eq "$out" "hello
demo
gone" "docker run of berth-saved image"
pass "berth save -> docker load: same ID, runs"

# skopeo reads both views of the same file.
skopeo inspect "docker-archive:$WORK/from-berth.tar" | jq -e '.Layers | length == 3' >/dev/null || fail "skopeo docker-archive"
skopeo inspect "oci-archive:$WORK/from-berth.tar" | jq -e '.Architecture == "amd64"' >/dev/null || fail "skopeo oci-archive"
pass "skopeo inspect docker-archive: and oci-archive:"

# An OCI layout written by skopeo (which rewrites the config as an OCI one)
# loads into berth as the image its manifest names.
skopeo copy -q "docker-archive:$WORK/from-berth.tar" "oci-archive:$WORK/oci.tar:bbtest:oci"
oci_id=$(skopeo inspect --raw "oci-archive:$WORK/oci.tar" | jq -r .config.digest)
berth load -i "$WORK/oci.tar" | matches -x "Loaded image: bbtest:oci" || fail "load of OCI archive"
assert_eq "$(berth inspect -f '{{.Id}}' bbtest:oci)" "$oci_id" "ID after loading skopeo's OCI archive"
assert_eq "$(berth inspect -f '{{json .RootFS}}' bbtest:oci)" "$(berth inspect -f '{{json .RootFS}}' bbtest:1.0)" "diff IDs of OCI copy"
pass "skopeo oci-archive -> berth load"
