#!/usr/bin/env python3
"""N clients, each a loop of GET /containers/json?all=1 on its own keep-alive
connection to a unix socket, for S seconds: requests, errors and latency.

  api_load.py SOCKET CLIENTS SECONDS
"""
import socket
import sys
import threading
import time

path, clients, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
latencies, errors, lock = [], [0], threading.Lock()
REQUEST = b"GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: d\r\n\r\n"


def read_response(f):
    status = f.readline()
    length = None
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    f.read(length or 0)
    return status.startswith(b"HTTP/1.1 200")


def client(deadline):
    mine, bad = [], 0
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    f = s.makefile("rb")
    while time.monotonic() < deadline:
        t = time.monotonic()
        s.sendall(REQUEST)
        if not read_response(f):
            bad += 1
        mine.append(time.monotonic() - t)
    with lock:
        latencies.extend(mine)
        errors[0] += bad


deadline = time.monotonic() + seconds
threads = [threading.Thread(target=client, args=(deadline,)) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
latencies.sort()
n = len(latencies)
print(f"{clients} clients x {seconds:.0f} s of containers/json: {n} requests ({n / seconds:.0f}/s), "
      f"{errors[0]} errors, p50 {latencies[n // 2] * 1000:.1f} ms, p99 {latencies[int(n * 0.99)] * 1000:.1f} ms")
