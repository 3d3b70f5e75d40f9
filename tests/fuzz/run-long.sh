#!/bin/sh
# The fuzz targets for HOURS (default 1) each, one after the other, growing
# the corpus under $FUZZ_WORK; see run.sh. Every crash found becomes a file in
# tests/fuzz/corpus/<target>/ once it is fixed, so CI replays it forever.
#
#   tests/fuzz/run-long.sh BUILD_DIR [HOURS]
set -eu
hours=${2:-1}
exec "$(dirname "$0")/run.sh" "$1" "$(echo "$hours * 3600 / 1" | bc)"
