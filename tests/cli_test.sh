#!/usr/bin/env bash
# End-to-end checks of the sparsity-probe command line: exit codes, stdout/stderr discipline, the
# JSON document, and the acceptance facts of the core issue. Usage: cli_test.sh PATH/TO/sparsity-probe
set -u
cli="$1"
fixtures="$(cd "$(dirname "$0")/fixtures" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# Evaluates a JavaScript expression over the parsed JSON document in file $1; prints the result.
json() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$1" "$2"; }

# 1. demo spiral --json -: only the document on stdout, status ok, 0.8 <= tau* <= 1.4.
"$cli" demo spiral --json - > "$work/spiral.json" 2> "$work/spiral.err"
status=$?
[ $status -eq 0 ] || fail "demo spiral exited $status: $(cat "$work/spiral.err")"
if json "$work/spiral.json" 'd.tool' > /dev/null 2>&1; then
  layer_status=$(json "$work/spiral.json" 'd.layers[0].status')
  tau=$(json "$work/spiral.json" 'd.layers[0].tau_star')
  [ "$layer_status" = ok ] || fail "spiral status is $layer_status"
  json "$work/spiral.json" 'd.layers[0].tau_star >= 0.8 && d.layers[0].tau_star <= 1.4' | grep -q true \
    && pass "spiral tau* = $tau in [0.8, 1.4]" || fail "spiral tau* = $tau outside [0.8, 1.4]"
  for key in alpha alpha_std alpha_min alpha_max alpha_per_seed tau_star status alpha_mterm wavelets seconds curve mterm; do
    json "$work/spiral.json" "'$key' in d.layers[0]" | grep -q true || fail "layer key $key missing"
  done
  json "$work/spiral.json" 'd.layers[0].curve.tau.length === 195 && d.layers[0].curve.angle.length === 195' | grep -q true \
    || fail "curve does not have 195 points"
  json "$work/spiral.json" 'd.settings.trees === 3 && d.settings.depth === 15 && d.settings.measure === "volume"' | grep -q true \
    || fail "settings block does not hold the defaults"
else
  fail "demo spiral --json - did not print one JSON document: $(head -c 200 "$work/spiral.json")"
fi

# 2. circles gives a lower tau* than spiral.
"$cli" demo circles --json "$work/circles.json" > "$work/circles.txt" || fail "demo circles failed"
spiral_tau=$(json "$work/spiral.json" 'd.layers[0].tau_star')
circles_tau=$(json "$work/circles.json" 'd.layers[0].tau_star')
node -e "process.exit(Number(process.argv[1]) < Number(process.argv[2]) ? 0 : 1)" "$circles_tau" "$spiral_tau" \
  && pass "circles tau* $circles_tau < spiral tau* $spiral_tau" || fail "circles tau* $circles_tau not below spiral $spiral_tau"
grep -q "circles" "$work/circles.txt" || fail "--json PATH should still print the table"

# 3. analyze an .npz written by NumPy with three layers and labels: three rows.
"$cli" analyze "$fixtures/model3.npz" > "$work/model3.txt" 2> "$work/model3.err"
status=$?
[ $status -eq 0 ] || fail "analyze model3.npz exited $status: $(cat "$work/model3.err")"
rows=$(grep -cE '^(input|hidden|last) ' "$work/model3.txt")
[ "$rows" -eq 3 ] && pass "analyze model3.npz prints three rows" || { fail "expected 3 rows, found $rows"; cat "$work/model3.txt"; }
"$cli" analyze "$fixtures/model3.npz" --json "$work/model3.json" > /dev/null
json "$work/model3.json" 'd.layers.map(l => l.name).join(",")' | grep -qx "input,hidden,last" || fail "layer order in JSON"
# Layers built to separate the classes better and better: alpha* rises from input to last.
json "$work/model3.json" 'd.layers[0].alpha < d.layers[2].alpha' | grep -q true \
  && pass "alpha* input < last ($(json "$work/model3.json" 'd.layers.map(l => l.alpha.toFixed(3)).join(" < ")'))" \
  || fail "alpha* of the separated last layer is not above the input's"

# 3b. --diagnostics: the linear probe, KMeans indices and NCC mismatch per layer, and the correlations.
"$cli" analyze "$fixtures/model3.npz" --diagnostics --json "$work/diagnostics.json" > "$work/diagnostics.txt" \
  || fail "analyze --diagnostics failed"
grep -q "linear tr/ho" "$work/diagnostics.txt" && grep -q "Pearson r of alpha\* with each diagnostic across the 3 layers" "$work/diagnostics.txt" \
  && pass "--diagnostics prints the extra columns and the correlation table" || fail "--diagnostics table: $(cat "$work/diagnostics.txt")"
json "$work/diagnostics.json" 'd.layers.every(l => l.diagnostics.linear_probe.heldout_accuracy >= 0 && "adjusted_mutual_information" in l.diagnostics.kmeans && l.diagnostics.ncc_reference === "labels") && d.correlations[0].layers === 3' | grep -q true \
  || fail "--diagnostics JSON keys"
"$cli" analyze "$fixtures/with_y_and_predictions.npz" --diagnostics --json - | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); process.exit(d.layers[0].diagnostics.ncc_reference === "predictions" ? 0 : 1)' \
  && pass "an array named predictions is the NCC reference" || fail "predictions not used as the NCC reference"

# 4. truncated and corrupted archives: one clear line on stderr, non-zero exit, nothing on stdout.
for name in model3_truncated model3_corrupt; do
  "$cli" analyze "$fixtures/$name.npz" > "$work/$name.out" 2> "$work/$name.err"
  status=$?
  lines=$(wc -l < "$work/$name.err")
  if [ $status -ne 0 ] && [ "$lines" -eq 1 ] && grep -q "$name.npz" "$work/$name.err"; then
    pass "$name.npz: exit $status, $(cat "$work/$name.err")"
  else
    fail "$name.npz: exit $status, $lines stderr lines: $(cat "$work/$name.err")"
  fi
done
grep -qi "truncated\|end-of-central-directory" "$work/model3_truncated.err" || fail "truncated archive message does not say so"
grep -qi "crc" "$work/model3_corrupt.err" || fail "corrupted archive message does not name the CRC check"

# 5. usage errors: exit 2, one line; --help: exit 0.
check_usage() {
  "$cli" "$@" > "$work/usage.out" 2> "$work/usage.err"
  local status=$?
  if [ $status -eq 2 ] && [ "$(wc -l < "$work/usage.err")" -eq 1 ] && [ ! -s "$work/usage.out" ]; then
    pass "usage error ($*): $(cat "$work/usage.err")"
  else
    fail "usage error ($*) gave exit $status: $(cat "$work/usage.err")"
  fi
}
check_usage demo spiral --trees zero
check_usage demo spiral --measure area
check_usage demo spiral --eps-unit grad
check_usage demo spiral --bogus
check_usage analyze
check_usage demo
check_usage frobnicate
check_usage demo spiral --eps-low 0.5 --eps-high 0.2
check_usage demo spiral --label-noise 1.5
check_usage analyze "$fixtures/model3.npz" --max-samples 1
check_usage analyze "$fixtures/model3.npz" --project-features 0
check_usage analyze "$fixtures/model3.npz" --project-features many
"$cli" demo nonsense > /dev/null 2> "$work/unknown.err"; status=$?
[ $status -eq 1 ] && grep -q "spiral" "$work/unknown.err" && pass "unknown data set lists the valid names" || fail "unknown data set: exit $status $(cat "$work/unknown.err")"
"$cli" analyze "$work/does-not-exist.npz" > /dev/null 2> "$work/missing.err"; status=$?
[ $status -eq 1 ] && grep -q "does-not-exist.npz" "$work/missing.err" && pass "missing file: $(cat "$work/missing.err")" || fail "missing file: exit $status"
for command in "--help" "analyze --help" "demo --help"; do
  # shellcheck disable=SC2086
  "$cli" $command > "$work/help.out" 2>&1 && grep -q "Usage\|usage" "$work/help.out" || fail "$command"
done
"$cli" --version | grep -q "sparsity-probe" || fail "--version"

# 6. Reductions: recorded in the settings only when asked for, the analysed shape per layer, the
# same document for the same seed, and a sample too small for the classes is that layer's error.
"$cli" analyze "$fixtures/model3.npz" --json "$work/plain.json" > /dev/null
json "$work/plain.json" '!("max_samples" in d.settings) && !("project_features" in d.settings) && d.layers.every(l => !("analysed_samples" in l))' \
  | grep -q true && pass "without reductions the document has none of their keys" || fail "reduction keys in a plain run"
"$cli" analyze "$fixtures/model3.npz" --max-samples 90 --project-features 6 --seed 4 --json "$work/reduced.json" > "$work/reduced.txt" \
  || fail "analyze with reductions failed"
json "$work/reduced.json" 'd.settings.max_samples === 90 && d.settings.project_features === 6 && d.settings.seed === 4' | grep -q true \
  || fail "reductions are not in the settings"
json "$work/reduced.json" 'd.layers.map(l => [l.samples, l.features, l.analysed_samples, l.analysed_features].join(" ")).join(",")' \
  | grep -qx "150 12 90 6,150 8 90 6,150 4 90 4" && pass "analysed shapes recorded per layer" \
  || fail "analysed shapes: $(json "$work/reduced.json" 'JSON.stringify(d.layers.map(l => [l.analysed_samples, l.analysed_features]))')"
grep -q "input: analysed 90 x 6 (stratified rows) (random projection)" "$work/reduced.txt" || fail "the table does not say what was analysed"
"$cli" analyze "$fixtures/model3.npz" --max-samples 90 --project-features 6 --seed 4 --json - 2>/dev/null | grep -v '"seconds"' > "$work/r1.json"
"$cli" analyze "$fixtures/model3.npz" --max-samples 90 --project-features 6 --seed 4 --threads 1 --json - 2>/dev/null | grep -v '"seconds"' > "$work/r2.json"
cmp -s "$work/r1.json" "$work/r2.json" && pass "same seed, same reduced document" || fail "reduced documents differ between runs"
"$cli" analyze "$fixtures/model3.npz" --max-samples 90 --seed 5 --json - 2>/dev/null | grep -v '"seconds"' > "$work/r3.json"
cmp -s "$work/r1.json" "$work/r3.json" && fail "another seed gave the same document" || pass "another seed, other rows"
"$cli" analyze "$fixtures/model3.npz" --max-samples 2 > "$work/few.txt" 2> "$work/few.err"; status=$?
[ $status -eq 1 ] && [ "$(wc -l < "$work/few.err")" -eq 3 ] \
  && grep -q "layer input: max_samples = 2 is below the 3 classes of the labels" "$work/few.err" \
  && pass "a sample smaller than the classes: $(head -1 "$work/few.err")" || fail "max-samples 2: exit $status $(cat "$work/few.err")"

echo "$failures failure(s)"
[ $failures -eq 0 ]
