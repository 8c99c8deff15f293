#!/usr/bin/env python3
"""Write the small hostile inputs of tests/hostile/inputs/ (run from anywhere).

The inputs are committed; this script is how they were made, so that a byte-level
mishap (a UTF-16 file, a NUL, a lone surrogate) can be read as intent, not as accident.
Large inputs are not files: catalogue.json generates them (`"generate"`).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "inputs")

# One Deployment pod killed for memory, with a secret in its environment: the "good
# object" most cases carry next to the bad part.
GOOD_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "ledger-6d4f9c7b8-q7w2e",
        "namespace": "finance",
        "uid": "6b1c4c9e-0c7a-4f7b-9a51-2f0a7e1d3c11",
        "creationTimestamp": "2026-11-20T09:30:00Z",
        "labels": {"app": "ledger", "pod-template-hash": "6d4f9c7b8"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "ledger-6d4f9c7b8",
                "uid": "0d9b7a55-5a43-4f26-8d1e-6c0f4bb0a7e2",
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
    },
    "spec": {
        "nodeName": "worker-3",
        "restartPolicy": "Always",
        "containers": [
            {
                "name": "ledger",
                "image": "registry.example.com/ledger:5.1.0",
                "env": [
                    {"name": "LEDGER_DB_PASSWORD", "value": "s3cr3t-CANARY-4411"},
                    {"name": "LOG_LEVEL", "value": "info"},
                ],
                "args": ["--api-token=tok-CANARY-9a8b7c"],
                "resources": {
                    "limits": {"memory": "384Mi"},
                    "requests": {"cpu": "200m", "memory": "384Mi"},
                },
            }
        ],
    },
    "status": {
        "phase": "Running",
        "startTime": "2026-11-20T09:30:02Z",
        "conditions": [
            {"type": "Ready", "status": "False", "lastTransitionTime": "2026-11-20T09:58:10Z"}
        ],
        "containerStatuses": [
            {
                "name": "ledger",
                "image": "registry.example.com/ledger:5.1.0",
                "imageID": "registry.example.com/ledger@sha256:4411",
                "ready": False,
                "restartCount": 6,
                "started": False,
                "state": {
                    "waiting": {
                        "reason": "CrashLoopBackOff",
                        "message": "back-off 2m40s restarting failed container=ledger pod=ledger-6d4f9c7b8-q7w2e_finance(6b1c4c9e-0c7a-4f7b-9a51-2f0a7e1d3c11)",
                    }
                },
                "lastState": {
                    "terminated": {
                        "exitCode": 137,
                        "reason": "OOMKilled",
                        "startedAt": "2026-11-20T09:57:30Z",
                        "finishedAt": "2026-11-20T09:58:09Z",
                    }
                },
            }
        ],
    },
}

# A pending pod of another workload: the "second good object" of list cases.
PENDING_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "indexer-0",
        "namespace": "search",
        "uid": "a0c4d1b2-7e55-4b7b-8f0e-1c2d3e4f5a6b",
        "creationTimestamp": "2026-11-20T09:50:00Z",
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "StatefulSet",
                "name": "indexer",
                "uid": "b1d5e2c3-8f66-4c8c-9a1f-2d3e4f5a6b7c",
                "controller": True,
            }
        ],
    },
    "spec": {
        "containers": [
            {
                "name": "indexer",
                "image": "registry.example.com/indexer:2.0.0",
                "resources": {"requests": {"cpu": "6", "memory": "2Gi"}},
            }
        ]
    },
    "status": {
        "phase": "Pending",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "lastTransitionTime": "2026-11-20T09:50:01Z",
                "message": "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            }
        ],
    },
}


def dump_json(obj):
    return json.dumps(obj, indent=4)


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def with_(obj, path, value):
    """A deep copy of obj with the field at path (keys and list indexes) set to value."""
    copy = json.loads(json.dumps(obj))
    here = copy
    for key in path[:-1]:
        here = here[key]
    here[path[-1]] = value
    return copy


def main():
    os.makedirs(OUT, exist_ok=True)
    good = dump_json(GOOD_POD) + "\n"
    good_yaml_lines = to_yaml(GOOD_POD)
    good_yaml = "\n".join(good_yaml_lines) + "\n"

    # Encodings a Windows or web clipboard produces.
    write("utf8-bom.json", b"\xef\xbb\xbf" + good.encode())
    write("utf16le-bom.yaml", b"\xff\xfe" + good_yaml.replace("\n", "\r\n").encode("utf-16-le"))
    write("utf16be-bom.json", b"\xfe\xff" + good.encode("utf-16-be"))
    write("utf16le-no-bom.json", good.encode("utf-16-le"))
    write("crlf.yaml", good_yaml.replace("\n", "\r\n"))
    write("cr-only.yaml", good_yaml.replace("\n", "\r"))
    latin1 = good.replace("info", "d\u00e9bogage").encode("latin-1")
    write("latin1.json", latin1)
    write("nul-in-string.json", good.replace("ledger:5.1.0\"", "ledger:5.1.0\\u0000\"", 1).replace("back-off", "back\x00off"))
    write("nul-between-documents.json", good + "\x00\x00\x00\n" + dump_json(PENDING_POD) + "\n")
    write("nul-bytes-only.bin", b"\x00" * 4096)
    write("binary-png.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    write("lone-surrogate-escape.json", good.replace("\"info\"", "\"\\ud800 info\""))
    write("utf16le-odd-length.bin", b"\xff\xfe" + "{\"kind\": \"Pod\"".encode("utf-16-le") + b"\x41")

    # Truncated and broken documents next to good ones.
    write("truncated-second-document.json", good + dump_json(PENDING_POD)[:700])
    write("truncated-first-document.json", good[:900] + "\n" + dump_json(PENDING_POD) + "\n")
    write("truncated-yaml.yaml", good_yaml + "---\n" + "\n".join(to_yaml(PENDING_POD))[:600] + "\n")
    write("junk-items.json", dump_json({
        "apiVersion": "v1",
        "kind": "List",
        "items": [42, "a string", None, [], {}, {"kind": 7}, GOOD_POD, True, {"kind": "Pod", "metadata": "oops"}, PENDING_POD],
    }) + "\n")
    write("junk-documents.yaml", "--- 42\n--- [1, 2, 3]\n--- just some words\n---\n" + good_yaml + "--- ~\n--- {kind: [Pod]}\n")
    write("items-not-a-list.json", dump_json({"apiVersion": "v1", "kind": "List", "items": {"0": GOOD_POD}}) + "\n")
    write("trailing-garbage.json", good + "}}]]\n<<<EOF\n" + dump_json(PENDING_POD) + "\n")
    write("json-nan-infinity.json", good + '{"kind": "Pod", "metadata": {"name": "x"}, "spec": {"priority": NaN, "x": Infinity}}\n')
    write("duplicate-keys.json", good.replace('"kind": "Pod",', '"kind": "Pod", "kind": "Node",', 1))
    write("html-only.html", "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>\n")
    write("shell-error-only.txt", "error: You must be logged in to the server (Unauthorized)\n")
    write("kubectl-no-resources.txt", "No resources found in default namespace.\n")

    # Wrong types and formats in single fields: the field is lost, not the object.
    wrong = [
        (["status", "containerStatuses", 0, "restartCount"], "six"),
        (["metadata", "creationTimestamp"], "yesterday"),
        (["status", "startTime"], 1700000000),
        (["spec", "containers", 0, "resources"], "lots"),
        (["metadata", "labels"], ["app=ledger"]),
    ]
    doc = GOOD_POD
    for path, value in wrong:
        doc = with_(doc, path, value)
    write("wrong-field-types.json", dump_json(doc) + "\n")
    write("wrong-field-types.yaml", "\n".join(to_yaml(doc)) + "\n")
    write("name-is-a-number.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 12345\n  namespace: 007\n" + "\n".join(to_yaml(GOOD_POD)[5:]) + "\n")

    # Absurd quantities and counts.
    absurd = GOOD_POD
    for path, value in [
        (["spec", "containers", 0, "resources", "limits", "memory"], "99999999999999999999999Ei"),
        (["spec", "containers", 0, "resources", "requests", "cpu"], "-5"),
        (["spec", "containers", 0, "resources", "requests", "memory"], "1e400"),
        (["status", "containerStatuses", 0, "restartCount"], 2147483647),
        (["status", "containerStatuses", 0, "lastState", "terminated", "exitCode"], -2147483648),
    ]:
        absurd = with_(absurd, path, value)
    write("absurd-quantities.json", dump_json(absurd) + "\n")
    overflow = with_(GOOD_POD, ["status", "containerStatuses", 0, "restartCount"], 99999999999999999999999)
    write("count-overflows-int32.json", dump_json(overflow) + "\n")
    write("quantity-garbage.yaml", "\n".join(to_yaml(with_(PENDING_POD, ["spec", "containers", 0, "resources", "requests"], {"cpu": "six cores", "memory": "NaN", "nvidia.com/gpu": "1e-400"}))) + "\n")

    # Nesting and aliases.
    write("yaml-alias-bomb.yaml", billion_laughs())
    write("yaml-alias-bomb-then-pod.yaml", billion_laughs() + "---\n" + good_yaml)
    write("yaml-recursive-anchor.yaml", "a: &a [*a]\n---\n" + good_yaml)
    write("yaml-block-nesting.yaml", "".join("  " * i + "k:\n" for i in range(300)) + "---\n" + good_yaml)
    write("yaml-sequence-nesting.yaml", "- " * 20000 + "x\n---\n" + good_yaml)

    # What a name or message may carry into a page or a terminal.
    html = with_(GOOD_POD, ["metadata", "name"], "<script>alert(1)</script>")
    html = with_(html, ["status", "containerStatuses", 0, "lastState", "terminated", "message"],
                 "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) `code`")
    write("html-in-names.json", dump_json(html) + "\n")
    ansi = with_(GOOD_POD, ["status", "containerStatuses", 0, "state", "waiting", "message"],
                 "back-off \u001b[2J\u001b[31mRED\u001b[0m \u0007 bell \u202e reversed \r overwritten")
    write("terminal-escapes.json", dump_json(ansi) + "\n")

    # Secrets where a careless tool would echo them.
    write("secret-object.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ledger-db\n  namespace: finance\ntype: Opaque\ndata:\n  password: czNjcjN0LUNBTkFSWS1TRUNSRVQ=\nstringData:\n  token: tok-CANARY-stringdata\n---\n" + good_yaml)
    pull = with_(GOOD_POD, ["status", "containerStatuses", 0, "state"], {"waiting": {
        "reason": "ErrImagePull",
        "message": "failed to pull and unpack image \"registry.example.com/ledger:5.1.0\": failed to resolve reference: unexpected status from HEAD request to https://ci-bot:pw-CANARY-1234@registry.example.com/v2/ledger/manifests/5.1.0: 401 Unauthorized",
    }})
    write("secret-in-pull-url.json", dump_json(pull) + "\n")
    write("describe-env-secrets.txt", describe_with_env())


def billion_laughs():
    lines = ['a0: &a0 "lol"']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    return "\n".join(lines) + "\n"


def describe_with_env():
    return """$ kubectl describe pod ledger-6d4f9c7b8-q7w2e -n finance
Name:             ledger-6d4f9c7b8-q7w2e
Namespace:        finance
Node:             worker-3/10.0.0.13
Start Time:       Fri, 20 Nov 2026 09:30:02 +0000
Labels:           app=ledger
                  pod-template-hash=6d4f9c7b8
Status:           Running
Controlled By:    ReplicaSet/ledger-6d4f9c7b8
Containers:
  ledger:
    Image:          registry.example.com/ledger:5.1.0
    Args:
      --api-token=tok-CANARY-9a8b7c
      --db-password
      pw-CANARY-5566
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Fri, 20 Nov 2026 09:57:30 +0000
      Finished:     Fri, 20 Nov 2026 09:58:09 +0000
    Ready:          False
    Restart Count:  6
    Limits:
      memory:  384Mi
    Requests:
      cpu:        200m
      memory:     384Mi
    Environment:
      LEDGER_DB_PASSWORD:  s3cr3t-CANARY-4411
      AWS_SECRET_ACCESS_KEY:  wJalrCANARYEXAMPLEKEY
      LOG_LEVEL:           info
Events:
  Type     Reason   Age                From     Message
  ----     ------   ----               ----     -------
  Warning  BackOff  10s (x20 over 5m)  kubelet  Back-off restarting failed container ledger in pod ledger-6d4f9c7b8-q7w2e_finance(6b1c4c9e)
"""


def to_yaml(value, indent=0):
    """A small YAML writer (kubectl's block style) for the dicts above; no PyYAML needed."""
    pad = "  " * indent
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{k}:")
                out.extend(to_yaml(v, indent + (1 if isinstance(v, dict) else 0)))
            else:
                out.append(f"{pad}{k}: {scalar(v)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = to_yaml(item, indent + 1)
                first = inner[0].lstrip()
                out.append(f"{pad}- {first}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {scalar(item)}")
    return out


def scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    if v == {}:
        return "{}"
    if v == []:
        return "[]"
    return json.dumps(v)


if __name__ == "__main__":
    main()
