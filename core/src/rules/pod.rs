//! A pod as the rules see it: its events, workload, containers with spec and status side
//! by side, and the helpers every family uses to word a finding about it.

use crate::snapshot::EventRec;
use crate::{Evidence, Finding, ObjectRef, Remediation, Severity, Snapshot, WorkloadRef};
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Node, Pod, PodSpec};

/// One pod with everything a rule needs, computed once.
pub(crate) struct PodView<'a> {
    pub pod: &'a Pod,
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub workload: Option<WorkloadRef>,
    /// The node it is bound to, when that Node is in the input.
    pub node: Option<&'a Node>,
    /// The pod belongs to a Job that has succeeded (its failed attempts are not failures).
    pub job_succeeded: bool,
    /// Its containers (regular, then init), spec and status side by side.
    pub containers: Vec<ContainerView<'a>>,
    /// Events about this pod, in input order.
    pub events: Vec<&'a EventRec>,
    /// Where in pasted text the pod was read.
    pub origin: Option<crate::input::TextLocation>,
}

/// Containers of one kind (regular or init): whether init, specs, statuses.
type Group<'a> = (
    bool,
    Option<&'a Vec<Container>>,
    Option<&'a Vec<ContainerStatus>>,
);

/// One container: its spec and status, whichever the input has.
pub(crate) struct ContainerView<'a> {
    pub name: &'a str,
    pub init: bool,
    pub spec: Option<&'a Container>,
    pub status: Option<&'a ContainerStatus>,
}

impl<'a> PodView<'a> {
    pub(crate) fn new(snap: &'a Snapshot, pod: &'a Pod) -> Self {
        let name = pod.metadata.name.as_deref().unwrap_or("<unnamed>");
        PodView {
            origin: snap.origin_of("Pod", pod.metadata.namespace.as_deref(), name),
            containers: containers(pod),
            pod,
            name: pod.metadata.name.as_deref().unwrap_or("<unnamed>"),
            namespace: pod.metadata.namespace.as_deref(),
            workload: snap.workload_of(&pod.metadata).or_else(|| {
                // Known only from events: the pod name may still tell its Deployment.
                let only_events = pod.spec.is_none() && pod.status.is_none();
                let name = pod.metadata.name.as_deref()?;
                only_events
                    .then(|| deployment_from_pod_name(name))
                    .flatten()
                    .map(|d| WorkloadRef {
                        kind: "Deployment".to_owned(),
                        namespace: pod.metadata.namespace.clone(),
                        name: d.to_owned(),
                    })
            }),
            node: pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .and_then(|n| snap.node(n)),
            job_succeeded: snap.owning_job_succeeded(&pod.metadata),
            events: snap.events_for("Pod", &pod.metadata),
        }
    }

    /// Whether the input has only events about this pod (no spec, no status).
    pub(crate) fn only_events(&self) -> bool {
        self.pod.spec.is_none() && self.pod.status.is_none()
    }

    pub(crate) fn spec(&self) -> Option<&'a PodSpec> {
        self.pod.spec.as_ref()
    }

    pub(crate) fn phase(&self) -> &'a str {
        self.pod
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("")
    }

    /// A pod whose work is done: it succeeded, or it is a failed attempt of a Job that
    /// succeeded in the end. Nothing about it is a failure.
    pub(crate) fn done(&self) -> bool {
        self.phase() == "Succeeded" || self.job_succeeded
    }

    /// `Always` unless the spec says otherwise (the API server's default).
    pub(crate) fn restart_policy(&self) -> &'a str {
        self.spec()
            .and_then(|s| s.restart_policy.as_deref())
            .unwrap_or("Always")
    }

    /// Containers that only events name (by field path), among the events `relevant`
    /// accepts: the input has neither their spec nor their status.
    pub(crate) fn containers_only_in_events(
        &self,
        relevant: impl Fn(&EventRec) -> bool,
    ) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        // Built on first need: most pods have no such event at all.
        let mut seen: Option<std::collections::HashSet<&str>> = None;
        for e in &self.events {
            let Some(c) = e.container() else { continue };
            if !relevant(e) {
                continue;
            }
            let seen = seen.get_or_insert_with(|| self.containers.iter().map(|k| k.name).collect());
            if seen.insert(c) {
                out.push(c);
            }
        }
        out
    }

    /// The containers the input knows only from `relevant` events, as views with no spec
    /// or status (init or not as the events' field paths say), leaving out those a family
    /// already explained (`claimed`).
    pub(crate) fn event_only_containers(
        &self,
        relevant: impl Fn(&EventRec) -> bool,
        claimed: &[String],
    ) -> Vec<ContainerView<'a>> {
        self.containers_only_in_events(relevant)
            .into_iter()
            .filter(|name| !claimed.iter().any(|n| n == name))
            .map(|name| ContainerView {
                name,
                init: self.init_in_events(name),
                spec: None,
                status: None,
            })
            .collect()
    }

    /// Whether the events place container `name` among the init containers (by field path).
    pub(crate) fn init_in_events(&self, name: &str) -> bool {
        self.events
            .iter()
            .any(|e| e.container() == Some(name) && e.is_init_container())
    }

    /// Events about one container (by field path), plus pod-level events without one.
    pub(crate) fn container_events(&self, container: &str) -> impl Iterator<Item = &'a EventRec> {
        let container = container.to_owned();
        self.events
            .clone()
            .into_iter()
            .filter(move |e| e.container().is_none_or(|c| c == container))
    }

    /// "Deployment web" when the workload is known, else "pod web-1".
    pub(crate) fn subject(&self) -> String {
        match &self.workload {
            Some(w) => format!("{} {}", w.kind, w.name),
            None => format!("pod {}", self.name),
        }
    }

    /// `-n ns` for commands (empty when the namespace is unknown).
    pub(crate) fn ns_flag(&self) -> String {
        ns_flag(self.namespace)
    }

    /// `deployment/web` (or `pod/web-1` for a bare pod): what commands should target.
    pub(crate) fn target(&self) -> String {
        match &self.workload {
            Some(w) => format!("{}/{}", w.kind.to_lowercase(), w.name),
            None => format!("pod/{}", self.name),
        }
    }

    /// Whether the workload's pod template can be changed in place (`kubectl set …`).
    pub(crate) fn template_is_editable(&self) -> bool {
        self.workload.as_ref().is_some_and(|w| {
            matches!(
                w.kind.as_str(),
                "Deployment"
                    | "StatefulSet"
                    | "DaemonSet"
                    | "ReplicaSet"
                    | "ReplicationController"
                    | "CronJob"
            )
        })
    }

    /// A strategic-merge patch of one container, wrapped in the workload's template path.
    pub(crate) fn container_patch(&self, c: &ContainerView<'_>, body: &str) -> String {
        let list = if c.init {
            "initContainers"
        } else {
            "containers"
        };
        let inner = format!(
            "{{\"{list}\":[{{\"name\":{},{body}}}]}}",
            serde_json::Value::String(c.name.to_owned())
        );
        self.wrap_template(&inner)
    }

    /// Wrap a pod-spec fragment in the path of the controlling workload's template.
    pub(crate) fn wrap_template(&self, pod_spec: &str) -> String {
        match self.workload.as_ref().map(|w| w.kind.as_str()) {
            Some("CronJob") => format!(
                "{{\"spec\":{{\"jobTemplate\":{{\"spec\":{{\"template\":{{\"spec\":{pod_spec}}}}}}}}}}}"
            ),
            Some(_) => format!("{{\"spec\":{{\"template\":{{\"spec\":{pod_spec}}}}}}}"),
            None => format!("{{\"spec\":{pod_spec}}}"),
        }
    }

    /// The path of the pod spec inside the controlling workload (`spec.template.spec` for
    /// a Deployment, `spec.jobTemplate.spec.template.spec` for a CronJob, `spec` for a
    /// bare pod): where a field of the pod spec is changed.
    pub(crate) fn template_spec_path(&self) -> &'static str {
        match self.workload.as_ref().map(|w| w.kind.as_str()) {
            Some("CronJob") => "spec.jobTemplate.spec.template.spec",
            Some(_) => "spec.template.spec",
            None => "spec",
        }
    }

    /// The node the pod is bound to, by name (whether or not the Node is in the input).
    pub(crate) fn node_name(&self) -> Option<&'a str> {
        self.spec().and_then(|s| s.node_name.as_deref())
    }

    /// `kubectl patch …` applying a container patch to the workload.
    pub(crate) fn patch_command(&self, patch: &str) -> String {
        format!(
            "kubectl patch {} {} --type=strategic -p '{}'",
            self.target(),
            self.ns_flag(),
            patch
        )
        .replace("  ", " ")
    }

    /// A command that changes the workload's pod template, when that template can be
    /// changed in place; none for a bare pod or a Job (their apply hint says what to do).
    pub(crate) fn workload_command(&self, command: String) -> Vec<String> {
        if self.template_is_editable() {
            vec![command]
        } else if self.workload.is_none() && self.pod.metadata.name.is_some() {
            // A bare pod: save it, edit the file, replace it.
            let file = format!("{}.yaml", self.name);
            vec![
                format!(
                    "kubectl get pod {} {} -o yaml > {file}",
                    self.name,
                    self.ns_flag()
                ),
                format!("kubectl replace --force -f {file}"),
            ]
        } else {
            Vec::new()
        }
    }

    /// How the change reaches running pods, said once per finding.
    pub(crate) fn apply_hint(&self) -> &'static str {
        match self.workload.as_ref().map(|w| w.kind.as_str()) {
            Some("Deployment" | "StatefulSet" | "DaemonSet") => {
                "The change rolls out new pods by itself."
            }
            Some("ReplicaSet" | "ReplicationController") => {
                "A ReplicaSet/ReplicationController does not replace running pods on a template change: delete the failing pods afterwards so they are recreated from the new template."
            }
            Some("Job") => {
                "A Job's pod template cannot be changed: fix the manifest, delete the Job and create it again."
            }
            Some("CronJob") => "The next scheduled Job uses the new template.",
            _ => {
                "A bare pod keeps its spec (only its image can change in place): save it to a file, make the change there, and replace the pod (better: run it under a Deployment)."
            }
        }
    }

    /// The finding skeleton for this pod.
    pub(crate) fn finding(
        &self,
        id: &'static str,
        severity: Severity,
        container: Option<&str>,
        title: String,
    ) -> Finding {
        Finding {
            id,
            severity,
            title: crate::text::capitalise(&title),
            object: ObjectRef {
                kind: "Pod".into(),
                namespace: self.namespace.map(str::to_owned),
                name: self.name.to_owned(),
                container: container.map(str::to_owned),
            },
            workload: self.workload.clone(),
            pods: vec![self.name.to_owned()],
            explanation: String::new(),
            evidence: self.workload_guess_evidence(),
            remediation: Vec::new(),
        }
    }

    /// When the workload was read off the pod name (only events were given), say so.
    fn workload_guess_evidence(&self) -> Vec<Evidence> {
        match &self.workload {
            Some(w) if self.only_events() && self.pod.metadata.owner_references.is_none() => {
                vec![ev(
                    "metadata.name",
                    format!(
                        "{} (the form <deployment>-<pod-template-hash>-<suffix>: Deployment {}; only events about the pod are in the input)",
                        self.name, w.name
                    ),
                )]
            }
            _ => Vec::new(),
        }
    }
}

/// The Deployment a pod name points to: `<deployment>-<pod-template-hash>-<suffix>`, where
/// the hash and the 5-character suffix use Kubernetes' safe alphabet (no vowels, no 0/1/3).
fn deployment_from_pod_name(name: &str) -> Option<&str> {
    const SAFE: &str = "bcdfghjklmnpqrstvwxz2456789";
    let is_safe = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.chars().all(|c| SAFE.contains(c))
    };
    let (rest, suffix) = name.rsplit_once('-')?;
    let (deployment, hash) = rest.rsplit_once('-')?;
    // A CronJob's Job is named after its schedule time in minutes: all digits.
    let all_digits = hash.bytes().all(|b| b.is_ascii_digit());
    (is_safe(suffix, 5..=5) && is_safe(hash, 6..=10) && !all_digits && !deployment.is_empty())
        .then_some(deployment)
}

/// Regular containers, then init containers; each with whatever spec/status exists.
fn containers(pod: &Pod) -> Vec<ContainerView<'_>> {
    let mut out: Vec<ContainerView<'_>> = Vec::new();
    let status = pod.status.as_ref();
    let spec = pod.spec.as_ref();
    let groups: [Group<'_>; 2] = [
        (
            false,
            spec.map(|s| &s.containers),
            status.and_then(|s| s.container_statuses.as_ref()),
        ),
        (
            true,
            spec.and_then(|s| s.init_containers.as_ref()),
            status.and_then(|s| s.init_container_statuses.as_ref()),
        ),
    ];
    for (init, specs, statuses) in groups {
        for c in specs.into_iter().flatten() {
            let st = statuses.into_iter().flatten().find(|s| s.name == c.name);
            out.push(ContainerView {
                name: &c.name,
                init,
                spec: Some(c),
                status: st,
            });
        }
        for st in statuses.into_iter().flatten() {
            if !out.iter().any(|c| c.init == init && c.name == st.name) {
                out.push(ContainerView {
                    name: &st.name,
                    init,
                    spec: None,
                    status: Some(st),
                });
            }
        }
    }
    out
}

/// `-n ns` (empty when unknown).
pub(crate) fn ns_flag(ns: Option<&str>) -> String {
    ns.map(|n| format!("-n {n}")).unwrap_or_default()
}

/// Evidence line.
pub(crate) fn ev(path: impl Into<String>, value: impl Into<String>) -> Evidence {
    Evidence {
        path: path.into(),
        value: crate::text::mask_secrets(&value.into()),
        source: None,
    }
}

/// Evidence from an event: `events[Failed]` = the message (×count, source).
pub(crate) fn event_ev(e: &EventRec) -> Evidence {
    let mut value = if e.message.is_empty() {
        e.reason.clone()
    } else {
        e.message.clone()
    };
    let mut extra = Vec::new();
    if e.count > 1 {
        extra.push(format!("×{}", e.count));
    }
    if !e.source.is_empty() {
        extra.push(format!("from {}", e.source));
    }
    if !extra.is_empty() {
        value = format!("{value} ({})", extra.join(", "));
    }
    let mut evidence = ev(format!("events[{}]", e.reason), value);
    evidence.source = e.origin.map(|o| o.to_string());
    evidence
}

/// Pasted text is lossy: when a finding about a pod read from text rests on less than
/// JSON would give, say what is missing and the one `kubectl` command whose output
/// settles it (as evidence, so every renderer shows it). `None` for JSON/YAML input.
pub(crate) fn text_gap(pv: &PodView<'_>, missing: &str, command: &str) -> Option<Evidence> {
    let origin = pv
        .origin
        .or_else(|| pv.events.iter().find_map(|e| e.origin))?;
    let mut e = ev(
        "input",
        format!("pasted text without {missing}; this output would settle it: {command}"),
    );
    e.source = Some(origin.to_string());
    Some(e)
}

/// A remediation step.
pub(crate) fn step(text: impl Into<String>, commands: Vec<String>) -> Remediation {
    Remediation {
        text: text.into(),
        commands: commands.into_iter().map(|c| tidy_command(&c)).collect(),
        patch: None,
    }
}

/// A command with the doubled spaces left by empty parts (an unknown namespace) removed,
/// but never inside quotes, where spaces belong to an argument.
fn tidy_command(command: &str) -> String {
    let mut out = String::with_capacity(command.len());
    let mut quote: Option<char> = None;
    for c in command.trim().chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, ' ') if out.ends_with(' ') => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A remediation step carrying a patch.
pub(crate) fn patch_step(
    text: impl Into<String>,
    commands: Vec<String>,
    patch: String,
) -> Remediation {
    Remediation {
        patch: Some(patch),
        ..step(text, commands)
    }
}

/// The path of a container's status field, by name: `status.containerStatuses[app]`.
pub(crate) fn status_path(c: &ContainerView<'_>) -> String {
    let list = if c.init {
        "initContainerStatuses"
    } else {
        "containerStatuses"
    };
    format!("status.{list}[{}]", c.name)
}

/// The path of a container's spec, by name: `spec.containers[app]`.
pub(crate) fn spec_path(c: &ContainerView<'_>) -> String {
    let list = if c.init {
        "initContainers"
    } else {
        "containers"
    };
    format!("spec.{list}[{}]", c.name)
}

/// "container app" or "init container setup".
pub(crate) fn container_label(c: &ContainerView<'_>) -> String {
    if c.init {
        format!("init container {}", c.name)
    } else {
        format!("container {}", c.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_keep_quoted_spaces() {
        assert_eq!(
            tidy_command("kubectl create job x  -- sh -c 'set -e  echo'  "),
            "kubectl create job x -- sh -c 'set -e  echo'"
        );
    }

    #[test]
    fn deployment_from_pod_names() {
        assert_eq!(
            deployment_from_pod_name("billing-exporter-7c9f5d8b6d-kq2lm"),
            Some("billing-exporter")
        );
        assert_eq!(deployment_from_pod_name("web-5d8f7c9b4-zq6tn"), Some("web"));
        assert_eq!(deployment_from_pod_name("redis-0"), None);
        assert_eq!(deployment_from_pod_name("my-job-abcde"), None);
        assert_eq!(deployment_from_pod_name("cron-28391040-x7k2p"), None);
        assert_eq!(deployment_from_pod_name("backup-28467295-x7k2p"), None);
    }
}
