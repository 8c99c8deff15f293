//! `terminating.stuck`: a pod whose deletion does not finish.
//!
//! `metadata.deletionTimestamp` is the moment the grace period ends; a pod still there
//! well after it (30 seconds, measured against the input's own clock) is stuck. The
//! finding names what holds it: finalizers (`metadata.finalizers`), volume teardown
//! errors in its events (`UnmountVolume.TearDown failed`, `device or resource busy`),
//! the runtime failing to kill it (`FailedKillPod`), containers still running past the
//! grace period, or a node that is gone or not Ready. Pods on a not-Ready node are
//! explained by `node.not-ready` (which runs first and claims them) unless a finalizer
//! holds them too.

use super::Ctx;
use super::pod::{PodView, ev, event_ev, step};
use crate::Severity;

/// How long past its deletion timestamp a pod may take before it counts as stuck.
const SLACK_SECS: i64 = 30;

/// Check every pod being deleted.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let Some(now) = ctx.snap.now else { return };
    for i in 0..ctx.pods.len() {
        let Some(pv) = ctx.pods.get(i) else { continue };
        // Pasted `kubectl describe` prints no deletion time, only "Terminating (lasts 77s)":
        // the text reader keeps that line as an annotation.
        let past = match pv.pod.metadata.deletion_timestamp.as_ref() {
            Some(ts) => now.duration_since(ts.0).as_secs(),
            None => match described_lasts(pv) {
                Some(secs) => secs,
                None => continue,
            },
        };
        let finalizers: Vec<&str> = pv
            .pod
            .metadata
            .finalizers
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if ctx.pod_claimed(i) && finalizers.is_empty() {
            continue;
        }
        if past < SLACK_SECS {
            continue;
        }
        let f = finding(ctx, pv, &finalizers, past);
        ctx.pod_finding(i, f);
    }
}

fn is_teardown(msg: &str) -> bool {
    [
        "UnmountVolume.TearDown failed",
        "UnmountDevice failed",
        "TearDownAt failed",
        "device or resource busy",
        "Unmount failed",
        "DetachVolume.Detach failed",
    ]
    .iter()
    .any(|n| msg.contains(n))
}

fn finding(ctx: &Ctx<'_>, pv: &PodView<'_>, finalizers: &[&str], past: i64) -> crate::Finding {
    let meta = &pv.pod.metadata;
    let ns = pv.ns_flag();
    let grace = meta
        .deletion_grace_period_seconds
        .or_else(|| pv.spec().and_then(|s| s.termination_grace_period_seconds))
        .unwrap_or(30);
    let past_txt = crate::text::age(jiff_from_secs(past), jiff_from_secs(0))
        .unwrap_or_else(|| format!("{past}s"));
    let node_name = pv.spec().and_then(|s| s.node_name.as_deref());
    let node_down = pv.node.is_some_and(|n| {
        n.status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .any(|c| c.type_ == "Ready" && c.status != "True")
    });
    let teardown: Vec<&crate::snapshot::EventRec> = pv
        .events
        .iter()
        .filter(|e| e.type_ == "Warning" && is_teardown(&e.message))
        .copied()
        .collect();
    let kill_failed: Vec<&crate::snapshot::EventRec> = pv
        .events
        .iter()
        .filter(|e| e.reason == "FailedKillPod" || e.message.contains("KillPodSandbox"))
        .copied()
        .collect();
    let running: Vec<&str> = pv
        .containers
        .iter()
        .filter(|c| {
            c.status
                .and_then(|s| s.state.as_ref())
                .is_some_and(|s| s.running.is_some())
        })
        .map(|c| c.name)
        .collect();
    let all_stopped = !pv.containers.is_empty()
        && pv.containers.iter().all(|c| {
            c.status
                .and_then(|s| s.state.as_ref())
                .is_some_and(|s| s.terminated.is_some())
        });
    let cause = if !finalizers.is_empty() {
        format!("finalizer(s) {} are still set", finalizers.join(", "))
    } else if !teardown.is_empty() {
        "the kubelet cannot tear down its volumes".to_owned()
    } else if !kill_failed.is_empty() {
        "the container runtime fails to stop it".to_owned()
    } else if node_down {
        format!("its node {} is not Ready", node_name.unwrap_or(""))
    } else if !running.is_empty() {
        format!(
            "container(s) {} are still running past the grace period",
            running.join(", ")
        )
    } else if all_stopped {
        "its containers have stopped but the kubelet has not finished cleaning up".to_owned()
    } else {
        "nothing in the input says what holds it".to_owned()
    };
    let title = format!(
        "{} is stuck Terminating for {past_txt} past its {grace}s grace period: {cause}",
        if pv.workload.is_some() {
            format!("Pod {} of {}", pv.name, pv.subject())
        } else {
            format!("Pod {}", pv.name)
        }
    );
    let severity = if pv
        .workload
        .as_ref()
        .is_some_and(|w| w.kind == "StatefulSet")
        || pv.workload.is_none()
    {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut f = pv.finding("terminating.stuck", severity, None, title);
    f.evidence.push(ev(
        if pv.pod.metadata.deletion_timestamp.is_some() {
            "metadata.deletionTimestamp"
        } else {
            "status"
        },
        ts_text(pv),
    ));
    f.evidence
        .push(ev("metadata.deletionGracePeriodSeconds", grace.to_string()));
    if !finalizers.is_empty() {
        f.evidence
            .push(ev("metadata.finalizers", finalizers.join(", ")));
    }
    if let Some(n) = node_name {
        f.evidence.push(ev("spec.nodeName", n));
    }
    for e in teardown.iter().chain(&kill_failed).take(3) {
        f.evidence.push(event_ev(e));
    }
    for c in &pv.containers {
        if let Some(t) = c
            .status
            .and_then(|s| s.state.as_ref())
            .and_then(|s| s.terminated.as_ref())
        {
            f.evidence.push(ev(
                format!("{}.state.terminated", super::pod::status_path(c)),
                format!(
                    "{} (exit {})",
                    t.reason.as_deref().unwrap_or(""),
                    t.exit_code
                ),
            ));
        } else if running.contains(&c.name) {
            f.evidence.push(ev(
                format!("{}.state", super::pod::status_path(c)),
                "running",
            ));
        }
    }
    let mut expl = format!(
        "The pod was asked to stop and its grace period of {grace}s ran out {past_txt} ago, yet the object is still there. A pod object is only removed when the kubelet on its node confirms the containers and volumes are cleaned up and every finalizer is gone. "
    );
    if !finalizers.is_empty() {
        expl.push_str(&format!(
            "Finalizers {} are set: the controller that owns each must remove it after its own cleanup; if that controller is gone or failing, the pod stays forever. ",
            finalizers.join(", ")
        ));
    }
    if !teardown.is_empty() {
        expl.push_str("The kubelet keeps failing to unmount a volume (a process on the node still holds the mount, or the CSI driver cannot detach it), so it cannot report the pod gone. ");
    }
    if !kill_failed.is_empty() {
        expl.push_str("The container runtime reports errors stopping the pod sandbox (often the CNI plugin failing on teardown). ");
    }
    if node_down {
        expl.push_str("Its node is not Ready, so no kubelet can confirm the deletion; the pod stays until the node returns or its Node object is deleted. ");
    }
    if !running.is_empty()
        && finalizers.is_empty()
        && teardown.is_empty()
        && kill_failed.is_empty()
        && !node_down
    {
        expl.push_str("The containers still run: the process may ignore SIGTERM and the kubelet's SIGKILL has not landed (a hung runtime or a process in uninterruptible I/O). ");
    }
    if pv
        .workload
        .as_ref()
        .is_some_and(|w| w.kind == "StatefulSet")
    {
        expl.push_str("A StatefulSet does not create the replacement pod (same name, same volume) until this one is gone, so that replica is down.");
    }
    f.explanation = expl.trim_end().to_owned();
    f.remediation.push(step(
        "See what the pod is waiting for.",
        vec![
            format!("kubectl get pod {} {ns} -o jsonpath='{{.metadata.finalizers}} {{.metadata.deletionTimestamp}}'", pv.name),
            format!("kubectl describe pod {} {ns}", pv.name),
        ],
    ));
    if !finalizers.is_empty() {
        f.remediation.push(step(
            format!(
                "Fix or restart the controller that owns finalizer(s) {}. Only if it is gone for good, remove the finalizers by hand — whatever cleanup they guard (a load balancer, a backup, a volume snapshot) is then skipped.",
                finalizers.join(", ")
            ),
            vec![format!(
                "kubectl patch pod {} {ns} --type=merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'",
                pv.name
            )],
        ));
    }
    if !teardown.is_empty() {
        f.remediation.push(step(
            format!(
                "On node {}, find what still holds the volume's mount (a leftover process, a bind mount) and check the CSI driver's node plugin logs; once it unmounts, the pod goes away by itself.",
                node_name.unwrap_or("<node>")
            ),
            vec![
                "findmnt | grep /var/lib/kubelet/pods   # on the node".to_owned(),
                "journalctl -u kubelet | grep -i unmount | tail -20   # on the node".to_owned(),
            ],
        ));
    }
    if all_stopped
        && finalizers.is_empty()
        && teardown.is_empty()
        && kill_failed.is_empty()
        && !node_down
    {
        f.remediation.push(step(
            format!(
                "The containers have exited, so the kubelet on {} is stuck cleaning up (usually unmounting a volume or tearing down the sandbox). Its log says which.",
                node_name.unwrap_or("the node")
            ),
            vec![format!(
                "journalctl -u kubelet --since '1 hour ago' | grep {}   # on the node",
                pv.name
            )],
        ));
    }
    if node_down {
        f.remediation.push(step(
            format!(
                "Bring node {} back, or delete its Node object if the machine is gone.",
                node_name.unwrap_or("")
            ),
            vec![format!("kubectl describe node {}", node_name.unwrap_or(""))],
        ));
    }
    f.remediation.push(step(
        "Last resort: force-delete the pod object. This removes it from the API without the kubelet's confirmation: if the containers still run on the node they keep running unseen, and a StatefulSet may start a second copy that writes to the same volume.",
        vec![format!("kubectl delete pod {} {ns} --grace-period=0 --force", pv.name)],
    ));
    let _ = ctx;
    f
}

fn ts_text(pv: &PodView<'_>) -> String {
    match pv.pod.metadata.deletion_timestamp.as_ref() {
        Some(t) => t.0.to_string(),
        None => pv
            .pod
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(DESCRIBED))
            .map(|s| format!("not printed by kubectl describe; Status: {s}"))
            .unwrap_or_default(),
    }
}

/// The annotation the text reader leaves for `Status: Terminating (lasts 77s)`.
const DESCRIBED: &str = "kdiag.io/terminating";

/// Seconds past the deletion deadline, from `Terminating (lasts 2m30s)`.
fn described_lasts(pv: &PodView<'_>) -> Option<i64> {
    let s = pv.pod.metadata.annotations.as_ref()?.get(DESCRIBED)?;
    let d = s.split("lasts ").nth(1)?.trim_end_matches(')').trim();
    parse_age(d)
}

/// A kubectl age (`77s`, `5m`, `3h20m`, `2d`, `1y30d`) in seconds.
fn parse_age(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut num: i64 = 0;
    let mut any = false;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            num = num.checked_mul(10)?.checked_add(i64::from(d))?;
            any = true;
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'y' => 31_536_000,
            _ => return None,
        };
        total = total.saturating_add(num.saturating_mul(unit));
        num = 0;
    }
    (any && num == 0).then_some(total)
}

/// A timestamp `secs` seconds after the epoch (to reuse the age formatter).
fn jiff_from_secs(secs: i64) -> crate::Timestamp {
    crate::Timestamp::from_second(secs).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kubectl_ages() {
        assert_eq!(parse_age("77s"), Some(77));
        assert_eq!(parse_age("3h20m"), Some(12_000));
        assert_eq!(parse_age("2d"), Some(172_800));
        assert_eq!(parse_age("<invalid>"), None);
        assert_eq!(parse_age("12"), None);
    }
}
