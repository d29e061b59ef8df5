# Shared by the benchmark scripts of bench/: clocks, digests and the statistics they print.
# Sourced, not run.

now() { date +%s.%N; }
elapsed() { awk -v from="$1" -v to="$2" 'BEGIN {print to - from}'; }
# Values are compared by digest so that none is ever printed.
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
# percentile P VALUE...: the nearest-rank P-th percentile.
percentile() { printf '%s\n' "${@:2}" | sort -g | awk -v p="$1" '{a[NR] = $1} END {print a[int((NR - 1) * p / 100) + 1]}'; }
maximum() { percentile 100 "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }
