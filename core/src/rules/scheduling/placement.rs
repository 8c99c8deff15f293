//! Findings for the placement constraints: taints, node selectors and affinity, pod
//! (anti-)affinity, topology spread, host ports, cordoned nodes, pod limits, other
//! resources, and no nodes at all. Each reads the Node objects and the
//! pods bound to them when the input has them, and the scheduler's words when it does not.

use super::nodes::{self, labels, live_pods_on, name, taint_text};
use super::reasons::{Why, condition_of_taint, is_control_plane_taint, taint_in};
use super::{Source, Verdict, pending_for, pod_request};
use crate::quantity::Quantity;
use crate::rules::pod::{PodView, ev, event_ev, patch_step, step};
use crate::{Finding, Severity, Snapshot};
use k8s_openapi::api::core::v1::{Node, PodSpec, Taint, Toleration};
use std::collections::BTreeMap;

/// One pending pod and what the scheduler said about it.
pub(crate) struct Case<'a, 'v> {
    pub snap: &'a Snapshot,
    pub pv: &'v PodView<'a>,
    pub verdict: &'v Verdict<'a>,
    pub clauses: &'v [(u32, String, Why)],
    pub total: Option<u32>,
}

impl<'a> Case<'a, '_> {
    fn spec(&self) -> Option<&'a PodSpec> {
        self.pv.spec()
    }

    /// The finding with the verdict as its first evidence.
    pub(crate) fn finding(&self, id: &'static str, severity: Severity, title: String) -> Finding {
        let mut f = self.pv.finding(id, severity, None, title);
        match &self.verdict.source {
            Source::Condition => f.evidence.push(ev(
                "status.conditions[PodScheduled].message",
                self.verdict.message.clone(),
            )),
            Source::Event(e) => f.evidence.push(event_ev(e)),
        }
        f
    }

    /// Nodes in the input, by name.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = &'a Node> + use<'a, '_> {
        self.snap.nodes.iter().map(|n| &**n)
    }

    /// Nodes counted by the scheduler: from the verdict, else the Node objects.
    fn node_count(&self) -> Option<usize> {
        self.total
            .map(|t| t as usize)
            .or_else(|| (!self.snap.nodes.is_empty()).then_some(self.snap.nodes.len()))
    }

    fn ns(&self) -> String {
        self.pv.ns_flag()
    }

    /// "Deployment web's pod template", or "the pod's spec" for a bare pod.
    pub(crate) fn template_of(&self) -> String {
        if self.pv.workload.is_some() {
            format!("{}'s pod template", self.pv.subject())
        } else {
            "the pod's spec".to_owned()
        }
    }

    /// A JSON-patch path into the controlling workload's pod template.
    fn template_path(&self) -> &'static str {
        match self.pv.workload.as_ref().map(|w| w.kind.as_str()) {
            Some("CronJob") => "/spec/jobTemplate/spec/template/spec",
            Some(_) => "/spec/template/spec",
            None => "/spec",
        }
    }

    /// `kubectl patch <target> --type=json -p '<ops>'` where the template can change.
    fn json_patch(&self, ops: &str) -> Vec<String> {
        self.pv.workload_command(format!(
            "kubectl patch {} {} --type=json -p '{ops}'",
            self.pv.target(),
            self.ns()
        ))
    }

    /// Replicas the workload asks for, when its object is in the input.
    fn replicas(&self) -> Option<i32> {
        let wl = self.pv.workload.as_ref()?;
        nodes::workload_template(self.snap, wl)
            .and_then(|(_, r)| r)
            .map(|r| r.max(0))
    }
}

/// Build the finding for the root-cause clause.
pub(crate) fn build(c: &Case<'_, '_>, why: &Why) -> Option<Finding> {
    Some(match why {
        Why::Taint(_) | Why::Condition(_) => taint(c),
        Why::Selector => selector(c),
        Why::PodAffinity | Why::AntiAffinity | Why::AffinityEither => affinity(c, why),
        Why::Spread { missing_label } => spread(c, *missing_label),
        Why::Ports => ports(c),
        Why::Unschedulable => unschedulable(c),
        Why::TooManyPods => too_many_pods(c),
        Why::Other(r) => other_resource(c, r),
        Why::NoNodes => no_nodes(c),
        Why::PvcUnbound | Why::PvcNotFound(_) | Why::VolumeNodeAffinity => {
            return super::volumes::pod_finding(c, why);
        }
        Why::Cpu | Why::Memory | Why::Unknown => return None,
    })
}

/// The taints of the verdict: from the Node objects (each node's untolerated taints), else
/// read off the message.
struct Blocking<'a> {
    /// Node name → its untolerated taints (NoSchedule/NoExecute).
    by_node: Vec<(&'a str, Vec<&'a Taint>)>,
    /// Taints the message names (key, value) when no Node object says more.
    from_message: Vec<(String, String)>,
}

fn blocking<'a>(c: &Case<'a, '_>) -> Blocking<'a> {
    let by_node: Vec<(&str, Vec<&Taint>)> = c
        .nodes()
        .map(|n| (name(n), super::blocking_taints(c.pv.pod, n)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let mut from_message: Vec<(String, String)> = Vec::new();
    for (_, text, w) in c.clauses {
        if matches!(w, Why::Taint(_))
            && let Some(kv) = taint_in(text)
            && !from_message.contains(&kv)
        {
            from_message.push(kv);
        }
        if let Why::Condition(k) = w {
            let kv = ((*k).to_owned(), String::new());
            if !from_message.contains(&kv) {
                from_message.push(kv);
            }
        }
    }
    Blocking {
        by_node,
        from_message,
    }
}

/// The default tolerations the API server adds to every pod (not-ready/unreachable for
/// 300 s): not part of the template.
fn is_default_toleration(t: &Toleration) -> bool {
    matches!(
        t.key.as_deref(),
        Some("node.kubernetes.io/not-ready" | "node.kubernetes.io/unreachable")
    ) && t.operator.as_deref() == Some("Exists")
        && t.effect.as_deref() == Some("NoExecute")
        && t.toleration_seconds == Some(300)
}

fn toleration_for(key: &str, value: &str, effect: &str) -> Toleration {
    Toleration {
        key: Some(key.to_owned()),
        operator: Some(if value.is_empty() { "Exists" } else { "Equal" }.to_owned()),
        value: (!value.is_empty()).then(|| value.to_owned()),
        effect: Some(effect.to_owned()),
        toleration_seconds: None,
    }
}

fn taint(c: &Case<'_, '_>) -> Finding {
    let b = blocking(c);
    // Distinct blocking taints (key, value, effect) and the nodes carrying each.
    let mut taints: BTreeMap<(String, String, String), Vec<&str>> = BTreeMap::new();
    for (node, ts) in &b.by_node {
        for t in ts {
            taints
                .entry((
                    t.key.clone(),
                    t.value.clone().unwrap_or_default(),
                    t.effect.clone(),
                ))
                .or_default()
                .push(node);
        }
    }
    if taints.is_empty() {
        for (k, v) in &b.from_message {
            taints.insert((k.clone(), v.clone(), String::new()), Vec::new());
        }
    }
    let is_cp = |k: &str| is_control_plane_taint(k);
    let is_cond = |k: &str| condition_of_taint(k).is_some();
    let all_cond = !taints.is_empty() && taints.keys().all(|(k, _, _)| is_cond(k));
    let custom: Vec<&(String, String, String)> = taints
        .keys()
        .filter(|(k, _, _)| !is_cp(k) && !is_cond(k))
        .collect();
    let cp_only = !taints.is_empty() && taints.keys().all(|(k, _, _)| is_cp(k));
    let single_node = c.node_count() == Some(1);
    let shown = |(k, v, e): &(String, String, String)| {
        let kv = if v.is_empty() {
            k.clone()
        } else {
            format!("{k}={v}")
        };
        if e.is_empty() {
            kv
        } else {
            format!("{kv}:{e}")
        }
    };
    // The headline names the taints that matter: the control-plane taint only when it is
    // all there is.
    let list: Vec<String> = taints
        .iter()
        .filter(|((k, _, _), _)| custom.is_empty() || !is_cp(k))
        .map(|(t, ns)| {
            if ns.is_empty() {
                shown(t)
            } else {
                format!("{} on {}", shown(t), ns.join(", "))
            }
        })
        .collect();
    let sev = if all_cond {
        Severity::Warning
    } else {
        Severity::Error
    };
    let title = if taints.is_empty() {
        format!(
            "{} cannot be scheduled: the nodes carry taints it does not tolerate",
            c.pv.subject()
        )
    } else if all_cond {
        format!(
            "{} cannot be scheduled: the node is unhealthy and Kubernetes tainted it ({})",
            c.pv.subject(),
            list.join("; ")
        )
    } else if cp_only && single_node {
        format!(
            "{} cannot be scheduled: the only node{} is a control-plane node, tainted {}",
            c.pv.subject(),
            b.by_node
                .first()
                .map(|(n, _)| format!(", {n},"))
                .unwrap_or_default(),
            taints.keys().map(shown).collect::<Vec<_>>().join(", ")
        )
    } else {
        format!(
            "{} cannot be scheduled: untolerated taint {}",
            c.pv.subject(),
            list.join("; ")
        )
    };
    let mut f = c.finding("sched.taint", sev, title);
    for (node, ts) in &b.by_node {
        let t: Vec<String> = ts.iter().map(|t| taint_text(t)).collect();
        f.evidence
            .push(ev(format!("nodes[{node}].spec.taints"), t.join(", ")));
    }
    let tolerations = c
        .spec()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or_default();
    let own: Vec<&Toleration> = tolerations
        .iter()
        .filter(|t| !is_default_toleration(t))
        .collect();
    if c.spec().is_some() {
        f.evidence.push(ev(
            "spec.tolerations",
            if own.is_empty() {
                "none (besides the default not-ready/unreachable ones)".to_owned()
            } else {
                own.iter()
                    .map(|t| {
                        format!(
                            "{}{}{}{}",
                            t.key.as_deref().unwrap_or("*"),
                            t.value
                                .as_deref()
                                .filter(|v| !v.is_empty())
                                .map(|v| format!("={v}"))
                                .unwrap_or_default(),
                            t.effect
                                .as_deref()
                                .map(|e| format!(":{e}"))
                                .unwrap_or_default(),
                            if t.operator.as_deref() == Some("Exists") {
                                " (Exists)"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ));
    }
    let mut why = String::new();
    why.push_str(&pending_for(c.snap, c.pv));
    why.push_str("A taint with effect NoSchedule or NoExecute keeps every pod without a matching toleration off the node. ");
    if all_cond {
        let conds: Vec<String> = taints
            .keys()
            .filter_map(|(k, _, _)| condition_of_taint(k).map(|cnd| format!("{k} means {cnd}")))
            .collect();
        why.push_str(&format!(
            "These taints are set by Kubernetes itself for a node condition: {}. The node is the problem, not the pod: tolerating the taint would place the pod on a broken node. Fix the node (see the node.* findings), and the taint goes away by itself.",
            conds.join("; ")
        ));
    } else if cp_only {
        why.push_str("node-role.kubernetes.io/control-plane (formerly …/master) is put on control-plane nodes by kubeadm and most installers so that ordinary workloads run elsewhere. ");
        if single_node {
            why.push_str("This cluster has a single node and it is the control plane, so no ordinary pod can run anywhere: in a lab or single-node cluster remove the taint; in production add worker nodes.");
        } else {
            why.push_str("The other nodes reject the pod for the other reasons listed.");
        }
    } else {
        why.push_str("The pod has no toleration for ");
        let names: Vec<String> = custom.iter().map(|t| shown(t)).collect();
        why.push_str(&names.join(", "));
        why.push_str(". If the pod belongs on those nodes (a dedicated pool), add the toleration to the workload's pod template; if the taint is left over, remove it from the node. A toleration only allows the node, it does not attract the pod: pair it with a node selector to pin the pod there.");
    }
    if b.by_node.is_empty() && c.snap.nodes.is_empty() {
        why.push_str(" (Read from the scheduler's message; with the Node objects in the input, kdiag names each node's taints.)");
    }
    f.explanation = why;
    if all_cond {
        let nodes_named: Vec<&str> = b.by_node.iter().map(|(n, _)| *n).collect();
        let cmds = if nodes_named.is_empty() {
            vec![
                "kubectl get nodes".to_owned(),
                "kubectl describe nodes".to_owned(),
            ]
        } else {
            nodes_named
                .iter()
                .map(|n| format!("kubectl describe node {n}"))
                .collect()
        };
        f.remediation.push(step(
            "Find out why the node is unhealthy (its Conditions and the kubelet's events) and repair it; do not add a toleration for a condition taint.",
            cmds,
        ));
        return f;
    }
    // Tolerations to add: every non-condition taint (control-plane included only when it
    // is all there is).
    let to_tolerate: Vec<&(String, String, String)> = if custom.is_empty() {
        taints.keys().filter(|(k, _, _)| !is_cond(k)).collect()
    } else {
        custom.clone()
    };
    if !to_tolerate.is_empty() {
        let base: Vec<Toleration> =
            c.pv.workload
                .as_ref()
                .and_then(|w| nodes::workload_template(c.snap, w))
                .and_then(|(s, _)| s)
                .map(|s| s.tolerations.clone().unwrap_or_default())
                .unwrap_or_else(|| own.iter().map(|t| (*t).clone()).collect());
        let mut list = base;
        for (k, v, e) in &to_tolerate {
            let effect = if e.is_empty() { "NoSchedule" } else { e };
            list.push(toleration_for(k, v, effect));
        }
        let json = serde_json::to_string(&list).unwrap_or_default();
        let patch = c.pv.wrap_template(&format!("{{\"tolerations\":{json}}}"));
        let effect_note = if to_tolerate.iter().any(|(_, _, e)| e.is_empty()) {
            " (the effect is taken as NoSchedule: the message does not say; check it with kubectl describe node)"
        } else {
            ""
        };
        f.remediation.push(patch_step(
            format!(
                "If {} belongs on those nodes, add the toleration{} to spec.tolerations of its pod template (the patch keeps the tolerations it already has){effect_note}. {}",
                c.pv.subject(),
                if to_tolerate.len() > 1 { "s" } else { "" },
                c.pv.apply_hint()
            ),
            c.pv.workload_command(c.pv.patch_command(&patch)),
            patch,
        ));
    }
    // Removing the taint from the nodes.
    let mut cmds: Vec<String> = Vec::new();
    for ((k, v, e), ns) in &taints {
        if is_cond(k) || (!custom.is_empty() && is_cp(k)) {
            continue;
        }
        let spec = match (v.is_empty(), e.is_empty()) {
            (true, true) => format!("{k}-"),
            (true, false) => format!("{k}:{e}-"),
            (false, true) => format!("{k}={v}-"),
            (false, false) => format!("{k}={v}:{e}-"),
        };
        if ns.is_empty() {
            cmds.push(format!("kubectl taint nodes <node> {spec}"));
        } else {
            for n in ns {
                cmds.push(format!("kubectl taint nodes {n} {spec}"));
            }
        }
    }
    if !cmds.is_empty() {
        let text = if cp_only && single_node {
            "Single-node or lab cluster: let ordinary pods run on the control plane by removing its taint (the trailing '-' removes it). In production, add worker nodes instead."
        } else if cp_only {
            "Or, only if ordinary workloads may share the control plane, remove its taint (the trailing '-' removes it)."
        } else {
            "Or, if the taint is a leftover and the node should take ordinary pods, remove it (the trailing '-' removes it)."
        };
        f.remediation.push(step(text, cmds));
        if cp_only && single_node {
            // On a single-node cluster removing the taint is the usual fix: say it first.
            f.remediation.rotate_right(1);
        }
    }
    if b.by_node.is_empty() {
        f.remediation.push(step(
            "See which taints each node has.",
            vec![
                "kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints"
                    .to_owned(),
            ],
        ));
    }
    f
}

fn selector(c: &Case<'_, '_>) -> Finding {
    let spec = c.spec();
    let node_sel: Vec<String> = spec
        .and_then(|s| s.node_selector.as_ref())
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let terms: Vec<String> = spec
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .map(|r| {
            r.node_selector_terms
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
                .collect()
        })
        .unwrap_or_default();
    let wanted = {
        let mut w = node_sel.clone();
        if !terms.is_empty() {
            w.push(format!("node affinity: {}", terms.join(" or ")));
        }
        w
    };
    // Per node: what it lacks. Closest = fewest misses; ready, uncordoned nodes first.
    let mut per_node: Vec<(&str, Vec<String>, bool)> = match spec {
        Some(s) if nodes::has_selector(s) => c
            .nodes()
            .map(|n| {
                (
                    name(n),
                    nodes::selector_misses(s, n),
                    nodes::ready(n)
                        && !nodes::cordoned(n)
                        && super::blocking_taints(c.pv.pod, n).is_empty(),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    per_node.sort_by(|a, b| {
        a.1.len()
            .cmp(&b.1.len())
            .then(b.2.cmp(&a.2))
            .then(a.0.cmp(b.0))
    });
    let matching = per_node.iter().filter(|(_, m, _)| m.is_empty()).count();
    // The parts of the selector no node meets (what the title names).
    let unmet: Vec<String> = match spec {
        Some(s) if !c.snap.nodes.is_empty() => {
            let mut u: Vec<String> = s
                .node_selector
                .iter()
                .flatten()
                .filter(|(k, v)| !c.nodes().any(|n| labels(n).get(*k) == Some(*v)))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let aff_only = PodSpec {
                affinity: s.affinity.clone(),
                ..PodSpec::default()
            };
            if !terms.is_empty()
                && !c
                    .nodes()
                    .any(|n| nodes::selector_misses(&aff_only, n).is_empty())
            {
                u.push(format!("node affinity: {}", terms.join(" or ")));
            }
            u
        }
        _ => Vec::new(),
    };
    let wanted = if unmet.is_empty() { wanted } else { unmet };
    let title = if wanted.is_empty() {
        format!(
            "{} cannot be scheduled: no node matches its node selector / node affinity",
            c.pv.subject()
        )
    } else if !per_node.is_empty() && matching == 0 {
        format!(
            "{} cannot be scheduled: none of the {} node(s) matches {}",
            c.pv.subject(),
            per_node.len(),
            wanted.join(", ")
        )
    } else {
        format!(
            "{} cannot be scheduled: no usable node matches {}",
            c.pv.subject(),
            wanted.join(", ")
        )
    };
    let mut f = c.finding("sched.node-selector", Severity::Error, title);
    if !node_sel.is_empty() {
        f.evidence
            .push(ev("spec.nodeSelector", node_sel.join(", ")));
    }
    if !terms.is_empty() {
        f.evidence.push(ev(
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
            terms.join(" OR "),
        ));
    }
    for (n, misses, _) in per_node.iter().take(6) {
        f.evidence.push(ev(
            format!("nodes[{n}]"),
            if misses.is_empty() {
                "matches (rejected for another reason)".to_owned()
            } else {
                misses.join("; ")
            },
        ));
    }
    if per_node.len() > 6 {
        f.evidence.push(ev(
            "nodes[…]",
            format!("{} more node(s) further off", per_node.len() - 6),
        ));
    }
    let mut why = pending_for(c.snap, c.pv);
    why.push_str("The scheduler only considers nodes whose labels satisfy the pod's nodeSelector and required node affinity. ");
    match per_node.first() {
        Some((n, misses, _)) if !misses.is_empty() => {
            why.push_str(&format!(
                "No node in the input does. The closest is {n}, which misses {}: {}. Either the selector is wrong (a typo, a label from another cluster or node pool, a generated value) or the nodes were never labelled.",
                misses.len(),
                misses.join("; ")
            ));
            // What the nodes do carry for each key the pod asks about.
            let mut keys: Vec<&str> = spec
                .into_iter()
                .flat_map(|s| s.node_selector.iter().flatten().map(|(k, _)| k.as_str()))
                .collect();
            keys.extend(
                spec.and_then(|s| s.affinity.as_ref())
                    .and_then(|a| a.node_affinity.as_ref())
                    .and_then(|na| {
                        na.required_during_scheduling_ignored_during_execution
                            .as_ref()
                    })
                    .into_iter()
                    .flat_map(|r| r.node_selector_terms.iter())
                    .flat_map(|t| t.match_expressions.iter().flatten())
                    .map(|e| e.key.as_str()),
            );
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                let mut vals: Vec<&str> = c
                    .nodes()
                    .filter_map(|n| labels(n).get(k).map(String::as_str))
                    .collect();
                vals.sort_unstable();
                vals.dedup();
                if !vals.is_empty() {
                    why.push_str(&format!(" The nodes carry {k} = {}.", vals.join(", ")));
                }
            }
        }
        Some((n, _, _)) => {
            why.push_str(&format!(
                "{matching} node(s) match (first: {n}), but they are rejected for the other reasons listed; the rest lack the labels."
            ));
        }
        None if wanted.is_empty() => {
            why.push_str("The input has neither the pod's spec nor the nodes, so the selector cannot be compared here: compare the pod's Node-Selectors and node affinity with the nodes' labels.");
        }
        None => {
            why.push_str(&format!(
                "The pod asks for {}; the input has no Node objects to compare with, so check the nodes' labels.",
                wanted.join(", ")
            ));
        }
    }
    f.explanation = why;
    // Fixes: label the closest node, or change the selector to what nodes have.
    let ns = c.ns();
    if let (Some((closest, misses, _)), Some(s)) = (per_node.first(), spec)
        && !misses.is_empty()
    {
        let mut label_args: Vec<String> = Vec::new();
        let mut relabel_needed = false;
        for (k, v) in s.node_selector.iter().flatten() {
            let node = c.nodes().find(|n| name(n) == *closest);
            let have = node.and_then(|n| labels(n).get(k));
            if have != Some(v) {
                label_args.push(format!("{k}={v}"));
                relabel_needed |= have.is_some();
            }
        }
        if !label_args.is_empty() {
            f.remediation.push(step(
                format!(
                    "If {closest} is where the pod should run, give it the label{} the pod selects{}.",
                    if label_args.len() > 1 { "s" } else { "" },
                    if relabel_needed { " (--overwrite replaces its current value)" } else { "" }
                ),
                vec![format!(
                    "kubectl label node {closest} {}{}",
                    label_args.join(" "),
                    if relabel_needed { " --overwrite" } else { "" }
                )],
            ));
        }
        // Selector keys no node has with the wanted value: offer to drop them (or to use a
        // value nodes actually carry).
        let mut patch_map: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        let mut notes: Vec<String> = Vec::new();
        for (k, v) in s.node_selector.iter().flatten() {
            let anyone = c.nodes().any(|n| labels(n).get(k) == Some(v));
            if anyone {
                continue;
            }
            let mut seen: Vec<&str> = c
                .nodes()
                .filter_map(|n| labels(n).get(k).map(String::as_str))
                .collect();
            seen.sort_unstable();
            seen.dedup();
            let norm = |x: &str| -> String {
                x.chars()
                    .filter(|ch| ch.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase()
            };
            let mut near: Vec<&str> = c
                .nodes()
                .flat_map(|n| labels(n).iter())
                .filter(|(k2, v2)| *k2 != k && norm(k2) == norm(k) && *v2 == v)
                .map(|(k2, _)| k2.as_str())
                .collect();
            near.sort_unstable();
            near.dedup();
            if let [other] = near.as_slice() {
                patch_map.insert(k.clone(), serde_json::Value::Null);
                patch_map.insert((*other).to_owned(), serde_json::Value::String(v.clone()));
                notes.push(format!(
                    "the key {k} looks like a typo of {other}, which the nodes have ({other}={v}): select {other}={v} instead"
                ));
                continue;
            }
            match seen.as_slice() {
                [only] => {
                    patch_map.insert(k.clone(), serde_json::Value::String((*only).to_owned()));
                    notes.push(format!("{k}: {v} → {only} (the value the nodes have)"));
                }
                _ => {
                    patch_map.insert(k.clone(), serde_json::Value::Null);
                    notes.push(format!("drop {k}={v} (no node has it)"));
                }
            }
        }
        if !patch_map.is_empty() {
            let json = serde_json::to_string(&patch_map).unwrap_or_default();
            let patch = c.pv.wrap_template(&format!("{{\"nodeSelector\":{json}}}"));
            f.remediation.push(patch_step(
                format!(
                    "Or fix spec.nodeSelector of {}: {}. {}",
                    c.template_of(),
                    notes.join("; "),
                    c.pv.apply_hint()
                ),
                c.pv.workload_command(c.pv.patch_command(&patch)),
                patch,
            ));
        }
        if !terms.is_empty() {
            let lead = if f.remediation.is_empty() {
                "Change"
            } else {
                "Or change"
            };
            f.remediation.push(step(
                format!(
                    "{lead} the required node affinity of {} (spec.affinity.nodeAffinity) to labels the nodes have, or make it preferredDuringSchedulingIgnoredDuringExecution.",
                    c.template_of()
                ),
                vec![format!("kubectl edit {} {ns}", c.pv.target())],
            ));
        }
    } else {
        let keys: Vec<String> = spec
            .and_then(|s| s.node_selector.as_ref())
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        f.remediation.push(step(
            "Compare the labels the pod selects with the labels the nodes have.",
            vec![if keys.is_empty() {
                "kubectl get nodes --show-labels".to_owned()
            } else {
                format!("kubectl get nodes -L {}", keys.join(","))
            }],
        ));
        let pairs: Vec<String> = spec
            .and_then(|s| s.node_selector.as_ref())
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if pairs.is_empty() {
            f.remediation.push(step(
                format!(
                    "Then either label a node with what the pod requires, or fix spec.nodeSelector / spec.affinity.nodeAffinity of {}.",
                    c.template_of()
                ),
                c.pv.workload_command(format!("kubectl edit {} {ns}", c.pv.target())),
            ));
        } else {
            f.remediation.push(step(
                "If a node should run the pod, give it the labels the pod selects.",
                vec![format!("kubectl label node <node> {}", pairs.join(" "))],
            ));
            let nulls: BTreeMap<String, serde_json::Value> = keys
                .iter()
                .map(|k| (k.clone(), serde_json::Value::Null))
                .collect();
            let json = serde_json::to_string(&nulls).unwrap_or_default();
            let patch = c.pv.wrap_template(&format!("{{\"nodeSelector\":{json}}}"));
            f.remediation.push(patch_step(
                format!(
                    "Or, if the selector is wrong, remove it (or correct its value) in {}. {}",
                    c.template_of(),
                    c.pv.apply_hint()
                ),
                c.pv.workload_command(c.pv.patch_command(&patch)),
                patch,
            ));
        }
    }
    f
}

/// Distinct values of a topology key over the nodes, and the nodes lacking it.
/// Only nodes the pod may use count: those passing its node selector/affinity and, when
/// `strict`, also its tolerations and not cordoned.
fn domains<'a>(
    c: &Case<'a, '_>,
    key: &str,
    strict: bool,
) -> (BTreeMap<&'a str, Vec<&'a str>>, Vec<&'a str>) {
    let mut d: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut lacking = Vec::new();
    let pod = c.pv.pod;
    let usable = |n: &Node| {
        c.spec()
            .is_none_or(|s| nodes::selector_misses(s, n).is_empty())
            && (!strict || (super::blocking_taints(pod, n).is_empty() && !nodes::cordoned(n)))
    };
    for n in c.nodes().filter(|n| usable(n)) {
        match labels(n).get(key) {
            Some(v) => d.entry(v.as_str()).or_default().push(name(n)),
            None if key == "kubernetes.io/hostname" => d.entry(name(n)).or_default().push(name(n)),
            None => lacking.push(name(n)),
        }
    }
    (d, lacking)
}

fn domain_word(key: &str) -> &'static str {
    match key {
        "kubernetes.io/hostname" => "node",
        "topology.kubernetes.io/zone" | "failure-domain.beta.kubernetes.io/zone" => "zone",
        "topology.kubernetes.io/region" | "failure-domain.beta.kubernetes.io/region" => "region",
        _ => "topology domain",
    }
}

fn affinity(c: &Case<'_, '_>, why: &Why) -> Finding {
    let spec = c.spec();
    let aff = spec.and_then(|s| s.affinity.as_ref());
    let anti_terms = aff
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .and_then(|p| {
            p.required_during_scheduling_ignored_during_execution
                .as_deref()
        })
        .unwrap_or_default();
    let aff_terms = aff
        .and_then(|a| a.pod_affinity.as_ref())
        .and_then(|p| {
            p.required_during_scheduling_ignored_during_execution
                .as_deref()
        })
        .unwrap_or_default();
    let existing = c.clauses.iter().any(|(_, t, _)| {
        t.to_ascii_lowercase()
            .contains("existing pods anti-affinity")
    });
    let own_labels = c.pv.pod.metadata.labels.clone().unwrap_or_default();
    let replicas = c.replicas();
    let ns = c.ns();
    let anti = !anti_terms.is_empty() && !matches!(why, Why::PodAffinity);
    let mut f;
    if anti {
        let term = anti_terms.first();
        let key = term.map(|t| t.topology_key.as_str()).unwrap_or("");
        let word = domain_word(key);
        let (doms, _) = domains(c, key, true);
        let sel = term
            .and_then(|t| t.label_selector.as_ref())
            .map(nodes::selector_text)
            .unwrap_or_else(|| "no selector".to_owned());
        // Domains already holding a pod the term excludes.
        let mut taken: Vec<String> = Vec::new();
        for (dom, ns_in) in &doms {
            let holders: Vec<String> = ns_in
                .iter()
                .flat_map(|n| live_pods_on(c.snap, n))
                .filter(|p| p.metadata.namespace.as_deref() == c.pv.namespace)
                .filter(|p| {
                    term.and_then(|t| t.label_selector.as_ref())
                        .is_some_and(|s| {
                            nodes::selector_matches(
                                s,
                                p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()),
                            )
                        })
                })
                .filter_map(|p| p.metadata.name.clone())
                .collect();
            if !holders.is_empty() {
                taken.push(format!("{dom} ({})", holders.join(", ")));
            }
        }
        let d = doms.len();
        let title = match replicas {
            Some(r) if d > 0 && (r.max(0) as usize) > d => format!(
                "{} cannot be scheduled: {r} replicas with required anti-affinity on {key} need {r} {word}s, the cluster has {d}",
                c.pv.subject()
            ),
            _ => format!(
                "{} cannot be scheduled: its required pod anti-affinity on {key} excludes every {word}",
                c.pv.subject()
            ),
        };
        f = c.finding("sched.affinity", Severity::Error, title);
        f.evidence.push(ev(
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]",
            format!("topologyKey {key}, pods matching {sel}"),
        ));
        if let Some(r) = replicas {
            f.evidence
                .push(ev("spec.replicas (workload)", r.to_string()));
        }
        if d > 0 {
            f.evidence.push(ev(
                format!("{word}s (by {key})"),
                format!(
                    "{d}: {}",
                    doms.keys().copied().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        for t in taken.iter().take(6) {
            f.evidence
                .push(ev("already holding a matching pod", t.clone()));
        }
        let mut why_s = pending_for(c.snap, c.pv);
        why_s.push_str(&format!(
            "Required anti-affinity on {key} allows at most one pod matching {sel} per {word}. "
        ));
        match replicas {
            Some(r) if d > 0 && (r.max(0) as usize) > d => why_s.push_str(&format!(
                "The workload asks for {r} replicas but there are only {d} {word}(s), so {} replica(s) can never be placed. Typical of charts (Consul, ZooKeeper, Kafka, CoreDNS) that default to hard anti-affinity, run on a small cluster; during a rolling update the surge pod needs a spare {word} as well.",
                (r.max(0) as usize) - d
            )),
            _ if d > 0 => why_s.push_str(&format!(
                "All {d} {word}(s) already hold such a pod. During a rolling update the new pod needs a {word} free of the old ones (maxSurge): with as many replicas as {word}s there is none."
            )),
            _ => why_s.push_str(&format!(
                "Every {word} already holds a matching pod (the input has no Node objects to count them)."
            )),
        }
        f.explanation = why_s;
        // Soften to preferred: replace the required list with the same terms, preferred.
        let preferred: Vec<serde_json::Value> = anti_terms
            .iter()
            .map(|t| serde_json::json!({"weight": 100, "podAffinityTerm": t}))
            .collect();
        let body = serde_json::json!({"affinity": {"podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": null,
            "preferredDuringSchedulingIgnoredDuringExecution": preferred,
        }}});
        let patch = c.pv.wrap_template(&body.to_string());
        f.remediation.push(patch_step(
            format!(
                "Make the anti-affinity preferred instead of required in {} (pods still spread when they can, and share a {word} when they must). {}",
                c.template_of(),
                c.pv.apply_hint()
            ),
            c.pv.workload_command(c.pv.patch_command(&patch)),
            patch,
        ));
        if let Some(r) = replicas
            && d > 0
            && (r.max(0) as usize) > d
        {
            f.remediation.push(step(
                format!(
                    "Or add {} {word}(s) so each replica has its own.",
                    (r.max(0) as usize) - d
                ),
                vec!["kubectl get nodes".to_owned()],
            ));
            f.remediation.push(step(
                format!("Or run {d} replica(s), one per {word}."),
                vec![format!(
                    "kubectl scale {} --replicas={d} {ns}",
                    c.pv.target()
                )],
            ));
        } else {
            f.remediation.push(step(
                format!("Or add a {word}, or (during a rollout) set maxSurge to 0 so an old pod leaves before the new one arrives."),
                vec![format!("kubectl describe {} {ns}", c.pv.target())],
            ));
        }
        return f;
    }
    if !aff_terms.is_empty() && !matches!(why, Why::AntiAffinity) {
        let term = aff_terms.first();
        let key = term.map(|t| t.topology_key.as_str()).unwrap_or("");
        let sel = term
            .and_then(|t| t.label_selector.as_ref())
            .map(nodes::selector_text)
            .unwrap_or_else(|| "no selector".to_owned());
        let found: Vec<String> = c
            .snap
            .pods
            .iter()
            .filter(|p| p.metadata.namespace.as_deref() == c.pv.namespace)
            .filter(|p| {
                term.and_then(|t| t.label_selector.as_ref())
                    .is_some_and(|s| {
                        nodes::selector_matches(
                            s,
                            p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()),
                        )
                    })
            })
            .filter_map(|p| {
                Some(format!(
                    "{} on {}",
                    p.metadata.name.as_deref()?,
                    p.spec.as_ref()?.node_name.as_deref().unwrap_or("no node")
                ))
            })
            .collect();
        f = c.finding(
            "sched.affinity",
            Severity::Error,
            format!(
                "{} cannot be scheduled: its required pod affinity needs a pod matching {sel} in the same {}",
                c.pv.subject(),
                domain_word(key)
            ),
        );
        f.evidence.push(ev(
            "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]",
            format!("topologyKey {key}, pods matching {sel}"),
        ));
        f.evidence.push(ev(
            "pods matching the selector",
            if found.is_empty() {
                "none in the input".to_owned()
            } else {
                found.join(", ")
            },
        ));
        f.explanation = format!(
            "{}Required pod affinity places the pod only in a {} that already runs a pod matching {sel}{}. {}",
            pending_for(c.snap, c.pv),
            domain_word(key),
            if key.is_empty() {
                String::new()
            } else {
                format!(" (by {key})")
            },
            if found.is_empty() {
                "No such pod is in the input: the pod it should follow is not running (or its labels differ), so this pod can never be placed."
            } else {
                "Such pods exist, but the nodes of their domain reject this pod for the other reasons listed."
            }
        );
        f.remediation.push(step(
            format!("Start the pod it depends on, or fix the label selector (or namespaces) of spec.affinity.podAffinity in {}, or make it preferred.", c.template_of()),
            vec![format!("kubectl get pods -l {} {ns}", sel.replace(", ", ",")), format!("kubectl edit {} {ns}", c.pv.target())],
        ));
        return f;
    }
    // Only the message (or anti-affinity of pods already on the nodes).
    let blockers: Vec<String> = if existing {
        c.nodes()
            .flat_map(|n| live_pods_on(c.snap, name(n)).map(move |p| (n, p)))
            .filter(|(_, p)| {
                p.spec
                    .as_ref()
                    .and_then(|s| s.affinity.as_ref())
                    .and_then(|a| a.pod_anti_affinity.as_ref())
                    .and_then(|a| {
                        a.required_during_scheduling_ignored_during_execution
                            .as_ref()
                    })
                    .is_some_and(|ts| {
                        ts.iter().any(|t| {
                            t.label_selector
                                .as_ref()
                                .is_some_and(|s| nodes::selector_matches(s, &own_labels))
                        })
                    })
            })
            .filter_map(|(n, p)| Some(format!("{} on {}", p.metadata.name.as_deref()?, name(n))))
            .collect()
    } else {
        Vec::new()
    };
    f = c.finding(
        "sched.affinity",
        Severity::Error,
        format!(
            "{} cannot be scheduled: pod affinity/anti-affinity rules exclude every node it may use",
            c.pv.subject()
        ),
    );
    for b in blockers.iter().take(6) {
        f.evidence
            .push(ev("pod with anti-affinity against this pod", b.clone()));
    }
    let mut why_s = pending_for(c.snap, c.pv);
    why_s.push_str("The scheduler rejected the nodes for inter-pod affinity: ");
    if existing {
        why_s.push_str("pods already running there declare required anti-affinity against pods with this pod's labels, ");
    }
    why_s.push_str("a required anti-affinity allows one matching pod per topology domain (per node with kubernetes.io/hostname), so more replicas than nodes — or a rolling update that needs a spare node — leaves pods Pending; a required affinity needs a matching pod already in the domain. ");
    if let Some(n) = c.node_count() {
        why_s.push_str(&format!("The cluster has {n} node(s)"));
        if let Some(r) = replicas {
            why_s.push_str(&format!(" and the workload wants {r} replica(s)"));
        }
        why_s.push('.');
    }
    f.explanation = why_s;
    f.remediation.push(step(
        format!(
            "Read the affinity rules of {} (and of the pods on the candidate nodes) and compare the replicas with the nodes.",
            c.pv.subject()
        ),
        vec![
            format!(
                "kubectl get {} {ns} -o jsonpath='{{.spec.template.spec.affinity}}'",
                c.pv.target()
            ),
            "kubectl get nodes".to_owned(),
        ],
    ));
    f.remediation.push(step(
        "Then make the anti-affinity preferredDuringSchedulingIgnoredDuringExecution (Helm charts usually expose it, e.g. an affinity or antiAffinity: soft value), add nodes so each replica has its own, or run fewer replicas.",
        vec![format!("kubectl scale {} --replicas=<nodes> {ns}", c.pv.target())],
    ));
    f
}

fn spread(c: &Case<'_, '_>, missing_label: bool) -> Finding {
    let cons: Vec<(usize, &k8s_openapi::api::core::v1::TopologySpreadConstraint)> = c
        .spec()
        .and_then(|s| s.topology_spread_constraints.as_deref())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, t)| t.when_unsatisfiable == "DoNotSchedule")
        .collect();
    let ns = c.ns();
    let first = cons.first();
    let title = match first {
        Some((_, t)) => format!(
            "{} cannot be scheduled: topology spread over {} (maxSkew {}, DoNotSchedule) cannot be met",
            c.pv.subject(),
            t.topology_key,
            t.max_skew
        ),
        None => format!(
            "{} cannot be scheduled: its topology spread constraints cannot be met",
            c.pv.subject()
        ),
    };
    let mut f = c.finding("sched.topology-spread", Severity::Error, title);
    let mut why = pending_for(c.snap, c.pv);
    why.push_str("A topology spread constraint with whenUnsatisfiable: DoNotSchedule only places the pod where the difference between the most and the least loaded domain stays within maxSkew. ");
    if missing_label {
        why.push_str("Here nodes lack the topology label itself ('missing required label'): nodes without the key are not part of any domain and are skipped. ");
    }
    for (i, t) in &cons {
        let (doms, lacking) = domains(c, &t.topology_key, false);
        let sel = t.label_selector.as_ref();
        let counts: Vec<(&str, usize)> = doms
            .iter()
            .map(|(d, ns_in)| {
                let n = ns_in
                    .iter()
                    .flat_map(|n| live_pods_on(c.snap, n))
                    .filter(|p| p.metadata.namespace.as_deref() == c.pv.namespace)
                    .filter(|p| {
                        sel.is_some_and(|s| {
                            nodes::selector_matches(
                                s,
                                p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()),
                            )
                        })
                    })
                    .count();
                (*d, n)
            })
            .collect();
        f.evidence.push(ev(
            format!("spec.topologySpreadConstraints[{i}]"),
            format!(
                "topologyKey {}, maxSkew {}, pods matching {}",
                t.topology_key,
                t.max_skew,
                sel.map(nodes::selector_text)
                    .unwrap_or_else(|| "none".to_owned())
            ),
        ));
        if !counts.is_empty() {
            let list: Vec<String> = counts.iter().map(|(d, n)| format!("{d}: {n}")).collect();
            f.evidence.push(ev(
                format!("matching pods per {}", t.topology_key),
                list.join(", "),
            ));
            let min = counts.iter().map(|(_, n)| *n).min().unwrap_or(0);
            let allowed: Vec<&str> = counts
                .iter()
                .filter(|(_, n)| (*n + 1).saturating_sub(min) <= t.max_skew.max(0) as usize)
                .map(|(d, _)| *d)
                .collect();
            why.push_str(&format!(
                "Over {} the matching pods are spread {}; with maxSkew {} the next pod may only go to {}. The nodes there reject it (full, tainted or not matching), so it waits. ",
                t.topology_key,
                list.join(", "),
                t.max_skew,
                if allowed.is_empty() { "no domain".to_owned() } else { allowed.join(", ") }
            ));
        }
        if !lacking.is_empty() {
            f.evidence.push(ev(
                format!("nodes without label {}", t.topology_key),
                lacking.join(", "),
            ));
        }
    }
    if cons.is_empty() {
        why.push_str(
            "The input does not have the pod's constraints, so the domains cannot be counted here.",
        );
    }
    f.explanation = why.trim_end().to_owned();
    if let Some((i, t)) = first {
        let path = c.template_path();
        let ops = format!(
            "[{{\"op\":\"replace\",\"path\":\"{path}/topologySpreadConstraints/{i}/whenUnsatisfiable\",\"value\":\"ScheduleAnyway\"}}]"
        );
        f.remediation.push(patch_step(
            format!(
                "Let the scheduler place the pod even when the spread is uneven: set whenUnsatisfiable of topologySpreadConstraints[{i}] ({}) to ScheduleAnyway in {}. {}",
                t.topology_key,
                c.template_of(),
                c.pv.apply_hint()
            ),
            c.json_patch(&ops),
            ops.clone(),
        ));
        let ops2 = format!(
            "[{{\"op\":\"replace\",\"path\":\"{path}/topologySpreadConstraints/{i}/maxSkew\",\"value\":{}}}]",
            t.max_skew.saturating_add(1)
        );
        f.remediation.push(patch_step(
            format!(
                "Or allow more skew: maxSkew {} → {}.",
                t.max_skew,
                t.max_skew.saturating_add(1)
            ),
            c.json_patch(&ops2),
            ops2.clone(),
        ));
        f.remediation.push(step(
            format!(
                "Or add capacity in the {} with the fewest matching pods{}.",
                domain_word(&t.topology_key),
                if missing_label {
                    format!(", and label every node with {}", t.topology_key)
                } else {
                    String::new()
                }
            ),
            vec![format!("kubectl get nodes -L {}", t.topology_key)],
        ));
    } else {
        f.remediation.push(step(
            format!(
                "Read the constraints of {} and the nodes' topology labels; then set whenUnsatisfiable: ScheduleAnyway, raise maxSkew, or add nodes in the emptiest domain.",
                c.pv.subject()
            ),
            vec![
                format!(
                    "kubectl get {} {ns} -o jsonpath='{{.spec.template.spec.topologySpreadConstraints}}'",
                    c.pv.target()
                ),
                "kubectl get nodes -L topology.kubernetes.io/zone".to_owned(),
            ],
        ));
    }
    f
}

fn ports(c: &Case<'_, '_>) -> Finding {
    // The pod's host ports: (container, port, protocol).
    let mut wanted: Vec<(&str, i32, String, i32)> = Vec::new();
    for ctr in c
        .spec()
        .map(|s| s.containers.as_slice())
        .unwrap_or_default()
    {
        for p in ctr.ports.iter().flatten() {
            if let Some(h) = p.host_port.filter(|h| *h > 0) {
                wanted.push((
                    ctr.name.as_str(),
                    h,
                    p.protocol.clone().unwrap_or_else(|| "TCP".to_owned()),
                    p.container_port,
                ));
            }
        }
    }
    let host_net = c.spec().and_then(|s| s.host_network) == Some(true);
    let shown: Vec<String> = wanted
        .iter()
        .map(|(_, h, p, _)| format!("{h}/{p}"))
        .collect();
    let title = if shown.is_empty() {
        format!(
            "{} cannot be scheduled: the host ports it needs are taken on every node",
            c.pv.subject()
        )
    } else {
        format!(
            "{} cannot be scheduled: host port {} is taken on every node it may use",
            c.pv.subject(),
            shown.join(", ")
        )
    };
    let mut f = c.finding("sched.port-conflict", Severity::Error, title);
    for (ctr, h, p, _) in &wanted {
        f.evidence.push(ev(
            format!("spec.containers[{ctr}].ports.hostPort"),
            format!("{h}/{p}"),
        ));
    }
    if host_net {
        f.evidence.push(ev(
            "spec.hostNetwork",
            "true (every container port is a host port)",
        ));
    }
    let mut holders: Vec<String> = Vec::new();
    for n in c.nodes() {
        for p in live_pods_on(c.snap, name(n)) {
            let uses = p.spec.iter().flat_map(|s| s.containers.iter()).any(|ct| {
                ct.ports.iter().flatten().any(|cp| {
                    wanted.iter().any(|(_, h, proto, _)| {
                        cp.host_port == Some(*h) && cp.protocol.as_deref().unwrap_or("TCP") == proto
                    })
                })
            });
            if uses && let Some(pn) = p.metadata.name.as_deref() {
                holders.push(format!("{} ({pn})", name(n)));
            }
        }
    }
    for h in holders.iter().take(8) {
        f.evidence.push(ev("port already held on", h.clone()));
    }
    let replicas = c.replicas();
    let mut why = pending_for(c.snap, c.pv);
    why.push_str("A hostPort binds the port on the node itself, so only one pod per node can use it: the scheduler skips every node where the port is already taken. ");
    if let (Some(r), Some(n)) = (replicas, c.node_count()) {
        why.push_str(&format!(
            "The workload wants {r} replica(s) on {n} node(s). "
        ));
        if (r.max(0) as usize) > n {
            why.push_str("More replicas than nodes can never all fit. ");
        }
    }
    why.push_str("During a rolling update the new pod also needs a node where the old one does not hold the port.");
    f.explanation = why;
    if let Some((ctr, h, _, cport)) = wanted.first() {
        let body = format!(
            "{{\"containers\":[{{\"name\":{},\"ports\":[{{\"containerPort\":{cport},\"hostPort\":null}}]}}]}}",
            serde_json::Value::String((*ctr).to_owned())
        );
        let patch = c.pv.wrap_template(&body);
        f.remediation.push(patch_step(
            format!(
                "Unless the pod must answer on the node's own port {h}, drop hostPort from container {ctr} and reach it through a Service (NodePort or LoadBalancer if it must be reachable from outside). {}",
                c.pv.apply_hint()
            ),
            c.pv.workload_command(c.pv.patch_command(&patch)),
            patch,
        ));
    }
    let scale = match (replicas, c.node_count()) {
        (Some(r), Some(n)) if (r.max(0) as usize) > n => vec![format!(
            "kubectl scale {} --replicas={n} {}",
            c.pv.target(),
            c.ns()
        )],
        _ => vec!["kubectl get pods -A -o wide".to_owned()],
    };
    f.remediation.push(step(
        "If the host port is needed, run at most one replica per node (a DaemonSet, or replicas ≤ nodes), and use a rolling update with maxSurge 0 so the old pod frees the port first.",
        scale,
    ));
    f
}

fn unschedulable(c: &Case<'_, '_>) -> Finding {
    let cordoned: Vec<&str> = c
        .nodes()
        .filter(|n| {
            nodes::cordoned(n)
                || nodes::taints(n)
                    .iter()
                    .any(|t| t.key == "node.kubernetes.io/unschedulable")
        })
        .map(name)
        .collect();
    let total = c.node_count();
    let title = if !cordoned.is_empty() {
        format!(
            "{} cannot be scheduled: node(s) {} are cordoned (spec.unschedulable: true)",
            c.pv.subject(),
            cordoned.join(", ")
        )
    } else {
        format!(
            "{} cannot be scheduled: the nodes are cordoned (unschedulable)",
            c.pv.subject()
        )
    };
    let mut f = c.finding("sched.unschedulable-node", Severity::Error, title);
    for n in &cordoned {
        f.evidence.push(ev(
            format!("nodes[{n}].spec.unschedulable"),
            "true (taint node.kubernetes.io/unschedulable:NoSchedule)",
        ));
    }
    let mut why = pending_for(c.snap, c.pv);
    why.push_str("A cordoned node (kubectl cordon or drain, or an upgrade/autoscaler that did not finish) takes no new pods; Kubernetes marks it with spec.unschedulable: true and the taint node.kubernetes.io/unschedulable:NoSchedule. ");
    match total {
        Some(t) if cordoned.len() == t || t == 1 => why.push_str("Every node is cordoned, so nothing new can start anywhere. If the maintenance is over, uncordon."),
        _ => why.push_str("The other nodes reject the pod for the other reasons listed."),
    }
    f.explanation = why;
    let cmds: Vec<String> = if cordoned.is_empty() {
        vec![
            "kubectl get nodes".to_owned(),
            "kubectl uncordon <node>".to_owned(),
        ]
    } else {
        cordoned
            .iter()
            .map(|n| format!("kubectl uncordon {n}"))
            .collect()
    };
    f.remediation.push(step(
        "If the maintenance (drain, upgrade) is finished, make the node schedulable again. Nodes show SchedulingDisabled in kubectl get nodes.",
        cmds,
    ));
    f.remediation.push(step(
        "If the node is being retired, add a replacement node so the pending pods have somewhere to go.",
        vec![],
    ));
    f
}

fn too_many_pods(c: &Case<'_, '_>) -> Finding {
    let mut full: Vec<(String, i64, usize)> = Vec::new();
    for n in c.nodes() {
        let cap = n
            .status
            .as_ref()
            .and_then(|s| s.allocatable.as_ref().or(s.capacity.as_ref()))
            .and_then(|m| m.get("pods"))
            .and_then(|q| q.0.parse::<i64>().ok());
        let running = live_pods_on(c.snap, name(n)).count();
        if let Some(cap) = cap {
            full.push((name(n).to_owned(), cap, running));
        }
    }
    full.sort_by(|a, b| {
        (a.1 - a.2 as i64)
            .cmp(&(b.1 - b.2 as i64))
            .then(a.0.cmp(&b.0))
    });
    let mut f = c.finding(
        "sched.too-many-pods",
        Severity::Error,
        format!(
            "{} cannot be scheduled: the nodes it may use are at their pod limit",
            c.pv.subject()
        ),
    );
    for (n, cap, running) in full.iter().take(6) {
        f.evidence.push(ev(
            format!("nodes[{n}].status.allocatable.pods"),
            format!("{cap} ({running} pods bound in the input)"),
        ));
    }
    let mut why = pending_for(c.snap, c.pv);
    why.push_str("Every node admits at most status.allocatable.pods pods (the kubelet's maxPods; 110 by default), whatever CPU and memory are left. On AWS EKS with the VPC CNI the limit comes from the instance's network interfaces and IPs: a t3.small takes 11 pods, a t3.medium 17, and DaemonSets (CNI, kube-proxy, monitoring) use several of them. ");
    if let Some((n, cap, running)) = full.first() {
        why.push_str(&format!(
            "The fullest node, {n}, allows {cap} and has {running} bound in the input."
        ));
    }
    f.explanation = why.trim_end().to_owned();
    f.remediation.push(step(
        "See how many pods each node holds against its limit.",
        vec![
            "kubectl get nodes -o custom-columns=NAME:.metadata.name,PODS:.status.allocatable.pods"
                .to_owned(),
            "kubectl get pods -A -o wide --field-selector status.phase=Running".to_owned(),
        ],
    ));
    f.remediation.push(step(
        "Add nodes (or larger instance types, which allow more pods), or remove pods you do not need. On EKS, enabling prefix delegation on the VPC CNI (ENABLE_PREFIX_DELEGATION=true) raises the per-node limit; elsewhere raise the kubelet's maxPods if the node has IPs and resources for it.",
        vec![],
    ));
    f
}

fn other_resource(c: &Case<'_, '_>, resource: &str) -> Finding {
    let dra = resource.contains("ResourceClaim");
    let amount = |q: &str| Quantity::parse(q).ok().and_then(|q| q.to_units().ok());
    let need = if dra {
        0
    } else {
        pod_request(c.pv.pod, resource, amount)
    };
    let show = |v: i64| -> String {
        if resource.contains("storage") {
            crate::quantity::format_bytes_human(v)
        } else {
            v.to_string()
        }
    };
    let title = if need > 0 {
        format!(
            "{} cannot be scheduled: it requests {} {resource}, which no node has free",
            c.pv.subject(),
            show(need)
        )
    } else {
        format!(
            "{} cannot be scheduled: no node has enough {resource}",
            c.pv.subject()
        )
    };
    let mut f = c.finding("sched.insufficient-other", Severity::Error, title);
    if need > 0 {
        f.evidence.push(ev(
            format!("spec.containers[*].resources.requests.{resource}"),
            show(need),
        ));
    }
    let mut offering: Vec<(String, i64, i64)> = Vec::new();
    let mut without: Vec<String> = Vec::new();
    if !dra {
        for n in c.nodes() {
            let alloc = n
                .status
                .as_ref()
                .and_then(|s| s.allocatable.as_ref().or(s.capacity.as_ref()))
                .and_then(|m| m.get(resource))
                .and_then(|q| amount(&q.0));
            match alloc {
                Some(a) if a > 0 => {
                    let used = live_pods_on(c.snap, name(n))
                        .map(|p| pod_request(p, resource, amount))
                        .fold(0i64, i64::saturating_add);
                    offering.push((name(n).to_owned(), a, used));
                }
                _ => without.push(name(n).to_owned()),
            }
        }
    }
    for (n, a, used) in offering.iter().take(6) {
        f.evidence.push(ev(
            format!("nodes[{n}].status.allocatable.{resource}"),
            format!(
                "{} ({} requested, {} free)",
                show(*a),
                show(*used),
                show(a - used)
            ),
        ));
    }
    if !without.is_empty() && !c.snap.nodes.is_empty() {
        f.evidence
            .push(ev(format!("nodes without {resource}"), without.join(", ")));
    }
    let mut why = pending_for(c.snap, c.pv);
    if dra {
        why.push_str("The pod uses dynamic resource allocation (ResourceClaims): no node can satisfy its device claims — no DRA driver publishes matching devices (ResourceSlices), the DeviceClass selects none, or they are all allocated. Check the claim, its DeviceClass and the driver's ResourceSlices.");
    } else {
        why.push_str(&format!(
            "The scheduler adds up the {resource} requests of the pods on each node and compares them with the node's allocatable {resource}. "
        ));
        if resource.contains('/') {
            why.push_str(&format!(
                "{resource} is an extended resource: a node only has it when a device plugin advertises it (for GPUs, the vendor's device plugin or GPU operator on GPU nodes). "
            ));
            if offering.is_empty() && !c.snap.nodes.is_empty() {
                why.push_str("No node in the input advertises it at all: there is no such node, or its device plugin is not running. ");
            }
        } else if resource == "ephemeral-storage" {
            why.push_str("ephemeral-storage is the node's root (or kubelet) disk, shared by images, logs and emptyDir volumes; a request larger than any node's disk never fits, even on a new node. ");
        }
        if let Some((n, a, used)) = offering.iter().max_by_key(|(_, a, u)| a - u) {
            why.push_str(&format!(
                "The node with most room, {n}, has {} free of {}.",
                show(a - used),
                show(*a)
            ));
        }
    }
    f.explanation = why.trim_end().to_owned();
    let ns = c.ns();
    if need > 0 {
        let biggest = c.spec().and_then(|s| {
            s.containers
                .iter()
                .filter_map(|ct| {
                    let q = ct
                        .resources
                        .as_ref()
                        .and_then(|r| r.requests.as_ref().or(r.limits.as_ref()))
                        .and_then(|m| m.get(resource))
                        .and_then(|q| amount(&q.0))?;
                    Some((q, ct.name.as_str()))
                })
                .max_by_key(|(q, _)| *q)
        });
        let most_free = offering.iter().map(|(_, a, u)| a - u).max().unwrap_or(0);
        // Lowering helps only when some node has part of it free (or nodes are unknown).
        let lowering_helps = c.snap.nodes.is_empty() || (most_free > 0 && most_free < need);
        if let Some((q, ctr)) = biggest.filter(|_| lowering_helps) {
            let fit = Some(most_free).filter(|v| *v > 0);
            f.remediation.push(step(
                format!(
                    "Lower the {resource} request of container {ctr} (now {}){}, if it needs less.",
                    show(q),
                    fit.map(|v| format!(" to at most {} (the most any node has free)", show(v))).unwrap_or_default()
                ),
                c.pv.workload_command(format!(
                    "kubectl set resources {} -c {ctr} --requests={resource}=<smaller> --limits={resource}=<smaller> {ns}",
                    c.pv.target()
                )),
            ));
        }
    }
    let lead = if f.remediation.is_empty() {
        "Add"
    } else {
        "Or add"
    };
    let escaped = resource.replace('.', "\\.");
    f.remediation.push(step(
        if resource.contains('/') {
            format!("{lead} nodes that provide {resource} (and make sure its device plugin runs on them), or free it from other pods.")
        } else {
            format!("{lead} nodes with more {resource}, or free it from other pods.")
        },
        vec![format!(
            "kubectl get nodes -o custom-columns=NAME:.metadata.name,ALLOCATABLE:.status.allocatable.{escaped}"
        )],
    ));
    f
}

fn no_nodes(c: &Case<'_, '_>) -> Finding {
    let total = c.snap.nodes.len();
    let not_ready: Vec<&str> = c.nodes().filter(|n| !nodes::ready(n)).map(name).collect();
    let mut f = c.finding(
        "sched.no-nodes",
        Severity::Error,
        format!(
            "{} cannot be scheduled: the cluster has no nodes to schedule on",
            c.pv.subject()
        ),
    );
    if total > 0 {
        f.evidence.push(ev(
            "nodes",
            format!(
                "{total} in the input, not ready: {}",
                if not_ready.is_empty() {
                    "none".to_owned()
                } else {
                    not_ready.join(", ")
                }
            ),
        ));
    }
    f.explanation = format!(
        "{}The scheduler found no node at all: none has registered with the API server, or every node was deleted (a node group scaled to zero, workers that never joined, a kubelet that cannot reach the API server). Nothing in the pod is wrong.",
        pending_for(c.snap, c.pv)
    );
    f.remediation.push(step(
        "List the nodes; if there are none, join workers (kubeadm join, or scale the node group up) and check the kubelet logs on each machine.",
        vec![
            "kubectl get nodes -o wide".to_owned(),
            "journalctl -u kubelet -n 100".to_owned(),
        ],
    ));
    f.remediation.push(step(
        "With the cluster autoscaler, make sure the node group's minimum size and maximum allow at least one node.",
        vec![],
    ));
    f
}
