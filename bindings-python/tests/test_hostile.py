"""The catalogue of hostile inputs (tests/hostile/) through the Python binding: each case
gives exactly the core's outcome (expected/<name>.json: the report's JSON byte for byte,
or an InputError with its location and message), as bytes and, when the input is UTF-8, as
str; its Markdown and HTML echo no secret (nor, in Markdown, a terminal control sequence); nothing takes the interpreter down."""

import json

import pytest

import kdiag
from conftest import REPO

HOSTILE = REPO / "tests" / "hostile"
CASES = json.loads((HOSTILE / "catalogue.json").read_text(encoding="utf-8"))["cases"]


def input_bytes(spec: dict) -> bytes:
    if "text" in spec:
        return spec["text"].encode("utf-8")
    if "file" in spec:
        return (HOSTILE / "inputs" / spec["file"]).read_bytes()
    g = spec["generate"]
    return (g.get("head", "") + g["repeat"] * g["times"] + g.get("tail", "")).encode("utf-8")


def test_the_catalogue_has_its_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile(case):
    expected = (HOSTILE / "expected" / f"{case['name']}.json").read_text(encoding="utf-8")
    want = json.loads(expected)
    data = input_bytes(case["input"])
    inputs = [data]
    # The same text as a str, where it is UTF-8 (a str is never UTF-16: NULs stay NULs).
    if b"\x00" not in data:
        try:
            inputs.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    for given in inputs:
        if "error" in want:
            with pytest.raises(kdiag.InputError) as exc:
                kdiag.diagnose(given)
            assert exc.value.location == want["error"]["location"]
            assert exc.value.message == want["error"]["message"]
            continue
        report = kdiag.diagnose(given)
        assert report.to_json() + "\n" == expected
        markdown = report.to_markdown()
        for secret in case.get("never", []) + ["CANARY"]:
            assert secret not in markdown
        # The HTML card holds the report's text as data (escaped); no secret in it either.
        assert "CANARY" not in report._repr_html_()
