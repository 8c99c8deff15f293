//! Nodes and what they do to their pods: `node.not-ready`, `node.pressure`,
//! `node.rejected`, `resources.overcommitted`.
//!
//! A node that is not Ready (condition `Ready` `False`/`Unknown`, taints
//! `node.kubernetes.io/unreachable` / `not-ready`) explains its pods' `Unknown`, `NodeLost`
//! and stuck `Terminating` states and the Pending pods its taints keep out: one finding
//! per node, listing those pods, which claims them (no separate `other.unrecognized` or
//! `terminating.stuck`). Pods whose node is absent from the input but which say
//! `NodeLost` / `Unknown` are grouped under the node they name. `MemoryPressure`,
//! `DiskPressure` and `PIDPressure` `True` (or their taints, also as read from
//! `FailedScheduling` messages when no Node is given) are `node.pressure`; any other
//! condition type is left alone (node-problem-detector's `KernelDeadlock False` and the
//! like are healthy). `node.rejected` is a pod the kubelet refused at admission
//! (`OutOfcpu`, `OutOfmemory`, `OutOfpods`, `NodeAffinity`, `UnexpectedAdmissionError`, …).
//! `resources.overcommitted` is a node table computed from Node allocatable and the pods
//! bound to each node: never an error.

use super::Ctx;
use super::pod::{PodView, ev, event_ev, ns_flag, step};
use super::scheduling::pod_request;
use crate::quantity::{format_bytes_human, format_cpu_millis, parse_bytes, parse_cpu_millis};
use crate::{Finding, ObjectRef, Severity};
use k8s_openapi::api::core::v1::{Node, NodeCondition, Pod};
use std::collections::BTreeMap;

/// The node conditions that mean pressure, with their taint and what they evict.
const PRESSURES: &[(&str, &str, &str)] = &[
    (
        "MemoryPressure",
        "node.kubernetes.io/memory-pressure",
        "memory",
    ),
    ("DiskPressure", "node.kubernetes.io/disk-pressure", "disk"),
    (
        "PIDPressure",
        "node.kubernetes.io/pid-pressure",
        "process ids",
    ),
];

const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
const NOT_READY: &str = "node.kubernetes.io/not-ready";

/// What is wrong with one node.
#[derive(Default)]
struct NodeState<'a> {
    /// The `Ready` condition when it is not `True`.
    not_ready: Option<&'a NodeCondition>,
    /// `unreachable` / `not-ready` taints.
    not_ready_taints: Vec<&'a str>,
    /// Pressure conditions that are `True` (name), or only their taint.
    pressures: Vec<(&'static str, Option<&'a NodeCondition>)>,
}

impl NodeState<'_> {
    fn is_not_ready(&self) -> bool {
        self.not_ready.is_some() || !self.not_ready_taints.is_empty()
    }
}

fn node_state(n: &Node) -> NodeState<'_> {
    let mut s = NodeState::default();
    let conds = n.status.iter().flat_map(|s| s.conditions.iter().flatten());
    for c in conds {
        if c.type_ == "Ready" && c.status != "True" {
            s.not_ready = Some(c);
        }
        if let Some(&(name, _, _)) = PRESSURES.iter().find(|p| p.0 == c.type_)
            && c.status == "True"
        {
            s.pressures.push((name, Some(c)));
        }
    }
    for t in n.spec.iter().flat_map(|s| s.taints.iter().flatten()) {
        if t.key == UNREACHABLE || t.key == NOT_READY {
            if !s.not_ready_taints.contains(&t.key.as_str()) {
                s.not_ready_taints.push(&t.key);
            }
        } else if let Some(&(name, _, _)) = PRESSURES.iter().find(|p| p.1 == t.key)
            && !s.pressures.iter().any(|(p, _)| *p == name)
        {
            s.pressures.push((name, None));
        }
    }
    s
}

/// The scheduler's message about an unbound pod (condition, else newest event).
fn schedule_message<'a>(
    pv: &PodView<'a>,
) -> Option<(String, Option<&'a crate::snapshot::EventRec>)> {
    let cond = pv
        .pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        })
        .and_then(|c| c.message.clone());
    let event = pv
        .events
        .iter()
        .rev()
        .find(|e| e.reason == "FailedScheduling")
        .copied();
    match (cond, event) {
        (Some(m), e) => Some((m, e)),
        (None, Some(e)) => Some((e.message.clone(), Some(e))),
        (None, None) => None,
    }
}

/// Node problems a scheduler message names: `None` for not-ready, or the pressure
/// condition. Every wording: taint keys (`{node.kubernetes.io/disk-pressure: }`) and the
/// pre-taint predicates (`node(s) were not ready`, `node(s) had disk pressure`,
/// `NodeUnderDiskPressure`).
fn blocked_by(msg: &str) -> Vec<Option<&'static str>> {
    let l = msg.to_ascii_lowercase();
    let mut out = Vec::new();
    if l.contains(UNREACHABLE)
        || l.contains(NOT_READY)
        || l.contains("were not ready")
        || l.contains("nodenotready")
    {
        out.push(None);
    }
    for (name, taint, _) in PRESSURES {
        let word = name.trim_end_matches("Pressure").to_ascii_lowercase();
        if l.contains(taint)
            || l.contains(&format!("had {word} pressure"))
            || l.contains(&format!("nodeunder{word}pressure"))
            || (*name == "DiskPressure"
                && (l.contains("out of disk") || l.contains("nodeoutofdisk")))
        {
            out.push(Some(*name));
        }
    }
    out
}

fn is_terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// Node findings: not-ready and pressure, with the pods they explain.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let snap = ctx.snap;
    let states: Vec<(&Node, &str, NodeState<'_>)> = snap
        .nodes
        .iter()
        .filter_map(|n| Some((&**n, n.metadata.name.as_deref()?, node_state(n))))
        .collect();
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, (_, n, _)) in states.iter().enumerate() {
        by_name.insert(n, i);
    }
    // The nodes showing each condition a scheduler message can name, computed once.
    let causes: [Option<&'static str>; 4] = [
        None,
        Some("MemoryPressure"),
        Some("DiskPressure"),
        Some("PIDPressure"),
    ];
    let nodes_with: Vec<Vec<usize>> = causes
        .iter()
        .map(|cause| {
            states
                .iter()
                .enumerate()
                .filter(|(_, (_, _, s))| match cause {
                    None => s.is_not_ready(),
                    Some(p) => s.pressures.iter().any(|(x, _)| x == p),
                })
                .map(|(k, _)| k)
                .collect()
        })
        .collect();
    // Per node (index into `states`): pods on a not-ready node; pending pods kept out by
    // a not-ready taint; pending pods kept out by pressure.
    let mut on_node: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
    let mut kept_out: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
    let mut pressed_out: Vec<Vec<usize>> = vec![Vec::new(); states.len()];
    // Pods that name a node missing from the input as lost (`NodeLost`, phase Unknown).
    let mut lost: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    // Pending pods blocked by a condition taint on nodes the input does not have.
    let mut unseen: Vec<(
        usize,
        Option<&'static str>,
        String,
        Option<&crate::snapshot::EventRec>,
    )> = Vec::new();
    for (i, pv) in ctx.pods.iter().enumerate() {
        if is_terminal(pv.pod) || pv.done() {
            continue;
        }
        let node = pv.spec().and_then(|s| s.node_name.as_deref());
        if let Some(node) = node {
            match by_name.get(node) {
                Some(&k) => {
                    if states.get(k).is_some_and(|s| s.2.is_not_ready())
                        && let Some(v) = on_node.get_mut(k)
                    {
                        v.push(i);
                    }
                }
                None => {
                    let reason = pv.pod.status.as_ref().and_then(|s| s.reason.as_deref());
                    if reason == Some("NodeLost") || pv.phase() == "Unknown" {
                        lost.entry(node).or_default().push(i);
                    }
                }
            }
            continue;
        }
        let Some((msg, event)) = schedule_message(pv) else {
            // No word from the scheduler (a pasted table, say): when every node in the
            // input keeps the pod out with a condition taint, that is the reason.
            if pv.phase() == "Pending" && !states.is_empty() {
                let mut hits: Vec<(usize, bool)> = Vec::new();
                let all = states.iter().enumerate().all(|(k, (n, _, st))| {
                    if !st.is_not_ready() && st.pressures.is_empty() {
                        return false;
                    }
                    let blocking = super::scheduling::blocking_taints(pv.pod, n);
                    let not_ready = blocking
                        .iter()
                        .any(|t| t.key == UNREACHABLE || t.key == NOT_READY);
                    let pressure = blocking
                        .iter()
                        .any(|t| PRESSURES.iter().any(|p| p.1 == t.key));
                    if not_ready || pressure {
                        hits.push((k, not_ready));
                    }
                    not_ready || pressure
                });
                if all {
                    for (k, not_ready) in hits {
                        let list = if not_ready {
                            kept_out.get_mut(k)
                        } else {
                            pressed_out.get_mut(k)
                        };
                        if let Some(list) = list {
                            list.push(i);
                        }
                    }
                }
            }
            continue;
        };
        let named = blocked_by(&msg);
        if named.is_empty() && msg.contains("taint") && !msg.contains("{node.kubernetes.io/") {
            // "had untolerated taint(s)" / "had taints that the pod didn't tolerate": the
            // message names no key; the Node objects say which condition taints keep it out.
            for (k, (n, _, st)) in states.iter().enumerate() {
                if !st.is_not_ready() && st.pressures.is_empty() {
                    continue;
                }
                for t in super::scheduling::blocking_taints(pv.pod, n) {
                    let list = if t.key == UNREACHABLE || t.key == NOT_READY {
                        kept_out.get_mut(k)
                    } else if PRESSURES.iter().any(|p| p.1 == t.key) {
                        pressed_out.get_mut(k)
                    } else {
                        None
                    };
                    if let Some(list) = list
                        && list.last() != Some(&i)
                    {
                        list.push(i);
                    }
                }
            }
        }
        for cause in named {
            let matching: &[usize] = causes
                .iter()
                .position(|c| *c == cause)
                .and_then(|i| nodes_with.get(i))
                .map_or(&[], Vec::as_slice);
            if matching.is_empty() {
                unseen.push((i, cause, msg.clone(), event));
            }
            for &k in matching {
                let list = if cause.is_none() {
                    kept_out.get_mut(k)
                } else {
                    pressed_out.get_mut(k)
                };
                if let Some(list) = list {
                    list.push(i);
                }
            }
        }
    }
    for (k, (node, name, state)) in states.iter().enumerate() {
        let empty = Vec::new();
        let on = on_node.get(k).unwrap_or(&empty);
        let out = kept_out.get(k).unwrap_or(&empty);
        if state.is_not_ready() {
            let f = not_ready(ctx, node, name, state, on, out);
            let mut pods = on.clone();
            pods.extend(out);
            ctx.shared_finding(&pods, f);
        }
        if !state.pressures.is_empty() {
            let out = pressed_out.get(k).unwrap_or(&empty);
            let f = pressure(ctx, node, name, state, out);
            ctx.shared_finding(out, f);
        }
    }
    for (name, pods) in lost {
        let f = lost_node(ctx, name, &pods);
        ctx.shared_finding(&pods, f);
    }
    for (i, cause, msg, event) in unseen {
        let Some(pv) = ctx.pods.get(i) else { continue };
        let f = blocked_without_nodes(pv, cause, &msg, event);
        ctx.pod_finding(i, f);
    }
}

fn node_ref(name: &str) -> ObjectRef {
    ObjectRef {
        kind: "Node".into(),
        namespace: None,
        name: name.to_owned(),
        container: None,
    }
}

fn node_finding(id: &'static str, severity: Severity, name: &str, title: String) -> Finding {
    Finding {
        id,
        severity,
        title,
        object: node_ref(name),
        workload: None,
        pods: Vec::new(),
        explanation: String::new(),
        evidence: Vec::new(),
        remediation: Vec::new(),
    }
}

/// "web-1 (Unknown), web-2 (Terminating)".
fn pod_list(ctx: &Ctx<'_>, pods: &[usize]) -> String {
    let mut names: Vec<String> = pods
        .iter()
        .filter_map(|&i| ctx.pods.get(i))
        .map(|pv| {
            let state = if pv.pod.metadata.deletion_timestamp.is_some() {
                "Terminating".to_owned()
            } else {
                let reason = pv.pod.status.as_ref().and_then(|s| s.reason.as_deref());
                match reason {
                    Some(r) => r.to_owned(),
                    None if pv.phase().is_empty() => "status not given".to_owned(),
                    None => pv.phase().to_owned(),
                }
            };
            let ns = pv.namespace.map(|n| format!("{n}/")).unwrap_or_default();
            format!("{ns}{} ({state})", pv.name)
        })
        .collect();
    names.sort();
    names.dedup();
    let n = names.len();
    if n > 10 {
        names.truncate(10);
        names.push(format!("and {} more", n - 10));
    }
    names.join(", ")
}

fn pod_names(ctx: &Ctx<'_>, pods: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = pods
        .iter()
        .filter_map(|&i| ctx.pods.get(i))
        .map(|p| p.name.to_owned())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn cond_ev(name: &str, c: &NodeCondition) -> crate::Evidence {
    let mut v = c.status.clone();
    if let Some(r) = &c.reason {
        v.push_str(&format!(" ({r})"));
    }
    if let Some(m) = c.message.as_deref().filter(|m| !m.is_empty()) {
        v.push_str(&format!(": {}", crate::text::clip(m, 300)));
    }
    ev(format!("node {name} status.conditions[{}]", c.type_), v)
}

fn not_ready(
    ctx: &Ctx<'_>,
    node: &Node,
    name: &str,
    state: &NodeState<'_>,
    on: &[usize],
    out: &[usize],
) -> Finding {
    let snap = ctx.snap;
    let unknown = state.not_ready.is_some_and(|c| c.status == "Unknown")
        || state.not_ready_taints.contains(&UNREACHABLE);
    let severity = if on.is_empty() && out.is_empty() {
        Severity::Warning
    } else {
        Severity::Error
    };
    let title = if unknown {
        format!("Node {name} is unreachable: its kubelet stopped reporting")
    } else {
        format!("Node {name} is NotReady")
    };
    let mut f = node_finding("node.not-ready", severity, name, title);
    f.pods = pod_names(ctx, &[on, out].concat());
    if let Some(c) = state.not_ready {
        f.evidence.push(cond_ev(name, c));
        if let (Some(now), Some(hb), "Unknown") =
            (snap.now, c.last_heartbeat_time.as_ref(), c.status.as_str())
        {
            if let Some(age) = crate::text::age(now, hb.0) {
                f.evidence.push(ev(
                    format!("node {name} status.conditions[Ready].lastHeartbeatTime"),
                    format!("{} ({age} before the newest time in the input)", hb.0),
                ));
            }
        }
    }
    for e in snap
        .events_for("Node", &node.metadata)
        .iter()
        .filter(|e| e.type_ == "Warning")
        .take(3)
    {
        f.evidence.push(event_ev(e));
    }
    for t in &state.not_ready_taints {
        let effects: Vec<&str> = node
            .spec
            .iter()
            .flat_map(|s| s.taints.iter().flatten())
            .filter(|x| x.key == *t)
            .map(|x| x.effect.as_str())
            .collect();
        f.evidence.push(ev(
            format!("node {name} spec.taints"),
            format!("{t}:{}", effects.join(",")),
        ));
    }
    for &i in on.iter().chain(out).take(5) {
        if let Some(pv) = ctx.pods.get(i) {
            let status = pv.pod.status.as_ref();
            let v = match (
                status.and_then(|s| s.reason.as_deref()),
                status.and_then(|s| s.message.as_deref()),
            ) {
                (Some(r), Some(m)) => format!("{r}: {}", crate::text::clip(m, 200)),
                (Some(r), None) => r.to_owned(),
                _ if pv.pod.metadata.deletion_timestamp.is_some() => {
                    "Terminating (deletionTimestamp set)".to_owned()
                }
                _ if pv.spec().and_then(|s| s.node_name.as_ref()).is_none() => schedule_message(pv)
                    .map(|(m, _)| m)
                    .unwrap_or_else(|| "Pending".to_owned()),
                _ => pv.phase().to_owned(),
            };
            f.evidence.push(ev(format!("pod {} status", pv.name), v));
        }
    }
    let mut expl = if unknown {
        format!(
            "The control plane has not heard from the kubelet on {name} for longer than the node-monitor grace period, so the node is marked Unknown{}. The machine may be down or rebooting, the kubelet stopped, its client certificate expired, or the network between the node and the API server is broken. ",
            if state.not_ready_taints.is_empty() {
                String::new()
            } else {
                format!(" and tainted {}", state.not_ready_taints.join(", "))
            }
        )
    } else {
        format!(
            "The kubelet on {name} reports the node is not Ready{}. ",
            state
                .not_ready
                .and_then(|c| c.message.as_deref())
                .filter(|m| !m.is_empty())
                .map(|m| format!(": {}", m.trim().trim_end_matches('.')))
                .unwrap_or_default()
        )
    };
    if !on.is_empty() {
        expl.push_str(&format!(
            "The pods bound to it ({}) show Unknown, NodeLost or Terminating because nobody on the node can confirm what they do: their status is the last one reported, and a deletion cannot finish until the kubelet comes back or the node object is deleted. Their workloads' controllers replace them elsewhere once they are evicted from the node (after 300s by default); StatefulSet pods are not replaced until the old pod is really gone.  ",
            pod_list(ctx, on)
        ));
    }
    if !out.is_empty() {
        expl.push_str(&format!(
            "Pending pods ({}) are kept off the node by its not-ready/unreachable taint; with no other usable node they cannot start. ",
            pod_list(ctx, out)
        ));
    }
    expl.push_str("This is the root cause of those pods' states: fix the node, not the pods.");
    f.explanation = expl;
    f.remediation.push(step(
        "See what the node reports and which pods it holds.",
        vec![
            format!("kubectl describe node {name}"),
            format!("kubectl get pods -A -o wide --field-selector spec.nodeName={name}"),
        ],
    ));
    f.remediation.push(step(
        format!("On {name} (SSH or the provider's console), check the machine, the kubelet and the container runtime, and fix what the logs show (a stopped runtime, a CNI plugin that is not ready, expired kubelet certificates, a full disk)."),
        vec![
            "systemctl status kubelet containerd".to_owned(),
            "journalctl -u kubelet --since '1 hour ago' | tail -100".to_owned(),
            "df -h /var/lib/kubelet /var/lib/containerd; free -m".to_owned(),
        ],
    ));
    // What the kubelet's own message points at.
    let msg = state
        .not_ready
        .and_then(|c| c.message.as_deref())
        .unwrap_or("");
    if msg.contains("NetworkPluginNotReady") || msg.contains("cni") || msg.contains("CNI") {
        f.remediation.push(step(
            format!("The network plugin is not running on {name}: its DaemonSet pod there (calico-node, cilium, flannel, aws-node, …) writes the CNI configuration to /etc/cni/net.d when it starts. Check that pod and its logs; if no network plugin is installed in the cluster yet, install one."),
            vec![
                format!("kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={name}"),
                "ls /etc/cni/net.d /opt/cni/bin   # on the node".to_owned(),
            ],
        ));
    } else if msg.contains("PLEG")
        || msg.contains("runtime is down")
        || msg.contains("container runtime")
    {
        f.remediation.push(step(
            format!("The container runtime on {name} is down or hanging (the kubelet's PLEG check fails when it cannot list containers in time). Restart it and look for the cause in its log (too many containers, a hung shim, disk I/O)."),
            vec![
                "systemctl restart containerd   # on the node".to_owned(),
                "journalctl -u containerd --since '1 hour ago' | tail -100   # on the node".to_owned(),
            ],
        ));
    }
    // The specific step before the generic one.
    if f.remediation.len() == 3 {
        f.remediation.swap(1, 2);
    }
    f.remediation.push(step(
        "If the machine is gone for good, remove it so its pods are released and recreated elsewhere (a StatefulSet pod only then gets a replacement). Force-deleting a pod on an unreachable node skips the kubelet's confirmation: only do it when the machine is really off, or two copies may run.",
        vec![
            format!("kubectl drain {name} --ignore-daemonsets --delete-emptydir-data"),
            format!("kubectl delete node {name}"),
        ],
    ));
    f
}

fn lost_node(ctx: &Ctx<'_>, name: &str, pods: &[usize]) -> Finding {
    let title = format!(
        "Node {name} is lost: {} pod(s) on it are Unknown",
        pods.len()
    );
    let mut f = node_finding("node.not-ready", Severity::Error, name, title);
    f.pods = pod_names(ctx, pods);
    for &i in pods.iter().take(5) {
        if let Some(pv) = ctx.pods.get(i) {
            let status = pv.pod.status.as_ref();
            if let Some(r) = status.and_then(|s| s.reason.as_deref()) {
                f.evidence
                    .push(ev(format!("pod {} status.reason", pv.name), r));
            }
            if let Some(m) = status.and_then(|s| s.message.as_deref()) {
                f.evidence.push(ev(
                    format!("pod {} status.message", pv.name),
                    crate::text::clip(m, 200),
                ));
            }
            f.evidence
                .push(ev(format!("pod {} status.phase", pv.name), pv.phase()));
            f.evidence
                .push(ev(format!("pod {} spec.nodeName", pv.name), name));
        }
    }
    f.explanation = format!(
        "The pods ({}) are bound to node {name} and their status is Unknown (NodeLost): the node controller marks pods so when their node stops reporting. The Node object itself is not in the input; its Ready condition will be Unknown or False. The pods' states are a symptom of the node, not of the pods.",
        pod_list(ctx, pods)
    );
    f.remediation.push(step(
        format!("Check node {name}'s Ready condition and its kubelet."),
        vec![
            format!("kubectl describe node {name}"),
            "journalctl -u kubelet --since '1 hour ago' | tail -100   # on the node".to_owned(),
        ],
    ));
    f.remediation.push(step(
        "If the machine is gone for good, delete the node so its pods are released; force-delete a pod only when you know the machine is off.",
        vec![format!("kubectl delete node {name}")],
    ));
    f
}

fn pressure(
    ctx: &Ctx<'_>,
    node: &Node,
    name: &str,
    state: &NodeState<'_>,
    out: &[usize],
) -> Finding {
    let snap = ctx.snap;
    let kinds: Vec<&str> = state.pressures.iter().map(|(p, _)| *p).collect();
    let severity = if out.is_empty() {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut title = format!("Node {name} is under {}", kinds.join(" and "));
    if !out.is_empty() {
        title.push_str(": pending pods cannot be placed there");
    }
    let mut f = node_finding("node.pressure", severity, name, title);
    f.pods = pod_names(ctx, out);
    for (p, c) in &state.pressures {
        if let Some(c) = c {
            f.evidence.push(cond_ev(name, c));
        }
        if let Some(&(_, taint, _)) = PRESSURES.iter().find(|x| x.0 == *p)
            && let Some(t) = node
                .spec
                .iter()
                .flat_map(|s| s.taints.iter().flatten())
                .find(|t| t.key == taint)
        {
            f.evidence.push(ev(
                format!("node {name} spec.taints"),
                format!("{}:{}", t.key, t.effect),
            ));
        }
    }
    // What the pressure already evicted.
    let evicted: Vec<&Pod> = snap
        .pods_on_node(name)
        .filter(|p| p.status.as_ref().and_then(|s| s.reason.as_deref()) == Some("Evicted"))
        .collect();
    if !evicted.is_empty() {
        let names: Vec<&str> = evicted
            .iter()
            .take(10)
            .filter_map(|p| p.metadata.name.as_deref())
            .collect();
        f.evidence.push(ev(
            format!("pods on {name} with status.reason Evicted"),
            format!("{} ({})", evicted.len(), names.join(", ")),
        ));
    }
    let mut shown: Vec<String> = Vec::new();
    for &i in out {
        if shown.len() >= 2 {
            break;
        }
        if let Some(pv) = ctx.pods.get(i)
            && let Some((m, e)) = schedule_message(pv)
        {
            if shown.contains(&m) {
                continue;
            }
            shown.push(m.clone());
            match e {
                Some(e) if e.message == m => f.evidence.push(event_ev(e)),
                _ => f.evidence.push(ev(
                    format!("pod {} status.conditions[PodScheduled].message", pv.name),
                    m,
                )),
            }
        }
    }
    let node_events = snap.events_for("Node", &node.metadata);
    let gc_failed = node_events
        .iter()
        .any(|e| e.reason == "FreeDiskSpaceFailed" || e.reason == "ImageGCFailed");
    for e in node_events.iter().filter(|e| e.type_ == "Warning").take(3) {
        f.evidence.push(event_ev(e));
    }
    let mut expl = String::new();
    for p in &kinds {
        expl.push_str(match *p {
            "DiskPressure" => "DiskPressure: the node's root filesystem (nodefs: /var/lib/kubelet, logs) or image filesystem (imagefs: /var/lib/containerd or /var/lib/docker) fell below the kubelet's eviction threshold. The kubelet first deletes unused images and dead containers, then evicts pods, those using the most local storage above their ephemeral-storage request first. ",
            "MemoryPressure" => "MemoryPressure: available memory fell below the kubelet's eviction threshold (memory.available). The kubelet evicts pods whose usage exceeds their memory request the most, BestEffort pods first. ",
            _ => "PIDPressure: the node is running out of process ids. The kubelet evicts the pods using the most processes. ",
        });
    }
    expl.push_str(&format!(
        "While the condition lasts the node carries the matching NoSchedule taint, so no new pod is placed there{}.",
        if out.is_empty() {
            String::new()
        } else {
            format!(" — which is why these pods stay Pending: {}", pod_list(ctx, out))
        }
    ));
    if !evicted.is_empty() {
        expl.push_str(&format!(
            " {} pod(s) on the node were already evicted.",
            evicted.len()
        ));
    }
    if gc_failed {
        expl.push_str(" The kubelet's image garbage collection could not free enough space: the disk is filled by something other than unused images (images in use, container logs, emptyDir data, files outside Kubernetes), so pruning images alone will not clear it.");
    }
    f.explanation = expl;
    f.remediation.push(step(
        format!("See the conditions and what runs on {name}."),
        vec![
            format!("kubectl describe node {name}"),
            format!("kubectl get pods -A -o wide --field-selector spec.nodeName={name}"),
        ],
    ));
    if kinds.contains(&"DiskPressure") {
        f.remediation.push(step(
            format!("Free disk on {name}: prune unused images, rotate and vacuum logs, remove exited containers; then check why it filled (large images, container logs without rotation, emptyDir data). Tune image GC (imageGCHighThresholdPercent) and the eviction thresholds (evictionHard nodefs.available / imagefs.available), or give the node a larger disk."),
            vec![
                "df -h /var/lib/kubelet /var/lib/containerd /var/log   # on the node".to_owned(),
                "crictl rmi --prune   # on the node: unused images".to_owned(),
                "journalctl --vacuum-size=500M; du -sh /var/log/pods/* | sort -h | tail   # on the node".to_owned(),
            ],
        ));
    }
    if kinds.contains(&"MemoryPressure") {
        f.remediation.push(step(
            "Find what uses the memory and set memory requests near real usage so the scheduler stops overpacking the node; reserve memory for the system (system-reserved / kube-reserved) so the kubelet acts before the kernel does.",
            vec![
                "kubectl top pods -A --sort-by=memory".to_owned(),
                format!("kubectl describe node {name} | sed -n '/Allocated resources/,/Events/p'"),
            ],
        ));
    }
    if kinds.contains(&"PIDPressure") {
        f.remediation.push(step(
            "Find the pod that forks without bound (zombie processes, thread leaks) and set the kubelet's podPidsLimit so one pod cannot exhaust the node.",
            vec!["ps -eLf | wc -l; ps -e -o pid,ppid,comm --sort=ppid | tail -50   # on the node".to_owned()],
        ));
    }
    f
}

fn blocked_without_nodes(
    pv: &PodView<'_>,
    cause: Option<&'static str>,
    msg: &str,
    event: Option<&crate::snapshot::EventRec>,
) -> Finding {
    let unreachable = msg.contains(UNREACHABLE);
    let (id, what, taint) = match cause {
        None if unreachable => (
            "node.not-ready",
            "unreachable (the kubelet stopped reporting)".to_owned(),
            UNREACHABLE,
        ),
        None => ("node.not-ready", "not Ready".to_owned(), NOT_READY),
        Some(p) => (
            "node.pressure",
            format!("under {p}"),
            PRESSURES.iter().find(|x| x.0 == p).map_or("", |x| x.1),
        ),
    };
    let fit = super::scheduling::parse_fit_error(msg);
    let nodes = fit.as_ref().and_then(|f| {
        f.reasons
            .iter()
            .filter(|(_, r)| blocked_by(r).contains(&cause))
            .map(|(n, _)| *n)
            .reduce(u32::saturating_add)
    });
    let total = fit.as_ref().and_then(|f| f.total);
    let (who, verb) = match (nodes, total) {
        (Some(1), Some(1)) => ("the only node".to_owned(), "is"),
        (Some(n), Some(t)) if n == t => (format!("all {t} nodes"), "are"),
        (Some(n), Some(t)) => (
            format!("{n} of {t} nodes"),
            if n == 1 { "is" } else { "are" },
        ),
        (Some(n), None) => (format!("{n} node(s)"), "are"),
        _ => ("nodes".to_owned(), "are"),
    };
    let title = format!("{} cannot be scheduled: {who} {verb} {what}", pv.subject());
    let mut f = pv.finding(id, Severity::Error, None, title);
    match event {
        Some(e) if e.message == msg => f.evidence.push(event_ev(e)),
        _ => f
            .evidence
            .push(ev("status.conditions[PodScheduled].message", msg)),
    }
    let ns = pv.ns_flag();
    let taint_txt = format!(
        " The taint {taint} is set by Kubernetes itself, not by a person: it is a symptom to fix on the node, not something to tolerate."
    );
    f.explanation = match cause {
        None if unreachable => format!(
            "The scheduler cannot use {who}: the node lifecycle controller tainted it because its kubelet stopped posting status (the machine is down, the kubelet stopped, or the network to the API server is broken).{taint_txt} The Node objects are not in the input; kubectl get nodes shows which node is NotReady."
        ),
        None => format!(
            "The scheduler cannot use {who}: the kubelet reports the node not Ready (often the container runtime or the CNI plugin is not ready).{taint_txt} The Node objects are not in the input; kubectl get nodes shows which node is NotReady."
        ),
        Some(p) => format!(
            "The scheduler cannot use {who}: the kubelet reports {p} and taints the node so nothing new lands there until it recovers.{taint_txt} The Node objects are not in the input; kubectl describe nodes shows which node and how full it is."
        ),
    };
    f.remediation.push(step(
        "Find the node(s) and their conditions.",
        vec![
            "kubectl get nodes".to_owned(),
            "kubectl describe nodes | grep -A8 Conditions:".to_owned(),
        ],
    ));
    match cause {
        None => f.remediation.push(step(
            "On the affected node, check the kubelet and the container runtime and fix what their logs show; once the node reports Ready the taint is removed and the pod is scheduled.",
            vec![
                "systemctl status kubelet containerd   # on the node".to_owned(),
                "journalctl -u kubelet --since '1 hour ago' | tail -100   # on the node".to_owned(),
            ],
        )),
        Some("DiskPressure") => f.remediation.push(step(
            "Free disk on the node (unused images, logs, exited containers) or enlarge it; the taint goes away once usage is back under the kubelet's eviction threshold.",
            vec![
                "crictl rmi --prune   # on the node".to_owned(),
                "df -h /var/lib/kubelet /var/lib/containerd /var/log   # on the node".to_owned(),
            ],
        )),
        Some(_) => f.remediation.push(step(
            "Relieve the node: find what uses the memory or processes, set requests near real usage, or add nodes.",
            vec!["kubectl top nodes".to_owned(), "kubectl top pods -A --sort-by=memory".to_owned()],
        )),
    }
    f.remediation.push(step(
        "Do not add a toleration for this taint to get the pod scheduled: the node really cannot run it.",
        vec![format!("kubectl get pod {} {ns} -o wide", pv.name)],
    ));
    f
}

/// Kubelet admission reasons: the kubelet refused to run a pod the scheduler (or someone
/// setting `nodeName`) had put on its node.
fn rejected_reason(reason: &str, message: &str) -> bool {
    reason.starts_with("OutOf")
        || matches!(
            reason,
            "NodeAffinity"
                | "NodeName"
                | "NodeSelectorMismatching"
                | "UnexpectedAdmissionError"
                | "InvalidNodeInfo"
                | "NodePorts"
                | "PodOSNotSupported"
                | "PodOSSelectorNodeLabelDoesNotMatch"
                | "UnknownReason"
                | "SysctlForbidden"
                | "AppArmor"
                | "Taint"
                | "TopologyAffinityError"
                | "UnexpectedAdmissionError "
        )
        || message.contains("Node didn't have enough resource")
        || message.contains("Predicate ")
}

/// `node.rejected`: pods the kubelet refused at admission.
pub(crate) fn rejected(ctx: &mut Ctx<'_>) {
    // Per workload, pods that run: a rejected pod there was replaced.
    let mut running: Option<std::collections::HashMap<crate::WorkloadRef, usize>> = None;
    for i in 0..ctx.pods.len() {
        if ctx.pod_claimed(i) {
            continue;
        }
        let Some(pv) = ctx.pods.get(i) else { continue };
        if pv.phase() != "Failed" {
            continue;
        }
        let status = pv.pod.status.as_ref();
        let reason = status.and_then(|s| s.reason.as_deref()).unwrap_or("");
        let message = status.and_then(|s| s.message.as_deref()).unwrap_or("");
        if reason.is_empty() || !rejected_reason(reason, message) {
            continue;
        }
        let running = running.get_or_insert_with(|| {
            let mut m = std::collections::HashMap::new();
            for p in &ctx.pods {
                if let Some(w) = &p.workload
                    && p.phase() == "Running"
                {
                    *m.entry(w.clone()).or_insert(0usize) += 1;
                }
            }
            m
        });
        let replaced = pv
            .workload
            .as_ref()
            .and_then(|w| running.get(w))
            .copied()
            .unwrap_or(0);
        let f = rejected_finding(pv, reason, message, replaced);
        ctx.pod_finding(i, f);
    }
}

/// `Node didn't have enough resource: cpu, requested: 500, used: 1800, capacity: 2000`.
fn not_enough(message: &str) -> Option<(String, String, String, String)> {
    let rest = message.split("enough resource: ").nth(1)?;
    let mut parts = rest.split(", ");
    let res = parts.next()?.trim().to_owned();
    let mut get = |k: &str| -> Option<String> {
        parts
            .next()?
            .trim()
            .strip_prefix(k)
            .map(|v| v.trim().trim_end_matches('.').to_owned())
    };
    let requested = get("requested: ")?;
    let used = get("used: ")?;
    let capacity = get("capacity: ")?;
    Some((res, requested, used, capacity))
}

fn rejected_finding(pv: &PodView<'_>, reason: &str, message: &str, replaced: usize) -> Finding {
    let node = pv
        .spec()
        .and_then(|s| s.node_name.as_deref())
        .unwrap_or("its node");
    let what = if let Some(r) = reason.strip_prefix("OutOf") {
        format!("the node had no {r} left for it")
    } else {
        match reason {
            "NodeAffinity" | "NodeSelectorMismatching" => "the node's labels do not match the pod's node selector / affinity".to_owned(),
            "NodeName" => "the pod's nodeName is not this node".to_owned(),
            "UnexpectedAdmissionError" => "the kubelet hit an error admitting it (usually a device plugin or resource manager that could not allocate)".to_owned(),
            "NodePorts" => "its hostPort is already in use on the node".to_owned(),
            "TopologyAffinityError" => "the topology manager could not align its resources on one NUMA node".to_owned(),
            "SysctlForbidden" => "it asks for sysctls the kubelet does not allow".to_owned(),
            _ => format!("the kubelet refused it ({reason})"),
        }
    };
    let who = if pv.workload.is_some() {
        format!("Pod {} of {}", pv.name, pv.subject())
    } else {
        format!("Pod {}", pv.name)
    };
    let title = format!("{who} was rejected by the kubelet on {node}: {what}");
    let severity = if replaced > 0 {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut f = pv.finding("node.rejected", severity, None, title);
    f.evidence.push(ev("status.phase", "Failed"));
    f.evidence.push(ev("status.reason", reason));
    if !message.is_empty() {
        f.evidence
            .push(ev("status.message", crate::text::clip(message.trim(), 400)));
    }
    let spec = pv.spec();
    let static_pod = pv.pod.metadata.annotations.as_ref().is_some_and(|a| {
        a.contains_key("kubernetes.io/config.mirror")
            || a.contains_key("kubernetes.io/config.source")
    }) || crate::snapshot::controller_of(&pv.pod.metadata)
        .is_some_and(|o| o.kind == "Node");
    let scheduled_by_scheduler = pv
        .pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c.type_ == "PodScheduled" && c.status == "True")
        });
    let daemon = pv.workload.as_ref().is_some_and(|w| w.kind == "DaemonSet");
    if let Some(n) = spec.and_then(|s| s.node_name.as_deref()) {
        f.evidence.push(ev("spec.nodeName", n));
    }
    let numbers = not_enough(message).map(|(res, req, used, cap)| {
        let cpu = res.eq_ignore_ascii_case("cpu");
        let mem = res.eq_ignore_ascii_case("memory");
        let num = |v: &str| v.trim().parse::<i64>().ok();
        let show = |v: i64| -> String {
            if cpu {
                format!("{} CPU", format_cpu_millis(v))
            } else if mem {
                format_bytes_human(v)
            } else {
                format!("{v} {res}")
            }
        };
        match (num(&req), num(&used), num(&cap)) {
            (Some(r), Some(u), Some(c)) => format!(
                " It requested {} while the pods already admitted used {} of the node's {}, leaving {}.",
                show(r),
                show(u),
                show(c),
                show(c.saturating_sub(u).max(0))
            ),
            _ => format!(" It requested {req} {res}; used {used}, capacity {cap}."),
        }
    });
    let device = message.contains("devices unavailable") || message.contains("Allocate failed");
    let why = if static_pod {
        "It is a static pod (its manifest sits in the kubelet's manifest directory): the scheduler never looked at it, so nothing checked it fits."
    } else if !scheduled_by_scheduler && spec.is_some_and(|s| s.node_name.is_some()) && !daemon {
        "The scheduler never placed it (no PodScheduled=True condition): spec.nodeName was set directly in the manifest, which bypasses every scheduler check."
    } else if device {
        "The scheduler counted a free device on the node, but the device plugin could not hand one out: a device still held by a pod that is terminating, a device plugin that restarted and re-registered, or an unhealthy device the plugin stopped advertising."
    } else if daemon {
        "DaemonSet pods are bound to their node by design; the kubelet still checks they fit, and the node is full of other pods."
    } else {
        "The scheduler thought it fitted: the kubelet's view differs in a race (pods the scheduler considered gone were still running, a kubelet restart re-admitting pods, resources taken by static pods or by pods bound with nodeName that the scheduler did not count)."
    };
    f.explanation = format!(
        "The kubelet on {node} refused the pod at admission: {what}.{} {why} A pod rejected at admission never runs and is not retried{}.",
        numbers.unwrap_or_default(),
        match (&pv.workload, replaced) {
            (Some(_), r) if r > 0 => format!(
                "; {} created another pod instead and has {r} running pod(s)",
                pv.subject()
            ),
            (Some(_), _) => format!("; {} creates another pod instead", pv.subject()),
            (None, _) =>
                ": a bare pod is not recreated, so create it again once it can fit".to_owned(),
        }
    );
    let ns = pv.ns_flag();
    if static_pod
        || (!scheduled_by_scheduler && spec.is_some_and(|s| s.node_name.is_some()) && !daemon)
    {
        f.remediation.push(step(
            "Let the scheduler place the pod: remove spec.nodeName from the manifest (use a nodeSelector or node affinity to pin it), or make room on the node for a static pod.",
            vec![format!("kubectl describe node {node}")],
        ));
    } else if device {
        f.remediation.push(step(
            format!("Check the devices {node} advertises and allocates, and the device plugin pod on it (restarting it re-registers the devices); pods stuck terminating on the node may still hold one."),
            vec![
                format!("kubectl describe node {node}"),
                format!("kubectl get pods -A -o wide --field-selector spec.nodeName={node}"),
            ],
        ));
    } else {
        f.remediation.push(step(
            format!("Compare what {node} has allocated with what the pod requests, and make room or reduce the request."),
            vec![format!("kubectl describe node {node}")],
        ));
    }
    f.remediation.push(step(
        "Delete the rejected pod objects once read; if a controller keeps creating pods that are rejected, scale it down until the node is fixed.",
        vec![format!("kubectl delete pod {} {ns}", pv.name)],
    ));
    f
}

/// `resources.overcommitted`: a node table of requests and limits against allocatable.
pub(crate) fn overcommitted(ctx: &mut Ctx<'_>) {
    let snap = ctx.snap;
    struct Row<'a> {
        name: &'a str,
        ready: bool,
        cpu: [i64; 3],
        mem: [i64; 3],
        pods: usize,
        /// Containers with no memory limit (their usage is bounded only by the node).
        unlimited: usize,
    }
    let mut rows: Vec<Row<'_>> = Vec::new();
    for n in &snap.nodes {
        let Some(name) = n.metadata.name.as_deref() else {
            continue;
        };
        let Some(status) = n.status.as_ref() else {
            continue;
        };
        let Some(alloc) = status.allocatable.as_ref().or(status.capacity.as_ref()) else {
            continue;
        };
        let cpu_a = alloc
            .get("cpu")
            .and_then(|q| parse_cpu_millis(&q.0).ok())
            .unwrap_or(0);
        let mem_a = alloc
            .get("memory")
            .and_then(|q| parse_bytes(&q.0).ok())
            .unwrap_or(0);
        if cpu_a <= 0 && mem_a <= 0 {
            continue;
        }
        let mut cpu = [cpu_a, 0, 0];
        let mut mem = [mem_a, 0, 0];
        let mut pods = 0usize;
        let mut unlimited = 0usize;
        for p in snap.pods_on_node(name).filter(|p| !is_terminal(p)) {
            pods += 1;
            unlimited += p
                .spec
                .iter()
                .flat_map(|s| &s.containers)
                .filter(|c| {
                    c.resources
                        .as_ref()
                        .and_then(|r| r.limits.as_ref())
                        .is_none_or(|l| !l.contains_key("memory"))
                })
                .count();
            cpu[1] = cpu[1].saturating_add(pod_request(p, "cpu", |q| parse_cpu_millis(q).ok()));
            mem[1] = mem[1].saturating_add(pod_request(p, "memory", |q| parse_bytes(q).ok()));
            cpu[2] = cpu[2].saturating_add(pod_limit(p, "cpu", |q| parse_cpu_millis(q).ok()));
            mem[2] = mem[2].saturating_add(pod_limit(p, "memory", |q| parse_bytes(q).ok()));
        }
        if pods == 0 {
            continue;
        }
        let ready = node_state(n).not_ready.is_none()
            && n.spec.as_ref().and_then(|s| s.unschedulable) != Some(true);
        rows.push(Row {
            name,
            ready,
            cpu,
            mem,
            pods,
            unlimited,
        });
    }
    let pct = |a: [i64; 3], k: usize| -> i64 {
        if a[0] > 0 {
            a.get(k).copied().unwrap_or(0).saturating_mul(100) / a[0]
        } else {
            0
        }
    };
    const NEAR: i64 = 90;
    let hot: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| {
            pct(r.cpu, 1) >= NEAR
                || pct(r.mem, 1) >= NEAR
                || pct(r.cpu, 2) > 100
                || pct(r.mem, 2) > 100
        })
        .collect();
    if hot.is_empty() {
        return;
    }
    let ready_rows: Vec<&Row<'_>> = rows.iter().filter(|r| r.ready).collect();
    let no_headroom = !ready_rows.is_empty()
        && ready_rows
            .iter()
            .all(|r| pct(r.cpu, 1) >= NEAR || pct(r.mem, 1) >= NEAR);
    let mem_overcommit = hot.iter().any(|r| pct(r.mem, 2) > 100);
    let severity = if no_headroom {
        Severity::Warning
    } else {
        Severity::Info
    };
    let worst = hot
        .iter()
        .max_by_key(|r| (pct(r.mem, 1).max(pct(r.cpu, 1)), std::cmp::Reverse(r.name)))
        .map_or("", |r| r.name);
    let title = if no_headroom {
        format!(
            "No headroom: every schedulable node has 90% or more of its CPU or memory requested ({} node(s))",
            ready_rows.len()
        )
    } else {
        format!(
            "{} node(s) are overcommitted (requests near allocatable or limits above it)",
            hot.len()
        )
    };
    let mut f = node_finding("resources.overcommitted", severity, worst, title);
    let mut table = String::new();
    for r in &rows {
        table.push_str(&format!(
            "{}{}: CPU requested {} ({}%), limits {} ({}%), free {} of {}; memory requested {} ({}%), limits {} ({}%){}, free {} of {}; {} pod(s)\n",
            r.name,
            if r.ready { "" } else { " (not schedulable)" },
            format_cpu_millis(r.cpu[1]),
            pct(r.cpu, 1),
            format_cpu_millis(r.cpu[2]),
            pct(r.cpu, 2),
            format_cpu_millis(r.cpu[0].saturating_sub(r.cpu[1]).max(0)),
            format_cpu_millis(r.cpu[0]),
            format_bytes_human(r.mem[1]),
            pct(r.mem, 1),
            format_bytes_human(r.mem[2]),
            pct(r.mem, 2),
            if r.unlimited > 0 { format!(" plus {} container(s) with no memory limit", r.unlimited) } else { String::new() },
            format_bytes_human(r.mem[0].saturating_sub(r.mem[1]).max(0)),
            format_bytes_human(r.mem[0]),
            r.pods
        ));
    }
    for r in hot.iter().take(10) {
        f.evidence.push(ev(
            format!("node {} (allocatable vs pods bound to it)", r.name),
            format!(
                "cpu requests {}%, limits {}%; memory requests {}%, limits {}%",
                pct(r.cpu, 1),
                pct(r.cpu, 2),
                pct(r.mem, 1),
                pct(r.mem, 2)
            ),
        ));
    }
    f.explanation = format!(
        "{table}Requests are what the scheduler reserves: at 90% and above a node has no room for another replica or a rolling update's surge pod, and the cluster autoscaler only adds nodes once a pod is Pending. Limits above 100% of allocatable are allowed (overcommit), but when the pods use what their limits allow at the same time, memory runs out: the kubelet evicts pods or the kernel OOM-kills them.{} Computed from the Node objects and the non-terminated pods bound to them in the input.",
        if mem_overcommit {
            " Memory limits above allocatable are the risky kind: CPU is throttled, memory is not."
        } else {
            ""
        }
    );
    f.remediation.push(step(
        "Keep headroom for scaling and rollouts: add nodes (or let the cluster autoscaler do it), or right-size requests that are far above real usage.",
        vec!["kubectl top nodes".to_owned(), format!("kubectl describe node {worst}")],
    ));
    if mem_overcommit {
        f.remediation.push(step(
            "Bring memory limits closer to requests for the largest pods, so the sum of limits fits what the nodes have.",
            vec!["kubectl top pods -A --sort-by=memory".to_owned()],
        ));
    }
    let _ = ns_flag;
    ctx.finding(f);
}

/// Sum of container limits (init containers: the largest), 0 where none is set.
fn pod_limit(pod: &Pod, key: &str, amount: impl Fn(&str) -> Option<i64>) -> i64 {
    let Some(spec) = &pod.spec else { return 0 };
    let one = |c: &k8s_openapi::api::core::v1::Container| -> i64 {
        c.resources
            .as_ref()
            .and_then(|r| r.limits.as_ref())
            .and_then(|m| m.get(key))
            .and_then(|q| amount(&q.0))
            .unwrap_or(0)
    };
    super::scheduling::pod_total(spec, one)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_node_problems_from_scheduler_messages() {
        assert_eq!(
            blocked_by(
                "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
            ),
            vec![None]
        );
        assert_eq!(
            blocked_by(
                "0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/disk-pressure: }, that the pod didn't tolerate."
            ),
            vec![Some("DiskPressure")]
        );
        assert_eq!(
            blocked_by("0/3 nodes are available: 3 node(s) had disk pressure."),
            vec![Some("DiskPressure")]
        );
        assert_eq!(
            blocked_by("0/2 nodes are available: 2 node(s) were not ready."),
            vec![None]
        );
        assert!(blocked_by("0/3 nodes are available: 3 Insufficient cpu.").is_empty());
    }

    #[test]
    fn reads_kubelet_admission_numbers() {
        assert_eq!(
            not_enough(
                "Pod Node didn't have enough resource: cpu, requested: 500, used: 1800, capacity: 2000"
            ),
            Some(("cpu".into(), "500".into(), "1800".into(), "2000".into()))
        );
        assert!(rejected_reason("OutOfcpu", ""));
        assert!(rejected_reason("OutOfnvidia.com/gpu", ""));
        assert!(!rejected_reason(
            "Evicted",
            "The node was low on resource: memory."
        ));
    }
}
