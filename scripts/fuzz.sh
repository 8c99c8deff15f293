#!/usr/bin/env bash
# Fuzz the kdiag core with cargo-fuzz (libFuzzer), every target or the ones named.
#
#   scripts/fuzz.sh                      # every target for 60 s (what CI runs)
#   scripts/fuzz.sh --seconds 600 json   # one target, longer
#   scripts/fuzz.sh --runs 10000000      # every target for ten million executions
#   scripts/fuzz.sh --jobs 2 …           # two targets at a time
#
# Installs what it needs (the nightly toolchain, cargo-fuzz), idempotently. Each target
# starts from seeds made of the project's own inputs (tests/fixtures, tests/hostile,
# fuzz/seeds) plus the corpus earlier runs grew (target/fuzz/corpus, not committed).
# A crash, a panic, an input slower than 10 s or one needing more than 2 GiB fails the
# run; the input is written to target/fuzz/artifacts/<target>/. Keep it as a regression
# case in tests/hostile/ (see its README) once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
runs=""
jobs=1
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(diagnose sniff describe events_table pods_table yaml json quantity)
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi

work=target/fuzz
mkdir -p "$work"
echo "==> building the fuzz targets (nightly, debug assertions and overflow checks on)"
(cd fuzz && cargo +nightly fuzz build --sanitizer none >/dev/null)

# seeds TARGET DIR: fill DIR with the project's inputs that suit TARGET.
seeds() {
  local dir="$2"
  rm -rf "$dir" && mkdir -p "$dir"
  local pattern
  case "$1" in
    diagnose) pattern='*' ;;
    json) pattern='*.json' ;;
    yaml) pattern='*.yaml' ;;
    quantity) pattern='' ;;
    *) pattern='*.txt' ;;
  esac
  if [[ -n "$pattern" ]]; then
    local from=(tests/fixtures)
    [[ -d tests/hostile/inputs ]] && from+=(tests/hostile/inputs)
    find "${from[@]}" -type f -name "$pattern" -exec cp -t "$dir" --backup=numbered {} +
  fi
  if [[ -d "fuzz/seeds/$1" ]]; then cp -r "fuzz/seeds/$1/." "$dir/"; fi
}

run_one() {
  local t="$1"
  local corpus="$work/corpus/$t" seed="$work/seeds/$t" artifacts="$work/artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  seeds "$t" "$seed"
  local limit=(-max_total_time="$seconds")
  [[ -n "$runs" ]] && limit=(-runs="$runs")
  # libFuzzer's own cost per execution grows with the code an input reaches, and is most
  # of the time here: short inputs (-max_len) find the same reader bugs many times faster
  # (a header and a dozen lines, or a small object), and the entropic schedule and input
  # reduction cost more than they find (the whole entry: 780 executions/s with them at
  # 2 KiB, 1,115 without, 3,350 at 512 bytes).
  local max_len=512
  if (cd fuzz && cargo +nightly fuzz run --sanitizer none "$t" \
        "../$corpus" "../$seed" -- \
        "${limit[@]}" -max_len="$max_len" -entropic=0 -reduce_inputs=0 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -artifact_prefix="../$artifacts" -print_final_stats=1) >"$work/$t.log" 2>&1; then
    echo "ok     $t: $(grep -E '^stat::number_of_executed_units' "$work/$t.log" | awk '{print $2}') executions"
  else
    echo "FAILED $t (log: $work/$t.log, input: $artifacts)"
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY' "$work/$t.log" | head -5
    return 1
  fi
}

budget="$seconds s"
[[ -n "$runs" ]] && budget="$runs executions"
echo "==> fuzzing ${targets[*]} ($budget each, $jobs at a time)"
failed=0
running=0
for t in "${targets[@]}"; do
  if [[ $running -ge $jobs ]]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
while [[ $running -gt 0 ]]; do
  wait -n || failed=1
  running=$((running - 1))
done
[[ $failed -eq 0 ]] || { echo "fuzzing found a crash"; exit 1; }
echo "fuzzing: no crash"
