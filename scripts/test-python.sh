#!/usr/bin/env bash
# The Python bindings (bindings-python/, `import kdiag`): build them into a virtualenv and
# run their pytest suite (every input type, conformance with the CLI's JSON on every
# fixture, errors, HTML escaping, a notebook run). Installs what it needs from PyPI,
# idempotently: `.venv/` at the repo root is created if missing and each package is
# installed only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "python: virtualenv .venv and test tools"
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq python3-venv
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
PY=.venv/bin/python
missing=()
for spec in maturin:maturin pytest:pytest kubernetes:kubernetes nbclient:nbclient \
            nbformat:nbformat ipykernel:ipykernel; do
  module=${spec%%:*}
  package=${spec##*:}
  if ! "$PY" -c "import ${module}" >/dev/null 2>&1; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  "$PY" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
fi

step "python: build the kdiag CLI (the conformance reference) and the extension"
cargo build --locked -p kdiag-cli
# maturin develop builds the abi3 extension into .venv (shares the workspace target/).
(cd bindings-python && VIRTUAL_ENV="$PWD/../.venv" PATH="$PWD/../.venv/bin:$PATH" \
  ../.venv/bin/maturin develop --locked --quiet)

step "python: pytest"
KDIAG_CLI="$PWD/target/debug/kdiag" "$PY" -m pytest -q bindings-python/tests
