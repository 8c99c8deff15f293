"""Errors: where they are, what type they are, and that nothing kills the interpreter."""

import datetime as dt
import subprocess
import sys

import pytest

import kdiag
from conftest import FIXTURES

OOM = FIXTURES / "oom-killed" / "oomkilled-container.json"


def test_empty_input_is_an_input_error_with_location():
    with pytest.raises(kdiag.InputError) as exc:
        kdiag.diagnose("")
    e = exc.value
    assert isinstance(e, ValueError)
    assert e.location == "line 1"
    assert "empty" in e.message
    assert str(e) == f"{e.location}: {e.message}"


def test_broken_json_location_has_line_and_column():
    with pytest.raises(kdiag.InputError) as exc:
        kdiag.diagnose('{\n  "kind": "Pod",\n  "metadata": {"name": "x",,}\n}')
    assert "line 3" in exc.value.location and "column" in exc.value.location


def test_bytes_and_dicts_raise_the_same_error_type():
    with pytest.raises(kdiag.InputError):
        kdiag.diagnose(b"   \n")
    with pytest.raises(kdiag.InputError) as exc:
        kdiag.diagnose(["{ not json", ""])
    assert exc.value.location.startswith("list item 0, ")


def test_partly_bad_input_is_a_warning_not_an_error():
    text = OOM.read_text()
    damaged = text + '\n{"kind": "Pod", "status": {"containerStatuses": [{"restartCount": "x"}]}}'
    r = kdiag.diagnose(damaged)
    assert r[0].id == "oom-killed"
    assert r.input_warnings
    w = r.input_warnings[0]
    assert isinstance(w, kdiag.InputWarning) and "document 2" in w.location


def test_value_without_json_form_names_its_path():
    pod = {"kind": "Pod", "metadata": {"name": "x", "labels": {"a": {1, 2}}}}
    with pytest.raises(TypeError) as exc:
        kdiag.diagnose([pod])
    assert 'data[0]["metadata"]["labels"]["a"]' in str(exc.value)
    assert "set" in str(exc.value)
    with pytest.raises(TypeError, match="as a dict key"):
        kdiag.diagnose({("a", "b"): 1})


def test_cycles_are_refused_not_a_crash():
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="nested deeper"):
        kdiag.diagnose(loop)


def test_exception_raised_by_a_model_attribute_passes_through():
    class Exploding:
        openapi_types = {"kind": "str"}
        attribute_map = {"kind": "kind"}

        @property
        def kind(self):
            raise LookupError("boom")

    with pytest.raises(LookupError, match="boom"):
        kdiag.diagnose(Exploding())


def test_bad_now():
    with pytest.raises(ValueError, match="RFC 3339"):
        kdiag.diagnose(OOM.read_text(), now="yesterday")
    with pytest.raises(TypeError):
        kdiag.diagnose(OOM.read_text(), now=12)
    assert kdiag.diagnose(OOM.read_text(), now=dt.datetime(2026, 11, 20, 10, 0))


def test_a_rust_panic_is_an_exception_not_an_abort():
    with pytest.raises(RuntimeError, match="internal error"):
        kdiag._call_native(kdiag._kdiag._panic_for_tests)
    # The interpreter is still alive and the engine still works.
    assert kdiag.diagnose(OOM.read_text())[0].id == "oom-killed"


def test_a_panic_in_a_fresh_interpreter_exits_cleanly():
    code = (
        "import kdiag\n"
        "try:\n"
        "    kdiag._call_native(kdiag._kdiag._panic_for_tests)\n"
        "except RuntimeError:\n"
        "    print('survived')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "survived", out.stderr
