#!/usr/bin/env bash
# Numbers must not move with speed work: runs the CLI on the benchmark workloads, the demos and a
# few non-default settings, strips the timings, and either records the documents
# (`parity.sh record`) or compares them byte for byte with the recorded ones (`parity.sh check`).
# Every case runs with --threads 1 and --threads 2; both must equal the record.
#   usage: bash bench/parity.sh record|check [REFDIR [KEEPDIR]]   (default REFDIR: bench/data/parity)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?record or check}
ref=${2:-bench/data/parity}
cli=${SPARSITY_PROBE_CLI:-$PWD/build/bin/sparsity-probe}  # bench/run.mjs passes its copy of the build
/usr/bin/python3 bench/generate.py
mkdir -p "$ref"
# Which source the record was made from (read by bench/run.mjs for the report): this checkout,
# unless PARITY_SOURCE names another (bench/run.mjs records with CLIs built from older commits).
if [ "$mode" = record ]; then
  source=${PARITY_SOURCE:-}
  if [ -z "$source" ]; then
    dirty=$(git status --porcelain -- src include CMakeLists.txt | wc -l)
    source=$(git log -1 --format=%h)
    if [ "$dirty" -gt 0 ]; then source="$source plus uncommitted changes to $dirty source files"; fi
  fi
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$source" > "$ref/RECORDED"
fi
# check only: where to keep the --threads 1 documents it made (bench/run.mjs compares them further).
keep=${3:-}
[ "$mode" = check ] && [ -n "$keep" ] && mkdir -p "$keep"

# name | folder ('' for demos) | arguments
cases=(
  "w1|W1|analyze W1.npy labels.npy --seeds 1"
  "w2|W2|analyze W2.npy labels.npy --seeds 1"
  "w3|W3|analyze W3.npy labels.npy --seeds 1"
  "w1-3seeds|W1|analyze W1.npy labels.npy --seeds 3"
  "w2-sqrt|W2|analyze W2.npy labels.npy --seeds 2 --max-features sqrt"
  "w2-deep|W2|analyze W2.npy labels.npy --seeds 1 --depth 40 --trees 2"
  "w2-leaf|W2|analyze W2.npy labels.npy --seeds 1 --min-samples-leaf 3 --max-bins 64 --measure samples"
  "w1-nobootstrap|W1|analyze W1.npy labels.npy --seeds 1 --no-bootstrap --sample-fraction 0.5 --max-features 0.25"
  "n1000|scaling/n1000_d256|analyze X.npy labels.npy --seeds 2"
  "d4096|scaling/n5000_d4096|analyze X.npy labels.npy --seeds 1"
  "spiral||demo spiral"
  "circles||demo circles --label-noise 0.2"
  "quantiles||demo gaussian-quantiles --classes 5 --samples 5000"
  "moons||demo moons --max-bins 16"
  "xor||demo xor --samples 3000 --depth 25"
  "random||demo random --classes 10 --samples 2000 --trees 5"
)

failed=0
for spec in "${cases[@]}"; do
  IFS='|' read -r name folder args <<<"$spec"
  dir=bench/data/${folder:-.}
  for threads in 1 2; do
    # shellcheck disable=SC2086
    out=$(cd "$dir" && "$cli" $args --threads $threads --json - | sed -E 's/"seconds": *[0-9.e+-]+/"seconds": 0/g')
    [ "$mode" = check ] && [ -n "$keep" ] && [ $threads = 1 ] && printf '%s\n' "$out" > "$keep/$name.json"
    if [ "$mode" = record ]; then
      [ $threads = 1 ] && printf '%s\n' "$out" > "$ref/$name.json"
    elif ! diff -q <(printf '%s\n' "$out") "$ref/$name.json" > /dev/null; then
      echo "DIFFERS: $name (threads $threads)"
      failed=1
    fi
  done
  [ "$mode" = check ] && [ $failed = 0 ] && echo "same: $name"
done
exit $failed
