#!/bin/bash
# BuildKit's labs flags of COPY and ADD: --exclude, --parents and --link.
# Docker 20.10 here cannot take them (they need a newer frontend image), so
# the expected trees are those of BuildKit's documentation and its own
# integration test (frontend/dockerfile/exclude_patterns_test.go), checked
# file by file in the built image.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/base/bin"
cp /bin/busybox "$WORK/base/bin/busybox"
for c in sh find sort cat readlink stat wc test; do ln -s busybox "$WORK/base/bin/$c"; done
tar -C "$WORK/base" -cf "$WORK/base.tar" .
berth import "$WORK/base.tar" bb:1 >/dev/null

# Every path below DIR in IMAGE, sorted, with a symlink's target ("a -> b").
tree_of() {  # IMAGE DIR
  berth run --rm "$1" sh -c "cd $2 && find . -mindepth 1 | sort | while read -r p; do
    if [ -L \"\$p\" ]; then echo \"\$p -> \$(readlink \"\$p\")\"; else echo \"\$p\"; fi; done"
}

# BuildKit's exclude test context.
CTX=$WORK/ctx && mkdir -p "$CTX"/dir{1,2,3,4}
printf 2 >"$CTX/dir1/file-101.png"; printf 3 >"$CTX/dir1/file-102.txt"; printf 4 >"$CTX/dir1/file-103.jpeg"
printf 6 >"$CTX/dir2/file-201.pdf"; printf 7 >"$CTX/dir2/file-202.jpeg"; printf 8 >"$CTX/dir2/file-203.png"
printf 9 >"$CTX/dir3/file-301.mp3"; printf 10 >"$CTX/dir3/file-302.mpeg"
printf 11 >"$CTX/dir4/file-401.txt"
ln -s file-401.txt "$CTX/dir4/file-402.txt"; ln -s file-404.txt "$CTX/dir4/file-403.txt"
printf h >"$CTX/home.txt"; printf h >"$CTX/home.md"; printf h >"$CTX/homer.bin"
cat >"$CTX/Dockerfile" <<'D'
FROM bb:1
COPY --exclude=*.png --exclude=*.jpeg dir1 dir2 dir3 dir4 /1/
COPY --exclude=*/*.pdf --exclude=*/*.txt --exclude=Dockerfile --exclude=home* . /2
ADD --exclude=*.mp3 dir3/ /3/
COPY --exclude=*.mp3 --exclude=*.jpeg --exclude=*.png --exclude=*.pdf --exclude=*.txt dir* /4/
ADD --exclude=* dir* /6/
COPY --exclude=*.txt --exclude=*.md hom* /7/
COPY --exclude=dir2 --exclude=!dir2/file-202.jpeg . /8/
D
berth build -q -t excl:1 "$CTX" >/dev/null
assert_eq "$(tree_of excl:1 /1 | tr '\n' ' ')" \
  "./file-102.txt ./file-201.pdf ./file-301.mp3 ./file-302.mpeg ./file-401.txt ./file-402.txt -> file-401.txt ./file-403.txt -> file-404.txt " \
  "--exclude is matched below each directory source"
assert_eq "$(tree_of excl:1 /2 | tr '\n' ' ')" \
  "./dir1 ./dir1/file-101.png ./dir1/file-103.jpeg ./dir2 ./dir2/file-202.jpeg ./dir2/file-203.png ./dir3 ./dir3/file-301.mp3 ./dir3/file-302.mpeg ./dir4 " \
  "--exclude */*.txt leaves dir4 empty, symlinks matched by name"
assert_eq "$(tree_of excl:1 /3 | tr '\n' ' ')" "./file-302.mpeg " "ADD --exclude"
assert_eq "$(tree_of excl:1 /4 | tr '\n' ' ')" "./file-302.mpeg " "wildcard sources, their contents filtered"
assert_eq "$(berth run --rm excl:1 sh -c 'test -d /6 && find /6 -mindepth 1 | wc -l')" "0" "--exclude=* leaves the destination made and empty"
assert_eq "$(tree_of excl:1 /7 | tr '\n' ' ')" "./homer.bin " \
  "a file a wildcard matched is excluded by its name, as BuildKit's reference says (its code copies it: buildkit#5489)"
assert_eq "$(tree_of excl:1 /8 | grep dir2 | tr '\n' ' ')" "./dir2 ./dir2/file-202.jpeg " "an exception brings a file back into an excluded directory"
pass "COPY/ADD --exclude: BuildKit's own exclude cases, wildcard sources, exceptions"

# The key: a change in an excluded file is no change; in a copied one it is.
printf 'FROM bb:1\nCOPY --exclude=*.png dir1 /k/\n' >"$CTX/Dockerfile"
berth build -t excl:2 "$CTX" >/dev/null 2>&1
printf changed >"$CTX/dir1/file-101.png"
berth build -t excl:3 "$CTX" >"$WORK/out" 2>&1
assert_eq "$(grep -c 'Using cache' "$WORK/out")" 1 "a changed excluded file: the step is a cache hit"
printf changed >"$CTX/dir1/file-102.txt"
berth build -t excl:4 "$CTX" >"$WORK/out" 2>&1
assert_eq "$(grep -c 'Using cache' "$WORK/out")" 0 "a changed copied file: the step reruns"
assert_eq "$(berth run --rm excl:4 cat /k/file-102.txt)" "changed" "the rerun copies the new content"
pass "an excluded file is not in the step's key"

# --parents, from the reference's examples: with and without a /./ pivot, ** patterns, --from a stage.
P=$WORK/parents && mkdir -p "$P"/x/y "$P"/src/x/y "$P"/app/dist/js
printf a >"$P/x/a.txt"; printf ya >"$P/x/y/a.txt"; printf yb >"$P/x/y/b.txt"; printf s >"$P/x/y/skip.bin"
printf 1 >"$P/src/a.txt"; printf 2 >"$P/src/x/b.txt"; printf 3 >"$P/src/x/y/c.txt"; printf 4 >"$P/src/x/y/d.bin"
printf js >"$P/app/dist/js/main.js"
chmod 0750 "$P/src/x"
cat >"$P/Dockerfile" <<'D'
FROM bb:1 AS stage
COPY app /build/app
FROM bb:1
COPY ./x/a.txt ./x/y/a.txt /no_parents/
COPY --parents ./x/a.txt ./x/y/a.txt /parents/
COPY --parents ./x/./y/*.txt /pivot/
COPY --parents ./src/**/*.txt /deep/
COPY --parents --exclude=**/c.txt src/x /excluded
COPY --from=stage --parents /build/./app/dist/js/main.js /from/
COPY --parents nothing-*.txt /empty/
D
berth build -q -t parents:1 "$P" >/dev/null
assert_eq "$(tree_of parents:1 /no_parents | tr '\n' ' ')" "./a.txt " "without --parents, both land on a.txt"
assert_eq "$(tree_of parents:1 /parents | tr '\n' ' ')" "./x ./x/a.txt ./x/y ./x/y/a.txt " "--parents keeps each source's directories"
assert_eq "$(tree_of parents:1 /pivot | tr '\n' ' ')" "./y ./y/a.txt ./y/b.txt " "a /./ pivot: only what is after it is kept"
assert_eq "$(tree_of parents:1 /deep | tr '\n' ' ')" "./src ./src/a.txt ./src/x ./src/x/b.txt ./src/x/y ./src/x/y/c.txt " \
  "** matches any number of directories, none too"
assert_eq "$(tree_of parents:1 /excluded | tr '\n' ' ')" "./src ./src/x ./src/x/b.txt ./src/x/y ./src/x/y/d.bin " \
  "--parents of a directory, with --exclude"
assert_eq "$(berth run --rm parents:1 stat -c %a /deep/src/x)" "750" "a kept directory is made as it is in the source"
assert_eq "$(tree_of parents:1 /from | tr '\n' ' ')" "./app ./app/dist ./app/dist/js ./app/dist/js/main.js " "--parents --from a stage, with a pivot"
assert_eq "$(berth run --rm parents:1 sh -c 'test -d /empty && find /empty -mindepth 1 | wc -l')" "0" \
  "a --parents pattern matching nothing copies nothing (the destination is made, as BuildKit makes it)"
pass "COPY --parents: kept directories, a /./ pivot, ** patterns, --from"

cat >"$P/Dockerfile" <<'D'
FROM bb:1
COPY --parents ./x/missing.txt /d/
D
expect_failure "a missing --parents source" berth build -t parents:2 "$P"
matches 'file not found in build context' <"$WORK/stderr" || fail "a missing --parents source: Docker's not-found message"
printf 'FROM bb:1\nCOPY --exclude=[ x /d/\n' >"$P/Dockerfile"
expect_failure "a malformed --exclude pattern" berth build -t parents:3 "$P"
matches 'invalid --exclude pattern "\[": syntax error in pattern' <"$WORK/stderr" || fail "a bad --exclude pattern"
pass "bad input: a missing --parents source, a malformed --exclude pattern (one line each)"

# --link: accepted, and the layer is the same as without it (berth's layers never depend on the parent's).
printf 'FROM bb:1\nCOPY --link x/a.txt /a.txt\n' >"$P/Dockerfile"
berth build -q -t link:1 "$P" >/dev/null
printf 'FROM bb:1\nCOPY x/a.txt /a.txt\n' >"$P/Dockerfile"
berth build -q -t link:2 "$P" >/dev/null
assert_eq "$(berth inspect -f '{{index .RootFS.Layers 1}}' link:1)" "$(berth inspect -f '{{index .RootFS.Layers 1}}' link:2)" \
  "COPY --link makes the layer COPY makes"
pass "COPY --link is accepted and makes the same layer"
