#!/bin/bash
# The window's first search (issue 15), run on purpose, never by CTest:
#   bench/coldstart/window.sh BUILD LIBRARY MODEL [RUNS]
# min and median milliseconds from the first search request to its answer, through the
# window's search worker (build/bench/bench_window_search), each run a fresh process: a
# cached query (the same text again, warmed first) and new texts, each as the worker does
# it now and with the whole model taken first (what every first search did before the
# worker took towers lazily). Users' conditions: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
set -eu
BUILD=$1; LIB=$2; MODEL=$3; N=${4:-5}
B="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $BUILD/bench/bench_window_search --library $LIB --model $MODEL"
ms() { sed -n 's/.*"ms":\([0-9.]*\).*/\1/p'; }
stat() { sort -n | awk '{v[NR]=$1} END{printf "min %.0f ms, median %.0f ms (%d runs)\n", v[1], v[int((NR+1)/2)], NR}'; }
$B --query "a dog on a beach" >/dev/null 2>&1
for preload in "" whole; do
  P=${preload:+--preload $preload}
  echo -n "cached ${preload:-lazy}: "; for i in $(seq "$N"); do $B $P --query "a dog on a beach" 2>/dev/null | ms; done | stat
  echo -n "new    ${preload:-lazy}: "; for i in $(seq "$N"); do $B $P --query "window $RANDOM $RANDOM $i $preload" 2>/dev/null | ms; done | stat
done
