"""Turning fixture files into what a Python user holds: dicts and `kubernetes` models."""

import datetime
import json
import pathlib
from typing import Any, Iterator, List

import yaml
from kubernetes.client import ApiClient

_API = ApiClient()
MODEL_CLASS = {
    "Pod": "V1Pod",
    "Node": "V1Node",
    "Event": "CoreV1Event",
    "Deployment": "V1Deployment",
    "ReplicaSet": "V1ReplicaSet",
    "StatefulSet": "V1StatefulSet",
    "DaemonSet": "V1DaemonSet",
    "Job": "V1Job",
    "CronJob": "V1CronJob",
    "ReplicationController": "V1ReplicationController",
    "PersistentVolumeClaim": "V1PersistentVolumeClaim",
    "ResourceQuota": "V1ResourceQuota",
    "PersistentVolume": "V1PersistentVolume",
    "StorageClass": "V1StorageClass",
}


def documents(path: pathlib.Path) -> List[Any]:
    """The documents of a fixture as `json.load` / `yaml.safe_load_all` give them."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return [d for d in yaml.safe_load_all(text) if d is not None]
    decoder = json.JSONDecoder()
    out, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        obj, i = decoder.raw_decode(text, i)
        out.append(obj)


def items(docs: List[Any]) -> Iterator[dict]:
    """Every object, lists flattened (typed-list items get their kind)."""
    for d in docs:
        if isinstance(d, list):
            yield from items(d)
        elif isinstance(d.get("items"), list) and str(d.get("kind", "")).endswith("List"):
            kind = d["kind"][: -len("List")]
            for it in d["items"]:
                yield dict(it, kind=kind) if kind and "kind" not in it else it
        else:
            yield d


# Fields the `kubernetes` client requires of a Node's `status.nodeInfo`. The API server
# always fills them; hand-written fixtures often give only the few the rules read.
_NODE_INFO_REQUIRED = (
    "architecture",
    "bootID",
    "containerRuntimeVersion",
    "kernelVersion",
    "kubeProxyVersion",
    "kubeletVersion",
    "machineID",
    "operatingSystem",
    "osImage",
    "systemUUID",
)


def _rfc3339(value: Any) -> str:
    """YAML timestamps (`yaml.safe_load` gives datetimes) in the API's form."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    raise TypeError(f"{type(value).__name__} has no JSON form")


def api_complete(obj: dict) -> dict:
    """The object as the API server would return it, as far as the client insists: a
    `kind` for items of a plain `List` that omit it (read off their shape, as kdiag does),
    and the required `nodeInfo` fields (empty strings) of a Node."""
    obj = json.loads(json.dumps(obj, default=_rfc3339))
    if "kind" not in obj:
        if "involvedObject" in obj:
            obj["kind"] = "Event"
        elif "regarding" in obj:
            obj["kind"] = "Event"
            obj.setdefault("apiVersion", "events.k8s.io/v1")
        elif "containers" in (obj.get("spec") or {}):
            obj["kind"] = "Pod"
    info = (obj.get("status") or {}).get("nodeInfo")
    if obj.get("kind") == "Node" and isinstance(info, dict):
        for key in _NODE_INFO_REQUIRED:
            info.setdefault(key, "")
    return obj


def model_class(obj: dict) -> str:
    if obj.get("kind") == "Event" and str(obj.get("apiVersion", "")).startswith("events.k8s.io"):
        return "EventsV1Event"
    return MODEL_CLASS[obj["kind"]]


def to_model(obj: dict, strip_kind: bool = False) -> Any:
    """A `kubernetes` client model, as the client's own deserializer builds it from the
    API's JSON (datetimes parsed, camelCase → snake_case). With `strip_kind`, `kind` and
    `apiVersion` are removed, as in an object built by hand."""
    model = _API._ApiClient__deserialize(obj, model_class(obj))
    if strip_kind:
        model.kind = None
        model.api_version = None
    return model
