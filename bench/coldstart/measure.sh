#!/bin/bash
# Cold start of `photosearch-cli search` (issue 15), run on purpose, never by CTest:
#   bench/coldstart/measure.sh CLI LIBRARY MODEL [RUNS]
# min and median wall time over RUNS, max RSS and mean CPU, for a cached query (the
# same text again, warmed first) and for new texts; with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE kept as set and unset (users' conditions).
# MODEL: a ViT-B/32-shaped folder from make_b32_clip.py; LIBRARY: photos indexed with it.
set -eu
CLI=$1; LIB=$2; MODEL=$3; N=${4:-5}
one() { /usr/bin/time -f "%e %M %U %S" "$@" --library "$LIB" --model "$MODEL" 2>&1 >/dev/null | tail -1; }
stat() { sort -n -k1 | awk '{w[NR]=$1; if($2>r)r=$2; u+=$3; s+=$4} END{printf "min %.2f s, median %.2f s wall, max RSS %d MB, mean cpu %.2f s\n", w[1], w[int((NR+1)/2)], r/1024, (u+s)/NR}'; }
for envmode in keep unset; do
  if [ $envmode = unset ]; then E="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"; else E=env; fi
  $E "$CLI" search "a dog on a beach" --library "$LIB" --model "$MODEL" >/dev/null 2>&1
  echo -n "OPENBLAS $envmode cached: "; for i in $(seq "$N"); do one $E "$CLI" search "a dog on a beach"; done | stat
  echo -n "OPENBLAS $envmode new:    "; for i in $(seq "$N"); do one $E "$CLI" search "query $RANDOM $RANDOM $i $envmode"; done | stat
done
