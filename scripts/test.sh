#!/usr/bin/env bash
# Run every check and test of the project. Installs what it needs, idempotently: on a
# fresh machine it adds the missing pieces; on a prepared one it only runs the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
    rustup component add "$component"
  fi
done

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (unit, integration, doc tests, fixtures and snapshots)"
# INSTA_UPDATE=no: a changed report fails the run instead of writing a new snapshot.
INSTA_UPDATE=no cargo test --workspace --locked

step "cargo doc (broken links and missing docs are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "benchmark harness builds and runs on a small dump"
KDIAG_BENCH_PODS=200 KDIAG_BENCH_NODES=20 KDIAG_BENCH_EVENTS=1000 KDIAG_BENCH_ITERS=1 \
  cargo bench -p kdiag-bench --locked --bench diagnose

step "fuzzing: every cargo-fuzz target for a minute, seeded with the fixtures and the hostile catalogue"
./scripts/fuzz.sh --seconds 60 --jobs 2

./scripts/test-web.sh  # the web page and its WebAssembly module
./scripts/test-python.sh  # Python bindings: venv, maturin build, pytest

echo
echo "all checks passed"
