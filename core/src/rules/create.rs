//! `container.create-failed`: the runtime cannot create or start a container, for a reason
//! that has no more specific id (command not found, permission denied and exec format
//! errors are `crashloop.*`; missing Secrets/ConfigMaps and `runAsNonRoot` are `config.*`).
//!
//! Read from the waiting reason (`CreateContainerError`, `RunContainerError`,
//! `StartError`, `ContainerCannotRun`, a `CreateContainerConfigError` that `config` does
//! not explain, `PostStartHookError`), the last termination with one of those reasons, and
//! the kubelet's `Failed` / `FailedPostStartHook` events. The runtime's message is
//! quoted, and the common patterns (disk full, a volume mounted onto a file, a subPath,
//! a name still reserved by a stuck runtime, a runtime timeout, a missing device or
//! security profile) are named with their fix.

use super::Ctx;
use super::pod::{ContainerView, PodView, container_label, ev, event_ev, status_path, step};
use crate::snapshot::EventRec;
use crate::{Finding, Severity};

/// Waiting / termination reasons of a container the runtime could not create or start.
const REASONS: &[&str] = &[
    "CreateContainerError",
    "RunContainerError",
    "StartError",
    "ContainerCannotRun",
    "CreateContainerConfigError",
    "PostStartHookError",
    "PreStartHookError",
];

/// Whether an event says the runtime failed to create or start a container.
pub(crate) fn is_start_failure_event(e: &EventRec) -> bool {
    if e.reason == "FailedPostStartHook" {
        return true;
    }
    if e.reason != "Failed" {
        return false;
    }
    let m = e.message.to_ascii_lowercase();
    [
        "failed to create containerd task",
        "failed to start container",
        "failed to create container",
        "oci runtime",
        "starting container process caused",
        "failed to create shim task",
        "error during container init",
        "cannot find volume",
        "failed to generate container",
        "failed to reserve container name",
        "context deadline exceeded",
        "no space left on device",
        "failed to prepare subpath",
        "runcontainererror",
        "createcontainererror",
    ]
    .iter()
    .any(|k| m.contains(k))
}

/// Report start failures nobody explained.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    for i in 0..ctx.pods.len() {
        let claimed: Vec<String> = ctx
            .findings_for_pod(i)
            .filter_map(|f| f.object.container.clone())
            .collect();
        let mut found = Vec::new();
        if let Some(pv) = ctx.pods.get(i) {
            if pv.done() || pv.pod.metadata.deletion_timestamp.is_some() {
                continue;
            }
            for c in &pv.containers {
                if claimed.iter().any(|n| n == c.name) {
                    continue;
                }
                if let Some(f) = finding(pv, c) {
                    found.push(f);
                }
            }
            for c in pv.event_only_containers(is_start_failure_event, &claimed) {
                if let Some(f) = finding(pv, &c) {
                    found.push(f);
                }
            }
        }
        for f in found {
            ctx.pod_finding(i, f);
        }
    }
}

fn finding(pv: &PodView<'_>, c: &ContainerView<'_>) -> Option<Finding> {
    let st = c.status;
    let state = st.and_then(|s| s.state.as_ref());
    let waiting = state.and_then(|s| s.waiting.as_ref());
    let w_reason = waiting.and_then(|w| w.reason.as_deref()).unwrap_or("");
    let w_msg = waiting.and_then(|w| w.message.as_deref()).unwrap_or("");
    let term = state
        .and_then(|s| s.terminated.as_ref())
        .map(|t| (t, "state"))
        .or_else(|| {
            st.and_then(|s| s.last_state.as_ref())
                .and_then(|s| s.terminated.as_ref())
                .map(|t| (t, "lastState"))
        })
        .filter(|(t, _)| t.reason.as_deref().is_some_and(|r| REASONS.contains(&r)));
    if state.is_some_and(|s| s.running.is_some()) && term.is_none() {
        return None;
    }
    let events: Vec<&EventRec> = pv
        .events
        .iter()
        .copied()
        .filter(|e| e.container() == Some(c.name) && is_start_failure_event(e))
        .collect();
    let by_reason = REASONS.contains(&w_reason);
    if !by_reason && term.is_none() && (events.is_empty() || st.is_some()) {
        return None;
    }
    let message = [w_msg]
        .into_iter()
        .chain(term.and_then(|(t, _)| t.message.as_deref()))
        .chain(events.iter().rev().map(|e| e.message.as_str()))
        .find(|m| !m.trim().is_empty())
        .unwrap_or("")
        .trim();
    let reason = if by_reason {
        w_reason
    } else {
        term.and_then(|(t, _)| t.reason.as_deref())
            .unwrap_or("Failed")
    };
    let label = container_label(c);
    let (what, explain, fix) = diagnose(message, reason);
    let title = format!(
        "{label} of {} cannot be created by the container runtime: {what}",
        pv.subject()
    );
    let mut f = pv.finding(
        "container.create-failed",
        Severity::Error,
        Some(c.name),
        title,
    );
    if by_reason {
        f.evidence.push(ev(
            format!("{}.state.waiting.reason", status_path(c)),
            w_reason,
        ));
        if !w_msg.is_empty() {
            f.evidence.push(ev(
                format!("{}.state.waiting.message", status_path(c)),
                crate::text::clip(w_msg, 500),
            ));
        }
    }
    if let Some((t, which)) = term {
        let path = format!("{}.{which}.terminated", status_path(c));
        if let Some(r) = &t.reason {
            f.evidence.push(ev(format!("{path}.reason"), r.clone()));
        }
        f.evidence
            .push(ev(format!("{path}.exitCode"), t.exit_code.to_string()));
        if let Some(m) = t.message.as_deref().filter(|m| !m.trim().is_empty()) {
            f.evidence.push(ev(
                format!("{path}.message"),
                crate::text::clip(m.trim(), 500),
            ));
        }
    }
    for e in events.iter().rev().take(2) {
        f.evidence.push(event_ev(e));
    }
    f.explanation = format!(
        "The kubelet asked the container runtime to create and start {label}, and the runtime refused ({reason}). {explain} The runtime's own words: {}",
        if message.is_empty() {
            "(no message in the input)".to_owned()
        } else {
            crate::text::clip(message, 400)
        }
    );
    let ns = pv.ns_flag();
    f.remediation.push(step(
        fix,
        vec![
            format!("kubectl describe pod {} {ns}", pv.name),
            format!(
                "kubectl get events {ns} --field-selector involvedObject.name={}",
                pv.name
            ),
        ],
    ));
    if let Some(node) = pv.node_name() {
        f.remediation.push(step(
            format!("If the message does not point at the pod spec, look at the runtime on node {node} (its journal: containerd/cri-o/docker, and disk space)."),
            vec![format!("kubectl describe node {node}")],
        ));
    }
    Some(f)
}

/// A short name for the failure, what it means, and what to do.
fn diagnose(message: &str, reason: &str) -> (String, String, String) {
    let l = message.to_ascii_lowercase();
    let t = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    if l.contains("no space left on device") {
        return t(
            "the node's disk is full",
            "The runtime cannot write the container's layer or logs because the node's filesystem is full.",
            "Free disk on the node (unused images: crictl rmi --prune; old logs), or move the pod; check the node's DiskPressure condition.",
        );
    }
    if l.contains("not a directory")
        || l.contains("mount a directory onto a file")
        || l.contains("are you trying to mount")
    {
        return t(
            "a volume is mounted onto a path of the other type (file vs directory)",
            "A volumeMount (often with subPath, or a hostPath) mounts a directory onto a file in the image or a file onto a directory, which the runtime cannot do.",
            "Fix the volumeMount's mountPath/subPath (or the hostPath type) so file is mounted onto file and directory onto directory.",
        );
    }
    if l.contains("subpath") {
        return t(
            "a subPath volume mount cannot be prepared",
            "The kubelet could not prepare a subPath mount: the sub-path does not exist in the volume, escapes it through a symlink, or the volume was not ready.",
            "Check the volumeMounts with subPath/subPathExpr against the volume's contents.",
        );
    }
    if l.contains("cannot find volume") {
        return t(
            "a volumeMount names a volume the pod does not define",
            "A container's volumeMounts refers to a volume name that is not in spec.volumes.",
            "Add the volume to spec.volumes or correct the volumeMount's name in the workload's template.",
        );
    }
    if l.contains("failed to reserve container name")
        || l.contains("is reserved for")
        || l.contains("conflict. the container name")
    {
        return t(
            "the container name is still reserved by an earlier attempt",
            "An earlier create of the same container is still held by the runtime (it timed out but never finished): usually a slow or overloaded node disk or a stuck runtime. It often clears by itself.",
            "Wait a few minutes; if it persists, check the node's disk I/O and restart the container runtime on that node.",
        );
    }
    if l.contains("context deadline exceeded") {
        return t(
            "the runtime timed out",
            "The runtime did not finish creating the container in time: an overloaded node, slow disk, or a large image being unpacked.",
            "Check the node's load and disk; the kubelet retries by itself.",
        );
    }
    if l.contains("failed to sync") && l.contains("cache") {
        return t(
            "the kubelet's Secret/ConfigMap cache was not ready",
            "The kubelet could not sync the Secret/ConfigMap cache in time; this is usually transient (API server slow or unreachable from the node).",
            "Check the node's connection to the API server; the kubelet retries.",
        );
    }
    if l.contains("nvidia") || l.contains("device driver") || l.contains("devices") {
        return t(
            "a requested device is not available in the runtime",
            "The runtime cannot provide a device the container asks for (GPU runtime or device plugin missing on the node).",
            "Check the node's device plugin and runtime configuration (e.g. the NVIDIA container toolkit).",
        );
    }
    if l.contains("seccomp") || l.contains("apparmor") {
        return t(
            "a security profile is missing on the node",
            "The container's seccomp or AppArmor profile is not loaded on the node.",
            "Load the profile on every node (or use RuntimeDefault), or change securityContext.seccompProfile / appArmorProfile.",
        );
    }
    if reason == "PostStartHookError" || l.contains("poststarthook") || l.contains("poststart hook")
    {
        return t(
            "its postStart hook failed",
            "The container started, but its lifecycle.postStart hook failed, so the kubelet killed it.",
            "Fix or remove lifecycle.postStart in the workload's template; run the hook's command by hand to see its error.",
        );
    }
    (
        reason.to_owned(),
        "kdiag has no more specific reading of this runtime error.".to_owned(),
        "Read the runtime's message in the events; it usually names the file, mount or setting it could not apply.".to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_messages() {
        let (w, _, _) = diagnose(
            "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting \"/var/lib/kubelet/pods/x/volume-subpaths/cfg/app/0\" to rootfs at \"/etc/app/app.conf\": mount /proc/self/fd/6:/etc/app/app.conf (via /proc/self/fd/7), flags: 0x5001: not a directory: unknown: Are you trying to mount a directory onto a file (or vice-versa)?",
            "StartError",
        );
        assert!(w.contains("file vs directory"));
        let (w, _, _) = diagnose(
            "Error: failed to reserve container name \"app_web\": name \"app_web\" is reserved for \"4b2\"",
            "CreateContainerError",
        );
        assert!(w.contains("reserved"));
        let (w, _, _) = diagnose("something new", "CreateContainerError");
        assert_eq!(w, "CreateContainerError");
    }
}
