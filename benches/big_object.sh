#!/usr/bin/env bash
# 100 MB through `aws s3 cp` against a release `xacct serve`: up (a
# multipart upload of 8 MB parts, 10 at a time), down (ranged GETs of
# 8 MB) and compared byte for byte, with the server's peak resident
# memory (VmHWM) before and after, so its memory is seen to be bounded by
# the object plus the parts in flight, not by copies of it.
#
#   benches/big_object.sh [MEGABYTES]   (default 100)
#
# Installs the AWS CLI into target/cli-venv on first use (network).
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
venv=target/cli-venv
if [ ! -x "$venv/bin/aws" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check awscli
fi
cargo build --release --locked --quiet --bin xacct
scenario=scenarios/data-public-bucket.yaml
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/release/xacct serve --quiet --port "$port" "$scenario" >/dev/null 2>&1 &
pid=$!
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.1
done
eval "$(target/release/xacct serve "$scenario" --port "$port" --print-env arn:aws:iam::222222222222:user/admin)"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
hwm() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
head -c "$((mb * 1024 * 1024))" /dev/urandom > "$work/up.bin"
echo "server at rest: $(rss) MiB resident"
aws="$venv/bin/aws --endpoint-url http://127.0.0.1:$port"
$aws s3 mb s3://big >/dev/null
start=$(date +%s.%N)
$aws s3 cp --quiet "$work/up.bin" s3://big/up.bin
up=$(date +%s.%N)
echo "upload of $mb MB: $(awk -v a="$start" -v b="$up" 'BEGIN { printf "%.2f", b - a }') s; peak $(hwm) MiB resident"
$aws s3 cp --quiet s3://big/up.bin "$work/down.bin"
down=$(date +%s.%N)
echo "download of $mb MB: $(awk -v a="$up" -v b="$down" 'BEGIN { printf "%.2f", b - a }') s; peak $(hwm) MiB resident, $(rss) MiB now"
cmp -s "$work/up.bin" "$work/down.bin" && echo "the object came back byte for byte" || { echo "MISMATCH"; exit 1; }
etag=$($aws s3api head-object --bucket big --key up.bin --query ETag --output text)
echo "ETag $etag"
