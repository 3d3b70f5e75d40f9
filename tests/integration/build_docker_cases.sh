# More cases for test_build_docker.sh (sourced by it, after new_case): the
# details where berth differed from Docker's builders — WORKDIR as written,
# USER and the groups of RUN steps, flags expanding ARG and ENV, symlinks,
# modes through COPY --from, ADD's archives (bzip2, xz, members named with
# ".." or "/"), .dockerignore's matcher, variable substitution forms, and
# BuildKit's history lines. Each case: a Dockerfile on stdin, context files
# made by the commands after it in $CTX.
new_case workdir-as-written <<'D'
FROM bb:1
WORKDIR /app/
RUN pwd > /here
D
new_case workdir-unclean <<'D'
FROM bb:1
WORKDIR /a/./b/../c//
RUN pwd > /pwd
WORKDIR rel/
D
new_case workdir-existing <<'D'
FROM bb:1
WORKDIR /tmp
WORKDIR /etc
RUN true
D
new_case workdir-from-arg <<'D'
FROM bb:1
ARG DIR=/opt/app
WORKDIR $DIR/sub
COPY f.txt .
D
new_case user-name-run <<'D'
FROM bb:1
USER user
RUN id > /tmp/id-user
D
new_case user-uid-run <<'D'
FROM bb:1
USER 1000
RUN id > /tmp/id-uid
D
new_case user-uid-gid-run <<'D'
FROM bb:1
USER 1000:1000
RUN id > /tmp/id-uidgid
D
new_case user-name-group-run <<'D'
FROM bb:1
USER user:staff
RUN id > /tmp/id-namegroup
D
new_case user-unknown-id-run <<'D'
FROM bb:1
USER 4242
RUN id > /tmp/id-unknown
D
new_case copy-chown-env <<'D'
FROM bb:1
ENV OWNER=user
COPY --chown=${OWNER}:${OWNER} f.txt /owned
COPY --chown=$OWNER dir /owned-dir/
D
new_case copy-chown-numeric <<'D'
FROM bb:1
COPY --chown=4242:4343 f.txt /numeric
COPY --chown=1000 g.txt /uid-only
D
new_case copy-from-modes <<'D'
FROM bb:1 AS src
RUN mkdir -p /s/sticky /s/sgid && chmod 1777 /s/sticky && chmod 2775 /s/sgid && echo x > /s/sgid/f && chmod 2755 /s/sgid/f && echo y > /s/exe && chmod 4755 /s/exe
FROM bb:1
COPY --from=src /s /kept/
D
new_case copy-from-glob <<'D'
FROM bb:1 AS src
RUN mkdir -p /s && echo a > /s/a.txt && echo b > /s/b.txt && echo c > /s/c.dat
FROM bb:1
COPY --from=src /s/*.txt /globbed/
D
new_case copy-glob-dirs <<'D'
FROM bb:1
COPY di* /dirs/
COPY dir/s* /sub-glob/
D
new_case copy-dot-context <<'D'
FROM bb:1
WORKDIR /w
COPY . .
D
new_case copy-to-existing-file <<'D'
FROM bb:1
COPY f.txt /etc/passwd-copy
COPY g.txt /etc/passwd-copy
D
new_case copy-dir-into-existing <<'D'
FROM bb:1
RUN mkdir -p /target/old && echo o > /target/old/o.txt
COPY dir /target/
D
new_case copy-symlink-to-dir-dest <<'D'
FROM bb:1
RUN mkdir /real && ln -s /real /linkdir
COPY f.txt /linkdir/
D
new_case copy-dangling-in-dir <<'D'
FROM bb:1
COPY links /links/
D
mkdir -p "$CTX/links" && ln -s nowhere "$CTX/links/dangling" && ln -s /etc/passwd "$CTX/links/absolute"
new_case add-xz-bz2 <<'D'
FROM bb:1
ADD packed.tar.xz /xz/
ADD packed.tar.bz2 /bz2/
D
mkdir -p "$CTX/p/in" && echo t >"$CTX/p/in/t.txt"
tar -C "$CTX/p" -cJf "$CTX/packed.tar.xz" in && tar -C "$CTX/p" -cjf "$CTX/packed.tar.bz2" in && rm -r "$CTX/p"
new_case add-dotdot-members <<'D'
FROM bb:1
ADD evil.tar /inside/
D
python3 - "$CTX/evil.tar" <<'P'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name in ["../up.txt", "/abs.txt", "ok/../fine.txt", "a/b.txt"]:
        data = name.encode()
        info = tarfile.TarInfo(name); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
P
new_case add-renamed-archive <<'D'
FROM bb:1
ADD arch.tar /as-file.tar
ADD f.txt /dest-file
D
new_case dockerignore-doublestar <<'D'
FROM bb:1
COPY . /all/
D
mkdir -p "$CTX/a/b/c" "$CTX/x" && echo 1 >"$CTX/a/b/c/n.tmp" && echo 2 >"$CTX/a/k.tmp" && echo 3 >"$CTX/x/keep.tmp" && echo 4 >"$CTX/top.tmp"
printf '**/*.tmp\n!x/keep.tmp\n' >"$CTX/.dockerignore"
new_case dockerignore-leading-slash-dot <<'D'
FROM bb:1
COPY . /all/
D
mkdir -p "$CTX/sub" && echo 1 >"$CTX/sub/one" && echo 2 >"$CTX/two" && echo 3 >"$CTX/three"
printf '/sub/one\n./two\n  three  \n' >"$CTX/.dockerignore"
new_case dockerignore-char-class <<'D'
FROM bb:1
COPY . /all/
D
echo 1 >"$CTX/file1" && echo 2 >"$CTX/file2" && echo a >"$CTX/filea" && echo q >"$CTX/f?q"
printf 'file[0-9]\nf\\?q\n' >"$CTX/.dockerignore"
new_case dockerignore-lists-dockerfile <<'D'
FROM bb:1
COPY . /all/
D
printf 'Dockerfile\n.dockerignore\n*.log\n' >"$CTX/.dockerignore"
new_case dockerignore-dir-doublestar-exception <<'D'
FROM bb:1
COPY . /all/
D
mkdir -p "$CTX/dir2/in" && echo 1 >"$CTX/dir2/in/a" && echo 2 >"$CTX/dir2/b"
printf 'dir2\n!dir2/**\n' >"$CTX/.dockerignore"
new_case subst-colon-forms <<'D'
FROM bb:1
ENV SET=val EMPTY=
ENV A=${SET:-d} B=${EMPTY:-d} C=${UNSET:-d} D=${SET:+alt} E=${EMPTY:+alt} F=${UNSET:+alt}
D
new_case subst-escapes-quotes <<'D'
FROM bb:1
ENV V=x
ENV A=\$V B='$V' C="$V" D="${V}y" E=a\ b F="q\"q"
D
new_case subst-in-label-expose-volume <<'D'
FROM bb:1
ARG PORT=8080 NAME=svc
LABEL name=$NAME "port"="${PORT}"
EXPOSE $PORT ${PORT}/udp
VOLUME /data/$NAME
STOPSIGNAL SIG${NAME:+TERM}
D
new_case arg-env-history <<'D'
FROM bb:1
ARG B=2
ARG A=1
ENV A=over
RUN echo "$A $B" > /ab
ARG B
RUN echo again > /again
D
new_case env-multi-and-legacy <<'D'
FROM bb:1
ENV ONE 1 and more
ENV TWO=2 THREE="3 3" \
    FOUR=4
D
new_case cmd-entrypoint-shell-forms <<'D'
FROM bb:1
SHELL ["/bin/sh", "-ec"]
ENTRYPOINT echo entry
CMD echo cmd
D
new_case healthcheck-options <<'D'
FROM bb:1
HEALTHCHECK --interval=90s --timeout=1500ms --start-period=1m --retries=65 CMD wget -q localhost || exit 1
D
new_case multistage-chain <<'D'
FROM bb:1 AS one
ENV STAGE=one
RUN echo one > /one
FROM one AS two
RUN echo two > /two
FROM two
ARG X=final
RUN echo $X > /final
D
new_case copy-from-stage-by-index-and-image <<'D'
FROM bb:1
RUN echo zero > /zero
FROM bb:1
COPY --from=0 /zero /from-index
COPY --from=bb:1 /etc/group /from-image-group
D
new_case run-heavy-tree <<'D'
FROM bb:1
RUN mkdir -p /t && for i in 1 2 3 4 5 6 7 8 9 10; do mkdir /t/$i && for j in a b c; do echo $i$j > /t/$i/$j; done; done
RUN rm -r /t/5 && chmod 700 /t/6 && ln -s ../1/a /t/2/link && ln /t/3/a /t/3/hard
D
new_case run-whiteout-opaque <<'D'
FROM bb:1
RUN mkdir -p /o/x && echo 1 > /o/x/1 && echo 2 > /o/keep
RUN rm -rf /o && mkdir /o && echo new > /o/new
D
