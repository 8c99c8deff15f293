"""The report objects: ``Report``, ``Finding`` and the small records they hold.

They are built from the report JSON the Rust core serialises (schema ``kdiag.report/v1``),
so ``Report.to_dict()`` is exactly what ``kdiag --output json`` prints. Nothing here
decides or words a diagnosis; the summary line, Markdown and grouping come from the core
too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple

from . import _html
from ._kdiag import SCHEMA, NativeReport

#: Severities from most to least severe.
SEVERITIES: Tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class ObjectRef:
    """The object a finding concerns (``kind``, ``namespace``, ``name``, ``container``)."""

    kind: str
    name: str
    namespace: Optional[str] = None
    container: Optional[str] = None

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "ObjectRef":
        return cls(d["kind"], d["name"], d.get("namespace"), d.get("container"))


@dataclass(frozen=True)
class WorkloadRef:
    """The workload that controls the affected pods (the thing to change)."""

    kind: str
    name: str
    namespace: Optional[str] = None

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "WorkloadRef":
        return cls(d["kind"], d["name"], d.get("namespace"))


@dataclass(frozen=True)
class Evidence:
    """One thing read from the input: where (``path``) and what was there (``value``)."""

    path: str
    value: str


@dataclass(frozen=True)
class Remediation:
    """One step to take: ``text``, runnable ``commands`` and an optional spec ``patch``."""

    text: str
    commands: Tuple[str, ...] = ()
    patch: Optional[str] = None


@dataclass(frozen=True)
class InputWarning:
    """A part of the input that could not be read: ``location`` and ``message``."""

    location: str
    message: str


@dataclass(frozen=True)
class Summary:
    """Counts: objects read by kind, and findings by severity."""

    objects: Dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    infos: int = 0


@dataclass(frozen=True)
class Finding:
    """One diagnosed cause, with its evidence and what to do.

    ``id`` is a failure id of kdiag's taxonomy (see :func:`kdiag.ids`,
    :func:`kdiag.explain`); ``severity`` is ``"error"``, ``"warning"`` or ``"info"``.
    """

    id: str
    severity: str
    title: str
    object: ObjectRef
    workload: Optional[WorkloadRef]
    pods: Tuple[str, ...]
    explanation: str
    evidence: Tuple[Evidence, ...]
    remediation: Tuple[Remediation, ...]

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "Finding":
        workload = d.get("workload")
        return cls(
            id=d["id"],
            severity=d["severity"],
            title=d["title"],
            object=ObjectRef._from(d["object"]),
            workload=WorkloadRef._from(workload) if workload else None,
            pods=tuple(d.get("pods", ())),
            explanation=d["explanation"],
            evidence=tuple(Evidence(e["path"], e["value"]) for e in d["evidence"]),
            remediation=tuple(
                Remediation(r["text"], tuple(r.get("commands", ())), r.get("patch"))
                for r in d["remediation"]
            ),
        )

    def __repr__(self) -> str:
        return f"<kdiag.Finding {self.severity}[{self.id}]: {self.title}>"

    def __str__(self) -> str:
        return f"{self.severity}[{self.id}]: {self.title}"


class FindingsError(Exception):
    """Raised by :meth:`Report.raise_for_findings` when a finding reaches the level.

    ``report`` is the whole report; ``findings`` the findings at or above the level.
    """

    def __init__(self, report: "Report", findings: List[Finding], level: str) -> None:
        first = findings[0]
        super().__init__(
            f"{len(findings)} finding(s) at or above {level}: "
            f"{first.severity}[{first.id}]: {first.title}"
        )
        self.report = report
        self.findings = findings
        self.level = level


class Report:
    """The diagnosis of one input (schema ``kdiag.report/v1``).

    - ``findings``: most important first (errors, warnings, infos; a root cause before
      what it explains). ``len(report)``, iteration and indexing go over them.
    - ``errors`` / ``warnings`` / ``infos``: the findings of one severity.
    - ``summary``, ``input_warnings`` (parts of the input that could not be read).
    - ``to_dict()`` / ``to_json()``: exactly the CLI's ``--output json``;
      ``to_markdown()``: the CLI's ``--output markdown``.
    - In Jupyter the report shows as cards, one per workload.
    """

    __slots__ = ("_native", "_json", "_summary", "_findings", "_input_warnings")

    def __init__(self, native: NativeReport) -> None:
        # The Python objects are made on first use: a script that only gates on the
        # result, or only writes the JSON, does not pay for them.
        self._native = native
        self._json: Optional[str] = None
        self._summary: Optional[Summary] = None
        self._findings: List[Finding] = []
        self._input_warnings: List[InputWarning] = []

    def _load(self) -> None:
        d = json.loads(self.to_json())
        s = d["summary"]
        self._findings = [Finding._from(f) for f in d["findings"]]
        self._input_warnings = [
            InputWarning(w["location"], w["message"]) for w in d["input_warnings"]
        ]
        self._summary = Summary(dict(s["objects"]), s["errors"], s["warnings"], s["infos"])

    @property
    def schema(self) -> str:
        """The report's schema, ``kdiag.report/v1``."""
        return SCHEMA

    @property
    def summary(self) -> Summary:
        """Objects read by kind and findings by severity."""
        if self._summary is None:
            self._load()
        assert self._summary is not None
        return self._summary

    @property
    def findings(self) -> List[Finding]:
        """The findings, most important first."""
        if self._summary is None:
            self._load()
        return self._findings

    @property
    def input_warnings(self) -> List[InputWarning]:
        """Parts of the input that could not be read, with their location."""
        if self._summary is None:
            self._load()
        return self._input_warnings

    # -- the findings as a collection --------------------------------------------------

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]

    @property
    def errors(self) -> List[Finding]:
        """The findings of severity ``error``."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> List[Finding]:
        """The findings of severity ``warning``."""
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> List[Finding]:
        """The findings of severity ``info``."""
        return [f for f in self.findings if f.severity == "info"]

    def at_least(self, level: str = "error") -> List[Finding]:
        """The findings of severity ``level`` or worse (``"warning"`` gives errors too)."""
        rank = _level_rank(level)
        return [f for f in self.findings if SEVERITIES.index(f.severity) <= rank]

    def raise_for_findings(self, level: str = "error") -> "Report":
        """Raise :class:`kdiag.FindingsError` if any finding is at ``level`` or worse.

        ``level`` is ``"error"`` (the CLI's default ``--fail-on``), ``"warning"`` or
        ``"info"``. Returns the report itself otherwise, so it chains::

            kdiag.diagnose(text).raise_for_findings("warning")
        """
        hits = self.at_least(level)
        if hits:
            raise FindingsError(self, hits, level)
        return self

    # -- output ------------------------------------------------------------------------

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain data, equal to what ``kdiag --output json`` prints.

        A new dict every call: changing it does not change the report.
        """
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    def to_json(self, indent: Optional[int] = 2) -> str:
        """The report as JSON. With the default ``indent=2`` it is byte for byte what
        ``kdiag --output json`` prints (less the final newline); ``indent=None`` gives
        compact JSON."""
        if indent == 2:
            if self._json is None:
                self._json = self._native.json()
            return self._json
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_markdown(self) -> str:
        """The report as Markdown, as ``kdiag --output markdown`` prints it."""
        return self._native.markdown()

    @property
    def summary_line(self) -> str:
        """One line for people: ``2 errors, 1 warning in 3 pods, 1 node, 41 events``."""
        return self._native.summary_line()

    def __repr__(self) -> str:
        head = f"<kdiag.Report {self.summary_line}"
        if self.findings:
            first = self.findings[0]
            head += f"; first: {first.severity}[{first.id}] {first.object.kind} "
            if first.object.namespace:
                head += f"{first.object.namespace}/"
            head += first.object.name
        if self.input_warnings:
            head += f"; {len(self.input_warnings)} input warning(s)"
        return head + ">"

    def __str__(self) -> str:
        lines = [self.summary_line]
        for f in self.findings:
            lines.append(f"  {f.severity}[{f.id}]: {f.title}")
        for w in self.input_warnings:
            lines.append(f"  input warning: {w.location}: {w.message}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Cards for Jupyter: one per workload, every finding with its evidence and steps.

        All text is HTML-escaped; the markup has inline styles only and no scripts.
        """
        return _html.render(self, self._native.groups(), self._native.object_labels())


def _level_rank(level: str) -> int:
    try:
        return SEVERITIES.index(level)
    except ValueError:
        raise ValueError(
            f"level must be one of {', '.join(SEVERITIES)}, not {level!r}"
        ) from None
