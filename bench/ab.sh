#!/usr/bin/env bash
# Before/after: runs bench scripts with two berth binaries, interleaved
# in the order A B B A A B … so drift of the machine (on this VM's root file
# system each run is slower than the last, as the deleted stores pile up)
# hits both alike, and prints for every
# row the median of berth's time with each and the ratio after/before. A
# refactor must keep every ratio at or below its issue's bound (1.05).
#
#   sudo bench/ab.sh BEFORE_BINARY AFTER_BINARY bench/image_io.sh [bench/containers.sh …]
#   ROUNDS=2 (default): how many times each binary runs each script
#
# A row is any output line with a time "N ms": its label is the text before
# the first time, and berth's time is the first number followed by "ms" —
# the first column of every bench's table.
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,14p "$0" >&2; exit 2; }
before=$1 after=$2
shift 2
ROUNDS=${ROUNDS:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

rows() {  # rows FILE: "label<TAB>ms" for each row
  python3 -c '
import re, sys
for line in open(sys.argv[1]):
    m = re.match(r"^(\S.*?)\s+(?:berth\s+(?:\(\w+\)\s+)?)?(\d+) ms", line)
    if m: print(m.group(1).strip() + "\t" + m.group(2))
' "$1"
}

for script in "$@"; do
  for round in $(seq "$ROUNDS"); do
    sides="before after"
    [ $((round % 2)) = 0 ] && sides="after before"
    for side in $sides; do
      bin=$before
      [ "$side" = after ] && bin=$after
      echo "== $script: $side, round $round" >&2
      BERTH=$bin bash "$script" >"$out/$side.$round.txt" 2>"$out/$side.$round.err" ||
        { cat "$out/$side.$round.err" >&2; exit 1; }
      rows "$out/$side.$round.txt" >>"$out/$side.rows"
    done
  done
  python3 - "$out/before.rows" "$out/after.rows" "$script" <<'PY'
import statistics, sys
def read(p):
    d = {}
    for line in open(p):
        label, ms = line.rstrip("\n").rsplit("\t", 1)
        d.setdefault(label.strip(), []).append(int(ms))
    return d
b, a = read(sys.argv[1]), read(sys.argv[2])
print(f"{sys.argv[3]}: berth before vs after (medians of each binary's runs)")
for label in b:
    if label not in a: continue
    mb, ma = statistics.median(b[label]), statistics.median(a[label])
    print(f"  {label:40s} before {mb:8.0f} ms   after {ma:8.0f} ms   after/before {ma / mb if mb else 0:.2f}"
          f"   (runs: {' '.join(map(str, b[label]))} / {' '.join(map(str, a[label]))})")
PY
  rm -f "$out/before.rows" "$out/after.rows"
done
