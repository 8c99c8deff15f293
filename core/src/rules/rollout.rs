//! Rollouts that do not finish: `rollout.stuck`.
//!
//! A Deployment whose `Progressing` condition is `False` with `ProgressDeadlineExceeded`,
//! or whose new revision's pods fail while an update is under way; a ReplicationController
//! rolling update (`kubectl rolling-update`, annotations `kubectl.kubernetes.io/
//! next-controller-id` / `desired-replicas`) whose new controller's pods never become
//! ready. The finding names the stuck revision, links the root cause found on its pods,
//! says whether the old pods still serve, and gives the undo and re-roll commands.

use super::Ctx;
use super::pod::{ev, ns_flag, step};
use crate::snapshot::controller_of;
use crate::{Finding, ObjectRef, Severity, WorkloadRef};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::ReplicationController;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::HashMap;

const REVISION: &str = "deployment.kubernetes.io/revision";

/// Check every Deployment and ReplicationController.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let mut found = Vec::new();
    let by_owner = pods_by_owner(ctx);
    let mut rs_by_deployment: HashMap<(Option<&str>, &str), Vec<&ReplicaSet>> = HashMap::new();
    for rs in &ctx.snap.replica_sets {
        if let Some(o) = controller_of(&rs.metadata).filter(|o| o.kind == "Deployment") {
            rs_by_deployment
                .entry((rs.metadata.namespace.as_deref(), o.name.as_str()))
                .or_default()
                .push(rs);
        }
    }
    for d in &ctx.snap.deployments {
        let owned = d
            .metadata
            .name
            .as_deref()
            .and_then(|n| rs_by_deployment.get(&(d.metadata.namespace.as_deref(), n)))
            .map_or(&[][..], Vec::as_slice);
        if let Some(found_here) = deployment(ctx, &by_owner, owned, d) {
            found.push(found_here);
        }
    }
    for rc in &ctx.snap.replication_controllers {
        if let Some(found_here) = rolling_update(ctx, &by_owner, rc) {
            found.push(found_here);
        }
    }
    for (f, new_pods) in found {
        // The causes on the new pods are what stops the rollout: they weigh as much as
        // the stuck rollout itself (and so rank before it).
        for pod in new_pods {
            ctx.raise_pod_findings(pod, f.severity);
        }
        ctx.finding(f);
    }
}

/// Pods by their controller (namespace, kind, name), so each workload finds its pods
/// without a scan of all pods.
type ByOwner<'a> = HashMap<(Option<&'a str>, &'a str, &'a str), Vec<usize>>;

fn pods_by_owner<'a>(ctx: &Ctx<'a>) -> ByOwner<'a> {
    let mut map: ByOwner<'a> = HashMap::new();
    for (i, pv) in ctx.pods.iter().enumerate() {
        if let Some(o) = controller_of(&pv.pod.metadata) {
            map.entry((pv.namespace, o.kind.as_str(), o.name.as_str()))
                .or_default()
                .push(i);
        }
    }
    map
}

/// The root-cause findings of the given pods, as distinct (id, title) pairs, and how many
/// pods there were.
fn causes_of(ctx: &Ctx<'_>, pods: &[usize]) -> (Vec<(&'static str, String)>, usize) {
    let mut causes: Vec<(&'static str, String)> = Vec::new();
    for &i in pods {
        for f in ctx.findings_for_pod(i) {
            if !causes.iter().any(|(id, _)| *id == f.id) {
                causes.push((f.id, f.title.clone()));
            }
        }
    }
    (causes, pods.len())
}

fn deployment(
    ctx: &Ctx<'_>,
    by_owner: &ByOwner<'_>,
    owned: &[&ReplicaSet],
    d: &Deployment,
) -> Option<(Finding, Vec<usize>)> {
    let name = d.metadata.name.as_deref()?;
    let ns = d.metadata.namespace.as_deref();
    let status = d.status.as_ref();
    let progressing = status.and_then(|s| s.conditions.as_ref()).and_then(|cs| {
        cs.iter()
            .find(|c| c.type_.as_deref() == Some("Progressing"))
    });
    let deadline = progressing.is_some_and(|c| {
        c.status.as_deref() == Some("False")
            && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    });
    // The new ReplicaSet: named in the condition, else the highest revision owned.
    let revision = |m: &ObjectMeta| {
        m.annotations
            .as_ref()
            .and_then(|a| a.get(REVISION))
            .and_then(|r| r.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let named = progressing
        .and_then(|c| c.message.as_deref())
        .and_then(|m| quoted(m));
    let new_rs = named
        .and_then(|n| {
            owned
                .iter()
                .find(|rs| rs.metadata.name.as_deref() == Some(n))
                .copied()
        })
        .or_else(|| {
            owned
                .iter()
                .max_by_key(|rs| revision(&rs.metadata))
                .copied()
        });
    let new_name = named
        .map(str::to_owned)
        .or_else(|| new_rs.and_then(|rs| rs.metadata.name.clone()));
    let new_hash = new_name
        .as_deref()
        .and_then(|n| n.strip_prefix(name)?.strip_prefix('-'))
        .map(str::to_owned);
    let new_pods = new_name
        .as_deref()
        .and_then(|rs| by_owner.get(&(ns, "ReplicaSet", rs)))
        .map_or(&[][..], Vec::as_slice);
    let new_pod_indexes = new_pods.to_vec();
    let (causes, new_pods) = causes_of(ctx, new_pods);
    let desired = d.spec.replicas.unwrap_or(1);
    let updated = status.and_then(|s| s.updated_replicas).unwrap_or(0);
    let available = status.and_then(|s| s.available_replicas).unwrap_or(0);
    // Without the deadline, only an update (an older revision exists) is a rollout
    // problem; a first deployment whose pods fail is told by the pods' own findings.
    let previous = owned
        .iter()
        .filter(|rs| rs.metadata.name.as_deref() != new_name.as_deref())
        .map(|rs| revision(&rs.metadata))
        .max();
    let failing_update = !causes.is_empty()
        && previous.is_some()
        && (updated < desired || status.and_then(|s| s.unavailable_replicas).unwrap_or(0) > 0);
    if !deadline && !failing_update {
        return None;
    }
    let old_ready: i32 = owned
        .iter()
        .filter(|rs| rs.metadata.name.as_deref() != new_name.as_deref())
        .map(|rs| {
            rs.status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0)
        })
        .fold(0i32, i32::saturating_add);
    let rev = new_rs
        .map(|rs| revision(&rs.metadata))
        .filter(|r| *r > 0)
        .or_else(|| {
            d.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(REVISION))
                .and_then(|r| r.parse().ok())
        });
    let severity = if deadline {
        Severity::Error
    } else {
        Severity::Warning
    };
    let wl = WorkloadRef {
        kind: "Deployment".into(),
        namespace: ns.map(str::to_owned),
        name: name.to_owned(),
    };
    let rs_txt = new_name
        .as_deref()
        .map(|n| format!("ReplicaSet {n}"))
        .unwrap_or_else(|| "the new ReplicaSet".to_owned());
    let rev_txt = rev.map(|r| format!(" (revision {r})")).unwrap_or_default();
    let title = if deadline {
        format!(
            "Rollout of Deployment {name} is stuck: {rs_txt}{rev_txt} exceeded its progress deadline"
        )
    } else {
        format!(
            "Rollout of Deployment {name} is failing: the pods of {rs_txt}{rev_txt} do not become ready"
        )
    };
    let mut f = workload_finding(&wl, "Deployment", severity, title);
    if let Some(c) = progressing {
        f.evidence.push(ev(
            "status.conditions[Progressing].status",
            c.status.clone().unwrap_or_default(),
        ));
        if let Some(r) = &c.reason {
            f.evidence
                .push(ev("status.conditions[Progressing].reason", r.clone()));
        }
        if let Some(m) = &c.message {
            f.evidence
                .push(ev("status.conditions[Progressing].message", m.clone()));
        }
    }
    f.evidence.push(ev(
        "status",
        format!("{desired} desired, {updated} updated, {available} available"),
    ));
    let serving = available.max(old_ready);
    let outage = if serving > 0 {
        format!(
            "{serving} pod(s) are still available — the old revision keeps serving, so there is no outage yet, but the update is not happening."
        )
    } else {
        "No pod is available: the Deployment serves nothing right now.".to_owned()
    };
    let cause_txt = if causes.is_empty() {
        format!(
            "The input does not show why its pods fail{}.",
            if new_pods == 0 {
                " (none of its pods are in the input)"
            } else {
                ""
            }
        )
    } else {
        let list: Vec<String> = causes.iter().map(|(id, t)| format!("{t} [{id}]")).collect();
        format!("Its pods fail because: {}.", list.join("; "))
    };
    let since = progressing
        .and_then(|c| {
            c.last_update_time
                .as_ref()
                .or(c.last_transition_time.as_ref())
        })
        .zip(ctx.snap.now)
        .and_then(|(then, now)| crate::text::age(now, then.0))
        .map(|a| format!(" {a} ago"))
        .unwrap_or_default();
    f.explanation = format!(
        "The Deployment rolled out {rs_txt}{rev_txt}, but its pods never become available{}. {cause_txt} {outage}",
        if deadline {
            format!(
                ", so after progressDeadlineSeconds the controller marked the rollout as failed{since} (it does not roll back by itself)"
            )
        } else {
            String::new()
        }
    );
    let nsf = ns_flag(ns);
    if !causes.is_empty() {
        f.remediation.push(step(
            format!("Fix the root cause above ({}) on the Deployment's pod template; the fix starts a new rollout.", causes.iter().map(|(id, _)| *id).collect::<Vec<_>>().join(", ")),
            vec![],
        ));
    } else {
        f.remediation.push(step(
            "Find out why the new pods fail.",
            vec![new_hash.as_deref().map_or_else(
                || format!("kubectl describe deployment {name} {nsf}"),
                |h| format!("kubectl get pods -l pod-template-hash={h} {nsf} -o json | kdiag"),
            )],
        ));
    }
    let undo = match previous.filter(|r| *r > 0) {
        Some(r) => format!("kubectl rollout undo deployment/{name} --to-revision={r} {nsf}"),
        None => format!("kubectl rollout undo deployment/{name} {nsf}"),
    };
    f.remediation.push(step(
        "Or go back to the previous revision now, and fix at leisure.",
        vec![
            format!("kubectl rollout history deployment/{name} {nsf}"),
            undo,
        ],
    ));
    f.remediation.push(step(
        "In CI, gate on the rollout: \"kubectl rollout status\" exits non-zero when it does not complete in time; then run kdiag for the why.",
        vec![format!(
            "kubectl rollout status deployment/{name} {nsf} --timeout=5m || (kubectl get deploy,rs,pods,events {nsf} -o json | kdiag; exit 1)"
        )],
    ));
    Some((f, new_pod_indexes))
}

fn rolling_update(
    ctx: &Ctx<'_>,
    by_owner: &ByOwner<'_>,
    old: &ReplicationController,
) -> Option<(Finding, Vec<usize>)> {
    let ann = old.metadata.annotations.as_ref()?;
    let next = ann.get("kubectl.kubernetes.io/next-controller-id")?;
    let ns = old.metadata.namespace.as_deref();
    let old_name = old.metadata.name.as_deref()?;
    let new = ctx
        .snap
        .replication_controllers
        .iter()
        .find(|rc| rc.metadata.name.as_deref() == Some(next.as_str()));
    let desired: i32 = new
        .and_then(|rc| rc.metadata.annotations.as_ref())
        .and_then(|a| a.get("kubectl.kubernetes.io/desired-replicas"))
        .and_then(|v| v.parse().ok())
        .or_else(|| old.spec.as_ref().and_then(|s| s.replicas))
        .unwrap_or(1);
    let new_ready = new
        .and_then(|rc| rc.status.as_ref())
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0);
    let new_pods = by_owner
        .get(&(ns, "ReplicationController", next.as_str()))
        .map_or(&[][..], Vec::as_slice);
    let new_pod_indexes = new_pods.to_vec();
    let (causes, _) = causes_of(ctx, new_pods);
    if new_ready >= desired && causes.is_empty() {
        return None;
    }
    if causes.is_empty() && new.is_some() {
        return None; // still progressing, nothing failing
    }
    let old_ready = old
        .status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0);
    let wl = WorkloadRef {
        kind: "ReplicationController".into(),
        namespace: ns.map(str::to_owned),
        name: next.clone(),
    };
    let mut f = workload_finding(
        &wl,
        "ReplicationController",
        Severity::Error,
        format!(
            "Rolling update from ReplicationController {old_name} to {next} is stuck: the new pods do not become ready"
        ),
    );
    f.evidence.push(ev(
        "metadata.annotations[kubectl.kubernetes.io/next-controller-id]",
        next.clone(),
    ));
    f.evidence.push(ev(
        "new controller ready / desired",
        format!("{new_ready}/{desired}"),
    ));
    let cause_txt = if causes.is_empty() {
        "The input does not show why its pods fail.".to_owned()
    } else {
        format!(
            "Its pods fail because: {}.",
            causes
                .iter()
                .map(|(id, t)| format!("{t} [{id}]"))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    f.explanation = format!(
        "\"kubectl rolling-update\" (removed in kubectl 1.18) moves replicas from {old_name} to {next} one at a time and gives up with \"timed out waiting for any update progress\" when the new pods never become ready. {cause_txt} {}",
        if old_ready > 0 {
            format!(
                "{old_name} still has {old_ready} ready pod(s), so the old version keeps serving."
            )
        } else {
            "No old pod is ready: nothing serves now.".to_owned()
        }
    );
    let nsf = ns_flag(ns);
    f.remediation.push(step(
        "Roll back: scale the new controller to zero and the old one back up (or \"kubectl rolling-update … --rollback\" on old kubectl).",
        vec![
            format!("kubectl scale rc {next} --replicas=0 {nsf}"),
            format!("kubectl scale rc {old_name} --replicas={desired} {nsf}"),
        ],
    ));
    f.remediation.push(step(
        "Then fix the root cause and move to a Deployment, whose rollouts are server-side, resumable and undoable (\"kubectl rollout undo\").",
        vec![],
    ));
    Some((f, new_pod_indexes))
}

fn workload_finding(wl: &WorkloadRef, kind: &str, severity: Severity, title: String) -> Finding {
    Finding {
        id: "rollout.stuck",
        severity,
        title,
        object: ObjectRef {
            kind: kind.to_owned(),
            namespace: wl.namespace.clone(),
            name: wl.name.clone(),
            container: None,
        },
        workload: Some(wl.clone()),
        pods: Vec::new(),
        explanation: String::new(),
        evidence: Vec::new(),
        remediation: Vec::new(),
    }
}

/// The first double-quoted word of a message.
fn quoted(m: &str) -> Option<&str> {
    let start = m.find('"')? + 1;
    let rest = m.get(start..)?;
    rest.get(..rest.find('"')?)
}
