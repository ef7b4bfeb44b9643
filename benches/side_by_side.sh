# Shared by benches/serve_side_by_side.sh and benches/moto_side_by_side.sh
# (sourced, not run): the serve benchmark's executable, turns taken side by
# side, and the table of medians.

OPS="GetCallerIdentity AssumeRole ListBuckets"
declare -A runs

# serve_bench DIR [TARGET_DIR]: builds the serve benchmark of the checkout in
# DIR and prints its executable's path. The application's package builds at
# opt-level 1 for release, and the load client (its hyper client is
# instantiated in the benchmark's own crate) would then run less optimised on
# the cores it shares with the server it measures; so the benchmark builds
# the package at 3, for every side alike. This build also writes an
# opt-level 3 `xacct` to the target's release folder: a caller that runs that
# binary builds it again with `cargo build --release` afterwards.
serve_bench() {
    (cd "$1" && CARGO_TARGET_DIR="${2:-$1/target}" cargo bench --config 'profile.bench.package.xacct.opt-level=3' --bench serve --no-run --message-format=json 2>/dev/null) |
        python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "serve" and m.get("executable"):
        print(m["executable"])' | tail -1
}

# turns ROUNDS SIDE...: runs `run_side SIDE` (the caller's function, printing
# the benchmark's table) for each side in turn, ROUNDS times, and keeps each
# operation's requests per second at 64 connections in `runs[SIDE,OP]`.
turns() {
    local rounds=$1 round side op out rate
    shift
    for round in $(seq "$rounds"); do
        for side in "$@"; do
            out=$(run_side "$side")
            for op in $OPS; do
                rate=$(printf '%s\n' "$out" | awk -F'|' -v op="$op" '$2 ~ op && $3+0 == 64 { gsub(/ /, "", $4); print $4 }')
                runs[$side,$op]="${runs[$side,$op]:-} $rate"
                echo "round $round $side $op at 64 connections: $rate/s"
            done
        done
    done
}

median() { printf '%s\n' $1 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# table A B "A's heading" "B's heading" FORMAT: the medians of both sides and
# B's over A's, printed with the awk FORMAT (e.g. %.2fx).
table() {
    local a=$1 b=$2 op x y
    echo
    echo "| operation at 64 connections | $3 (median/s) | $4 (median/s) | ratio |"
    echo "|---|---|---|---|"
    for op in $OPS; do
        x=$(median "${runs[$a,$op]}")
        y=$(median "${runs[$b,$op]}")
        echo "| $op | $x | $y | $(awk -v x="$x" -v y="$y" -v f="$5" 'BEGIN { printf f, y / x }') |"
    done
}
