#!/usr/bin/env python3
"""Builds image archives for the integration tests, good and hostile.

Each archive is made from scratch with Python's tarfile, so the tests need no
registry and no Docker Hub. `python3 fixtures.py OUTDIR` writes:

  layered.tar        3 layers: base files; a whiteout + an opaque directory; more files
  layered-a.tar /
  layered-b.tar      two images that share their first two layers (concurrency)
  bad-*.tar          hostile or broken archives, one defect each
and `flatten.py`-style expectations are computed by flatten() below.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

MTIME = 1700000000


def tar_bytes(entries):
    """entries: list of (name, kind, payload, extra) -> uncompressed tar bytes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, payload, extra in entries:
            info = tarfile.TarInfo(name)
            info.mtime = MTIME
            info.uid = extra.get("uid", 0)
            info.gid = extra.get("gid", 0)
            info.mode = extra.get("mode", 0o755 if kind == "dir" else 0o644)
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == "file":
                data = payload.encode() if isinstance(payload, str) else payload
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = payload
                t.addfile(info)
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = payload
                t.addfile(info)
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
                t.addfile(info)
    return buf.getvalue()


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def config_for(layers, cmd=("/bin/sh",), created="2024-01-01T00:00:00Z", labels=None):
    return json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {"Cmd": list(cmd), "Env": ["PATH=/bin"], "Labels": labels},
        "history": [{"created": created, "created_by": "layer %d" % i} for i in range(len(layers))],
        "rootfs": {"type": "layers", "diff_ids": [sha(l) for l in layers]},
    }, separators=(",", ":")).encode()


def docker_archive(layers, tags, config=None, layer_names=None, extra_members=(), skip=(), config_name=None):
    """A current-format `docker save` archive (blobs/sha256 + manifest.json)."""
    config = config or config_for(layers)
    members = {}
    names = []
    for i, l in enumerate(layers):
        name = layer_names[i] if layer_names else "blobs/sha256/" + hashlib.sha256(l).hexdigest()
        members[name] = l
        names.append(name)
    cfg_name = config_name or "blobs/sha256/" + hashlib.sha256(config).hexdigest()
    members[cfg_name] = config
    manifest = [{"Config": cfg_name, "RepoTags": tags, "Layers": names}]
    members["manifest.json"] = json.dumps(manifest).encode()
    for name, data in extra_members:
        members[name] = data
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, data in members.items():
            if name in skip:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = MTIME
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def base_layer():
    return tar_bytes([
        ("etc", "dir", None, {}),
        ("etc/passwd", "file", "root:x:0:0:root:/root:/bin/sh\n", {}),
        ("etc/motd", "file", "base motd\n", {}),
        ("data", "dir", None, {}),
        ("data/old1", "file", "old one\n", {}),
        ("data/old2", "file", "old two\n", {}),
        ("data/sub", "dir", None, {}),
        ("data/sub/deep", "file", "deep\n", {}),
        ("bin", "dir", None, {}),
        ("bin/tool", "file", b"\x7fELF-not-really\n", {"mode": 0o4755}),
        ("bin/tool-link", "hardlink", "bin/tool", {}),
        ("bin/sh", "symlink", "tool", {}),
        ("run", "dir", None, {}),
        ("run/fifo", "fifo", None, {}),
        ("home", "dir", None, {"uid": 1000, "gid": 1000, "mode": 0o750}),
        ("home/user.txt", "file", "user owned\n", {"uid": 1000, "gid": 1000}),
    ])


def second_layer():
    return tar_bytes([
        ("etc", "dir", None, {}),
        ("etc/.wh.motd", "file", "", {}),          # delete a file of the base
        ("data", "dir", None, {}),
        ("data/.wh..wh..opq", "file", "", {}),    # replace the directory wholesale
        ("data/new", "file", "new content\n", {}),
    ])


def third_layer(extra="third\n"):
    return tar_bytes([
        ("etc", "dir", None, {}),
        ("etc/motd", "file", "recreated motd\n", {}),
        ("app", "dir", None, {}),
        ("app/run.sh", "file", "#!/bin/sh\necho " + extra, {"mode": 0o755}),
    ])


def main(out):
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    l1, l2, l3 = base_layer(), second_layer(), third_layer()
    write("layer1.tar", l1)
    write("layer2.tar", l2)
    write("layer3.tar", l3)
    write("layered.tar", docker_archive([l1, l2, l3], ["layered:1.0"]))
    write("layered.tar.gz", gzip.compress(docker_archive([l1, l2, l3], ["layered:gz"]), mtime=0))
    # Two images sharing their first two layers, each with a big unique third layer.
    big_a = tar_bytes([("big", "file", os.urandom(8 << 20), {})])
    big_b = tar_bytes([("big", "file", os.urandom(8 << 20), {})])
    write("shared-a.tar", docker_archive([l1, l2, big_a], ["shared:a"]))
    write("shared-b.tar", docker_archive([l1, l2, big_b], ["shared:b"]))
    # A layer stored gzip-compressed inside the archive.
    gz = gzip.compress(l3, mtime=0)
    write("gzip-layer.tar", docker_archive([l1, l2, gz], ["gzlayer:1"], config=config_for([l1, l2, l3])))

    # A layer tar-split cannot describe (a file written twice): the archive is kept.
    twice = tar_bytes([("f", "file", "first\n", {}), ("f", "file", "second!\n", {})])
    write("twice-layer.tar", twice)
    write("twice.tar", docker_archive([l1, twice], ["twice:1"]))

    # ---- hostile and broken archives: one defect each ----
    def evil(name, entries):
        layer = tar_bytes(entries)
        write(name, docker_archive([layer], ["evil:1"]))

    evil("bad-dotdot.tar", [("../../../../tmp/berth-escape-dotdot", "file", "pwned\n", {})])
    evil("bad-absolute-dotdot.tar", [("/../../tmp/berth-escape-abs", "file", "pwned\n", {})])
    evil("bad-symlink-escape.tar", [
        ("escape", "symlink", "/tmp", {}),
        ("escape/berth-escape-symlink", "file", "pwned\n", {}),
    ])
    evil("bad-symlink-relative.tar", [
        ("d", "dir", None, {}),
        ("d/up", "symlink", "../../../../../../tmp", {}),
        ("d/up/berth-escape-relsymlink", "file", "pwned\n", {}),
    ])
    evil("bad-hardlink-escape.tar", [("passwd-link", "hardlink", "../../../../etc/passwd", {})])
    evil("bad-hardlink-absolute.tar", [("shadow", "hardlink", "/etc/shadow", {})])
    evil("bad-whiteout-dotdot.tar", [("a", "dir", None, {}), ("a/.wh...", "file", "", {})])

    good = docker_archive([l1], ["good:1"])
    write("bad-truncated.tar", good[: len(good) // 2])
    layer_truncated = l1[: len(l1) // 2 + 100]
    write("bad-truncated-layer.tar", docker_archive([layer_truncated], ["trunc:1"], config=config_for([l1]),
                                                   layer_names=["layer.tar"]))
    # A layer whose content does not match the config's diff ID.
    write("bad-diffid.tar", docker_archive([l2], ["diff:1"], config=config_for([l1]), layer_names=["x/layer.tar"]))
    # A blob whose name (its digest) does not match its content.
    wrong = "blobs/sha256/" + hashlib.sha256(b"something else").hexdigest()
    write("bad-blob-digest.tar", docker_archive([l1], ["blob:1"], layer_names=[wrong]))
    # A config whose name (its digest, the image ID) does not match its bytes.
    write("bad-config-digest.tar", docker_archive([l1], ["cfgdigest:1"],
                                                  config_name="blobs/sha256/" + hashlib.sha256(b"other").hexdigest()))
    write("bad-no-manifest.tar", docker_archive([l1], ["nomanifest:1"], skip=("manifest.json",)))
    write("bad-reference.tar", docker_archive([l1], ["Invalid:Ref:!!"]))
    write("bad-config-json.tar", docker_archive([l1], ["cfg:1"], config=b"{not json"))
    write("bad-overlay-xattr.tar", docker_archive([xattr_layer()], ["xattr:1"]))


def xattr_layer():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo("redirect")
        info.type = tarfile.DIRTYPE
        info.pax_headers = {"SCHILY.xattr.trusted.overlay.redirect": "/etc"}
        t.addfile(info)
    return buf.getvalue()


def flatten(layer_paths):
    """What a container sees: apply the tars in order with AUFS whiteout rules.
    Returns {path: description} for every path."""
    tree = {}
    for p in layer_paths:
        with tarfile.open(p) as t:
            members = t.getmembers()
            # Opaque markers first clear the directory's lower contents.
            for m in members:
                name = m.name.strip("/").removeprefix("./")
                base = os.path.basename(name)
                parent = os.path.dirname(name)
                if base == ".wh..wh..opq":
                    for k in [k for k in tree if k.startswith(parent + "/")]:
                        del tree[k]
            for m in members:
                name = m.name.strip("/").removeprefix("./")
                base = os.path.basename(name)
                parent = os.path.dirname(name)
                if base == ".wh..wh..opq":
                    continue
                if base.startswith(".wh."):
                    target = os.path.join(parent, base[4:])
                    for k in [k for k in tree if k == target or k.startswith(target + "/")]:
                        del tree[k]
                    continue
                if m.isdir():
                    desc = "dir %o" % (m.mode & 0o7777)
                elif m.issym():
                    desc = "symlink -> " + m.linkname
                elif m.isfifo():
                    desc = "fifo"
                elif m.islnk():
                    src = t.extractfile(t.getmember(m.linkname)).read()
                    desc = "file %o %s" % (t.getmember(m.linkname).mode & 0o7777, hashlib.sha256(src).hexdigest()[:16])
                else:
                    data = t.extractfile(m).read()
                    desc = "file %o %s" % (m.mode & 0o7777, hashlib.sha256(data).hexdigest()[:16])
                tree[name] = desc
    return tree


def describe_dir(root):
    """The same description of a real directory (an overlay mount)."""
    tree = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            import stat
            if stat.S_ISDIR(st.st_mode):
                tree[rel] = "dir %o" % (st.st_mode & 0o7777)
            elif stat.S_ISLNK(st.st_mode):
                tree[rel] = "symlink -> " + os.readlink(full)
            elif stat.S_ISFIFO(st.st_mode):
                tree[rel] = "fifo"
            else:
                with open(full, "rb") as f:
                    tree[rel] = "file %o %s" % (st.st_mode & 0o7777, hashlib.sha256(f.read()).hexdigest()[:16])
    return tree


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--describe":
        print(json.dumps(describe_dir(sys.argv[2]), indent=1, sort_keys=True))
    elif len(sys.argv) >= 3 and sys.argv[1] == "--flatten":
        print(json.dumps(flatten(sys.argv[2:]), indent=1, sort_keys=True))
    else:
        main(sys.argv[1])
