#!/bin/bash
# build against real Docker: a suite of Dockerfiles (busybox-based, offline) is
# built by both of Docker 20.10's builders — the classic one (DOCKER_BUILDKIT=0)
# and BuildKit (DOCKER_BUILDKIT=1; RUN on the host's network, as dockerd runs
# here without a bridge) — and by `berth build`. The image configs (Env, Cmd,
# Entrypoint, WorkingDir, User, ExposedPorts, Volumes, Labels, StopSignal,
# Healthcheck, Shell, OnBuild), the flattened file systems (paths, types,
# modes, owners, sizes, file hashes, link targets) and the histories (lines,
# comments, empty layers; the layer count) of berth's image must equal
# BuildKit's. The two builders always write different history lines; where
# the classic builder gives another config or file system, the case must be
# one of BUILDERS_DISAGREE below, each kind documented in docs/build.md ("Where
# Docker's builders disagree") — and a listed case where they agree fails too,
# so the list stays true. Features the classic builder lacks (heredocs,
# --chmod, RUN --network) are tested in test_build.sh.
. "$(dirname "$0")/lib.sh"
start_dockerd

# Where the classic builder's image differs from BuildKit's (berth gives BuildKit's):
# - a RUN over a base without /dev, /proc, /sys: BuildKit keeps the directories
#   the runtime made for its mounts in the layer, the classic builder does not;
# - FROM scratch: BuildKit's empty image has WorkingDir "/", the classic one none;
# - WORKDIR under a USER: BuildKit makes the directories as that user, the classic builder as root;
# - setuid/setgid bits of what COPY copies: BuildKit keeps them, the classic builder
#   drops them (from the context, and from a stage with --chown);
# - a RUN as a USER: BuildKit gives the groups listing the user (none when a group is
#   given), the classic builder also the primary group, as Docker's containers;
# - WORKDIR /a/b/../c: BuildKit makes /a/b too (its MkdirAll walks the path as written).
BUILDERS_DISAGREE=" arg-build-arg continuation-comments env-wins-over-arg escape-directive onbuild-triggers
  run-deletes-base-file run-exec-form run-files run-modes-owners run-replaces-directory shell workdir-relative
  copy-from-image maintainer-and-scratch multistage workdir-under-user run-user-groups copy-setuid
  arg-env-history copy-dir-into-existing copy-symlink-to-dir-dest multistage-chain run-heavy-tree run-whiteout-opaque
  user-name-group-run user-name-run user-uid-gid-run user-uid-run user-unknown-id-run
  workdir-as-written workdir-existing workdir-unclean "

# The same base image in both: made by berth, loaded into Docker.
mkdir -p "$WORK/base/bin" "$WORK/base/etc" "$WORK/base/tmp"
cp /bin/busybox "$WORK/base/bin/busybox"
for c in sh echo cat ls rm mkdir ln touch chmod chown pwd true wget; do ln -s busybox "$WORK/base/bin/$c"; done
printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n' >"$WORK/base/etc/passwd"
printf 'root:x:0:\nuser:x:1000:\nstaff:x:50:\n' >"$WORK/base/etc/group"
chmod 1777 "$WORK/base/tmp"
tar -C "$WORK/base" --numeric-owner -cf "$WORK/base.tar" .
berth import "$WORK/base.tar" bb:1 >/dev/null
berth save bb:1 | $DOCKER load -q >/dev/null

# A web server on 127.0.0.1 for ADD of a URL (the same file for both builders).
mkdir -p "$WORK/www" && echo "fetched over http" >"$WORK/www/remote.txt"
HTTP_PORT=$(free_port)
(cd "$WORK/www" && exec python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $!"
wait_for_http "http://127.0.0.1:$HTTP_PORT/remote.txt"

CASES=$WORK/cases
mkdir -p "$CASES"
# new_case NAME [BUILD FLAGS...]: reads the Dockerfile from stdin; context files are
# made by the commands that follow, in $CTX.
new_case() {
  CTX=$CASES/$1
  mkdir -p "$CTX"
  cat >"$CTX/Dockerfile"
  shift
  printf '%s\n' "$@" >"$CTX/.flags"
}

new_case env-basic <<'D'
FROM bb:1
ENV A=1 B="two words"
ENV C $A-x
D
new_case env-refers-to-earlier <<'D'
FROM bb:1
ENV A=1
ENV A=2 B=$A C=${A:-none} D=${UNSET:-dflt} E=${A:+set}
D
new_case arg-default <<'D'
FROM bb:1
ARG V=1
ENV X=$V
D
new_case arg-build-arg --build-arg=V=9 <<'D'
FROM bb:1
ARG V=1
ENV X=$V
RUN echo "$V" > /v
D
new_case arg-before-from --build-arg=TAG=1 <<'D'
ARG TAG=nope
FROM bb:$TAG
ENV X=ok
D
new_case arg-meta-out-of-scope <<'D'
ARG A=meta
FROM bb:1
ENV X="[$A]"
D
new_case arg-meta-redeclared <<'D'
ARG A=meta
FROM bb:1
ARG A
ENV X=$A
D
new_case env-wins-over-arg <<'D'
FROM bb:1
ARG X=arg
ENV X=env
RUN echo $X > /x
D
new_case label <<'D'
FROM bb:1
LABEL a=b "c d"="e f"
LABEL g h i
D
new_case expose <<'D'
FROM bb:1
EXPOSE 80 443/tcp 53/udp 8000-8002
D
new_case volume-json <<'D'
FROM bb:1
VOLUME ["/data", "/logs"]
D
new_case volume-words <<'D'
FROM bb:1
VOLUME /a /b
D
new_case user <<'D'
FROM bb:1
USER 1000:1000
D
new_case workdir-relative <<'D'
FROM bb:1
WORKDIR /a
WORKDIR b
WORKDIR ../c
RUN pwd > /pwd
D
new_case workdir-env <<'D'
FROM bb:1
ENV D=/srv
WORKDIR $D/app
D
new_case cmd-exec <<'D'
FROM bb:1
CMD ["echo", "hi"]
D
new_case cmd-shell <<'D'
FROM bb:1
CMD echo hi
D
new_case entrypoint-drops-inherited-cmd <<'D'
FROM bb:1 AS base
CMD ["inherited"]
FROM base
ENTRYPOINT ["/bin/echo"]
D
new_case entrypoint-then-cmd <<'D'
FROM bb:1
ENTRYPOINT ["/bin/echo"]
CMD ["hello"]
D
new_case shell <<'D'
FROM bb:1
SHELL ["/bin/sh", "-ec"]
RUN echo x > /s
CMD echo y
D
new_case stopsignal <<'D'
FROM bb:1
STOPSIGNAL SIGUSR1
D
new_case healthcheck <<'D'
FROM bb:1
HEALTHCHECK --interval=5s --timeout=3s --retries=2 CMD wget -q -O- localhost || exit 1
D
new_case healthcheck-none <<'D'
FROM bb:1
HEALTHCHECK NONE
D
new_case healthcheck-exec <<'D'
FROM bb:1
HEALTHCHECK --start-period=1m CMD ["true"]
D
new_case onbuild <<'D'
FROM bb:1
ONBUILD RUN echo hi > /onbuild
ONBUILD ENV TRIGGERED=1
D
new_case onbuild-triggers <<'D'
FROM bb:1 AS parent
ONBUILD RUN touch /triggered
FROM parent
RUN ls /triggered
D
new_case run-files <<'D'
FROM bb:1
RUN echo hello > /h && mkdir -p /d/e && ln -s /h /d/link && echo x > /a && ln /a /b
D
new_case run-exec-form <<'D'
FROM bb:1
RUN ["/bin/sh", "-c", "echo exec > /e"]
D
new_case run-deletes-base-file <<'D'
FROM bb:1
RUN rm /bin/ls /etc/group
D
new_case run-replaces-directory <<'D'
FROM bb:1
RUN mkdir -p /o/sub && touch /o/a /o/sub/b
RUN rm -rf /o && mkdir /o && touch /o/c
D
new_case run-modes-owners <<'D'
FROM bb:1
RUN touch /f && chmod 4755 /f && chown 12:34 /f && mkdir /g && chmod 1770 /g
D
new_case copy-file <<'D'
FROM bb:1
COPY f.txt /f.txt
D
new_case copy-into-dir <<'D'
FROM bb:1
COPY f.txt /dir/
COPY f.txt /tmp
D
new_case copy-dir-contents <<'D'
FROM bb:1
COPY dir /dest
COPY dir/ /dest2/
D
new_case copy-wildcard <<'D'
FROM bb:1
COPY *.txt /w/
COPY d?r /q/
D
new_case copy-chown <<'D'
FROM bb:1
COPY --chown=1:2 f.txt /c.txt
COPY --chown=user dir /owned
COPY --chown=user:staff f.txt /named.txt
D
new_case copy-relative-to-workdir <<'D'
FROM bb:1
WORKDIR /app
COPY f.txt .
COPY dir sub/
D
new_case copy-dockerignore <<'D'
FROM bb:1
COPY . /ctx
D
new_case copy-modes <<'D'
FROM bb:1
COPY exec.sh /exec.sh
COPY secret /secret
D
new_case copy-env-in-dest <<'D'
FROM bb:1
ENV D=/dd
COPY f.txt $D/
D
new_case add-archives <<'D'
FROM bb:1
ADD arch.tar /x/
ADD arch.tar.gz /y/
ADD f.txt /z/
D
new_case add-url <<D
FROM bb:1
ADD http://127.0.0.1:$HTTP_PORT/remote.txt /downloads/
ADD http://127.0.0.1:$HTTP_PORT/remote.txt /renamed.txt
D
new_case multistage <<'D'
FROM bb:1 AS build
RUN echo built > /artifact && chmod 700 /artifact
FROM scratch
COPY --from=build /artifact /artifact
D
new_case multistage-index <<'D'
FROM bb:1
RUN echo zero > /zero
FROM bb:1
COPY --from=0 /zero /copied
D
new_case multistage-target --target=build <<'D'
FROM bb:1 AS build
ENV STAGE=build
FROM bb:1 AS final
ENV STAGE=final
D
new_case copy-from-image <<'D'
FROM scratch
COPY --from=bb:1 /bin/busybox /bb
D
new_case escape-directive <<'D'
# escape=`
FROM bb:1
RUN echo a `
    b > /lc
ENV P=C:\path
D
new_case continuation-comments <<'D'
FROM bb:1
RUN echo one \
# a comment inside
    two > /c
D
new_case maintainer-and-scratch <<'D'
FROM scratch
MAINTAINER someone <a@b.c>
COPY f.txt /
D
new_case copy-chown-variables <<'D'
FROM bb:1
ARG OWNER=user
ENV GRP=staff
COPY --chown=${OWNER}:${GRP} f.txt /f1
COPY --chown=$OWNER dir /d
D
new_case workdir-under-user <<'D'
FROM bb:1
USER user
WORKDIR /home/user/made/
WORKDIR deeper
USER 1000:50
WORKDIR /other
D
new_case run-user-groups <<'D'
FROM bb:1
RUN echo 'extra:x:60:user' >> /etc/group && echo 'other:x:1001:1001::/:/bin/sh' >> /etc/passwd
USER user
RUN id > /tmp/by-name
USER 1000:50
RUN id > /tmp/by-ids
USER 2000
RUN id > /tmp/unknown-uid
D
new_case copy-symlink-sources <<'D'
FROM bb:1
COPY link.txt /named/
COPY dirlink /linked-dir/
COPY l*.txt /globbed/
COPY dir /dir-with-inner-link/
D
mkdir -p "$CTX/dir" && ln -s f.txt "$CTX/link.txt" && ln -s dir "$CTX/dirlink" && ln -s ../f.txt "$CTX/dir/inner-link"
new_case copy-from-owners-and-links <<'D'
FROM bb:1 AS src
RUN mkdir -p /s/sub && echo s > /s/f && chown 1000:50 /s/f && chmod 711 /s/f && ln -s f /s/l && chown -h 1000:50 /s/sub
FROM bb:1
COPY --from=src /s /whole/
COPY --from=src /s/l /named-link/
COPY --from=src --chown=user /s /chowned/
D
new_case copy-setuid <<'D'
FROM bb:1 AS src
RUN echo s > /s && chmod 4711 /s
FROM bb:1
COPY --from=src --chown=user /s /from-stage
COPY suid.sh /from-context
D
printf '#!/bin/sh\n' >"$CTX/suid.sh" && chmod 4755 "$CTX/suid.sh"
new_case dockerignore-exceptions <<'D'
FROM bb:1
COPY ign /ign/
COPY keepdir /keepdir/
COPY . /all/
D
mkdir -p "$CTX/ign/deep" "$CTX/keepdir/inner"
echo i >"$CTX/ign/deep/i.txt" && echo j >"$CTX/ign/keep.txt"
echo x >"$CTX/keepdir/inner/x.txt" && echo k >"$CTX/keepdir/k.txt"
printf 'ign\n!ign/keep.txt\nkeepdir/**\n!keepdir/inner/x.txt\n*.log\n' >"$CTX/.dockerignore"
new_case add-local-archives <<'D'
FROM bb:1
ADD plain.txt.gz /gz-kept/
ADD packed.tgz /tgz/
ADD packed.tar /tar/
D
printf 'hello\n' >"$CTX/plain.txt" && gzip -n "$CTX/plain.txt"
mkdir -p "$CTX/p/in" && echo t >"$CTX/p/in/t.txt"
tar -C "$CTX/p" -czf "$CTX/packed.tgz" in && tar -C "$CTX/p" -cf "$CTX/packed.tar" in && rm -r "$CTX/p"

. "$(dirname "$0")/build_docker_cases.sh"

# Context files, the same for every case.
for c in "$CASES"/*/; do
  echo "file" >"$c/f.txt"
  echo "other" >"$c/g.txt"
  mkdir -p "$c/dir/sub" && echo deep >"$c/dir/sub/d.txt" && echo top >"$c/dir/t.txt"
  printf '#!/bin/sh\necho hi\n' >"$c/exec.sh" && chmod 750 "$c/exec.sh"
  echo s >"$c/secret" && chmod 600 "$c/secret"
  mkdir -p "$WORK/arch/in" && echo packed >"$WORK/arch/in/p.txt"
  tar -C "$WORK/arch" -cf "$c/arch.tar" in && tar -C "$WORK/arch" -czf "$c/arch.tar.gz" in
  echo "x.log" >"$c/x.log" && echo "keep" >"$c/keep.log"
  [ -e "$c/.dockerignore" ] || printf '*.log\n!keep.log\n' >"$c/.dockerignore"
done

config_of() {  # TOOL IMAGE: the compared config keys, "" and missing as null
  "$1" inspect -f '{{json .Config}}' "$2" | jq -S '{Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Volumes,
    Labels, StopSignal, Healthcheck, Shell, OnBuild} | with_entries(if .value == "" then .value = null else . end)'
}

# image_of TOOL IMAGE PREFIX: its compared config, flattened file system and
# history (each entry's line, comment and empty_layer, and the layer count)
# into $WORK/PREFIX.config, .files and .history.
image_of() {
  config_of "$1" "$2" >"$WORK/$3.config"
  "$1" save -o "$WORK/$3.tar" "$2"
  python3 "$(dirname "$0")/flatten_image.py" "$WORK/$3.tar" >"$WORK/$3.files"
  tar -xOf "$WORK/$3.tar" "$(tar -xOf "$WORK/$3.tar" manifest.json | jq -r '.[0].Config')" |
    jq '{layers: (.rootfs.diff_ids | length), history: [.history[] | {created_by, comment, empty_layer}]}' >"$WORK/$3.history"
}
same_image() { cmp -s "$WORK/$1.config" "$WORK/$2.config" && cmp -s "$WORK/$1.files" "$WORK/$2.files"; }

checked=0
disagreeing=0
for dir in "$CASES"/*/; do
  name=$(basename "$dir")
  mapfile -t flags < <(grep -v '^$' "$dir/.flags" || true)
  for builder in 0 1; do
    if ! DOCKER_BUILDKIT=$builder $DOCKER build --network host -q "${flags[@]}" -t "d$builder-$name" "$dir" \
      >"$WORK/docker.out" 2>&1; then
      cat "$WORK/docker.out" >&2
      fail "$name: docker build failed (DOCKER_BUILDKIT=$builder)"
    fi
    image_of $DOCKER "d$builder-$name" "d$builder"
  done
  if ! berth build -q "${flags[@]}" -t "b-$name" "$dir" >"$WORK/berth.out" 2>&1; then
    cat "$WORK/berth.out" >&2
    fail "$name: berth build failed"
  fi
  image_of berth "b-$name" b
  diff -u "$WORK/d1.config" "$WORK/b.config" >&2 || fail "$name: configs differ (BuildKit -, berth +)"
  diff -u "$WORK/d1.files" "$WORK/b.files" >&2 || fail "$name: file systems differ (BuildKit -, berth +)"
  diff -u "$WORK/d1.history" "$WORK/b.history" >&2 || fail "$name: histories differ (BuildKit -, berth +)"
  listed=no
  [[ " $(echo $BUILDERS_DISAGREE) " == *" $name "* ]] && listed=yes
  if same_image d0 d1; then
    [ $listed = no ] || fail "$name: listed in BUILDERS_DISAGREE, but Docker's builders agree"
  else
    [ $listed = yes ] || { diff -u "$WORK/d0.config" "$WORK/d1.config" >&2 || true
      diff -u "$WORK/d0.files" "$WORK/d1.files" >&2 || true
      fail "$name: Docker's builders disagree (classic -, BuildKit +) and the case is not in BUILDERS_DISAGREE"; }
    disagreeing=$((disagreeing + 1))
  fi
  checked=$((checked + 1))
  echo "ok: $name"
done
[ "$checked" -ge 90 ] || fail "only $checked Dockerfiles compared"

# Substitution forms Docker 20.10 refuses (later BuildKit added them): both
# builders and berth fail with the same message; with a "# syntax=" line
# (a newer frontend) berth takes those later BuildKit knows.
mkdir -p "$WORK/subst"
for form in '${X-def}' '${X+alt}' '${X#a}' '${X%c}' '${X/a/b}' '${#X}' '${X:1}'; do
  printf 'FROM bb:1\nENV X=abc\nENV Y=%s\n' "$form" >"$WORK/subst/Dockerfile"
  why="missing ':' in substitution"
  [ "$form" = '${X:1}' ] && why="unsupported modifier (1) in substitution"
  message="failed to process \"$form\": $why"
  for builder in 0 1; do
    DOCKER_BUILDKIT=$builder $DOCKER build -q "$WORK/subst" >"$WORK/subst.out" 2>&1 && fail "$form: Docker (DOCKER_BUILDKIT=$builder) took it"
    matches -F "$message" <"$WORK/subst.out" || { cat "$WORK/subst.out"; fail "$form: Docker's message changed"; }
  done
  expect_failure "$form" berth build -q "$WORK/subst"
  assert_eq "$(cat "$WORK/stderr")" "Error: $message" "$form: berth's message"
  { echo '# syntax=docker/dockerfile:1'; cat "$WORK/subst/Dockerfile"; } >"$WORK/subst/Dockerfile.newer"
  [ "$form" = '${X:1}' ] || [ "$form" = '${#X}' ] || berth build -q -f "$WORK/subst/Dockerfile.newer" "$WORK/subst" >/dev/null ||
    fail "$form: refused with a syntax directive"
done
pass "substitution forms Docker 20.10 refuses: refused with its message (taken with # syntax=)"
pass "build: $checked Dockerfiles give BuildKit's configs, file systems and histories ($disagreeing where the classic builder differs, as listed)"
