"""Every kind of input `kdiag.diagnose` takes, and the Report / Finding objects."""

import datetime as dt
import json
import threading
import time

import pytest
from kubernetes import client as k8s

import kdiag
from conftest import FIXTURES, run_cli

OOM = FIXTURES / "oom-killed" / "oomkilled-container.json"
CPU = FIXTURES / "sched.insufficient-cpu" / "two-cpu-node-four-pods.json"
T0 = dt.datetime(2026, 11, 20, 9, 50, 0, tzinfo=dt.timezone.utc)


def hand_built_pod(name="web-1", reason="CrashLoopBackOff", exit_code=137, term="OOMKilled"):
    """A pod as a script builds it with the client's models: no kind, no apiVersion,
    datetimes as `datetime`."""
    return k8s.V1Pod(
        metadata=k8s.V1ObjectMeta(name=name, namespace="shop", uid="u-" + name, creation_timestamp=T0),
        spec=k8s.V1PodSpec(
            containers=[
                k8s.V1Container(
                    name="app",
                    image="shop/app:1.0",
                    resources=k8s.V1ResourceRequirements(limits={"memory": "256Mi"}),
                )
            ],
            restart_policy="Always",
        ),
        status=k8s.V1PodStatus(
            phase="Running",
            container_statuses=[
                k8s.V1ContainerStatus(
                    name="app",
                    image="shop/app:1.0",
                    image_id="",
                    ready=False,
                    restart_count=5,
                    state=k8s.V1ContainerState(waiting=k8s.V1ContainerStateWaiting(reason=reason)),
                    last_state=k8s.V1ContainerState(
                        terminated=k8s.V1ContainerStateTerminated(
                            exit_code=exit_code,
                            reason=term,
                            started_at=T0,
                            finished_at=T0 + dt.timedelta(minutes=1),
                        )
                    ),
                )
            ],
        ),
    )


def test_text_bytes_and_utf16_give_the_same_report():
    text = OOM.read_text(encoding="utf-8")
    ref = kdiag.diagnose(text).to_dict()
    assert kdiag.diagnose(text.encode()).to_dict() == ref
    assert kdiag.diagnose(bytearray(text.encode())).to_dict() == ref
    assert kdiag.diagnose(memoryview(text.encode())).to_dict() == ref
    # PowerShell's `>` writes UTF-16LE with a BOM.
    assert kdiag.diagnose(b"\xff\xfe" + text.encode("utf-16-le")).to_dict() == ref


def test_yaml_text():
    r = kdiag.diagnose((FIXTURES / "oom-killed" / "statefulset-jvm.yaml").read_text())
    assert r[0].id == "oom-killed"


def test_hand_built_kubernetes_pod():
    pod = hand_built_pod()
    assert pod.kind is None and pod.api_version is None
    r = kdiag.diagnose(pod)
    assert [f.id for f in r] == ["oom-killed"]
    f = r[0]
    assert (f.object.kind, f.object.namespace, f.object.name, f.object.container) == (
        "Pod", "shop", "web-1", "app"
    )
    assert r.summary.objects == {"Pod": 1}
    # The JSON written for it is the API form: camelCase keys, RFC 3339 UTC times, no nulls.
    written = json.loads(kdiag._kdiag.to_json_text(pod))
    assert written["kind"] == "Pod"
    assert written["metadata"]["creationTimestamp"] == "2026-11-20T09:50:00Z"
    status = written["status"]["containerStatuses"][0]
    assert status["restartCount"] == 5 and "restart_count" not in status
    assert status["lastState"]["terminated"]["finishedAt"] == "2026-11-20T09:51:00Z"
    assert "hostIP" not in written["status"]


def test_pod_list_node_event_and_deployment_models():
    pods = k8s.V1PodList(items=[hand_built_pod("web-1"), hand_built_pod("web-2")])
    node = k8s.V1Node(
        metadata=k8s.V1ObjectMeta(name="worker-1"),
        status=k8s.V1NodeStatus(
            allocatable={"cpu": "2", "memory": "4Gi"},
            conditions=[k8s.V1NodeCondition(type="Ready", status="True")],
        ),
    )
    event = k8s.CoreV1Event(
        metadata=k8s.V1ObjectMeta(name="web-1.1", namespace="shop"),
        involved_object=k8s.V1ObjectReference(kind="Pod", name="web-1", namespace="shop", uid="u-web-1"),
        reason="BackOff",
        message="Back-off restarting failed container app in pod web-1_shop(u-web-1)",
        type="Warning",
        count=4,
        last_timestamp=T0 + dt.timedelta(minutes=2),
    )
    deployment = k8s.V1Deployment(
        metadata=k8s.V1ObjectMeta(name="web", namespace="shop"),
        spec=k8s.V1DeploymentSpec(
            selector=k8s.V1LabelSelector(match_labels={"app": "web"}),
            template=k8s.V1PodTemplateSpec(),
        ),
    )
    r = kdiag.diagnose([pods, node, event, deployment])
    assert r.summary.objects == {"Pod": 2, "Node": 1, "Event": 1, "Deployment": 1}
    assert r[0].id == "oom-killed"
    assert r.input_warnings == []
    events_v1 = k8s.EventsV1Event(
        metadata=k8s.V1ObjectMeta(name="e", namespace="shop"),
        event_time=T0,
        reason="FailedScheduling",
        note="0/1 nodes are available: 1 Insufficient cpu.",
        type="Warning",
        regarding=k8s.V1ObjectReference(kind="Pod", name="web-1", namespace="shop"),
    )
    written = json.loads(kdiag._kdiag.to_json_text(events_v1))
    assert written["kind"] == "Event" and written["apiVersion"] == "events.k8s.io/v1"
    assert written["eventTime"] == "2026-11-20T09:50:00Z"


def test_mixture_of_text_dicts_and_models_in_a_list():
    oom_text = OOM.read_text()
    cpu_dict = json.loads(CPU.read_text())
    r = kdiag.diagnose([oom_text, cpu_dict, hand_built_pod("solo"), OOM.read_bytes()])
    ids = {f.id for f in r}
    assert {"oom-killed", "sched.insufficient-cpu"} <= ids
    assert any(f.object.name == "solo" for f in r)
    # A damaged text item is reported with the item it came from; the rest is diagnosed.
    r = kdiag.diagnose([oom_text, '{"kind": "Pod", "metadata": {"name": 5}'])
    assert r[0].id == "oom-killed"
    assert r.input_warnings and r.input_warnings[0].location.startswith("list item 1, ")


def test_plain_list_of_dicts_is_one_json_array():
    docs = json.loads(OOM.read_text())["items"]
    assert kdiag.diagnose(docs).to_dict() == kdiag.diagnose(OOM.read_text()).to_dict()
    assert kdiag.diagnose(tuple(docs)).to_dict() == kdiag.diagnose(OOM.read_text()).to_dict()


def test_now_matches_the_cli(cli):
    for now in ("2026-11-21T10:00:30Z", dt.datetime(2026, 11, 21, 11, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))):
        expected = json.loads(run_cli(cli, "--now", "2026-11-21T10:00:30Z", "-o", "json", str(CPU)).stdout)
        assert kdiag.diagnose(CPU.read_text(), now=now).to_dict() == expected
        assert kdiag.diagnose(json.loads(CPU.read_text()), now=now).to_dict() == expected
    # A naive datetime is UTC.
    naive = kdiag.diagnose(CPU.read_text(), now=dt.datetime(2026, 11, 21, 10, 0, 30))
    assert naive.to_dict() == expected
    assert kdiag.diagnose(CPU.read_text()).to_dict() != expected


def test_report_and_finding_objects(cli):
    r = kdiag.diagnose(OOM.read_text())
    assert r.schema == kdiag.SCHEMA == "kdiag.report/v1"
    assert len(r) == len(r.findings) == 1
    assert list(r) == r.findings and r[0] is r.findings[0]
    f = r[0]
    assert isinstance(f, kdiag.Finding)
    assert f.id == "oom-killed" and f.severity == "error"
    assert f.workload == kdiag.WorkloadRef(kind="Deployment", name="pricing", namespace="api")
    assert f.evidence and all(isinstance(e, kdiag.Evidence) for e in f.evidence)
    assert f.remediation and all(isinstance(s, kdiag.Remediation) for s in f.remediation)
    assert any(s.commands for s in f.remediation)
    assert r.errors == [f] and r.warnings == [] and r.at_least("info") == r.findings
    assert r.summary.errors == 1 and r.summary.objects["Pod"] == 1
    d = r.to_dict()
    d["findings"].clear()
    assert r.to_dict()["findings"], "to_dict() returns a fresh copy"
    assert json.loads(r.to_json(indent=None)) == r.to_dict()
    assert "oom-killed" in repr(r) and repr(r).startswith("<kdiag.Report ")
    assert repr(f).startswith("<kdiag.Finding error[oom-killed]")
    assert str(r).splitlines()[0] == r.summary_line
    assert "error[oom-killed]" in str(r)
    healthy = kdiag.diagnose((FIXTURES / "healthy" / "succeeded-pods.json").read_text())
    assert len(healthy) == 0 and healthy.raise_for_findings() is healthy
    assert healthy.summary_line.startswith("No problems found")


def test_raise_for_findings():
    r = kdiag.diagnose(OOM.read_text())
    with pytest.raises(kdiag.FindingsError) as exc:
        r.raise_for_findings()
    assert exc.value.report is r and exc.value.findings == r.errors
    assert "oom-killed" in str(exc.value)
    with pytest.raises(kdiag.FindingsError):
        r.raise_for_findings("warning")
    with pytest.raises(ValueError, match="level must be one of"):
        r.raise_for_findings("fatal")


def test_explain_and_ids_match_the_cli(cli):
    assert kdiag.ids() == run_cli(cli, "explain", "--list").stdout.decode().split()
    assert "oom-killed" in kdiag.ids()
    doc = kdiag.explain("oom-killed")
    assert doc.strip() == run_cli(cli, "explain", "oom-killed").stdout.decode().strip()
    with pytest.raises(KeyError):
        kdiag.explain("no-such-id")
    assert kdiag.__version__ == "0.1.0"


def test_gil_is_released_on_text_input():
    """Another Python thread keeps running while the engine reads a large text."""
    base = json.loads(CPU.read_text())
    pods = [i for i in base["items"] if i.get("kind") == "Pod"]
    many = []
    for n in range(400):
        for p in pods:
            q = json.loads(json.dumps(p))
            q["metadata"]["name"] = f'{p["metadata"]["name"]}-{n}'
            q["metadata"]["uid"] = f'{p["metadata"].get("uid", "u")}-{n}'
            many.append(q)
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": many}, indent=4)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        time.sleep(0.02)
        start = time.perf_counter()
        kdiag.diagnose(text)
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    during = [x for x in ticks if start < x < end]
    assert end - start > 0.05, "the input is too small to tell"
    # Holding the GIL, the ticker could not run at all during the call.
    assert len(during) >= 5, (len(during), end - start)


def test_non_ascii_and_invalid_str():
    """Text that is not ASCII is read as UTF-8 (its bytes give the same report); a str
    that has no UTF-8 form (a lone surrogate) is a UnicodeEncodeError, not a crash."""
    doc = json.loads(OOM.read_text())
    for item in doc["items"]:
        item["metadata"].setdefault("annotations", {})["note"] = "café ☕ — 中文 \U0001F680"
    text = json.dumps(doc, ensure_ascii=False)
    assert not text.isascii()
    assert kdiag.diagnose(text).to_dict() == kdiag.diagnose(text.encode("utf-8")).to_dict()
    assert kdiag.diagnose(text)[0].id == "oom-killed"
    with pytest.raises(UnicodeEncodeError):
        kdiag.diagnose(text.replace("café", "caf\ud800"))
