#!/bin/bash
# berth build on its own: the seed's Dockerfile on a Debian base made here
# (debootstrap), the seed's multi-stage shape (gcc in one stage, FROM scratch
# with only the binary in the next), the build cache, reproducible builds,
# BuildKit's heredocs and --chmod, RUN --network, --target building only what
# it needs, and bad input (one line, the store as it was).
. "$(dirname "$0")/lib.sh"

# A busybox base for the quick cases.
mkdir -p "$WORK/base/bin" "$WORK/base/etc"
cp /bin/busybox "$WORK/base/bin/busybox"
for c in sh echo cat ls mkdir rm touch true stat readlink; do ln -s busybox "$WORK/base/bin/$c"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$WORK/base/etc/passwd"
tar -C "$WORK/base" -cf "$WORK/base.tar" .
berth import "$WORK/base.tar" bb:1 >/dev/null
berth tag bb:1 bb:latest

# 1. Cache, output, latest warning, unused build args.
CTX=$WORK/ctx && mkdir -p "$CTX"
echo "v1" >"$CTX/data.txt"
cat >"$CTX/Dockerfile" <<'D'
FROM bb
RUN echo built > /built
COPY data.txt /data.txt
CMD ["cat", "/data.txt"]
D
berth build -t cached:1 --build-arg UNUSED=1 "$CTX" >"$WORK/out1" 2>"$WORK/err1"
matches -x 'Step 2/4 : RUN echo built > /built' <"$WORK/out1" || fail "Docker's step lines"
matches -x 'Successfully tagged cached:1' <"$WORK/out1" || fail "Successfully tagged"
matches "FROM bb uses the 'latest' tag" <"$WORK/err1" || fail "the latest warning"
matches 'build-args \[UNUSED\] were not consumed' <"$WORK/err1" || fail "unused build-arg warning"
assert_eq "$(berth run --rm cached:1)" "v1" "the built image runs"
berth build -t cached:1 "$CTX" >"$WORK/out2" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out2")" 3 "a second build is all cache"
echo "v2" >"$CTX/data.txt"
berth build -t cached:2 "$CTX" >"$WORK/out3" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out3")" 1 "a changed source: the RUN step is cached, COPY and after are not"
assert_eq "$(berth run --rm cached:2)" "v2" "the rebuilt image has the new file"
# history names each step's image, as Docker does for a local build, down to the base.
berth history -q cached:2 >"$WORK/history_ids"
assert_eq "$(wc -l <"$WORK/history_ids")" 4 "history: the base and three steps"
assert_eq "$(first_line <"$WORK/history_ids")" "$(berth inspect -f '{{.Id}}' cached:2 | cut -c8-19)" "history: the image on top"
assert_eq "$(tail -n 1 "$WORK/history_ids")" "$(berth inspect -f '{{.Id}}' bb:1 | cut -c8-19)" "history: the base at the bottom"
matches -x '<missing>' <"$WORK/history_ids" && fail "history: a step without its image's ID"
berth build --no-cache -t cached:3 "$CTX" >"$WORK/out4" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out4" || true)" 0 "--no-cache"
id=$(berth build -q "$CTX" 2>/dev/null)
assert_eq "$id" "$(berth inspect -f "{{.Id}}" cached:3)" "-q prints the ID (the cache gives the newest build of the steps)"
berth build -q --iidfile "$WORK/iid" "$CTX" >/dev/null 2>&1
assert_eq "$(cat "$WORK/iid")" "$id" "--iidfile"
assert_eq "$(berth images --format '{{.Repository}}' | grep -c '<none>' || true)" 0 "build steps are hidden from images"
[ "$(berth images -a -q | wc -l)" -gt 5 ] || fail "images -a shows build steps"
# rmi: a build step others stand on cannot go; removing the image takes its unnamed steps.
step=$(sed -n 2p "$WORK/history_ids")
expect_failure "rmi of a build step with children" berth rmi "$step"
berth tag cached:2 keep:1
assert_eq "$(berth rmi cached:2 | grep -c '^Deleted: sha256:' || true)" 0 "rmi of one of two names only untags"
berth rmi --no-prune keep:1 >"$WORK/rmi1"
assert_eq "$(grep -c '^Deleted:' "$WORK/rmi1")" 1 "rmi --no-prune keeps the steps below"
berth build -q -t cached:2 "$CTX" >/dev/null 2>&1  # the cache gives cached:3's image: two names
steps_before=$(berth images -a -q | wc -l)
berth rmi cached:2 cached:3 >"$WORK/rmi2"
[ "$(grep -c '^Deleted: sha256:' "$WORK/rmi2")" -ge 2 ] || fail "rmi removes the unnamed steps below the image"
[ "$(berth images -a -q | wc -l)" -lt "$steps_before" ] || fail "images -a lost the removed steps"
expect_failure "build --progress with a bad value" berth build --progress=fancy "$CTX"
expect_failure "build for another platform" berth build --platform linux/s390x "$CTX"
pass "build cache, Docker's output, -q, --iidfile, latest and build-arg warnings; rmi of built images"

# 1b. Sources' digests are remembered between builds, by the file's identity:
# an edit that keeps the size and puts the mtime back is still seen (its ctime
# moves). builder prune forgets every step.
echo "v3" >"$CTX/data.txt"
touch -d '2020-01-01 00:00:00' "$CTX/data.txt"
sleep 1.2  # out of the racy second before a build: this digest is remembered
berth build -q -t digests:1 "$CTX" >/dev/null 2>&1
assert_eq "$(berth run --rm digests:1)" "v3" "a build with a remembered digest"
echo "v4" >"$CTX/data.txt"
touch -d '2020-01-01 00:00:00' "$CTX/data.txt"
berth build -t digests:2 "$CTX" >"$WORK/out5" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out5")" 1 "same size and mtime, new content: COPY runs again"
assert_eq "$(berth run --rm digests:2)" "v4" "the new content is in the image"
berth build -t digests:2 "$CTX" >"$WORK/out6" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out6")" 3 "unchanged: all cache"
berth system df | matches -E '^Build Cache +[1-9][0-9]* +0 ' || { berth system df; fail "system df counts the build cache"; }
berth builder prune -f >"$WORK/prune"
matches '^Total reclaimed space:' <"$WORK/prune" || fail "builder prune's summary"
berth system df | matches -E '^Build Cache +0 +0 +0B +0B$' || { berth system df; fail "system df after builder prune"; }
berth build -t digests:3 "$CTX" >"$WORK/out7" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out7" || true)" 0 "after builder prune every step runs"
assert_eq "$(berth run --rm digests:3)" "v4" "and the image is the same content"
pass "remembered source digests see in-place edits; builder prune"

# 1c. --cache-from: an image loaded into another store (no build cache, no
# step images there) gives its steps back, and the very same image.
berth save -o "$WORK/cache-from.tar" digests:3 bb:latest
BERTH_ROOT=$WORK/root2 berth load -q -i "$WORK/cache-from.tar" >/dev/null
BERTH_ROOT=$WORK/root2 berth build --cache-from digests:3 -t again:1 "$CTX" >"$WORK/out8" 2>/dev/null
# COPY's history line names no content: it runs; the CMD after it matches again (same layers below).
assert_eq "$(grep -c 'Using cache' "$WORK/out8")" 2 "--cache-from: RUN and CMD from the loaded image, matched by history"
BERTH_ROOT=$WORK/root2 berth build -t again:1 "$CTX" >"$WORK/out9" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out9")" 3 "the restored step is this store's cache now"
echo "v5" >"$CTX/data.txt"
BERTH_ROOT=$WORK/root2 berth build --cache-from digests:3 -t again:2 "$CTX" >"$WORK/out10" 2>/dev/null
assert_eq "$(grep -c 'Using cache' "$WORK/out10")" 1 "--cache-from: a changed source is not a hit"
assert_eq "$(BERTH_ROOT=$WORK/root2 berth run --rm again:2)" "v5" "the changed source is in the image"
BERTH_ROOT=$WORK/root2 berth build --cache-from nosuch:1 -q "$CTX" >/dev/null 2>"$WORK/err11"
matches 'WARNING: --cache-from nosuch:1 ignored' <"$WORK/err11" || fail "an unknown --cache-from image is a warning"
pass "--cache-from: the steps of a loaded image, matched by history"

# RUN --mount=type=ssh: a step lists the keys of a test ssh-agent through the
# forwarded socket; the socket's path is in no layer, no cache key, no history.
mkdir -p "$WORK/ssh"
ssh-keygen -q -t ed25519 -N '' -C berth-test-key -f "$WORK/ssh/id" >/dev/null
eval "$(ssh-agent -a "$WORK/ssh/agent.sock" -s)" >/dev/null
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $SSH_AGENT_PID"
ssh-add -q "$WORK/ssh/id" 2>/dev/null
cc -static -O2 -o "$WORK/ssh/agent_keys" "$(dirname "$0")/tools/agent_keys.c"
printf 'FROM bb:1\nRUN --mount=type=bind,source=agent_keys,target=/bin/agent_keys --mount=type=ssh agent_keys > /keys.txt\n' \
  >"$WORK/ssh/Dockerfile"
berth build -q -t ssh:1 --ssh default "$WORK/ssh" >/dev/null
assert_eq "$(berth run --rm ssh:1 cat /keys.txt)" "1 keys
berth-test-key" "the step read the agent's keys"
berth run --rm ssh:1 sh -c 'test ! -e /run/buildkit && test ! -e /bin/agent_keys' || fail "the mount points stay out of the layer"
berth save -o "$WORK/ssh/image.tar" ssh:1 && mkdir -p "$WORK/ssh/x" && tar -C "$WORK/ssh/x" -xf "$WORK/ssh/image.tar"
! grep -rqa "agent.sock" "$WORK/ssh/x" || fail "the socket's path is in the image"
for f in $(find "$WORK/ssh/x" -type f); do tar -tf "$f" 2>/dev/null || true; done | matches 'ssh_agent\|run/buildkit' &&
  fail "the mount point is in a layer"
berth history --no-trunc ssh:1 | matches "agent.sock" && fail "the socket is in the history"
# Another agent at another path: the same key, a cache hit.
eval "$(ssh-agent -a "$WORK/ssh/other.sock" -s)" >/dev/null
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $SSH_AGENT_PID"
berth build --ssh "default=$WORK/ssh/other.sock" -t ssh:2 "$WORK/ssh" | matches 'Using cache' || fail "the agent's socket is not in the cache key"
expect_failure "--ssh without an agent socket" berth build --ssh "default=$WORK/ssh/id" "$WORK/ssh"
pass "RUN --mount=type=ssh: the agent's keys usable in the step, nothing of it kept"

# ADD of a git repository, from git's own daemon on 127.0.0.1: a tag, a
# directory of it, the default branch, and --keep-git-dir.
mkdir -p "$WORK/git/work/sub" "$WORK/git/served"
( cd "$WORK/git/work" && git init -q -b main . && git config user.email t@example.invalid && git config user.name t &&
  echo one >sub/x.txt && echo top >top.txt && git add . && git commit -qm one && git tag v1 &&
  echo two >sub/x.txt && git commit -qam two ) >/dev/null
git clone -q --bare "$WORK/git/work" "$WORK/git/served/repo.git"
GIT_PORT=$(free_port)
git daemon --reuseaddr --export-all --base-path="$WORK/git/served" --listen=127.0.0.1 --port="$GIT_PORT" \
  "$WORK/git/served" >/dev/null 2>&1 &
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $!"
for _ in $(seq 50); do git ls-remote "git://127.0.0.1:$GIT_PORT/repo.git" >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p "$WORK/gitctx"
cat >"$WORK/gitctx/Dockerfile" <<D
FROM bb:1
ADD git://127.0.0.1:$GIT_PORT/repo.git#v1:sub /tagged/
ADD git://127.0.0.1:$GIT_PORT/repo.git /head/
ADD --keep-git-dir=true git://127.0.0.1:$GIT_PORT/repo.git#v1 /kept/
ADD git://127.0.0.1:$GIT_PORT/repo.git#$(git -C "$WORK/git/work" rev-parse v1) /by-commit/
D
# The user's git setup is not the Dockerfile's: a global config that would
# send the fetch elsewhere, and GIT_DIR, are not used.
mkdir -p "$WORK/githome"
printf '[url "git://127.0.0.1:1/"]\n\tinsteadOf = git://127.0.0.1:%s/\n' "$GIT_PORT" >"$WORK/githome/.gitconfig"
HOME="$WORK/githome" GIT_DIR="$WORK/nowhere" berth build -q -t git:1 "$WORK/gitctx" >/dev/null
assert_eq "$(berth run --rm git:1 cat /by-commit/sub/x.txt)" "one" "#COMMIT gives that commit's tree"
assert_eq "$(berth run --rm git:1 cat /tagged/x.txt)" "one" "#v1:sub gives the tag's directory"
berth run --rm git:1 sh -c 'test ! -e /tagged/top.txt' || fail "#v1:sub copies only the directory"
assert_eq "$(berth run --rm git:1 cat /head/sub/x.txt /head/top.txt)" "two
top" "no ref: the default branch"
berth run --rm git:1 sh -c 'test ! -e /head/.git && test -d /kept/.git' || fail ".git only with --keep-git-dir"
pass "ADD of a git repository: a tag, a directory of it, the default branch, a commit, --keep-git-dir; the user's git config unused"

# A wildcard that matches nothing copies nothing, as BuildKit does (the classic builder refuses).
mkdir -p "$WORK/nomatch" && printf 'FROM bb:1\nCOPY nomatch*.txt /none/\n' >"$WORK/nomatch/Dockerfile"
berth build -q -t nomatch:1 "$WORK/nomatch" >/dev/null
berth run --rm nomatch:1 sh -c 'test ! -e /none' || fail "an empty wildcard made the destination"
assert_eq "$(berth history --format '{{.CreatedBy}}' nomatch:1 | first_line)" "COPY nomatch*.txt /none/ # buildkit" \
  "the empty COPY is a step"
pass "COPY of a wildcard that matches nothing"

# 2. Reproducible: the same context and SOURCE_DATE_EPOCH give the same image, in another store too.
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1
RUN mkdir /out && echo made > /out/file && touch /out/stamp
COPY data.txt /out/
ENV BUILT=yes
D
a=$(SOURCE_DATE_EPOCH=1700000000 berth build -q --no-cache "$CTX")
b=$(SOURCE_DATE_EPOCH=1700000000 berth build -q --no-cache "$CTX")
assert_eq "$a" "$b" "two builds with SOURCE_DATE_EPOCH: one image ID"
berth save bb:1 >"$WORK/bb.tar"
c=$(BERTH_ROOT=$WORK/other "$BERTH" load -q -i "$WORK/bb.tar" >/dev/null && BERTH_ROOT=$WORK/other "$BERTH" build -q --source-date-epoch 1700000000 "$CTX")
assert_eq "$c" "$a" "the same image ID from another store"
assert_eq "$(berth inspect -f '{{.Created}}' "$a")" "2023-11-14T22:13:20Z" "created is the epoch"
d=$(berth build -q --no-cache "$CTX")
[ "$d" != "$a" ] || fail "without SOURCE_DATE_EPOCH builds carry their time"
pass "reproducible builds: --source-date-epoch / SOURCE_DATE_EPOCH"

# 2b. --pin: Dockerfile.lock records what each FROM resolved to; later builds
# use it even after the tag moved, until --pin records again.
printf 'FROM bb:1\nENV PINNED=1\n' >"$CTX/Dockerfile"
rm -f "$CTX/Dockerfile.lock"
original=$(berth inspect -f '{{.Id}}' bb:1)
berth build -q --pin -t pinned:1 "$CTX" >/dev/null
assert_eq "$(jq -r '.bases["bb:1"].image' "$CTX/Dockerfile.lock")" "$original" "the lock file records the base's ID"
berth tag cached:1 bb:1  # the tag moves (to an image with 3 layers)
berth build -q -t pinned:2 "$CTX" >/dev/null
assert_eq "$(berth inspect -f '{{len .RootFS.Layers}}' pinned:2)" 1 "a moved tag: the pinned base is used"
berth build -q --pin -t pinned:3 "$CTX" >/dev/null
assert_eq "$(berth inspect -f '{{len .RootFS.Layers}}' pinned:3)" 3 "--pin again: the base as it resolves now"
berth tag "$original" bb:1
rm -f "$CTX/Dockerfile.lock"
pass "--pin: Dockerfile.lock pins the bases"

# 3. BuildKit's features: heredocs, COPY --chmod, RUN --network.
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1
RUN <<EOF
echo first > /one
echo second >> /one
EOF
RUN cat <<EOT > /two
two $((1+1))
EOT
COPY --chmod=750 <<EOF /script.sh
#!/bin/sh
echo from a heredoc
EOF
RUN --network=none ls /sys/class/net > /nets
ARG MODE=640
ENV KEEP=6
ARG GID=50
COPY --chmod=$MODE --chown=${NOUSER:-1000}:$GID <<EOF /expanded
x
EOF
COPY --chmod=${KEEP}00 <<EOF /expanded-env
y
EOF
CMD ["/script.sh"]
D
berth build -q -t heredocs:1 "$CTX" >/dev/null
# --chmod takes ARGs and ENV as later BuildKit does (Docker 20.10's BuildKit ignores it; docs/build.md).
assert_eq "$(berth run --rm heredocs:1 stat -c '%a %u %g' /expanded /expanded-env | tr '\n' ' ')" "640 1000 50 600 0 0 " \
  "COPY --chmod/--chown with variables"
assert_eq "$(berth run --rm heredocs:1)" "from a heredoc" "COPY <<EOF makes the file"
assert_eq "$(berth run --rm heredocs:1 cat /one /two)" "$(printf 'first\nsecond\ntwo 2')" "RUN <<EOF"
assert_eq "$(berth run --rm heredocs:1 stat -c %a /script.sh)" "750" "COPY --chmod"
assert_eq "$(berth run --rm heredocs:1 cat /nets)" "lo" "RUN --network=none has only loopback"
pass "heredocs, COPY --chmod (variables expanded), RUN --network=none"

# 3a. Symlinks in the image on a COPY or WORKDIR path are followed inside the
# image's root (Debian's /bin -> usr/bin), never out of it.
echo "linked" >"$CTX/data.txt"
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1
RUN mkdir -p /usr/local/real && ln -s /usr/local/real /abs && ln -s usr/local/real /rel && ln -s ../../../../.. /up
COPY data.txt /abs/
COPY data.txt /rel/renamed.txt
COPY data.txt /up/etc/
WORKDIR /rel/work
D
berth build -q -t linked:1 "$CTX" >/dev/null
assert_eq "$(berth run --rm linked:1 sh -c 'cat /usr/local/real/data.txt /usr/local/real/renamed.txt /etc/data.txt; ls -d /usr/local/real/work; readlink /abs')" \
  "$(printf 'linked\nlinked\nlinked\n/usr/local/real/work\n/usr/local/real')" "COPY and WORKDIR through the image's symlinks"
[ ! -e /etc/data.txt ] || [ "$(cat /etc/data.txt)" != linked ] || fail "a COPY through a climbing link reached the host"
pass "COPY and WORKDIR follow the image's symlinks inside its root"

# 3b. RUN --mount: a secret is readable during its RUN only and stored nowhere;
# a cache directory persists from build to build; neither leaves a mount point.
echo "s3cr3t-$$-value" >"$WORK/secret.txt"
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1
RUN --mount=type=secret,id=tok s=$(cat /run/secrets/tok) && echo ${#s} > /secret-length
RUN --mount=type=cache,target=/cache echo run >> /cache/log && cat /cache/log > /log
D
berth build -q --no-cache --secret "id=tok,src=$WORK/secret.txt" -t mounts:1 "$CTX" >/dev/null
berth build -q --no-cache --secret "id=tok,src=$WORK/secret.txt" -t mounts:2 "$CTX" >/dev/null
assert_eq "$(berth run --rm mounts:2 cat /secret-length)" "$(( $(wc -c <"$WORK/secret.txt") - 1 ))" "the secret was readable"
assert_eq "$(berth run --rm mounts:2 cat /log)" "$(printf 'run\nrun')" "the cache kept the first build's file"
berth builder prune -af >/dev/null
berth build -q --no-cache --secret "id=tok,src=$WORK/secret.txt" -t mounts:3 "$CTX" >/dev/null
assert_eq "$(berth run --rm mounts:3 cat /log)" "run" "builder prune emptied the cache mount"
assert_eq "$(berth run --rm mounts:2 sh -c 'ls -d /run /cache 2>/dev/null')" "" "no mount point left in the image"
assert_eq "$(grep -rl "s3cr3t-$$-value" "$BERTH_ROOT" | grep -v build-cache || true)" "" "the secret is nowhere in the store"
expect_failure "a secret RUN without --secret" berth build -q --no-cache "$CTX"
mkdir -p "$CTX/src" && echo "from the context" >"$CTX/src/c.txt"
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1 AS tools
RUN echo "from a stage" > /tool.txt
FROM bb:1
RUN --mount=type=bind,source=src,target=/mnt/ctx cat /mnt/ctx/c.txt > /got-context
RUN --mount=type=bind,from=tools,source=tool.txt,target=/t.txt cat /t.txt > /got-stage
D
berth build -q -t binds:1 "$CTX" >/dev/null
assert_eq "$(berth run --rm binds:1 cat /got-context /got-stage)" "$(printf 'from the context\nfrom a stage')" "RUN --mount=type=bind from the context and from a stage"
assert_eq "$(berth run --rm binds:1 sh -c 'ls -d /mnt /t.txt 2>/dev/null')" "" "bind mount points left out of the layer"
echo "changed" >"$CTX/src/c.txt"
berth build -q -t binds:2 "$CTX" >/dev/null
assert_eq "$(berth run --rm binds:2 cat /got-context)" "changed" "a changed bind source is not a cache hit"
printf 'FROM bb:1\nRUN --mount=type=bind,source=../..,target=/x ls /x\n' >"$CTX/Dockerfile"
expect_failure "a bind source outside the context" berth build -q "$CTX"
pass "RUN --mount=type=secret, type=cache and type=bind"

# 4. --target builds only the stages it needs; COPY --from a stage.
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1 AS broken
RUN exit 1
FROM bb:1 AS build
RUN echo artifact > /artifact
FROM scratch AS final
COPY --from=build /artifact /artifact
FROM bb:1 AS later
RUN exit 1
D
berth build -q --target final -t staged:1 "$CTX" >/dev/null || fail "--target built a stage it does not need"
assert_eq "$(berth inspect -f '{{len .RootFS.Layers}}' staged:1)" 1 "a FROM scratch stage with one COPY: one layer"
pass "--target builds only the stages it needs"

# 4b. Independent stages build at the same time: each RUN waits (10 s at most)
# for the other's mark in a cache mount both share — built one after the other,
# the first would wait in vain and fail. The output is a sequential build's.
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1 AS left
RUN --mount=type=cache,id=meet,target=/meet touch /meet/left; i=0; while [ ! -e /meet/right ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; [ -e /meet/right ] && echo met > /left
FROM bb:1 AS right
RUN --mount=type=cache,id=meet,target=/meet touch /meet/right; i=0; while [ ! -e /meet/left ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; [ -e /meet/left ] && echo met > /right
FROM bb:1
COPY --from=left /left /left
COPY --from=right /right /right
CMD ["cat", "/left", "/right"]
D
berth builder prune -af >/dev/null
berth build --no-cache -t parallel:1 "$CTX" >"$WORK/parallel.out" 2>&1 || { cat "$WORK/parallel.out"; fail "independent stages were not built at the same time"; }
assert_eq "$(berth run --rm parallel:1)" "$(printf 'met\nmet')" "both stages met"
assert_eq "$(grep -o '^Step [0-9]*' "$WORK/parallel.out" | tr '\n' ' ')" "Step 1 Step 2 Step 3 Step 4 Step 5 Step 6 Step 7 Step 8 " \
  "steps printed in order"
# A failing stage: its output, its exit code, no image; the other stage's output is not lost.
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1 AS slow
RUN sleep 1; echo slow-done
FROM bb:1 AS failing
RUN echo boom-$((6*7)); exit 3
FROM bb:1
COPY --from=slow /bin/sh /a
COPY --from=failing /bin/sh /b
D
set +e
berth build --no-cache -t parallel:2 "$CTX" >"$WORK/parallel2.out" 2>&1
code=$?
set -e
assert_eq "$code" 3 "a failing stage's exit code"
matches 'boom-42' <"$WORK/parallel2.out" || fail "the failing stage's output"
matches "returned a non-zero code: 3" <"$WORK/parallel2.out" || fail "the failing step's message"
expect_failure "the image of a failed build" berth inspect parallel:2
pass "independent stages build at the same time; output in order; a failing stage stops the build"

# 5. Bad input: one line, a non-zero exit, the store as it was.
before=$(berth images -a -q --no-trunc | sort)
bad() {  # WHAT EXPECTED_CODE DOCKERFILE
  printf '%s\n' "$3" >"$CTX/Dockerfile"
  set +e
  "$BERTH" build -q "$CTX" >/dev/null 2>"$WORK/err"; rc=$?
  set -e
  assert_eq "$rc" "$2" "exit code for $1"
  assert_eq "$(wc -l <"$WORK/err")" 1 "one error line for $1"
  echo "ok: $1 -> $(cat "$WORK/err")"
  assert_eq "$(berth images -a -q --no-trunc | sort)" "$before" "images after $1"
  assert_eq "$(grep -c " $BERTH_ROOT" /proc/mounts || true)" 0 "mounts left after $1"
}
bad "a syntax error" 1 $'FROM bb:1\nENV JUST_A_NAME'
bad "an unknown instruction" 1 $'FROM bb:1\nFRUM x'
bad "a failing RUN" 3 $'FROM bb:1\nRUN exit 3'
bad "a missing source" 1 $'FROM bb:1\nCOPY nosuch.txt /'
bad "a source outside the context" 1 $'FROM bb:1\nCOPY ../../etc/passwd /'
bad "an unknown stage or image" 1 $'FROM bb:1\nCOPY --from=localhost:1/nosuch:1 /x /x'
bad "no FROM" 1 $'RUN true'
bad "ADD of a git repository that cannot be reached" 1 $'FROM bb:1\nADD git://127.0.0.1:1/project.git /src'
bad "RUN --mount=type=ssh,required without --ssh" 1 $'FROM bb:1\nRUN --mount=type=ssh,required true'
bad "FROM another platform" 1 $'FROM --platform=linux/s390x bb:1\nRUN true'
# A source that is a symlink is followed, as Docker's builders do, but inside
# the context: /etc/shadow there names the context's etc/shadow, which is not.
ln -s /etc/shadow "$CTX/link"
bad "a source linking out of the context" 1 $'FROM bb:1\nCOPY link /link'
rm "$CTX/link"
printf 'FROM --platform=$BUILDPLATFORM bb:1 AS build\nRUN echo built > /x\nFROM bb:1\nCOPY --from=build /x /x\n' >"$CTX/Dockerfile"
berth build -q -t platform:1 "$CTX" >/dev/null || fail "FROM --platform=\$BUILDPLATFORM"
echo "inside" >"$CTX/inside.txt" && ln -s /inside.txt "$CTX/inlink"
printf 'FROM bb:1\nCOPY inlink /copied\n' >"$CTX/Dockerfile"
berth build -q -t symlink:1 "$CTX" >/dev/null
assert_eq "$(berth run --rm symlink:1 cat /copied)" "inside" "a symlink source copies its target from inside the context"
rm -f "$CTX/inlink" "$CTX/inside.txt"
pass "bad Dockerfiles: one line, non-zero, nothing left; symlink sources resolved inside the context, never out of it"

# 5b. A build killed in the middle of a RUN: system check stops the step, and
# removes its mounts (root, network namespace) and files; the store is whole.
printf 'FROM bb:1\nRUN --network=none sh -c "touch /started; sleep 47"\n' >"$CTX/Dockerfile"
"$BERTH" build --no-cache "$CTX" >"$WORK/killed.out" 2>&1 &
build_pid=$!
for _ in $(seq 100); do
  [ -n "$(find "$BERTH_ROOT/overlay2" -maxdepth 3 -path '*/diff/started' 2>/dev/null)" ] && break
  sleep 0.1
done
kill -9 "$build_pid"
wait "$build_pid" 2>/dev/null || true
[ "$(grep -c " $BERTH_ROOT" /proc/mounts || true)" -gt 0 ] || fail "the killed build left no mount (the test killed it too early)"
berth system check >"$WORK/check" || { cat "$WORK/check"; fail "system check after a killed build"; }
step_id=$(sed -n 's/^ ---> Running in //p' "$WORK/killed.out")
[ -n "$step_id" ] || fail "the killed build printed its step's ID"
matches "removed leftover build step berth-build-$step_id" <"$WORK/check" || fail "system check names the step \"Running in\" named"
assert_eq "$(grep -c " $BERTH_ROOT" /proc/mounts || true)" 0 "mounts after system check"
assert_eq "$(pgrep -x -f 'sleep 47' | wc -l)" 0 "the step's process is gone"
berth system check | matches 'store is consistent' || fail "a second system check"
# A mount left in tmp/ under a name with a space (/proc/mounts escapes it as \040).
mkdir "$BERTH_ROOT/tmp/left over"
mount -t tmpfs none "$BERTH_ROOT/tmp/left over"
berth system check >"$WORK/check2" || { cat "$WORK/check2"; fail "system check with a mount named with a space"; }
assert_eq "$(grep -c " $BERTH_ROOT" /proc/mounts || true)" 0 "the mount named with a space is gone"
[ ! -e "$BERTH_ROOT/tmp/left over" ] || fail "the leftover directory named with a space is gone"
pass "a build killed during RUN: system check stops the step and cleans up"

# 5c. A reader that goes away (| head) costs the output, not the build.
printf 'FROM bb:1\nRUN echo one; echo two; echo three\nRUN echo four > /four\n' >"$CTX/Dockerfile"
# head exits after one line; under pipefail a build killed by SIGPIPE fails this line.
first=$(berth build --no-cache -t piped:1 "$CTX" | head -n 1)
assert_eq "$first" "Step 1/3 : FROM bb:1" "the first line of a piped build"
assert_eq "$(berth run --rm piped:1 cat /four)" "four" "a build whose reader left"
assert_eq "$(grep -c " $BERTH_ROOT" /proc/mounts || true)" 0 "mounts after a piped build"
pass "build | head: the build finishes and cleans up"

# 6. The seed's Dockerfile, and its multi-stage shape, on a Debian base made here.
mirror=$("$BERTH_SOURCE_DIR/scripts/debian-mirror" 2>/dev/null || true)
if [ -z "$mirror" ] || ! host_net curl -sfI --max-time 10 "$mirror/dists/bookworm/Release" >/dev/null; then
  echo "SKIP: the Debian archive cannot be reached: the seed's Debian build is not tested"
  exit 0
fi
if [ -x /var/tmp/berth-bench/rootfs/bin/sh ]; then  # the bench's debootstrap, when this machine has one
  tar -C /var/tmp/berth-bench/rootfs -cf "$WORK/debian.tar" .
else
  host_net debootstrap --variant=minbase bookworm "$WORK/debian" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -5 "$WORK/debootstrap.log"; fail "debootstrap"; }
  tar -C "$WORK/debian" -cf "$WORK/debian.tar" .
fi
berth import "$WORK/debian.tar" debian:bookworm >/dev/null
APP=$WORK/app && mkdir -p "$APP"
echo 'print("Hello from the seed'"'"'s app")' >"$APP/app.py"
cat >"$APP/Dockerfile" <<'D'
FROM debian:bookworm
RUN apt-get update && apt-get install -y python3
COPY app.py /app/app.py
CMD ["python3", "/app/app.py"]
D
host_net "$BERTH" build -t app:1.0 "$APP" >"$WORK/app.out" 2>&1 || { tail -20 "$WORK/app.out"; fail "the seed's build"; }
assert_eq "$(berth run --rm app:1.0)" "Hello from the seed's app" "the seed's app runs"
berth history --no-trunc app:1.0 --format '{{.CreatedBy}}|{{.Size}}' >"$WORK/history"
cat "$WORK/history"
matches -x 'CMD \["python3" "/app/app.py"\]|0B' <"$WORK/history" || fail "history: CMD (BuildKit's line)"
matches -xE 'COPY app.py /app/app.py # buildkit\|[0-9]+B' <"$WORK/history" || fail "history: COPY"
matches -E '^RUN /bin/sh -c apt-get update && apt-get install -y python3 # buildkit\|[0-9.]+MB$' <"$WORK/history" ||
  fail "history: RUN with its size"
pass "the seed's Dockerfile: python3 installed by RUN, app copied, runs; history shows the steps and sizes"

cat >"$APP/hello.c" <<'C'
#include <stdio.h>
int main(void) { puts("hello from a two-stage build"); return 0; }
C
cat >"$APP/Dockerfile" <<'D'
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
COPY hello.c /src/hello.c
RUN gcc -static -O2 -o /hello /src/hello.c
FROM scratch
COPY --from=build /hello /hello
CMD ["/hello"]
D
host_net "$BERTH" build -t hello:1.0 "$APP" >"$WORK/hello.out" 2>&1 || { tail -20 "$WORK/hello.out"; fail "the multi-stage build"; }
assert_eq "$(berth run --rm hello:1.0)" "hello from a two-stage build" "the final stage runs"
assert_eq "$(berth inspect -f '{{len .RootFS.Layers}}' hello:1.0)" 1 "the final image is one layer"
size=$(berth inspect -f '{{.Size}}' hello:1.0)
[ "$size" -lt 2000000 ] || fail "the final image is small (got $size bytes)"
pass "multi-stage: gcc in the build stage, only the binary in FROM scratch ($size bytes)"
