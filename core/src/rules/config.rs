//! Containers the kubelet refuses to create because their configuration cannot be
//! resolved: a Secret or ConfigMap that does not exist, a key missing from one, or a
//! `runAsNonRoot` policy the image cannot satisfy.
//!
//! Ids: `config.missing-secret`, `config.missing-configmap`, `config.missing-key`,
//! `config.non-root`. The waiting reason is `CreateContainerConfigError`; the kubelet's
//! message (in the waiting state and in its `Failed` events, `Error: …`) names the object.
//! The pod spec says where the reference is (`env[].valueFrom.secretKeyRef`, `envFrom`,
//! a volume), so the remediation names the field on the controlling workload. When the
//! same missing object also fails a volume mount, the mount failure is evidence of this
//! finding, not a finding of its own (see `mount`).

use super::Ctx;
use super::pod::{ContainerView, PodView, container_label, ev, event_ev, patch_step, step};
use crate::{Evidence, Finding, Severity};
use k8s_openapi::api::core::v1::{Container, PodSpec};

/// The waiting reason of a container whose configuration could not be resolved.
pub(crate) const CONFIG_ERROR: &str = "CreateContainerConfigError";

/// Secret or ConfigMap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ObjKind {
    Secret,
    ConfigMap,
}

impl ObjKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ObjKind::Secret => "Secret",
            ObjKind::ConfigMap => "ConfigMap",
        }
    }
    fn lower(self) -> &'static str {
        match self {
            ObjKind::Secret => "secret",
            ObjKind::ConfigMap => "configmap",
        }
    }
}

/// A Secret or ConfigMap (or one key of it) that a message says is missing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Missing {
    pub kind: ObjKind,
    /// Empty when the message names only the key (a volume's `items`); the volume's
    /// source then names the object.
    pub name: String,
    /// The missing key, for `couldn't find key …`; `None` when the whole object is missing.
    pub key: Option<String>,
}

/// The `runAsNonRoot` check the kubelet failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NonRoot {
    /// "image will run as root": the image's user is root (or unset).
    ImageRoot,
    /// "image has non-numeric user (x)": a user name the kubelet cannot check.
    NonNumeric(String),
    /// "container's runAsUser breaks non-root policy": `runAsUser: 0` in the spec.
    UidZero,
}

/// A quoted name right after `prefix` in `m` (searched case-insensitively), followed by
/// ` not found`: `secret "x" not found`.
fn quoted_not_found(m: &str, lower: &str, prefix: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = lower.get(from..)?.find(prefix) {
        let start = from + i + prefix.len();
        let rest = m.get(start..)?;
        if let Some(end) = rest.find('"') {
            let name = rest.get(..end)?;
            let after = rest.get(end + 1..)?.trim_start();
            if after.to_ascii_lowercase().starts_with("not found") && !name.is_empty() {
                return Some(name.to_owned());
            }
        }
        from = start;
    }
    None
}

/// Read a kubelet message about a missing Secret / ConfigMap / key.
///
/// Recognised: `secret "x" not found`, `secrets "x" not found` (API form),
/// `configmap "x" not found`, `configmaps "x" not found`,
/// `couldn't find key K in Secret ns/x` (and `ConfigMap`, and the old capitalised form),
/// and the volume forms `configmap references non-existent config key: K` /
/// `secret references non-existent secret key: K`.
pub(crate) fn parse_missing(msg: &str) -> Option<Missing> {
    let lower = msg.to_ascii_lowercase();
    if let Some(i) = lower.find("couldn't find key ") {
        let rest = msg.get(i + "couldn't find key ".len()..)?;
        let (key, rest) = rest.split_once(" in ")?;
        let (kind, rest) = if let Some(r) = rest.strip_prefix("Secret ") {
            (ObjKind::Secret, r)
        } else if let Some(r) = rest.strip_prefix("ConfigMap ") {
            (ObjKind::ConfigMap, r)
        } else {
            return None;
        };
        let obj = rest
            .split(|c: char| c.is_whitespace() || c == ',' || c == ')' || c == '"')
            .next()
            .unwrap_or("");
        let name = obj.rsplit('/').next().unwrap_or(obj);
        return (!key.is_empty() && !name.is_empty()).then(|| Missing {
            kind,
            name: name.to_owned(),
            key: Some(key.to_owned()),
        });
    }
    for (marker, kind) in [
        ("references non-existent config key: ", ObjKind::ConfigMap),
        ("references non-existent secret key: ", ObjKind::Secret),
    ] {
        if let Some(i) = lower.find(marker) {
            let key = msg
                .get(i + marker.len()..)?
                .split(|c: char| c.is_whitespace() || c == ',' || c == ']')
                .next()
                .unwrap_or("");
            return (!key.is_empty()).then(|| Missing {
                kind,
                name: String::new(),
                key: Some(key.to_owned()),
            });
        }
    }
    for (prefix, kind) in [
        ("secret \"", ObjKind::Secret),
        ("secrets \"", ObjKind::Secret),
        ("configmap \"", ObjKind::ConfigMap),
        ("configmaps \"", ObjKind::ConfigMap),
    ] {
        if let Some(name) = quoted_not_found(msg, &lower, prefix) {
            return Some(Missing {
                kind,
                name,
                key: None,
            });
        }
    }
    None
}

/// Read a kubelet message about a failed `runAsNonRoot` check.
pub(crate) fn parse_non_root(msg: &str) -> Option<NonRoot> {
    let lower = msg.to_ascii_lowercase();
    if lower.contains("runasnonroot and image will run as root") {
        return Some(NonRoot::ImageRoot);
    }
    if let Some(i) = lower.find("image has non-numeric user (") {
        let rest = msg.get(i + "image has non-numeric user (".len()..)?;
        let user = rest.split(')').next().unwrap_or("");
        return Some(NonRoot::NonNumeric(user.to_owned()));
    }
    if lower.contains("runasuser breaks non-root policy") {
        return Some(NonRoot::UidZero);
    }
    None
}

/// The container named at the end of a kubelet `runAsNonRoot` message.
fn container_in_non_root(msg: &str) -> Option<&str> {
    let i = msg.rfind(", container: ")?;
    let rest = msg.get(i + ", container: ".len()..)?;
    let name = rest.split(')').next()?.trim();
    (!name.is_empty()).then_some(name)
}

/// The message of a kubelet `Failed` event without its `Error: ` prefix.
fn failed_message(e: &crate::snapshot::EventRec) -> Option<&str> {
    (e.reason == "Failed").then(|| e.message.strip_prefix("Error: ").unwrap_or(&e.message))
}

/// What the kubelet refused, for one container (or for the pod when events name none).
enum Problem {
    Missing(Missing),
    NonRoot(NonRoot),
}

/// One refusal with everything seen about it.
struct Refusal<'a> {
    problem: Problem,
    container: Option<&'a str>,
    evidence: Vec<Evidence>,
    /// Distinct messages already shown (events repeat the waiting message).
    shown: Vec<String>,
}

/// Missing objects the pod's containers report through their environment (waiting
/// message or `Failed` events), with the container when known.
pub(crate) fn env_missing<'a>(pv: &PodView<'a>) -> Vec<(Missing, Option<&'a str>)> {
    let mut out: Vec<(Missing, Option<&'a str>)> = Vec::new();
    for c in &pv.containers {
        if let Some(m) = waiting_config_message(c).and_then(parse_missing)
            && !out.iter().any(|(x, _)| *x == m)
        {
            out.push((m, Some(c.name)));
        }
    }
    for e in &pv.events {
        if let Some(m) = failed_message(e).and_then(parse_missing)
            && !m.name.is_empty()
            && !out.iter().any(|(x, _)| *x == m)
        {
            out.push((m, e.container()));
        }
    }
    out
}

fn waiting_config_message<'a>(c: &ContainerView<'a>) -> Option<&'a str> {
    let w = c.status?.state.as_ref()?.waiting.as_ref()?;
    (w.reason.as_deref() == Some(CONFIG_ERROR))
        .then_some(w.message.as_deref())
        .flatten()
}

/// Report refused container configurations.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    for i in 0..ctx.pods.len() {
        let claimed: Vec<String> = ctx
            .findings_for_pod(i)
            .filter_map(|f| f.object.container.clone())
            .collect();
        let Some(pv) = ctx.pods.get(i) else { continue };
        if pv.done() || pv.pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let mut refusals: Vec<Refusal<'_>> = Vec::new();
        // Container names are borrowed from the pod view, which outlives this loop body.
        let names: Vec<&str> = pv.containers.iter().map(|c| c.name).collect();
        for c in &pv.containers {
            if claimed.iter().any(|n| n == c.name) {
                continue;
            }
            let Some(msg) = waiting_config_message(c) else {
                continue;
            };
            let problem = if let Some(m) = parse_missing(msg) {
                Problem::Missing(m)
            } else if let Some(n) = parse_non_root(msg) {
                Problem::NonRoot(n)
            } else {
                continue; // container.create-failed reads the rest
            };
            let path = format!("{}.state.waiting.message", super::pod::status_path(c));
            let evidence = ev(path, crate::text::clip(msg, 500));
            add(&mut refusals, problem, Some(c.name), evidence, msg);
        }
        for e in &pv.events {
            let Some(msg) = failed_message(e) else {
                continue;
            };
            // The runAsNonRoot message names its container: `(pod: "…", container: x)`.
            let container = e
                .container()
                .or_else(|| container_in_non_root(msg))
                .and_then(|n| names.iter().copied().find(|k| *k == n))
                .or(e.container())
                .or_else(|| container_in_non_root(msg));
            if container.is_some_and(|n| claimed.iter().any(|c| c == n)) {
                continue;
            }
            let problem = if let Some(m) = parse_missing(msg).filter(|m| !m.name.is_empty()) {
                Problem::Missing(m)
            } else if let Some(n) = parse_non_root(msg) {
                Problem::NonRoot(n)
            } else {
                continue;
            };
            add(&mut refusals, problem, container, event_ev(e), msg);
        }
        if refusals.is_empty() {
            continue;
        }
        let volumes = super::mount::volume_missing(pv);
        let mut found = Vec::new();
        for r in refusals {
            found.push(describe(pv, r, &volumes));
        }
        for f in found {
            ctx.pod_finding(i, f);
        }
    }
}

/// Add one observation to the refusal it belongs to (same missing object; for
/// `runAsNonRoot`, the same container), or start a new one.
fn add<'a>(
    refusals: &mut Vec<Refusal<'a>>,
    problem: Problem,
    container: Option<&'a str>,
    evidence: Evidence,
    msg: &str,
) {
    let same = |r: &Refusal<'_>| match (&r.problem, &problem) {
        (Problem::Missing(a), Problem::Missing(b)) => a == b,
        (Problem::NonRoot(_), Problem::NonRoot(_)) => {
            r.container == container || container.is_none() || r.container.is_none()
        }
        _ => false,
    };
    match refusals.iter_mut().find(|r| same(r)) {
        Some(r) => {
            if r.container.is_none() {
                r.container = container;
            }
            if !r.shown.iter().any(|s| s == msg) && r.shown.len() < 3 {
                r.shown.push(msg.to_owned());
                r.evidence.push(evidence);
            }
        }
        None => refusals.push(Refusal {
            problem,
            container,
            evidence: vec![evidence],
            shown: vec![msg.to_owned()],
        }),
    }
}

/// The `config.missing-*` finding for a pod whose volume misses an object that another
/// pod of its workload misses in its environment (`container` names that container).
pub(crate) fn for_volume(
    pv: &PodView<'_>,
    m: Missing,
    container: Option<&str>,
    volumes: &[super::mount::VolumeMissing],
) -> Finding {
    let c = container.and_then(|n| pv.containers.iter().find(|c| c.name == n));
    let label = match (c, container) {
        (Some(c), _) => container_label(c),
        (None, Some(n)) => format!("container {n}"),
        (None, None) => "a container".to_owned(),
    };
    // No container state as evidence: this pod's containers wait for the volume and
    // never reach the environment check.
    missing(pv, None, container, &label, m, Vec::new(), volumes)
}

fn describe(pv: &PodView<'_>, r: Refusal<'_>, volumes: &[super::mount::VolumeMissing]) -> Finding {
    let container = r
        .container
        .and_then(|n| pv.containers.iter().find(|c| c.name == n));
    let label = match (container, r.container) {
        (Some(c), _) => container_label(c),
        (None, Some(n)) => format!("container {n}"),
        (None, None) => "a container".to_owned(),
    };
    match r.problem {
        Problem::Missing(m) => missing(pv, container, r.container, &label, m, r.evidence, volumes),
        Problem::NonRoot(n) => non_root(pv, container, r.container, &label, n, r.evidence),
    }
}

/// Where a pod spec refers to one Secret / ConfigMap.
struct Reference {
    /// Path below the pod spec: `containers[app].env[DB_PASS].valueFrom.secretKeyRef`.
    path: String,
    /// The key it reads, where it reads one.
    key: Option<String>,
    /// The container and env var, for an env reference (the one a patch can change).
    env: Option<(String, bool, String)>,
    /// Whether it is marked optional already.
    optional: bool,
}

fn references(spec: Option<&PodSpec>, kind: ObjKind, name: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let Some(spec) = spec else { return out };
    let groups: [(&str, bool, &[Container]); 2] = [
        ("containers", false, &spec.containers),
        (
            "initContainers",
            true,
            spec.init_containers.as_deref().unwrap_or(&[]),
        ),
    ];
    for (list, init, containers) in groups {
        for c in containers {
            for var in c.env.iter().flatten() {
                let Some(from) = &var.value_from else {
                    continue;
                };
                let (field, key, optional) = match kind {
                    ObjKind::Secret => match &from.secret_key_ref {
                        Some(s) if s.name == name => ("secretKeyRef", &s.key, s.optional),
                        _ => continue,
                    },
                    ObjKind::ConfigMap => match &from.config_map_key_ref {
                        Some(s) if s.name == name => ("configMapKeyRef", &s.key, s.optional),
                        _ => continue,
                    },
                };
                out.push(Reference {
                    path: format!("{list}[{}].env[{}].valueFrom.{field}", c.name, var.name),
                    key: Some(key.clone()),
                    env: Some((c.name.clone(), init, var.name.clone())),
                    optional: optional == Some(true),
                });
            }
            for (j, from) in c.env_from.iter().flatten().enumerate() {
                let (field, optional) = match kind {
                    ObjKind::Secret => match &from.secret_ref {
                        Some(s) if s.name == name => ("secretRef", s.optional),
                        _ => continue,
                    },
                    ObjKind::ConfigMap => match &from.config_map_ref {
                        Some(s) if s.name == name => ("configMapRef", s.optional),
                        _ => continue,
                    },
                };
                out.push(Reference {
                    path: format!("{list}[{}].envFrom[{j}].{field}", c.name),
                    key: None,
                    env: None,
                    optional: optional == Some(true),
                });
            }
        }
    }
    for v in spec.volumes.iter().flatten() {
        let hit = match kind {
            ObjKind::Secret => v
                .secret
                .as_ref()
                .filter(|s| s.secret_name.as_deref() == Some(name))
                .map(|s| ("secret", s.optional == Some(true))),
            ObjKind::ConfigMap => v
                .config_map
                .as_ref()
                .filter(|s| s.name == name)
                .map(|s| ("configMap", s.optional == Some(true))),
        };
        if let Some((field, optional)) = hit {
            out.push(Reference {
                path: format!("volumes[{}].{field}", v.name),
                key: None,
                env: None,
                optional,
            });
        }
    }
    out
}

/// A name that carries a release version (`secrets-2.16.4-1`): the version, if any.
fn version_in(name: &str) -> Option<&str> {
    name.split(['-', '_']).find(|part| {
        let digits = part.split('.').collect::<Vec<_>>();
        digits.len() >= 2
            && digits
                .iter()
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    })
}

#[allow(clippy::too_many_arguments)]
fn missing(
    pv: &PodView<'_>,
    c: Option<&ContainerView<'_>>,
    container: Option<&str>,
    label: &str,
    m: Missing,
    mut evidence: Vec<Evidence>,
    volumes: &[super::mount::VolumeMissing],
) -> Finding {
    let kind = m.kind.name();
    // "namespace shop", or the pod's namespace when the input does not say.
    let ns_words = pv.namespace.map_or_else(
        || "the pod's namespace".to_owned(),
        |n| format!("namespace {n}"),
    );
    let ns_prefix = pv.namespace.map(|n| format!("{n}/")).unwrap_or_default();
    let subject = pv.subject();
    let refs = references(pv.spec(), m.kind, &m.name);
    let vols: Vec<&super::mount::VolumeMissing> = volumes
        .iter()
        .filter(|v| v.missing.kind == m.kind && v.missing.name == m.name)
        .collect();
    let (id, title) = match &m.key {
        Some(key) => (
            "config.missing-key",
            format!(
                "Key {key} is missing from {kind} {ns_prefix}{}, which {label} of {subject} reads",
                m.name
            ),
        ),
        None => (
            match m.kind {
                ObjKind::Secret => "config.missing-secret",
                ObjKind::ConfigMap => "config.missing-configmap",
            },
            format!(
                "{kind} {} does not exist in {ns_words}: {label} of {subject} cannot start{}",
                m.name,
                if vols.is_empty() {
                    String::new()
                } else {
                    format!(
                        " and volume {} cannot be mounted",
                        vols.iter()
                            .map(|v| v.volume.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
        ),
    };
    let mut f = pv.finding(id, Severity::Error, container, title);
    if let Some(c) = c
        && c.status.is_some()
    {
        f.evidence.push(ev(
            format!("{}.state.waiting.reason", super::pod::status_path(c)),
            CONFIG_ERROR,
        ));
    }
    f.evidence.append(&mut evidence);
    for v in &vols {
        f.evidence.extend(v.evidence.iter().cloned());
    }
    for r in &refs {
        let value = match (&r.key, r.optional) {
            (Some(k), o) => format!(
                "name: {}, key: {k}{}",
                m.name,
                if o { ", optional: true" } else { "" }
            ),
            (None, _) => format!("name: {}", m.name),
        };
        f.evidence.push(ev(format!("spec.{}", r.path), value));
    }
    let what = if m.kind == ObjKind::Secret {
        "Secret"
    } else {
        "ConfigMap"
    };
    let version_note = version_in(&m.name)
        .map(|v| format!(" Its name carries a version ({v}): a release or chart version that does not match the one that created the {what} is a common cause — look for the same name with another version."))
        .unwrap_or_default();
    let ns = pv.ns_flag();
    let lower = m.kind.lower();
    let tmpl = pv.template_spec_path();
    let paths: Vec<String> = refs.iter().map(|r| format!("{tmpl}.{}", r.path)).collect();
    match &m.key {
        None => {
            f.explanation = format!(
                "Before starting a container the kubelet resolves every {what} it uses — env (valueFrom / envFrom) and volumes. {what} {} is not in {ns_words}, so the kubelet refuses to create the container (CreateContainerConfigError{}) and retries until it exists; nothing runs meanwhile.{version_note} Other usual causes: it was created in another namespace, the name has a typo, or whatever creates it (a Helm chart, an operator, external-secrets, sealed-secrets) has not run.",
                m.name,
                if vols.is_empty() {
                    ""
                } else {
                    "; the volume that mounts it fails with FailedMount for the same reason"
                }
            );
            f.remediation.push(step(
                format!("Check whether the {what} exists under this name in another namespace (an object can only be used from its own namespace)."),
                vec![
                    format!("kubectl get {lower} {} {ns}", m.name),
                    format!("kubectl get {lower}s -A --field-selector metadata.name={}", m.name),
                ],
            ));
            let keys: Vec<&str> = {
                let mut k: Vec<&str> = refs.iter().filter_map(|r| r.key.as_deref()).collect();
                k.sort_unstable();
                k.dedup();
                k
            };
            let literals = if keys.is_empty() {
                " --from-literal=<KEY>=<value>".to_owned()
            } else {
                keys.iter()
                    .map(|k| format!(" --from-literal={k}=<value>"))
                    .collect::<String>()
            };
            let create = match m.kind {
                ObjKind::Secret => {
                    format!("kubectl create secret generic {}{literals} {ns}", m.name)
                }
                ObjKind::ConfigMap => {
                    format!("kubectl create configmap {}{literals} {ns}", m.name)
                }
            };
            f.remediation.push(step(
                format!(
                    "Create it in {ns_words}{} (fill in the real values; for files use --from-file). The kubelet picks it up on its next retry; no restart is needed.",
                    if keys.is_empty() {
                        String::new()
                    } else {
                        format!(" with the key(s) the pod reads: {}", keys.join(", "))
                    }
                ),
                vec![create],
            ));
        }
        Some(key) => {
            f.explanation = format!(
                "{what} {ns_prefix}{} exists, but it has no key {key}, and {label} reads that key{}. The kubelet refuses to create the container (CreateContainerConfigError) until the key is there or the reference changes.",
                m.name,
                refs.iter()
                    .find(|r| r.key.as_deref() == Some(key.as_str()))
                    .map(|r| format!(" ({})", r.path))
                    .unwrap_or_default()
            );
            let template = "'{{range $k, $v := .data}}{{$k}}{{\"\\n\"}}{{end}}'";
            f.remediation.push(step(
                format!("List the keys the {what} really has (names only, no values) and compare with {key}: a typo or a different case is common."),
                vec![format!("kubectl get {lower} {} {ns} -o go-template={template}", m.name)],
            ));
            let field = if m.kind == ObjKind::Secret {
                "stringData"
            } else {
                "data"
            };
            f.remediation.push(step(
                format!("Add the key to the {what} (fill in the real value), or correct the key name in the reference."),
                vec![format!(
                    "kubectl patch {lower} {} {ns} --type=merge -p '{{\"{field}\":{{\"{key}\":\"<value>\"}}}}'",
                    m.name
                )],
            ));
        }
    }
    // Fix or relax the reference on the workload.
    let env_refs: Vec<&Reference> = refs
        .iter()
        .filter(|r| r.env.is_some() && (m.key.is_none() || r.key == m.key))
        .collect();
    if let Some(r) = env_refs.first()
        && let Some((cname, init, var)) = &r.env
    {
        let field = if m.kind == ObjKind::Secret {
            "secretKeyRef"
        } else {
            "configMapKeyRef"
        };
        let key = r.key.as_deref().unwrap_or_default();
        let list = if *init {
            "initContainers"
        } else {
            "containers"
        };
        let inner = format!(
            "{{\"{list}\":[{{\"name\":{},\"env\":[{{\"name\":{},\"valueFrom\":{{\"{field}\":{{\"name\":{},\"key\":{},\"optional\":true}}}}}}]}}]}}",
            json(cname),
            json(var),
            json(&m.name),
            json(key)
        );
        let patch = pv.wrap_template(&inner);
        f.remediation.push(patch_step(
            format!(
                "Or fix the reference on {}: {}. Only if container {cname} can run without the value, mark it optional: true (the variable is then left unset). {}",
                pv.target(),
                paths
                    .iter()
                    .filter(|p| p.contains(".env["))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                pv.apply_hint()
            ),
            pv.workload_command(pv.patch_command(&patch)),
            patch,
        ));
    } else if !paths.is_empty() {
        f.remediation.push(step(
            format!(
                "Or fix the reference on {}: {} (optional: true where the container can run without it). {}",
                pv.target(),
                paths.join(", "),
                pv.apply_hint()
            ),
            pv.workload_command(format!("kubectl edit {} {ns}", pv.target())),
        ));
    } else {
        f.remediation.push(step(
            format!(
                "Or fix the reference in the pod template of {} (env valueFrom.{}, envFrom or a volume naming {}).",
                pv.target(),
                if m.kind == ObjKind::Secret { "secretKeyRef" } else { "configMapKeyRef" },
                m.name
            ),
            pv.workload_command(format!("kubectl edit {} {ns}", pv.target())),
        ));
    }
    f
}

fn json(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

fn non_root(
    pv: &PodView<'_>,
    c: Option<&ContainerView<'_>>,
    container: Option<&str>,
    label: &str,
    n: NonRoot,
    mut evidence: Vec<Evidence>,
) -> Finding {
    let subject = pv.subject();
    let image = c
        .and_then(|c| c.spec)
        .and_then(|s| s.image.clone())
        .unwrap_or_else(|| "its image".to_owned());
    let title = match &n {
        NonRoot::ImageRoot => format!(
            "{label} of {subject} is refused: runAsNonRoot is required but {image} runs as root"
        ),
        NonRoot::NonNumeric(u) => format!(
            "{label} of {subject} is refused: runAsNonRoot is required but {image} names its user ({u}) instead of a numeric uid"
        ),
        NonRoot::UidZero => format!(
            "{label} of {subject} is refused: runAsNonRoot is required but runAsUser is 0 (root)"
        ),
    };
    let mut f = pv.finding("config.non-root", Severity::Error, container, title);
    if let Some(c) = c
        && c.status.is_some()
    {
        f.evidence.push(ev(
            format!("{}.state.waiting.reason", super::pod::status_path(c)),
            CONFIG_ERROR,
        ));
    }
    f.evidence.append(&mut evidence);
    // Where the policy is set.
    let pod_sc = pv.spec().and_then(|s| s.security_context.as_ref());
    let c_sc = c
        .and_then(|c| c.spec)
        .and_then(|s| s.security_context.as_ref());
    if let (Some(c), Some(sc)) = (c, c_sc) {
        if let Some(v) = sc.run_as_non_root {
            f.evidence.push(ev(
                format!("{}.securityContext.runAsNonRoot", super::pod::spec_path(c)),
                v.to_string(),
            ));
        }
        if let Some(u) = sc.run_as_user {
            f.evidence.push(ev(
                format!("{}.securityContext.runAsUser", super::pod::spec_path(c)),
                u.to_string(),
            ));
        }
    }
    if let Some(sc) = pod_sc {
        if let Some(v) = sc.run_as_non_root {
            f.evidence
                .push(ev("spec.securityContext.runAsNonRoot", v.to_string()));
        }
        if let Some(u) = sc.run_as_user {
            f.evidence
                .push(ev("spec.securityContext.runAsUser", u.to_string()));
        }
    }
    let ns = pv.ns_flag();
    let distroless = [
        "distroless",
        "chainguard",
        "cgr.dev",
        "/ko",
        "ko://",
        "nonroot",
    ]
    .iter()
    .any(|k| image.contains(k));
    let (uid, why) = match &n {
        NonRoot::NonNumeric(u) if u == "nonroot" => (
            65532,
            format!("user {u} is uid 65532 in distroless-style images"),
        ),
        NonRoot::NonNumeric(u) => (
            1000,
            format!(
                "use the real uid of user {u} in the image; 1000 is only the most common value — check with the command below"
            ),
        ),
        _ if distroless => (
            65532,
            "65532 is the 'nonroot' user of distroless/ko images".to_owned(),
        ),
        _ => (
            1000,
            "any non-zero uid the image's files allow; 1000 is a common choice".to_owned(),
        ),
    };
    f.explanation = match &n {
        NonRoot::ImageRoot => format!(
            "The pod (or container) securityContext sets runAsNonRoot: true, and nothing sets runAsUser, so the kubelet checks the image's own user: {image} runs as root (uid 0 or no USER), and the kubelet refuses to create the container (CreateContainerConfigError). This often appears when an image changes its base (e.g. to a ko- or distroless-built image whose default user is root)."
        ),
        NonRoot::NonNumeric(u) => format!(
            "The securityContext sets runAsNonRoot: true and no runAsUser; the image's USER is the name {u:?}, and the kubelet cannot tell from a name whether it is root, so it refuses the container (CreateContainerConfigError). A numeric runAsUser (or a numeric USER in the image) fixes it."
        ),
        NonRoot::UidZero => "The securityContext sets both runAsNonRoot: true and runAsUser: 0 — a contradiction the kubelet refuses (CreateContainerConfigError).".to_owned(),
    };
    let cname = container.unwrap_or("<container>");
    let patch = match c {
        Some(c) => pv.container_patch(
            c,
            &format!("\"securityContext\":{{\"runAsNonRoot\":true,\"runAsUser\":{uid}}}"),
        ),
        None => pv.wrap_template(&format!(
            "{{\"containers\":[{{\"name\":{},\"securityContext\":{{\"runAsNonRoot\":true,\"runAsUser\":{uid}}}}}]}}",
            json(cname)
        )),
    };
    f.remediation.push(patch_step(
        format!(
            "Run {label} as a numeric non-root user: set securityContext.runAsUser: {uid} on it in {} ({why}). Make sure that user may read the image's files and write where the program writes. {}",
            pv.target(),
            pv.apply_hint()
        ),
        pv.workload_command(pv.patch_command(&patch)),
        patch,
    ));
    f.remediation.push(step(
        "Find the user the image declares (and its uid), or rebuild the image with a numeric USER (e.g. USER 65532:65532).",
        vec![
            format!(
                "docker image inspect {} --format '{{{{.Config.User}}}}'",
                if image == "its image" { "<image>" } else { &image }
            ),
            format!("kubectl get {} {ns} -o yaml", pv.target()),
        ],
    ));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_objects_in_kubelet_messages() {
        let m = parse_missing("Error: secret \"db-creds\" not found").unwrap();
        assert_eq!(
            (m.kind, m.name.as_str(), m.key),
            (ObjKind::Secret, "db-creds", None)
        );
        let m = parse_missing("secrets \"secrets-2.16.4-1\" not found").unwrap();
        assert_eq!(m.name, "secrets-2.16.4-1");
        let m = parse_missing("MountVolume.SetUp failed for volume \"config-volume\" : configmaps \"prometheus-msteams-config\" not found").unwrap();
        assert_eq!(
            (m.kind, m.name.as_str()),
            (ObjKind::ConfigMap, "prometheus-msteams-config")
        );
        let m = parse_missing("couldn't find key name in Secret catalog/catalog-db").unwrap();
        assert_eq!(
            (m.name.as_str(), m.key.as_deref()),
            ("catalog-db", Some("name"))
        );
        let m = parse_missing("Couldn't find key level in ConfigMap default/app").unwrap();
        assert_eq!(
            (m.kind, m.key.as_deref()),
            (ObjKind::ConfigMap, Some("level"))
        );
        let m = parse_missing("configmap references non-existent config key: app.yaml").unwrap();
        assert_eq!((m.name.as_str(), m.key.as_deref()), ("", Some("app.yaml")));
        assert!(parse_missing("image \"x\" not found").is_none());
        assert!(parse_missing("secret \"\" not found").is_none());
        assert!(parse_missing("secret \"a\" is forbidden").is_none());
    }

    #[test]
    fn non_root_messages() {
        assert_eq!(
            parse_non_root(
                "container has runAsNonRoot and image will run as root (pod: \"a_b(c)\", container: x)"
            ),
            Some(NonRoot::ImageRoot)
        );
        assert_eq!(
            parse_non_root(
                "container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root (pod: \"p\", container: c)"
            ),
            Some(NonRoot::NonNumeric("app".into()))
        );
        assert_eq!(
            parse_non_root(
                "container's runAsUser breaks non-root policy (pod: \"p\", container: c)"
            ),
            Some(NonRoot::UidZero)
        );
        assert_eq!(
            container_in_non_root(
                "container has runAsNonRoot and image will run as root (pod: \"p_ns(u)\", container: cmk-init)"
            ),
            Some("cmk-init")
        );
    }

    #[test]
    fn versions_in_names() {
        assert_eq!(version_in("secrets-2.16.4-1"), Some("2.16.4"));
        assert_eq!(version_in("db-creds"), None);
    }
}
