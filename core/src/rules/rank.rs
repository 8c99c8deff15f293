//! One cause, one finding; most important first.

use crate::Finding;
use std::collections::HashMap;

/// Where an id stands in the chain of causes: lower explains higher.
fn cause_rank(id: &str) -> u8 {
    match id {
        _ if id.starts_with("node.") => 0,
        "rollout.stuck" | "job.failed" => 4,
        // Pod and workload causes of the node/workload family: before any `sched.*`.
        "evicted.ephemeral-storage"
        | "evicted.memory"
        | "evicted.other"
        | "terminating.stuck"
        | "create.denied"
        | "quota.exceeded" => 1,
        // The crash loop's fallback ("the cause is in its own output"): after a crash
        // loop whose cause is known, as in a pod of the same workload whose logs name it.
        "crashloop.app-error" => 2,
        // Context: after the causes it gives background to.
        "resources.overcommitted" => 5,
        "other.unrecognized" => 5,
        _ if id.starts_with("sched.") => 3,
        _ => 1,
    }
}

/// Merge findings of one cause across the pods of one workload (same id, workload and
/// container: the pods are listed on one finding), then order them: severity, root cause
/// before the findings it explains, then by object for a stable order.
pub(crate) fn merge_and_order(findings: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut index: HashMap<(&'static str, String, Option<String>), usize> = HashMap::new();
    let mut listed: std::collections::HashSet<(usize, String)> = std::collections::HashSet::new();
    for f in findings {
        let owner = match &f.workload {
            Some(w) => format!(
                "{}/{}/{}",
                w.kind,
                w.namespace.as_deref().unwrap_or(""),
                w.name
            ),
            None => format!(
                "{}/{}/{}",
                f.object.kind,
                f.object.namespace.as_deref().unwrap_or(""),
                f.object.name
            ),
        };
        let key = (f.id, owner, f.object.container.clone());
        match index.get(&key).copied() {
            Some(i) => {
                let Some(existing) = merged.get_mut(i) else {
                    continue;
                };
                existing.severity = existing.severity.min(f.severity);
                for p in f.pods {
                    if listed.insert((i, p.clone())) {
                        existing.pods.push(p);
                    }
                }
            }
            None => {
                let i = merged.len();
                index.insert(key, i);
                for p in &f.pods {
                    listed.insert((i, p.clone()));
                }
                merged.push(f);
            }
        }
    }
    for f in &mut merged {
        f.pods.sort();
        if f.pods.len() > 1 {
            let n = f.pods.len();
            f.title = format!("{} ({n} pods)", f.title);
        }
    }
    merged.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.severity,
                cause_rank(f.id),
                f.workload
                    .as_ref()
                    .map(|w| (w.namespace.clone(), w.name.clone())),
                f.object.namespace.clone(),
                f.object.name.clone(),
                f.object.container.clone(),
                f.id,
            )
        };
        key(a).cmp(&key(b))
    });
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ObjectRef, Severity, WorkloadRef};

    fn f(id: &'static str, sev: Severity, pod: &str, wl: Option<&str>) -> Finding {
        Finding {
            id,
            severity: sev,
            title: format!("{id} {pod}"),
            object: ObjectRef {
                kind: "Pod".into(),
                namespace: Some("ns".into()),
                name: pod.into(),
                container: Some("app".into()),
            },
            workload: wl.map(|w| WorkloadRef {
                kind: "Deployment".into(),
                namespace: Some("ns".into()),
                name: w.into(),
            }),
            pods: vec![pod.into()],
            explanation: String::new(),
            evidence: vec![],
            remediation: vec![],
        }
    }

    #[test]
    fn a_known_crash_cause_comes_before_the_fallback() {
        let out = merge_and_order(vec![
            f("crashloop.app-error", Severity::Error, "web-a", None),
            f("crashloop.exec-format", Severity::Error, "web-b", None),
            f("sched.taint", Severity::Error, "web-c", None),
        ]);
        let ids: Vec<_> = out.iter().map(|f| f.id).collect();
        assert_eq!(
            ids,
            [
                "crashloop.exec-format",
                "crashloop.app-error",
                "sched.taint"
            ]
        );
    }

    #[test]
    fn one_finding_per_workload_and_cause() {
        let out = merge_and_order(vec![
            f("oom-killed", Severity::Error, "web-b", Some("web")),
            f("oom-killed", Severity::Error, "web-a", Some("web")),
            f("oom-killed", Severity::Error, "solo", None),
            f("oom-killed", Severity::Error, "solo2", None),
        ]);
        assert_eq!(out.len(), 3);
        let web = out.iter().find(|f| f.workload.is_some()).unwrap();
        assert_eq!(web.pods, ["web-a", "web-b"]);
        assert!(web.title.ends_with("(2 pods)"));
    }

    #[test]
    fn root_cause_before_symptom_and_errors_first() {
        let out = merge_and_order(vec![
            f("other.unrecognized", Severity::Error, "x", None),
            f("probe.readiness-failing", Severity::Warning, "y", None),
            f("rollout.stuck", Severity::Error, "z", Some("web")),
            f("image-pull.not-found", Severity::Error, "w", Some("web")),
        ]);
        let ids: Vec<_> = out.iter().map(|f| f.id).collect();
        assert_eq!(
            ids,
            [
                "image-pull.not-found",
                "rollout.stuck",
                "other.unrecognized",
                "probe.readiness-failing"
            ]
        );
    }
}
