#!/bin/bash
# Container networks (issue #11), all inside the test's own network
# namespace (lib.sh): the default bridge with NAT to an "outside" namespace
# the test makes (a veth away, a web and a DNS server in it), user-defined
# networks with names, aliases and short IDs through the embedded resolver,
# network connect, a compose-shaped two-service application, clean-up after
# rm and after a killed monitor, 20 containers started at once, bad input.
. "$(dirname "$0")/lib.sh"
# (busybox-static's wget crashes with -T, so a time limit is busybox's timeout.)

# An image with busybox (httpd, wget, nslookup).
CTX=$WORK/ctx && mkdir -p "$CTX" && cp /bin/busybox "$CTX/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n' >"$CTX/Dockerfile"
berth build -q -t bb:1 "$CTX" >/dev/null

# The outside: a namespace behind a veth, reachable from here only; its
# servers see whatever address our packets leave with.
OUT=berth-out-$$
ip netns add "$OUT"
cleanup_outside() { ip netns pids "$OUT" 2>/dev/null | xargs -r kill; ip netns del "$OUT" 2>/dev/null || true; }
trap 'cleanup_outside; cleanup' EXIT
ip link add out0 type veth peer name eth0 netns "$OUT"
ip addr add 10.200.0.1/24 dev out0 && ip link set out0 up
ip -n "$OUT" addr add 10.200.0.2/24 dev eth0 && ip -n "$OUT" link set eth0 up && ip -n "$OUT" link set lo up
ip netns exec "$OUT" python3 "$BERTH_SOURCE_DIR/tests/integration/outside_world.py" 10.200.0.99 &
for _ in $(seq 50); do curl -s -o /dev/null http://10.200.0.2/ && break; sleep 0.1; done

links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; }
berth_rules() { iptables-save | grep -e '^-A BERTH' -e '-j BERTH' | sort; }
leases() { sqlite3 "$BERTH_ROOT/berth.db" "SELECT count(*) FROM endpoints WHERE ip IS NOT NULL"; }

# 1. The default bridge: out through NAT; not with --network none, nor from an internal network.
assert_eq "$(berth run --rm bb:1 wget -qO- http://10.200.0.2/)" "client=10.200.0.1" \
  "the outside sees the host's address (masqueraded), not the container's"
assert_eq "$(berth network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' bridge)" \
  "172.17.0.0/16 172.17.0.1" "the default bridge takes Docker's first pool"
if berth run --rm --network none bb:1 timeout 3 wget -qO- http://10.200.0.2/ 2>/dev/null; then fail "--network none got out"; fi
berth network create --internal sealed >/dev/null
if berth run --rm --network sealed bb:1 timeout 3 wget -qO- http://10.200.0.2/ 2>/dev/null; then fail "an internal network got out"; fi
assert_eq "$(berth run --rm --dns 10.200.0.2 bb:1 nslookup outside.test | awk '/^Address/ {a=$2} END {print a}')" \
  "10.200.0.99" "--dns on the default bridge: the container asks the outside's server"
pass "default bridge: NAT to the outside, none and --internal cut off, --dns"

# 2. A user-defined network: by name, alias and short ID; on the default bridge by IP only.
berth network create app >/dev/null
berth run -d --name web --network app --network-alias www bb:1 httpd -f -p 80 -h /etc >/dev/null
web_ip=$(berth inspect -f '{{.NetworkSettings.Networks.app.IPAddress}}' web)
short=$(berth inspect -f '{{.Id}}' web | cut -c1-12)
for name in web www "$short" web.app; do
  assert_eq "$(berth run --rm --network app bb:1 wget -qO- "http://$name/hostname")" "$short" "reach web as $name"
done
assert_eq "$(berth run --rm --network app bb:1 cat /etc/resolv.conf)" "nameserver 127.0.0.11
options ndots:0" "a user-defined network's resolv.conf"
assert_eq "$(berth run --rm --network app --dns 10.200.0.2 bb:1 nslookup elsewhere.test 127.0.0.11 | awk '/^Address/ {a=$2} END {print a}')" \
  "10.200.0.99" "the embedded resolver forwards other names upstream"
berth run -d --name bweb bb:1 httpd -f -p 80 -h /etc >/dev/null
bweb_ip=$(berth inspect -f '{{.NetworkSettings.IPAddress}}' bweb)
bshort=$(berth inspect -f '{{.Id}}' bweb | cut -c1-12)
assert_eq "$(berth run --rm bb:1 wget -qO- "http://$bweb_ip/hostname")" "$bshort" "default bridge: by IP"
if berth run --rm bb:1 nslookup bweb >/dev/null 2>&1; then fail "the default bridge resolved a container name"; fi
# Another network cannot reach web until it is connected.
berth network create other >/dev/null
berth run -d --name client --network other bb:1 sleep 300 >/dev/null
if berth exec client timeout 3 wget -qO- "http://$web_ip/hostname" 2>/dev/null; then fail "reached another network"; fi
berth network connect --alias cli app client
got=
for _ in $(seq 20); do got=$(berth exec client timeout 3 wget -qO- http://web/hostname 2>/dev/null || true); [ -n "$got" ] && break; sleep 0.2; done
assert_eq "$got" "$short" "after network connect"
assert_eq "$(berth inspect -f '{{len .NetworkSettings.Networks}}' client)" 2 "two networks in inspect"
assert_eq "$(berth ps --filter network=app --format '{{.Names}}' | sort | tr '\n' ' ')" "client web " "ps --filter network="
berth network disconnect app client
if berth exec client timeout 3 wget -qO- "http://$web_ip/hostname" 2>/dev/null; then fail "reached web after disconnect"; fi
assert_eq "$(berth exec client ls /sys/class/net | tr '\n' ' ')" "eth0 lo " "disconnect removes the interface"
# A gap left by a disconnect is filled: eth1 (app) stays, other comes back as eth0.
berth network connect app client
berth network disconnect other client
berth network connect other client
assert_eq "$(berth exec client ls /sys/class/net | tr '\n' ' ')" "eth0 eth1 lo " "reconnect after a disconnect of eth0"
pass "user-defined networks: name, alias, short ID, NAME.NETWORK, forwarding; bridge by IP only; connect/disconnect"

# 3. Compose's shape: app_default, web with alias www and a published port, a client in a loop.
berth network create app_default >/dev/null
port=$(free_port)
berth run -d --name cweb --network app_default --network-alias cwww -p "$port:80" bb:1 httpd -f -p 80 -h /etc >/dev/null
cshort=$(berth inspect -f '{{.Id}}' cweb | cut -c1-12)
out=$(berth run --rm --network app_default bb:1 sh -c 'for i in 1 2 3 4 5; do wget -qO- http://cweb/hostname; wget -qO- http://cwww/hostname; done' | sort -u)
assert_eq "$out" "$cshort" "the client reaches web and www ten times"
wait_for_http "http://127.0.0.1:$port/hostname"
assert_eq "$(curl -s "http://127.0.0.1:$port/hostname")" "$cshort" "the published port answers on 127.0.0.1"
assert_eq "$(berth ps --filter name=cweb --format '{{.Networks}} {{.Ports}}')" "app_default 0.0.0.0:$port->80/tcp" "ps NETWORKS and PORTS"
pass "a two-service application as compose starts it"

# 4. Clean-up: rm -f and network rm leave no veth, rule or lease; nor does a killed monitor after system check.
berth rm -f web bweb client cweb >/dev/null
berth network rm app other app_default sealed >/dev/null
assert_eq "$(links | grep -c '^veth' || true)" 0 "no veth after rm"
assert_eq "$(links | grep -c '^br-' || true)" 0 "no bridge after network rm"
assert_eq "$(leases)" 0 "no lease after rm"
assert_eq "$(berth_rules | grep -c br- || true)" 0 "no rule of a removed network"
berth network create crash >/dev/null
berth run -d --name victim --network crash bb:1 sleep 300 >/dev/null
kill -9 "$(sqlite3 "$BERTH_ROOT/berth.db" "SELECT monitor_pid FROM containers WHERE name='victim'")"
kill -9 "$(sqlite3 "$BERTH_ROOT/berth.db" "SELECT pid FROM containers WHERE name='victim'")"
sleep 0.3
berth system check >/dev/null
assert_eq "$(links | grep -c '^veth' || true)" 0 "no veth after a killed monitor and system check"
assert_eq "$(leases)" 0 "no lease after a killed monitor and system check"
assert_eq "$(ps -eo args | grep -c '[c]ontainer-monitor' || true)" 0 "no monitor (and so no resolver) left"
# A command killed between making a bridge and writing its rules: system check writes them.
before=$(berth_rules)
iptables -F BERTH-FORWARD && iptables -t nat -F BERTH-POSTROUTING
berth system check >/dev/null
assert_eq "$(berth_rules)" "$before" "system check writes the rules of a bridge that has none"
berth rm victim >/dev/null
berth network rm crash >/dev/null
pass "clean-up: rm, network rm, a killed monitor then system check"

# 5. Twenty containers started at once on one network: twenty addresses, all reachable.
berth network create many >/dev/null
starters=()
for i in $(seq 20); do berth run -d --name "m$i" --network many bb:1 httpd -f -p 80 -h /etc >/dev/null & starters+=($!); done
wait "${starters[@]}"
ips=$(for i in $(seq 20); do berth inspect -f '{{.NetworkSettings.Networks.many.IPAddress}}' "m$i"; done | sort -u)
assert_eq "$(echo "$ips" | wc -l)" 20 "twenty distinct addresses"
reached=$(berth run --rm --network many bb:1 sh -c "for ip in $(echo $ips); do wget -qO- http://\$ip/hostname; done" | sort -u | wc -l)
assert_eq "$reached" 20 "all twenty reachable"
berth rm -f $(for i in $(seq 20); do echo "m$i"; done) >/dev/null
berth network rm many >/dev/null
pass "20 parallel run -d: 20 distinct addresses, all reachable"

# 6. Bad input: Docker's message, one line, nothing half made.
berth network create --subnet 10.201.0.0/16 taken >/dev/null
berth run -d --name fixed --network taken --ip 10.201.0.50 bb:1 sleep 300 >/dev/null
before=$(store_snapshot; links; berth_rules)
expect_failure "an overlapping subnet" berth network create --subnet 10.201.5.0/24 over
expect_failure "a subnet over a host route" berth network create --subnet 10.200.0.0/16 onroute
expect_failure "a taken name" berth network create taken
expect_failure "an unknown driver" berth network create -d weird odd
expect_failure "a gateway outside the subnet" berth network create --subnet 10.202.0.0/24 --gateway 10.203.0.1 gw
expect_failure "network rm in use" berth network rm taken
expect_failure "network rm of a predefined network" berth network rm bridge
expect_failure "connect to a missing network" berth network connect nosuch fixed
expect_failure "an address outside the subnet" berth run -d --network taken --ip 10.99.0.5 bb:1 true
expect_failure "an alias on the default bridge" berth run -d --network-alias x bb:1 true
expect_failure "a missing network" berth run -d --network nosuch bb:1 true
after=$(store_snapshot; links; berth_rules)
assert_eq "$after" "$before" "nothing made by the refused commands"
set +e
berth run -d --name clash --network taken --ip 10.201.0.50 bb:1 sleep 300 >/dev/null 2>"$WORK/err"; rc=$?
set -e
assert_eq "$rc" 125 "a taken address fails the start"
matches "Address already in use" <"$WORK/err" || fail "taken address: $(cat "$WORK/err")"
berth rm -f fixed >/dev/null
berth network rm taken >/dev/null
assert_eq "$(links | grep -c -e '^veth' -e '^br-' || true)" 0 "nothing left after the bad input"
pass "bad input: overlaps, names, drivers, gateways, in use, missing, taken addresses"
