//! `other.unrecognized`: a pod that is clearly unhealthy but that no rule explains.
//!
//! Nothing is silently dropped: a waiting reason, a failed phase, an unschedulable verdict
//! or a warning event that no family claimed is reported with the raw reason and message,
//! so the person reading the report still sees it.

use super::Ctx;
use super::pod::{ev, event_ev, status_path, step};
use crate::Severity;

/// Waiting reasons that are normal while a pod starts.
const BENIGN_WAITING: &[&str] = &["ContainerCreating", "PodInitializing", ""];

/// Report every unhealthy pod that no other rule claimed.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    for i in 0..ctx.pods.len() {
        if ctx.pod_claimed(i) {
            continue;
        }
        let Some(pv) = ctx.pods.get(i) else { continue };
        if pv.done() {
            continue;
        }
        let mut evidence = Vec::new();
        let mut summary: Option<String> = None;
        let mut container = None;
        for c in &pv.containers {
            let waiting = c
                .status
                .and_then(|s| s.state.as_ref())
                .and_then(|s| s.waiting.as_ref());
            if let Some(w) = waiting {
                let reason = w.reason.as_deref().unwrap_or("");
                if BENIGN_WAITING.contains(&reason) {
                    continue;
                }
                evidence.push(ev(
                    format!("{}.state.waiting.reason", status_path(c)),
                    reason,
                ));
                if let Some(m) = w.message.as_deref() {
                    evidence.push(ev(
                        format!("{}.state.waiting.message", status_path(c)),
                        crate::text::clip(m, 500),
                    ));
                }
                if summary.is_none() {
                    summary = Some(format!("container {} is waiting: {reason}", c.name));
                    container = Some(c.name.to_owned());
                }
            }
        }
        let status = pv.pod.status.as_ref();
        if pv.phase() == "Failed" {
            let reason = status.and_then(|s| s.reason.as_deref()).unwrap_or("Failed");
            evidence.push(ev("status.phase", "Failed"));
            if let Some(r) = status.and_then(|s| s.reason.as_deref()) {
                evidence.push(ev("status.reason", r));
            }
            if let Some(m) = status.and_then(|s| s.message.as_deref()) {
                evidence.push(ev("status.message", crate::text::clip(m.trim(), 500)));
            }
            summary.get_or_insert_with(|| format!("the pod failed: {reason}"));
        }
        if let Some(cond) = status.and_then(|s| s.conditions.as_ref()).and_then(|cs| {
            cs.iter()
                .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        }) {
            let reason = cond.reason.as_deref().unwrap_or("");
            if reason != "SchedulingGated" {
                if !reason.is_empty() {
                    evidence.push(ev("status.conditions[PodScheduled].reason", reason));
                }
                if let Some(m) = &cond.message {
                    evidence.push(ev("status.conditions[PodScheduled].message", m.clone()));
                }
                if evidence.is_empty() {
                    evidence.push(ev("status.conditions[PodScheduled].status", "False"));
                }
                summary.get_or_insert_with(|| format!("the pod cannot be scheduled: {reason}"));
            }
        }
        // Warning events count when the pod is not running fine.
        let running_ready = status
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        if !running_ready {
            let mut warnings: Vec<_> = pv.events.iter().filter(|e| e.type_ == "Warning").collect();
            warnings.sort_by_key(|e| e.last_seen);
            if let Some(e) = warnings.last() {
                evidence.push(event_ev(e));
                summary.get_or_insert_with(|| format!("warning event {}", e.reason));
            }
        }
        let Some(summary) = summary else { continue };
        let title = format!("{} is unhealthy: {summary}", pv.subject());
        // A pod that runs is degraded, not down.
        let severity = if pv.phase() == "Running" {
            Severity::Warning
        } else {
            Severity::Error
        };
        let mut f = pv.finding("other.unrecognized", severity, container.as_deref(), title);
        f.explanation = "kdiag does not recognise this failure, so it quotes what Kubernetes said. The reason and message above are the starting point; the pod's events usually say more.".to_owned();
        f.evidence.extend(evidence);
        let ns = pv.ns_flag();
        f.remediation.push(step(
            "Read the pod's full status and events.",
            vec![
                format!("kubectl describe pod {} {ns}", pv.name),
                format!(
                    "kubectl get events {ns} --field-selector involvedObject.name={}",
                    pv.name
                ),
            ],
        ));
        ctx.pod_finding(i, f);
    }
}
