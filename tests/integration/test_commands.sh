# The everyday commands behave as docker's do: tag, rmi (untag versus delete,
# shared layers kept), images (columns, filters, formats), history, import
# with --change, image prune, system df.
source "$BERTH_SOURCE_DIR/tests/integration/lib.sh"
make_fixtures

berth load -q -i "$FX/shared-a.tar"
berth load -q -i "$FX/shared-b.tar"
id_a=$(berth inspect -f '{{.Id}}' shared:a)

# images: header and columns exactly as docker prints them.
berth images >"$WORK/images"
head -1 "$WORK/images" | matches -x 'REPOSITORY   TAG       IMAGE ID       CREATED       SIZE' || { cat "$WORK/images"; fail "images header"; }
grep -Eq "^shared +a +${id_a:7:12} +[0-9]+ (years|months) ago +8\.39MB$" "$WORK/images" || { cat "$WORK/images"; fail "images row"; }
assert_eq "$(berth images -q | wc -l)" "2" "images -q"
assert_eq "$(berth images --no-trunc -q --filter reference=shared:a)" "$id_a" "reference filter"
assert_eq "$(berth images --format '{{.Repository}}:{{.Tag}}' shared | sort | tr '\n' ' ')" "shared:a shared:b " "format"
berth images --format '{{json .}}' | first_line | jq -e '.Repository == "shared" and .Digest == "<none>"' >/dev/null || fail "json format"
berth images --format 'table {{.Repository}}\t{{.Size}}' | first_line | matches -x 'REPOSITORY   SIZE' || fail "table format"
berth images --digests | first_line | matches 'DIGEST' || fail "--digests column"
pass "images columns, filters and formats"

# tag adds a name; rmi of one of two names only untags.
assert_eq "$(berth inspect -f '{{.Metadata.LastTagTime}}' shared:a)" "0001-01-01T00:00:00Z" "LastTagTime of a loaded image"
berth tag shared:a registry.local:5000/team/app:v1
berth inspect -f '{{.Metadata.LastTagTime}}' shared:a | matches "^$(date -u +%Y-%m-%d)T" || fail "LastTagTime after tag"
assert_eq "$(berth inspect -f '{{json .RepoTags}}' shared:a)" '["shared:a","registry.local:5000/team/app:v1"]' "RepoTags after tag"
berth rmi registry.local:5000/team/app:v1 >"$WORK/out"
assert_eq "$(cat "$WORK/out")" "Untagged: registry.local:5000/team/app:v1" "rmi of one of two names"
berth inspect shared:a >/dev/null || fail "image gone after untag"

# rmi by ID of an image with two names needs -f.
berth tag shared:a shared:a2
if berth rmi "${id_a:7:12}" 2>"$WORK/err"; then fail "rmi by ID with two names should need -f"; fi
grep -q "must be forced" "$WORK/err" || fail "rmi conflict message"
berth rmi shared:a2 >/dev/null

# rmi of the last name deletes the image and only its own layers.
layers_before=$(ls "$BERTH_ROOT/overlay2" | grep -vc '^l$')
berth rmi shared:a >"$WORK/out"
grep -qx "Untagged: shared:a" "$WORK/out" || fail "rmi untag line"
grep -qx "Deleted: $id_a" "$WORK/out" || fail "rmi deleted line"
assert_eq "$(grep -c '^Deleted: ' "$WORK/out")" "2" "image + its one unique layer deleted"
assert_eq "$(ls "$BERTH_ROOT/overlay2" | grep -vc '^l$')" "$((layers_before - 1))" "shared layers kept"
berth save shared:b | tar -t >/dev/null || fail "the other image still saves"
berth system check >/dev/null || fail "store consistent after rmi"
pass "tag and rmi: untag versus delete, shared layers kept"

# save -o onto a device or a pipe writes into it; it never replaces it with a file.
mknod "$WORK/null" c 1 3
berth save -o "$WORK/null" shared:b || fail "save -o a device"
[ -c "$WORK/null" ] || fail "save -o replaced the device with a file"
mkfifo "$WORK/fifo"
tar -t <"$WORK/fifo" >"$WORK/fifo.list" &
berth save -o "$WORK/fifo" shared:b || fail "save -o a FIFO"
wait $! || fail "tar read what save wrote into the FIFO"
[ -p "$WORK/fifo" ] && grep -q manifest.json "$WORK/fifo.list" || fail "save -o a FIFO: the archive went through it"
mkdir "$WORK/adir"
expect_failure "save -o a directory" berth save -o "$WORK/adir" shared:b
pass "save -o a device or FIFO writes into it"

# history: -H=false gives raw sizes and RFC 3339 times; --no-trunc the full ID.
berth history -H=false --format '{{.CreatedSince}} {{.Size}}' shared:b | first_line | matches -E '^2024-01-01T00:00:00Z [0-9]+$' || fail "history -H=false"
assert_eq "$(berth history -q --no-trunc shared:b | first_line)" "$(berth inspect -f '{{.Id}}' shared:b)" "history -q --no-trunc"
assert_eq "$(berth history -q shared:b | tail -1)" "<missing>" "history missing IDs"
pass "history"

# import with --change, message and platform; from a file and from stdin.
iid=$(berth import -c 'CMD ["/bin/tool","-x"]' -c 'ENV A=1 B=2' -c 'EXPOSE 8080' -c 'WORKDIR /srv' \
  -m "from the test" --platform linux/arm64/v8 "$FX/layer1.tar" imported:1)
[[ "$iid" == sha256:* ]] || fail "import prints the ID"
assert_eq "$(berth inspect -f '{{json .Config.Cmd}}' imported:1)" '["/bin/tool","-x"]' "import CMD"
assert_eq "$(berth inspect -f '{{json .Config.Env}}' imported:1)" '["A=1","B=2"]' "import ENV"
assert_eq "$(berth inspect -f '{{.Config.WorkingDir}} {{.Comment}} {{.Architecture}} {{.Variant}}' imported:1)" \
  "/srv from the test arm64 v8" "import fields"
assert_eq "$(berth inspect -f '{{index .RootFS.Layers 0}}' imported:1)" "sha256:$(sha256sum <"$FX/layer1.tar" | cut -d' ' -f1)" "import diff ID"
gzip -c "$FX/layer3.tar" | berth import - imported:gz >/dev/null
# Labels filter images; inspect escapes <, > and & as Go's encoder does.
berth import -c 'LABEL tier=<web>&co' "$FX/layer3.tar" labelled:1 >/dev/null
assert_eq "$(berth images --filter 'label=tier=<web>&co' --format '{{.Repository}}:{{.Tag}}')" "labelled:1" "label filter"
assert_eq "$(berth images --filter label=tier --format '{{.Repository}}')" "labelled" "label-key filter"
berth inspect labelled:1 | matches -F '"tier": "\u003cweb\u003e\u0026co"' || fail "inspect does not escape like Go"
# before/since compare configs' created times: the 2024 fixtures are before the imports.
berth images --filter since=shared:b --format '{{.Repository}}' | matches -x labelled || fail "since filter"
berth images --filter before=labelled:1 --format '{{.Repository}}' | matches -x shared || fail "before filter"
if berth images --filter before=labelled:1 --format '{{.Repository}}' | matches -x labelled; then fail "before filter kept the image itself"; fi
berth rmi labelled:1 >/dev/null
assert_eq "$(berth history --format '{{.Comment}}' imported:gz)" "Imported from -" "import comment"
pass "import"

# prune: dangling images go, tagged ones stay (and -a takes them too).
berth load -q -i "$FX/layered.tar"
berth tag layered:1.0 layered:keep
berth rmi layered:1.0 >/dev/null
berth import "$FX/layer2.tar" >/dev/null  # untagged: dangling
assert_eq "$(berth images -q --filter dangling=true | wc -l)" "1" "one dangling image"
berth image prune -f >"$WORK/out"
grep -q '^Total reclaimed space: ' "$WORK/out" || fail "prune output"
assert_eq "$(berth images -q --filter dangling=true | wc -l)" "0" "dangling images pruned"
berth inspect layered:keep >/dev/null || fail "prune took a tagged image"
berth system df | sed -n 2p | matches -E '^Images +4 +0 ' || { berth system df; fail "system df"; }
berth image prune -a -f >/dev/null
assert_eq "$(berth images -q | wc -l)" "0" "prune -a"
assert_eq "$(ls "$BERTH_ROOT/overlay2" | grep -vc '^l$')" "0" "no layers left"
assert_eq "$(ls "$BERTH_ROOT/blobs/sha256" | wc -l)" "0" "no blobs left"
pass "image prune and system df"
