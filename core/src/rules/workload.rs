//! Workloads that cannot make or keep pods: `job.failed`, `create.denied`,
//! `quota.exceeded`.
//!
//! `job.failed`: a Job with `Failed=True` (`BackoffLimitExceeded`, `DeadlineExceeded`,
//! `PodFailurePolicy`, `MaxFailedIndexesExceeded`), the same reasons as Job events when
//! the Job object is absent, or a pod `Failed` with reason `DeadlineExceeded`
//! (`activeDeadlineSeconds`). The finding links the root cause found on the Job's pods
//! (crash loop, OOM, …) or, when none was found, states how its pods ended. A Job that
//! completed, also after retries, is not a failure. A CronJob's Job names the CronJob.
//!
//! `create.denied` / `quota.exceeded`: a controller's `FailedCreate` events (ReplicaSet,
//! ReplicationController, StatefulSet, DaemonSet, Job, CronJob) and the `ReplicaFailure`
//! condition of ReplicaSets and Deployments. Quota messages (`exceeded quota: q,
//! requested: cpu=500m, used: cpu=1500m, limited: cpu=2`) are parsed into exact quantities
//! and the shortfall per resource computed; `must specify limits.cpu` is the quota without
//! LimitRange defaults. Denials name the policy (PodSecurity level and each violated
//! field with the patch, the admission webhook, the LimitRange bound, the missing
//! ServiceAccount).

use super::Ctx;
use super::pod::{ev, event_ev, ns_flag, patch_step, step};
use crate::quantity::{Quantity, format_bytes, format_cpu_millis};
use crate::snapshot::{EventRec, controller_of};
use crate::{Finding, ObjectRef, Severity, WorkloadRef};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::HashMap;

/// Job failure reasons (condition `Failed` or event).
const JOB_FAILED: &[&str] = &[
    "BackoffLimitExceeded",
    "DeadlineExceeded",
    "PodFailurePolicy",
    "MaxFailedIndexesExceeded",
    "FailedIndexes",
];

/// `job.failed`.
pub(crate) fn jobs(ctx: &mut Ctx<'_>) {
    let snap = ctx.snap;
    let mut pods_of: HashMap<(Option<&str>, &str), Vec<usize>> = HashMap::new();
    for (i, pv) in ctx.pods.iter().enumerate() {
        if let Some(o) = controller_of(&pv.pod.metadata).filter(|o| o.kind == "Job") {
            pods_of
                .entry((pv.namespace, o.name.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut seen: std::collections::HashSet<(Option<&str>, &str)> =
        std::collections::HashSet::new();
    let mut out: Vec<(Finding, Vec<usize>)> = Vec::new();
    for job in &snap.jobs {
        let Some(name) = job.metadata.name.as_deref() else {
            continue;
        };
        let ns = job.metadata.namespace.as_deref();
        seen.insert((ns, name));
        let Some(cond) = job
            .status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .find(|c| c.type_ == "Failed" && c.status == "True")
        else {
            continue;
        };
        let pods = pods_of.get(&(ns, name)).cloned().unwrap_or_default();
        let reason = cond.reason.as_deref().unwrap_or("Failed");
        let message = cond.message.as_deref().unwrap_or("");
        let f = job_finding(ctx, &job.metadata, Some(job), reason, message, None, &pods);
        out.push((f, pods));
    }
    // Jobs known only from their events.
    for e in &snap.events {
        if e.kind != "Job" || !JOB_FAILED.contains(&e.reason.as_str()) {
            continue;
        }
        if !seen.insert((e.namespace.as_deref(), e.name.as_str())) {
            continue;
        }
        let meta = ObjectMeta {
            name: Some(e.name.clone()),
            namespace: e.namespace.clone(),
            ..ObjectMeta::default()
        };
        let pods = pods_of
            .get(&(e.namespace.as_deref(), e.name.as_str()))
            .cloned()
            .unwrap_or_default();
        let f = job_finding(ctx, &meta, None, &e.reason, &e.message, Some(e), &pods);
        out.push((f, pods));
    }
    // Pods stopped by their own activeDeadlineSeconds, whose Job (if any) is not above.
    for (i, pv) in ctx.pods.iter().enumerate() {
        let status = pv.pod.status.as_ref();
        if pv.phase() != "Failed"
            || status.and_then(|s| s.reason.as_deref()) != Some("DeadlineExceeded")
        {
            continue;
        }
        let job = controller_of(&pv.pod.metadata).filter(|o| o.kind == "Job");
        if job.is_some_and(|o| seen.contains(&(pv.namespace, o.name.as_str()))) {
            continue;
        }
        let deadline = pv.spec().and_then(|s| s.active_deadline_seconds);
        let mut f = pv.finding(
            "job.failed",
            Severity::Error,
            None,
            format!(
                "{} was stopped by its activeDeadlineSeconds{}",
                if pv.workload.is_some() {
                    format!("Pod {} of {}", pv.name, pv.subject())
                } else {
                    format!("Pod {}", pv.name)
                },
                deadline.map(|d| format!(" ({d}s)")).unwrap_or_default()
            ),
        );
        f.evidence.push(ev("status.reason", "DeadlineExceeded"));
        if let Some(m) = status.and_then(|s| s.message.as_deref()) {
            f.evidence.push(ev("status.message", m));
        }
        if let Some(d) = deadline {
            f.evidence
                .push(ev("spec.activeDeadlineSeconds", d.to_string()));
        }
        f.explanation = "The pod ran longer than spec.activeDeadlineSeconds allows, so the kubelet killed it and marked it Failed. Either the work takes longer than the deadline or it hangs (waiting on a lock, a network call without a timeout).".to_owned();
        f.remediation.push(step(
            "Read how far it got.",
            vec![format!("kubectl logs {} {}", pv.name, pv.ns_flag())],
        ));
        let more = deadline.map_or(3600, |d| d.saturating_mul(2));
        let patch = pv.wrap_template(&format!("{{\"activeDeadlineSeconds\":{more}}}"));
        f.remediation.push(patch_step(
            format!(
                "Raise activeDeadlineSeconds to what the work really needs ({more}s here), or make it finish (timeouts on external calls). {}",
                pv.apply_hint()
            ),
            pv.workload_command(pv.patch_command(&patch)),
            patch,
        ));
        out.push((f, vec![i]));
    }
    for (f, pods) in out {
        // Pods with no cause of their own are explained by this finding.
        let unexplained: Vec<usize> = pods
            .iter()
            .copied()
            .filter(|&i| !ctx.pod_claimed(i))
            .collect();
        ctx.shared_finding(&unexplained, f);
    }
}

#[allow(clippy::too_many_arguments)]
fn job_finding(
    ctx: &Ctx<'_>,
    meta: &ObjectMeta,
    job: Option<&Job>,
    reason: &str,
    message: &str,
    event: Option<&EventRec>,
    pods: &[usize],
) -> Finding {
    let name = meta.name.as_deref().unwrap_or("");
    let ns = meta.namespace.as_deref();
    let cron = controller_of(meta)
        .filter(|o| o.kind == "CronJob")
        .map(|o| o.name.clone());
    let workload = WorkloadRef {
        kind: if cron.is_some() { "CronJob" } else { "Job" }.to_owned(),
        namespace: ns.map(str::to_owned),
        name: cron.clone().unwrap_or_else(|| name.to_owned()),
    };
    let spec = job.and_then(|j| j.spec.as_ref());
    let status = job.and_then(|j| j.status.as_ref());
    let what = match reason {
        "BackoffLimitExceeded" => format!(
            "{} pod failure(s) exceeded its backoffLimit{}",
            status
                .and_then(|s| s.failed)
                .map_or_else(|| "its".to_owned(), |n| n.to_string()),
            spec.and_then(|s| s.backoff_limit)
                .map(|b| format!(" of {b}"))
                .unwrap_or_default()
        ),
        "DeadlineExceeded" => format!(
            "it ran longer than its activeDeadlineSeconds{}",
            spec.and_then(|s| s.active_deadline_seconds)
                .map(|d| format!(" ({d}s)"))
                .unwrap_or_default()
        ),
        "PodFailurePolicy" => "a pod failure matched its podFailurePolicy FailJob rule".to_owned(),
        _ => reason.to_owned(),
    };
    // The root causes found on its pods.
    let mut causes: Vec<(&'static str, String)> = Vec::new();
    for &i in pods {
        for f in ctx.findings_for_pod(i) {
            if !causes.iter().any(|(id, _)| *id == f.id) {
                causes.push((f.id, f.title.clone()));
            }
        }
    }
    let mut ends: Vec<String> = Vec::new();
    for &i in pods {
        let Some(pv) = ctx.pods.get(i) else { continue };
        if pv.phase() != "Failed" {
            continue;
        }
        for c in &pv.containers {
            if let Some(t) = c
                .status
                .and_then(|s| s.state.as_ref())
                .and_then(|s| s.terminated.as_ref())
                && t.exit_code != 0
            {
                ends.push(format!(
                    "{}: container {} exited {}{}",
                    pv.name,
                    c.name,
                    t.exit_code,
                    t.reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                ));
            }
        }
        if let Some(r) = pv.pod.status.as_ref().and_then(|s| s.reason.as_deref()) {
            ends.push(format!("{}: {r}", pv.name));
        }
    }
    ends.sort();
    ends.dedup();
    let title = format!(
        "Job {name}{} failed: {what}",
        cron.as_deref()
            .map(|c| format!(" (of CronJob {c})"))
            .unwrap_or_default()
    );
    let mut f = Finding {
        id: "job.failed",
        severity: Severity::Error,
        title: crate::text::capitalise(&title),
        object: ObjectRef {
            kind: "Job".into(),
            namespace: ns.map(str::to_owned),
            name: name.to_owned(),
            container: None,
        },
        workload: Some(workload),
        pods: pods
            .iter()
            .filter_map(|&i| ctx.pods.get(i))
            .map(|p| p.name.to_owned())
            .collect(),
        explanation: String::new(),
        evidence: Vec::new(),
        remediation: Vec::new(),
    };
    match event {
        Some(e) => f.evidence.push(event_ev(e)),
        None => {
            f.evidence
                .push(ev("status.conditions[Failed].reason", reason));
            if !message.is_empty() {
                f.evidence
                    .push(ev("status.conditions[Failed].message", message));
            }
        }
    }
    if let Some(s) = status {
        f.evidence.push(ev(
            "status",
            format!(
                "succeeded: {}, failed: {}, active: {}",
                s.succeeded.unwrap_or(0),
                s.failed.unwrap_or(0),
                s.active.unwrap_or(0)
            ),
        ));
    }
    if let Some(b) = spec.and_then(|s| s.backoff_limit) {
        f.evidence.push(ev("spec.backoffLimit", b.to_string()));
    }
    if let Some(d) = spec.and_then(|s| s.active_deadline_seconds) {
        f.evidence
            .push(ev("spec.activeDeadlineSeconds", d.to_string()));
    }
    for e in ends.iter().take(5) {
        f.evidence.push(ev("pods", e.clone()));
    }
    let cause_txt = if causes.is_empty() && reason == "DeadlineExceeded" {
        format!(
            " Its pods were stopped by the Job controller when the deadline passed{}: those exits are the deadline's doing. The question is why the work takes longer than allowed (more data, a slow dependency, a hang).",
            if ends.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    ends.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
                )
            }
        )
    } else if causes.is_empty() {
        if ends.is_empty() {
            " The input has none of its failed pods; their logs say why they failed.".to_owned()
        } else {
            format!(
                " Its pods ended so: {}.",
                ends.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
            )
        }
    } else {
        format!(
            " The pods' own cause: {}.",
            causes
                .iter()
                .map(|(id, t)| format!("{t} [{id}]"))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    f.explanation = format!(
        "The Job gave up: {what}. Kubernetes stops creating pods for it and it will not run again by itself{}.{cause_txt}",
        if cron.is_some() {
            " (its CronJob starts a new Job at the next schedule)"
        } else {
            ""
        }
    );
    let nsf = ns_flag(ns);
    let sel = format!("kubectl logs -l job-name={name} {nsf} --all-containers --tail=50");
    f.remediation.push(step(
        if reason == "DeadlineExceeded" {
            "See how far the work got before it was stopped."
        } else {
            "Fix the pods' own cause first (see the findings on its pods, or their logs)."
        },
        vec![sel, format!("kubectl describe job {name} {nsf}")],
    ));
    match reason {
        "DeadlineExceeded" => {
            let deadline = spec.and_then(|s| s.active_deadline_seconds);
            match (&cron, deadline) {
                (Some(c), Some(d)) => {
                    let patch = format!("{{\"spec\":{{\"jobTemplate\":{{\"spec\":{{\"activeDeadlineSeconds\":{}}}}}}}}}", d.saturating_mul(2));
                    f.remediation.push(patch_step(
                        format!("If the work simply needs longer than {d}s, raise activeDeadlineSeconds in CronJob {c}'s job template (to {}s here); if it hangs, add timeouts to what it waits on. The next scheduled Job uses the new value.", d.saturating_mul(2)),
                        vec![format!("kubectl patch cronjob/{c} {nsf} --type=merge -p '{patch}'")],
                        patch,
                    ));
                }
                _ => f.remediation.push(step(
                    "If the work simply needs longer, raise spec.activeDeadlineSeconds in the Job's manifest; if it hangs, add timeouts. A Job's spec cannot be changed in place: delete and recreate it.",
                    vec![format!("kubectl delete job {name} {nsf} && kubectl apply -f {name}.yaml   # the Job's own manifest")],
                )),
            }
        }
        _ => f.remediation.push(step(
            "Once fixed, run it again: a failed Job is not retried. Delete and recreate it from the manifest (raise spec.backoffLimit only if failures are expected and transient).",
            match &cron {
                Some(c) => vec![format!("kubectl create job {name}-retry --from=cronjob/{c} {nsf}")],
                None => vec![format!("kubectl delete job {name} {nsf} && kubectl apply -f {name}.yaml   # the Job's own manifest")],
            },
        )),
    }
    f
}

/// What a `FailedCreate` message says.
enum Denial {
    Quota(QuotaMsg),
    MustSpecify {
        quota: String,
        fields: String,
    },
    PodSecurity {
        level: String,
        violations: Vec<String>,
    },
    Webhook {
        name: String,
        reason: String,
    },
    LimitRange(String),
    ServiceAccount(String),
    Forbidden(String),
}

#[derive(Debug, PartialEq, Eq)]
struct QuotaMsg {
    name: String,
    requested: Vec<(String, String)>,
    used: Vec<(String, String)>,
    limited: Vec<(String, String)>,
}

fn pairs(s: &str) -> Vec<(String, String)> {
    s.split(',')
        .filter_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

fn parse_quota(msg: &str) -> Option<QuotaMsg> {
    let lower = msg.to_ascii_lowercase();
    let i = lower.find("exceeded quota: ")?;
    let rest = msg.get(i + "exceeded quota: ".len()..)?;
    let (name, rest) = rest.split_once(", requested: ")?;
    let (req, rest) = rest.split_once(", used: ")?;
    let (used, limited) = rest.split_once(", limited: ")?;
    let limited = limited.split_whitespace().next().unwrap_or("");
    Some(QuotaMsg {
        name: name.trim().to_owned(),
        requested: pairs(req),
        used: pairs(used),
        limited: pairs(limited.trim_end_matches(['.', '"'])),
    })
}

fn classify(msg: &str) -> Option<Denial> {
    if let Some(q) = parse_quota(msg) {
        return Some(Denial::Quota(q));
    }
    if let Some(i) = msg.find("failed quota: ") {
        let rest = msg.get(i + "failed quota: ".len()..)?;
        let (quota, fields) = rest.split_once(": ").unwrap_or((rest, ""));
        return Some(Denial::MustSpecify {
            quota: quota.trim().to_owned(),
            fields: fields
                .trim()
                .trim_start_matches("must specify ")
                .trim_end_matches('.')
                .to_owned(),
        });
    }
    if let Some(i) = msg.find("violates PodSecurity \"") {
        let rest = msg.get(i + "violates PodSecurity \"".len()..)?;
        let (level, rest) = rest.split_once('"').unwrap_or((rest, ""));
        let body = rest.trim_start_matches(':').trim();
        return Some(Denial::PodSecurity {
            level: level.to_owned(),
            violations: split_violations(body),
        });
    }
    if let Some(i) = msg.find("admission webhook \"") {
        let rest = msg.get(i + "admission webhook \"".len()..)?;
        let (name, rest) = rest.split_once('"').unwrap_or((rest, ""));
        let reason = rest
            .split_once("denied the request:")
            .map_or(rest, |(_, r)| r)
            .trim();
        return Some(Denial::Webhook {
            name: name.to_owned(),
            reason: reason.to_owned(),
        });
    }
    if let Some(i) = msg.find("failed calling webhook \"") {
        let rest = msg.get(i + "failed calling webhook \"".len()..)?;
        let (name, rest) = rest.split_once('"').unwrap_or((rest, ""));
        return Some(Denial::Webhook {
            name: name.to_owned(),
            reason: format!(
                "the webhook could not be called and fails closed: {}",
                rest.trim_start_matches(':').trim()
            ),
        });
    }
    if msg.contains("usage per Container is")
        || msg.contains("usage per Pod is")
        || msg.contains("limit to request ratio per")
    {
        let body = msg.split_once("is forbidden: ").map_or(msg, |(_, b)| b);
        return Some(Denial::LimitRange(body.trim().to_owned()));
    }
    if msg.contains("serviceaccount \"") && msg.contains("not found") {
        let sa = msg
            .split("serviceaccount \"")
            .nth(1)?
            .split('"')
            .next()?
            .to_owned();
        return Some(Denial::ServiceAccount(sa));
    }
    if msg.contains("is forbidden") {
        let body = msg.split_once("is forbidden: ").map_or(msg, |(_, b)| b);
        return Some(Denial::Forbidden(body.trim().to_owned()));
    }
    None
}

/// `a (container "x" must …), b (…)` → the violations, split at top-level commas.
fn split_violations(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in body.chars() {
        match ch {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth <= 0 => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_owned());
                }
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

/// The Deployment a ReplicaSet name points to (`<deployment>-<hash>`).
fn deployment_of_rs(name: &str) -> Option<&str> {
    const SAFE: &str = "bcdfghjklmnpqrstvwxz2456789";
    let (d, hash) = name.rsplit_once('-')?;
    ((6..=10).contains(&hash.len())
        && hash.chars().all(|c| SAFE.contains(c))
        && !hash.bytes().all(|b| b.is_ascii_digit())
        && !d.is_empty())
    .then_some(d)
}

/// `create.denied` and `quota.exceeded`.
pub(crate) fn denials(ctx: &mut Ctx<'_>) {
    let snap = ctx.snap;
    const KINDS: &[&str] = &[
        "ReplicaSet",
        "ReplicationController",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
    ];
    // (kind, ns, name, id) → index in `out`.
    let mut seen: HashMap<(String, Option<String>, String, &'static str), usize> = HashMap::new();
    let mut out: Vec<Finding> = Vec::new();
    let ctrls = controllers(snap);
    let find = |kind: &str, ns: Option<&str>, name: &str| -> Option<Ctrl<'_>> {
        let k = *KINDS.iter().find(|k| **k == kind)?;
        ctrls.get(&(k, ns, name)).copied()
    };
    let mut handle = |kind: &str,
                      meta: ObjectMeta,
                      msg: &str,
                      evidence: crate::Evidence,
                      count: i64,
                      out: &mut Vec<Finding>|
     -> Option<usize> {
        let d = classify(msg)?;
        let id = match d {
            Denial::Quota(_) | Denial::MustSpecify { .. } => "quota.exceeded",
            _ => "create.denied",
        };
        let name = meta.name.clone().unwrap_or_default();
        let key = (kind.to_owned(), meta.namespace.clone(), name.clone(), id);
        if let Some(&at) = seen.get(&key) {
            return Some(at);
        }
        seen.insert(key, out.len());
        let workload = workload_of(snap, kind, &meta);
        let ctrl = find(kind, meta.namespace.as_deref(), &name);
        let f = denial_finding(snap, ctrl, kind, &meta, workload, d, msg, evidence, count);
        out.push(f);
        Some(out.len() - 1)
    };
    // The newest successful creation per controller: a refusal older than it is history.
    let mut created: HashMap<(&str, Option<&str>, &str), crate::Timestamp> = HashMap::new();
    for e in &snap.events {
        if e.reason == "SuccessfulCreate"
            && let Some(t) = e.last_seen
        {
            let k = (e.kind.as_str(), e.namespace.as_deref(), e.name.as_str());
            if created.get(&k).is_none_or(|old| *old < t) {
                created.insert(k, t);
            }
        }
    }
    // Pods that only stand for a pasted FailedCreate line: (finding, pod) to claim.
    let mut claims: Vec<(usize, usize)> = Vec::new();
    let mut pod_at: Option<HashMap<(Option<&str>, &str), usize>> = None;
    for e in &snap.events {
        if e.reason != "FailedCreate" {
            continue;
        }
        if !KINDS.contains(&e.kind.as_str()) {
            // A refusal attached to a pod (or to nothing): the pod name in the message
            // (`pods "web-7d9c-" is forbidden`) and the reporting controller say whose.
            let Some((kind, name)) = controller_from_message(e) else {
                continue;
            };
            let meta = ObjectMeta {
                name: Some(name),
                namespace: e.namespace.clone(),
                ..ObjectMeta::default()
            };
            if let Some(at) = handle(kind, meta, &e.message, event_ev(e), e.count, &mut out)
                && e.kind == "Pod"
            {
                let pods = pod_at.get_or_insert_with(|| {
                    ctx.pods
                        .iter()
                        .enumerate()
                        .map(|(i, p)| ((p.namespace, p.name), i))
                        .collect()
                });
                if let Some(&i) = pods.get(&(e.namespace.as_deref(), e.name.as_str())) {
                    claims.push((at, i));
                }
            }
            continue;
        }
        let later_success = created
            .get(&(e.kind.as_str(), e.namespace.as_deref(), e.name.as_str()))
            .is_some_and(|t| e.last_seen.is_some_and(|f| f < *t));
        let ctrl = find(&e.kind, e.namespace.as_deref(), &e.name);
        let all_created = ctrl
            .and_then(Ctrl::replicas)
            .is_some_and(|(have, want)| have >= want);
        if later_success || all_created {
            continue;
        }
        let meta = ObjectMeta {
            name: Some(e.name.clone()),
            namespace: e.namespace.clone(),
            ..ctrl.map(|c| c.meta().clone()).unwrap_or_default()
        };
        handle(&e.kind, meta, &e.message, event_ev(e), e.count, &mut out);
    }
    for rs in &snap.replica_sets {
        for c in rs.status.iter().flat_map(|s| s.conditions.iter().flatten()) {
            if c.type_.as_deref() == Some("ReplicaFailure")
                && c.status.as_deref() == Some("True")
                && let Some(m) = c.message.as_deref()
            {
                handle(
                    "ReplicaSet",
                    rs.metadata.clone(),
                    m,
                    ev("status.conditions[ReplicaFailure].message", m),
                    1,
                    &mut out,
                );
            }
        }
    }
    for d in &snap.deployments {
        for c in d.status.iter().flat_map(|s| s.conditions.iter().flatten()) {
            if c.type_.as_deref() == Some("ReplicaFailure")
                && c.status.as_deref() == Some("True")
                && let Some(m) = c.message.as_deref()
            {
                handle(
                    "Deployment",
                    d.metadata.clone(),
                    m,
                    ev("status.conditions[ReplicaFailure].message", m),
                    1,
                    &mut out,
                );
            }
        }
    }
    for (at, f) in out.into_iter().enumerate() {
        let pods: Vec<usize> = claims
            .iter()
            .filter(|(a, _)| *a == at)
            .map(|(_, p)| *p)
            .collect();
        ctx.shared_finding(&pods, f);
    }
}

/// The controller behind a `FailedCreate` line that is not attached to it: its kind from
/// the reporting component, its name from the refused pod's name in the message.
fn controller_from_message(e: &EventRec) -> Option<(&'static str, String)> {
    let kind = match e.source.as_str() {
        "replication-controller" | "replicationmanager" => "ReplicationController",
        "statefulset-controller" => "StatefulSet",
        "daemonset-controller" => "DaemonSet",
        "job-controller" => "Job",
        "cronjob-controller" => "CronJob",
        _ => "ReplicaSet",
    };
    // A refusal that names no pod (`admission webhook "x" denied the request: …` pasted
    // alone) is still a controller's: one the input does not name.
    let Some(pod) = e
        .message
        .split("pods \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
    else {
        return Some((kind, format!("<{}>", kind.to_ascii_lowercase())));
    };
    // `web-7d9c5-` (generateName) or `web-7d9c5-x2k9p` (a name already drawn).
    let base = match pod.strip_suffix('-') {
        Some(b) => b,
        None => pod.rsplit_once('-').map_or(pod, |(b, _)| b),
    };
    (!base.is_empty()).then(|| (kind, base.to_owned()))
}

/// A controller object from the input.
#[derive(Clone, Copy)]
enum Ctrl<'s> {
    Rs(&'s k8s_openapi::api::apps::v1::ReplicaSet),
    Ss(&'s k8s_openapi::api::apps::v1::StatefulSet),
    Ds(&'s k8s_openapi::api::apps::v1::DaemonSet),
    Rc(&'s k8s_openapi::api::core::v1::ReplicationController),
    Job(&'s Job),
}

/// Controllers by (kind, namespace, name), built once.
type Controllers<'s> = HashMap<(&'static str, Option<&'s str>, &'s str), Ctrl<'s>>;

fn controllers(snap: &crate::Snapshot) -> Controllers<'_> {
    let mut m: Controllers<'_> = HashMap::new();
    fn key<'a>(
        kind: &'static str,
        meta: &'a ObjectMeta,
    ) -> Option<(&'static str, Option<&'a str>, &'a str)> {
        Some((kind, meta.namespace.as_deref(), meta.name.as_deref()?))
    }
    for x in &snap.replica_sets {
        if let Some(k) = key("ReplicaSet", &x.metadata) {
            m.insert(k, Ctrl::Rs(x));
        }
    }
    for x in &snap.stateful_sets {
        if let Some(k) = key("StatefulSet", &x.metadata) {
            m.insert(k, Ctrl::Ss(x));
        }
    }
    for x in &snap.daemon_sets {
        if let Some(k) = key("DaemonSet", &x.metadata) {
            m.insert(k, Ctrl::Ds(x));
        }
    }
    for x in &snap.replication_controllers {
        if let Some(k) = key("ReplicationController", &x.metadata) {
            m.insert(k, Ctrl::Rc(x));
        }
    }
    for x in &snap.jobs {
        if let Some(k) = key("Job", &x.metadata) {
            m.insert(k, Ctrl::Job(x));
        }
    }
    m
}

impl<'s> Ctrl<'s> {
    fn meta(self) -> &'s ObjectMeta {
        match self {
            Ctrl::Rs(x) => &x.metadata,
            Ctrl::Ss(x) => &x.metadata,
            Ctrl::Ds(x) => &x.metadata,
            Ctrl::Rc(x) => &x.metadata,
            Ctrl::Job(x) => &x.metadata,
        }
    }

    /// The pod template.
    fn template(self) -> Option<&'s k8s_openapi::api::core::v1::PodSpec> {
        match self {
            Ctrl::Rs(x) => x.spec.template.as_ref().and_then(|t| t.spec.as_ref()),
            Ctrl::Ss(x) => x.spec.template.spec.as_ref(),
            Ctrl::Ds(x) => x.spec.template.spec.as_ref(),
            Ctrl::Rc(x) => x
                .spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| t.spec.as_ref()),
            Ctrl::Job(x) => x.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
        }
    }

    /// How many pods it has now, and how many it wants (replicated controllers only).
    fn replicas(self) -> Option<(i32, i32)> {
        match self {
            Ctrl::Rs(x) => Some((x.status.as_ref()?.replicas, x.spec.replicas.unwrap_or(1))),
            Ctrl::Ss(x) => Some((x.status.as_ref()?.replicas, x.spec.replicas.unwrap_or(1))),
            Ctrl::Rc(x) => Some((
                x.status.as_ref()?.replicas,
                x.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
            )),
            Ctrl::Ds(_) | Ctrl::Job(_) => None,
        }
    }
}

fn workload_of(snap: &crate::Snapshot, kind: &str, meta: &ObjectMeta) -> WorkloadRef {
    let name = meta.name.clone().unwrap_or_default();
    let ns = meta.namespace.clone();
    if let Some(o) = controller_of(meta)
        && matches!(o.kind.as_str(), "Deployment" | "CronJob")
    {
        return WorkloadRef {
            kind: o.kind.clone(),
            namespace: ns,
            name: o.name.clone(),
        };
    }
    let _ = snap;
    if kind == "ReplicaSet"
        && meta.uid.is_none()
        && let Some(d) = deployment_of_rs(&name)
    {
        return WorkloadRef {
            kind: "Deployment".into(),
            namespace: ns,
            name: d.to_owned(),
        };
    }
    WorkloadRef {
        kind: kind.to_owned(),
        namespace: ns,
        name,
    }
}

/// A quantity for display and arithmetic: millicores for CPU keys, plain units otherwise.
fn amount(key: &str, v: &str) -> Option<i64> {
    let q = Quantity::parse(v).ok()?;
    if key.ends_with("cpu") {
        q.to_millis().ok()
    } else {
        q.to_units().ok()
    }
}

fn show(key: &str, v: i64) -> String {
    if key.ends_with("cpu") {
        format_cpu_millis(v)
    } else if key.ends_with("memory") || key.contains("storage") {
        format_bytes(v)
    } else {
        v.to_string()
    }
}

/// The pod template path of a workload kind, to wrap a pod-spec fragment.
fn wrap(kind: &str, pod_spec: &str) -> String {
    match kind {
        "CronJob" => format!(
            "{{\"spec\":{{\"jobTemplate\":{{\"spec\":{{\"template\":{{\"spec\":{pod_spec}}}}}}}}}}}"
        ),
        _ => format!("{{\"spec\":{{\"template\":{{\"spec\":{pod_spec}}}}}}}"),
    }
}

/// Containers named in a PodSecurity violation: `container "a"`, `containers "a", "b"`.
fn named_containers(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Some(i) = v.find("container") else {
        return out;
    };
    let rest = v.get(i..).unwrap_or("");
    let end = rest.find(" must").unwrap_or(rest.len());
    for (k, part) in rest.get(..end).unwrap_or("").split('"').enumerate() {
        if k % 2 == 1 && !out.contains(&part.to_owned()) {
            out.push(part.to_owned());
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn denial_finding(
    snap: &crate::Snapshot,
    ctrl: Option<Ctrl<'_>>,
    kind: &str,
    meta: &ObjectMeta,
    workload: WorkloadRef,
    d: Denial,
    msg: &str,
    evidence: crate::Evidence,
    count: i64,
) -> Finding {
    let name = meta.name.clone().unwrap_or_default();
    let ns = meta.namespace.as_deref();
    let nsf = ns_flag(ns);
    let target = format!("{}/{}", workload.kind.to_lowercase(), workload.name);
    let subject = format!("{} {}", workload.kind, workload.name);
    let editable = workload.kind != "Job";
    let mut f = Finding {
        id: "create.denied",
        severity: Severity::Error,
        title: String::new(),
        object: ObjectRef {
            kind: kind.to_owned(),
            namespace: ns.map(str::to_owned),
            name: name.clone(),
            container: None,
        },
        workload: Some(workload.clone()),
        pods: Vec::new(),
        explanation: String::new(),
        evidence: vec![evidence],
        remediation: Vec::new(),
    };
    let times = if count > 1 {
        format!(" (refused {count} times)")
    } else {
        String::new()
    };
    match d {
        Denial::Quota(q) => {
            f.id = "quota.exceeded";
            let mut over = Vec::new();
            let mut raise: Vec<String> = Vec::new();
            let mut lines = Vec::new();
            for (k, req) in &q.requested {
                let used = q
                    .used
                    .iter()
                    .find(|(x, _)| x == k)
                    .and_then(|(_, v)| amount(k, v));
                let lim = q
                    .limited
                    .iter()
                    .find(|(x, _)| x == k)
                    .and_then(|(_, v)| amount(k, v));
                let (Some(r), Some(u), Some(l)) = (amount(k, req), used, lim) else {
                    continue;
                };
                let after = u.saturating_add(r);
                lines.push(format!(
                    "{k}: {} used + {} requested = {} of {} allowed",
                    show(k, u),
                    show(k, r),
                    show(k, after),
                    show(k, l)
                ));
                if after > l {
                    over.push(format!("{k} by {}", show(k, after - l)));
                    raise.push(format!("\"{k}\":\"{}\"", show(k, after)));
                }
            }
            f.title = format!(
                "{subject} cannot create pods: ResourceQuota {} is exhausted{}{times}",
                q.name,
                if over.is_empty() {
                    String::new()
                } else {
                    format!(" ({} over)", over.join(", "))
                }
            );
            for l in &lines {
                f.evidence.push(ev(format!("quota {}", q.name), l.clone()));
            }
            let quota_obj = snap.quotas.iter().find(|r| {
                r.metadata.name.as_deref() == Some(q.name.as_str())
                    && (ns.is_none() || r.metadata.namespace.as_deref() == ns)
            });
            if let Some(st) = quota_obj.and_then(|r| r.status.as_ref()) {
                let mut keys: Vec<&String> = st.hard.iter().flat_map(|h| h.keys()).collect();
                keys.sort();
                for k in keys.into_iter().take(8) {
                    let hard = st
                        .hard
                        .as_ref()
                        .and_then(|h| h.get(k))
                        .map_or("", |q| q.0.as_str());
                    let used = st
                        .used
                        .as_ref()
                        .and_then(|h| h.get(k))
                        .map_or("0", |q| q.0.as_str());
                    f.evidence.push(ev(
                        format!("resourcequota {} status.used/hard[{k}]", q.name),
                        format!("{used} / {hard}"),
                    ));
                }
            }
            f.explanation = format!(
                "The API server refused to create the pod because the namespace's ResourceQuota {} would be exceeded: {}. The controller retries, and every retry is refused until usage drops or the quota grows; existing pods are not affected. Quotas count requests/limits of all pods in the namespace, not actual usage.",
                q.name,
                if lines.is_empty() {
                    crate::text::clip(msg, 300)
                } else {
                    lines.join("; ")
                }
            );
            f.remediation.push(step(
                format!("See what uses the quota in {}.", ns.unwrap_or("the namespace")),
                vec![format!("kubectl describe resourcequota {} {nsf}", q.name), format!("kubectl get pods {nsf} -o custom-columns=NAME:.metadata.name,REQ:.spec.containers[*].resources")],
            ));
            f.remediation.push(step(
                format!("Either lower what {subject} asks for (fewer replicas, smaller requests/limits), free quota by removing other pods, or raise the quota's spec.hard."),
                {
                                        let mut v = Vec::new();
                    if matches!(workload.kind.as_str(), "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController") {
                        let now = ctrl
                            .and_then(Ctrl::replicas)
                            .map(|(have, _)| have)
                            .map_or_else(|| "<fewer>".to_owned(), |n| n.to_string());
                        v.push(format!("kubectl scale {target} --replicas={now} {nsf}"));
                    }
                    if !raise.is_empty() {
                        v.push(format!("kubectl patch resourcequota {} {nsf} --type=merge -p '{{\"spec\":{{\"hard\":{{{}}}}}}}'", q.name, raise.join(",")));
                    }
                    v
                },
            ));
        }
        Denial::MustSpecify { quota, fields } => {
            f.id = "quota.exceeded";
            // "limits.cpu,limits.memory" or "limits.cpu for: app; limits.memory for: app"
            let mut keys: Vec<&str> = fields
                .split([',', ';', ' '])
                .filter(|k| k.contains('.') || matches!(*k, "cpu" | "memory"))
                .collect();
            keys.dedup();
            let fields = keys.join(", ");
            f.title = format!(
                "{subject} cannot create pods: ResourceQuota {quota} requires {fields} on every container{times}"
            );
            f.evidence
                .push(ev("quota", format!("{quota} tracks {fields}")));
            f.explanation = format!(
                "The namespace has a ResourceQuota ({quota}) that tracks {fields}. With such a quota every container must declare them, and the pod template does not; no LimitRange in the namespace fills in defaults."
            );
            let mut limits: Vec<String> = Vec::new();
            let mut requests: Vec<String> = Vec::new();
            for k in &keys {
                match k.split_once('.') {
                    Some(("limits", res)) => limits.push(format!("{res}=<value>")),
                    Some((_, res)) => requests.push(format!("{res}=<value>")),
                    None => requests.push(format!("{k}=<value>")),
                }
            }
            let mut set = Vec::new();
            if !requests.is_empty() {
                set.push(format!("--requests={}", requests.join(",")));
            }
            if !limits.is_empty() {
                set.push(format!("--limits={}", limits.join(",")));
            }
            f.remediation.push(step(
                format!("Set {fields} on every container of {subject}, or add a LimitRange with defaults for the namespace."),
                if editable { vec![format!("kubectl set resources {target} {nsf} {}", set.join(" "))] } else { vec![] },
            ));
            f.remediation.push(step(
                "A LimitRange gives defaults to containers that declare nothing.",
                vec![
                    format!("kubectl describe resourcequota {quota} {nsf}"),
                    format!("kubectl get limitrange {nsf}"),
                ],
            ));
        }
        Denial::PodSecurity { level, violations } => {
            let ns_name = ns.unwrap_or("<namespace>");
            f.title = format!(
                "{subject} cannot create pods: they violate the namespace's PodSecurity level \"{level}\"{times}"
            );
            for v in violations.iter().take(8) {
                f.evidence.push(ev("violation", v.clone()));
            }
            // The patch: the usual restricted-profile fields, for the containers named.
            let mut containers: Vec<String> = Vec::new();
            let mut pod_sc: Vec<&str> = Vec::new();
            let mut c_sc: Vec<&str> = Vec::new();
            for v in &violations {
                for c in named_containers(v) {
                    if !containers.contains(&c) {
                        containers.push(c);
                    }
                }
                if v.starts_with("allowPrivilegeEscalation") {
                    c_sc.push("\"allowPrivilegeEscalation\":false");
                } else if v.starts_with("unrestricted capabilities") {
                    c_sc.push("\"capabilities\":{\"drop\":[\"ALL\"]}");
                } else if v.starts_with("runAsNonRoot") {
                    pod_sc.push("\"runAsNonRoot\":true");
                } else if v.starts_with("seccompProfile") {
                    pod_sc.push("\"seccompProfile\":{\"type\":\"RuntimeDefault\"}");
                } else if v.starts_with("privileged") {
                    c_sc.push("\"privileged\":false");
                }
            }
            pod_sc.dedup();
            c_sc.dedup();
            f.explanation = format!(
                "Namespace {ns_name} enforces the Pod Security Standard \"{level}\" (label pod-security.kubernetes.io/enforce), and the pod template breaks it, so the API server refuses every pod the controller tries to create. Violations: {} (each with its container and field in the evidence). No pod exists to look at; the fix is in the template.",
                violations
                    .iter()
                    .map(|v| v.split(" (").next().unwrap_or(v).trim())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            let mut parts = Vec::new();
            if !pod_sc.is_empty() {
                parts.push(format!("\"securityContext\":{{{}}}", pod_sc.join(",")));
            }
            if !c_sc.is_empty() && !containers.is_empty() {
                let cs: Vec<String> = containers
                    .iter()
                    .map(|c| {
                        format!(
                            "{{\"name\":{},\"securityContext\":{{{}}}}}",
                            serde_json::Value::String(c.clone()),
                            c_sc.join(",")
                        )
                    })
                    .collect();
                parts.push(format!("\"containers\":[{}]", cs.join(",")));
            }
            if parts.is_empty() {
                f.remediation.push(step(
                    "Change the pod template so it meets the level (each violation above names the field), or run it in a namespace with a less strict level.",
                    vec![format!("kubectl get ns {ns_name} --show-labels")],
                ));
            } else {
                let patch = wrap(&workload.kind, &format!("{{{}}}", parts.join(",")));
                f.remediation.push(patch_step(
                    "Set the fields the level requires in the pod template (containers that really need root or extra capabilities cannot run under this level: adjust the image instead).",
                    if editable { vec![format!("kubectl patch {target} {nsf} --type=strategic -p '{patch}'")] } else { vec![] },
                    patch,
                ));
            }
            f.remediation.push(step(
                format!("Check the namespace's level; lowering it (for example to baseline) loosens protection for every pod in {ns_name}, so prefer fixing the template."),
                vec![format!("kubectl get ns {ns_name} --show-labels")],
            ));
        }
        Denial::Webhook { name: hook, reason } => {
            f.title = format!(
                "{subject} cannot create pods: admission webhook {hook} denies them{times}"
            );
            f.explanation = format!(
                "A validating admission webhook ({hook}) rejects every pod the controller tries to create, with: {}. The policy lives outside the workload (Gatekeeper, Kyverno or a custom webhook); either change the template to satisfy it or get an exception from the policy owner.",
                crate::text::clip(&reason, 400)
            );
            f.remediation.push(step(
                format!("Find the webhook and the policy behind {hook}."),
                vec![
                    "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations".to_owned(),
                    "kubectl get constraints -o wide 2>/dev/null; kubectl get clusterpolicies,policies -A 2>/dev/null".to_owned(),
                ],
            ));
            let down = reason.starts_with("the webhook could not be called");
            if down {
                f.title = format!(
                    "{subject} cannot create pods: admission webhook {hook} is unreachable and fails closed{times}"
                );
                f.remediation.push(step(
                    "Bring the webhook's service back (its pods, endpoints and certificate), or, if the policy engine is gone for good, delete its webhook configuration; a failurePolicy of Ignore trades safety for availability.",
                    vec![
                        "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations -o wide".to_owned(),
                        "kubectl get endpoints -A | grep -i webhook".to_owned(),
                    ],
                ));
                return f;
            }
            // Gatekeeper's "[constraint] you must provide labels: {"team"}".
            let constraint = reason
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .map(|(c, _)| c.to_owned());
            if let Some(c) = &constraint {
                f.evidence.push(ev("constraint", c.clone()));
            }
            let labels: Vec<String> = reason
                .split_once("must provide labels: {")
                .and_then(|(_, r)| r.split_once('}'))
                .map(|(l, _)| {
                    l.split(',')
                        .map(|x| x.trim().trim_matches('"').to_owned())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            if labels.is_empty() || !editable {
                f.remediation.push(step(
                    format!("Change the pod template of {subject} to meet the policy the message names{}.", constraint.as_deref().map(|c| format!(" (constraint {c})")).unwrap_or_default()),
                    vec![format!("kubectl edit {target} {nsf}")],
                ));
            } else {
                let body: Vec<String> = labels
                    .iter()
                    .map(|l| format!("{}:\"<value>\"", serde_json::Value::String(l.clone())))
                    .collect();
                let patch = if workload.kind == "CronJob" {
                    format!(
                        "{{\"spec\":{{\"jobTemplate\":{{\"spec\":{{\"template\":{{\"metadata\":{{\"labels\":{{{}}}}}}}}}}}}}}}",
                        body.join(",")
                    )
                } else {
                    format!(
                        "{{\"spec\":{{\"template\":{{\"metadata\":{{\"labels\":{{{}}}}}}}}}}}",
                        body.join(",")
                    )
                };
                f.remediation.push(patch_step(
                    format!("Add the label(s) {} to the pod template of {subject}, with the values your policy expects.", labels.join(", ")),
                    vec![format!("kubectl patch {target} {nsf} --type=merge -p '{patch}'")],
                    patch,
                ));
            }
        }
        Denial::LimitRange(body) => {
            f.title = format!(
                "{subject} cannot create pods: a LimitRange rejects their resources{times}"
            );
            f.explanation = format!(
                "A LimitRange in the namespace bounds container resources and the pod template is outside the bound: {}. Each pod is refused at creation.",
                crate::text::clip(&body, 400)
            );
            // "maximum cpu usage per Container is 1, but limit is 2"
            let (res, bound) = body
                .split("usage per")
                .next()
                .and_then(|h| h.split_whitespace().last())
                .zip(body.split(" is ").nth(1).and_then(|b| b.split(',').next()))
                .map_or(("<resource>", "<bound>"), |(r, b)| (r, b.trim()));
            let limit = body.contains("but limit is");
            let flag = if limit { "--limits" } else { "--requests" };
            let field = if limit { "limits" } else { "requests" };
            // The value the API server saw: "…, but limit is 2".
            let seen = body
                .split(if limit {
                    "but limit is "
                } else {
                    "but request is "
                })
                .nth(1)
                .and_then(|v| v.split([',', ']', ' ']).next())
                .unwrap_or("");
            // Which containers of the template carry it.
            let offenders: Vec<String> = ctrl
                .and_then(Ctrl::template)
                .map(|spec| {
                    spec.containers
                        .iter()
                        .filter(|c| {
                            c.resources
                                .as_ref()
                                .and_then(|r| {
                                    if limit {
                                        r.limits.as_ref()
                                    } else {
                                        r.requests.as_ref()
                                    }
                                })
                                .and_then(|m| m.get(res))
                                .is_some_and(|q| q.0 == seen)
                        })
                        .map(|c| c.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            for c in &offenders {
                f.evidence.push(ev(
                    format!("spec.template.spec.containers[{c}].resources.{field}.{res}"),
                    seen,
                ));
            }
            let c_flag = match offenders.as_slice() {
                [one] => format!(" -c {one}"),
                _ => String::new(),
            };
            let who = if offenders.is_empty() {
                "the containers".to_owned()
            } else {
                format!("container {}", offenders.join(", "))
            };
            f.remediation.push(step(
                format!(
                    "Bring {field}.{res} of {who} within the LimitRange ({bound}; the template has {seen}), or change the LimitRange if the bound is wrong.{}",
                    if editable { String::new() } else { " A Job's pod template cannot change: fix the manifest, delete the Job and create it again.".to_owned() }
                ),
                {
                    let mut v = vec![format!("kubectl describe limitrange {nsf}")];
                    if editable {
                        v.push(format!("kubectl set resources {target}{c_flag} {nsf} {flag}={res}={bound}"));
                    }
                    v
                },
            ));
        }
        Denial::ServiceAccount(sa) => {
            f.title =
                format!("{subject} cannot create pods: ServiceAccount {sa} does not exist{times}");
            f.explanation = format!(
                "The pod template names serviceAccountName {sa}, and no such ServiceAccount exists in namespace {}, so the API server refuses the pods.",
                ns.unwrap_or("the namespace")
            );
            f.remediation.push(step(
                format!("Create the ServiceAccount (with the RBAC it needs), or fix serviceAccountName in the template of {subject}."),
                vec![format!("kubectl create serviceaccount {sa} {nsf}")],
            ));
        }
        Denial::Forbidden(body) => {
            f.title = format!("{subject} cannot create pods: the API server forbids them{times}");
            f.explanation = format!(
                "The API server refuses the pods the controller creates: {}. An admission policy (SecurityContextConstraints, PodSecurityPolicy or another admission plugin) rejects the template.",
                crate::text::clip(&body, 400)
            );
            f.remediation.push(step(
                "Read the controller's events and change the template (or the policy) accordingly.",
                vec![format!(
                    "kubectl describe {} {name} {nsf}",
                    kind.to_lowercase()
                )],
            ));
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quota_messages() {
        let q = parse_quota("Error creating: pods \"test-1-\" is forbidden: Exceeded quota: compute-resources, requested: limits.cpu=384m,limits.memory=512Mi, used: limits.cpu=384m,limits.memory=512Mi, limited: limits.cpu=384m,limits.memory=512Mi").unwrap();
        assert_eq!(q.name, "compute-resources");
        assert_eq!(q.requested.len(), 2);
        assert_eq!(q.limited[1], ("limits.memory".into(), "512Mi".into()));
        assert!(matches!(
            classify(
                "pods \"x\" is forbidden: failed quota: q: must specify limits.cpu,limits.memory"
            ),
            Some(Denial::MustSpecify { .. })
        ));
    }

    #[test]
    fn splits_pod_security_violations() {
        let Some(Denial::PodSecurity { level, violations }) = classify(
            "pods \"a-1\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"app\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"app\" must set securityContext.runAsNonRoot=true)",
        ) else {
            panic!("not pod security")
        };
        assert_eq!(level, "restricted:latest");
        assert_eq!(violations.len(), 3);
        assert_eq!(named_containers(&violations[0]), vec!["app".to_owned()]);
        assert_eq!(deployment_of_rs("web-5d8f7c9b4"), Some("web"));
    }

    #[test]
    fn reads_controller_and_webhook_outages_from_messages() {
        let e = EventRec {
            kind: "Pod".into(),
            reason: "FailedCreate".into(),
            message: "Error creating: pods \"test-1-\" is forbidden: exceeded quota: q, requested: cpu=1, used: cpu=1, limited: cpu=1".into(),
            source: "replication-controller".into(),
            ..EventRec::default()
        };
        assert_eq!(
            controller_from_message(&e),
            Some(("ReplicationController", "test-1".to_owned()))
        );
        assert!(matches!(
            classify(
                "Internal error occurred: failed calling webhook \"validate.kyverno.svc\": Post \"https://kyverno-svc.kyverno.svc:443/validate\": dial tcp 10.96.0.12:443: connect: connection refused"
            ),
            Some(Denial::Webhook { .. })
        ));
        assert!(matches!(
            classify("pods \"x\" is forbidden: error looking up service account ns/sa: serviceaccount \"sa\" not found"),
            Some(Denial::ServiceAccount(sa)) if sa == "sa"
        ));
    }
}
