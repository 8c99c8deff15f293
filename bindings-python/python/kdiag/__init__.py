"""kdiag — why won't my Kubernetes pod start? Offline root cause, evidence and fix.

::

    import kdiag
    report = kdiag.diagnose(open("dump.json").read())    # str/bytes: JSON, YAML, …
    report = kdiag.diagnose(v1.list_namespaced_pod("prod"))  # kubernetes client objects
    report = kdiag.diagnose(yaml.safe_load(text))        # dicts and lists
    for finding in report:
        print(finding.severity, finding.id, finding.title)
    report.raise_for_findings("error")                   # gate a script on it

The diagnosis is kdiag's Rust engine (the same as the ``kdiag`` command): ``to_dict()``
and ``to_json()`` are exactly what ``kdiag --output json`` prints.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, List, Optional, Union

from . import _kdiag
from ._kdiag import InputError
from ._report import (
    Evidence,
    Finding,
    FindingsError,
    InputWarning,
    ObjectRef,
    Remediation,
    Report,
    Summary,
    WorkloadRef,
)

__version__: str = _kdiag.__version__

#: The schema identifier of every report (``kdiag.report/v1``).
SCHEMA: str = _kdiag.SCHEMA

__all__ = [
    "diagnose",
    "explain",
    "ids",
    "Report",
    "Finding",
    "ObjectRef",
    "WorkloadRef",
    "Evidence",
    "Remediation",
    "InputWarning",
    "Summary",
    "InputError",
    "FindingsError",
    "SCHEMA",
    "__version__",
]

Now = Union[None, str, _dt.datetime]


def _now_text(now: Now) -> Optional[str]:
    if now is None or isinstance(now, str):
        return now
    if isinstance(now, _dt.datetime):
        if now.tzinfo is not None:
            now = now.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return now.strftime("%Y-%m-%dT%H:%M:%S") + (
            f".{now.microsecond:06d}Z" if now.microsecond else "Z"
        )
    raise TypeError(f"now must be None, an RFC 3339 str or a datetime, not {type(now).__name__}")


def diagnose(data: Any, *, now: Now = None) -> Report:
    """Diagnose Kubernetes objects and return the :class:`Report`.

    ``data`` may be:

    - ``str`` or ``bytes``: anything the ``kdiag`` command reads — JSON (an object, a
      ``List``, an array, several documents one after another), YAML (one or many ``---``
      documents); bytes may be UTF-8 or UTF-16 (PowerShell), with or without a BOM;
    - a ``dict`` or ``list`` as ``json.load`` / ``yaml.safe_load`` return them;
    - objects of the official ``kubernetes`` client (``V1Pod``, ``V1PodList``, ``V1Node``,
      ``CoreV1Event``, ``V1Deployment``, …), converted to their API (camelCase) form;
    - a list mixing any of these.

    ``now`` (an RFC 3339 string or a ``datetime``; naive means UTC) is the moment ages
    are measured against; by default the newest timestamp in the input, so the same
    input always gives the same report.

    Parts of the input that cannot be read become ``report.input_warnings``; only when
    nothing at all can be read is :class:`kdiag.InputError` (a ``ValueError``, with
    ``.location``) raised. A value with no JSON form (a ``set``, an arbitrary object)
    raises ``TypeError`` naming where it sits (``data[0].spec…``).

    For ``str``/``bytes`` the GIL is released while the engine runs.
    """
    now_text = _now_text(now)
    if isinstance(data, (str, bytes)):
        native = _call_native(_kdiag.diagnose_text, data, now_text)
    elif isinstance(data, (bytearray, memoryview)):
        native = _call_native(_kdiag.diagnose_text, bytes(data), now_text)
    else:
        native = _call_native(_kdiag.diagnose_objects, data, now_text)
    return Report(native)


def _call_native(function: Any, *args: Any) -> Any:
    """Call into the engine; a Rust panic (a bug) becomes a ``RuntimeError``.

    pyo3 already turns a panic into ``pyo3_runtime.PanicException`` instead of aborting
    the interpreter, but that is a ``BaseException`` which ``except Exception`` misses.
    """
    try:
        return function(*args)
    except BaseException as e:
        if type(e).__name__ == "PanicException":
            raise RuntimeError(f"kdiag internal error (a bug, please report it): {e}") from e
        raise


def explain(id: str) -> str:
    """The documentation (Markdown) of a failure id: what it means, why it happens and
    how to fix it — what ``kdiag explain ID`` prints.

    Raises ``KeyError`` for an id kdiag does not know (see :func:`ids`).
    """
    doc = _kdiag.explain(id)
    if doc is None:
        raise KeyError(id)
    return doc


def ids() -> List[str]:
    """Every failure id kdiag can report, in taxonomy order."""
    return list(_kdiag.ids())
