#!/bin/bash
# Registries that want credentials: htpasswd Basic auth, and Bearer tokens
# from a token server (token_server.py) with per-repository scopes. login
# checks the password and keeps it in Docker's config.json (0600); push and
# pull then work; a wrong password is a clear error; the password never
# shows in any output.
. "$(dirname "$0")/lib.sh"
make_fixtures
export DOCKER_CONFIG=$WORK/docker-config
PASSWORD='s3cret-Pa55word'
OUT=$WORK/all-output  # everything berth prints, searched for the password at the end
b() { "$BERTH" "$@" 2>&1 | tee -a "$OUT"; return "${PIPESTATUS[0]}"; }
export BERTH_ROOT=$WORK/src
berth load -q -i "$FX/layered.tar" >/dev/null
id=$(berth inspect -f '{{.Id}}' layered:1.0)

# --- Basic auth (htpasswd) ---
htpasswd -Bbn tester "$PASSWORD" >"$WORK/htpasswd"
start_registry "auth:
  htpasswd:
    realm: berth-test
    path: $WORK/htpasswd"
R=$REGISTRY
berth tag layered:1.0 "$R/app:1.0"
expect_failure "push without login" berth push "$R/app:1.0"
grep -q "unauthorized" "$WORK/stderr" || fail "push without login: says unauthorized"
cat "$WORK/stderr" >>"$OUT"
echo wrong | expect_failure "login with a wrong password" berth login -u tester --password-stdin "$R"
grep -q "incorrect username or password" "$WORK/stderr" || fail "wrong password: says so"
cat "$WORK/stderr" >>"$OUT"
echo "$PASSWORD" | b login -u tester --password-stdin "$R" | matches -x "Login Succeeded" || fail "login"
assert_eq "$(stat -c %a "$DOCKER_CONFIG/config.json")" 600 "config.json mode"
assert_eq "$(jq -r --arg r "$R" '.auths[$r].auth' "$DOCKER_CONFIG/config.json" | base64 -d)" "tester:$PASSWORD" "stored credentials"
b push "$R/app:1.0" >/dev/null || fail "push with Basic auth"
BERTH_ROOT=$WORK/basic-pull b pull -q "$R/app:1.0" >/dev/null || fail "pull with Basic auth"
assert_eq "$(BERTH_ROOT=$WORK/basic-pull berth inspect -f '{{.Id}}' "$R/app:1.0")" "$id" "ID pulled with Basic auth"
b logout "$R" | matches -x "Removing login credentials for $R" || fail "logout"
assert_eq "$(jq -r --arg r "$R" '.auths[$r]' "$DOCKER_CONFIG/config.json")" "null" "credentials after logout"
expect_failure "pull after logout" berth pull -q "$R/app:1.0"
cat "$WORK/stderr" >>"$OUT"
pass "Basic auth: login, push, pull, logout"

# docker login through berth's socket (POST /auth), then a push with the
# credentials the docker CLI keeps and sends (X-Registry-Auth).
start_api_service
dk() { DOCKER_HOST="unix://$API_SOCK" DOCKER_CONFIG=$WORK/docker-cli-config $DOCKER "$@"; }
rc=0; echo wrong | dk login -u tester --password-stdin "$R" >"$WORK/out" 2>&1 || rc=$?
assert_eq "$rc" 1 "docker login with a wrong password through the socket"
grep -q "incorrect username or password" "$WORK/out" || fail "docker login, wrong password: $(cat "$WORK/out")"
echo "$PASSWORD" | dk login -u tester --password-stdin "$R" 2>&1 | tee -a "$OUT" | matches -x "Login Succeeded" ||
  fail "docker login through the socket"
berth tag layered:1.0 "$R/app:via-api"
dk push "$R/app:via-api" >/dev/null || fail "docker push with the credentials docker login kept"
curl -sf -u "tester:$PASSWORD" "http://$R/v2/app/tags/list" | matches via-api || fail "the tag docker pushed through berth"
# docker build FROM a base only the registry has: the CLI sends every login it
# keeps (X-Registry-Config) and the build pulls the base with the right one.
berth rmi "$R/app:via-api" >/dev/null
mkdir -p "$WORK/private-ctx"
printf 'FROM %s\nLABEL from=private\n' "$R/app:via-api" >"$WORK/private-ctx/Dockerfile"
rc=0; DOCKER_HOST="unix://$API_SOCK" DOCKER_CONFIG=$WORK/no-logins $DOCKER build -q "$WORK/private-ctx" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "docker build FROM a private base without a login succeeded"
grep -q "unauthorized" "$WORK/out" || fail "docker build without a login: $(cat "$WORK/out")"
dk build -q -t from-private:1 "$WORK/private-ctx" >"$WORK/out" 2>&1 || fail "docker build FROM a private base: $(cat "$WORK/out")"
assert_eq "$(berth inspect -f '{{.Config.Labels.from}} {{index .RepoTags 0}}' from-private:1)" "private from-private:1" \
  "the image built on the private base"
cat "$WORK/out" "$WORK/service.err" >>"$OUT"
pass "docker login through the socket (/auth), then docker push and a build FROM the private image"

# --- Bearer tokens from a token server ---
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/token.key" -out "$WORK/token.crt" \
  -subj /CN=berth-test-token -days 1 2>/dev/null
TPORT=$(free_port)
python3 "$BERTH_SOURCE_DIR/tests/integration/token_server.py" --port "$TPORT" --key "$WORK/token.key" \
  --cert "$WORK/token.crt" --issuer berth-test --user tester --password "$PASSWORD" --log "$WORK/scopes" &
BACKGROUND_PIDS="${BACKGROUND_PIDS:-} $!"
wait_for_http "http://127.0.0.1:$TPORT/token"
start_registry "auth:
  token:
    realm: http://127.0.0.1:$TPORT/token
    service: berth-test-registry
    issuer: berth-test
    rootcertbundle: $WORK/token.crt"
T=$REGISTRY
berth tag layered:1.0 "$T/team/app:1.0"
expect_failure "anonymous push to a token registry" berth push "$T/team/app:1.0"
cat "$WORK/stderr" >>"$OUT"
echo wrong | expect_failure "token login with a wrong password" berth login -u tester --password-stdin "$T"
grep -q "incorrect username or password" "$WORK/stderr" || fail "token login, wrong password: says so"
echo "$PASSWORD" | b login -u tester --password-stdin "$T" | matches -x "Login Succeeded" || fail "token login"
b push "$T/team/app:1.0" >/dev/null || fail "push with a token"
grep -qx "tester repository:team/app:pull,push" "$WORK/scopes" || { cat "$WORK/scopes"; fail "push asked for its repository's scope"; }
export BERTH_ROOT=$WORK/token-pull
b pull -q "$T/team/app:1.0" >/dev/null || fail "pull with a token"
assert_eq "$(berth inspect -f '{{.Id}}' "$T/team/app:1.0")" "$id" "ID pulled with a token"
b tag "$T/team/app:1.0" "$T/team/other:1.0" >/dev/null
b push "$T/team/other:1.0" | grep -c ': Mounted from team/app$' | matches -x 3 || fail "mount across repositories with a token"
grep -qx "tester repository:team/app:pull" "$WORK/scopes" || fail "mount asked for pull on the source repository"
pass "Bearer tokens: login, push, pull, mount with scoped tokens"

if grep -rqF "$PASSWORD" "$OUT" "$REGISTRY_DIR/log" "$BERTH_ROOT"; then fail "the password appears in output, log or store"; fi
pass "the password never appears in berth's output, the registry log or the store"
