#!/usr/bin/env bash
# The web page and its WebAssembly module: wasm-bindgen tests under node, conformance of
# the wasm module with the CLI on every fixture, browser tests in headless Chromium (with
# axe-core), the page-weight budget. Installs what it needs, idempotently (as root on a
# fresh Debian machine): Chromium, the npm packages, the wasm target, wasm-bindgen-cli.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "tools for the web page"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
(cd web-demo && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

step "cargo xtask web (wasm module into web-demo/pkg; installs wasm-bindgen-cli if missing)"
cargo xtask web

step "wasm-bindgen tests under node"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked -p kdiag-wasm --target wasm32-unknown-unknown --test node

step "CLI for the conformance tests"
cargo build --locked -p kdiag-cli

step "node tests: conformance with the CLI, the API, the page in headless Chromium"
(cd web-demo && node --test --test-concurrency=1 tests/)

step "page weight (gzip) and the 10 MB paste benchmark"
(cd web-demo && node bench.mjs)
