#!/usr/bin/env python3
"""Archives for the hardening tests (test_hostile_inputs.sh): malformed tar
headers, descriptors whose size lies, what is not an image, and two layouts
Docker accepts that must load. Each has one defect (or one feature).

    hostile_fixtures.py OUTDIR
"""
import hashlib
import io
import json
import lzma
import os
import sys
import tarfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import config_for, docker_archive, sha, tar_bytes  # noqa: E402

MTIME = 1700000000


def rechecksum(block):
    """A 512-byte header with its checksum recomputed (so only the defect differs)."""
    b = bytearray(block)
    b[148:156] = b"        "
    b[148:156] = b"%06o\0 " % sum(b)
    return bytes(b)


def patch_header(tar, index, offset, field):
    """tar with header number `index` (0-based, counting 512-byte header blocks
    as tarfile wrote them, PAX headers included) patched at `offset`."""
    data = bytearray(tar)
    pos, seen = 0, 0
    while pos < len(data):
        block = bytes(data[pos:pos + 512])
        if block == b"\0" * 512:
            break
        size = int(block[124:136].strip(b"\0 ") or b"0", 8)
        if seen == index:
            block = bytearray(block)
            block[offset:offset + len(field)] = field
            data[pos:pos + 512] = rechecksum(bytes(block))
            return bytes(data)
        seen += 1
        pos += 512 + (size + 511) // 512 * 512
    raise ValueError("no header %d" % index)


def raw_header(name, typ, size, size_field=None):
    h = bytearray(512)
    h[0:len(name)] = name.encode()
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field if size_field is not None else b"%011o\0" % size
    h[136:148] = b"%011o\0" % MTIME
    h[156:157] = typ
    h[257:265] = b"ustar\x0000"
    return rechecksum(bytes(h))


def pad(data):
    return data + b"\0" * ((512 - len(data) % 512) % 512)


def pax_layer(records, name="f", content=b"hello\n"):
    """A layer whose one file has a PAX header of `records` (bytes, as written)."""
    return (raw_header("PaxHeaders/f", b"x", len(records)) + pad(records) +
            raw_header(name, b"0", len(content)) + pad(content) + b"\0" * 1024)


def oci_archive(layers, config, tag, layer_media_type=None, config_media_type=None,
                manifest_size_delta=0, layer_size_delta=0):
    """An OCI layout archive (as `docker save` of 25+ writes) with one image."""
    blobs = {}

    def blob(data):
        d = hashlib.sha256(data).hexdigest()
        blobs["blobs/sha256/" + d] = data
        return "sha256:" + d

    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": config_media_type or "application/vnd.oci.image.config.v1+json",
                   "digest": blob(config), "size": len(config)},
        "layers": [{"mediaType": layer_media_type or "application/vnd.oci.image.layer.v1.tar",
                    "digest": blob(l), "size": len(l) + layer_size_delta} for l in layers],
    }
    mbytes = json.dumps(manifest).encode()
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": blob(mbytes),
                            "size": len(mbytes) + manifest_size_delta,
                            "annotations": {"io.containerd.image.name": tag}}]}
    members = dict(blobs)
    members["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    members["index.json"] = json.dumps(index).encode()
    return plain_tar(members)


def xz_with_dictionary(data, dict_byte):
    """data as xz whose block header asks for the dictionary LZMA2 codes as dict_byte (38: 2 GiB)."""
    xz = bytearray(lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64))
    block = 12
    size = (xz[block] + 1) * 4
    pos = block + 2
    for present in (0x40, 0x80):  # compressed, uncompressed size (VLIs)
        if xz[block + 1] & present:
            while xz[pos] & 0x80:
                pos += 1
            pos += 1
    assert xz[pos] == 0x21 and xz[pos + 1] == 1, "LZMA2 filter expected"
    xz[pos + 2] = dict_byte
    xz[block + size - 4:block + size] = zlib.crc32(bytes(xz[block:block + size - 4])).to_bytes(4, "little")
    return bytes(xz)


def plain_tar(members, links=()):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = MTIME
            t.addfile(info, io.BytesIO(data))
        for name, target in links:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            info.mtime = MTIME
            t.addfile(info)
    return buf.getvalue()


def main(out):
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    base = tar_bytes([("etc", "dir", None, {}), ("etc/hostname", "file", "box\n", {})])
    plain = tar_bytes([("a.txt", "file", "hello\n", {})])

    # ---- malformed tar headers (Go's archive/tar refuses each) ----
    # (these layers are written by hand, header by header)
    # (in a second header: libarchive checks the first one more closely, and
    # reads "000000006x" as 6 where Go refuses it)
    not_octal = (raw_header("first.txt", b"0", 6) + pad(b"first\n") +
                 raw_header("a.txt", b"0", 6, size_field=b"000000006x\0\0") + pad(b"hello\n") + b"\0" * 1024)
    write("bad-tar-size-not-octal.tar", docker_archive([not_octal], ["tarsize:1"]))
    write("bad-tar-size-not-octal.tar.layer", not_octal)  # the layer alone, for import
    write("bad-tar-pax-size.tar", docker_archive([pax_layer(b"13 size=abc6\n")], ["paxsize:1"]))
    write("bad-tar-pax-length.tar", docker_archive([pax_layer(b"99 path=x\n")], ["paxlen:1"]))
    # The outer archive's own headers are checked too.
    outer = docker_archive([plain], ["outer:1"])
    write("bad-tar-outer-mode.tar", patch_header(outer, 1, 100, b"000644x\0"))

    # ---- descriptors whose size lies (the digest is right) ----
    cfg = config_for([plain])
    write("bad-oci-manifest-size.tar", oci_archive([plain], cfg, "ocisize:1", manifest_size_delta=1))
    write("bad-oci-layer-size.tar", oci_archive([plain], cfg, "ocisize:2", layer_size_delta=-1))

    # ---- what berth cannot run ----
    write("bad-oci-layer-mediatype.tar",
          oci_archive([plain], cfg, "mt:1", layer_media_type="application/vnd.example.unknown.v1"))
    write("bad-oci-artifact-config.tar",
          oci_archive([plain], cfg, "artifact:1", config_media_type="application/vnd.cncf.helm.config.v1+json"))
    write("bad-repotags-uppercase.tar", docker_archive([plain], ["Upper/Case:1"]))
    typed = json.loads(config_for([plain]))
    typed["config"]["User"] = 5  # Docker's typed unmarshalling refuses it; so does berth
    write("bad-config-types.tar", docker_archive([plain], ["types:1"], config=json.dumps(typed).encode()))
    # Bounds: an xz layer asking for a 2 GiB dictionary; a manifest.json past
    # 4 MiB (valid JSON, padded), not read into memory.
    write("bad-xz-dictionary.tar", docker_archive([xz_with_dictionary(plain, 38)], ["xzdict:1"]))
    write("bad-huge-manifest-json.tar", plain_tar({"manifest.json": b"[" + b" " * (5 << 20) + b"]"}))

    # ---- layouts Docker accepts, which must load ----
    # A legacy `docker save`: the same layer twice, stored once, the second
    # <id>/layer.tar a relative symlink to the first.
    empty = tar_bytes([])
    lid, lid2 = hashlib.sha256(b"legacy-1").hexdigest(), hashlib.sha256(b"legacy-2").hexdigest()
    legacy_cfg = config_for([base, empty, empty])
    bid = hashlib.sha256(b"legacy-base").hexdigest()
    members = {
        bid + "/layer.tar": base,
        lid + "/layer.tar": empty,
        hashlib.sha256(legacy_cfg).hexdigest() + ".json": legacy_cfg,
        "manifest.json": json.dumps([{
            "Config": hashlib.sha256(legacy_cfg).hexdigest() + ".json",
            "RepoTags": ["linked:1"],
            "Layers": [bid + "/layer.tar", lid + "/layer.tar", lid2 + "/layer.tar"]}]).encode(),
    }
    write("good-linked-layer.tar", plain_tar(members, links=[(lid2 + "/layer.tar", "../" + lid + "/layer.tar")]))
    # A layer that writes a file through a symlink it made (lib -> usr/lib, then lib/x).
    through = tar_bytes([
        ("usr", "dir", None, {}),
        ("usr/lib", "dir", None, {}),
        ("lib", "symlink", "usr/lib", {}),
        ("lib/x", "file", "through the link\n", {}),
        ("abs", "symlink", "/usr/lib", {}),
        ("abs/y", "file", "through an absolute link\n", {}),
    ])
    write("good-write-through-symlink.tar", docker_archive([base, through], ["through:1"]))


if __name__ == "__main__":
    main(sys.argv[1])
