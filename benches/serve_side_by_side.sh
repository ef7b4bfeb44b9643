#!/usr/bin/env bash
# `xacct serve` side by side with an earlier version: builds the serve
# benchmark of BASE (a git revision) in a worktree, then runs it and this
# checkout's in turns, ROUNDS times each, and prints requests per second
# at 64 connections and the ratio of the medians. The machine's timings
# drift between minutes, so only turns taken side by side compare.
#
#   benches/serve_side_by_side.sh BASE [ROUNDS]     (default 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: benches/serve_side_by_side.sh BASE [ROUNDS]}
rounds=${2:-3}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/tree" "$base" >/dev/null
build() { # DIR TARGET -> the serve bench executable
    (cd "$1" && CARGO_TARGET_DIR="$2" cargo bench --bench serve --no-run --message-format=json 2>/dev/null) |
        python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "serve" and m.get("executable"):
        print(m["executable"])' | tail -1
}
echo "building $base (a first build takes minutes) ..." >&2
old=$(build "$work/tree" "${BASE_TARGET_DIR:-$work/target}")
new=$(build "$PWD" "${CARGO_TARGET_DIR:-$PWD/target}")
declare -A runs
for round in $(seq "$rounds"); do
    for side in old new; do
        bin=${!side}
        out=$("$bin" 2>&1)
        for op in GetCallerIdentity AssumeRole ListBuckets; do
            rate=$(printf '%s\n' "$out" | awk -F'|' -v op="$op" '$2 ~ op && $3+0 == 64 { gsub(/ /, "", $4); print $4 }')
            runs[$side,$op]="${runs[$side,$op]:-} $rate"
            echo "round $round $side $op at 64 connections: $rate/s"
        done
    done
done
median() { printf '%s\n' $1 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "| operation at 64 connections | $base (median/s) | this checkout (median/s) | ratio |"
echo "|---|---|---|---|"
for op in GetCallerIdentity AssumeRole ListBuckets; do
    o=$(median "${runs[old,$op]}")
    n=$(median "${runs[new,$op]}")
    echo "| $op | $o | $n | $(awk -v o="$o" -v n="$n" 'BEGIN { printf "%.2fx", n / o }') |"
done
