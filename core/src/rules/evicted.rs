//! Pods the kubelet (or the control plane) took off their node: `evicted.ephemeral-storage`,
//! `evicted.memory`, `evicted.other`.
//!
//! Read from `status.reason: Evicted` and its `status.message`, in every wording the
//! kubelet has used: node-pressure eviction (`The node was low on resource: memory.
//! Threshold quantity: 100Mi, available: 87608Ki. Container app was using 1250Mi, request
//! is 512Mi, has larger consumption of memory.` and the older `…, which exceeds its request
//! of 0.`), local-storage limits (`Pod ephemeral local storage usage exceeds the total limit
//! of containers 1Gi.`, `Container x exceeded its local ephemeral storage limit "1Gi".`,
//! `Usage of EmptyDir volume "cache" exceeds the limit "1Gi".`), admission under a node
//! condition (`Pod The node had condition: [DiskPressure].`). The numbers are parsed, the
//! container using most is named with its usage against its request, and the patch sets
//! that request. Preemption, node shutdown and taint-manager deletions are
//! `evicted.other`. An evicted pod whose workload already runs a Ready replacement is a
//! warning (the damage is done and repaired), otherwise an error.

use super::Ctx;
use super::pod::{PodView, ev, event_ev, spec_path, step};
use crate::quantity::{format_bytes, format_bytes_human, parse_bytes};
use crate::{Finding, Severity, WorkloadRef};
use std::collections::HashMap;

/// What an eviction message says, parsed.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Eviction {
    /// `memory`, `ephemeral-storage`, `nodefs.available`, `pids`, … (node-pressure form).
    pub resource: Option<String>,
    /// The eviction threshold and what was left.
    pub threshold: Option<String>,
    pub available: Option<String>,
    /// Containers with their usage and request, as the kubelet listed them.
    pub containers: Vec<ContainerUse>,
    /// The pod's total ephemeral-storage limit, when the pod exceeded it.
    pub pod_limit: Option<String>,
    /// A container that exceeded its own ephemeral-storage limit, with that limit.
    pub container_limit: Option<(String, String)>,
    /// An emptyDir volume over its `sizeLimit`, with that limit.
    pub empty_dir: Option<(String, String)>,
    /// Node conditions named at admission (`The node had condition: [DiskPressure]`).
    pub node_conditions: Vec<String>,
}

/// One container's usage against its request, from an eviction message.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ContainerUse {
    pub name: String,
    pub usage: String,
    pub request: String,
}

impl ContainerUse {
    fn usage_bytes(&self) -> i64 {
        parse_bytes(&self.usage).unwrap_or(0)
    }
    fn request_bytes(&self) -> i64 {
        parse_bytes(&self.request).unwrap_or(0)
    }
}

/// The text between `start` and the first of `ends` (or the end).
fn between<'a>(s: &'a str, start: &str, ends: &[&str]) -> Option<&'a str> {
    let i = s.find(start)?;
    let rest = s.get(i + start.len()..)?;
    let end = ends
        .iter()
        .filter_map(|e| rest.find(e))
        .min()
        .unwrap_or(rest.len());
    rest.get(..end).map(str::trim)
}

/// Parse an eviction message (any kubelet wording). Unknown text gives an empty value.
pub(crate) fn parse_eviction(msg: &str) -> Eviction {
    // The message may have been folded over lines by a paste: one line, single spaces.
    let flat: String = msg.split_whitespace().collect::<Vec<_>>().join(" ");
    let m = flat.as_str();
    let mut e = Eviction {
        resource: between(m, "low on resource: ", &[". ", "."]).map(str::to_owned),
        threshold: between(m, "Threshold quantity: ", &[","]).map(str::to_owned),
        available: between(m, "available: ", &[". ", "."])
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
        pod_limit: between(m, "exceeds the total limit of containers ", &[". "])
            .map(|v| v.trim_end_matches('.').to_owned()),
        ..Eviction::default()
    };
    if let Some(conds) = between(m, "had condition: [", &["]"]) {
        e.node_conditions = conds
            .split([',', ' '])
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if let Some(rest) = between(m, "Usage of EmptyDir volume \"", &[]) {
        let (vol, after) = rest.split_once('"').unwrap_or((rest, ""));
        let limit = between(after, "limit \"", &["\""]).unwrap_or("");
        e.empty_dir = Some((vol.to_owned(), limit.to_owned()));
    }
    // "Container NAME was using X, request is Y, has larger consumption of R."
    // "Container NAME was using X, which exceeds its request of Y."
    // "Container NAME exceeded its local ephemeral storage limit "L"."
    for part in m.split("Container ").skip(1) {
        let Some((name, rest)) = part.split_once(' ') else {
            continue;
        };
        if let Some(rest) = rest.strip_prefix("was using ") {
            let usage = rest.split([',', ' ']).next().unwrap_or("").to_owned();
            let request = between(rest, "request is ", &[",", " "])
                .or_else(|| between(rest, "its request of ", &[" "]))
                .unwrap_or("0")
                .trim_end_matches('.')
                .to_owned();
            e.containers.push(ContainerUse {
                name: name.to_owned(),
                usage,
                request,
            });
        } else if rest.starts_with("exceeded its local ephemeral storage limit") {
            let limit = between(rest, "limit \"", &["\""]).unwrap_or("").to_owned();
            e.container_limit = Some((name.to_owned(), limit));
        }
    }
    e
}

/// Which id an eviction belongs to.
fn classify(e: &Eviction) -> &'static str {
    let res = e.resource.as_deref().unwrap_or("");
    let cond = |c: &str| e.node_conditions.iter().any(|x| x == c);
    if res.starts_with("memory") || cond("MemoryPressure") {
        "evicted.memory"
    } else if res.starts_with("ephemeral-storage")
        || res.starts_with("nodefs")
        || res.starts_with("imagefs")
        || res.starts_with("containerfs")
        || cond("DiskPressure")
        || e.pod_limit.is_some()
        || e.container_limit.is_some()
        || e.empty_dir.is_some()
    {
        "evicted.ephemeral-storage"
    } else {
        "evicted.other"
    }
}

/// Pod reasons and disruption-condition reasons that mean "taken off the node" for a
/// cause other than node pressure.
const OTHER_REASONS: &[&str] = &[
    "Preempted",
    "Preempting",
    "Shutdown",
    "NodeShutdown",
    "Terminated",
    "DeletionByTaintManager",
    "TerminationByKubelet",
    "PreemptionByScheduler",
    "PreemptionByKubeScheduler",
];

/// Check every pod that was evicted, preempted or shut down. The pods of one workload
/// evicted for one cause make one finding, told from the pod that used the most.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    // Ready pods per workload that were not evicted: the replacements.
    let mut ready: Option<HashMap<WorkloadRef, usize>> = None;
    // (workload or pod, id) → pods with their eviction.
    type Key = (Option<WorkloadRef>, String, &'static str);
    let mut groups: Vec<(Key, Vec<(usize, Kind<'_>)>)> = Vec::new();
    let mut at: HashMap<Key, usize> = HashMap::new();
    for i in 0..ctx.pods.len() {
        if ctx.pod_claimed(i) {
            continue;
        }
        let Some(pv) = ctx.pods.get(i) else { continue };
        if pv.phase() == "Succeeded" {
            continue;
        }
        let Some(kind) = eviction_of(pv) else {
            continue;
        };
        let id = match &kind {
            Kind::Evicted(e, _) => classify(e),
            Kind::Other { .. } => "evicted.other",
        };
        let key: Key = match &pv.workload {
            Some(w) => (Some(w.clone()), String::new(), id),
            None => (None, pv.name.to_owned(), id),
        };
        match at.get(&key) {
            Some(&g) => {
                if let Some((_, list)) = groups.get_mut(g) {
                    list.push((i, kind));
                }
            }
            None => {
                at.insert(key.clone(), groups.len());
                groups.push((key, vec![(i, kind)]));
            }
        }
    }
    for (_, mut list) in groups {
        // The pod whose top container used the most tells the story.
        let top_use = |k: &Kind<'_>| match k {
            Kind::Evicted(e, _) => e
                .containers
                .iter()
                .map(ContainerUse::usage_bytes)
                .max()
                .unwrap_or(0),
            Kind::Other { .. } => 0,
        };
        let rep = list
            .iter()
            .enumerate()
            .max_by_key(|(n, (_, k))| (top_use(k), std::cmp::Reverse(*n)))
            .map_or(0, |(n, _)| n);
        let others: Vec<(usize, String)> = list
            .iter()
            .enumerate()
            .filter(|(n, _)| *n != rep)
            .filter_map(|(_, (i, k))| {
                let pv = ctx.pods.get(*i)?;
                let node = pv
                    .spec()
                    .and_then(|s| s.node_name.as_deref())
                    .unwrap_or("?");
                let what = match k {
                    Kind::Evicted(e, _) => e
                        .containers
                        .iter()
                        .max_by_key(|c| c.usage_bytes())
                        .map(|c| format!("{} used {}", c.name, format_bytes_human(c.usage_bytes())))
                        .unwrap_or_else(|| "evicted".to_owned()),
                    Kind::Other { reason, .. } => (*reason).to_owned(),
                };
                Some((*i, format!("{} on {node}: {what}", pv.name)))
            })
            .collect();
        if rep >= list.len() {
            continue;
        }
        let (i, kind) = list.swap_remove(rep);
        let Some(pv) = ctx.pods.get(i) else { continue };
        let ready = ready.get_or_insert_with(|| ready_by_workload(&ctx.pods));
        let replaced = pv
            .workload
            .as_ref()
            .and_then(|w| ready.get(w))
            .copied()
            .unwrap_or(0);
        let mut f = finding(pv, kind, replaced);
        // Say whose pods were evicted: a workload is not evicted, its pods are.
        if pv.workload.is_some() {
            let subject = pv.subject();
            let n = others.len() + 1;
            let who = if n > 1 {
                format!("Pods of {subject} were ")
            } else {
                format!("Pod {} of {subject} was ", pv.name)
            };
            f.title = f.title.replacen(&format!("{subject} was "), &who, 1);
        }
        let mut nodes: Vec<&str> = std::iter::once(i)
            .chain(others.iter().map(|(j, _)| *j))
            .filter_map(|j| ctx.pods.get(j))
            .filter_map(|p| p.spec().and_then(|s| s.node_name.as_deref()))
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        if let (Some(n), true) = (
            pv.spec().and_then(|s| s.node_name.as_deref()),
            nodes.len() > 1,
        ) {
            f.title = f.title.replacen(
                &format!("node {n}"),
                &format!("nodes {}", nodes.join(", ")),
                1,
            );
        }
        for (_, line) in others.iter().take(8) {
            f.evidence.push(ev("other evicted pods", line.clone()));
        }
        let mut pods = vec![i];
        pods.extend(others.iter().map(|(j, _)| *j));
        f.pods = pods
            .iter()
            .filter_map(|&j| ctx.pods.get(j))
            .map(|p| p.name.to_owned())
            .collect();
        ctx.shared_finding(&pods, f);
    }
}

/// What took the pod off its node, if anything did.
enum Kind<'a> {
    /// `status.reason: Evicted` with the message parsed.
    Evicted(Box<Eviction>, &'a str),
    /// Preemption, shutdown, taint manager: the reason and message.
    Other {
        reason: &'a str,
        message: &'a str,
        path: &'static str,
    },
}

fn eviction_of<'a>(pv: &PodView<'a>) -> Option<Kind<'a>> {
    let status = pv.pod.status.as_ref();
    let reason = status.and_then(|s| s.reason.as_deref()).unwrap_or("");
    let message = status.and_then(|s| s.message.as_deref()).unwrap_or("");
    if reason == "Evicted" {
        // A table row or a terse status may carry no message: the kubelet's Evicted
        // event has the same text.
        if message.trim().is_empty()
            && let Some(e) = pv.events.iter().find(|e| e.reason == "Evicted")
        {
            return Some(Kind::Evicted(Box::new(parse_eviction(&e.message)), ""));
        }
        return Some(Kind::Evicted(Box::new(parse_eviction(message)), message));
    }
    if pv.only_events()
        && let Some(e) = pv.events.iter().find(|e| e.reason == "Evicted")
    {
        return Some(Kind::Evicted(Box::new(parse_eviction(&e.message)), ""));
    }
    let shutdown = message.contains("node shutdown") || message.contains("Node is shutting");
    if pv.phase() == "Failed" && (OTHER_REASONS.contains(&reason) || shutdown) {
        return Some(Kind::Other {
            reason,
            message,
            path: "status.reason",
        });
    }
    // A disruption condition on a pod that has stopped (not one still being deleted:
    // that is the terminating rule's business).
    if pv.phase() == "Failed" && pv.pod.metadata.deletion_timestamp.is_none() {
        let cond = status?.conditions.iter().flatten().find(|c| {
            c.type_ == "DisruptionTarget"
                && c.status == "True"
                && c.reason
                    .as_deref()
                    .is_some_and(|r| OTHER_REASONS.contains(&r))
        })?;
        return Some(Kind::Other {
            reason: cond.reason.as_deref().unwrap_or(""),
            message: cond.message.as_deref().unwrap_or(""),
            path: "status.conditions[DisruptionTarget].reason",
        });
    }
    None
}

fn ready_by_workload(pods: &[PodView<'_>]) -> HashMap<WorkloadRef, usize> {
    let mut m = HashMap::new();
    for p in pods {
        let Some(w) = &p.workload else { continue };
        let ready = p.phase() == "Running"
            && p.pod.metadata.deletion_timestamp.is_none()
            && p.pod
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        if ready {
            *m.entry(w.clone()).or_insert(0) += 1;
        }
    }
    m
}

/// A tidy request at least `bytes`: a multiple of 64Mi, of 256Mi from 1Gi, of 1Gi from 4Gi.
fn tidy_up(bytes: i64) -> i64 {
    const MI: i64 = 1 << 20;
    let step = match bytes {
        b if b >= 4096 * MI => 1024 * MI,
        b if b >= 1024 * MI => 256 * MI,
        _ => 64 * MI,
    };
    (bytes / step + i64::from(bytes % step != 0))
        .max(1)
        .saturating_mul(step)
}

fn finding(pv: &PodView<'_>, kind: Kind<'_>, replaced: usize) -> Finding {
    let severity = if replaced > 0 {
        Severity::Warning
    } else {
        Severity::Error
    };
    let node = pv
        .spec()
        .and_then(|s| s.node_name.as_deref())
        .map(str::to_owned);
    let ns = pv.ns_flag();
    let replacement = if replaced > 0 {
        format!(
            " {} already runs {replaced} Ready replacement pod(s), so this is history to learn from, not an outage; the evicted pod objects stay until deleted.",
            pv.subject()
        )
    } else if pv
        .workload
        .as_ref()
        .is_some_and(|w| w.kind == "Job" || w.kind == "CronJob")
    {
        " Its Job counts this as a failed attempt toward its backoffLimit (unless a podFailurePolicy rule ignores pods with the DisruptionTarget condition) and starts a new pod while the limit allows.".to_owned()
    } else if pv.workload.is_some() {
        format!(
            " {} has no Ready pod in the input to replace it.",
            pv.subject()
        )
    } else if pv.name.starts_with('<') {
        // Pasted text without the pod's name: its owner is unknown too.
        String::new()
    } else {
        " It is a bare pod: nothing recreates it.".to_owned()
    };
    let cleanup = step(
        "Delete the evicted pod objects once you have read them (they keep their status for inspection, nothing else).",
        vec![format!(
            "kubectl delete pod {ns} --field-selector=status.phase==Failed"
        )],
    );
    match kind {
        Kind::Other {
            reason,
            message,
            path,
        } => {
            let n = node.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
            let what = match reason {
                "Preempting" => format!(
                    "preempted by the kubelet on{} to admit a critical pod",
                    if n.is_empty() {
                        " its node".to_owned()
                    } else {
                        n.clone()
                    }
                ),
                "Preempted" | "PreemptionByScheduler" | "PreemptionByKubeScheduler" => {
                    "preempted by the scheduler to make room for a higher-priority pod".to_owned()
                }
                "DeletionByTaintManager" => format!(
                    "deleted by the taint manager: its node{n} got a NoExecute taint the pod does not tolerate"
                ),
                "TerminationByKubelet" => format!("stopped by the kubelet on node{n}"),
                _ => format!("stopped because its node{n} shut down"),
            };
            let title = format!("{} was {what}", pv.subject());
            let mut f = pv.finding("evicted.other", severity, None, title);
            f.evidence.push(ev(path, reason));
            if !message.is_empty() {
                f.evidence
                    .push(ev("status.message", crate::text::clip(message.trim(), 500)));
            }
            if let Some(n) = &node {
                f.evidence.push(ev("spec.nodeName", n.clone()));
            }
            f.explanation = format!(
                "The pod did not fail by itself: it was {what}. Kubernetes said: {}.{replacement}",
                if message.is_empty() {
                    reason
                } else {
                    message.trim().trim_end_matches('.')
                }
            );
            match reason {
                "Preempted"
                | "Preempting"
                | "PreemptionByScheduler"
                | "PreemptionByKubeScheduler" => {
                    f.remediation.push(step(
                        "If this workload must not be preempted, give it a PriorityClass at least as high as the pods that displace it (and keep requests honest so it fits), or add capacity so the scheduler does not need to preempt.",
                        vec![
                            "kubectl get priorityclass".to_owned(),
                            format!("kubectl get pods {ns} -o custom-columns=NAME:.metadata.name,PRIORITY:.spec.priority,CLASS:.spec.priorityClassName"),
                        ],
                    ));
                }
                "DeletionByTaintManager" => {
                    f.remediation.push(step(
                        "See which NoExecute taint the node got (usually node.kubernetes.io/unreachable or not-ready: the node failed); fix the node, or give the workload a toleration with tolerationSeconds if it should ride out short outages.",
                        vec![node.as_deref().map_or_else(
                            || "kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints".to_owned(),
                            |n| format!("kubectl describe node {n}"),
                        )],
                    ));
                }
                _ => {
                    f.remediation.push(step(
                        "Node shutdowns (upgrades, spot/preemptible reclaim, maintenance) stop every pod on the node. Run more than one replica behind a PodDisruptionBudget, spread them over nodes, and handle SIGTERM so work is not lost; the kubelet's shutdownGracePeriod decides how long pods get.",
                        node.as_deref()
                            .map(|n| vec![format!("kubectl describe node {n}")])
                            .unwrap_or_default(),
                    ));
                }
            }
            f.remediation.push(cleanup);
            f
        }
        Kind::Evicted(e, message) => {
            evicted(pv, &e, message, severity, node, &replacement, cleanup)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn evicted(
    pv: &PodView<'_>,
    e: &Eviction,
    message: &str,
    severity: Severity,
    node: Option<String>,
    replacement: &str,
    cleanup: crate::Remediation,
) -> Finding {
    let id = classify(e);
    let memory = id == "evicted.memory";
    let key = if memory {
        "memory"
    } else {
        "ephemeral-storage"
    };
    let ns = pv.ns_flag();
    let target = pv.target();
    let on_node = node
        .as_deref()
        .map(|n| format!(" node {n}"))
        .unwrap_or_else(|| " its node".to_owned());
    // The container the kubelet blamed: the one using most (it lists them in the order
    // it ranked them, but a paste may reorder; the numbers decide).
    let top = e.containers.iter().max_by_key(|c| c.usage_bytes());
    let container = top
        .map(|c| c.name.clone())
        .or_else(|| e.container_limit.as_ref().map(|(c, _)| c.clone()));
    let cview = container
        .as_deref()
        .and_then(|c| pv.containers.iter().find(|v| v.name == c && !v.init));
    let title = if let Some((vol, limit)) = &e.empty_dir {
        format!(
            "{} was evicted: emptyDir volume {vol} outgrew its sizeLimit {limit}",
            pv.subject()
        )
    } else if let Some((c, limit)) = &e.container_limit {
        format!(
            "{} was evicted: container {c} wrote more than its ephemeral-storage limit {limit}",
            pv.subject()
        )
    } else if let Some(limit) = &e.pod_limit {
        format!(
            "{} was evicted: its containers wrote more local storage than their total limit {limit}",
            pv.subject()
        )
    } else if !e.node_conditions.is_empty() {
        format!(
            "{} was evicted: node{} had {}",
            pv.subject(),
            node.as_deref().map(|n| format!(" {n}")).unwrap_or_default(),
            e.node_conditions.join(", ")
        )
    } else if let Some(c) = top {
        format!(
            "{} was evicted: node{} ran low on {key} and container {} used {} against a request of {}",
            pv.subject(),
            node.as_deref().map(|n| format!(" {n}")).unwrap_or_default(),
            c.name,
            format_bytes_human(c.usage_bytes()),
            if c.request_bytes() == 0 {
                "0".to_owned()
            } else {
                format_bytes_human(c.request_bytes())
            }
        )
    } else if e.resource.is_none() && id == "evicted.other" {
        // Nothing says which resource ran low (a pods-table row, say): no guess.
        format!(
            "{} was evicted from {}; the input does not say why",
            pv.subject(),
            on_node.trim()
        )
    } else {
        format!(
            "{} was evicted: {} ran low on {}",
            pv.subject(),
            on_node.trim(),
            e.resource.as_deref().unwrap_or(key)
        )
    };
    let mut f = pv.finding(id, severity, container.as_deref(), title);
    if pv.pod.status.as_ref().and_then(|s| s.reason.as_deref()) == Some("Evicted") {
        f.evidence.push(ev("status.reason", "Evicted"));
    }
    if !message.is_empty() {
        f.evidence
            .push(ev("status.message", crate::text::clip(message.trim(), 600)));
    }
    if let Some(n) = &node {
        f.evidence.push(ev("spec.nodeName", n.clone()));
    }
    for evt in pv.events.iter().filter(|x| x.reason == "Evicted").take(1) {
        f.evidence.push(event_ev(evt));
    }
    // The node's own pressure condition, when the Node is in the input.
    if let Some(n) = pv.node {
        for c in n
            .status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .filter(|c| c.type_.ends_with("Pressure") && c.status == "True")
        {
            f.evidence.push(ev(
                format!(
                    "node {} status.conditions[{}]",
                    n.metadata.name.as_deref().unwrap_or(""),
                    c.type_
                ),
                format!(
                    "True{}",
                    c.reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                ),
            ));
        }
    }
    if let Some(c) = cview {
        let res = c.spec.and_then(|s| s.resources.as_ref());
        let req = res
            .and_then(|r| r.requests.as_ref())
            .and_then(|m| m.get(key))
            .map(|q| q.0.clone());
        let lim = res
            .and_then(|r| r.limits.as_ref())
            .and_then(|m| m.get(key))
            .map(|q| q.0.clone());
        f.evidence.push(ev(
            format!("{}.resources", spec_path(c)),
            format!(
                "requests.{key}: {}, limits.{key}: {}",
                req.as_deref().unwrap_or("none"),
                lim.as_deref().unwrap_or("none")
            ),
        ));
    }
    if let Some((vol, _)) = &e.empty_dir {
        let v = pv
            .spec()
            .and_then(|s| s.volumes.as_ref())
            .and_then(|vs| vs.iter().find(|v| &v.name == vol));
        if let Some(d) = v.and_then(|v| v.empty_dir.as_ref()) {
            f.evidence.push(ev(
                format!("spec.volumes[{vol}].emptyDir"),
                format!(
                    "sizeLimit: {}, medium: {}",
                    d.size_limit.as_ref().map_or("none", |q| q.0.as_str()),
                    d.medium
                        .as_deref()
                        .filter(|m| !m.is_empty())
                        .unwrap_or("disk")
                ),
            ));
        }
        for c in &pv.containers {
            if let Some(m) = c
                .spec
                .and_then(|s| s.volume_mounts.as_ref())
                .and_then(|ms| ms.iter().find(|m| &m.name == vol))
            {
                f.evidence.push(ev(
                    format!("{}.volumeMounts[{vol}].mountPath", spec_path(c)),
                    m.mount_path.clone(),
                ));
            }
        }
    }
    let qos = pv.pod.status.as_ref().and_then(|s| s.qos_class.as_deref());
    let usage_list: Vec<String> = {
        let mut cs: Vec<&ContainerUse> = e.containers.iter().collect();
        cs.sort_by(|a, b| {
            b.usage_bytes()
                .cmp(&a.usage_bytes())
                .then(a.name.cmp(&b.name))
        });
        cs.iter()
            .map(|c| {
                format!(
                    "{} used {} (request {})",
                    c.name,
                    format_bytes_human(c.usage_bytes()),
                    if c.request_bytes() == 0 {
                        "none".to_owned()
                    } else {
                        format_bytes_human(c.request_bytes())
                    }
                )
            })
            .collect()
    };
    let threshold = match (&e.threshold, &e.available) {
        (Some(t), Some(a)) => format!(
            " The node's eviction threshold is {} and only {} was left.",
            parse_bytes(t).map_or_else(|_| t.clone(), format_bytes_human),
            parse_bytes(a).map_or_else(|_| a.clone(), format_bytes_human)
        ),
        _ => String::new(),
    };
    // A pod known to be Evicted with nothing that says which resource ran low.
    let unknown = e.resource.is_none()
        && id == "evicted.other"
        && e.node_conditions.is_empty()
        && e.empty_dir.is_none()
        && e.container_limit.is_none()
        && e.pod_limit.is_none();
    let how = if unknown {
        "The kubelet evicted the pod, but the input does not hold the eviction message that names the resource that ran low (memory, ephemeral-storage, process IDs) or the node condition: kubectl describe pod shows it in Message, and the Evicted event repeats it.".to_owned()
    } else if e.empty_dir.is_some() || e.container_limit.is_some() || e.pod_limit.is_some() {
        "The kubelet enforces ephemeral-storage limits and emptyDir sizeLimits by evicting the whole pod (not by an error on write): whatever it wrote to its writable layer, logs and emptyDir volumes counted against the limit.".to_owned()
    } else if !e.node_conditions.is_empty() {
        format!(
            "The kubelet refused or removed the pod because the node reported {}: while a node is under pressure, pods that are not critical are evicted or rejected.",
            e.node_conditions.join(", ")
        )
    } else {
        format!(
            "The node ran below its {key} eviction threshold, so the kubelet evicted pods to protect itself. It picks first the pods whose usage exceeds their requests the most (BestEffort pods, with no requests at all, go first): a container that uses far more {key} than it requests is the natural victim.{threshold}"
        )
    };
    f.explanation = format!(
        "{how}{}{}{replacement}",
        if usage_list.is_empty() {
            String::new()
        } else {
            format!(" Usage at eviction: {}.", usage_list.join("; "))
        },
        match qos {
            Some("BestEffort") => " The pod is BestEffort (no requests at all): the first to go.",
            _ => "",
        }
    );
    // 1. Requests (and limits) on the container the kubelet blamed.
    if let Some(c) = top {
        let want = tidy_up(c.usage_bytes().max(c.request_bytes()));
        let value = format_bytes(want);
        // Memory: a limit with a quarter of headroom over the request.
        let limit = format_bytes(tidy_up(want.saturating_add(want / 4)));
        let mut commands = pv.workload_command(format!(
            "kubectl set resources {target} -c {} --requests={key}={value} {ns}",
            c.name
        ));
        if memory {
            commands = pv.workload_command(format!(
                "kubectl set resources {target} -c {} --requests=memory={value} --limits=memory={limit} {ns}",
                c.name
            ));
        }
        let body = if memory {
            format!(
                "\"resources\":{{\"requests\":{{\"memory\":\"{value}\"}},\"limits\":{{\"memory\":\"{limit}\"}}}}"
            )
        } else {
            format!("\"resources\":{{\"requests\":{{\"ephemeral-storage\":\"{value}\"}}}}")
        };
        // The container may be known only from the message (pod known from events).
        let named = super::pod::ContainerView {
            name: &c.name,
            init: false,
            spec: None,
            status: None,
        };
        let patch = pv.container_patch(cview.unwrap_or(&named), &body);
        f.remediation.push(super::pod::patch_step(
            format!(
                "Give container {} {} {key} request that covers what it really uses: it used {} with a request of {}; request {value}{}. The scheduler then reserves it and the kubelet no longer ranks the pod first for eviction. {}",
                c.name,
                if memory { "a" } else { "an" },
                format_bytes_human(c.usage_bytes()),
                if c.request_bytes() == 0 { "0".to_owned() } else { format_bytes_human(c.request_bytes()) },
                if memory { format!(" and a limit of {limit}, so a runaway container is stopped at its own limit instead of starving the node") } else { String::new() },
                pv.apply_hint()
            ),
            commands,
            patch,
        ));
    } else if let Some((vol, limit)) = &e.empty_dir {
        let sized = parse_bytes(limit)
            .map(|b| format_bytes(b.saturating_mul(2)))
            .unwrap_or_else(|_| "<larger>".to_owned());
        let inner = format!(
            "{{\"volumes\":[{{\"name\":{},\"emptyDir\":{{\"sizeLimit\":\"{sized}\"}}}}]}}",
            serde_json::Value::String(vol.clone())
        );
        let patch = pv.wrap_template(&inner);
        f.remediation.push(super::pod::patch_step(
            format!(
                "Volume {vol} is an emptyDir limited to {limit}. Either the application should write less there (clean up temporary files, rotate), or the volume needs more room: raise its sizeLimit (to {sized} here) or use a PersistentVolumeClaim for data that grows. {}",
                pv.apply_hint()
            ),
            pv.workload_command(pv.patch_command(&patch)),
            patch,
        ));
    } else if let Some((c, limit)) = &e.container_limit {
        f.remediation.push(step(
            format!(
                "Container {c} wrote more than its ephemeral-storage limit {limit} (writable layer plus logs). Find what it writes (log files inside the container, caches in /tmp) and stop it, mount an emptyDir or PVC for data, or raise the limit. {}",
                pv.apply_hint()
            ),
            pv.workload_command(format!(
                "kubectl set resources {target} -c {c} --limits=ephemeral-storage=<larger than {limit}> {ns}"
            )),
        ));
    } else if let Some(limit) = &e.pod_limit {
        f.remediation.push(step(
            format!(
                "The containers' ephemeral-storage limits add up to {limit} and the pod wrote more (writable layers, logs, emptyDir volumes). Find what grows, write data to a volume, or raise the limits. {}",
                pv.apply_hint()
            ),
            vec![format!("kubectl get {target} {ns} -o jsonpath='{{.spec.template.spec.containers[*].resources}}'")],
        ));
    } else if unknown {
        let name = pv.pod.metadata.name.as_deref().unwrap_or("POD");
        f.remediation.push(step(
            "Read the eviction message: it names the resource that ran low and the containers' usage against their requests, which decide what to change.".to_owned(),
            vec![format!("kubectl describe pod {name} {ns}")],
        ));
    } else if memory {
        f.remediation.push(step(
            format!(
                "Set memory requests close to what the containers really use (and a limit), so the scheduler does not overpack the node and the pod is not the first eviction victim. {}",
                pv.apply_hint()
            ),
            pv.workload_command(format!(
                "kubectl set resources {target} --requests=memory=<real usage> --limits=memory=<peak> {ns}"
            )),
        ));
    } else {
        f.remediation.push(step(
            format!(
                "Declare ephemeral-storage requests for the containers, so pods that write to local disk are placed with room for it and are not the first to be evicted. {}",
                pv.apply_hint()
            ),
            pv.workload_command(format!(
                "kubectl set resources {target} --requests=ephemeral-storage=<what it writes> {ns}"
            )),
        ));
    }
    // 2. The node.
    let node_cmd = node
        .as_deref()
        .map(|n| format!("kubectl describe node {n}"))
        .unwrap_or_else(|| "kubectl describe nodes".to_owned());
    if memory {
        f.remediation.push(step(
            format!(
                "Check what else uses memory on{on_node}: requests that are far below real usage let the scheduler overcommit it. The kubelet's eviction threshold (evictionHard memory.available) and system-reserved decide when it starts evicting."
            ),
            vec![node_cmd, "kubectl top pods -A --sort-by=memory".to_owned()],
        ));
    } else if !unknown
        && e.empty_dir.is_none()
        && e.container_limit.is_none()
        && e.pod_limit.is_none()
    {
        f.remediation.push(step(
            format!(
                "Free disk on{on_node}: remove unused images, old container logs and exited containers, and check the kubelet's image garbage collection (imageGCHighThresholdPercent) and the nodefs/imagefs eviction thresholds; a larger disk is the lasting fix if images and logs simply do not fit."
            ),
            vec![
                node_cmd,
                "crictl rmi --prune   # on the node".to_owned(),
                "df -h /var/lib/kubelet /var/lib/containerd /var/log; du -sh /var/log/pods   # on the node".to_owned(),
            ],
        ));
    }
    f.remediation.push(cleanup);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_modern_memory_message() {
        let e = parse_eviction(
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. \nContainer dptp-controller-manager was using 48458972Ki, request is 15Gi, has larger consumption of memory. ",
        );
        assert_eq!(e.resource.as_deref(), Some("memory"));
        assert_eq!(e.threshold.as_deref(), Some("100Mi"));
        assert_eq!(e.available.as_deref(), Some("87608Ki"));
        assert_eq!(
            e.containers,
            vec![ContainerUse {
                name: "dptp-controller-manager".into(),
                usage: "48458972Ki".into(),
                request: "15Gi".into()
            }]
        );
        assert_eq!(classify(&e), "evicted.memory");
    }

    #[test]
    fn parses_old_storage_message_with_several_containers() {
        let e = parse_eviction(
            "The node was low on resource: ephemeral-storage. Container docker was using 324Ki, which exceeds its request of 0. Container runner was using 104Ki, which exceeds its request of 0. ",
        );
        assert_eq!(e.containers.len(), 2);
        assert_eq!(e.containers[1].request, "0");
        assert_eq!(e.containers[0].usage, "324Ki");
        assert_eq!(classify(&e), "evicted.ephemeral-storage");
    }

    #[test]
    fn parses_limits_and_conditions() {
        let e = parse_eviction("Usage of EmptyDir volume \"cache\" exceeds the limit \"1Gi\". ");
        assert_eq!(e.empty_dir, Some(("cache".into(), "1Gi".into())));
        let e = parse_eviction(
            "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ",
        );
        assert_eq!(e.pod_limit.as_deref(), Some("2Gi"));
        let e =
            parse_eviction("Container app exceeded its local ephemeral storage limit \"500Mi\". ");
        assert_eq!(e.container_limit, Some(("app".into(), "500Mi".into())));
        let e = parse_eviction("Pod The node had condition: [DiskPressure]. ");
        assert_eq!(e.node_conditions, vec!["DiskPressure".to_owned()]);
        assert_eq!(classify(&e), "evicted.ephemeral-storage");
        assert_eq!(
            classify(&parse_eviction("The node was low on resource: pids.")),
            "evicted.other"
        );
    }

    #[test]
    fn tidy_requests_round_up() {
        assert_eq!(tidy_up(1_306_316_800), (5 * 256) << 20);
        assert_eq!(tidy_up(1), 64 << 20);
    }
}
