#!/usr/bin/env python3
"""A Docker token server for tests (the protocol of
https://distribution.github.io/distribution/spec/auth/token/): GET /token with
service and scope parameters, and Basic credentials or none. It grants the
asked-for actions on any repository to its one user, nothing to anonymous
callers, and answers 401 to a wrong password. Tokens are RS256 JWTs whose
x5c header carries the certificate docker-registry trusts (rootcertbundle);
openssl signs them. Every scope asked for is appended to --log."""
import argparse
import base64
import http.server
import json
import os
import subprocess
import time
import urllib.parse

args = None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(payload):
    with open(args.cert) as f:
        pem = f.read()
    der = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
    header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())).encode()
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", args.key], input=signing_input,
                         capture_output=True, check=True).stdout
    return signing_input.decode() + "." + b64url(sig)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        user = None
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            if name != args.user or password != args.password:
                return self.answer(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]})
            user = name
        access = []
        for scope in q.get("scope", []):
            with open(args.log, "a") as f:
                f.write(f"{user or '-'} {scope}\n")
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            if user and kind == "repository":
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        token = sign({"iss": args.issuer, "sub": user or "", "aud": q.get("service", [""])[0],
                      "exp": now + 300, "nbf": now - 10, "iat": now, "jti": os.urandom(8).hex(),
                      "access": access})
        self.answer(200, {"token": token, "access_token": token, "expires_in": 300})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    global args
    p = argparse.ArgumentParser()
    for name in ("port", "key", "cert", "issuer", "user", "password", "log"):
        p.add_argument("--" + name, required=True)
    args = p.parse_args()
    http.server.ThreadingHTTPServer(("127.0.0.1", int(args.port)), Handler).serve_forever()


if __name__ == "__main__":
    main()
