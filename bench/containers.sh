#!/bin/bash
# Containers, side by side in the same run:
#  - start-up: `run --rm --network none IMG true`, berth against docker (and podman
#    when it runs here), $RUNS_RUN times each, medians;
#  - throughput through a published port: a 100 MB file from busybox httpd in the
#    container, fetched with curl through berth's port proxy against curl run
#    inside the container's network namespace (the service directly); the
#    issue's bar is >= 80% of direct;
#  - the default bridge: `run --rm IMG true` on it against berth's own
#    --network none (issue #11: <= 1.3x) and against docker on its own default
#    bridge (<= 0.3x), and 1 GB container to container over
#    a bridge network against two namespaces joined by a plain veth (>= 90%).
# It runs in a network namespace of its own: the bridges, veths and NAT
# rules it makes vanish with it, and the machine's network is untouched.
#
#   sudo bench/containers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BERTH_BENCH_NETNS:-}" ]; then
  export BERTH_BENCH_NETNS=1
  exec unshare --net -- bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi
. bench/lib.sh
RUNS_RUN=${RUNS_RUN:-20}
DOCKERD_NETWORK=bridge start_dockerd "$work/docker"

# The image: static busybox, httpd, a 100 MB file.
mkdir -p "$work/rootfs/bin" "$work/rootfs/www"
cp /bin/busybox "$work/rootfs/bin/"
for c in sh true httpd; do ln -s busybox "$work/rootfs/bin/$c"; done
head -c 100000000 /dev/urandom >"$work/rootfs/www/big"
tar -C "$work/rootfs" -cf "$work/img.tar" .
export BERTH_ROOT=$work/berth
"$BERTH" import -c 'CMD ["httpd","-f","-p","80","-h","/www"]' "$work/img.tar" bench/box:1 >/dev/null
"$BERTH" save bench/box:1 | $DOCKER load -q >/dev/null

median_of() {  # median_of N CMD...: median ms of N runs (after one warm-up)
  local n=$1 times=() s
  shift
  "$@" >/dev/null 2>&1
  for _ in $(seq "$n"); do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($(( ($(date +%s%N) - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}
b=$(median_of "$RUNS_RUN" "$BERTH" run --rm --network none bench/box:1 true)
d=$(median_of "$RUNS_RUN" $DOCKER run --rm --network none bench/box:1 true)
line=$(printf 'run --rm true     berth %5d ms   docker %5d ms   berth/docker %.2f' "$b" "$d" "$(echo "$b / $d" | bc -l)")
if command -v podman >/dev/null && podman --root "$work/podman" --runroot "$work/podman-run" load -q -i "$work/img.tar" >/dev/null 2>&1 &&
   podman --root "$work/podman" --runroot "$work/podman-run" run --rm --network none bench/box:1 true >/dev/null 2>&1; then
  p=$(median_of "$RUNS_RUN" podman --root "$work/podman" --runroot "$work/podman-run" run --rm --network none bench/box:1 true)
  line+=$(printf '   podman %5d ms   berth/podman %.2f' "$p" "$(echo "$b / $p" | bc -l)")
fi
echo "$line"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
id=$("$BERTH" run -d -p "$port:80" bench/box:1)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
fetch_proxy() { for _ in 1 2 3 4 5; do curl -s -o /dev/null "http://127.0.0.1:$port/big"; done; }
fetch_direct() { for _ in 1 2 3 4 5; do nsenter --net="$BERTH_ROOT/containers/$id/netns" curl -s -o /dev/null http://127.0.0.1:80/big; done; }
tp=$(median_of 5 fetch_proxy)
td=$(median_of 5 fetch_direct)
"$BERTH" rm -f "$id" >/dev/null
printf 'port throughput   proxy %5d ms   direct %5d ms for 500 MB: %.0f vs %.0f MB/s = %.0f%% of direct\n' "$tp" "$td" \
  "$(echo "500000 / $tp" | bc -l)" "$(echo "500000 / $td" | bc -l)" "$(echo "100 * $td / $tp" | bc -l)"

# The default bridge: against berth's own --network none, and against Docker on
# its default bridge (docker0, its veth and iptables rules, all in this namespace).
nb=$(median_of "$RUNS_RUN" "$BERTH" run --rm --network none bench/box:1 true)
bb=$(median_of "$RUNS_RUN" "$BERTH" run --rm bench/box:1 true)
db=$(median_of "$RUNS_RUN" $DOCKER run --rm bench/box:1 true)
printf 'run --rm true on the bridge   berth %5d ms   --network none %5d ms   bridge/none %.2f   docker %5d ms   berth/docker %.2f\n' \
  "$bb" "$nb" "$(echo "$bb / $nb" | bc -l)" "$db" "$(echo "$bb / $db" | bc -l)"

# 1 GB from one container to another over a bridge network, against two plain
# namespaces joined by a veth pair: the bridge's own cost. Python at both ends
# (run in the containers' namespaces through their pins): busybox nc would be
# the bottleneck of both.
sink_py='
import socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(("0.0.0.0", 5000)); l.listen()
while True:
    c, _ = l.accept()
    while c.recv(1 << 20): pass
    c.close()'
send_py='
import socket, sys
s = socket.create_connection((sys.argv[1], 5000)); b = b"\0" * (1 << 20)
for _ in range(1000): s.sendall(b)
s.shutdown(socket.SHUT_WR); s.recv(1)'
"$BERTH" network create bench >/dev/null
sink=$("$BERTH" run -d --network bench bench/box:1 sh -c 'sleep 3600')
src=$("$BERTH" run -d --network bench bench/box:1 sh -c 'sleep 3600')
sink_ip=$("$BERTH" inspect -f '{{.NetworkSettings.Networks.bench.IPAddress}}' "$sink")
nsenter --net="$BERTH_ROOT/containers/$sink/netns" python3 -c "$sink_py" & bridge_sink=$!
touch "$work/ns-a" "$work/ns-b"
unshare --net="$work/ns-a" true && unshare --net="$work/ns-b" true
nsenter --net="$work/ns-a" ip link add va type veth peer name vb netns "$work/ns-b"
nsenter --net="$work/ns-a" sh -c 'ip addr add 10.210.0.1/24 dev va && ip link set va up'
nsenter --net="$work/ns-b" sh -c 'ip addr add 10.210.0.2/24 dev vb && ip link set vb up'
nsenter --net="$work/ns-b" python3 -c "$sink_py" & veth_sink=$!
sleep 0.5
# Alternated, bridge then veth, so that a busy moment of the machine falls on both.
send_bridge() { nsenter --net="$BERTH_ROOT/containers/$src/netns" python3 -c "$send_py" "$sink_ip"; }
send_veth() { nsenter --net="$work/ns-a" python3 -c "$send_py" 10.210.0.2; }
send_bridge && send_veth
bridge_times=() veth_times=()
for _ in $(seq 9); do
  s=$(date +%s%N); send_bridge; bridge_times+=($(( ($(date +%s%N) - s) / 1000000 )))
  s=$(date +%s%N); send_veth; veth_times+=($(( ($(date +%s%N) - s) / 1000000 )))
done
tb=$(printf '%s\n' "${bridge_times[@]}" | sort -n | sed -n 5p)
tv=$(printf '%s\n' "${veth_times[@]}" | sort -n | sed -n 5p)
kill "$bridge_sink" "$veth_sink"
"$BERTH" rm -f "$sink" "$src" >/dev/null
"$BERTH" network rm bench >/dev/null
umount "$work/ns-a" "$work/ns-b"
printf 'container to container 1 GB   bridge %5d ms   plain veth %5d ms   bridge throughput = %.0f%% of veth\n' \
  "$tb" "$tv" "$(echo "100 * $tv / $tb" | bc -l)"
