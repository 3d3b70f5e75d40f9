#!/bin/bash
# docker-py (Debian's python3-docker) against `berth system service` (issue
# #12, "Must show" 3): containers.run detached and not, logs, exec_run,
# images.build (the ID parsed from the stream), images.pull from a loopback
# registry, networks.create, volumes.create, containers.list(filters=…).
. "$(dirname "$0")/lib.sh"

import_busybox_image box:1
start_registry
berth tag box:1 "$REGISTRY/box:1"
berth push "$REGISTRY/box:1" >/dev/null
berth rmi "$REGISTRY/box:1" >/dev/null
mkdir -p "$WORK/ctx"
printf 'FROM box:1\nRUN echo from-build > /www/built\nLABEL made=by-py\n' >"$WORK/ctx/Dockerfile"

start_api_service
sock=$API_SOCK service_pid=$SERVICE_PID

/usr/bin/python3 - "$sock" "$REGISTRY" "$WORK/ctx" >"$WORK/py.out" 2>&1 <<'PY' || fail "docker-py: $(cat "$WORK/py.out")"
import sys
import docker

sock, registry, ctx = sys.argv[1:4]
client = docker.DockerClient(base_url="unix://" + sock)
assert client.ping()

out = client.containers.run("box:1", ["sh", "-c", "echo attached; echo err >&2"], remove=True)
assert out == b"attached\n", out
try:
    client.containers.run("box:1", ["sh", "-c", "exit 3"], remove=True)
    raise AssertionError("a failing container raised nothing")
except docker.errors.ContainerError as e:
    assert e.exit_status == 3, e.exit_status

c = client.containers.run("box:1", ["sh", "-c", "echo up; sleep 60"], detach=True, name="pyc",
                          labels={"suite": "py", "role": "worker"})
c.reload()
assert c.status == "running", c.status
for _ in range(50):
    if c.logs() == b"up\n":
        break
    import time; time.sleep(0.1)
assert c.logs() == b"up\n", c.logs()
code, output = c.exec_run(["sh", "-c", "echo in-exec; exit 4"])
assert (code, output) == (4, b"in-exec\n"), (code, output)
listed = client.containers.list(filters={"label": ["suite=py", "role=worker"]})
assert [x.name for x in listed] == ["pyc"], listed
assert client.containers.list(filters={"label": ["suite=py", "role=other"]}) == []
assert [x.name for x in client.containers.list(all=True, filters={"name": "pyc", "status": "running"})] == ["pyc"]

image, logs = client.images.build(path=ctx, tag="pybuilt:1")
assert image.tags == ["pybuilt:1"], image.tags
assert image.labels.get("made") == "by-py", image.labels
assert any("Successfully built" in chunk.get("stream", "") for chunk in logs)

pulled = client.images.pull(registry + "/box", tag="1")
assert registry + "/box:1" in pulled.tags, pulled.tags

net = client.networks.create("pynet", labels={"suite": "py"})
assert client.networks.get("pynet").attrs["Labels"] == {"suite": "py"}
vol = client.volumes.create("pyvol", labels={"suite": "py"})
assert client.volumes.get("pyvol").attrs["Labels"] == {"suite": "py"}

c.kill()
assert c.wait()["StatusCode"] == 137
c.remove()
net.remove()
vol.remove()
print("docker-py ok", image.id)
PY
image=$(awk '/^docker-py ok/ {print $3}' "$WORK/py.out")
assert_eq "$image" "$(berth inspect -f '{{.Id}}' pybuilt:1)" "the build's ID as docker-py parsed it"
assert_eq "$(berth ps -aq)" "" "no container left"
assert_eq "$(berth volume ls -q)" "" "no volume left"
pass "docker-py: run, logs, exec_run, list with filters, build, pull, networks, volumes"

kill "$service_pid"; wait "$service_pid" 2>/dev/null || true
