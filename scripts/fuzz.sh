#!/usr/bin/env bash
# Fuzz the readers and the probe with libFuzzer (clang-14 with Debian's libclang-rt-14-dev), under
# AddressSanitizer and UndefinedBehaviorSanitizer, each target for SECONDS (default 60), seeded with
# the test fixtures. A crash input is saved in build-fuzz/; once fixed, commit it under
# tests/fuzz/regressions/TARGET/, where every run replays it first. Usage: fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("${@:-npy npz csv analyze}")
bash scripts/ensure-deps.sh
# The library once, instrumented; then one small link per target.
flags=(-std=c++17 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -ffp-contract=off
  -DSPARSITY_PROBE_VERSION='"fuzz"' -Iinclude -Isrc/core)
mkdir -p build-fuzz/objects
objects=()
for source in src/core/*.cpp src/io/*.cpp; do
  object=build-fuzz/objects/$(basename "${source%.cpp}").o
  objects+=("$object")
  if [ ! -e "$object" ] || [ -n "$(find "$source" include src/core -newer "$object" -name '*.[ch]pp' | head -1)" ]; then
    clang++-14 "${flags[@]}" -c "$source" -o "$object" &
    while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n; done
  fi
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n; done
for target in ${targets[@]}; do
  binary=build-fuzz/fuzz_$target
  clang++-14 "${flags[@]}" -fsanitize=fuzzer "tests/fuzz/fuzz_$target.cpp" "${objects[@]}" -o "$binary"
  corpus=build-fuzz/corpus_$target
  mkdir -p "$corpus"
  case $target in
    npy) seeds=(tests/fixtures/*.npy) ;;
    npz) seeds=(tests/fixtures/*.npz tests/fixtures/*.deflate) ;;
    csv) seeds=(tests/fixtures/*.csv tests/fixtures/*.tsv) ;;
    *) seeds=() ;;
  esac
  [ ${#seeds[@]} -gt 0 ] && cp -n "${seeds[@]}" "$corpus"/
  # Inputs that once crashed a target run first, one by one, as regression tests.
  regressions=(tests/fuzz/regressions/"$target"/*)
  if [ -e "${regressions[0]}" ]; then "$binary" "${regressions[@]}" > /dev/null 2>&1 || { echo "a fuzz regression input crashes $target"; exit 1; }; fi
  echo "fuzzing $target for ${seconds} s"
  (cd build-fuzz && "./fuzz_$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 "corpus_$target" > "fuzz_$target.log" 2>&1) || { tail -40 "build-fuzz/fuzz_$target.log"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::new_units_added" "build-fuzz/fuzz_$target.log" | tr '\n' ' '
  echo
done
