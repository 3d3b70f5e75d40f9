#!/usr/bin/env python3
"""Flattens an image from a `docker save`/`berth save` archive: applies its
layers in order (AUFS whiteouts and opaque directories included) and prints
one line per path of the final file system: path, type, mode, uid, gid, size,
sha256 of file content, link target. Times are left out: builds differ there.

usage: flatten_image.py ARCHIVE [IMAGE_INDEX]
"""
import hashlib
import io
import json
import sys
import tarfile


def layers_of(archive):
    with tarfile.open(archive) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))
        index = int(sys.argv[2]) if len(sys.argv) > 2 else 0
        for name in manifest[index]["Layers"]:
            yield outer.extractfile(name).read()


def main():
    files = {}
    for blob in layers_of(sys.argv[1]):
        with tarfile.open(fileobj=io.BytesIO(blob)) as layer:
            for m in layer.getmembers():
                path = m.name.lstrip("./").rstrip("/")
                if not path:
                    continue
                parent, _, base = path.rpartition("/")
                if base == ".wh..wh..opq":
                    prefix = parent + "/"
                    for p in [p for p in files if p.startswith(prefix)]:
                        del files[p]
                    continue
                if base.startswith(".wh."):
                    gone = (parent + "/" if parent else "") + base[4:]
                    for p in [p for p in files if p == gone or p.startswith(gone + "/")]:
                        del files[p]
                    continue
                if m.isdir() and path in files and files[path][0] == "dir":
                    pass  # a directory replaces the old one's metadata below
                elif path in files and not m.isdir():
                    for p in [p for p in files if p.startswith(path + "/")]:
                        del files[p]
                kind = "dir" if m.isdir() else "file" if m.isreg() else "symlink" if m.issym() else \
                    "hardlink" if m.islnk() else "char" if m.ischr() else "block" if m.isblk() else "fifo"
                digest = ""
                size = m.size
                if m.isreg():
                    digest = hashlib.sha256(layer.extractfile(m).read()).hexdigest()[:16]
                if m.islnk():  # as the file it links to
                    target = m.linkname.lstrip("./")
                    if target in files:
                        kind, size, digest = "file", files[target][5], files[target][6]
                files[path] = (kind, oct(m.mode & 0o7777), m.uid, m.gid, path, size, digest,
                               m.linkname if m.issym() else "")
    for path in sorted(files):
        kind, mode, uid, gid, _, size, digest, link = files[path]
        print(f"{path} {kind} {mode} {uid}:{gid} {size if kind == 'file' else ''} {digest} {link}".rstrip())


main()
