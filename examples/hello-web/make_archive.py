#!/usr/bin/env python3
"""Writes the bundled example image, hello-web:1.0, as a `docker save` archive.

Two layers, as a Dockerfile would make them:
    FROM scratch
    COPY busybox /bin/            # Debian's busybox-static, plus applet links
    COPY index.html /www/
    CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
Made from the host's /bin/busybox so no registry is needed. Deterministic:
the same busybox gives the same image ID.
Usage: make_archive.py OUTPUT.tar
"""
import hashlib
import io
import json
import os
import sys
import tarfile

CREATED = "2026-01-01T00:00:00Z"
MTIME = 1767225600
APPLETS = ["sh", "ls", "cat", "echo", "httpd", "wget", "ps", "mkdir", "rm"]


def tar_layer(add):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        add(t)
    return buf.getvalue()


def entry(t, name, data=None, mode=0o644, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.mtime, info.mode, info.type, info.linkname = MTIME, mode, kind, link
    if data is not None:
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    else:
        t.addfile(info)


def busybox_layer(t):
    entry(t, "bin", mode=0o755, kind=tarfile.DIRTYPE)
    with open("/bin/busybox", "rb") as f:
        entry(t, "bin/busybox", f.read(), mode=0o755)
    for applet in APPLETS:
        entry(t, "bin/" + applet, kind=tarfile.SYMTYPE, link="busybox", mode=0o777)


def www_layer(t):
    entry(t, "www", mode=0o755, kind=tarfile.DIRTYPE)
    entry(t, "www/index.html", b"<h1>Hello from a berth image</h1>\n")


def main(out):
    layers = [tar_layer(busybox_layer), tar_layer(www_layer)]
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "created": CREATED,
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["httpd", "-f", "-p", "80", "-h", "/www"],
            "ExposedPorts": {"80/tcp": {}},
            "WorkingDir": "/www",
        },
        "history": [
            {"created": CREATED, "created_by": "COPY busybox /bin/ # buildkit", "comment": "buildkit.dockerfile.v0"},
            {"created": CREATED, "created_by": "COPY index.html /www/ # buildkit", "comment": "buildkit.dockerfile.v0"},
            {"created": CREATED, "created_by": 'CMD ["httpd" "-f" "-p" "80" "-h" "/www"]',
             "comment": "buildkit.dockerfile.v0", "empty_layer": True},
        ],
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }, separators=(",", ":")).encode()
    members = {"blobs/sha256/" + d[7:]: l for d, l in zip(diff_ids, layers)}
    config_name = "blobs/sha256/" + hashlib.sha256(config).hexdigest()
    members[config_name] = config
    members["manifest.json"] = json.dumps([{
        "Config": config_name, "RepoTags": ["hello-web:1.0"],
        "Layers": ["blobs/sha256/" + d[7:] for d in diff_ids]}]).encode()
    with tarfile.open(out, "w") as t:
        for name, data in members.items():
            entry(t, name, data)


if __name__ == "__main__":
    main(sys.argv[1])
