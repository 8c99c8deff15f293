//! Turning what the text readers collected into typed `k8s-openapi` objects.

use super::age::parse_time;
use super::describe::{Ctr, Described, State};
use super::rows::{PodRow, RawEvent};
use super::{
    Collected, Hint, INFERRED_ANNOTATION, LOGS_ANNOTATION, LOGS_SOURCE_ANNOTATION, LogBlock,
    SYNTHETIC_ANNOTATION, TextLocation, TextOut,
};
use crate::{Object, Timestamp};
use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentCondition, DeploymentSpec, DeploymentStatus, ReplicaSet,
};
use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, Container, ContainerState, ContainerStateRunning,
    ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, Event, EventSource, Node,
    NodeCondition, NodeSpec, NodeStatus, ObjectReference, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeClaimVolumeSource, Pod,
    PodCondition, PodSpec, PodStatus, PodTemplateSpec, ResourceRequirements, SecretVolumeSource,
    Taint, Toleration, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// The moment ages are counted back from when the paste has no absolute time at all.
const ANCHOR: &str = "2000-01-01T00:00:00Z";

type Map = BTreeMap<String, String>;

/// Lines `first` to `last` of block `block`.
fn at(block: usize, first: usize, last: usize) -> TextLocation {
    TextLocation {
        block,
        first_line: first,
        last_line: last,
    }
}

fn time_from(now: Timestamp, age: Option<i64>, abs: Option<Timestamp>) -> Option<Time> {
    abs.or_else(|| {
        now.checked_sub(k8s_openapi::jiff::SignedDuration::from_secs(age?))
            .ok()
    })
    .map(Time)
}

/// The kinds a `kubectl describe KIND` prompt can name for a described block.
const DESCRIBED_KINDS: [&str; 5] = [
    "Pod",
    "Node",
    "Deployment",
    "ReplicaSet",
    "PersistentVolumeClaim",
];

/// Builds each described object as soon as its block ends, so that the next block reuses
/// the block's buffers and the objects its memory. What needs the whole paste waits for
/// [`build`]: "now" (for times given as ages) and the events (an event may name a pod
/// described further down).
#[derive(Default)]
pub(super) struct Builder<'a> {
    /// The newest absolute time seen in the described blocks.
    newest: Option<Timestamp>,
    /// The one container of each described pod, for kubelet events that name none.
    only_container: HashMap<Cow<'a, str>, &'a str>,
    /// Described pods by name: (namespace, index in `out.objects`).
    described_pods: HashMap<Cow<'a, str>, Vec<PodAt<'a>>>,
    /// The first described pod (namespace, name), and how many there are.
    single_pod: Option<(Option<String>, String)>,
    pod_count: usize,
    /// Terminating pods (index in `out.objects`, seconds since the deletion): their
    /// deletion time counts back from "now".
    terminating: Vec<(usize, i64)>,
    /// The described blocks' events, in order …
    events: Vec<RawEvent<'a>>,
    /// … and whom they are about: (block, kind, name, namespace, range in `events`).
    owners: Vec<EventOwner<'a>>,
}

/// A described pod's namespace, and its index in `out.objects`.
type PodAt<'a> = (Option<Cow<'a, str>>, usize);

/// The object a described block's events are about.
struct EventOwner<'a> {
    block: usize,
    kind: &'static str,
    name: Cow<'a, str>,
    namespace: Option<Cow<'a, str>>,
    events: std::ops::Range<usize>,
}

impl<'a> Builder<'a> {
    fn see(&mut self, t: Option<Timestamp>) {
        if let Some(t) = t
            && self.newest.is_none_or(|n| t > n)
        {
            self.newest = Some(t);
        }
    }

    /// Build the object of one describe block (its events wait for [`build`]); `d` keeps
    /// its buffers, emptied of events.
    pub(super) fn described(
        &mut self,
        block: usize,
        hint: &Hint,
        d: &mut Described<'a>,
        out: &mut TextOut,
    ) {
        let start = d.get("Start Time").and_then(parse_time);
        self.see(start);
        for c in d.containers.iter().chain(&d.init_containers) {
            for st in [&c.state, &c.last_state].into_iter().flatten() {
                self.see(st.started_at);
                self.see(st.finished_at);
            }
        }
        for c in &d.conditions {
            self.see(c.heartbeat.as_deref().and_then(parse_time));
        }
        let named: Option<Cow<'a, str>> = match d.field("Name") {
            Some(n) => Some(n.clone()),
            None => hint
                .name
                .as_deref()
                .filter(|_| hint.verb == "describe")
                .map(|n| Cow::Owned(n.to_owned())),
        };
        // The name kubelet events are matched by (a described object without a name is
        // an unnamed pod to them).
        let event_name = named
            .clone()
            .unwrap_or_else(|| Cow::Owned(placeholder("Pod")));
        // A pod whose containers are not all known gets no guessed container.
        let only = match d.containers.as_slice() {
            [c] => c.name,
            [] => "<container>",
            _ => "",
        };
        self.only_container.insert(event_name, only);

        let kind: &'static str = hint
            .kind
            .as_deref()
            .filter(|_| hint.verb == "describe")
            .and_then(|k| DESCRIBED_KINDS.iter().find(|d| **d == k).copied())
            .unwrap_or_else(|| d.guess_kind());
        let name = named.unwrap_or_else(|| Cow::Owned(placeholder(kind)));
        let ns_field: Option<Cow<'a, str>> = d
            .field("Namespace")
            .cloned()
            .or_else(|| hint.namespace.clone().map(Cow::Owned));
        let ns = ns_field.as_deref();
        let meta = ObjectMeta {
            name: Some(name.clone().into_owned()),
            namespace: if kind == "Node" {
                None
            } else {
                ns.map(str::to_owned)
            },
            labels: pairs(&d.labels, '='),
            annotations: pairs_colon(&d.annotations),
            ..ObjectMeta::default()
        };
        let first_event = self.events.len();
        self.events.append(&mut d.events);
        if self.events.len() > first_event {
            self.owners.push(EventOwner {
                block,
                kind,
                name: name.clone(),
                namespace: ns_field.clone(),
                events: first_event..self.events.len(),
            });
        }
        let here = at(block, d.first_line, d.last_line);
        match kind {
            "Node" => {
                out.formats.insert("describe-node");
                let (node, synthetic) = node(meta, d);
                out.push_at(node.into(), here);
                if let Some(p) = synthetic {
                    out.push_at(p.into(), here);
                }
            }
            "Deployment" | "ReplicaSet" => {
                out.formats.insert(if kind == "Deployment" {
                    "describe-deployment"
                } else {
                    "describe-replicaset"
                });
                for o in workload(kind, meta, d) {
                    out.push_at(o, here);
                }
            }
            "PersistentVolumeClaim" => {
                out.formats.insert("describe-pvc");
                out.push_at(claim(meta, d).into(), here);
            }
            _ => {
                out.formats.insert("describe-pod");
                self.pod_count += 1;
                if self.pod_count == 1 {
                    self.single_pod = Some((ns.map(str::to_owned), name.clone().into_owned()));
                }
                let at = out.objects.len();
                let (p, terminating) = pod(meta, d, start);
                if let Some(secs) = terminating {
                    self.terminating.push((at, secs));
                }
                self.described_pods
                    .entry(name)
                    .or_default()
                    .push((ns_field, at));
                out.push_at(p.into(), here);
            }
        }
    }
}

/// Build what waited for the whole paste; "now" is the newest absolute time in the paste,
/// else a fixed anchor.
pub(super) fn build<'a>(col: Collected<'a>, out: &mut TextOut) {
    let Collected {
        builder,
        events,
        pod_rows,
        node_rows,
        logs,
        ..
    } = col;
    let Builder {
        mut newest,
        only_container,
        described_pods,
        single_pod,
        pod_count,
        terminating,
        events: desc_events,
        owners,
    } = builder;
    for e in desc_events.iter().chain(events.iter().map(|(_, _, e)| e)) {
        if let Some(t) = e.last_abs
            && newest.is_none_or(|n| t > n)
        {
            newest = Some(t);
        }
    }
    let any_age = events.iter().any(|(_, _, e)| e.last_age.is_some())
        || desc_events.iter().any(|e| e.last_age.is_some())
        || pod_rows.iter().any(|r| r.3.age.is_some());
    let anchor: Timestamp = ANCHOR.parse().unwrap_or_default();
    let now = newest.unwrap_or(anchor);
    if any_age {
        out.now = Some(now);
    }
    for (at, secs) in terminating {
        if let Some(Object::Pod(p)) = out.objects.get_mut(at) {
            p.metadata.deletion_timestamp = time_from(now, Some(secs), None);
        }
    }
    for o in &owners {
        for e in desc_events.get(o.events.clone()).unwrap_or_default() {
            let ev = match &e.object {
                None => event(
                    e,
                    (o.kind, &o.name),
                    e.namespace.as_deref().or(o.namespace.as_deref()),
                    now,
                    &only_container,
                ),
                Some((k, n)) => event(e, (k, n), e.namespace.as_deref(), now, &only_container),
            };
            out.push_at(ev, at(o.block, e.line, e.line));
        }
    }
    // `kubectl get pods -w` prints a row per change of the same pod: the last one is
    // its state.
    let row_ns = |row: &PodRow<'_>, hint: &Option<Rc<Hint>>| {
        row.namespace
            .map(str::to_owned)
            .or_else(|| hint.as_ref().and_then(|h| h.namespace.clone()))
    };
    let mut last_row: HashMap<(Option<String>, &str), usize> = HashMap::new();
    for (i, (_, _, hint, row)) in pod_rows.iter().enumerate() {
        last_row.insert((row_ns(row, hint), row.name), i);
    }
    for (i, (block, line, hint, row)) in pod_rows.iter().enumerate() {
        let ns = row_ns(row, hint);
        if last_row.get(&(ns.clone(), row.name)) != Some(&i) {
            continue;
        }
        let described = described_pods.get(row.name).and_then(|pods| {
            pods.iter()
                .find(|(n, _)| n.is_none() || ns.is_none() || n.as_deref() == ns.as_deref())
        });
        match described {
            // A describe cut short (only its `Message:` line, say) keeps what the row
            // says of the pod's state.
            Some((_, i)) => {
                if let Some(Object::Pod(p)) = out.objects.get_mut(*i) {
                    fill_from_row(p, pod_from_row(ns, row, now));
                }
            }
            None => out.push_at(pod_from_row(ns, row, now).into(), at(*block, *line, *line)),
        }
    }
    for (block, line, toks) in node_rows {
        out.push_at(node_from_row(&toks).into(), at(block, line, line));
    }
    attach_logs(logs, &mut out.objects);
    // Events that name no object: the hinted one, else the one described pod, else an
    // unnamed pod.
    for (block, hint, mut e) in events {
        let mut object = e.object.take();
        let mut namespace = e.namespace.take();
        if object.is_none() {
            let from_hint = hint.as_deref().and_then(|h: &Hint| {
                let kind = h
                    .kind
                    .clone()
                    .filter(|k| k != "Event")
                    .unwrap_or_else(|| "Pod".to_owned());
                // The scheduler and the kubelet speak only of pods: under a prompt that
                // names a workload (`kubectl describe ds/x`), their lines are about one
                // of its pods, not about the workload itself.
                if kind != "Pod" && is_pod_reason(&e.reason) {
                    return None;
                }
                Some((kind, h.name.clone()?, h.namespace.clone()))
            });
            let assigned = assigned_pod(&e.message);
            if let Some((k, n, ns)) = from_hint {
                object = Some((k, n));
                namespace = namespace.or(ns);
            } else if let (1, Some((ns, n))) = (pod_count, single_pod.clone()) {
                object = Some(("Pod".to_owned(), n));
                namespace = namespace.or(ns);
            } else if let Some((ns, n)) = assigned {
                object = Some(("Pod".to_owned(), n));
                namespace = namespace.or(ns);
            } else {
                object = Some(("Pod".to_owned(), placeholder("Pod")));
                namespace = namespace.or(hint.and_then(|h| h.namespace.clone()));
            }
        }
        let (kind, name) = object.unwrap_or_default();
        out.push_at(
            event(
                &e,
                (&kind, &name),
                namespace.as_deref(),
                now,
                &only_container,
            ),
            at(block, e.line, e.line),
        );
    }
}

/// Logs pasted under `kubectl logs POD [-c C]`: their last lines become the last output of
/// that container of the pod of that name, when the paste shows the pod.
fn attach_logs(logs: Vec<LogBlock<'_>>, objects: &mut [Object]) {
    if logs.is_empty() {
        return;
    }
    // Pods by name (a map, so many log blocks stay linear).
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, o) in objects.iter().enumerate() {
        if let Object::Pod(p) = o
            && let Some(n) = &p.metadata.name
            && !p
                .metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(SYNTHETIC_ANNOTATION))
        {
            by_name.entry(n.clone()).or_default().push(i);
        }
    }
    for l in logs {
        let h = &l.hint;
        let (Some("Pod"), Some(name)) = (h.kind.as_deref(), h.name.as_deref()) else {
            continue;
        };
        let Some(Object::Pod(pod)) = by_name
            .get(name)
            .into_iter()
            .flatten()
            .rev()
            .filter_map(|i| objects.get(*i).map(|o| (*i, o)))
            .find(|(_, o)| match o {
                Object::Pod(p) => {
                    h.namespace.is_none()
                        || p.metadata.namespace.is_none()
                        || p.metadata.namespace == h.namespace
                }
                _ => false,
            })
            .map(|(i, _)| i)
            .and_then(|i| objects.get_mut(i))
        else {
            continue;
        };
        let Some(c) = log_container(pod, h.container.as_deref()) else {
            continue;
        };
        let text = l
            .lines
            .iter()
            .map(|line| crate::text::clip(line, 500))
            .collect::<Vec<_>>()
            .join("\n");
        let annotations = pod.metadata.annotations.get_or_insert_with(Map::new);
        annotations.insert(
            format!("{LOGS_SOURCE_ANNOTATION}{c}"),
            at(l.block, l.first, l.last).to_string(),
        );
        annotations.insert(format!("{LOGS_ANNOTATION}{c}"), text);
    }
}

/// The container whose logs these are: the one named (or the only one, when the pod's
/// containers are known only as `<container>`), else the pod's only container, else its
/// only container that is not ready.
fn log_container(pod: &Pod, named: Option<&str>) -> Option<String> {
    let spec: Vec<&str> = pod
        .spec
        .iter()
        .flat_map(|s| &s.containers)
        .map(|c| c.name.as_str())
        .collect();
    let statuses: Vec<&ContainerStatus> = pod
        .status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten())
        .collect();
    let mut names: Vec<&str> = spec.clone();
    for s in &statuses {
        if !names.contains(&s.name.as_str()) {
            names.push(&s.name);
        }
    }
    if let Some(n) = named {
        if names.contains(&n) {
            return Some(n.to_owned());
        }
        return match names.as_slice() {
            [only] if only.starts_with('<') => Some((*only).to_owned()),
            _ => None,
        };
    }
    if let [only] = names.as_slice() {
        return Some((*only).to_owned());
    }
    match statuses
        .iter()
        .filter(|s| !s.ready)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => Some(one.name.clone()),
        _ => None,
    }
}

/// What a described pod leaves unsaid, from its `kubectl get pods` row.
fn fill_from_row(p: &mut Pod, row: Pod) {
    let Some(rs) = row.status else {
        return;
    };
    let st = p.status.get_or_insert_with(PodStatus::default);
    if st.phase.is_none() {
        st.phase = rs.phase;
        st.reason = st.reason.take().or(rs.reason);
    }
    if st.container_statuses.is_none() && rs.container_statuses.is_some() {
        st.container_statuses = rs.container_statuses;
        // Values the row implied (an exit code for `Error`) stay marked as inferred.
        if let Some(inferred) = row
            .metadata
            .annotations
            .and_then(|mut a| a.remove(INFERRED_ANNOTATION))
        {
            let list = p
                .metadata
                .annotations
                .get_or_insert_with(BTreeMap::new)
                .entry(INFERRED_ANNOTATION.to_owned())
                .or_default();
            if !list.is_empty() {
                list.push_str(", ");
            }
            list.push_str(&inferred);
        }
    }
    if st.init_container_statuses.is_none() {
        st.init_container_statuses = rs.init_container_statuses;
    }
    let Some(rspec) = row.spec else {
        return;
    };
    let spec = p.spec.get_or_insert_with(PodSpec::default);
    if spec.containers.is_empty() {
        spec.containers = rspec.containers;
    }
    if spec.init_containers.is_none() {
        spec.init_containers = rspec.init_containers;
    }
    if spec.node_name.is_none() {
        spec.node_name = rspec.node_name;
    }
}

/// A described PersistentVolumeClaim: its class (none printed means none set), the
/// volume it is bound to, its access modes and phase.
fn claim(meta: ObjectMeta, d: &Described) -> PersistentVolumeClaim {
    let access_modes: Vec<String> = d
        .get("Access Modes")
        .map(|v| {
            v.split(|c: char| c == ',' || c.is_whitespace())
                .filter_map(|m| match m {
                    "RWO" => Some("ReadWriteOnce"),
                    "ROX" => Some("ReadOnlyMany"),
                    "RWX" => Some("ReadWriteMany"),
                    "RWOP" => Some("ReadWriteOncePod"),
                    _ => None,
                })
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    PersistentVolumeClaim {
        metadata: meta,
        spec: Some(PersistentVolumeClaimSpec {
            storage_class_name: d.get("StorageClass").map(str::to_owned),
            volume_name: d.get("Volume").map(str::to_owned),
            access_modes: (!access_modes.is_empty()).then_some(access_modes),
            volume_mode: d.get("VolumeMode").map(str::to_owned),
            ..PersistentVolumeClaimSpec::default()
        }),
        status: d.get("Status").map(|phase| PersistentVolumeClaimStatus {
            phase: Some(phase.to_owned()),
            ..PersistentVolumeClaimStatus::default()
        }),
    }
}

/// Event reasons only ever given about a pod (by the scheduler or the kubelet).
fn is_pod_reason(reason: &str) -> bool {
    CONTAINER_REASONS.contains(&reason)
        || matches!(
            reason,
            "FailedScheduling"
                | "Scheduled"
                | "Preempted"
                | "Unhealthy"
                | "FailedMount"
                | "FailedAttachVolume"
                | "FailedCreatePodSandBox"
                | "Evicted"
        )
}

/// `<pod>`: the name of an object the paste does not name.
fn placeholder(kind: &str) -> String {
    format!("<{}>", kind.to_ascii_lowercase())
}

/// `Successfully assigned ns/name to node` names the pod.
fn assigned_pod(message: &str) -> Option<(Option<String>, String)> {
    let rest = message.strip_prefix("Successfully assigned ")?;
    let target = rest.split_whitespace().next()?;
    match target.split_once('/') {
        Some((ns, n)) => Some((Some(ns.to_owned()), n.to_owned())),
        None => Some((None, target.to_owned())),
    }
}

/// Kubelet event reasons about one container: JSON gives them a `fieldPath`.
const CONTAINER_REASONS: &[&str] = &[
    "Failed",
    "BackOff",
    "Pulling",
    "Pulled",
    "Created",
    "Started",
    "Killing",
    "Unhealthy",
    "InspectFailed",
    "ErrImageNeverPull",
];

/// An event about `object` (kind, name) in namespace `ns`.
fn event(
    e: &RawEvent<'_>,
    (kind, name): (&str, &str),
    ns: Option<&str>,
    now: Timestamp,
    only: &HashMap<Cow<'_, str>, &str>,
) -> Object {
    let mut field_path = e.field_path.as_deref().map(str::to_owned);
    if field_path.is_none()
        && kind == "Pod"
        && e.source.as_deref().is_none_or(|s| s == "kubelet")
        && CONTAINER_REASONS.contains(&&*e.reason)
    {
        // Not described: the pod's containers are unknown, like the events' own.
        let c = only.get(name).copied().unwrap_or("<container>");
        field_path = (!c.is_empty()).then(|| ["spec.containers{", c, "}"].concat());
    }
    let ev = Event {
        metadata: ObjectMeta {
            name: Some({
                use std::fmt::Write as _;
                let mut n = String::with_capacity(name.len() + 12);
                let _ = write!(n, "{name}.line{}", e.line);
                n
            }),
            namespace: ns.map(str::to_owned),
            ..ObjectMeta::default()
        },
        involved_object: ObjectReference {
            kind: Some(kind.to_owned()),
            name: Some(name.to_owned()),
            namespace: ns.map(str::to_owned),
            field_path,
            ..ObjectReference::default()
        },
        count: Some(e.count.max(1)),
        last_timestamp: time_from(now, e.last_age, e.last_abs),
        first_timestamp: time_from(now, e.first_age.or(e.last_age), e.first_abs.or(e.last_abs)),
        reason: Some(e.reason.clone().into_owned()),
        message: Some(e.message.clone().into_owned()),
        type_: e.type_.map(str::to_owned),
        source: e.source.as_deref().map(|c| EventSource {
            component: Some(c.to_owned()),
            host: e.host.as_deref().map(str::to_owned),
        }),
        ..Event::default()
    };
    ev.into()
}

/// `a=b` lines → map (labels, node selectors).
fn pairs(list: &[&str], sep: char) -> Option<Map> {
    let m: Map = map_of(list.iter().filter_map(|l| {
        let (k, v) = l.split_once(sep).unwrap_or((l, ""));
        Some((k.trim().to_owned(), v.trim().to_owned())).filter(|(k, _)| !k.is_empty())
    }));
    (!m.is_empty()).then_some(m)
}

/// A map of a few entries, inserted one by one (`collect` sorts a vector first: slower
/// for the two or three entries a describe block lists). A repeated key keeps its last
/// value, as `collect` does.
fn map_of<K: Ord, V>(entries: impl Iterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    for (k, v) in entries {
        m.insert(k, v);
    }
    m
}

/// `key: value` annotation lines.
fn pairs_colon(list: &[&str]) -> Option<Map> {
    let m: Map = map_of(list.iter().filter_map(|l| {
        let (k, v) = l
            .split_once(": ")
            .or_else(|| l.strip_suffix(':').map(|k| (k, "")))?;
        Some((k.trim().to_owned(), v.trim().to_owned()))
    }));
    (!m.is_empty()).then_some(m)
}

fn quantities(list: &[(&str, &str)]) -> Option<BTreeMap<String, Quantity>> {
    let m: BTreeMap<String, Quantity> = map_of(
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), Quantity((*v).to_owned()))),
    );
    (!m.is_empty()).then_some(m)
}

/// `Kind/name` of `Controlled By:`.
fn owner(d: &Described) -> Option<Vec<OwnerReference>> {
    let (kind, name) = d.get("Controlled By")?.split_once('/')?;
    Some(vec![OwnerReference {
        api_version: String::new(),
        kind: kind.to_owned(),
        name: name.to_owned(),
        uid: String::new(),
        controller: Some(true),
        ..OwnerReference::default()
    }])
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn container(c: &Ctr<'_>) -> Container {
    Container {
        name: c.name.to_owned(),
        image: c.image.map(str::to_owned),
        command: (!c.command.is_empty()).then(|| strings(&c.command)),
        args: (!c.args.is_empty()).then(|| strings(&c.args)),
        resources: (!c.limits.is_empty() || !c.requests.is_empty()).then(|| ResourceRequirements {
            limits: quantities(&c.limits),
            requests: quantities(&c.requests),
            ..ResourceRequirements::default()
        }),
        ..Container::default()
    }
}

fn state(s: &State<'_>) -> ContainerState {
    let kind = s.kind.split_whitespace().next().unwrap_or("");
    match kind {
        "Waiting" => ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: s.reason.map(str::to_owned),
                message: s.message.as_deref().map(str::to_owned),
            }),
            ..ContainerState::default()
        },
        "Running" => ContainerState {
            running: Some(ContainerStateRunning {
                started_at: s
                    .started
                    .or(s.kind.split_once(' ').map(|x| x.1))
                    .and_then(parse_time)
                    .map(Time),
            }),
            ..ContainerState::default()
        },
        "Terminated" => ContainerState {
            terminated: Some(ContainerStateTerminated {
                reason: s.reason.map(str::to_owned),
                message: s.message.as_deref().map(str::to_owned),
                exit_code: s.exit_code.unwrap_or(0),
                signal: s.signal,
                started_at: s.started_at.map(Time),
                finished_at: s.finished_at.map(Time),
                ..ContainerStateTerminated::default()
            }),
            ..ContainerState::default()
        },
        _ => ContainerState::default(),
    }
}

fn status_of(c: &Ctr<'_>) -> Option<ContainerStatus> {
    if c.state.is_none() && c.last_state.is_none() && c.ready.is_none() && c.restarts.is_none() {
        return None;
    }
    Some(ContainerStatus {
        name: c.name.to_owned(),
        image: c.image.unwrap_or_default().to_owned(),
        ready: c.ready.unwrap_or(false),
        // A last state exists only after a restart: at least one.
        restart_count: c.restarts.unwrap_or(i32::from(c.last_state.is_some())),
        state: c.state.as_ref().map(state),
        last_state: c.last_state.as_ref().map(state),
        ..ContainerStatus::default()
    })
}

/// `key=value:Effect`, `key:Effect op=Exists for 300s` → toleration.
fn toleration(s: &str) -> Toleration {
    let mut words = s.split_whitespace();
    let head = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    let (kv, effect) = head.rsplit_once(':').unwrap_or((head, ""));
    let (key, value) = match kv.split_once('=') {
        Some((k, v)) => (k, Some(v.to_owned())),
        None => (kv, None),
    };
    let exists = rest.contains(&"op=Exists") || value.is_none();
    Toleration {
        key: Some(key.to_owned()).filter(|k| !k.is_empty()),
        operator: Some(if exists { "Exists" } else { "Equal" }.to_owned()),
        value,
        effect: Some(effect.to_owned()).filter(|e| !e.is_empty()),
        toleration_seconds: rest
            .iter()
            .position(|w| *w == "for")
            .and_then(|i| rest.get(i + 1))
            .and_then(|s| s.trim_end_matches('s').parse().ok()),
    }
}

/// A described pod, and for a `Terminating` one the seconds since its deletion (its
/// deletion time counts back from "now", which the whole paste decides).
fn pod(mut meta: ObjectMeta, d: &Described<'_>, start: Option<Timestamp>) -> (Pod, Option<i64>) {
    meta.owner_references = owner(d);
    let mut terminating = None;
    let status_word = d.get("Status").unwrap_or("");
    if let Some(rest) = status_word.strip_prefix("Terminating") {
        // `Terminating (lasts 77s)`: the time since the deletion timestamp.
        let lasts = rest
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim_start_matches("lasts")
            .trim();
        terminating = Some(super::age::parse_age(lasts).unwrap_or(0));
        meta.deletion_grace_period_seconds = d
            .get("Termination Grace Period")
            .and_then(super::age::parse_age);
    }
    let node = d
        .get("Node")
        .map(|n| n.split('/').next().unwrap_or(n).to_owned())
        .filter(|n| !n.is_empty() && n != "<none>");
    let volumes: Vec<Volume> = d
        .volumes
        .iter()
        .map(|v| Volume {
            name: v.name.to_owned(),
            secret: v.secret.map(|s| SecretVolumeSource {
                secret_name: Some(s.to_owned()),
                optional: v.optional,
                ..SecretVolumeSource::default()
            }),
            config_map: v.config_map.map(|s| ConfigMapVolumeSource {
                name: s.to_owned(),
                optional: v.optional,
                ..ConfigMapVolumeSource::default()
            }),
            persistent_volume_claim: v.claim.map(|c| PersistentVolumeClaimVolumeSource {
                claim_name: c.to_owned(),
                read_only: None,
            }),
            ..Volume::default()
        })
        .collect();
    let has_spec = !d.containers.is_empty()
        || !d.init_containers.is_empty()
        || node.is_some()
        || !d.node_selectors.is_empty()
        || !d.tolerations.is_empty()
        || !volumes.is_empty();
    let spec = has_spec.then(|| PodSpec {
        containers: d.containers.iter().map(container).collect(),
        init_containers: (!d.init_containers.is_empty())
            .then(|| d.init_containers.iter().map(container).collect()),
        node_name: node.clone(),
        node_selector: pairs(&d.node_selectors, '='),
        tolerations: (!d.tolerations.is_empty())
            .then(|| d.tolerations.iter().map(|t| toleration(t)).collect()),
        volumes: (!volumes.is_empty()).then_some(volumes),
        service_account_name: d.get("Service Account").map(str::to_owned),
        ..PodSpec::default()
    });
    let statuses: Vec<ContainerStatus> = d.containers.iter().filter_map(status_of).collect();
    let init_statuses: Vec<ContainerStatus> =
        d.init_containers.iter().filter_map(status_of).collect();
    // What the text does not show but the statuses above hold.
    let mut inferred = Vec::new();
    for (list, ctrs) in [
        ("containerStatuses", &d.containers),
        ("initContainerStatuses", &d.init_containers),
    ] {
        for c in ctrs.iter() {
            let path = || format!("status.{list}[{}]", c.name);
            if c.restarts.is_none() && c.last_state.is_some() {
                inferred.push(format!("{}.restartCount", path()));
            }
            for (which, s) in [("state", &c.state), ("lastState", &c.last_state)] {
                if let Some(s) = s
                    && s.exit_code.is_none()
                    && s.kind.split_whitespace().next() == Some("Terminated")
                {
                    inferred.push(format!("{}.{which}.terminated.exitCode", path()));
                }
            }
        }
    }
    if !inferred.is_empty() {
        meta.annotations
            .get_or_insert_with(Map::new)
            .insert(INFERRED_ANNOTATION.to_owned(), inferred.join(", "));
    }
    let phase = match status_word.split_whitespace().next() {
        Some("Terminating") => Some("Running".to_owned()),
        Some(p) => Some(p.to_owned()),
        None => None,
    };
    let has_status = phase.is_some()
        || !statuses.is_empty()
        || !init_statuses.is_empty()
        || !d.conditions.is_empty()
        || d.get("Reason").is_some()
        || d.get("Message").is_some();
    let status = has_status.then(|| PodStatus {
        phase,
        reason: d.get("Reason").map(str::to_owned),
        message: d.get("Message").map(str::to_owned),
        start_time: start.map(Time),
        pod_ip: d.get("IP").map(str::to_owned),
        qos_class: d.get("QoS Class").map(str::to_owned),
        conditions: (!d.conditions.is_empty()).then(|| {
            d.conditions
                .iter()
                .map(|c| PodCondition {
                    type_: c.type_.to_owned(),
                    status: c.status.to_owned(),
                    reason: c.reason.map(str::to_owned),
                    message: c.message.map(str::to_owned),
                    ..PodCondition::default()
                })
                .collect()
        }),
        container_statuses: (!statuses.is_empty()).then_some(statuses),
        init_container_statuses: (!init_statuses.is_empty()).then_some(init_statuses),
        ..PodStatus::default()
    });
    let pod = Pod {
        metadata: meta,
        spec,
        status,
    };
    (pod, terminating)
}

/// `key=value:Effect` or `key:Effect`.
fn taint(s: &str) -> Option<Taint> {
    let (kv, effect) = s.trim().rsplit_once(':')?;
    let (key, value) = match kv.split_once('=') {
        Some((k, v)) => (k, Some(v.to_owned()).filter(|v| !v.is_empty())),
        None => (kv, None),
    };
    Some(Taint {
        key: key.to_owned(),
        value,
        effect: effect.to_owned(),
        time_added: None,
    })
}

fn node(meta: ObjectMeta, d: &Described<'_>) -> (Node, Option<Pod>) {
    let name = meta.name.clone().unwrap_or_default();
    let taints: Vec<Taint> = d.taints.iter().filter_map(|t| taint(t)).collect();
    let unschedulable = d.get("Unschedulable").map(|u| u == "true");
    let node = Node {
        metadata: meta.clone(),
        spec: Some(NodeSpec {
            taints: (!taints.is_empty()).then_some(taints),
            unschedulable,
            ..NodeSpec::default()
        }),
        status: Some(NodeStatus {
            capacity: quantities(&d.capacity),
            allocatable: quantities(&d.allocatable),
            conditions: (!d.conditions.is_empty()).then(|| {
                d.conditions
                    .iter()
                    .map(|c| NodeCondition {
                        type_: c.type_.to_owned(),
                        status: c.status.to_owned(),
                        reason: c.reason.map(str::to_owned),
                        message: c.message.map(str::to_owned),
                        last_heartbeat_time: c.heartbeat.as_deref().and_then(parse_time).map(Time),
                        last_transition_time: c
                            .transition
                            .as_deref()
                            .and_then(parse_time)
                            .map(Time),
                    })
                    .collect()
            }),
            ..NodeStatus::default()
        }),
    };
    // "Allocated resources" holds the requests of all pods on the node: one synthetic
    // Running pod bound to the node carries them, so per-node free capacity is computed
    // the same way as from real pods.
    let requests: Vec<(&str, &str)> = d
        .allocated
        .iter()
        .filter(|(r, q, _)| !q.is_empty() && *q != "0" && !r.is_empty())
        .map(|(r, q, _)| (*r, *q))
        .collect();
    let synthetic = (!requests.is_empty()).then(|| {
        let mut annotations = meta.annotations.clone().unwrap_or_default();
        annotations.insert(
            SYNTHETIC_ANNOTATION.to_owned(),
            "allocated-resources".to_owned(),
        );
        Pod {
            metadata: ObjectMeta {
                name: Some(format!("{name} (allocated resources)")),
                annotations: Some(annotations),
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec {
                node_name: Some(name.clone()),
                containers: vec![Container {
                    name: "allocated".to_owned(),
                    resources: Some(ResourceRequirements {
                        requests: quantities(&requests),
                        ..ResourceRequirements::default()
                    }),
                    ..Container::default()
                }],
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                phase: Some("Running".to_owned()),
                ..PodStatus::default()
            }),
        }
    });
    (node, synthetic)
}

fn workload(kind: &str, meta: ObjectMeta, d: &Described<'_>) -> Vec<Object> {
    // `1 desired | 1 updated | 1 total | 0 available | 1 unavailable`
    let mut counts: BTreeMap<&str, i32> = BTreeMap::new();
    if let Some(r) = d.get("Replicas") {
        for part in r.split('|') {
            let mut w = part.split_whitespace();
            if let (Some(n), Some(what)) = (w.next(), w.next())
                && let Ok(n) = n.parse()
            {
                counts.insert(what, n);
            }
        }
    }
    let template = PodTemplateSpec {
        metadata: None,
        spec: Some(PodSpec {
            containers: d.containers.iter().map(container).collect(),
            ..PodSpec::default()
        }),
    };
    let selector = k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
        match_labels: d
            .get("Selector")
            .and_then(|s| pairs(&s.split(',').collect::<Vec<_>>(), '=')),
        ..Default::default()
    };
    let mut out = Vec::new();
    if kind == "ReplicaSet" {
        let mut meta = meta;
        meta.owner_references = owner(d);
        out.push(
            ReplicaSet {
                metadata: meta,
                spec: k8s_openapi::api::apps::v1::ReplicaSetSpec {
                    replicas: counts
                        .get("desired")
                        .copied()
                        .or(counts.get("current").copied()),
                    selector,
                    template: Some(template),
                    ..Default::default()
                },
                status: None,
            }
            .into(),
        );
        return out;
    }
    let name = meta.name.clone().unwrap_or_default();
    let revision = meta
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision").cloned());
    let conditions: Vec<DeploymentCondition> = d
        .conditions
        .iter()
        .map(|c| DeploymentCondition {
            type_: Some(c.type_.to_owned()),
            status: Some(c.status.to_owned()),
            reason: c.reason.map(str::to_owned),
            message: c.message.map(str::to_owned),
            ..DeploymentCondition::default()
        })
        .collect();
    let ns = meta.namespace.clone();
    out.push(
        Deployment {
            metadata: meta.clone(),
            spec: DeploymentSpec {
                replicas: counts.get("desired").copied(),
                selector: selector.clone(),
                template,
                ..DeploymentSpec::default()
            },
            status: Some(DeploymentStatus {
                replicas: counts.get("total").copied(),
                updated_replicas: counts.get("updated").copied(),
                available_replicas: counts.get("available").copied(),
                unavailable_replicas: counts.get("unavailable").copied(),
                conditions: (!conditions.is_empty()).then_some(conditions),
                ..DeploymentStatus::default()
            }),
        }
        .into(),
    );
    // `NewReplicaSet: web-5d8f (1/1 replicas created)` names the ReplicaSet of the
    // current revision.
    if let Some(rs) = d
        .get("NewReplicaSet")
        .and_then(|v| v.split_whitespace().next())
    {
        let mut annotations = meta.annotations.clone().unwrap_or_default();
        if let Some(r) = revision {
            annotations.insert("deployment.kubernetes.io/revision".to_owned(), r);
        }
        out.push(
            ReplicaSet {
                metadata: ObjectMeta {
                    name: Some(rs.to_owned()),
                    namespace: ns,
                    annotations: Some(annotations),
                    owner_references: Some(vec![OwnerReference {
                        kind: "Deployment".to_owned(),
                        name,
                        controller: Some(true),
                        ..OwnerReference::default()
                    }]),
                    ..ObjectMeta::default()
                },
                spec: Default::default(),
                status: None,
            }
            .into(),
        );
    }
    out
}

/// A pod from a `kubectl get pods` row: its STATUS column read back into the state that
/// prints it.
fn pod_from_row(ns: Option<String>, row: &PodRow<'_>, now: Timestamp) -> Pod {
    let (ready, total) = row.ready.unwrap_or((0, 0));
    let status = row.status;
    let (init, word) = match status.strip_prefix("Init:") {
        Some(w) => (true, w),
        None => (false, status),
    };
    let mut phase = "Running";
    let mut reason = None;
    let mut deleted = false;
    let mut annotations = Map::new();
    annotations.insert("kdiag.io/status-column".to_owned(), status.to_owned());
    let waiting = |r: &str| ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(r.to_owned()),
            message: None,
        }),
        ..ContainerState::default()
    };
    let terminated = |r: &str, code: i32| ContainerState {
        terminated: Some(ContainerStateTerminated {
            reason: Some(r.to_owned()),
            exit_code: code,
            ..ContainerStateTerminated::default()
        }),
        ..ContainerState::default()
    };
    // The failing container's state (None: the column says nothing about containers).
    let failing: Option<ContainerState> = match word {
        "Running" => None,
        "Pending" | "ContainerCreating" | "PodInitializing" => {
            phase = "Pending";
            (word != "Pending").then(|| waiting(word))
        }
        "Completed" | "Succeeded" if !init => {
            phase = "Succeeded";
            Some(terminated("Completed", 0))
        }
        "Completed" => Some(terminated("Completed", 0)),
        // The kubelet writes 137 for an OOM kill; other codes are not printed.
        "OOMKilled" => Some(terminated("OOMKilled", 137)),
        "Error" => Some(terminated("Error", 1)),
        "Evicted"
        | "OutOfcpu"
        | "OutOfmemory"
        | "OutOfpods"
        | "NodeAffinity"
        | "Shutdown"
        | "Terminated"
        | "UnexpectedAdmissionError" => {
            phase = "Failed";
            reason = Some(word.to_owned());
            None
        }
        "Unknown" => {
            phase = "Unknown";
            None
        }
        // The node controller's mark on the pods of a node that stopped reporting: their
        // state is unknown, not over.
        "NodeLost" => {
            phase = "Unknown";
            reason = Some(word.to_owned());
            None
        }
        "Terminating" => {
            // Deleted, at a time the table does not print.
            deleted = true;
            None
        }
        "Failed" => {
            phase = "Failed";
            None
        }
        w if w.contains('/') => {
            // Init:0/1 — an init container still running.
            phase = "Pending";
            None
        }
        w => {
            if init {
                phase = "Pending";
            }
            Some(waiting(w))
        }
    };
    let mut statuses = Vec::new();
    let mut init_statuses = Vec::new();
    for i in 0..total.max(0) {
        if i < ready {
            statuses.push(ContainerStatus {
                name: if total == 1 {
                    "<container>".to_owned()
                } else {
                    format!("<container-{}>", i + 1)
                },
                ready: true,
                state: Some(ContainerState {
                    running: Some(ContainerStateRunning::default()),
                    ..ContainerState::default()
                }),
                ..ContainerStatus::default()
            });
        }
    }
    if let Some(st) = failing {
        let cs = ContainerStatus {
            name: if init {
                "<init-container>".to_owned()
            } else if total <= 1 {
                "<container>".to_owned()
            } else {
                format!("<container-{}>", ready + 1)
            },
            ready: false,
            restart_count: row.restarts,
            last_state: None,
            state: Some(st),
            ..ContainerStatus::default()
        };
        if cs.state.as_ref().is_some_and(|s| s.terminated.is_some()) {
            // The column prints the reason; the exit code is the one that reason implies.
            let list = if init {
                "initContainerStatuses"
            } else {
                "containerStatuses"
            };
            annotations.insert(
                INFERRED_ANNOTATION.to_owned(),
                format!("status.{list}[{}].state.terminated.exitCode", cs.name),
            );
        }
        if init {
            init_statuses.push(cs);
        } else {
            statuses.push(cs);
        }
    }
    Pod {
        metadata: ObjectMeta {
            name: Some(row.name.to_owned()),
            namespace: ns,
            annotations: Some(annotations),
            creation_timestamp: time_from(now, row.age, None),
            deletion_timestamp: deleted.then_some(Time(now)),
            ..ObjectMeta::default()
        },
        spec: row.node.map(|n| PodSpec {
            node_name: Some(n.to_owned()),
            ..PodSpec::default()
        }),
        status: Some(PodStatus {
            phase: Some(phase.to_owned()),
            reason,
            pod_ip: row.ip.map(str::to_owned),
            container_statuses: (!statuses.is_empty()).then_some(statuses),
            init_container_statuses: (!init_statuses.is_empty()).then_some(init_statuses),
            ..PodStatus::default()
        }),
    }
}

/// A node from a `kubectl get nodes` row: NAME STATUS …
fn node_from_row(toks: &[&str]) -> Node {
    let name = toks.first().copied().unwrap_or_default().to_owned();
    let status = toks.get(1).copied().unwrap_or("");
    let ready = status.split(',').next().unwrap_or("");
    Node {
        metadata: ObjectMeta {
            name: Some(name),
            ..ObjectMeta::default()
        },
        spec: Some(NodeSpec {
            unschedulable: status.contains("SchedulingDisabled").then_some(true),
            ..NodeSpec::default()
        }),
        status: Some(NodeStatus {
            conditions: Some(vec![NodeCondition {
                type_: "Ready".to_owned(),
                status: match ready {
                    "Ready" => "True",
                    "NotReady" => "False",
                    _ => "Unknown",
                }
                .to_owned(),
                ..NodeCondition::default()
            }]),
            ..NodeStatus::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::at;

    #[test]
    fn locations_read_as_written() {
        assert_eq!(at(1, 7, 7).to_string(), "block 1, line 7");
        assert_eq!(at(20, 3, 140).to_string(), "block 20, lines 3-140");
    }
}
