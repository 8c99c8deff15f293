//! The index the rules read: objects by kind, events joined to their object, owner chains
//! resolved to the controlling workload, pods per node.

use crate::input::TextLocation;
use crate::{Object, Timestamp, WorkloadRef};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::PersistentVolume;
use k8s_openapi::api::core::v1::{
    Node, ObjectReference, PersistentVolumeClaim, Pod, ReplicationController, ResourceQuota,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use std::collections::{BTreeMap, HashMap};

/// One event, whichever schema it came in (core/v1 or events.k8s.io/v1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EventRec {
    /// Kind of the object the event is about.
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub uid: Option<String>,
    /// `spec.containers{app}` and the like.
    pub field_path: Option<String>,
    pub reason: String,
    pub message: String,
    /// `Normal` or `Warning`.
    pub type_: String,
    /// How many times it happened (at least 1).
    pub count: i64,
    pub last_seen: Option<Timestamp>,
    /// Reporting component (`kubelet`, `default-scheduler`, …).
    pub source: String,
    /// Where in pasted text the event was read (`block 2, line 14`).
    pub origin: Option<TextLocation>,
}

impl EventRec {
    /// The container named in the event's field path, if any; without a field path (as
    /// `kubectl get events` and `describe` tables print them), the container the kubelet's
    /// message names.
    pub(crate) fn container(&self) -> Option<&str> {
        let Some(fp) = self.field_path.as_deref() else {
            return self.container_in_message();
        };
        let open = fp.find('{')?;
        let name = fp.get(open + 1..)?.strip_suffix('}')?;
        Some(name)
    }

    /// Whether the field path points at an init container (`spec.initContainers{x}`).
    pub(crate) fn is_init_container(&self) -> bool {
        self.field_path
            .as_deref()
            .is_some_and(|f| f.starts_with("spec.initContainers"))
    }

    /// The container a kubelet message names: `Container x failed liveness probe, will be
    /// restarted`, `Back-off restarting failed container x in pod …`, `Started container
    /// x`, `Created container x`, `Stopping container x`.
    fn container_in_message(&self) -> Option<&str> {
        let m = self.message.as_str();
        let word = |rest: &'_ str| -> Option<usize> {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ',')
                .unwrap_or(rest.len());
            (end > 0).then_some(end)
        };
        for prefix in [
            "Back-off restarting failed container ",
            "Started container ",
            "Created container ",
            "Stopping container ",
        ] {
            if let Some(rest) = m.strip_prefix(prefix) {
                // Old kubelets: "Started container with docker id …" names no container.
                if rest.starts_with("with ") {
                    return None;
                }
                return rest.get(..word(rest)?);
            }
        }
        let rest = m.strip_prefix("Container ")?;
        let end = word(rest)?;
        let after = rest.get(end..)?;
        (after.starts_with(" failed liveness probe") || after.starts_with(" failed startup probe"))
            .then(|| rest.get(..end))
            .flatten()
    }

    fn from_core(e: k8s_openapi::api::core::v1::Event, origin: Option<TextLocation>) -> EventRec {
        let last_seen = e
            .last_timestamp
            .map(|t| t.0)
            .or(e.event_time.map(|t| t.0))
            .or(e.first_timestamp.map(|t| t.0))
            .or(e.metadata.creation_timestamp.map(|t| t.0));
        let count = e
            .series
            .as_ref()
            .and_then(|s| s.count)
            .or(e.count)
            .map_or(1, |c| i64::from(c.max(1)));
        let source = e
            .source
            .and_then(|s| s.component)
            .or(e.reporting_component)
            .unwrap_or_default();
        let mut rec = EventRec::with_object(e.involved_object, e.metadata.namespace)
            .finish(e.reason, e.message, e.type_, count, last_seen, source);
        rec.origin = origin;
        rec
    }

    fn from_v1(e: k8s_openapi::api::events::v1::Event, origin: Option<TextLocation>) -> EventRec {
        let last_seen = e
            .series
            .as_ref()
            .map(|s| s.last_observed_time.0)
            .or(e.deprecated_last_timestamp.map(|t| t.0))
            .or(e.event_time.map(|t| t.0))
            .or(e.metadata.creation_timestamp.map(|t| t.0));
        let count = e
            .series
            .as_ref()
            .map(|s| i64::from(s.count))
            .or(e.deprecated_count.map(i64::from))
            .unwrap_or(1)
            .max(1);
        let source = e
            .reporting_controller
            .or(e.deprecated_source.and_then(|s| s.component))
            .unwrap_or_default();
        let mut rec = EventRec::with_object(e.regarding.unwrap_or_default(), e.metadata.namespace)
            .finish(e.reason, e.note, e.type_, count, last_seen, source);
        rec.origin = origin;
        rec
    }

    fn with_object(o: ObjectReference, event_ns: Option<String>) -> EventRec {
        EventRec {
            kind: o.kind.unwrap_or_default(),
            namespace: o.namespace.or(event_ns),
            name: o.name.unwrap_or_default(),
            uid: o.uid,
            field_path: o.field_path,
            ..EventRec::default()
        }
    }

    fn finish(
        mut self,
        reason: Option<String>,
        message: Option<String>,
        type_: Option<String>,
        count: i64,
        last_seen: Option<Timestamp>,
        source: String,
    ) -> EventRec {
        self.reason = reason.unwrap_or_default();
        let message = message.unwrap_or_default();
        self.message = if message.trim().len() == message.len() {
            message
        } else {
            message.trim().to_owned()
        };
        self.type_ = type_.unwrap_or_default();
        self.count = count;
        self.last_seen = last_seen;
        self.source = source;
        self
    }
}

/// All objects of one input, indexed for the rules.
///
/// Build it with [`Snapshot::new`]; [`crate::diagnose`] does so for you.
#[derive(Debug, Default)]
pub struct Snapshot {
    // Kept in the boxes the reader made: a Pod is 2.4 KB, and moving tens of thousands of
    // them out of their boxes (and again when the vector grows) costs measurable time.
    #[allow(clippy::vec_box)]
    pub(crate) pods: Vec<Box<Pod>>,
    #[allow(clippy::vec_box)]
    pub(crate) nodes: Vec<Box<Node>>,
    pub(crate) events: Vec<EventRec>,
    pub(crate) deployments: Vec<Deployment>,
    pub(crate) replica_sets: Vec<ReplicaSet>,
    pub(crate) replication_controllers: Vec<ReplicationController>,
    pub(crate) stateful_sets: Vec<StatefulSet>,
    pub(crate) daemon_sets: Vec<DaemonSet>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) cron_jobs: Vec<CronJob>,
    pub(crate) pvcs: Vec<PersistentVolumeClaim>,
    pub(crate) quotas: Vec<ResourceQuota>,
    pub(crate) pvs: Vec<PersistentVolume>,
    pub(crate) storage_classes: Vec<StorageClass>,
    /// The moment ages are measured against.
    pub(crate) now: Option<Timestamp>,
    /// Where in pasted text each of `pods`, `nodes` and `deployments` was read, by the
    /// same index (shorter lists: the rest were not read from text).
    pod_locations: Vec<Option<TextLocation>>,
    node_locations: Vec<Option<TextLocation>>,
    deployment_locations: Vec<Option<TextLocation>>,
    /// Event indexes by object name — kind and namespace checked on lookup — and by uid.
    events_by_name: HashMap<u64, Vec<usize>>,
    events_by_uid: HashMap<u64, Vec<usize>>,
    /// Node indexes by name.
    nodes_by_name: HashMap<u64, Vec<usize>>,
    /// ReplicaSet and Job indexes by name (namespace checked on lookup).
    replica_sets_by_name: HashMap<u64, Vec<usize>>,
    jobs_by_name: HashMap<u64, Vec<usize>>,
    /// Pod and Deployment indexes by name (namespace checked on lookup).
    pods_by_name: HashMap<u64, Vec<usize>>,
    deployments_by_name: HashMap<u64, Vec<usize>>,
    /// Pod indexes by node name.
    pods_by_node: BTreeMap<String, Vec<usize>>,
    /// How many of `pods` (at the end) exist only because events name them.
    phantom_pods: usize,
}

impl Snapshot {
    /// Index the objects. `now` is the moment ages are measured against; when `None`, the
    /// newest timestamp in the objects is used.
    pub fn new(objects: Vec<Object>, now: Option<Timestamp>) -> Self {
        Self::located(objects, &[], now)
    }

    /// [`Snapshot::new`], knowing where in pasted text objects were read
    /// ([`crate::input::Parsed::locations`]), which evidence then cites.
    pub(crate) fn located(
        objects: Vec<Object>,
        locations: &[Option<TextLocation>],
        now: Option<Timestamp>,
    ) -> Self {
        let mut s = Snapshot::default();
        // (A list of locations is kept for a kind only when one of its objects has one.)
        let keep = |list: &mut Vec<Option<TextLocation>>, len: usize, at: Option<TextLocation>| {
            if at.is_some() {
                list.resize(len, None);
                list.push(at);
            }
        };
        for (i, object) in objects.into_iter().enumerate() {
            let at = locations.get(i).copied().flatten();
            match object {
                Object::Pod(p) => {
                    keep(&mut s.pod_locations, s.pods.len(), at);
                    s.pods.push(p);
                }
                Object::Node(n) => {
                    keep(&mut s.node_locations, s.nodes.len(), at);
                    s.nodes.push(n);
                }
                Object::Event(e) => s.events.push(EventRec::from_core(*e, at)),
                Object::EventV1(e) => s.events.push(EventRec::from_v1(*e, at)),
                Object::Deployment(d) => {
                    keep(&mut s.deployment_locations, s.deployments.len(), at);
                    s.deployments.push(*d);
                }
                Object::ReplicaSet(r) => s.replica_sets.push(*r),
                Object::ReplicationController(r) => s.replication_controllers.push(*r),
                Object::StatefulSet(x) => s.stateful_sets.push(*x),
                Object::DaemonSet(x) => s.daemon_sets.push(*x),
                Object::Job(x) => s.jobs.push(*x),
                Object::CronJob(x) => s.cron_jobs.push(*x),
                Object::PersistentVolumeClaim(x) => s.pvcs.push(*x),
                Object::ResourceQuota(x) => s.quotas.push(*x),
                Object::PersistentVolume(x) => s.pvs.push(*x),
                Object::StorageClass(x) => s.storage_classes.push(*x),
            }
        }
        s.add_pods_known_only_from_events();
        for (i, e) in s.events.iter().enumerate() {
            s.events_by_name.entry(key(&e.name)).or_default().push(i);
            if let Some(uid) = e.uid.as_ref().filter(|u| !u.is_empty()) {
                s.events_by_uid.entry(key(uid)).or_default().push(i);
            }
        }
        for (i, n) in s.nodes.iter().enumerate() {
            if let Some(name) = &n.metadata.name {
                s.nodes_by_name.entry(key(name)).or_default().push(i);
            }
        }
        for (i, rs) in s.replica_sets.iter().enumerate() {
            if let Some(name) = &rs.metadata.name {
                s.replica_sets_by_name.entry(key(name)).or_default().push(i);
            }
        }
        for (i, job) in s.jobs.iter().enumerate() {
            if let Some(name) = &job.metadata.name {
                s.jobs_by_name.entry(key(name)).or_default().push(i);
            }
        }
        for (i, d) in s.deployments.iter().enumerate() {
            if let Some(name) = &d.metadata.name {
                s.deployments_by_name.entry(key(name)).or_default().push(i);
            }
        }
        for (i, p) in s.pods.iter().enumerate() {
            if let Some(name) = &p.metadata.name {
                s.pods_by_name.entry(key(name)).or_default().push(i);
            }
            if let Some(node) = p.spec.as_ref().and_then(|s| s.node_name.as_ref()) {
                s.pods_by_node.entry(node.clone()).or_default().push(i);
            }
        }
        s.now = now.or_else(|| s.newest_timestamp());
        s
    }

    /// Events about pods that are not in the input (`kubectl get events` alone) still
    /// describe a pod: add a pod with only that identity, so every pod rule reads them.
    /// Such pods are not counted as objects read.
    fn add_pods_known_only_from_events(&mut self) {
        let mut known: std::collections::HashSet<(Option<&str>, &str)> = self
            .pods
            .iter()
            .filter_map(|p| Some((p.metadata.namespace.as_deref(), p.metadata.name.as_deref()?)))
            .collect();
        let known_names: std::collections::HashSet<&str> = known.iter().map(|(_, n)| *n).collect();
        let mut extra = Vec::new();
        // Events about a pod whose name the input does not give (a pasted event line or
        // table without its object column): one pod without a name holds them all.
        let mut unnamed = false;
        for e in &self.events {
            if e.kind == "Pod" && e.name.is_empty() {
                unnamed = true;
            }
            if e.kind != "Pod" || e.name.is_empty() {
                continue;
            }
            let key = (e.namespace.as_deref(), e.name.as_str());
            if known.contains(&key)
                || (e.namespace.is_none() && known_names.contains(e.name.as_str()))
            {
                continue;
            }
            known.insert(key);
            extra.push(Box::new(Pod {
                metadata: ObjectMeta {
                    name: Some(e.name.clone()),
                    namespace: e.namespace.clone(),
                    // No uid: events of a pod recreated under the same name belong too.
                    ..ObjectMeta::default()
                },
                ..Pod::default()
            }));
        }
        if unnamed {
            extra.push(Box::new(Pod::default()));
        }
        self.phantom_pods = extra.len();
        self.pods.extend(extra);
    }

    /// Objects read, by kind.
    pub fn object_counts(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        let counts = [
            ("Pod", self.pods.len() - self.phantom_pods),
            ("Node", self.nodes.len()),
            ("Event", self.events.len()),
            ("Deployment", self.deployments.len()),
            ("ReplicaSet", self.replica_sets.len()),
            ("ReplicationController", self.replication_controllers.len()),
            ("StatefulSet", self.stateful_sets.len()),
            ("DaemonSet", self.daemon_sets.len()),
            ("Job", self.jobs.len()),
            ("CronJob", self.cron_jobs.len()),
            ("PersistentVolumeClaim", self.pvcs.len()),
            ("ResourceQuota", self.quotas.len()),
            ("PersistentVolume", self.pvs.len()),
            ("StorageClass", self.storage_classes.len()),
        ];
        for (kind, n) in counts {
            if n > 0 {
                m.insert(kind.to_owned(), n);
            }
        }
        m
    }

    /// Events about one object, oldest first as given, matched by uid, else by kind, name
    /// and (where both sides know it) namespace.
    pub(crate) fn events_for(&self, kind: &str, meta: &ObjectMeta) -> Vec<&EventRec> {
        let name = meta.name.as_deref().unwrap_or_default();
        let ns = meta.namespace.as_deref();
        let mut idx: Vec<usize> = Vec::new();
        if let Some(uid) = meta.uid.as_deref()
            && let Some(v) = self.events_by_uid.get(&key(uid))
        {
            idx.extend(v.iter().filter(|&&i| {
                self.events
                    .get(i)
                    .is_some_and(|e| e.uid.as_deref() == Some(uid))
            }));
        }
        if let Some(v) = self.events_by_name.get(&key(name)) {
            for &i in v {
                let Some(e) = self
                    .events
                    .get(i)
                    .filter(|e| e.kind == kind && e.name == name)
                else {
                    continue;
                };
                // The kubelet writes a node's name as the uid of the node's own events.
                let uid_conflict = matches!((meta.uid.as_deref(), e.uid.as_deref()),
                    (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() && a != b && b != name);
                let ns_conflict =
                    matches!((ns, e.namespace.as_deref()), (Some(a), Some(b)) if a != b);
                if !uid_conflict && !ns_conflict {
                    idx.push(i);
                }
            }
        }
        idx.sort_unstable();
        idx.dedup();
        idx.iter().filter_map(|&i| self.events.get(i)).collect()
    }

    /// Where in pasted text the object a finding is about was read.
    pub(crate) fn origin_of(
        &self,
        kind: &str,
        ns: Option<&str>,
        name: &str,
    ) -> Option<TextLocation> {
        let at = |locations: &[Option<TextLocation>], index: Option<usize>| {
            locations.get(index?).copied().flatten()
        };
        // (No lookup for a kind none of whose objects was pasted as text.)
        match kind {
            "Pod" if !self.pod_locations.is_empty() => at(
                &self.pod_locations,
                Self::find_index(&self.pods, &self.pods_by_name, |p| &p.metadata, ns, name),
            ),
            "Node" if !self.node_locations.is_empty() => at(
                &self.node_locations,
                Self::find_index(
                    &self.nodes,
                    &self.nodes_by_name,
                    |n| &n.metadata,
                    None,
                    name,
                ),
            ),
            "Deployment" if !self.deployment_locations.is_empty() => at(
                &self.deployment_locations,
                Self::find_index(
                    &self.deployments,
                    &self.deployments_by_name,
                    |d| &d.metadata,
                    ns,
                    name,
                ),
            ),
            _ => None,
        }
    }

    /// The fields of a pod the text reader inferred rather than read (its
    /// [`crate::input::text::INFERRED_ANNOTATION`]).
    pub(crate) fn inferred_of(&self, ns: Option<&str>, name: &str) -> Vec<&str> {
        self.pod(ns, name)
            .and_then(|p| {
                p.metadata
                    .annotations
                    .as_ref()?
                    .get(crate::input::text::INFERRED_ANNOTATION)
            })
            .map(|v| v.split(", ").collect())
            .unwrap_or_default()
    }

    /// Pods scheduled to a node.
    pub(crate) fn pods_on_node(&self, node: &str) -> impl Iterator<Item = &Pod> {
        self.pods_by_node
            .get(node)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.pods.get(i).map(|p| &**p))
    }

    /// The controlling workload of an object's owner references, resolved up the chain
    /// (Pod → ReplicaSet → Deployment, Pod → Job → CronJob). Where the intermediate object
    /// is not in the input, the Deployment is recovered from the `pod-template-hash`.
    pub(crate) fn workload_of(&self, meta: &ObjectMeta) -> Option<WorkloadRef> {
        let ns = meta.namespace.clone();
        let owner = controller_of(meta)?;
        let wl = |kind: &str, name: &str| WorkloadRef {
            kind: kind.to_owned(),
            namespace: ns.clone(),
            name: name.to_owned(),
        };
        match owner.kind.as_str() {
            "ReplicaSet" => {
                if let Some(rs) = Self::find(
                    &self.replica_sets,
                    &self.replica_sets_by_name,
                    |r| &r.metadata,
                    ns.as_deref(),
                    &owner.name,
                ) {
                    return match controller_of(&rs.metadata) {
                        Some(o) if o.kind == "Deployment" => Some(wl("Deployment", &o.name)),
                        Some(o) => Some(wl(&o.kind, &o.name)),
                        None => Some(wl("ReplicaSet", &owner.name)),
                    };
                }
                let hash = meta
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("pod-template-hash"));
                match hash.and_then(|h| owner.name.strip_suffix(h.as_str())?.strip_suffix('-')) {
                    Some(deploy) if !deploy.is_empty() => Some(wl("Deployment", deploy)),
                    _ => Some(wl("ReplicaSet", &owner.name)),
                }
            }
            "Job" => {
                if let Some(job) = Self::find(
                    &self.jobs,
                    &self.jobs_by_name,
                    |j| &j.metadata,
                    ns.as_deref(),
                    &owner.name,
                ) && let Some(o) = controller_of(&job.metadata)
                {
                    return Some(wl(&o.kind, &o.name));
                }
                Some(wl("Job", &owner.name))
            }
            // A static (mirror) pod is "owned" by its Node: it has no workload to change.
            "Node" => None,
            kind => Some(wl(kind, &owner.name)),
        }
    }

    /// The object named `name` (and in namespace `ns`, where both sides know it).
    fn find<'a, T>(
        list: &'a [T],
        index: &HashMap<u64, Vec<usize>>,
        meta: impl Fn(&T) -> &ObjectMeta,
        ns: Option<&str>,
        name: &str,
    ) -> Option<&'a T> {
        list.get(Self::find_index(list, index, meta, ns, name)?)
    }

    /// [`Snapshot::find`], as an index in `list`.
    fn find_index<T>(
        list: &[T],
        index: &HashMap<u64, Vec<usize>>,
        meta: impl Fn(&T) -> &ObjectMeta,
        ns: Option<&str>,
        name: &str,
    ) -> Option<usize> {
        index.get(&key(name))?.iter().copied().find(|&i| {
            list.get(i).is_some_and(|x| {
                let m = meta(x);
                m.name.as_deref() == Some(name)
                    && (ns.is_none() || m.namespace.is_none() || m.namespace.as_deref() == ns)
            })
        })
    }

    /// Whether the object is controlled by a Job in the input that has succeeded
    /// (`Complete` or `SuccessCriteriaMet` condition, or all completions done).
    pub(crate) fn owning_job_succeeded(&self, meta: &ObjectMeta) -> bool {
        let Some(owner) = controller_of(meta).filter(|o| o.kind == "Job") else {
            return false;
        };
        let Some(job) = Self::find(
            &self.jobs,
            &self.jobs_by_name,
            |j| &j.metadata,
            meta.namespace.as_deref(),
            &owner.name,
        ) else {
            return false;
        };
        let Some(status) = &job.status else {
            return false;
        };
        let complete = status.conditions.iter().flatten().any(|c| {
            matches!(c.type_.as_str(), "Complete" | "SuccessCriteriaMet") && c.status == "True"
        });
        let completions = job.spec.as_ref().and_then(|s| s.completions).unwrap_or(1);
        complete || status.succeeded.unwrap_or(0) >= completions.max(1)
    }

    /// The pod named `name` (in namespace `ns`, where both sides know it).
    pub(crate) fn pod(&self, ns: Option<&str>, name: &str) -> Option<&Pod> {
        Self::find(&self.pods, &self.pods_by_name, |p| &p.metadata, ns, name).map(|p| &**p)
    }

    pub(crate) fn node(&self, name: &str) -> Option<&Node> {
        Self::find(
            &self.nodes,
            &self.nodes_by_name,
            |n| &n.metadata,
            None,
            name,
        )
        .map(|n| &**n)
    }

    /// The newest timestamp anywhere in the input: "now" when the caller gave none.
    fn newest_timestamp(&self) -> Option<Timestamp> {
        let mut newest: Option<Timestamp> = None;
        let mut see = |t: Option<Timestamp>| {
            if let Some(t) = t
                && newest.is_none_or(|n| t > n)
            {
                newest = Some(t);
            }
        };
        for e in &self.events {
            see(e.last_seen);
        }
        for p in &self.pods {
            see(p.metadata.creation_timestamp.as_ref().map(|t| t.0));
            let Some(status) = &p.status else { continue };
            see(status.start_time.as_ref().map(|t| t.0));
            for c in status.conditions.iter().flatten() {
                see(c.last_transition_time.as_ref().map(|t| t.0));
            }
            let all = status
                .container_statuses
                .iter()
                .flatten()
                .chain(status.init_container_statuses.iter().flatten());
            for cs in all {
                for st in [cs.state.as_ref(), cs.last_state.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    if let Some(r) = &st.running {
                        see(r.started_at.as_ref().map(|t| t.0));
                    }
                    if let Some(t) = &st.terminated {
                        see(t.finished_at.as_ref().map(|t| t.0));
                        see(t.started_at.as_ref().map(|t| t.0));
                    }
                }
            }
        }
        for d in &self.deployments {
            for c in d.status.iter().flat_map(|s| s.conditions.iter().flatten()) {
                see(c.last_update_time.as_ref().map(|t| t.0));
                see(c.last_transition_time.as_ref().map(|t| t.0));
            }
        }
        for n in &self.nodes {
            for c in n.status.iter().flat_map(|s| s.conditions.iter().flatten()) {
                see(c.last_heartbeat_time.as_ref().map(|t| t.0));
            }
        }
        newest
    }
}

/// The index key of a name: a 64-bit FNV-1a hash. Indexes keep positions under it and
/// every lookup compares the real name, so a collision costs a comparison, not a wrong
/// answer — and the index holds no copies of the names.
fn key(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The owner reference marked `controller: true` (or the only owner).
pub(crate) fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    let owners = meta.owner_references.as_deref()?;
    owners
        .iter()
        .find(|o| o.controller == Some(true))
        .or(match owners {
            [only] => Some(only),
            _ => None,
        })
}
