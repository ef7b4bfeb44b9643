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
source benches/side_by_side.sh
echo "building $base (a first build takes minutes) ..." >&2
old=$(serve_bench "$work/tree" "${BASE_TARGET_DIR:-$work/target}")
new=$(serve_bench "$PWD" "${CARGO_TARGET_DIR:-$PWD/target}")
run_side() { "${!1}" 2>&1; }
turns "$rounds" old new
table old new "$base" "this checkout" "%.2fx"
