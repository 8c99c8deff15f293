//! What is visible beyond one pod's constraints: scheduling gates, a node-condition taint
//! known only from the scheduler's message (the node finding it stands for), and latent
//! blocks seen on the nodes alone (a lone tainted control plane, every node cordoned).

use super::nodes::{self, live_pods_on, name, taint_text};
use super::pending_for;
use super::placement::Case;
use super::reasons::{condition_of_taint, is_control_plane_taint};
use crate::rules::pod::{PodView, ev, event_ev, step};
use crate::{Finding, Severity, Snapshot};
use k8s_openapi::api::core::v1::{Node, Taint};

/// A pod held back by scheduling gates: info while recent, a warning after 10 minutes.
pub(crate) fn gated(snap: &Snapshot, pv: &PodView<'_>) -> Option<Finding> {
    let spec = pv.spec()?;
    let cond = pv
        .pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| {
            cs.iter().find(|c| {
                c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated")
            })
        });
    let gates: Vec<&str> = spec
        .scheduling_gates
        .iter()
        .flatten()
        .map(|g| g.name.as_str())
        .collect();
    if gates.is_empty() && cond.is_none() {
        return None;
    }
    let created = pv.pod.metadata.creation_timestamp.as_ref().map(|t| t.0);
    let minutes = match (snap.now, created) {
        (Some(now), Some(then)) => Some(now.duration_since(then).as_secs() / 60),
        _ => None,
    };
    let long = minutes.is_some_and(|m| m >= 10);
    let sev = if long {
        Severity::Warning
    } else {
        Severity::Info
    };
    let named = if gates.is_empty() {
        "(gates not in the input)".to_owned()
    } else {
        gates.join(", ")
    };
    let mut f = pv.finding(
        "sched.gated",
        sev,
        None,
        format!(
            "{} is held back by scheduling gate(s) {named}",
            pv.subject()
        ),
    );
    f.evidence.push(ev("spec.schedulingGates", named.clone()));
    // What the gate's controller last said about the pod (Kueue: "waiting for admission").
    if let Some(e) = pv.events.iter().rev().find(|e| !e.message.is_empty()) {
        f.evidence.push(event_ev(e));
    }
    if let Some(cnd) = cond {
        f.evidence.push(ev(
            "status.conditions[PodScheduled]",
            format!(
                "False, reason SchedulingGated{}",
                cnd.message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ),
        ));
    }
    f.explanation = format!(
        "{}The scheduler does not look at a pod until every entry of spec.schedulingGates is removed. Gates are added on purpose by a controller (a queueing system such as Kueue, a quota or admission controller) that removes them when the pod may run. {}",
        pending_for(snap, pv),
        if long {
            "It has been gated for a while: the controller that owns the gate is not removing it (not running, or waiting for quota)."
        } else {
            "Briefly gated pods are normal."
        }
    );
    f.remediation.push(step(
        "Find the controller that owns the gate (its name usually says, e.g. kueue.x-k8s.io/admission) and check its logs and queue.",
        vec![format!("kubectl get pod {} {} -o jsonpath='{{.spec.schedulingGates}}'", pv.name, pv.ns_flag())],
    ));
    f.remediation.push(step(
        "As a last resort, remove the gates by hand (gates can be removed from a live pod, never added); the controller may then not account for the pod.",
        vec![format!(
            "kubectl patch pod {} {} --type=json -p '[{{\"op\":\"remove\",\"path\":\"/spec/schedulingGates\"}}]'",
            pv.name,
            pv.ns_flag()
        )],
    ));
    Some(f)
}

/// The node finding a condition taint in the scheduler's message stands for, when no Node
/// object is in the input: `node.not-ready` for not-ready/unreachable, `node.pressure` for
/// memory/disk/PID pressure (others stay with `sched.taint`).
pub(crate) fn node_condition(c: &Case<'_, '_>, key: &str, nodes_hit: u32) -> Finding {
    let pressure = key.ends_with("-pressure") || key.ends_with("out-of-disk");
    let id = if pressure {
        "node.pressure"
    } else {
        "node.not-ready"
    };
    let cond = condition_of_taint(key).unwrap_or("a node condition");
    let count = match (c.total, nodes_hit) {
        (Some(t), n) if n > 0 => format!("{n} of {t} node(s)"),
        (_, n) if n > 0 => format!("{n} node(s)"),
        _ => "the nodes".to_owned(),
    };
    let what = match key {
        "node.kubernetes.io/unreachable" => "unreachable (the kubelet stopped reporting)",
        "node.kubernetes.io/not-ready" => "not Ready",
        "node.kubernetes.io/memory-pressure" => "under memory pressure",
        "node.kubernetes.io/disk-pressure" => "under disk pressure",
        "node.kubernetes.io/pid-pressure" => "under PID pressure",
        _ => "unhealthy",
    };
    let mut f = c.finding(
        id,
        Severity::Error,
        format!(
            "{count} {} {what}, so {} cannot be scheduled",
            if c.total == Some(1) {
                "— the only node — is"
            } else {
                "are"
            },
            c.pv.subject()
        ),
    );
    f.evidence.push(ev(
        "node taint (from the scheduler's message)",
        format!("{key}: Kubernetes sets it while the node has {cond}"),
    ));
    f.explanation = format!(
        "{}The scheduler skipped {count} because of the taint {key}, which the node lifecycle controller (or the kubelet) puts on a node while it has {cond}. Nothing is wrong with the pod: the node is. {}",
        pending_for(c.snap, c.pv),
        if pressure {
            "Under pressure the kubelet also evicts pods; free the resource (disk: images, logs, emptyDir data; memory: pods above their requests) or give the node more, and the taint is removed when the condition clears."
        } else {
            "Ready=Unknown means the control plane stopped hearing from the kubelet (machine down, kubelet stopped, expired certificate, network cut); Ready=False means the kubelet reports a problem (often the container runtime or the CNI plugin)."
        }
    );
    let mut cmds = vec![
        "kubectl get nodes".to_owned(),
        "kubectl describe node <node>".to_owned(),
    ];
    if pressure {
        cmds.push("df -h /var/lib/kubelet /var/lib/containerd  # on the node".to_owned());
    } else {
        cmds.push(
            "systemctl status kubelet; journalctl -u kubelet -n 100  # on the node".to_owned(),
        );
    }
    f.remediation.push(step(
        format!("Find the node and read its Conditions and recent events; then repair it ({}). Do not add a toleration for this taint.", if pressure { "free or add the resource" } else { "start the machine or the kubelet, fix its network, runtime or certificates" }),
        cmds,
    ));
    f
}

/// A finding about a node itself (no pod to hang it on).
fn node_finding(n: &Node, id: &'static str, title: String) -> Finding {
    Finding {
        id,
        severity: Severity::Warning,
        title: crate::text::capitalise(&title),
        object: crate::ObjectRef {
            kind: "Node".into(),
            namespace: None,
            name: name(n).to_owned(),
            container: None,
        },
        workload: None,
        pods: Vec::new(),
        explanation: String::new(),
        evidence: Vec::new(),
        remediation: Vec::new(),
    }
}

/// Latent scheduling blocks visible on the nodes alone, when no pending pod says more: a
/// single-node cluster whose node is a tainted control plane, or a cluster whose every node
/// is cordoned. Warnings: nothing is known to be waiting yet.
pub(crate) fn cluster_blocks(snap: &Snapshot, pending_explained: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    if pending_explained || snap.nodes.is_empty() {
        return out;
    }
    let all: Vec<&Node> = snap.nodes.iter().map(|n| &**n).collect();
    // Every node cordoned.
    let cordoned = |n: &Node| {
        nodes::cordoned(n)
            || nodes::taints(n)
                .iter()
                .any(|t| t.key == "node.kubernetes.io/unschedulable")
    };
    if all.iter().all(|n| cordoned(n)) {
        for n in &all {
            let mut f = node_finding(
                n,
                "sched.unschedulable-node",
                format!(
                    "node {} is cordoned{}: no new pod can be scheduled on it",
                    name(n),
                    if all.len() == 1 {
                        " and it is the only node"
                    } else {
                        ", like every node"
                    }
                ),
            );
            f.evidence.push(ev(
                "spec.unschedulable",
                if nodes::cordoned(n) {
                    "true"
                } else {
                    "not set (taint only)"
                },
            ));
            for t in nodes::taints(n) {
                f.evidence.push(ev("spec.taints", taint_text(t)));
            }
            f.explanation = "A cordoned node (kubectl cordon or drain, or an upgrade that did not finish) carries node.kubernetes.io/unschedulable:NoSchedule and takes no new pods. Every node in the input is cordoned, so every new or restarted pod stays Pending.".to_owned();
            f.remediation.push(step(
                "If the maintenance is over, make the node schedulable again.",
                vec![format!("kubectl uncordon {}", name(n))],
            ));
            out.push(f);
        }
        return out;
    }
    // A single node that is a tainted control plane, shown alone (no pods in the input:
    // with pods, their own verdicts say whether anything is blocked).
    let no_pods = snap
        .pods
        .iter()
        .all(|p| p.spec.is_none() && p.status.is_none());
    if let [n] = all.as_slice()
        && no_pods
    {
        let cp: Vec<&Taint> = nodes::taints(n)
            .iter()
            .filter(|t| {
                is_control_plane_taint(&t.key)
                    && matches!(t.effect.as_str(), "NoSchedule" | "NoExecute")
            })
            .collect();
        // Pods already running there without tolerating it would contradict the taint.
        let untolerating_running = live_pods_on(snap, name(n)).any(|p| {
            let tol = p
                .spec
                .as_ref()
                .and_then(|s| s.tolerations.as_deref())
                .unwrap_or_default();
            cp.iter().any(|t| !super::tolerates(tol, t))
        });
        if let Some(t) = cp.first()
            && !untolerating_running
        {
            let mut f = node_finding(
                n,
                "sched.taint",
                format!(
                    "the only node, {}, is a control-plane node tainted {}: ordinary pods cannot be scheduled",
                    name(n),
                    taint_text(t)
                ),
            );
            f.evidence
                .push(ev(format!("nodes[{}].spec.taints", name(n)), taint_text(t)));
            f.explanation = format!(
                "kubeadm and most installers taint control-plane nodes with {} so that ordinary workloads run on workers. This cluster has a single node and it is the control plane, so every pod without a toleration for it stays Pending (FailedScheduling: node(s) had untolerated taint). In a lab or single-node cluster remove the taint; in production add worker nodes.",
                t.key
            );
            f.remediation.push(step(
                "Single-node or lab cluster: allow ordinary pods on the control plane by removing the taint (the trailing '-' removes it).",
                vec![format!("kubectl taint nodes {} {}-", name(n), taint_text(t))],
            ));
            f.remediation.push(step(
                "Otherwise join a worker node, or add a toleration for the taint to the workloads that may run on the control plane.",
                vec!["kubeadm token create --print-join-command".to_owned()],
            ));
            out.push(f);
        }
    }
    out
}
