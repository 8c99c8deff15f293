"""The notebook view (`_repr_html_`): cards with escaped text, inline styles, no scripts."""

import copy
import json
from html.parser import HTMLParser

import kdiag
from conftest import ALL_FIXTURES, FIXTURES

HOSTILE = "<img src=x onerror=alert(1)>"
ALLOWED_TAGS = {"div", "span", "code", "strong", "p", "details", "summary", "ul", "ol", "li", "pre", "em", "br"}


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.attrs = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def hostile_report():
    doc = json.loads((FIXTURES / "oom-killed" / "oomkilled-container.json").read_text())
    for item in doc["items"]:
        meta = item["metadata"]
        if item["kind"] in ("Pod", "Deployment", "ReplicaSet"):
            meta["namespace"] = HOSTILE
        if item["kind"] == "Deployment":
            meta["name"] = HOSTILE
        for c in item.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            c["image"] = HOSTILE
    bad = copy.deepcopy(doc)
    for item in bad["items"]:
        if item["kind"] == "Pod":
            item["metadata"]["name"] = "pod-" + HOSTILE
            for cs in item["status"]["containerStatuses"]:
                cs["lastState"]["terminated"]["message"] = "</pre><script>alert(2)</script>"
    return kdiag.diagnose(bad)


def test_hostile_names_are_escaped():
    r = hostile_report()
    assert r[0].id == "oom-killed"
    assert any(HOSTILE in f.title or HOSTILE in (f.object.namespace or "") for f in r)
    html = r._repr_html_()
    assert HOSTILE not in html
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    parser = Collect()
    parser.feed(html)
    assert set(parser.tags) <= ALLOWED_TAGS, set(parser.tags) - ALLOWED_TAGS
    for name, value in parser.attrs:
        assert name in ("style", "class", "open"), name
        assert "javascript:" not in (value or "").lower() and "url(" not in (value or "").lower()
    # The hostile text is shown as text, not lost.
    assert HOSTILE in "".join(parser.text)


def test_cards_show_every_finding_with_evidence_and_steps():
    for path in ALL_FIXTURES:
        r = kdiag.diagnose(path.read_bytes())
        html = r._repr_html_()
        parser = Collect()
        parser.feed(html)
        assert set(parser.tags) <= ALLOWED_TAGS
        text = "".join(parser.text)
        assert r.summary_line in text
        for f in r:
            assert f.id in text and f.title in text
            for e in f.evidence:
                assert e.path in text
            for step in f.remediation:
                for c in step.commands:
                    assert c in text
