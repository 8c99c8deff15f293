"""Every fixture: the binding's report equals the CLI's, whatever form the input takes."""

import json

import pytest

import kdiag
from conftest import ALL_FIXTURES, fixture_id, run_cli
from kube import api_complete, documents, items, to_model


def test_there_are_fixtures():
    assert len(ALL_FIXTURES) >= 50


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=fixture_id)
def test_text_and_bytes_equal_cli_json(cli, path):
    out = run_cli(cli, "--output", "json", str(path))
    assert out.returncode in (0, 1), out.stderr
    expected = json.loads(out.stdout)
    from_text = kdiag.diagnose(path.read_text(encoding="utf-8"))
    from_bytes = kdiag.diagnose(path.read_bytes())
    assert from_text.to_dict() == expected
    assert from_bytes.to_dict() == expected
    # Byte for byte, too.
    assert (from_text.to_json() + "\n").encode() == out.stdout
    # The fixture convention: exactly the ids of `<name>.expect`, else the directory's id
    # first, or no error/warning in healthy/.
    expect = path.with_suffix(".expect")
    if expect.is_file():
        assert [f.id for f in from_text] == expect.read_text().split()
    elif path.parent.name == "healthy":
        assert not from_text.errors and not from_text.warnings
    else:
        assert from_text[0].id == path.parent.name


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=fixture_id)
def test_markdown_equals_cli(cli, path):
    out = run_cli(cli, "--output", "markdown", str(path))
    assert kdiag.diagnose(path.read_bytes()).to_markdown().encode() == out.stdout


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=fixture_id)
def test_loaded_dicts_equal_cli_json(cli, path):
    expected = json.loads(run_cli(cli, "--output", "json", str(path)).stdout)
    docs = documents(path)
    data = docs[0] if len(docs) == 1 else docs
    assert kdiag.diagnose(data).to_dict() == expected


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=fixture_id)
def test_kubernetes_models_equal_cli_json(cli, path, tmp_path):
    # The models hold the API's form of each object; the CLI reads the same JSON.
    objects = [api_complete(o) for o in items(documents(path))]
    api_json = tmp_path / "objects.json"
    api_json.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
    expected = json.loads(run_cli(cli, "--output", "json", str(api_json)).stdout)
    models = [to_model(o) for o in objects]
    assert kdiag.diagnose(models).to_dict() == expected
    # Built by hand, models usually have no kind/apiVersion: the class name gives them.
    bare = [to_model(o, strip_kind=True) for o in objects]
    assert all(m.kind is None for m in bare)
    assert kdiag.diagnose(bare).to_dict() == expected
