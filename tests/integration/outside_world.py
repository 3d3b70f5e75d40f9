#!/usr/bin/env python3
"""The "outside world" of the network tests, run inside a namespace the test
made: an HTTP server on :80 that answers with the address the request came
from, and a DNS server on :53 (UDP) that answers every A query with ANSWER.

    outside_world.py ANSWER
"""
import http.server
import socket
import struct
import sys
import threading


class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("client=%s\n" % self.client_address[0]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def dns(answer):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 53))
    addr = socket.inet_aton(answer)
    while True:
        query, peer = s.recvfrom(512)
        if len(query) < 12:
            continue
        end = 12
        while query[end] != 0:
            end += query[end] + 1
        end += 5
        header = query[:2] + b"\x81\x80" + b"\x00\x01\x00\x01\x00\x00\x00\x00"
        record = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + addr
        s.sendto(header + query[12:end] + record, peer)


threading.Thread(target=dns, args=(sys.argv[1],), daemon=True).start()
http.server.ThreadingHTTPServer(("0.0.0.0", 80), Echo).serve_forever()
