//! Volumes that cannot be attached or mounted, so the pod never leaves `ContainerCreating`.
//!
//! Ids: `mount.failed`, `mount.multi-attach`. The kubelet's `FailedMount` events
//! (`MountVolume.SetUp failed for volume "v" : …`, `Unable to attach or mount volumes:
//! unmounted volumes=[…]`, and the old `timeout expired waiting for volumes to
//! attach/mount … list of unattached/unmounted volumes=[…]`) and the attach/detach
//! controller's `FailedAttachVolume` events name the volume; the pod spec names its
//! source (ConfigMap, Secret, claim, CSI driver, NFS, hostPath), and the message says what
//! went wrong with it. A volume whose Secret/ConfigMap is missing *and* that the
//! environment also reads is reported once, as `config.missing-*` (see `config`).

use super::Ctx;
use super::config::{Missing, ObjKind, env_missing, parse_missing};
use super::pod::{PodView, ev, event_ev, step};
use crate::snapshot::EventRec;
use crate::{Evidence, Finding, Severity};
use k8s_openapi::api::core::v1::Volume;
use std::collections::HashMap;

/// A volume whose ConfigMap/Secret (or a key of it) a mount message says is missing.
pub(crate) struct VolumeMissing {
    pub volume: String,
    pub missing: Missing,
    pub evidence: Vec<Evidence>,
}

/// `<Op> failed for volume "v" : inner` → (op, volume, inner).
pub(crate) fn parse_volume_failure(msg: &str) -> Option<(&str, &str, &str)> {
    let marker = " failed for volume \"";
    let i = msg.find(marker)?;
    let op = msg.get(..i)?.rsplit(' ').next().unwrap_or("");
    let rest = msg.get(i + marker.len()..)?;
    let end = rest.find('"')?;
    let volume = rest.get(..end)?;
    let inner = rest
        .get(end + 1..)?
        .trim_start()
        .trim_start_matches(':')
        .trim();
    Some((op, volume, inner))
}

/// The volume names listed after `marker` in `[a b c]` or `[a, b]`.
fn bracket_list<'m>(msg: &'m str, marker: &str) -> Vec<&'m str> {
    let Some(i) = msg.find(marker) else {
        return Vec::new();
    };
    let rest = msg.get(i + marker.len()..).unwrap_or("");
    let body = rest.split(']').next().unwrap_or("");
    body.split([' ', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Volumes a generic mount timeout lists as not mounted (new and old kubelet wording).
fn timed_out_volumes(msg: &str) -> Vec<&str> {
    let mut v = bracket_list(msg, "unmounted volumes=[");
    if v.is_empty() {
        v = bracket_list(msg, "list of unattached/unmounted volumes=[");
    }
    v
}

/// `Multi-Attach error for volume "pvc-x" Volume is already used by pod(s) a, b`.
struct MultiAttach<'m> {
    volume: &'m str,
    holders: Vec<&'m str>,
}

fn parse_multi_attach(msg: &str) -> Option<MultiAttach<'_>> {
    let marker = "Multi-Attach error for volume \"";
    let i = msg.find(marker)?;
    let rest = msg.get(i + marker.len()..)?;
    let volume = rest.get(..rest.find('"')?)?;
    let holders = msg
        .find("already used by pod(s) ")
        .and_then(|j| msg.get(j + "already used by pod(s) ".len()..))
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Some(MultiAttach { volume, holders })
}

fn is_mount_event(e: &EventRec) -> bool {
    matches!(
        e.reason.as_str(),
        "FailedMount" | "FailedAttachVolume" | "FailedMapVolume" | "FailedSync"
    ) || e.message.starts_with("Multi-Attach error")
}

/// The ConfigMap / Secret a volume reads, from the pod spec.
fn volume_object(spec_vol: Option<&Volume>) -> Option<(ObjKind, &str)> {
    let v = spec_vol?;
    if let Some(s) = &v.secret {
        return Some((ObjKind::Secret, s.secret_name.as_deref()?));
    }
    if let Some(c) = &v.config_map {
        return Some((ObjKind::ConfigMap, c.name.as_str()));
    }
    None
}

fn spec_volume<'a>(pv: &PodView<'a>, name: &str) -> Option<&'a Volume> {
    pv.spec()?.volumes.as_ref()?.iter().find(|v| v.name == name)
}

/// Volumes whose mount fails for a missing ConfigMap/Secret (or key), from `FailedMount`.
pub(crate) fn volume_missing(pv: &PodView<'_>) -> Vec<VolumeMissing> {
    let mut out: Vec<VolumeMissing> = Vec::new();
    for e in pv.events.iter().filter(|e| is_mount_event(e)) {
        let Some((_, volume, inner)) = parse_volume_failure(&e.message) else {
            continue;
        };
        let Some(mut m) = parse_missing(inner) else {
            continue;
        };
        if m.name.is_empty() {
            match volume_object(spec_volume(pv, volume)) {
                Some((kind, name)) if kind == m.kind => name.clone_into(&mut m.name),
                _ => continue,
            }
        }
        match out
            .iter_mut()
            .find(|v| v.volume == volume && v.missing == m)
        {
            Some(v) => {
                if v.evidence.len() < 2 {
                    v.evidence.push(event_ev(e));
                }
            }
            None => out.push(VolumeMissing {
                volume: volume.to_owned(),
                missing: m,
                evidence: vec![event_ev(e)],
            }),
        }
    }
    out
}

/// Whether the pod runs with every container ready: its old mount events are history.
fn running_fine(pv: &PodView<'_>) -> bool {
    pv.phase() == "Running"
        && pv
            .pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// Objects that mount findings look up by name, indexed once (so many failing pods stay
/// linear): pods, PVCs by name and by bound volume, Deployments.
#[derive(Default)]
struct Lookup<'s> {
    snap: Option<&'s crate::Snapshot>,
    pods: HashMap<(Option<&'s str>, &'s str), &'s k8s_openapi::api::core::v1::Pod>,
    pvc_by_name:
        HashMap<(Option<&'s str>, &'s str), &'s k8s_openapi::api::core::v1::PersistentVolumeClaim>,
    pvc_by_volume: HashMap<(Option<&'s str>, &'s str), &'s str>,
    deployments: HashMap<(Option<&'s str>, &'s str), &'s k8s_openapi::api::apps::v1::Deployment>,
}

impl<'s> Lookup<'s> {
    fn new(snap: &'s crate::Snapshot) -> Self {
        let mut l = Lookup {
            snap: Some(snap),
            ..Lookup::default()
        };
        for p in &snap.pods {
            if let Some(n) = p.metadata.name.as_deref() {
                l.pods.insert((p.metadata.namespace.as_deref(), n), p);
            }
        }
        for c in &snap.pvcs {
            let ns = c.metadata.namespace.as_deref();
            if let Some(n) = c.metadata.name.as_deref() {
                l.pvc_by_name.insert((ns, n), c);
                if let Some(v) = c.spec.as_ref().and_then(|s| s.volume_name.as_deref()) {
                    l.pvc_by_volume.insert((ns, v), n);
                }
            }
        }
        for d in &snap.deployments {
            if let Some(n) = d.metadata.name.as_deref() {
                l.deployments
                    .insert((d.metadata.namespace.as_deref(), n), d);
            }
        }
        l
    }

    /// By name in a namespace; an object without a namespace matches any.
    fn get<'m, T: Copy>(
        map: &'m HashMap<(Option<&'s str>, &'s str), T>,
        ns: Option<&str>,
        name: &str,
    ) -> Option<T> {
        map.get(&(ns, name))
            .or_else(|| map.get(&(None, name)))
            .copied()
    }
}

/// Report mount and attach failures.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let snap = ctx.snap;
    if !snap.events.iter().any(is_mount_event) {
        return;
    }
    let lookup = Lookup::new(snap);
    // Objects the environment of any pod of a workload misses: the config.missing-*
    // finding on that workload explains a volume of another of its pods that misses the
    // same object (a rollout that moved a Secret from a volume to env, say).
    let mut env_by_owner: HashMap<String, Vec<(Missing, Option<String>)>> = HashMap::new();
    for pv in ctx.pods.iter().filter(|pv| !pv.done()) {
        for (m, c) in env_missing(pv) {
            let list = env_by_owner.entry(owner_key(pv)).or_default();
            if !list.iter().any(|(x, _)| *x == m) {
                list.push((m, c.map(str::to_owned)));
            }
        }
    }
    for i in 0..ctx.pods.len() {
        let mut found = Vec::new();
        if let Some(pv) = ctx.pods.get(i) {
            if pv.done() || pv.pod.metadata.deletion_timestamp.is_some() || running_fine(pv) {
                continue;
            }
            if !pv.events.iter().any(|e| is_mount_event(e)) {
                continue;
            }
            if let Some(f) = multi_attach(&lookup, pv) {
                found.push(f);
            }
            let owner_env: &[(Missing, Option<String>)] =
                env_by_owner.get(&owner_key(pv)).map_or(&[], Vec::as_slice);
            let env: Vec<Missing> = owner_env.iter().map(|(m, _)| m.clone()).collect();
            if let Some(f) = failed(&lookup, pv, &env) {
                found.push(f);
            }
            // This pod's volume misses what another pod of the workload misses in its
            // environment: the same finding, listing this pod too.
            let own: Vec<Missing> = env_missing(pv).into_iter().map(|(m, _)| m).collect();
            let vols = volume_missing(pv);
            for (m, c) in owner_env
                .iter()
                .filter(|(m, _)| !own.contains(m) && vols.iter().any(|v| v.missing == *m))
            {
                found.push(super::config::for_volume(
                    pv,
                    m.clone(),
                    c.as_deref(),
                    &vols,
                ));
            }
        }
        for f in found {
            ctx.pod_finding(i, f);
        }
    }
}

/// What a specific mount message says went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    Missing(Missing),
    NotRegistered,
    CsiDriver(String),
    Nfs,
    HostPath,
    Attach,
    Permission,
    Other,
}

fn why(op: &str, inner: &str, vol: Option<&Volume>) -> Why {
    if let Some(m) = parse_missing(inner) {
        return Why::Missing(m);
    }
    let l = inner.to_ascii_lowercase();
    if l.contains("not registered") {
        return Why::NotRegistered;
    }
    if let Some(i) = l.find("driver name ")
        && l.contains("not found in the list of registered csi drivers")
    {
        let name = inner
            .get(i + "driver name ".len()..)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("");
        return Why::CsiDriver(name.to_owned());
    }
    if l.contains("mount.nfs") || vol.is_some_and(|v| v.nfs.is_some()) {
        return Why::Nfs;
    }
    if l.contains("hostpath type check failed") || vol.is_some_and(|v| v.host_path.is_some()) {
        return Why::HostPath;
    }
    if op.starts_with("AttachVolume") || l.contains("external-attacher") {
        return Why::Attach;
    }
    if l.contains("permission denied") || l.contains("access denied") {
        return Why::Permission;
    }
    Why::Other
}

/// A volume's source in words: `ConfigMap app-config`, `claim data-0`.
fn source_words(v: Option<&Volume>) -> Option<String> {
    let v = v?;
    if let Some(s) = &v.secret {
        return Some(format!(
            "Secret {}",
            s.secret_name.as_deref().unwrap_or("?")
        ));
    }
    if let Some(c) = &v.config_map {
        return Some(format!("ConfigMap {}", c.name));
    }
    if let Some(c) = &v.persistent_volume_claim {
        return Some(format!("PersistentVolumeClaim {}", c.claim_name));
    }
    if let Some(c) = &v.csi {
        return Some(format!("CSI driver {}", c.driver));
    }
    if let Some(n) = &v.nfs {
        return Some(format!("NFS {}:{}", n.server, n.path));
    }
    if let Some(h) = &v.host_path {
        return Some(format!("hostPath {}", h.path));
    }
    if v.projected.is_some() {
        return Some("projected sources".to_owned());
    }
    if v.empty_dir.is_some() {
        return Some("emptyDir".to_owned());
    }
    None
}

/// Service-account token volumes: listed in every timeout, rarely the culprit.
fn is_token_volume(name: &str) -> bool {
    name.starts_with("kube-api-access-") || name.starts_with("default-token-")
}

struct Failing<'a> {
    volume: String,
    why: Option<Why>,
    evidence: Vec<Evidence>,
    inner: Option<&'a str>,
}

/// The workload of a pod (or the pod itself when it has none), for grouping.
fn owner_key(pv: &PodView<'_>) -> String {
    match &pv.workload {
        Some(w) => format!("{}/{}/{}", w.kind, pv.namespace.unwrap_or(""), w.name),
        None => format!("Pod/{}/{}", pv.namespace.unwrap_or(""), pv.name),
    }
}

fn failed(lookup: &Lookup<'_>, pv: &PodView<'_>, env: &[Missing]) -> Option<Finding> {
    let mut vols: Vec<Failing<'_>> = Vec::new();
    let mut timeouts: Vec<&EventRec> = Vec::new();
    for e in pv.events.iter().copied().filter(|e| is_mount_event(e)) {
        if e.message.starts_with("Multi-Attach error") {
            continue;
        }
        if let Some((op, volume, inner)) = parse_volume_failure(&e.message) {
            let spec_vol = spec_volume(pv, volume);
            let mut w = why(op, inner, spec_vol);
            if let Why::Missing(m) = &mut w
                && m.name.is_empty()
                && let Some((_, name)) = volume_object(spec_vol)
            {
                name.clone_into(&mut m.name);
            }
            if let Why::Missing(m) = &w
                && env.contains(m)
            {
                continue; // the config.missing-* finding explains this volume
            }
            match vols.iter_mut().find(|v| v.volume == volume) {
                Some(v) => {
                    if v.why.is_none() {
                        v.why = Some(w);
                        v.inner = Some(inner);
                    }
                    if v.evidence.len() < 3 {
                        v.evidence.push(event_ev(e));
                    }
                }
                None => vols.push(Failing {
                    volume: volume.to_owned(),
                    why: Some(w),
                    evidence: vec![event_ev(e)],
                    inner: Some(inner),
                }),
            }
        } else if !timed_out_volumes(&e.message).is_empty() {
            timeouts.push(e);
        }
    }
    // A generic timeout names volumes; those without a specific message are suspects.
    let mut listed: Vec<&str> = Vec::new();
    for e in &timeouts {
        for v in timed_out_volumes(&e.message) {
            if !listed.contains(&v) {
                listed.push(v);
            }
        }
    }
    let real: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|v| !is_token_volume(v))
        .collect();
    let suspects = if real.is_empty() {
        listed.clone()
    } else {
        real
    };
    // A Multi-Attach error explains the timeout of the claim it is about.
    let multi = pv
        .events
        .iter()
        .any(|e| e.message.starts_with("Multi-Attach error"));
    for v in suspects {
        if vols.iter().any(|f| f.volume == v) {
            continue;
        }
        let sv = spec_volume(pv, v);
        if multi && sv.is_none_or(|s| s.persistent_volume_claim.is_some() || s.csi.is_some()) {
            continue;
        }
        // Covered by a config finding: the env reads the same object.
        if let Some((kind, name)) = volume_object(spec_volume(pv, v))
            && env
                .iter()
                .any(|m| m.kind == kind && m.name == name && m.key.is_none())
        {
            continue;
        }
        vols.push(Failing {
            volume: v.to_owned(),
            why: None,
            evidence: Vec::new(),
            inner: None,
        });
    }
    if vols.is_empty() {
        return None;
    }
    let subject = pv.subject();
    let names: Vec<String> = vols
        .iter()
        .map(|v| match source_words(spec_volume(pv, &v.volume)) {
            Some(s) => format!("{} ({s})", v.volume),
            None => v.volume.clone(),
        })
        .collect();
    let first = vols.first()?;
    let first_vol = spec_volume(pv, &first.volume);
    // "namespace shop", or the pod's namespace when the input does not say.
    let ns_words = pv.namespace.map_or_else(
        || "the pod's namespace".to_owned(),
        |n| format!("namespace {n}"),
    );
    let title = match &first.why {
        Some(Why::Missing(m)) if m.key.is_none() => format!(
            "Volume {} of {subject} cannot be mounted: {} {} does not exist in {ns_words}",
            first.volume,
            m.kind.name(),
            m.name
        ),
        Some(Why::Missing(m)) => format!(
            "Volume {} of {subject} cannot be mounted: {} {} has no key {}",
            first.volume,
            m.kind.name(),
            m.name,
            m.key.as_deref().unwrap_or("")
        ),
        _ => format!(
            "Volume{} {} of {subject} cannot be {}",
            if names.len() > 1 { "s" } else { "" },
            names.join(", "),
            if matches!(first.why, Some(Why::Attach)) {
                "attached"
            } else {
                "mounted"
            }
        ),
    };
    let mut f = pv.finding("mount.failed", Severity::Error, None, title);
    for v in &vols {
        f.evidence.extend(v.evidence.iter().cloned());
    }
    for e in timeouts.iter().rev().take(1) {
        f.evidence.push(event_ev(e));
    }
    for v in &vols {
        if let Some(s) = source_words(spec_volume(pv, &v.volume)) {
            f.evidence
                .push(ev(format!("spec.volumes[{}]", v.volume), s));
        }
    }
    let ns = pv.ns_flag();
    let node = pv.node_name();
    let on_node = node.map(|n| format!(" on node {n}")).unwrap_or_default();
    let describe = format!("kubectl describe pod {} {ns}", pv.name);
    match &first.why {
        Some(Why::Missing(m)) => {
            let lower = if m.kind == ObjKind::Secret {
                "secret"
            } else {
                "configmap"
            };
            f.explanation = match &m.key {
                None => format!(
                    "The kubelet cannot populate volume {} because {} {} is not in {ns_words}; the pod stays in ContainerCreating until it exists. Usual causes: it was created in another namespace (a chart that always installs it into default), a name typo, or whatever creates it has not run.",
                    first.volume,
                    m.kind.name(),
                    m.name
                ),
                Some(k) => format!(
                    "Volume {} projects key {k} of {} {} (items), but the object has no such key; the kubelet cannot populate the volume and the pod stays in ContainerCreating.",
                    first.volume,
                    m.kind.name(),
                    m.name
                ),
            };
            f.remediation.push(step(
                format!("Look for the {} in this and other namespaces (a volume can only use an object of its own namespace).", m.kind.name()),
                vec![
                    format!("kubectl get {lower} {} {ns}", m.name),
                    format!("kubectl get {lower}s -A --field-selector metadata.name={}", m.name),
                ],
            ));
            let create = match m.kind {
                ObjKind::Secret => format!(
                    "kubectl create secret generic {} --from-file=<file> {ns}",
                    m.name
                ),
                ObjKind::ConfigMap => format!(
                    "kubectl create configmap {} --from-file=<file> {ns}",
                    m.name
                ),
            };
            f.remediation.push(step(
                format!(
                    "Create it in {ns_words} (or install it where the pod runs), or fix {}.volumes[{}] in {}; optional: true on the volume source lets the pod start without it. The kubelet retries the mount by itself.",
                    pv.template_spec_path(),
                    first.volume,
                    pv.target()
                ),
                vec![create],
            ));
        }
        Some(Why::NotRegistered) => {
            f.explanation = format!(
                "The kubelet's object cache has not registered the object volume {} reads (\"not registered\"). This is usually transient right after a kubelet restart or pod creation; if it persists, the object is missing or the pod was created before it.",
                first.volume
            );
            f.remediation.push(step(
                "Check that the object exists, then recreate the pod if the message persists.",
                vec![
                    describe.clone(),
                    format!("kubectl delete pod {} {ns}", pv.name),
                ],
            ));
        }
        Some(Why::CsiDriver(d)) => {
            f.explanation = format!(
                "Volume {} needs CSI driver {d}, which is not registered with the kubelet{on_node}: its node plugin (usually a DaemonSet) is not running there or is not installed at all.",
                first.volume
            );
            f.remediation.push(step(
                format!("Check the driver is installed and its node pod runs{on_node}."),
                vec![
                    "kubectl get csidrivers".to_owned(),
                    format!(
                        "kubectl get pods -A -o wide --field-selector spec.nodeName={}",
                        node.unwrap_or("<node>")
                    ),
                ],
            ));
        }
        Some(Why::Nfs) => {
            f.explanation = format!(
                "The node{on_node} cannot mount NFS volume {}: the server is unreachable from the node, the export path is wrong or not exported to the node, or the node lacks the NFS client (nfs-common / nfs-utils).",
                first.volume
            );
            f.remediation.push(step(
                "From the node, check the server and the export, and that the NFS client is installed.",
                vec!["showmount -e <nfs-server>".to_owned(), describe.clone()],
            ));
        }
        Some(Why::HostPath) => {
            f.explanation = format!(
                "hostPath volume {} points at a path that does not exist{on_node} (or is not of the type the spec demands, e.g. Directory vs File).",
                first.volume
            );
            f.remediation.push(step(
                "Create the path on the node, use type DirectoryOrCreate / FileOrCreate, or pin the pod to nodes that have it.",
                vec![describe.clone()],
            ));
        }
        Some(Why::Attach) => {
            f.explanation = format!(
                "The attach/detach controller could not attach the disk behind volume {} to the node{on_node}: the disk is in another zone, still attached elsewhere, the cloud quota of attached disks per node is reached, or the CSI controller (external-attacher) lacks permissions.",
                first.volume
            );
            f.remediation.push(step(
                "Look at the VolumeAttachment and the CSI controller's logs.",
                vec!["kubectl get volumeattachments".to_owned(), describe.clone()],
            ));
        }
        Some(Why::Permission) => {
            f.explanation = format!(
                "Mounting volume {} is refused with a permission error: the storage backend denies the node's credentials, or the mount options / fsGroup do not match.",
                first.volume
            );
            f.remediation.push(step(
                "Check the credentials the driver uses and the volume's mount options.",
                vec![describe.clone()],
            ));
        }
        Some(Why::Other) => {
            f.explanation = format!(
                "The kubelet cannot mount volume {} ({}); the pod stays in ContainerCreating. The message is the storage driver's own: {}",
                first.volume,
                source_words(first_vol).unwrap_or_else(|| "source not in the input".to_owned()),
                crate::text::clip(first.inner.unwrap_or(""), 300)
            );
            f.remediation.push(step(
                "Read the full events and the storage driver's logs on the node.",
                vec![describe.clone()],
            ));
        }
        None => {
            let likely = vols
                .iter()
                .filter_map(|v| {
                    let sv = spec_volume(pv, &v.volume);
                    let claim = sv
                        .and_then(|s| s.persistent_volume_claim.as_ref())
                        .map(|c| c.claim_name.as_str());
                    match (volume_object(sv), claim) {
                        (Some((k, n)), _) => Some(format!(
                            "volume {} reads {} {n}: check it exists in {ns_words}",
                            v.volume,
                            k.name()
                        )),
                        (None, Some(c)) => {
                            let phase = Lookup::get(&lookup.pvc_by_name, pv.namespace, c)
                                .and_then(|p| p.status.as_ref()?.phase.clone());
                            Some(format!(
                                "volume {} uses claim {c}{}",
                                v.volume,
                                phase.map(|p| format!(" (phase {p})")).unwrap_or_default()
                            ))
                        }
                        _ => None,
                    }
                })
                .collect::<Vec<_>>();
            f.explanation = format!(
                "The kubelet timed out waiting for volume{} {} to mount and gave no reason (older kubelets report only this timeout). {}",
                if names.len() > 1 { "s" } else { "" },
                names.join(", "),
                if likely.is_empty() {
                    "The usual causes: the ConfigMap/Secret it reads does not exist, its claim is not bound, or the storage driver cannot attach it.".to_owned()
                } else {
                    format!("Most likely: {}.", likely.join("; "))
                }
            );
            let mut cmds = vec![describe.clone()];
            for v in &vols {
                match volume_object(spec_volume(pv, &v.volume)) {
                    Some((ObjKind::ConfigMap, n)) => {
                        cmds.push(format!("kubectl get configmap {n} {ns}"));
                    }
                    Some((ObjKind::Secret, n)) => cmds.push(format!("kubectl get secret {n} {ns}")),
                    None => {
                        if let Some(c) = spec_volume(pv, &v.volume)
                            .and_then(|s| s.persistent_volume_claim.as_ref())
                        {
                            cmds.push(format!("kubectl get pvc {} {ns}", c.claim_name));
                        }
                    }
                }
            }
            cmds.push(format!(
                "kubectl get events {ns} --field-selector involvedObject.name={}",
                pv.name
            ));
            f.remediation.push(step(
                "Check the source of each volume that is not mounted; the kubelet's own log on the node has the real error.",
                cmds,
            ));
        }
    }
    Some(f)
}

fn multi_attach(lookup: &Lookup<'_>, pv: &PodView<'_>) -> Option<Finding> {
    let events: Vec<&EventRec> = pv
        .events
        .iter()
        .copied()
        .filter(|e| e.message.starts_with("Multi-Attach error"))
        .collect();
    let last = events.last()?;
    let ma = parse_multi_attach(&last.message)?;
    let mut holders: Vec<&str> = Vec::new();
    for e in &events {
        if let Some(m) = parse_multi_attach(&e.message) {
            for h in m.holders {
                if !holders.contains(&h) {
                    holders.push(h);
                }
            }
        }
    }
    // The claim behind the volume: a PVC bound to it, else the pod's only claim.
    let claim = Lookup::get(&lookup.pvc_by_volume, pv.namespace, ma.volume)
        .map(str::to_owned)
        .or_else(|| {
            let claims: Vec<&str> = pv
                .spec()?
                .volumes
                .iter()
                .flatten()
                .filter_map(|v| v.persistent_volume_claim.as_ref())
                .map(|c| c.claim_name.as_str())
                .collect();
            match claims.as_slice() {
                [one] => Some((*one).to_owned()),
                _ => None,
            }
        });
    let subject = pv.subject();
    let vol_words = match &claim {
        Some(c) => format!("volume {} (claim {c})", ma.volume),
        None => format!("volume {}", ma.volume),
    };
    let held_by = if holders.is_empty() {
        "another node".to_owned()
    } else {
        format!("pod {}", holders.join(", "))
    };
    let title = format!(
        "{subject} cannot attach {vol_words}: it is a single-node (ReadWriteOnce) volume still attached for {held_by}"
    );
    let mut f = pv.finding("mount.multi-attach", Severity::Error, None, title);
    for e in events.iter().rev().take(2) {
        f.evidence.push(event_ev(e));
    }
    let ns = pv.ns_flag();
    let node = pv.node_name();
    // What the input says about the pods holding it.
    let mut holder_notes: Vec<String> = Vec::new();
    let mut stuck: Vec<String> = Vec::new();
    for h in &holders {
        let Some(p) = Lookup::get(&lookup.pods, pv.namespace, h) else {
            continue;
        };
        let hnode = p.spec.as_ref().and_then(|s| s.node_name.as_deref());
        let deleting = p.metadata.deletion_timestamp.is_some();
        let node_down = hnode.and_then(|n| lookup.snap?.node(n)).is_some_and(|n| {
            n.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status != "True"))
        });
        let phase = p
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("unknown");
        f.evidence.push(ev(
            format!("pods[{h}]"),
            format!(
                "phase {phase}{}{}{}",
                hnode.map(|n| format!(", node {n}")).unwrap_or_default(),
                if deleting { ", terminating" } else { "" },
                if node_down { ", node not Ready" } else { "" }
            ),
        ));
        holder_notes.push(format!(
            "{h} ({phase}{}{})",
            hnode.map(|n| format!(" on {n}")).unwrap_or_default(),
            if deleting { ", terminating" } else { "" }
        ));
        if deleting || node_down {
            stuck.push((*h).to_owned());
        }
    }
    f.explanation = format!(
        "The disk behind {vol_words} can be attached to one node at a time (ReadWriteOnce / a block device), and it is still attached for {}{}. The attach/detach controller will not attach it to {} until it is detached there, so this pod waits in ContainerCreating. Typical causes: a rolling update that starts the new pod before the old one on another node stops, several replicas sharing one ReadWriteOnce claim, or an old pod stuck on a node that went down (the volume is force-detached only after about 6 minutes).",
        if holder_notes.is_empty() {
            held_by.clone()
        } else {
            holder_notes.join(", ")
        },
        String::new(),
        node.map(|n| format!("node {n}"))
            .unwrap_or_else(|| "this pod's node".to_owned())
    );
    f.remediation.push(step(
        format!(
            "See where the volume is attached now{}.",
            if holders.is_empty() {
                ""
            } else {
                " and what the holding pod is doing"
            }
        ),
        {
            let mut v = vec![format!(
                "kubectl get volumeattachments | grep {}",
                ma.volume
            )];
            for h in &holders {
                v.push(format!("kubectl get pod {h} {ns} -o wide"));
            }
            v
        },
    ));
    for h in &stuck {
        f.remediation.push(step(
            format!("Pod {h} is terminating or on a node that is not Ready; once it is gone the volume is released. If its node is really down, force-delete it — risky if the node is in fact still running it (two writers on one disk)."),
            vec![format!("kubectl delete pod {h} {ns} --grace-period=0 --force")],
        ));
    }
    let deployment = pv
        .workload
        .as_ref()
        .filter(|w| w.kind == "Deployment")
        .and_then(|w| Lookup::get(&lookup.deployments, pv.namespace, &w.name));
    if let Some(d) = deployment {
        let strategy = d
            .spec
            .strategy
            .as_ref()
            .and_then(|s| s.type_.as_deref())
            .unwrap_or("RollingUpdate");
        let replicas = d.spec.replicas.unwrap_or(1);
        f.evidence
            .push(ev("deployment.spec.strategy.type", strategy));
        if replicas > 1 {
            f.evidence
                .push(ev("deployment.spec.replicas", replicas.to_string()));
            f.remediation.push(step(
                format!("{replicas} replicas share one ReadWriteOnce claim: replicas on other nodes can never attach it. Give each replica its own volume (a StatefulSet with volumeClaimTemplates) or use ReadWriteMany storage."),
                vec![],
            ));
        }
        if strategy != "Recreate" {
            let patch = "{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}";
            f.remediation.push(super::pod::patch_step(
                format!("A RollingUpdate starts the new pod before the old one releases the volume. For a Deployment with a ReadWriteOnce volume use strategy Recreate (old pod stops first) on {}.", pv.target()),
                vec![format!("kubectl patch {} {ns} --type=merge -p '{patch}'", pv.target())],
                patch.to_owned(),
            ));
        }
    } else if pv.workload.as_ref().is_some_and(|w| w.kind == "Deployment") {
        f.remediation.push(step(
            format!("If this happens on every rollout of {}, use strategy Recreate (the old pod stops before the new one starts) or ReadWriteMany storage.", pv.target()),
            vec![],
        ));
    } else {
        f.remediation.push(step(
            "Stop the other pod that uses the volume (or give each pod its own volume), or use ReadWriteMany storage if several pods must share it.",
            vec![],
        ));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_messages() {
        let (op, v, inner) = parse_volume_failure(
            "MountVolume.SetUp failed for volume \"config-volume\" : configmap \"app\" not found",
        )
        .unwrap();
        assert_eq!(
            (op, v, inner),
            (
                "MountVolume.SetUp",
                "config-volume",
                "configmap \"app\" not found"
            )
        );
        assert_eq!(
            timed_out_volumes(
                "Unable to attach or mount volumes: unmounted volumes=[config data], unattached volumes=[config data kube-api-access-x]: timed out waiting for the condition"
            ),
            ["config", "data"]
        );
        assert_eq!(
            timed_out_volumes(
                "Unable to mount volumes for pod \"p_default(1)\": timeout expired waiting for volumes to attach/mount for pod \"p\"/\"default\". list of unattached/unmounted volumes=[config-volume]"
            ),
            ["config-volume"]
        );
        let m = parse_multi_attach(
            "Multi-Attach error for volume \"pvc-1\" Volume is already used by pod(s) web-a, web-b",
        )
        .unwrap();
        assert_eq!((m.volume, m.holders), ("pvc-1", vec!["web-a", "web-b"]));
        let m = parse_multi_attach("Multi-Attach error for volume \"pvc-2\" Volume is already exclusively attached to one node and can't be attached to another").unwrap();
        assert!(m.holders.is_empty());
    }
}
