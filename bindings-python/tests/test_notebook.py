"""A notebook that imports kdiag and shows a report runs, and the report renders as cards."""

import nbformat
from nbclient import NotebookClient

from conftest import FIXTURES


def test_notebook_renders_the_report():
    path = FIXTURES / "rollout.stuck" / "deployment-progress-deadline.json"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import kdiag\nprint(kdiag.__version__)"),
        nbformat.v4.new_code_cell(f"report = kdiag.diagnose(open({str(path)!r}).read())\nreport"),
        nbformat.v4.new_code_cell("[f.id for f in report.errors]"),
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    assert nb.cells[0].outputs[0]["text"].strip() == "0.1.0"
    shown = nb.cells[1].outputs[0]
    assert shown["output_type"] == "execute_result"
    html = shown["data"]["text/html"]
    assert 'class="kdiag-report"' in html and "rollout.stuck" in html and "<script" not in html
    assert "kdiag.Report" in shown["data"]["text/plain"]
    ids = nb.cells[2].outputs[0]["data"]["text/plain"]
    assert "rollout.stuck" in ids and "image-pull.not-found" in ids
