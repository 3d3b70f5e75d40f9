#!/usr/bin/env python3
"""A bad registry for tests: a proxy in front of a real docker-registry that
breaks its answers on request. The fault is read from a file before every
request, so a test switches it without restarting anything:

  corrupt-blob     blob bodies have one byte flipped (same length)
  truncate-always  blob bodies stop half way (the connection closes)
  truncate-once    the first blob body stops half way, later ones are whole
  manifest-junk    manifests come back as "this is not json"
  schema1          manifests come back as Docker's retired schema 1
  500-once         the first blob request gets a 500, later ones pass
  slow-blobs       each blob body waits 3 s before its first byte
  redirect-blobs   blob requests are redirected (307) to the registry itself,
                   as registries redirect to their storage
  (empty)          pass everything through
"""
import argparse
import http.client
import http.server
import threading
import time

args = None
lock = threading.Lock()
spent = set()  # one-shot faults already used


def mode():
    try:
        with open(args.mode_file) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""


def once(name):
    with lock:
        if name in spent:
            return False
        spent.add(name)
        return True


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def forward(self):
        m = mode()
        is_blob = "/blobs/sha256:" in self.path and self.command == "GET"
        is_manifest = "/manifests/" in self.path and self.command == "GET"
        if m == "500-once" and is_blob and once("500"):
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if m == "redirect-blobs" and is_blob:
            if self.headers.get("Authorization"):
                self.send_error(400, "credentials must not follow a redirect to another host")
                return
            self.send_response(307)
            self.send_header("Location", f"http://{args.upstream}{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        up = http.client.HTTPConnection(args.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items()}
        up.request(self.command, self.path, body=body, headers=headers)
        resp = up.getresponse()
        data = resp.read()
        up.close()
        ok = 200 <= resp.status < 300
        junk = m in ("manifest-junk", "schema1") and is_manifest and ok
        if junk:
            data = b"this is not json"
        if junk and m == "schema1":
            data = b'{"schemaVersion":1,"name":"app","tag":"1.0","architecture":"amd64","fsLayers":[],"history":[]}'

        if m == "corrupt-blob" and is_blob and ok and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() in ("content-length", "transfer-encoding", "connection"):
                continue
            if not (junk and k.lower() in ("docker-content-digest", "content-type")):
                self.send_header(k, v)
        if junk and m == "schema1":
            self.send_header("Content-Type", "application/vnd.docker.distribution.manifest.v1+prettyjws")
        self.send_header("Content-Length", str(len(data)))
        truncate = is_blob and ok and len(data) > 1 and (
            m == "truncate-always" or (m == "truncate-once" and once("truncate")))
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        if m == "slow-blobs" and is_blob:
            time.sleep(3)
        self.wfile.write(data[: len(data) // 2] if truncate else data)

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = forward


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--upstream", required=True)
    p.add_argument("--mode-file", required=True)
    args = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
