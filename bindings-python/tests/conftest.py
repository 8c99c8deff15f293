"""Shared helpers of the binding's tests."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
ALL_FIXTURES = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml", ".yml")
)


def fixture_id(path: pathlib.Path) -> str:
    return str(path.relative_to(FIXTURES))


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    """The built `kdiag` binary (scripts/test-python.sh builds it and sets KDIAG_CLI)."""
    path = pathlib.Path(os.environ.get("KDIAG_CLI", REPO / "target" / "debug" / "kdiag"))
    assert path.is_file(), f"the kdiag CLI is not built at {path}: cargo build -p kdiag-cli"
    return path


def run_cli(cli: pathlib.Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    result = subprocess.run([str(cli), *args], input=stdin, capture_output=True, check=False)
    assert result.returncode in (0, 1, 2), result.stderr
    return result
