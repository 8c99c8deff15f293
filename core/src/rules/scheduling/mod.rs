//! Pods the scheduler cannot place.
//!
//! Ids: every `sched.*` id and `volume.provisioning-failed`. The scheduler's verdict comes
//! from the pod's `PodScheduled=False` condition and its `FailedScheduling` events, in
//! every wording Kubernetes has used (`0/3 nodes are available: 3 Insufficient cpu.`,
//! `No nodes are available that match all of the following predicates:: Insufficient cpu
//! (3)`, `fit failure on node (n): Insufficient cpu`, PreFilter errors without counts, and
//! the old `PodExceedsFreeCPU` event reason). `reasons` classifies every clause and picks
//! the root cause; `placement`, `volumes` and `cluster` build the finding from the Node,
//! PersistentVolume, claim and StorageClass objects when the input has them. CPU and memory
//! are computed here: the free capacity of every node compared with the pod's request.

mod cluster;
mod nodes;
mod placement;
mod reasons;
mod volumes;

use super::Ctx;
use super::pod::{PodView, ev, event_ev, step};
use crate::quantity::{Quantity, format_bytes, format_bytes_human, format_cpu_millis};
use crate::{Finding, Severity, Snapshot};
use k8s_openapi::api::core::v1::{Node, Pod, Taint, Toleration};
use reasons::Why;
use std::collections::BTreeMap;

/// A parsed scheduler verdict: how many nodes, and each reason with its node count.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct FitError {
    pub total: Option<u32>,
    pub reasons: Vec<(u32, String)>,
}

/// Parse any wording of the scheduler's "does not fit" message.
pub(crate) fn parse_fit_error(msg: &str) -> Option<FitError> {
    let msg = msg.trim();
    // Modern: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had taint …. preemption: …"
    if let Some(i) = msg.find(" nodes are available: ") {
        let head = msg.get(..i)?;
        let total = head.rsplit('/').next().and_then(|n| n.trim().parse().ok());
        let mut body = msg.get(i + " nodes are available: ".len()..)?;
        if let Some(p) = body.find("preemption:") {
            body = body.get(..p)?;
        }
        let body = body.trim().trim_end_matches('.');
        let mut reasons = Vec::new();
        for part in split_reasons(body) {
            let part = part.trim().trim_end_matches('.');
            let (n, text) = match part.split_once(' ') {
                Some((n, t)) if n.parse::<u32>().is_ok() => (n.parse().unwrap_or(1), t),
                _ => (1, part),
            };
            if !text.is_empty() {
                reasons.push((n, text.trim().to_owned()));
            }
        }
        return Some(FitError { total, reasons });
    }
    // 1.6–1.9: "No nodes are available that match all of the following predicates:: Insufficient cpu (3), MatchNodeSelector (1)."
    if let Some(i) = msg.find("following predicates:") {
        let body = msg
            .get(i + "following predicates:".len()..)?
            .trim_start_matches(':');
        let mut reasons = Vec::new();
        for part in body.trim().trim_end_matches('.').split(", ") {
            let part = part.trim();
            let (text, n) = match part.rsplit_once(" (") {
                Some((t, n)) => (t, n.trim_end_matches(')').parse().unwrap_or(1)),
                None => (part, 1),
            };
            reasons.push((n, text.to_owned()));
        }
        return Some(FitError {
            total: None,
            reasons,
        });
    }
    // Older: "pod (x) failed to fit in any node\nfit failure on node (n): Insufficient cpu"
    if msg.contains("fit failure") || msg.contains("failed to fit") {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for line in msg.lines() {
            if let Some((_, reason)) = line.split_once("):") {
                let n = counts.entry(reason.trim().to_owned()).or_default();
                *n = n.saturating_add(1);
            }
        }
        if counts.is_empty() {
            counts.insert(msg.to_owned(), 1);
        }
        let reasons = counts.into_iter().map(|(r, n)| (n, r)).collect();
        return Some(FitError {
            total: None,
            reasons,
        });
    }
    None
}

/// Split reasons at ", " but not inside `{…}` (taint lists) or `[…]`.
fn split_reasons(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0usize;
    let bytes = body.as_bytes();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' | b'[' | b'(' => depth = depth.saturating_add(1),
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b',' if depth <= 0 && bytes.get(i + 1) == Some(&b' ') => {
                out.push(body.get(start..i).unwrap_or(""));
                start = i + 2;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(body.get(start..).unwrap_or(""));
    // "had taint {k: v}, that the pod didn't tolerate" is one clause (1.10–1.25 wording).
    let mut merged: Vec<&str> = Vec::with_capacity(out.len());
    let mut k = 0usize;
    while let Some(part) = out.get(k).copied() {
        let next = out.get(k + 1).copied();
        match next {
            Some(n) if n.starts_with("that ") => {
                let end = body.find(n).map(|i| i + n.len()).unwrap_or(0);
                let begin = body.find(part).unwrap_or(0);
                merged.push(body.get(begin..end).unwrap_or(part));
                k += 2;
            }
            _ => {
                merged.push(part);
                k += 1;
            }
        }
    }
    merged
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    Cpu,
    Memory,
}

impl Resource {
    fn id(self) -> &'static str {
        match self {
            Resource::Cpu => "sched.insufficient-cpu",
            Resource::Memory => "sched.insufficient-memory",
        }
    }
    fn key(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
        }
    }
    fn word(self) -> &'static str {
        match self {
            Resource::Cpu => "CPU",
            Resource::Memory => "memory",
        }
    }
    /// Exact amount: millicores for CPU, bytes for memory.
    fn amount(self, q: &str) -> Option<i64> {
        let q = Quantity::parse(q).ok()?;
        match self {
            Resource::Cpu => q.to_millis().ok(),
            Resource::Memory => q.to_units().ok(),
        }
    }
    fn show(self, v: i64) -> String {
        match self {
            Resource::Cpu => format_cpu_millis(v),
            Resource::Memory => format_bytes(v),
        }
    }
    /// A tidy value at most `v`, as people write requests (whole Mi for memory).
    fn tidy_down(self, v: i64) -> i64 {
        const MI: i64 = 1 << 20;
        match self {
            Resource::Cpu => v,
            Resource::Memory if v >= MI => v / MI * MI,
            Resource::Memory => v,
        }
    }
    fn prose(self, v: i64) -> String {
        match self {
            Resource::Cpu => format!("{} CPU", format_cpu_millis(v)),
            Resource::Memory => format_bytes_human(v),
        }
    }
}

/// What the scheduler said about one pending pod.
struct Verdict<'a> {
    message: String,
    /// Where the message was read.
    source: Source<'a>,
    fit: Option<FitError>,
}

enum Source<'a> {
    Condition,
    Event(&'a crate::snapshot::EventRec),
}

fn verdict<'a>(pv: &PodView<'a>) -> Option<Verdict<'a>> {
    let cond = pv
        .pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| {
            cs.iter().find(|c| {
                c.type_ == "PodScheduled"
                    && c.status == "False"
                    && c.reason.as_deref() == Some("Unschedulable")
            })
        });
    if let Some(m) = cond.and_then(|c| c.message.as_deref()) {
        return Some(Verdict {
            message: m.to_owned(),
            source: Source::Condition,
            // A PreFilter error has no node counts: the whole message is the one clause.
            fit: parse_fit_error(m).or_else(|| {
                Some(FitError {
                    total: None,
                    reasons: vec![(1, m.to_owned())],
                })
            }),
        });
    }
    let event = pv.events.iter().rev().find(|e| {
        matches!(
            e.reason.as_str(),
            "FailedScheduling" | "PodExceedsFreeCPU" | "PodExceedsFreeMemory"
        )
    })?;
    let fit = parse_fit_error(&event.message).or_else(|| {
        let text = if event.reason == "FailedScheduling" {
            event.message.clone()
        } else {
            event.reason.clone()
        };
        Some(FitError {
            total: None,
            reasons: vec![(1, text)],
        })
    });
    Some(Verdict {
        message: event.message.clone(),
        source: Source::Event(event),
        fit,
    })
}

fn mentions(fit: &FitError, r: Resource) -> Option<u32> {
    // Every wording: "Insufficient cpu", the 1.2-era "Node didn't have enough resource:
    // CPU, requested: …", and the 1.0/1.1 event reasons PodExceedsFreeCPU/Memory.
    let needles: [&str; 3] = match r {
        Resource::Cpu => [
            "insufficient cpu",
            "enough resource: cpu",
            "podexceedsfreecpu",
        ],
        Resource::Memory => [
            "insufficient memory",
            "enough resource: memory",
            "podexceedsfreememory",
        ],
    };
    fit.reasons
        .iter()
        .filter(|(_, t)| {
            let t = t.to_ascii_lowercase();
            needles.iter().any(|n| t.contains(n))
        })
        .map(|(n, _)| *n)
        .reduce(u32::saturating_add)
}

/// Look at every pending pod.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    // Computed once, on first need: node capacity per resource, and how many pods of
    // each workload have a node (the replicas running now).
    let mut rooms: [Option<Vec<NodeRoom<'_>>>; 2] = [None, None];
    let mut running: Option<std::collections::HashMap<crate::WorkloadRef, usize>> = None;
    // Pending pods of one workload share one finding (merged later): work it out once.
    let mut done: std::collections::HashMap<(crate::WorkloadRef, &'static str), Finding> =
        std::collections::HashMap::new();
    let snap = ctx.snap;
    for i in 0..ctx.pods.len() {
        if ctx.pod_claimed(i) {
            continue;
        }
        let mut found = Vec::new();
        if let Some(pv) = ctx.pods.get(i) {
            let bound = pv.spec().and_then(|s| s.node_name.as_ref()).is_some();
            if pv.phase() != "Pending" && !pv.phase().is_empty() || bound {
                continue;
            }
            if let Some(f) = cluster::gated(snap, pv) {
                found.push(f);
            } else if let Some(v) = verdict(pv)
                && let Some(fit) = &v.fit
            {
                let clauses = reasons::classify(fit);
                let Some(why) = reasons::primary(fit, &clauses) else {
                    continue;
                };
                let Some(id) = why.id() else { continue };
                let key = pv.workload.clone().map(|w| (w, id));
                if let Some(same) = key.as_ref().and_then(|k| done.get(k)) {
                    let mut f = same.clone();
                    f.object.name = pv.name.to_owned();
                    f.pods = vec![pv.name.to_owned()];
                    found.push(f);
                } else {
                    let resource = match why {
                        Why::Cpu => Some((0usize, Resource::Cpu)),
                        Why::Memory => Some((1usize, Resource::Memory)),
                        _ => None,
                    };
                    let made = match resource {
                        Some((slot, r)) => {
                            let running = running.get_or_insert_with(|| {
                                let mut counts = std::collections::HashMap::new();
                                for p in &ctx.pods {
                                    let bound =
                                        p.spec().and_then(|s| s.node_name.as_ref()).is_some();
                                    if let Some(w) = &p.workload
                                        && bound
                                        && !matches!(p.phase(), "Succeeded" | "Failed")
                                    {
                                        *counts.entry(w.clone()).or_insert(0usize) += 1;
                                    }
                                }
                                counts
                            });
                            let running = pv
                                .workload
                                .as_ref()
                                .and_then(|w| running.get(w))
                                .copied()
                                .unwrap_or(0);
                            let n = mentions(fit, r).unwrap_or(1);
                            rooms.get_mut(slot).map(|room| {
                                let rooms = room.get_or_insert_with(|| node_rooms(snap, r));
                                insufficient(snap, rooms, pv, &v, r, n, running)
                            })
                        }
                        None => {
                            let case = placement::Case {
                                snap,
                                pv,
                                verdict: &v,
                                clauses: &clauses,
                                total: fit.total,
                            };
                            placement::build(&case, &why)
                        }
                    };
                    // A node-condition taint read only from the message: no Node object
                    // can tell the node family about it, so say here what the node has.
                    let condition = match &why {
                        Why::Taint(Some((k, _))) => {
                            reasons::condition_of_taint(k).map(|_| k.as_str())
                        }
                        Why::Condition(k) => Some(*k),
                        _ => None,
                    };
                    if let Some(key) = condition
                        && !snap
                            .nodes
                            .iter()
                            .any(|n| nodes::taints(n).iter().any(|t| t.key == key))
                        && !ctx.findings.iter().any(|f| f.id.starts_with("node."))
                    {
                        let n = clauses
                            .iter()
                            .filter(|(_, _, w)| w == &why)
                            .map(|(n, _, _)| *n)
                            .fold(0u32, u32::saturating_add);
                        let case = placement::Case {
                            snap,
                            pv,
                            verdict: &v,
                            clauses: &clauses,
                            total: fit.total,
                        };
                        found.push(cluster::node_condition(&case, key, n));
                    }
                    if let Some(mut f) = made {
                        add_breakdown(&mut f, &clauses, &why, fit.total);
                        if let Some(k) = key {
                            done.insert(k, f.clone());
                        }
                        found.push(f);
                    }
                }
            }
        }
        for f in found {
            ctx.pod_finding(i, f);
        }
    }
    for f in volumes::provisioning(snap, &ctx.pods) {
        ctx.finding(f);
    }
    // Nothing pending explained by this family: what the nodes alone show.
    let explained = ctx
        .findings
        .iter()
        .any(|f| f.id.starts_with("sched.") || f.id.starts_with("node."));
    for f in cluster::cluster_blocks(snap, explained) {
        ctx.finding(f);
    }
}

/// When the verdict has several clauses, list them all by node group and say why the
/// chosen one is the root cause.
fn add_breakdown(f: &mut Finding, clauses: &[(u32, String, Why)], why: &Why, total: Option<u32>) {
    if clauses.len() < 2 || clauses.iter().all(|(_, _, w)| w.id() == why.id()) {
        return;
    }
    let list: Vec<String> = clauses
        .iter()
        .map(|(n, text, w)| {
            if w.tier() == 0 {
                format!("{text} (all nodes: {})", w.gloss())
            } else {
                format!("{n} node(s): {text} ({})", w.gloss())
            }
        })
        .collect();
    f.evidence.push(ev(
        format!(
            "scheduler verdict{}",
            total.map(|t| format!(", {t} node(s)")).unwrap_or_default()
        ),
        list.join("; "),
    ));
    let others: Vec<&(u32, String, Why)> = clauses
        .iter()
        .filter(|(_, _, w)| w.id() != why.id())
        .collect();
    if others.is_empty() {
        return;
    }
    let narrowing = others.iter().all(|(_, _, w)| w.tier() > why.tier());
    let names: Vec<String> = others
        .iter()
        .map(|(n, _, w)| format!("{n} node(s): {}", w.gloss()))
        .collect();
    let note = if narrowing {
        format!(
            " The verdict's other clauses ({}) only narrow where the pod may go, by design or because those nodes are unusable for every pod; on the nodes left for it the clause that fails is \"{}\", so that is the fix.",
            names.join("; "),
            why.gloss()
        )
    } else {
        format!(
            " The verdict also names {}; \"{}\" covers the most nodes the pod could otherwise use, so it is reported as the cause (fixing it alone may reveal the next clause).",
            names.join("; "),
            why.gloss()
        )
    };
    f.explanation.push_str(&note);
}

/// The pod's effective request for a resource: the larger of the sum over its containers
/// and the largest init container, plus pod overhead. A container with only a limit
/// requests its limit.
pub(crate) fn pod_request(pod: &Pod, key: &str, amount: impl Fn(&str) -> Option<i64>) -> i64 {
    let Some(spec) = &pod.spec else { return 0 };
    let one = |c: &k8s_openapi::api::core::v1::Container| -> i64 {
        let res = c.resources.as_ref();
        res.and_then(|r| r.requests.as_ref())
            .and_then(|m| m.get(key))
            .or_else(|| res.and_then(|r| r.limits.as_ref()).and_then(|m| m.get(key)))
            .and_then(|q| amount(&q.0))
            .unwrap_or(0)
    };
    let overhead = spec
        .overhead
        .as_ref()
        .and_then(|m| m.get(key))
        .and_then(|q| amount(&q.0))
        .unwrap_or(0);
    pod_total(spec, one).saturating_add(overhead)
}

/// What a pod's containers need together of one resource, as the scheduler counts it: the
/// sum over its containers, or the largest init container if that is more.
pub(crate) fn pod_total(
    spec: &k8s_openapi::api::core::v1::PodSpec,
    one: impl Fn(&k8s_openapi::api::core::v1::Container) -> i64,
) -> i64 {
    let sum = spec
        .containers
        .iter()
        .map(&one)
        .fold(0i64, i64::saturating_add);
    let init = spec
        .init_containers
        .iter()
        .flatten()
        .map(&one)
        .max()
        .unwrap_or(0);
    sum.max(init)
}

/// Whether a toleration list lets a pod onto a node with this taint.
pub(crate) fn tolerates(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| {
        let effect_ok = t
            .effect
            .as_deref()
            .is_none_or(|e| e.is_empty() || e == taint.effect);
        let op = t.operator.as_deref().unwrap_or("Equal");
        let key = t.key.as_deref().unwrap_or("");
        let key_ok = (key.is_empty() && op == "Exists") || key == taint.key;
        let value_ok = op == "Exists"
            || t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("");
        effect_ok && key_ok && value_ok
    })
}

/// The taints of a node that keep this pod off it (NoSchedule / NoExecute, not tolerated).
pub(crate) fn blocking_taints<'n>(pod: &Pod, node: &'n Node) -> Vec<&'n Taint> {
    let tolerations = pod
        .spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or_default();
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or_default()
        .iter()
        .filter(|t| matches!(t.effect.as_str(), "NoSchedule" | "NoExecute"))
        .filter(|t| !tolerates(tolerations, t))
        .collect()
}

/// Free capacity of one node for one resource.
struct NodeRoom<'a> {
    node: &'a Node,
    name: &'a str,
    allocatable: i64,
    requested: i64,
    usable: bool,
}

impl NodeRoom<'_> {
    fn free(&self) -> i64 {
        self.allocatable.saturating_sub(self.requested)
    }
    fn percent(&self) -> i64 {
        if self.allocatable > 0 {
            self.requested.saturating_mul(100) / self.allocatable
        } else {
            0
        }
    }
}

/// "Pending for 2h. " (empty when the input has no clock or creation time).
fn pending_for(snap: &Snapshot, pv: &PodView<'_>) -> String {
    let created = pv.pod.metadata.creation_timestamp.as_ref().map(|t| t.0);
    match (snap.now, created) {
        (Some(now), Some(then)) => crate::text::age(now, then)
            .map(|a| format!("Pending for {a}. "))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Every node's room for one resource, roomiest first (schedulable nodes before others).
fn node_rooms<'a>(snap: &'a Snapshot, r: Resource) -> Vec<NodeRoom<'a>> {
    let mut rooms: Vec<NodeRoom<'a>> = snap
        .nodes
        .iter()
        .map(|n| &**n)
        .filter_map(|n: &'a Node| {
            let name = n.metadata.name.as_deref()?;
            let status = n.status.as_ref()?;
            let alloc = status
                .allocatable
                .as_ref()
                .or(status.capacity.as_ref())?
                .get(r.key())
                .and_then(|q| r.amount(&q.0))?;
            let requested = snap
                .pods_on_node(name)
                .filter(|p| {
                    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
                    !matches!(phase, Some("Succeeded" | "Failed"))
                })
                .map(|p| pod_request(p, r.key(), |q| r.amount(q)))
                .fold(0i64, i64::saturating_add);
            let ready = status
                .conditions
                .iter()
                .flatten()
                .any(|c| c.type_ == "Ready" && c.status == "True")
                || status.conditions.as_ref().is_none_or(|c| c.is_empty());
            let usable = ready && n.spec.as_ref().and_then(|s| s.unschedulable) != Some(true);
            Some(NodeRoom {
                node: n,
                name,
                allocatable: alloc,
                requested,
                usable,
            })
        })
        .collect();
    rooms.sort_by(|a, b| {
        b.usable
            .cmp(&a.usable)
            .then(b.free().cmp(&a.free()))
            .then(a.name.cmp(b.name))
    });
    rooms
}

fn insufficient(
    snap: &Snapshot,
    rooms: &[NodeRoom<'_>],
    pv: &PodView<'_>,
    v: &Verdict<'_>,
    r: Resource,
    nodes_short: u32,
    running: usize,
) -> Finding {
    let need = pod_request(pv.pod, r.key(), |q| r.amount(q));
    let title = if need > 0 {
        format!(
            "{} cannot be scheduled: no node has {} free for its request",
            pv.subject(),
            r.prose(need)
        )
    } else {
        format!(
            "{} cannot be scheduled: not enough {} on any node",
            pv.subject(),
            r.word()
        )
    };
    let mut f = pv.finding(r.id(), Severity::Error, None, title);
    match &v.source {
        Source::Condition => f.evidence.push(ev(
            "status.conditions[PodScheduled].message",
            v.message.clone(),
        )),
        Source::Event(e) => f.evidence.push(event_ev(e)),
    }
    // The largest container request: the one to lower.
    let biggest = pv.spec().and_then(|s| {
        s.containers
            .iter()
            .map(|c| {
                let q = c
                    .resources
                    .as_ref()
                    .and_then(|res| res.requests.as_ref().or(res.limits.as_ref()))
                    .and_then(|m| m.get(r.key()))
                    .and_then(|q| r.amount(&q.0))
                    .unwrap_or(0);
                (q, c.name.as_str())
            })
            .max_by_key(|(q, _)| *q)
    });
    if need > 0 {
        f.evidence.push(ev(
            format!("spec.containers[*].resources.requests.{}", r.key()),
            r.show(need),
        ));
    }
    let ns = pv.ns_flag();
    let target = pv.target();
    let scalable = matches!(
        pv.workload.as_ref().map(|w| w.kind.as_str()),
        Some("Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController")
    );
    // `rooms` is sorted roomiest first, schedulable nodes before the others; a node whose
    // taints the pod does not tolerate is no way out either.
    let usable: Vec<&NodeRoom> = rooms
        .iter()
        .filter(|n| n.usable && blocking_taints(pv.pod, n.node).is_empty())
        .collect();
    let roomiest = usable.first().copied();
    match roomiest {
        Some(best) if need > 0 => {
            for n in rooms.iter().take(5) {
                f.evidence.push(ev(
                    format!("nodes[{}]", n.name),
                    format!(
                        "{} allocatable, {} requested ({}%), {} free{}",
                        r.show(n.allocatable),
                        r.show(n.requested),
                        n.percent(),
                        r.show(n.free().max(0)),
                        if !n.usable {
                            " (not schedulable)"
                        } else if !blocking_taints(pv.pod, n.node).is_empty() {
                            " (tainted: the pod does not tolerate it)"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            if rooms.len() > 5 {
                f.evidence.push(ev(
                    "nodes[…]",
                    format!("{} more node(s) with less room", rooms.len() - 5),
                ));
            }
            let short = need.saturating_sub(best.free().max(0));
            f.explanation = format!(
                "{}The pod requests {}; the roomiest node, {}, has {} free of {} allocatable ({}% already requested by the pods on it), {} short. The scheduler places pods by their requests, not by actual usage, so the nodes are full on paper even if they look idle. (Computed from the {} Node object(s) and the pods bound to them in the input.)",
                pending_for(snap, pv),
                r.prose(need),
                best.name,
                r.prose(best.free().max(0)),
                r.prose(best.allocatable),
                best.percent(),
                r.prose(short),
                rooms.len()
            );
            // 1. Lower the request to what fits.
            if let Some((req, cname)) = biggest.filter(|(q, _)| *q > short && best.free() > 0) {
                let new = r.tidy_down(req - short);
                f.remediation.push(step(
                    format!(
                        "Lower the {} request of container {cname} from {} to {} (what fits on {}), if the application can live with it.",
                        r.word(),
                        r.show(req),
                        r.show(new),
                        best.name
                    ),
                    pv.workload_command(format!("kubectl set resources {target} -c {cname} --requests={}={} {ns}", r.key(), r.show(new))),
                ));
            } else {
                f.remediation.push(step(
                    format!("No node has any {} left for this pod; lowering the request cannot help unless other pods shrink.", r.word()),
                    vec![],
                ));
            }
            // 2. Fewer replicas.
            let fit_now: i64 = usable
                .iter()
                .map(|n| n.free().max(0) / need)
                .fold(0i64, i64::saturating_add);
            let fits = running.saturating_add(usize::try_from(fit_now).unwrap_or(0));
            if fits == 0 {
                let mut biggest_pods: Vec<(i64, String)> = snap
                    .pods_on_node(best.name)
                    .filter(|p| {
                        !matches!(
                            p.status.as_ref().and_then(|s| s.phase.as_deref()),
                            Some("Succeeded" | "Failed")
                        )
                    })
                    .map(|p| {
                        let name = p.metadata.name.clone().unwrap_or_default();
                        (pod_request(p, r.key(), |q| r.amount(q)), name)
                    })
                    .filter(|(q, _)| *q > 0)
                    .collect();
                biggest_pods.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let list: Vec<String> = biggest_pods
                    .iter()
                    .take(5)
                    .map(|(q, n)| format!("{n} ({})", r.show(*q)))
                    .collect();
                f.remediation.push(step(
                    format!(
                        "Not one replica fits today, so fewer replicas cannot help: make room by scaling down or right-sizing other workloads on {}{}.",
                        best.name,
                        if list.is_empty() { String::new() } else { format!(" (largest {} requests: {})", r.word(), list.join(", ")) }
                    ),
                    vec![format!("kubectl describe node {}", best.name)],
                ));
            } else if scalable {
                f.remediation.push(step(
                    format!(
                        "Run fewer replicas: {running} pod(s) of {target} have a node and the nodes have room for {fit_now} more of this size, so {fits} replica(s) fit today."
                    ),
                    vec![format!("kubectl scale {target} --replicas={fits} {ns}")],
                ));
            }
            // 3. More nodes.
            let per_node = best.allocatable / need;
            f.remediation.push(step(
                format!(
                    "Add capacity: a node like {} ({} allocatable) holds {per_node} pod(s) of this size when empty. Add nodes (or let the cluster autoscaler do it), or move other workloads off.",
                    best.name,
                    r.prose(best.allocatable)
                ),
                vec!["kubectl get nodes".to_owned(), format!("kubectl describe node {}", best.name)],
            ));
            f.remediation.push(step(
                format!(
                    "Horizontal autoscaling needs headroom too: every extra replica needs {}, and the cluster has room for {fit_now} more now.",
                    r.prose(need)
                ),
                vec![],
            ));
        }
        _ => {
            f.explanation = format!(
                "{}The scheduler found no node with enough unrequested {} for this pod{}{}. It compares the pod's requests with each node's allocatable capacity minus what the pods already on it request — not with actual usage. The input has no Node objects with capacity, so the free amounts per node cannot be computed here.",
                pending_for(snap, pv),
                r.word(),
                if need > 0 {
                    format!(" (it requests {})", r.prose(need))
                } else {
                    String::new()
                },
                if nodes_short > 1 {
                    format!("; {nodes_short} node(s) lack it")
                } else {
                    String::new()
                },
            );
            if let Some(gap) = super::pod::text_gap(pv, "Node objects", "kubectl describe nodes") {
                f.explanation
                    .push_str(" The paste holds no node descriptions, so this rests on the scheduler's message alone.");
                f.evidence.push(gap);
            }
            f.remediation.push(step(
                format!(
                    "See how much {} each node has left (Allocated resources).",
                    r.word()
                ),
                vec![
                    "kubectl describe nodes".to_owned(),
                    "kubectl get pods,nodes,events -A -o json | kdiag".to_owned(),
                ],
            ));
            if let Some((req, cname)) = biggest.filter(|(q, _)| *q > 0) {
                f.remediation.push(step(
                    format!("Lower the {} request of container {cname} (now {}) if it asks for more than it uses.", r.word(), r.show(req)),
                    pv.workload_command(format!("kubectl set resources {target} -c {cname} --requests={}=<smaller> {ns}", r.key())),
                ));
            }
            if scalable {
                f.remediation.push(step(
                    "Or run fewer replicas.",
                    vec![format!("kubectl scale {target} --replicas=<fewer> {ns}")],
                ));
            }
            f.remediation.push(step("Or add nodes (or enable the cluster autoscaler) so the pods fit; horizontal autoscaling needs this headroom as well.", vec![]));
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_wording() {
        let m = parse_fit_error("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.").unwrap();
        assert_eq!(m.total, Some(3));
        assert_eq!(
            m.reasons,
            vec![
                (1, "Insufficient cpu".to_owned()),
                (
                    2,
                    "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
                        .to_owned()
                )
            ]
        );
        let m = parse_fit_error("No nodes are available that match all of the following predicates:: Insufficient cpu (3), MatchNodeSelector (1).").unwrap();
        assert_eq!(
            m.reasons,
            vec![
                (3, "Insufficient cpu".to_owned()),
                (1, "MatchNodeSelector".to_owned())
            ]
        );
        let m = parse_fit_error("pod (web) failed to fit in any node\nfit failure on node (n1): Insufficient memory\nfit failure on node (n2): Insufficient memory").unwrap();
        assert_eq!(m.reasons, vec![(2, "Insufficient memory".to_owned())]);
        assert!(parse_fit_error("Successfully assigned x to y").is_none());
        // The 1.10–1.25 taint clause has a comma of its own.
        let m = parse_fit_error("0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 node(s) didn't match node selector.").unwrap();
        assert_eq!(
            m.reasons,
            vec![
                (
                    1,
                    "node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate"
                        .to_owned()
                ),
                (2, "node(s) didn't match node selector".to_owned())
            ]
        );
    }

    #[test]
    fn every_reported_id_is_registered() {
        let whys = [
            reasons::Why::NoNodes,
            reasons::Why::PvcUnbound,
            reasons::Why::Cpu,
            reasons::Why::Memory,
            reasons::Why::TooManyPods,
            reasons::Why::Other("x".into()),
            reasons::Why::Ports,
            reasons::Why::AntiAffinity,
            reasons::Why::Spread {
                missing_label: false,
            },
            reasons::Why::VolumeNodeAffinity,
            reasons::Why::Selector,
            reasons::Why::Taint(None),
            reasons::Why::Unschedulable,
        ];
        for w in whys {
            let id = w.id().unwrap();
            assert!(crate::rules::explain(id).is_some(), "{id} not registered");
        }
        for id in ["sched.gated", "volume.provisioning-failed"] {
            assert!(crate::rules::explain(id).is_some(), "{id} not registered");
        }
    }

    fn pending(msg: &str, extra: &str) -> String {
        format!(
            r#"{{"kind":"List","apiVersion":"v1","items":[{extra}
            {{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"web-1","namespace":"default","creationTimestamp":"2026-11-20T09:40:00Z"}},
              "spec":{{"containers":[{{"name":"web","image":"nginx"}}]}},
              "status":{{"phase":"Pending","conditions":[{{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":{},"lastTransitionTime":"2026-11-20T09:59:00Z"}}]}}}}]}}"#,
            serde_json::Value::String(msg.to_owned())
        )
    }

    fn ids(text: &str) -> Vec<(&'static str, crate::Severity)> {
        crate::diagnose_str(text, &crate::Options::default())
            .unwrap()
            .findings
            .iter()
            .map(|f| (f.id, f.severity))
            .collect()
    }

    #[test]
    fn condition_taints_yield_to_the_node() {
        // Only the message: the node condition is the cause. The node family (which runs
        // first) explains the pod, so no sched.taint finding repeats it.
        let text = pending(
            "0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/disk-pressure: }, that the pod didn't tolerate.",
            "",
        );
        assert_eq!(ids(&text), [("node.pressure", crate::Severity::Error)]);
        let text = pending(
            "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.",
            "",
        );
        assert_eq!(ids(&text), [("node.not-ready", crate::Severity::Error)]);
        // With the Node object in the input, the node family still speaks for the node
        // and nothing blames the pod's tolerations.
        let node = r#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"taints":[{"key":"node.kubernetes.io/unreachable","effect":"NoSchedule"}]}},"#;
        let text = pending(
            "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.",
            node,
        );
        let found = ids(&text);
        assert!(
            found.first().is_some_and(|(id, _)| id.starts_with("node.")),
            "{found:?}"
        );
        assert!(!found.contains(&("sched.taint", crate::Severity::Error)));
        // A user taint is an error with a toleration patch.
        let text = pending(
            "0/2 nodes are available: 2 node(s) had untolerated taint {team: payments}.",
            "",
        );
        assert_eq!(ids(&text), [("sched.taint", crate::Severity::Error)]);
        // The unschedulable taint is a cordon.
        let text = pending(
            "0/2 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/unschedulable: }.",
            "",
        );
        assert_eq!(
            ids(&text),
            [("sched.unschedulable-node", crate::Severity::Error)]
        );
    }

    #[test]
    fn keyless_taint_is_recovered_from_nodes() {
        let node = r#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"taints":[{"key":"dedicated","value":"batch","effect":"NoSchedule"},{"key":"soft","effect":"PreferNoSchedule"}]}},"#;
        let text = pending(
            "0/1 nodes are available: 1 node(s) had untolerated taint(s).",
            node,
        );
        let r = crate::diagnose_str(&text, &crate::Options::default()).unwrap();
        let f = r.findings.first().unwrap();
        assert_eq!(f.id, "sched.taint");
        assert!(
            f.title.contains("dedicated=batch:NoSchedule on n1"),
            "{}",
            f.title
        );
        assert!(!f.title.contains("soft"), "PreferNoSchedule never blocks");
        let cmds: Vec<&String> = f.remediation.iter().flat_map(|s| &s.commands).collect();
        assert!(
            cmds.iter()
                .any(|c| *c == "kubectl taint nodes n1 dedicated=batch:NoSchedule-"),
            "{cmds:?}"
        );
        let patch = f
            .remediation
            .first()
            .and_then(|s| s.patch.as_deref())
            .unwrap();
        assert!(
            patch.contains(r#""key":"dedicated""#) && patch.contains(r#""value":"batch""#),
            "{patch}"
        );
    }

    #[test]
    fn unknown_verdicts_are_left_to_other() {
        let text = pending("0/1 nodes are available: 1 vendor plugin says no.", "");
        assert_eq!(ids(&text), [("other.unrecognized", crate::Severity::Error)]);
    }
}
