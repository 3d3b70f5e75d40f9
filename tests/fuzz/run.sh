#!/bin/sh
# Runs each fuzz target of a BERTH_FUZZ build for SECONDS (default 20), from
# its seed corpus (tests/fuzz/corpus/<target>: seeds, and every input that
# ever crashed it, kept as a regression) plus what this machine's earlier runs
# added ($FUZZ_WORK, default /var/tmp/berth-fuzz). Prints each target's runs
# and corpus size; exits 1 at the first crash, its input kept in
# $FUZZ_WORK/crashes/ (add it to the target's corpus with the fix).
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]     (CI: 20 s a target)
#   tests/fuzz/run-long.sh BUILD_DIR [HOURS]  (hours, for a long run)
#   FUZZ_TARGETS="fuzz_specs fuzz_dockerignore" …  (only these)
set -eu
build=$1
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=${FUZZ_WORK:-/var/tmp/berth-fuzz}
mkdir -p "$work/crashes"
conformance=$here/../conformance
# Seeds beyond each target's own corpus: the conformance vectors (read recursively).
extra_seeds() {
  case $1 in
    fuzz_dockerfile) echo "$conformance/buildkit-dockerfile-parser $conformance/dockerfiles-real-world/dockerfiles" ;;
    fuzz_image_json) echo "$conformance/oci-image-spec" ;;
  esac
}
status=0
for target in ${FUZZ_TARGETS:-$(cd "$here/corpus" && ls)}; do
  exe=$build/tests/fuzz/$target
  [ -x "$exe" ] || { echo "fuzz: $exe is not built" >&2; exit 1; }
  mkdir -p "$work/corpus/$target"
  log=$work/$target.log
  # -timeout: an input that takes 10 s is a finding too (a parser that hangs).
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/crashes/$target-" "$work/corpus/$target" "$here/corpus/$target" \
      $(extra_seeds "$target") >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    corpus=$(sed -n 's/.*INITED.* corp: \([0-9]*\).*/\1/p' "$log" | head -1)
    echo "fuzz: $target: $runs runs in ${seconds}s, $corpus inputs at the start, no crash"
  else
    echo "fuzz: $target: CRASH — $(ls -t "$work/crashes/$target-"* 2>/dev/null | head -1)" >&2
    grep -E 'ERROR|SUMMARY|terminate|what\(\)' "$log" | head -5 >&2
    status=1
  fi
done
exit $status
