#!/usr/bin/env bash
# `xacct serve` side by side with moto's server (the usual offline AWS of
# Python test suites) on the same signed requests: GetCallerIdentity,
# AssumeRole and ListBuckets at 64 connections, each server a process of
# its own, driven in turns by the same client (the serve benchmark with
# `--against`). Prints each round's requests per second, then the medians
# and the ratio. moto does not check signatures or policies; it is the
# bar for speed, not for fidelity. With `--objects`: PutObject and
# GetObject of 4 KiB objects instead (xacct serves
# scenarios/data-public-bucket.yaml, whose admin writes to `site`; the
# benchmark makes `site` on moto first).
#
#   benches/moto_side_by_side.sh [ROUNDS] [REQUESTS] [--objects]   (defaults 3, 4000)
#
# Installs moto[server] into target/moto-venv on first use (network).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
requests=${2:-4000}
mode=${3:-}
scenario=scenarios/success.yaml
extra=()
venv=target/moto-venv
if [ ! -x "$venv/bin/moto_server" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]'
fi
source benches/side_by_side.sh
bench=$(serve_bench "$PWD" "${CARGO_TARGET_DIR:-}")
# After the benchmark, whose build leaves an opt-level 3 `xacct` there: the
# server measured is the binary as shipped.
cargo build --release --locked --quiet --bin xacct
if [ "$mode" = "--objects" ]; then
    OPS="PutObject GetObject"
    scenario=scenarios/data-public-bucket.yaml
    extra=(--objects)
fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
moto_port=$(free_port)
xacct_port=$(free_port)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >/dev/null 2>&1 &
moto_pid=$!
target/release/xacct serve --quiet --port "$xacct_port" "$scenario" >/dev/null 2>&1 &
xacct_pid=$!
trap 'kill $moto_pid $xacct_pid 2>/dev/null || true' EXIT
for port in "$moto_port" "$xacct_port"; do
    for _ in $(seq 100); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
        sleep 0.2
    done
done
run_side() {
    local port_var=${1}_port out
    out=$("$bench" --against "127.0.0.1:${!port_var}" --requests "$requests" "${extra[@]}" 2>&1) || {
        printf '%s\n' "$out" >&2
        return 1
    }
    printf '%s\n' "$out"
}
turns "$rounds" moto xacct
table moto xacct "moto" "xacct serve" "x%.0f"
