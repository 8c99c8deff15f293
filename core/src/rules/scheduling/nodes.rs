//! What a node offers a pod: labels, taints, cordon, readiness, and how the pod's selectors
//! and affinity terms read against them.

use crate::Snapshot;
use k8s_openapi::api::core::v1::{Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();

pub(crate) fn name(n: &Node) -> &str {
    n.metadata.name.as_deref().unwrap_or("<unnamed>")
}

pub(crate) fn labels(n: &Node) -> &BTreeMap<String, String> {
    n.metadata.labels.as_ref().unwrap_or(&NO_LABELS)
}

pub(crate) fn taints(n: &Node) -> &[Taint] {
    n.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or_default()
}

/// `Ready=True`, or no conditions at all (a hand-written Node).
pub(crate) fn ready(n: &Node) -> bool {
    let conds = n.status.as_ref().and_then(|s| s.conditions.as_deref());
    conds.is_none_or(|c| c.is_empty())
        || conds
            .into_iter()
            .flatten()
            .any(|c| c.type_ == "Ready" && c.status == "True")
}

pub(crate) fn cordoned(n: &Node) -> bool {
    n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true)
}

/// `key=value:Effect` (or `key:Effect`), as `kubectl taint` writes it.
pub(crate) fn taint_text(t: &Taint) -> String {
    match t.value.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => format!("{}={v}:{}", t.key, t.effect),
        None => format!("{}:{}", t.key, t.effect),
    }
}

/// Whether a node selector requirement holds for a node (labels, or `metadata.name` for
/// a `matchFields` requirement).
pub(crate) fn req_holds(req: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = req.values.as_deref().unwrap_or_default();
    match req.operator.as_str() {
        "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let lhs = value.and_then(|v| v.parse::<i64>().ok());
            let rhs = values.first().and_then(|v| v.parse::<i64>().ok());
            match (lhs, rhs) {
                (Some(l), Some(r)) if req.operator == "Gt" => l > r,
                (Some(l), Some(r)) => l < r,
                _ => false,
            }
        }
        _ => false,
    }
}

/// `In (ssd, nvme)`: a requirement without its key.
fn req_rhs(req: &NodeSelectorRequirement) -> String {
    let values = req.values.as_deref().unwrap_or_default();
    if values.is_empty() {
        req.operator.clone()
    } else {
        format!("{} ({})", req.operator, values.join(", "))
    }
}

/// `disktype In (ssd, nvme)`.
pub(crate) fn req_text(req: &NodeSelectorRequirement) -> String {
    let values = req.values.as_deref().unwrap_or_default();
    if values.is_empty() {
        format!("{} {}", req.key, req.operator)
    } else {
        format!("{} {} ({})", req.key, req.operator, values.join(", "))
    }
}

/// Why a node fails one node selector term: each requirement it does not meet.
pub(crate) fn term_misses(term: &NodeSelectorTerm, n: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for req in term.match_expressions.iter().flatten() {
        let value = labels(n).get(&req.key).map(String::as_str);
        if !req_holds(req, value) {
            out.push(match value {
                Some(v) => format!("{} is {v} (needs {})", req.key, req_rhs(req)),
                None => format!("no label {} (needs {})", req.key, req_rhs(req)),
            });
        }
    }
    for req in term.match_fields.iter().flatten() {
        let value = (req.key == "metadata.name").then(|| name(n));
        if !req_holds(req, value) {
            out.push(format!("field {} does not match", req_text(req)));
        }
    }
    out
}

/// Why a node fails the pod's `nodeSelector` and required node affinity, one entry per
/// unmet requirement (for the affinity: of the term it comes closest to). Empty: it fits.
pub(crate) fn selector_misses(spec: &PodSpec, n: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for (k, want) in spec.node_selector.iter().flatten() {
        match labels(n).get(k) {
            None => out.push(format!("no label {k} (nodeSelector wants {k}={want})")),
            Some(v) if v != want => out.push(format!("{k}={v}, not {want}")),
            Some(_) => {}
        }
    }
    let terms = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .map(|r| r.node_selector_terms.as_slice())
        .unwrap_or_default();
    if !terms.is_empty() {
        let best = terms
            .iter()
            .map(|t| term_misses(t, n))
            .min_by_key(Vec::len)
            .unwrap_or_default();
        out.extend(best);
    }
    out
}

/// Whether a pod has any node selector or required node affinity.
pub(crate) fn has_selector(spec: &PodSpec) -> bool {
    spec.node_selector.as_ref().is_some_and(|m| !m.is_empty())
        || spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| {
                na.required_during_scheduling_ignored_during_execution
                    .as_ref()
            })
            .is_some_and(|r| !r.node_selector_terms.is_empty())
}

/// Whether labels satisfy a label selector (`matchLabels` and `matchExpressions`).
pub(crate) fn selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let ml = sel
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let me = sel.match_expressions.iter().flatten().all(|e| {
        let value = labels.get(&e.key);
        let values = e.values.as_deref().unwrap_or_default();
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    ml && me
}

/// `app=web, tier In (a, b)`: a label selector in words.
pub(crate) fn selector_text(sel: &LabelSelector) -> String {
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel.match_expressions.iter().flatten() {
        let values = e.values.as_deref().unwrap_or_default();
        parts.push(if values.is_empty() {
            format!("{} {}", e.key, e.operator)
        } else {
            format!("{} {} ({})", e.key, e.operator, values.join(", "))
        });
    }
    if parts.is_empty() {
        "every pod".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Pods bound to a node and still holding it (not Succeeded/Failed).
pub(crate) fn live_pods_on<'a>(
    snap: &'a Snapshot,
    node: &str,
) -> impl Iterator<Item = &'a k8s_openapi::api::core::v1::Pod> {
    snap.pods_on_node(node).filter(|p| {
        !matches!(
            p.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        )
    })
}

/// The pod template spec of a workload in the input, and its replica count.
pub(crate) fn workload_template<'a>(
    snap: &'a Snapshot,
    wl: &crate::WorkloadRef,
) -> Option<(Option<&'a PodSpec>, Option<i32>)> {
    let same = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
        m.name.as_deref() == Some(wl.name.as_str())
            && (wl.namespace.is_none()
                || m.namespace.is_none()
                || m.namespace.as_deref() == wl.namespace.as_deref())
    };
    match wl.kind.as_str() {
        "Deployment" => snap
            .deployments
            .iter()
            .find(|d| same(&d.metadata))
            .map(|d| {
                (
                    d.spec.template.spec.as_ref(),
                    Some(d.spec.replicas.unwrap_or(1)),
                )
            }),
        "StatefulSet" => snap
            .stateful_sets
            .iter()
            .find(|d| same(&d.metadata))
            .map(|d| {
                (
                    d.spec.template.spec.as_ref(),
                    Some(d.spec.replicas.unwrap_or(1)),
                )
            }),
        "ReplicaSet" => snap
            .replica_sets
            .iter()
            .find(|d| same(&d.metadata))
            .map(|d| {
                (
                    d.spec.template.as_ref().and_then(|t| t.spec.as_ref()),
                    Some(d.spec.replicas.unwrap_or(1)),
                )
            }),
        "DaemonSet" => snap
            .daemon_sets
            .iter()
            .find(|d| same(&d.metadata))
            .map(|d| (d.spec.template.spec.as_ref(), None)),
        _ => None,
    }
}
