//! What each clause of a scheduler verdict means, and which clause is the root cause.
//!
//! The scheduler runs its filter plugins on every node and, for most plugins, stops at the
//! first that rejects the node; the FitError then counts nodes per rejection reason
//! (`0/5 nodes are available: 2 Insufficient cpu, 3 node(s) didn't match node selector`).
//! A few plugins reject the pod before any node is looked at (PreFilter: unbound claims,
//! a missing claim, no nodes at all); their messages carry no count.

use super::FitError;

/// One rejection reason, read from any wording Kubernetes has used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Why {
    /// The cluster has no nodes (or none the scheduler may use).
    NoNodes,
    /// The pod's claim does not exist.
    PvcNotFound(Option<String>),
    /// The pod's claims are not bound (Immediate binding), or no volume can bind them.
    PvcUnbound,
    Cpu,
    Memory,
    TooManyPods,
    /// Another resource (`ephemeral-storage`, `nvidia.com/gpu`, DRA devices…).
    Other(String),
    Ports,
    /// Required pod affinity not met.
    PodAffinity,
    /// Required pod anti-affinity of this pod, or of pods already on the node.
    AntiAffinity,
    /// The pre-1.20 clause that covers both affinity and anti-affinity.
    AffinityEither,
    Spread {
        missing_label: bool,
    },
    VolumeNodeAffinity,
    /// Node selector or required node affinity (or `spec.nodeName` of another node).
    Selector,
    /// A taint the pod does not tolerate; key and value when the message names them.
    Taint(Option<(String, String)>),
    /// The node is cordoned.
    Unschedulable,
    /// An old predicate naming a node condition (`NodeUnderMemoryPressure`, `node(s) were
    /// not ready`): the condition's taint key.
    Condition(&'static str),
    Unknown,
}

/// Taint keys Kubernetes itself sets for a node condition, with the condition they mirror.
pub(crate) const CONDITION_TAINTS: &[(&str, &str)] = &[
    (
        "node.kubernetes.io/not-ready",
        "Ready=False (the kubelet reports the node not ready)",
    ),
    (
        "node.kubernetes.io/unreachable",
        "Ready=Unknown (the kubelet stopped posting status: node down, network cut or kubelet dead)",
    ),
    ("node.kubernetes.io/memory-pressure", "MemoryPressure=True"),
    ("node.kubernetes.io/disk-pressure", "DiskPressure=True"),
    ("node.kubernetes.io/pid-pressure", "PIDPressure=True"),
    (
        "node.kubernetes.io/network-unavailable",
        "NetworkUnavailable=True",
    ),
    ("node.kubernetes.io/out-of-disk", "OutOfDisk=True"),
];

/// The node condition a Kubernetes-managed taint mirrors.
pub(crate) fn condition_of_taint(key: &str) -> Option<&'static str> {
    CONDITION_TAINTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, c)| *c)
}

/// The control-plane role taint (current and pre-1.25 names).
pub(crate) fn is_control_plane_taint(key: &str) -> bool {
    matches!(
        key,
        "node-role.kubernetes.io/control-plane" | "node-role.kubernetes.io/master"
    )
}

impl Why {
    /// Read one clause.
    pub(crate) fn of(text: &str) -> Why {
        let t = text.to_ascii_lowercase();
        let has = |n: &str| t.contains(n);
        if has("no nodes available") {
            return Why::NoNodes;
        }
        if has("persistentvolumeclaim") && has("not found") {
            let name = text
                .split('"')
                .nth(1)
                .map(str::to_owned)
                .filter(|n| !n.is_empty());
            return Why::PvcNotFound(name);
        }
        if has("unbound immediate persistentvolumeclaims")
            || has("unbound persistentvolumeclaims")
            || has("find available persistent volumes to bind")
            || has("bound to non-existent pv")
            || (has("persistentvolumeclaim") && has("being deleted"))
        {
            return Why::PvcUnbound;
        }
        if has("volume node affinity")
            || has("persistentvolume's node affinity")
            || has("novolumenodeconflict")
            || has("volume zone")
            || has("novolumezoneconflict")
        {
            return Why::VolumeNodeAffinity;
        }
        if has("insufficient cpu") || has("enough resource: cpu") || has("podexceedsfreecpu") {
            return Why::Cpu;
        }
        if has("insufficient memory")
            || has("enough resource: memory")
            || has("podexceedsfreememory")
        {
            return Why::Memory;
        }
        if has("too many pods") || has("insufficient pods") || has("podexceedsmaxpodnumber") {
            return Why::TooManyPods;
        }
        if let Some(i) = t.find("insufficient ") {
            let name = text
                .get(i + "insufficient ".len()..)
                .unwrap_or("")
                .trim()
                .trim_end_matches('.');
            return Why::Other(name.to_owned());
        }
        if has("enough resource: ") {
            let name = t
                .split("enough resource: ")
                .nth(1)
                .and_then(|r| r.split(',').next())
                .unwrap_or("")
                .trim()
                .to_owned();
            return Why::Other(name);
        }
        if has("cannot allocate all claims")
            || has("resourceclaim")
            || has("resource claim")
            || has("dynamic resource")
            || has("deviceclass")
        {
            return Why::Other("DRA devices (ResourceClaim)".to_owned());
        }
        if has("max volume count") || has("maxvolumecount") {
            return Why::Other("attachable-volumes".to_owned());
        }
        if has("enough free storage") {
            return Why::Other("local storage capacity".to_owned());
        }
        if has("free ports") || has("podfitshostports") || has("hostport") {
            return Why::Ports;
        }
        if has("topology spread") {
            return Why::Spread {
                missing_label: has("missing required label"),
            };
        }
        if has("existing pods anti-affinity") || has("pod anti-affinity") {
            return Why::AntiAffinity;
        }
        if has("affinity/anti-affinity") || has("matchinterpodaffinity") {
            return Why::AffinityEither;
        }
        if has("pod affinity") {
            return Why::PodAffinity;
        }
        if has("node affinity")
            || has("node selector")
            || has("nodeselector")
            || has("requested node name")
            || has("podfitshost")
            || has("hostname")
        {
            return Why::Selector;
        }
        if has("unschedulable") && !has("taint") {
            return Why::Unschedulable;
        }
        if has("taint") || has("podtoleratesnodetaints") {
            let kv = taint_in(text);
            if let Some((k, _)) = &kv {
                if k == "node.kubernetes.io/unschedulable" {
                    return Why::Unschedulable;
                }
            }
            return Why::Taint(kv);
        }
        for (needle, key) in [
            ("memory pressure", "node.kubernetes.io/memory-pressure"),
            ("memorypressure", "node.kubernetes.io/memory-pressure"),
            ("disk pressure", "node.kubernetes.io/disk-pressure"),
            ("diskpressure", "node.kubernetes.io/disk-pressure"),
            ("pid pressure", "node.kubernetes.io/pid-pressure"),
            ("out of disk", "node.kubernetes.io/out-of-disk"),
            (
                "network unavailable",
                "node.kubernetes.io/network-unavailable",
            ),
            ("not ready", "node.kubernetes.io/not-ready"),
            ("nodenotready", "node.kubernetes.io/not-ready"),
        ] {
            if has(needle) {
                return Why::Condition(key);
            }
        }
        Why::Unknown
    }

    /// How much this reason explains a pending pod, lower first:
    /// 0 — the pod was rejected before any node was looked at;
    /// 1 — nodes the pod may use are full or conflict with it;
    /// 2 — nodes the pod is deliberately kept off (selector, a taint somebody set, cordon);
    /// 3 — nodes everybody's pods are kept off (the control plane, node-condition taints);
    /// 4 — a clause kdiag does not know.
    pub(crate) fn tier(&self) -> u8 {
        match self {
            Why::NoNodes | Why::PvcNotFound(_) | Why::PvcUnbound => 0,
            Why::Cpu
            | Why::Memory
            | Why::TooManyPods
            | Why::Other(_)
            | Why::Ports
            | Why::PodAffinity
            | Why::AntiAffinity
            | Why::AffinityEither
            | Why::Spread { .. }
            | Why::VolumeNodeAffinity => 1,
            Why::Selector | Why::Unschedulable => 2,
            Why::Taint(Some((k, _)))
                if is_control_plane_taint(k) || condition_of_taint(k).is_some() =>
            {
                3
            }
            Why::Taint(_) => 2,
            Why::Condition(_) => 3,
            Why::Unknown => 4,
        }
    }

    /// Tie-break inside a tier: the order people fix things in.
    fn order(&self) -> u8 {
        match self {
            Why::NoNodes => 0,
            Why::PvcNotFound(_) => 1,
            Why::PvcUnbound => 2,
            Why::Cpu => 3,
            Why::Memory => 4,
            Why::Other(_) => 5,
            Why::TooManyPods => 6,
            Why::VolumeNodeAffinity => 7,
            Why::AntiAffinity => 8,
            Why::AffinityEither => 9,
            Why::PodAffinity => 10,
            Why::Spread { .. } => 11,
            Why::Ports => 12,
            Why::Unschedulable => 13,
            Why::Taint(_) => 14,
            Why::Selector => 15,
            Why::Condition(_) => 16,
            Why::Unknown => 17,
        }
    }

    /// The failure id this reason is reported under.
    pub(crate) fn id(&self) -> Option<&'static str> {
        Some(match self {
            Why::NoNodes => "sched.no-nodes",
            Why::PvcNotFound(_) | Why::PvcUnbound => "sched.pvc-unbound",
            Why::Cpu => "sched.insufficient-cpu",
            Why::Memory => "sched.insufficient-memory",
            Why::TooManyPods => "sched.too-many-pods",
            Why::Other(_) => "sched.insufficient-other",
            Why::Ports => "sched.port-conflict",
            Why::PodAffinity | Why::AntiAffinity | Why::AffinityEither => "sched.affinity",
            Why::Spread { .. } => "sched.topology-spread",
            Why::VolumeNodeAffinity => "sched.volume-node-affinity",
            Why::Selector => "sched.node-selector",
            Why::Taint(_) | Why::Condition(_) => "sched.taint",
            Why::Unschedulable => "sched.unschedulable-node",
            Why::Unknown => return None,
        })
    }

    /// What this reason means for a group of nodes, in a few words.
    pub(crate) fn gloss(&self) -> String {
        match self {
            Why::NoNodes => "no node exists to try".to_owned(),
            Why::PvcNotFound(Some(n)) => format!("claim {n} does not exist"),
            Why::PvcNotFound(None) => "a claim does not exist".to_owned(),
            Why::PvcUnbound => "a claim is not bound to a volume".to_owned(),
            Why::Cpu => "not enough unrequested CPU".to_owned(),
            Why::Memory => "not enough unrequested memory".to_owned(),
            Why::TooManyPods => "at their pod limit".to_owned(),
            Why::Other(r) => format!("not enough {r}"),
            Why::Ports => "the host port is taken".to_owned(),
            Why::PodAffinity => "no pod the affinity asks for".to_owned(),
            Why::AntiAffinity | Why::AffinityEither => {
                "a pod the anti-affinity excludes is already there".to_owned()
            }
            Why::Spread { .. } => "would break the topology spread".to_owned(),
            Why::VolumeNodeAffinity => "cannot reach the pod's volume".to_owned(),
            Why::Selector => "lack the labels the pod selects".to_owned(),
            Why::Taint(Some((k, _))) if is_control_plane_taint(k) => {
                "control plane (tainted by design)".to_owned()
            }
            Why::Taint(Some((k, _))) if condition_of_taint(k).is_some() => {
                format!("tainted by Kubernetes for a node condition ({k})")
            }
            Why::Taint(_) => "tainted, not tolerated".to_owned(),
            Why::Unschedulable => "cordoned".to_owned(),
            Why::Condition(k) => format!("node condition ({k})"),
            Why::Unknown => "other".to_owned(),
        }
    }
}

/// The `{key: value}` of a taint clause (`had untolerated taint {dedicated: gpu}`).
pub(crate) fn taint_in(text: &str) -> Option<(String, String)> {
    let open = text.find('{')?;
    let inner = text.get(open + 1..)?;
    let close = inner.find('}')?;
    let inner = inner.get(..close)?;
    let (k, v) = inner.split_once(':').unwrap_or((inner, ""));
    let k = k.trim();
    (!k.is_empty()).then(|| (k.to_owned(), v.trim().to_owned()))
}

/// Every clause of a verdict, classified, with its node count.
pub(crate) fn classify(fit: &FitError) -> Vec<(u32, String, Why)> {
    fit.reasons
        .iter()
        .map(|(n, text)| (*n, text.clone(), Why::of(text)))
        .collect()
}

/// The clause that is the root cause: the lowest tier, then the most nodes, then the
/// order people fix things in. A verdict of `0/0 nodes` is "no nodes". A deliberate
/// narrowing (tier 2) defers to full or conflicting nodes only while some node is left
/// after it: when it alone excludes every node (older schedulers list every failed
/// predicate of a node, so the counts overlap), no node the pod may use exists and the
/// narrowing is the cause.
pub(crate) fn primary(fit: &FitError, clauses: &[(u32, String, Why)]) -> Option<Why> {
    if fit.total == Some(0) {
        return Some(Why::NoNodes);
    }
    let covers_all = |n: u32| fit.total.is_some_and(|t| n >= t);
    if !clauses.iter().any(|(_, _, w)| w.tier() == 0)
        && let Some((_, _, w)) = clauses
            .iter()
            .filter(|(n, _, w)| w.tier() == 2 && w.id().is_some() && covers_all(*n))
            .min_by_key(|(_, _, w)| w.order())
    {
        return Some(w.clone());
    }
    clauses
        .iter()
        .filter(|(_, _, w)| w.id().is_some())
        .min_by_key(|(n, _, w)| (w.tier(), u32::MAX - n, w.order()))
        .map(|(_, _, w)| w.clone())
}

#[cfg(test)]
mod tests {
    use super::super::parse_fit_error;
    use super::*;

    fn first(msg: &str) -> Option<Why> {
        let fit = parse_fit_error(msg).unwrap_or(FitError {
            total: None,
            reasons: vec![(1, msg.to_owned())],
        });
        primary(&fit, &classify(&fit))
    }

    #[test]
    fn every_wording_is_read() {
        let cases: &[(&str, Why)] = &[
            (
                "0/3 nodes are available: 3 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate.",
                Why::Taint(Some(("dedicated".into(), "gpu".into()))),
            ),
            (
                "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
                Why::Taint(Some((
                    "node-role.kubernetes.io/control-plane".into(),
                    String::new(),
                ))),
            ),
            (
                "0/2 nodes are available: 2 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
                Why::Taint(None),
            ),
            (
                "0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate.",
                Why::Taint(None),
            ),
            (
                "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector.",
                Why::Selector,
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't match node selector.",
                Why::Selector,
            ),
            (
                "No nodes are available that match all of the following predicates:: MatchNodeSelector (2), PodToleratesNodeTaints (1).",
                Why::Selector,
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't match PersistentVolume's node affinity.",
                Why::VolumeNodeAffinity,
            ),
            (
                "0/3 nodes are available: 3 node(s) had volume node affinity conflict.",
                Why::VolumeNodeAffinity,
            ),
            (
                "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
                Why::PvcUnbound,
            ),
            (
                "0/3 nodes are available: persistentvolumeclaim \"data-db-0\" not found.",
                Why::PvcNotFound(Some("data-db-0".into())),
            ),
            (
                "error while running \"VolumeBinding\" filter plugin for pod \"mysql-0\": pod has unbound immediate PersistentVolumeClaims",
                Why::PvcUnbound,
            ),
            (
                "0/3 nodes are available: 3 node(s) were unschedulable.",
                Why::Unschedulable,
            ),
            (
                "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unschedulable: }.",
                Why::Unschedulable,
            ),
            (
                "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.",
                Why::Ports,
            ),
            (
                "0/3 nodes are available: 3 Too many pods.",
                Why::TooManyPods,
            ),
            (
                "0/3 nodes are available: 1 Insufficient pods, 2 node(s) didn't match node selector.",
                Why::TooManyPods,
            ),
            (
                "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
                Why::Other("nvidia.com/gpu".into()),
            ),
            (
                "0/18 nodes are available: 18 Insufficient ephemeral-storage, 3 node(s) didn't match node selector.",
                Why::Other("ephemeral-storage".into()),
            ),
            ("no nodes available to schedule pods", Why::NoNodes),
            ("0/0 nodes are available: .", Why::NoNodes),
            (
                "0/5 nodes are available: 2 node(s) didn't match pod affinity/anti-affinity, 3 node(s) didn't match node selector.",
                Why::AffinityEither,
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't satisfy existing pods anti-affinity rules.",
                Why::AntiAffinity,
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
                Why::AntiAffinity,
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
                Why::PodAffinity,
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.",
                Why::Spread {
                    missing_label: false,
                },
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required label).",
                Why::Spread {
                    missing_label: true,
                },
            ),
            (
                "0/2 nodes are available: 2 cannot allocate all claims.",
                Why::Other("DRA devices (ResourceClaim)".into()),
            ),
            ("0/3 nodes are available: 3 Insufficient cpu.", Why::Cpu),
            (
                "Failed for reason MatchNodeSelector and possibly others",
                Why::Selector,
            ),
            (
                "Failed for reason PodFitsHostPorts and possibly others",
                Why::Ports,
            ),
            (
                "pod (web-1) failed to fit in any node\nfit failure on node (n1): PodToleratesNodeTaints\nfit failure on node (n2): PodToleratesNodeTaints",
                Why::Taint(None),
            ),
            (
                "0/2 nodes are available: 2 node(s) had disk pressure.",
                Why::Condition("node.kubernetes.io/disk-pressure"),
            ),
            (
                "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind.",
                Why::PvcUnbound,
            ),
            (
                "0/3 nodes are available: 3 node(s) exceed max volume count.",
                Why::Other("attachable-volumes".into()),
            ),
            (
                "0/3 nodes are available: 3 node(s) had no available volume zone.",
                Why::VolumeNodeAffinity,
            ),
            (
                "0/2 nodes are available: 2 node(s) didn't match the requested node name.",
                Why::Selector,
            ),
        ];
        for (msg, want) in cases {
            assert_eq!(first(msg).as_ref(), Some(want), "{msg}");
        }
    }

    #[test]
    fn the_root_cause_is_chosen_across_clauses() {
        // A narrowing that alone excludes every node (older schedulers list every failed
        // predicate, so counts overlap) leaves no node to be full: it is the cause.
        assert_eq!(
            first(
                "0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu."
            ),
            Some(Why::Selector)
        );
        assert_eq!(
            first("0/3 nodes are available: 3 node(s) were unschedulable, 1 Insufficient memory."),
            Some(Why::Unschedulable)
        );
        // ... but not a claim that stops the pod before any node is looked at.
        assert_eq!(
            first(
                "0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims, 3 node(s) didn't match node selector."
            ),
            Some(Why::PvcUnbound)
        );
        // Selector and taints narrow the candidates; what fails on the rest is the cause.
        assert_eq!(
            first(
                "0/5 nodes are available: 1 node(s) had volume node affinity conflict, 4 node(s) didn't match node selector"
            ),
            Some(Why::VolumeNodeAffinity)
        );
        assert_eq!(
            first(
                "0/32 nodes are available: 1 Too many pods, 20 Insufficient memory, 4 Insufficient cpu, 8 node(s) had untolerated taint(s)."
            ),
            Some(Why::Memory)
        );
        assert_eq!(
            first(
                "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector."
            ),
            Some(Why::Selector)
        );
        assert_eq!(
            first(
                "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) had untolerated taint {dedicated: ml}."
            ),
            Some(Why::Taint(Some(("dedicated".into(), "ml".into()))))
        );
        assert_eq!(
            first("0/8 nodes are available: 8 Insufficient cpu, 8 Insufficient memory"),
            Some(Why::Cpu)
        );
        // Unknown clauses never win over a known one.
        assert_eq!(
            first("0/2 nodes are available: 1 node(s) had some vendor reason, 1 Insufficient cpu."),
            Some(Why::Cpu)
        );
        assert_eq!(first("0/1 nodes are available: 1 vendor says no."), None);
    }
}
