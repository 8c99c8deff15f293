"""Turning fixture files into what a Python user holds: dicts and `kubernetes` models."""

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
