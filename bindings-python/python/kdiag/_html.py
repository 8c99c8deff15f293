"""HTML cards for Jupyter (``Report._repr_html_``).

Layout only: the grouping, group titles, object labels and summary line come from the
Rust core (``kdiag::render``). Every piece of text is escaped with :func:`html.escape`;
styles are inline (notebooks strip ``<style>`` blocks in some viewers) and there is no
script.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, List, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from ._report import Finding, Report

_COLOURS = {"error": "#c62828", "warning": "#b26a00", "info": "#1565c0"}
_FONT = (
    "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,"
    "sans-serif;font-size:13px;line-height:1.45"
)
_MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px"
_MAX_PODS = 20


def _e(text: str) -> str:
    return escape(text, quote=True)


def render(report: "Report", groups: List[Tuple[str, List[int]]], labels: List[Tuple[str, bool]]) -> str:
    """The whole report as one ``<div>``."""
    out: List[str] = [f'<div class="kdiag-report" style="{_FONT};max-width:60em">']
    worst = report.findings[0].severity if report.findings else None
    colour = _COLOURS.get(worst or "", "#2e7d32")
    out.append(
        f'<div style="font-weight:600;margin:0 0 8px 0;padding:6px 10px;'
        f'border-left:4px solid {colour};background:#f6f8fa;color:#1f2328">'
        f"{_e(report.summary_line)}</div>"
    )
    for title, indices in groups:
        out.append(
            '<div style="border:1px solid #d0d7de;border-radius:6px;margin:0 0 10px 0;'
            'padding:8px 12px;background:#ffffff;color:#1f2328">'
        )
        out.append(f'<div style="font-weight:600;font-size:14px;margin-bottom:4px">{_e(title)}</div>')
        for i in indices:
            if 0 <= i < len(report.findings):
                label, is_workload = labels[i] if i < len(labels) else ("", True)
                out.append(_finding(report.findings[i], label, is_workload))
        out.append("</div>")
    if report.input_warnings:
        out.append(
            '<div style="border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;'
            'background:#fffbe6;color:#1f2328"><div style="font-weight:600">Input warnings</div>'
            "<div>These parts of the input could not be read:</div><ul style=\"margin:4px 0\">"
        )
        for w in report.input_warnings:
            out.append(f"<li><code style=\"{_MONO}\">{_e(w.location)}</code>: {_e(w.message)}</li>")
        out.append("</ul></div>")
    out.append("</div>")
    return "".join(out)


def _finding(f: "Finding", label: str, is_workload: bool) -> str:
    colour = _COLOURS.get(f.severity, "#57606a")
    out: List[str] = [
        f'<div style="border-left:4px solid {colour};padding:4px 0 4px 10px;margin:8px 0">',
        f'<div><span style="display:inline-block;background:{colour};color:#fff;'
        f'border-radius:3px;padding:0 6px;font-size:11px;font-weight:600;'
        f'text-transform:uppercase">{_e(f.severity)}</span> '
        f'<code style="{_MONO}">{_e(f.id)}</code> '
        f"<strong>{_e(f.title)}</strong></div>",
    ]
    about: List[str] = []
    if not is_workload:
        obj = f"Object: <code style=\"{_MONO}\">{_e(label)}</code>"
        if f.object.container:
            obj += f", container <code style=\"{_MONO}\">{_e(f.object.container)}</code>"
        about.append(obj)
    if len(f.pods) > 1 or (f.pods and f.pods[0] != f.object.name):
        shown = ", ".join(f"<code style=\"{_MONO}\">{_e(p)}</code>" for p in f.pods[:_MAX_PODS])
        more = f" and {len(f.pods) - _MAX_PODS} more" if len(f.pods) > _MAX_PODS else ""
        about.append(f"Pods ({len(f.pods)}): {shown}{more}")
    if about:
        out.append(f'<div style="color:#57606a">{"<br>".join(about)}</div>')
    if f.explanation.strip():
        out.append(f'<p style="margin:6px 0;white-space:pre-wrap">{_e(f.explanation.strip())}</p>')
    if f.evidence:
        out.append('<details open><summary style="font-weight:600;cursor:pointer">Evidence</summary>')
        out.append('<ul style="margin:4px 0">')
        for ev in f.evidence:
            value = f"<code style=\"{_MONO}\">{_e(ev.value)}</code>" if ev.value else "<em>(empty)</em>"
            out.append(f"<li><code style=\"{_MONO}\">{_e(ev.path)}</code>: {value}</li>")
        out.append("</ul></details>")
    if f.remediation:
        out.append('<div style="font-weight:600;margin-top:4px">What to do</div><ol style="margin:4px 0">')
        for step in f.remediation:
            out.append(f'<li><div style="white-space:pre-wrap">{_e(step.text.strip())}</div>')
            block = (
                f'<pre style="{_MONO};background:#f6f8fa;border-radius:4px;padding:6px 8px;'
                'margin:4px 0;white-space:pre-wrap;overflow-x:auto">'
            )
            if step.commands:
                out.append(block + _e("\n".join(step.commands)) + "</pre>")
            if step.patch:
                out.append(block + _e(step.patch) + "</pre>")
            out.append("</li>")
        out.append("</ol>")
    out.append("</div>")
    return "".join(out)
