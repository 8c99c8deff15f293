//! Volumes that keep a pod off every node: claims that do not exist or are not bound
//! (`sched.pvc-unbound`), claims that cannot be provisioned (`volume.provisioning-failed`,
//! the root cause behind an unbound claim), and bound volumes pinned to nodes or zones the
//! pod cannot use (`sched.volume-node-affinity`).

use super::nodes::{self, name};
use super::placement::Case;
use super::reasons::Why;
use super::{blocking_taints, pending_for};
use crate::rules::pod::{PodView, ev, step};
use crate::snapshot::EventRec;
use crate::{Finding, ObjectRef, Severity, Snapshot};
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod};
use k8s_openapi::api::storage::v1::StorageClass;

/// The claims a pod mounts: `persistentVolumeClaim` volumes and generic ephemeral volumes
/// (whose claim is named `<pod>-<volume>`).
pub(crate) fn claims_of(pod: &Pod) -> Vec<String> {
    let pod_name = pod.metadata.name.as_deref().unwrap_or("");
    pod.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .filter_map(|v| {
            if let Some(c) = &v.persistent_volume_claim {
                Some(c.claim_name.clone())
            } else {
                v.ephemeral
                    .as_ref()
                    .map(|_| format!("{pod_name}-{}", v.name))
            }
        })
        .collect()
}

fn find_pvc<'a>(
    snap: &'a Snapshot,
    ns: Option<&str>,
    claim: &str,
) -> Option<&'a PersistentVolumeClaim> {
    snap.pvcs.iter().find(|p| {
        p.metadata.name.as_deref() == Some(claim)
            && (ns.is_none()
                || p.metadata.namespace.is_none()
                || p.metadata.namespace.as_deref() == ns)
    })
}

fn find_pv<'a>(snap: &'a Snapshot, name: &str) -> Option<&'a PersistentVolume> {
    snap.pvs
        .iter()
        .find(|p| p.metadata.name.as_deref() == Some(name))
}

fn is_default(sc: &StorageClass) -> bool {
    sc.metadata.annotations.as_ref().is_some_and(|a| {
        [
            "storageclass.kubernetes.io/is-default-class",
            "storageclass.beta.kubernetes.io/is-default-class",
        ]
        .iter()
        .any(|k| a.get(*k).is_some_and(|v| v == "true"))
    })
}

fn phase(pvc: &PersistentVolumeClaim) -> &str {
    pvc.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn class_of(pvc: &PersistentVolumeClaim) -> Option<&str> {
    pvc.spec
        .as_ref()
        .and_then(|s| s.storage_class_name.as_deref())
}

/// Why a Pending claim cannot get a volume.
enum Problem<'a> {
    /// The provisioner's own error.
    Failed(&'a EventRec),
    /// No class named, and none default (the API server fills in the default class at
    /// creation, and since 1.28 later too, so a claim without one means there is none).
    NoClass,
    /// The class it names does not exist.
    ClassMissing(&'a str),
    /// Static binding only (`storageClassName: ""`, or a class without a provisioner) and no
    /// PersistentVolume matches.
    NoVolume(Option<&'a EventRec>),
}

fn problem<'a>(snap: &'a Snapshot, pvc: &'a PersistentVolumeClaim) -> Option<Problem<'a>> {
    if phase(pvc) != "Pending" {
        return None;
    }
    let events = snap.events_for("PersistentVolumeClaim", &pvc.metadata);
    let last = |reason: &str| events.iter().rev().find(|e| e.reason == reason).copied();
    let class = class_of(pvc);
    let class_obj = class.and_then(|c| {
        snap.storage_classes
            .iter()
            .find(|s| s.metadata.name.as_deref() == Some(c))
    });
    if class_obj.is_some_and(|s| s.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"))
        && last("ProvisioningFailed").is_none()
    {
        return None;
    }
    if let Some(e) = last("ProvisioningFailed") {
        if let Some(c) = class
            && e.message.contains("not found")
            && e.message.contains("storageclass")
        {
            return Some(Problem::ClassMissing(c));
        }
        return Some(Problem::Failed(e));
    }
    let binding = last("FailedBinding");
    match class {
        None => Some(Problem::NoClass),
        Some("") => Some(Problem::NoVolume(binding)),
        Some(c) if !snap.storage_classes.is_empty() && class_obj.is_none() => {
            Some(Problem::ClassMissing(c))
        }
        Some(_)
            if class_obj.is_some_and(|s| s.provisioner == "kubernetes.io/no-provisioner")
                || binding.is_some() =>
        {
            Some(Problem::NoVolume(binding))
        }
        Some(_) => None,
    }
}

/// `volume.provisioning-failed` for every Pending claim that cannot get a volume, with the
/// workload and pods that mount it.
pub(crate) fn provisioning(snap: &Snapshot, pods: &[PodView<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for pvc in &snap.pvcs {
        let Some(p) = problem(snap, pvc) else {
            continue;
        };
        let claim = pvc.metadata.name.as_deref().unwrap_or("<unnamed>");
        let ns = pvc.metadata.namespace.as_deref();
        let users: Vec<&PodView<'_>> = pods
            .iter()
            .filter(|pv| {
                (ns.is_none() || pv.namespace.is_none() || pv.namespace == ns)
                    && claims_of(pv.pod).iter().any(|c| c == claim)
            })
            .collect();
        out.push(provisioning_finding(snap, pvc, claim, &p, &users));
    }
    out
}

fn provisioning_finding(
    snap: &Snapshot,
    pvc: &PersistentVolumeClaim,
    claim: &str,
    p: &Problem<'_>,
    users: &[&PodView<'_>],
) -> Finding {
    let ns = pvc.metadata.namespace.as_deref();
    let nsf = crate::rules::pod::ns_flag(ns);
    let class = class_of(pvc);
    let defaults: Vec<&str> = snap
        .storage_classes
        .iter()
        .filter(|s| is_default(s))
        .filter_map(|s| s.metadata.name.as_deref())
        .collect();
    let classes: Vec<String> = snap
        .storage_classes
        .iter()
        .filter_map(|s| {
            Some(format!(
                "{} ({}{})",
                s.metadata.name.as_deref()?,
                s.provisioner,
                if is_default(s) { ", default" } else { "" }
            ))
        })
        .collect();
    let short = match p {
        Problem::Failed(_) => "its provisioner fails".to_owned(),
        Problem::NoClass => {
            "it names no StorageClass and the cluster has no default one".to_owned()
        }
        Problem::ClassMissing(c) => format!("StorageClass {c} does not exist"),
        Problem::NoVolume(_) => {
            "no PersistentVolume matches it and nothing provisions one".to_owned()
        }
    };
    let mut evidence = vec![
        ev("status.phase", "Pending"),
        ev(
            "spec.storageClassName",
            match class {
                None => "not set".to_owned(),
                Some("") => "\"\" (dynamic provisioning disabled)".to_owned(),
                Some(c) => c.to_owned(),
            },
        ),
    ];
    if let Some(size) = pvc
        .spec
        .as_ref()
        .and_then(|s| s.resources.as_ref())
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
    {
        evidence.push(ev("spec.resources.requests.storage", size.0.clone()));
    }
    let events = snap.events_for("PersistentVolumeClaim", &pvc.metadata);
    if let Some(e) = events.iter().rev().find(|e| {
        matches!(
            e.reason.as_str(),
            "ProvisioningFailed" | "FailedBinding" | "ExternalProvisioning"
        )
    }) {
        evidence.push(crate::rules::pod::event_ev(e));
    }
    if !snap.storage_classes.is_empty() {
        evidence.push(ev("storageclasses", classes.join(", ")));
    }
    let mut remediation = Vec::new();
    let workload = users.first().and_then(|u| u.workload.clone());
    let sts = workload.as_ref().is_some_and(|w| w.kind == "StatefulSet");
    let recreate = if sts {
        "A claim's class cannot be changed: fix storageClassName in the StatefulSet's volumeClaimTemplates (recreate the StatefulSet with kubectl delete statefulset <name> --cascade=orphan, then apply), then delete this Pending claim so it is created again."
    } else {
        "A claim's class cannot be changed: delete the Pending claim and create it again with the right spec.storageClassName."
    };
    let explanation = match p {
        Problem::Failed(e) => {
            let prov = class
                .and_then(|c| {
                    snap.storage_classes
                        .iter()
                        .find(|s| s.metadata.name.as_deref() == Some(c))
                })
                .map(|s| s.provisioner.clone());
            remediation.push(step(
                format!(
                    "Read the provisioner's error (quoted above) and fix what it names: the {} controller's logs say more (cloud permissions, quota, unsupported parameters or access mode).",
                    prov.as_deref().unwrap_or("CSI driver")
                ),
                vec![
                    format!("kubectl describe pvc {claim} {nsf}"),
                    "kubectl get pods -A | grep -i -e csi -e provisioner".to_owned(),
                ],
            ));
            format!(
                "The claim is Pending because provisioning a volume for it fails: \"{}\"{}.",
                e.message,
                if e.count > 1 {
                    format!(" ({} times)", e.count)
                } else {
                    String::new()
                }
            )
        }
        Problem::NoClass => {
            let cmd = match snap.storage_classes.as_slice() {
                [only] => only
                    .metadata
                    .name
                    .clone()
                    .unwrap_or_else(|| "<class>".to_owned()),
                _ => "<class>".to_owned(),
            };
            remediation.push(step(
                "Mark a StorageClass as the cluster default (or install a provisioner first, e.g. local-path-provisioner on a bare-metal or single-node cluster); since Kubernetes 1.28 claims without a class then get it assigned.",
                vec![
                    "kubectl get storageclass".to_owned(),
                    format!("kubectl patch storageclass {cmd} -p '{{\"metadata\":{{\"annotations\":{{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}}}}'"),
                ],
            ));
            remediation.push(step(
                format!(
                    "Or give the claim a class that exists: since Kubernetes 1.28 a claim without a class may be set once (older clusters: delete and recreate it){}. Fix the manifest it came from as well.",
                    if sts { ", and fix the StatefulSet's volumeClaimTemplates" } else { "" }
                ),
                vec![format!(
                    "kubectl patch pvc {claim} {nsf} -p '{{\"spec\":{{\"storageClassName\":\"{cmd}\"}}}}'"
                )],
            ));
            remediation.push(step(
                "Or create a PersistentVolume by hand that matches the claim (size, access modes, no storageClassName).",
                vec![],
            ));
            format!(
                "The claim names no StorageClass{}. The API server writes the default class into a claim when one exists, so there is no default: nothing will provision a volume, and no PersistentVolume without a class matches it.",
                if snap.storage_classes.is_empty() {
                    String::new()
                } else if defaults.is_empty() {
                    format!(
                        " and none of the classes in the input ({}) is marked default",
                        classes.join(", ")
                    )
                } else {
                    String::new()
                }
            )
        }
        Problem::ClassMissing(c) => {
            remediation.push(step(
                format!(
                    "Use a class that exists{}. {recreate}",
                    if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", classes.join(", "))
                    }
                ),
                vec!["kubectl get storageclass".to_owned()],
            ));
            remediation.push(step(
                format!("Or create StorageClass {c} with the provisioner of this cluster."),
                vec![],
            ));
            format!(
                "The claim asks for StorageClass {c}, which does not exist in this cluster (often a class name from another cloud or chart default: gp2 vs gp3, standard vs standard-rwo, managed-premium vs managed-csi)."
            )
        }
        Problem::NoVolume(e) => {
            remediation.push(step(
                "Create a PersistentVolume that matches the claim (same storageClassName, at least the requested size, the same access mode), or point the claim at a class with a provisioner.",
                vec![format!("kubectl get pv"), format!("kubectl describe pvc {claim} {nsf}")],
            ));
            format!(
                "The claim can only bind to an existing PersistentVolume (no dynamic provisioning for {}), and none matches its class, size and access modes{}.",
                match class {
                    Some("") | None => "an empty class".to_owned(),
                    Some(c) => format!("class {c}"),
                },
                e.map(|e| format!(": \"{}\"", e.message))
                    .unwrap_or_default()
            )
        }
    };
    let pods: Vec<String> = users.iter().map(|u| u.name.to_owned()).collect();
    let title = format!("PersistentVolumeClaim {claim} stays Pending: {short}");
    Finding {
        id: "volume.provisioning-failed",
        severity: Severity::Error,
        title,
        object: ObjectRef {
            kind: "PersistentVolumeClaim".into(),
            namespace: ns.map(str::to_owned),
            name: claim.to_owned(),
            container: None,
        },
        workload,
        pods,
        explanation: format!(
            "{explanation}{}",
            if users.is_empty() {
                String::new()
            } else {
                " Every pod that mounts the claim waits for it (unbound immediate PersistentVolumeClaims)."
                    .to_owned()
            }
        ),
        evidence,
        remediation,
    }
}

/// The pod-level finding for a volume clause of the verdict.
pub(crate) fn pod_finding(c: &Case<'_, '_>, why: &Why) -> Option<Finding> {
    match why {
        Why::VolumeNodeAffinity => Some(node_affinity(c)),
        _ => Some(unbound(c, why)),
    }
}

fn unbound(c: &Case<'_, '_>, why: &Why) -> Finding {
    let ns = c.pv.namespace;
    let nsf = c.pv.ns_flag();
    let claims = claims_of(c.pv.pod);
    let missing_named = match why {
        Why::PvcNotFound(n) => n.clone(),
        _ => None,
    };
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut not_found: Vec<String> = missing_named.iter().cloned().collect();
    let mut waiting: Vec<(String, String, &EventRec)> = Vec::new();
    for claim in &claims {
        match find_pvc(c.snap, ns, claim) {
            Some(pvc) => {
                let p = phase(pvc);
                lines.push((
                    format!("persistentvolumeclaims[{claim}]"),
                    format!(
                        "{}, storageClassName {}",
                        if p.is_empty() { "phase unknown" } else { p },
                        class_of(pvc)
                            .map(|c| if c.is_empty() { "\"\"" } else { c })
                            .unwrap_or("not set")
                    ),
                ));
                if problem(c.snap, pvc).is_some() {
                    problems.push(claim.clone());
                } else if p == "Pending"
                    && let Some(e) = c
                        .snap
                        .events_for("PersistentVolumeClaim", &pvc.metadata)
                        .into_iter()
                        .rev()
                        .find(|e| e.reason == "ExternalProvisioning")
                {
                    let driver = e.message.split('\'').nth(1).unwrap_or("").to_owned();
                    waiting.push((claim.clone(), driver, e));
                }
            }
            None if !c.snap.pvcs.is_empty() && !not_found.contains(claim) => {
                not_found.push(claim.clone());
            }
            None => {}
        }
    }
    let title = if let Some(n) = not_found.first() {
        format!(
            "{} cannot be scheduled: PersistentVolumeClaim {n} does not exist",
            c.pv.subject()
        )
    } else if let Some(n) = problems.first() {
        format!(
            "{} cannot be scheduled: PersistentVolumeClaim {n} is Pending and cannot be provisioned",
            c.pv.subject()
        )
    } else if claims.len() == 1 {
        format!(
            "{} cannot be scheduled: PersistentVolumeClaim {} is not bound",
            c.pv.subject(),
            claims.first().map(String::as_str).unwrap_or("")
        )
    } else {
        format!(
            "{} cannot be scheduled: its PersistentVolumeClaims are not bound",
            c.pv.subject()
        )
    };
    let mut f = c.finding("sched.pvc-unbound", Severity::Error, title);
    if !claims.is_empty() {
        f.evidence.push(ev(
            "spec.volumes[*].persistentVolumeClaim.claimName",
            claims.join(", "),
        ));
    }
    for (p, v) in lines {
        f.evidence.push(ev(p, v));
    }
    let mut why_s = pending_for(c.snap, c.pv);
    if let Some(n) = not_found.first() {
        why_s.push_str(&format!(
            "The pod mounts claim {n}, which does not exist in its namespace, so no node can ever satisfy it. Typical causes: a typo in claimName, the claim created in another namespace, or (StatefulSet) the claim is named <volumeClaimTemplate>-<statefulset>-<ordinal> and the template name changed."
        ));
        f.remediation.push(step(
            format!("Create claim {n} in the pod's namespace, or fix spec.volumes[].persistentVolumeClaim.claimName of {}.", c.template_of()),
            vec![format!("kubectl get pvc {nsf}"), format!("kubectl edit {} {nsf}", c.pv.target())],
        ));
    } else {
        why_s.push_str("With volumeBindingMode Immediate the claim must be bound before the pod can be scheduled; until a PersistentVolume is bound to it, no node qualifies. ");
        if !problems.is_empty() {
            why_s.push_str(&format!(
                "The claim {} cannot get a volume (see the volume.provisioning-failed finding for the reason): fix that and the pod schedules by itself.",
                problems.join(", ")
            ));
        } else if let Some((claim, driver, e)) = waiting.first() {
            f.evidence.push(crate::rules::pod::event_ev(e));
            why_s.push_str(&format!(
                "Claim {claim} is waiting for the external provisioner '{driver}' to create its volume{}; nothing has happened, which almost always means that CSI driver's controller is not running (not installed, crashing, or without cloud permissions) or the driver name in the StorageClass is wrong.",
                if e.count > 1 { format!(" ({} ExternalProvisioning events)", e.count) } else { String::new() }
            ));
            f.remediation.push(step(
                format!("Check that the {driver} driver is installed and its controller pods are Running, and read their logs."),
                vec![
                    "kubectl get csidrivers".to_owned(),
                    format!(
                        "kubectl get pods -A | grep -i {}",
                        driver
                            .split(['.', '/'])
                            .find(|w| !matches!(*w, "driver" | "csi" | "io" | "com" | "k8s" | "kubernetes" | "cluster" | "local") && !w.is_empty())
                            .unwrap_or(driver)
                    ),
                ],
            ));
        } else if c.snap.pvcs.is_empty() {
            why_s.push_str("The claim objects are not in the input: check each claim's events for ProvisioningFailed, the StorageClass it names, and whether a default class exists.");
        } else {
            why_s.push_str("The claim is still Pending: the provisioner may be slow or not running (an ExternalProvisioning event that repeats), or no PersistentVolume matches it.");
        }
        let first = claims
            .first()
            .cloned()
            .unwrap_or_else(|| "<claim>".to_owned());
        f.remediation.push(step(
            format!("Read claim {first}'s events and its StorageClass: ProvisioningFailed names the error; no class and no default class means nothing will ever provision it."),
            vec![
                format!("kubectl describe pvc {first} {nsf}"),
                "kubectl get storageclass".to_owned(),
            ],
        ));
        f.remediation.push(step(
            "Then point the claim at a class that exists (or mark one default), install its provisioner, or create a matching PersistentVolume. A claim's class cannot be edited: delete the Pending claim and create it again.",
            vec![],
        ));
    }
    f.explanation = why_s;
    f
}

fn node_affinity(c: &Case<'_, '_>) -> Finding {
    let ns = c.pv.namespace;
    // Bound volumes and their node affinity terms.
    let mut vols: Vec<(String, &PersistentVolume)> = Vec::new();
    for claim in claims_of(c.pv.pod) {
        let Some(pvc) = find_pvc(c.snap, ns, &claim) else {
            continue;
        };
        let Some(vn) = pvc.spec.as_ref().and_then(|s| s.volume_name.as_deref()) else {
            continue;
        };
        if let Some(pv) = find_pv(c.snap, vn) {
            vols.push((claim, pv));
        }
    }
    let terms_of = |pv: &PersistentVolume| {
        pv.spec
            .as_ref()
            .and_then(|s| s.node_affinity.as_ref())
            .and_then(|a| a.required.as_ref())
            .map(|r| r.node_selector_terms.clone())
            .unwrap_or_default()
    };
    let mut f;
    let first = vols.iter().find(|(_, pv)| !terms_of(pv).is_empty());
    if let Some((claim, pv)) = first {
        let terms = terms_of(pv);
        let pv_name = pv.metadata.name.as_deref().unwrap_or("<unnamed>");
        let text: Vec<String> = terms
            .iter()
            .map(|t| {
                t.match_expressions
                    .iter()
                    .flatten()
                    .chain(t.match_fields.iter().flatten())
                    .map(nodes::req_text)
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        // Nodes the volume can be used on, and why the pod cannot go there.
        let mut reach: Vec<(String, Vec<String>)> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        for n in c.nodes() {
            let ok = terms.iter().any(|t| nodes::term_misses(t, n).is_empty());
            if !ok {
                others.push(name(n).to_owned());
                continue;
            }
            let mut why_not = Vec::new();
            if let Some(s) = c.pv.spec() {
                let m = nodes::selector_misses(s, n);
                if !m.is_empty() {
                    why_not.push(format!("the pod's selector: {}", m.join("; ")));
                }
            }
            let t = blocking_taints(c.pv.pod, n);
            if !t.is_empty() {
                why_not.push(format!(
                    "untolerated taint {}",
                    t.iter()
                        .map(|t| nodes::taint_text(t))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if nodes::cordoned(n) {
                why_not.push("cordoned".to_owned());
            }
            if !nodes::ready(n) {
                why_not.push("not Ready".to_owned());
            }
            reach.push((name(n).to_owned(), why_not));
        }
        f = c.finding(
            "sched.volume-node-affinity",
            Severity::Error,
            format!(
                "{} cannot be scheduled: its volume {pv_name} (claim {claim}) is only usable on nodes with {}, {}",
                c.pv.subject(),
                text.join(" or "),
                if reach.is_empty() && !c.snap.nodes.is_empty() {
                    "and no node has that"
                } else {
                    "and the pod cannot run there"
                }
            ),
        );
        f.evidence.push(ev(
            format!("persistentvolumes[{pv_name}].spec.nodeAffinity.required"),
            text.join(" OR "),
        ));
        if c.snap.nodes.is_empty() {
            // Nothing more to compare.
        } else if reach.is_empty() {
            f.evidence.push(ev(
                "nodes matching the volume's affinity",
                "none in the input",
            ));
        } else {
            for (n, w) in &reach {
                f.evidence.push(ev(
                    format!("nodes[{n}] (volume reachable)"),
                    if w.is_empty() {
                        "pod rejected for another reason".to_owned()
                    } else {
                        format!("pod rejected: {}", w.join("; "))
                    },
                ));
            }
        }
        let mut why_s = pending_for(c.snap, c.pv);
        why_s.push_str(&format!(
            "A PersistentVolume with node affinity can only be mounted on matching nodes: a zonal cloud disk in one zone, or a local/hostPath volume on one node. Volume {pv_name} requires {}. ",
            text.join(" or ")
        ));
        if c.snap.nodes.is_empty() {
            why_s.push_str("The input has no Node objects to say which nodes match.");
        } else if reach.is_empty() {
            why_s.push_str("No node in the input matches it: the node (or every node of that zone) is gone — replaced by the autoscaler or an upgrade, or the node group moved to other zones. The data stays on a volume no node can reach.");
        } else {
            why_s.push_str(&format!(
                "Only {} can use it, and the pod is kept off {}: the pod's own constraints and the volume's point to different nodes.",
                reach.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "),
                if reach.len() == 1 { "it" } else { "them" }
            ));
        }
        f.explanation = why_s;
        let nsf = c.pv.ns_flag();
        if reach.iter().any(|(_, w)| !w.is_empty()) {
            f.remediation.push(step(
                format!(
                    "Make the pod's constraints agree with the volume: change {}'s nodeSelector/affinity (or tolerations) so it may run on {}, or move the data to a volume the pod's nodes can reach.",
                    c.pv.subject(),
                    reach.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")
                ),
                vec![format!("kubectl edit {} {nsf}", c.pv.target())],
            ));
        } else {
            f.remediation.push(step(
                "Bring back a node that matches the volume (for a zonal disk: a node in that zone, e.g. by letting the node group use that zone).",
                vec![format!("kubectl get nodes -L topology.kubernetes.io/zone,kubernetes.io/hostname")],
            ));
            f.remediation.push(step(
                format!("If the data can be recreated or restored: delete claim {claim} (and volume {pv_name} if it is Retain) so a new volume is provisioned where the pod can run; use a StorageClass with volumeBindingMode: WaitForFirstConsumer so new volumes follow the pod."),
                vec![format!("kubectl delete pvc {claim} {nsf}")],
            ));
        }
        return f;
    }
    f = c.finding(
        "sched.volume-node-affinity",
        Severity::Error,
        format!(
            "{} cannot be scheduled: its volume can only be used on nodes the pod cannot run on",
            c.pv.subject()
        ),
    );
    f.explanation = format!(
        "{}The pod's PersistentVolume has node affinity (a zonal cloud disk, or a local volume tied to one node), and none of the nodes it matches is usable by the pod: the nodes of that zone are gone or full, the node holding a local volume was replaced, or the pod's nodeSelector/affinity points elsewhere. (The PersistentVolume and Node objects are not in the input, so they cannot be compared here.)",
        pending_for(c.snap, c.pv)
    );
    let claim = claims_of(c.pv.pod)
        .into_iter()
        .next()
        .unwrap_or_else(|| "<claim>".to_owned());
    f.remediation.push(step(
        "Compare the volume's node affinity with the nodes' zone and hostname labels.",
        vec![
            format!(
                "kubectl get pvc {claim} {} -o jsonpath='{{.spec.volumeName}}'",
                c.pv.ns_flag()
            ),
            "kubectl get pv <volume> -o jsonpath='{.spec.nodeAffinity}'".to_owned(),
            "kubectl get nodes -L topology.kubernetes.io/zone,kubernetes.io/hostname".to_owned(),
        ],
    ));
    f.remediation.push(step(
        "Then make the pod's nodeSelector/affinity match the volume's node or zone, add a node there, or (if the data can be recreated) delete the claim so a new volume is made where the pod runs, with a WaitForFirstConsumer StorageClass.",
        vec![],
    ));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ephemeral_claims_are_named_after_the_pod() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web-0"},
            "spec": {"containers": [], "volumes": [
                {"name": "data", "persistentVolumeClaim": {"claimName": "data-web-0"}},
                {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
                {"name": "cfg", "configMap": {"name": "x"}}
            ]}
        }))
        .unwrap();
        assert_eq!(claims_of(&pod), ["data-web-0", "web-0-scratch"]);
    }
}
