//! `kubectl describe pod|node|deployment|replicaset` text, read by its key names rather
//! than its indentation, so that a paste whose indentation was lost (chat, web forms)
//! reads the same as the original.

use super::age::parse_time;
use super::rows::{RawEvent, describe_row, old_row, tokens, words};
use crate::Timestamp;
use std::borrow::Cow;

/// Keys of the object itself (pod, node, deployment, replicaset). `classify` holds the
/// same four lists as one `match`.
#[cfg(test)]
const TOP_KEYS: &[&str] = &[
    "Name",
    "Namespace",
    "Priority",
    "Priority Class Name",
    "PriorityClassName",
    "Runtime Class Name",
    "Service Account",
    "Node",
    "Start Time",
    "Labels",
    "Annotations",
    "Status",
    "Reason",
    "Message",
    "IP",
    "IPs",
    "Controlled By",
    "Init Containers",
    "Containers",
    "Ephemeral Containers",
    "Conditions",
    "Volumes",
    "QoS Class",
    "Node-Selectors",
    "Tolerations",
    "Events",
    "Termination Grace Period",
    "NominatedNodeName",
    "Nominated Node Name",
    "Readiness Gates",
    "Scheduling Gates",
    "Roles",
    "CreationTimestamp",
    "Taints",
    "Unschedulable",
    "Lease",
    "Addresses",
    "Capacity",
    "Allocatable",
    "System Info",
    "PodCIDR",
    "PodCIDRs",
    "ProviderID",
    "Non-terminated Pods",
    "Allocated resources",
    "Selector",
    "Replicas",
    "StrategyType",
    "MinReadySeconds",
    "RollingUpdateStrategy",
    "Pod Template",
    "OldReplicaSets",
    "NewReplicaSet",
    "Pods Status",
    "Finalizers",
    "StorageClass",
    "Volume",
    "Capacity",
    "Access Modes",
    "VolumeMode",
    "Used By",
];

/// Keys of one container.
#[cfg(test)]
const CONTAINER_KEYS: &[&str] = &[
    "Container ID",
    "Image",
    "Image ID",
    "Port",
    "Ports",
    "Host Port",
    "Host Ports",
    "Command",
    "Args",
    "State",
    "Last State",
    "Ready",
    "Restart Count",
    "Limits",
    "Requests",
    "Liveness",
    "Readiness",
    "Startup",
    "Environment",
    "Environment Variables from",
    "Mounts",
    "Devices",
    "SeccompProfile",
    "Restart Policy",
];

/// Keys inside a container's State / Last State.
#[cfg(test)]
const STATE_KEYS: &[&str] = &[
    "Reason",
    "Message",
    "Exit Code",
    "Signal",
    "Started",
    "Finished",
];

/// Keys inside a volume and inside a node's nested blocks (values we keep or skip).
#[cfg(test)]
const NESTED_KEYS: &[&str] = &[
    "Type",
    "ClaimName",
    "ReadOnly",
    "SecretName",
    "Optional",
    "Medium",
    "SizeLimit",
    "Path",
    "HostPathType",
    "TokenExpirationSeconds",
    "ConfigMapName",
    "ConfigMapOptional",
    "DownwardAPI",
    "Server",
    "FSType",
    "HolderIdentity",
    "AcquireTime",
    "RenewTime",
    "InternalIP",
    "ExternalIP",
    "Hostname",
    "Machine ID",
    "System UUID",
    "Boot ID",
    "Kernel Version",
    "OS Image",
    "Operating System",
    "Architecture",
    "Container Runtime Version",
    "Kubelet Version",
    "Kube-Proxy Version",
];

/// The lists a key is in (bits), so each line costs one lookup instead of a scan per list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct KeyClass(u8);

impl KeyClass {
    /// A key of the object itself.
    const TOP: u8 = 1;
    /// A key of one container.
    const CONTAINER: u8 = 2;
    /// A key inside a container's state.
    const STATE: u8 = 4;
    /// A key inside a volume or a node's nested blocks.
    const NESTED: u8 = 8;

    fn top(self) -> bool {
        self.0 & Self::TOP != 0
    }
    fn container(self) -> bool {
        self.0 & Self::CONTAINER != 0
    }
    fn state(self) -> bool {
        self.0 & Self::STATE != 0
    }
    fn nested(self) -> bool {
        self.0 & Self::NESTED != 0
    }
}

/// The lists `k` is in (none: `KeyClass(0)`): one `match`, which the compiler turns into
/// a switch on the length and a few comparisons. The lists above are its reference (a
/// test checks they agree).
fn classify(k: &str) -> KeyClass {
    KeyClass(match k {
        "Name"
        | "Namespace"
        | "Priority"
        | "Priority Class Name"
        | "PriorityClassName"
        | "Runtime Class Name"
        | "Service Account"
        | "Node"
        | "Start Time"
        | "Labels"
        | "Annotations"
        | "Status"
        | "IP"
        | "IPs"
        | "Controlled By"
        | "Init Containers"
        | "Containers"
        | "Ephemeral Containers"
        | "Conditions"
        | "Volumes"
        | "QoS Class"
        | "Node-Selectors"
        | "Tolerations"
        | "Events"
        | "Termination Grace Period"
        | "NominatedNodeName"
        | "Nominated Node Name"
        | "Readiness Gates"
        | "Scheduling Gates"
        | "Roles"
        | "CreationTimestamp"
        | "Taints"
        | "Unschedulable"
        | "Lease"
        | "Addresses"
        | "Capacity"
        | "Allocatable"
        | "System Info"
        | "PodCIDR"
        | "PodCIDRs"
        | "ProviderID"
        | "Non-terminated Pods"
        | "Allocated resources"
        | "Selector"
        | "Replicas"
        | "StrategyType"
        | "MinReadySeconds"
        | "RollingUpdateStrategy"
        | "Pod Template"
        | "OldReplicaSets"
        | "NewReplicaSet"
        | "Pods Status"
        | "Finalizers"
        | "StorageClass"
        | "Volume"
        | "Access Modes"
        | "VolumeMode"
        | "Used By" => KeyClass::TOP,
        "Reason" | "Message" => KeyClass::TOP | KeyClass::STATE,
        "Container ID"
        | "Image"
        | "Image ID"
        | "Port"
        | "Ports"
        | "Host Port"
        | "Host Ports"
        | "Command"
        | "Args"
        | "State"
        | "Last State"
        | "Ready"
        | "Restart Count"
        | "Limits"
        | "Requests"
        | "Liveness"
        | "Readiness"
        | "Startup"
        | "Environment"
        | "Environment Variables from"
        | "Mounts"
        | "Devices"
        | "SeccompProfile"
        | "Restart Policy" => KeyClass::CONTAINER,
        "Exit Code" | "Signal" | "Started" | "Finished" => KeyClass::STATE,
        "Type"
        | "ClaimName"
        | "ReadOnly"
        | "SecretName"
        | "Optional"
        | "Medium"
        | "SizeLimit"
        | "Path"
        | "HostPathType"
        | "TokenExpirationSeconds"
        | "ConfigMapName"
        | "ConfigMapOptional"
        | "DownwardAPI"
        | "Server"
        | "FSType"
        | "HolderIdentity"
        | "AcquireTime"
        | "RenewTime"
        | "InternalIP"
        | "ExternalIP"
        | "Hostname"
        | "Machine ID"
        | "System UUID"
        | "Boot ID"
        | "Kernel Version"
        | "OS Image"
        | "Operating System"
        | "Architecture"
        | "Container Runtime Version"
        | "Kubelet Version"
        | "Kube-Proxy Version" => KeyClass::NESTED,
        _ => 0,
    })
}

/// Whether `line` (trimmed) opens with a known describe key.
pub(crate) fn is_key_line(t: &str) -> bool {
    if !t.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    split_key(t).is_some_and(|(k, _)| {
        let c = classify(k);
        c.top() || c.container() || c.nested()
    })
}

/// `Key:   value` → (`Key`, `value`).
fn split_key(t: &str) -> Option<(&str, &str)> {
    let colon = memchr::memchr(b':', t.as_bytes())?;
    let key = super::trim_end(t.get(..colon)?);
    let rest = t.get(colon + 1..)?;
    if key.is_empty() || !matches!(rest.as_bytes().first(), None | Some(b' ' | b'\t')) {
        return None;
    }
    Some((key, super::trim(rest)))
}

// Everything below borrows from the paste: text is only copied into the objects built
// from it (and where wrapped lines are joined).

/// A container's state as describe prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct State<'a> {
    /// `Waiting`, `Running` or `Terminated`.
    pub kind: &'a str,
    pub reason: Option<&'a str>,
    pub message: Option<Cow<'a, str>>,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub started: Option<&'a str>,
    pub finished: Option<&'a str>,
    /// `started` and `finished` read as times (once: both the "now" of the paste and
    /// the object need them).
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// One container of a described pod (or pod template).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ctr<'a> {
    pub name: &'a str,
    pub line: usize,
    pub image: Option<&'a str>,
    pub ports: Vec<&'a str>,
    pub command: Vec<&'a str>,
    pub args: Vec<&'a str>,
    pub state: Option<State<'a>>,
    pub last_state: Option<State<'a>>,
    pub ready: Option<bool>,
    pub restarts: Option<i32>,
    pub limits: Vec<(&'a str, &'a str)>,
    pub requests: Vec<(&'a str, &'a str)>,
    pub liveness: Option<&'a str>,
    pub readiness: Option<&'a str>,
    pub startup: Option<&'a str>,
    pub env_from: Vec<&'a str>,
    pub mounts: Vec<&'a str>,
}

impl<'a> Ctr<'a> {
    /// Empty the container for another, keeping its vectors' room.
    fn clear(&mut self) {
        // (Every field named: a new one must be cleared here too.)
        let Ctr {
            name,
            line,
            image,
            ports,
            command,
            args,
            state,
            last_state,
            ready,
            restarts,
            limits,
            requests,
            liveness,
            readiness,
            startup,
            env_from,
            mounts,
        } = self;
        *name = "";
        *line = 0;
        *image = None;
        *state = None;
        *last_state = None;
        *ready = None;
        *restarts = None;
        *liveness = None;
        *readiness = None;
        *startup = None;
        ports.clear();
        command.clear();
        args.clear();
        limits.clear();
        requests.clear();
        env_from.clear();
        mounts.clear();
    }
}

/// One volume of a described pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Vol<'a> {
    pub name: &'a str,
    pub type_: &'a str,
    pub claim: Option<&'a str>,
    pub secret: Option<&'a str>,
    pub config_map: Option<&'a str>,
    pub optional: Option<bool>,
}

/// One condition row (pod, node or deployment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cond<'a> {
    pub type_: &'a str,
    pub status: &'a str,
    pub heartbeat: Option<String>,
    pub transition: Option<String>,
    pub reason: Option<&'a str>,
    pub message: Option<&'a str>,
}

/// Everything read from one describe block.
#[derive(Debug, Clone, Default)]
pub(crate) struct Described<'a> {
    pub first_line: usize,
    pub last_line: usize,
    /// Top-level `Key: value` pairs, in order.
    pub fields: Vec<(&'a str, Cow<'a, str>)>,
    pub labels: Vec<&'a str>,
    pub annotations: Vec<&'a str>,
    pub taints: Vec<&'a str>,
    pub tolerations: Vec<&'a str>,
    pub node_selectors: Vec<&'a str>,
    pub containers: Vec<Ctr<'a>>,
    pub init_containers: Vec<Ctr<'a>>,
    pub conditions: Vec<Cond<'a>>,
    pub volumes: Vec<Vol<'a>>,
    /// Events while the block is read; then moved out (see `build::Builder`).
    pub events: Vec<RawEvent<'a>>,
    pub capacity: Vec<(&'a str, &'a str)>,
    pub allocatable: Vec<(&'a str, &'a str)>,
    /// `Allocated resources`: (resource, requests, limits).
    pub allocated: Vec<(&'a str, &'a str, &'a str)>,
    /// Lines read as something.
    pub understood: usize,
    /// Containers of earlier blocks, emptied: their vectors are reused.
    spare_containers: Vec<Ctr<'a>>,
}

impl<'a> Described<'a> {
    /// Empty the block for the next one, keeping its buffers' room.
    pub(crate) fn clear(&mut self) {
        // (Every field named: a new one must be cleared here too.)
        let Described {
            first_line,
            last_line,
            fields,
            labels,
            annotations,
            taints,
            tolerations,
            node_selectors,
            containers,
            init_containers,
            conditions,
            volumes,
            events,
            capacity,
            allocatable,
            allocated,
            understood,
            spare_containers,
        } = self;
        for mut c in containers.drain(..).chain(init_containers.drain(..)) {
            c.clear();
            spare_containers.push(c);
        }
        *first_line = 0;
        *last_line = 0;
        *understood = 0;
        fields.clear();
        labels.clear();
        annotations.clear();
        taints.clear();
        tolerations.clear();
        node_selectors.clear();
        conditions.clear();
        volumes.clear();
        events.clear();
        capacity.clear();
        allocatable.clear();
        allocated.clear();
    }

    /// A container `name` from line `line`, in an earlier block's emptied one if any.
    fn new_container(&mut self, name: &'a str, line: usize) -> Ctr<'a> {
        let mut c = self.spare_containers.pop().unwrap_or_default();
        c.name = name;
        c.line = line;
        c
    }

    /// The first value of a top-level key.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.field(key).map(|v| &**v)
    }

    /// [`Described::get`], as it is kept (borrowed from the paste when it can be).
    pub(crate) fn field(&self, key: &str) -> Option<&Cow<'a, str>> {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty() && *v != "<none>")
    }

    /// The kind the keys point to: `Node`, `Deployment`, `ReplicaSet`, `PersistentVolumeClaim` or `Pod`.
    pub(crate) fn guess_kind(&self) -> &'static str {
        let has = |k: &str| self.fields.iter().any(|(f, _)| *f == k);
        if has("Roles")
            || has("Taints")
            || has("Unschedulable")
            || has("Allocatable")
            || has("Non-terminated Pods")
            || has("Allocated resources")
            || has("PodCIDR")
        {
            "Node"
        } else if has("StrategyType") || has("NewReplicaSet") || has("OldReplicaSets") {
            "Deployment"
        } else if has("Pods Status") || (has("Replicas") && has("Pod Template")) {
            "ReplicaSet"
        } else if has("StorageClass") || has("Access Modes") || has("VolumeMode") {
            "PersistentVolumeClaim"
        } else {
            "Pod"
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sec {
    Top,
    Labels,
    Annotations,
    Taints,
    Tolerations,
    NodeSelectors,
    Containers,
    Conditions,
    Volumes,
    Events,
    Capacity,
    Allocatable,
    Allocated,
    /// Read past: IPs, Lease, System Info, Addresses, Non-terminated Pods, …
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    None,
    Command,
    Args,
    Limits,
    Requests,
    Env,
    EnvFrom,
    Mounts,
    State,
    LastState,
}

/// What the last scalar key was, for wrapped values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    None,
    TopMessage,
    StateMessage,
    Event,
}

/// Reads one describe block line by line.
pub(crate) struct Describer<'a> {
    /// (Boxed: it moves to the collected blocks as a pointer.)
    pub out: Box<Described<'a>>,
    sec: Sec,
    sub: Sub,
    init: bool,
    wrap: Wrap,
}

impl<'a> Describer<'a> {
    /// A block from `first_line`, read into `spare` when there is one: an earlier block,
    /// emptied, whose buffers are reused.
    pub(crate) fn new(first_line: usize, spare: Option<Box<Described<'a>>>) -> Self {
        let mut out = spare.unwrap_or_default();
        out.clear();
        out.first_line = first_line;
        out.last_line = first_line;
        Describer {
            out,
            sec: Sec::Top,
            sub: Sub::None,
            init: false,
            wrap: Wrap::None,
        }
    }

    /// Whether the block already has a name (a second `Name:` starts another object).
    pub(crate) fn named(&self) -> bool {
        self.out.fields.iter().any(|(k, _)| *k == "Name") && !matches!(self.sec, Sec::Volumes)
    }

    /// Start in the `Events:` section (a bare events table in a describe paste).
    pub(crate) fn start_events(&mut self) {
        self.sec = Sec::Events;
    }

    fn ctr(&mut self) -> Option<&mut Ctr<'a>> {
        if self.init {
            self.out.init_containers.last_mut()
        } else {
            self.out.containers.last_mut()
        }
    }

    fn state(&mut self) -> Option<&mut State<'a>> {
        let sub = self.sub;
        let c = self.ctr()?;
        match sub {
            Sub::State => c.state.as_mut(),
            Sub::LastState => c.last_state.as_mut(),
            _ => None,
        }
    }

    /// Read one line (without its line break). Returns whether it was understood.
    pub(crate) fn line(&mut self, line_no: usize, raw: &'a str) -> bool {
        self.line_trimmed(line_no, super::trim(raw))
    }

    /// [`Describer::line`] for a line already trimmed.
    pub(crate) fn line_trimmed(&mut self, line_no: usize, t: &'a str) -> bool {
        if t.is_empty() {
            if self.wrap != Wrap::Event {
                self.wrap = Wrap::None;
            }
            return true;
        }
        self.out.last_line = line_no;
        let ok = self.read(line_no, t);
        if ok {
            self.out.understood += 1;
        }
        ok
    }

    fn read(&mut self, line_no: usize, t: &'a str) -> bool {
        // Events rows first: their messages may hold anything, including `Key: value`.
        if self.sec == Sec::Events {
            // (A header is never an event row: checked first, it saves reading it as one.)
            if is_event_header(t) || t == "<none>" {
                return true;
            }
            if let Some(mut e) = describe_row(t).or_else(|| old_row(t)) {
                e.line = line_no;
                self.out.events.push(e);
                self.wrap = Wrap::Event;
                return true;
            }
            if !is_key_line(t)
                || self.wrap == Wrap::Event && !split_key(t).is_some_and(|(k, _)| classify(k).top())
            {
                if let Some(e) = self.out.events.last_mut() {
                    join(e.message.to_mut(), t);
                    return true;
                }
                return false;
            }
        }
        let key = split_key(t);
        let class = key.map_or(KeyClass(0), |(k, _)| classify(k));
        // A partial block (`Last State: Terminated` alone): a container the paste does not name.
        if key.is_some()
            && class.container()
            && !class.top()
            && (self.sec != Sec::Containers || self.ctr().is_none())
            && matches!(self.sec, Sec::Top | Sec::Skip | Sec::Containers)
            && self.out.containers.is_empty()
            && self.out.init_containers.is_empty()
        {
            self.sec = Sec::Containers;
            let c = self.out.new_container("<container>", line_no);
            push_ctr(&mut self.out.containers, c);
        }
        let in_ctr = self.sec == Sec::Containers && self.ctr().is_some();
        if let Some((k, v)) = key {
            if in_ctr
                && self.sub != Sub::Env
                && (class.container()
                    || (class.state() && matches!(self.sub, Sub::State | Sub::LastState)))
            {
                return self.container_key(k, v, class);
            }
            if self.sec == Sec::Containers && self.sub == Sub::Env && class.container() {
                self.sub = Sub::None;
                return self.container_key(k, v, class);
            }
            let volume_name =
                k == "Name"
                    && self.sec == Sec::Volumes
                    && self.out.volumes.last().is_some_and(|v| {
                        v.type_.starts_with("ConfigMap") && v.config_map.is_none()
                    });
            if class.top() && !volume_name {
                return self.top_key(k, v);
            }
            if self.sec == Sec::Volumes {
                return self.volume_key(k, v, class);
            }
            if class.nested() {
                return true;
            }
        }
        match self.sec {
            Sec::Labels => push_list(&mut self.out.labels, t),
            Sec::Annotations => push_list(&mut self.out.annotations, t),
            Sec::Taints => push_list(&mut self.out.taints, t),
            Sec::Tolerations => push_list(&mut self.out.tolerations, t),
            Sec::NodeSelectors => push_list(&mut self.out.node_selectors, t),
            Sec::Containers => self.container_line(line_no, t, key),
            Sec::Conditions => self.condition_row(t),
            Sec::Volumes => match key {
                Some((name, "")) if is_dns_name(name) => {
                    self.out.volumes.push(Vol {
                        name,
                        ..Vol::default()
                    });
                    true
                }
                _ => false,
            },
            Sec::Capacity | Sec::Allocatable => match key {
                Some((r, q)) if !q.is_empty() => {
                    let list = if self.sec == Sec::Capacity {
                        &mut self.out.capacity
                    } else {
                        &mut self.out.allocatable
                    };
                    list.push((r, q));
                    true
                }
                _ => false,
            },
            Sec::Allocated => {
                let toks = tokens(t);
                let words: Vec<&str> = toks.iter().map(|(_, w)| *w).collect();
                match words.as_slice() {
                    ["Resource", ..] | ["(Total", ..] => true,
                    [w, ..] if w.starts_with("--") => true,
                    [res, req, rest @ ..] => {
                        let lim = rest
                            .iter()
                            .find(|w| !w.starts_with('('))
                            .copied()
                            .unwrap_or("");
                        self.out.allocated.push((res, req, lim));
                        true
                    }
                    _ => false,
                }
            }
            Sec::Events => false,
            Sec::Skip => true,
            Sec::Top => match self.wrap {
                Wrap::TopMessage => {
                    if let Some((_, v)) = self
                        .out
                        .fields
                        .iter_mut()
                        .rev()
                        .find(|(k, _)| *k == "Message")
                    {
                        join(v.to_mut(), t);
                    }
                    true
                }
                _ => false,
            },
        }
    }

    fn top_key(&mut self, k: &'a str, v: &'a str) -> bool {
        self.sub = Sub::None;
        self.wrap = if k == "Message" {
            Wrap::TopMessage
        } else {
            Wrap::None
        };
        self.sec = match k {
            "Labels" => Sec::Labels,
            "Annotations" => Sec::Annotations,
            "Taints" => Sec::Taints,
            "Tolerations" => Sec::Tolerations,
            "Node-Selectors" => Sec::NodeSelectors,
            "Containers" => {
                self.init = false;
                Sec::Containers
            }
            "Init Containers" => {
                self.init = true;
                Sec::Containers
            }
            "Ephemeral Containers"
            | "IPs"
            | "Lease"
            | "System Info"
            | "Addresses"
            | "Non-terminated Pods"
            | "Pod Template"
            | "Readiness Gates" => Sec::Skip,
            "Conditions" => Sec::Conditions,
            "Volumes" => Sec::Volumes,
            "Events" => Sec::Events,
            "Capacity" => Sec::Capacity,
            "Allocatable" => Sec::Allocatable,
            "Allocated resources" => Sec::Allocated,
            _ => Sec::Top,
        };
        // In a deployment's Pod Template the containers follow; keep reading them.
        if k == "Pod Template" {
            self.sec = Sec::Top;
        }
        self.out.fields.push((k, Cow::Borrowed(v)));
        let first = match self.sec {
            Sec::Labels => Some(&mut self.out.labels),
            Sec::Annotations => Some(&mut self.out.annotations),
            Sec::Taints => Some(&mut self.out.taints),
            Sec::Tolerations => Some(&mut self.out.tolerations),
            Sec::NodeSelectors => Some(&mut self.out.node_selectors),
            _ => None,
        };
        if let Some(list) = first {
            push_list(list, v);
        }
        true
    }

    fn container_key(&mut self, k: &str, v: &'a str, class: KeyClass) -> bool {
        let in_state = matches!(self.sub, Sub::State | Sub::LastState);
        if in_state && class.state() {
            self.wrap = if k == "Message" {
                Wrap::StateMessage
            } else {
                Wrap::None
            };
            let Some(st) = self.state() else { return false };
            match k {
                "Reason" => st.reason = Some(v),
                "Message" => st.message = Some(Cow::Borrowed(v)),
                "Exit Code" => st.exit_code = v.parse().ok(),
                "Signal" => st.signal = v.parse().ok(),
                "Started" => {
                    st.started = Some(v);
                    st.started_at = parse_time(v);
                }
                "Finished" => {
                    st.finished = Some(v);
                    st.finished_at = parse_time(v);
                }
                _ => {}
            }
            return true;
        }
        self.wrap = Wrap::None;
        self.sub = Sub::None;
        let Some(c) = self.ctr() else { return false };
        let some = |v: &'a str| Some(v).filter(|v| !v.is_empty() && *v != "<none>");
        match k {
            "Image" => c.image = some(v),
            "Port" | "Ports" => c.ports.extend(some(v)),
            "Command" => {
                self.sub = Sub::Command;
            }
            "Args" => {
                self.sub = Sub::Args;
            }
            "State" => {
                c.state = Some(State {
                    kind: v,
                    ..State::default()
                });
                self.sub = Sub::State;
            }
            "Last State" => {
                c.last_state = Some(State {
                    kind: v,
                    ..State::default()
                });
                self.sub = Sub::LastState;
            }
            "Ready" => c.ready = Some(v.eq_ignore_ascii_case("true")),
            "Restart Count" => c.restarts = v.parse().ok(),
            "Limits" => self.sub = Sub::Limits,
            "Requests" => self.sub = Sub::Requests,
            "Liveness" => c.liveness = some(v),
            "Readiness" => c.readiness = some(v),
            "Startup" => c.startup = some(v),
            "Environment" => self.sub = Sub::Env,
            "Environment Variables from" => self.sub = Sub::EnvFrom,
            "Mounts" => self.sub = Sub::Mounts,
            _ => {}
        }
        // `Command:` and `Args:` may carry their first item on the same line (old layout).
        if !v.is_empty() && v != "<none>" {
            let sub = self.sub;
            if let Some(c) = self.ctr() {
                match sub {
                    Sub::Command => c.command.push(v),
                    Sub::Args => c.args.push(v),
                    Sub::Mounts => c.mounts.push(v),
                    Sub::EnvFrom => c.env_from.push(v),
                    _ => {}
                }
            }
        }
        true
    }

    fn container_line(
        &mut self,
        line_no: usize,
        t: &'a str,
        key: Option<(&'a str, &'a str)>,
    ) -> bool {
        // A new container: `name:` alone, a DNS name.
        if let Some((name, "")) = key
            && is_dns_name(name)
            && !matches!(self.sub, Sub::Command | Sub::Args)
        {
            let c = self.out.new_container(name, line_no);
            if self.init {
                push_ctr(&mut self.out.init_containers, c);
            } else {
                push_ctr(&mut self.out.containers, c);
            }
            self.sub = Sub::None;
            self.wrap = Wrap::None;
            return true;
        }
        let sub = self.sub;
        let wrap = self.wrap;
        if wrap == Wrap::StateMessage
            && let Some(st) = self.state()
            && let Some(m) = st.message.as_mut()
        {
            join(m.to_mut(), t);
            return true;
        }
        let Some(c) = self.ctr() else { return false };
        match sub {
            Sub::Command => c.command.push(t),
            Sub::Args => c.args.push(t),
            Sub::Limits | Sub::Requests => {
                let Some((r, q)) = key.filter(|(_, q)| !q.is_empty()) else {
                    return false;
                };
                let list = if sub == Sub::Limits {
                    &mut c.limits
                } else {
                    &mut c.requests
                };
                list.push((r, q));
            }
            // Values are never kept (they may be secrets).
            Sub::Env => {}
            Sub::EnvFrom => c.env_from.push(t),
            Sub::Mounts => c.mounts.push(t),
            Sub::None | Sub::State | Sub::LastState => return false,
        }
        true
    }

    fn condition_row(&mut self, t: &'a str) -> bool {
        // One pass over the words, no vector: `w` is always at the next word to read.
        let mut w = words(t);
        let Some((_, ty)) = w.next() else {
            return false;
        };
        let st = w.next().map(|(_, s)| s);
        if (ty == "Type" && st == Some("Status")) || ty.starts_with("--") {
            return true;
        }
        let Some(st) = st.filter(|s| matches!(*s, "True" | "False" | "Unknown")) else {
            return false;
        };
        let mut cond = Cond {
            type_: ty,
            status: st,
            ..Cond::default()
        };
        let first = w.clone().next().map(|(_, r)| r);
        // Node rows: two dates of six words each, then reason and message.
        if first.is_some_and(|r| r.ends_with(',')) && w.clone().nth(11).is_some() {
            let dates: Vec<&str> = w.by_ref().take(12).map(|(_, d)| d).collect();
            cond.heartbeat = Some(dates.get(..6).unwrap_or_default().join(" "));
            cond.transition = Some(dates.get(6..12).unwrap_or_default().join(" "));
            cond.reason = w.next().map(|(_, r)| r);
            let msg_start = w.next().map(|(o, _)| o);
            cond.message = msg_start.and_then(|o| t.get(o..)).map(str::trim);
        } else if let Some(r) = first {
            cond.reason = Some(r);
        }
        self.out.conditions.push(cond);
        true
    }

    fn volume_key(&mut self, k: &'a str, v: &'a str, class: KeyClass) -> bool {
        if v.is_empty() && is_dns_name(k) && !class.nested() {
            self.out.volumes.push(Vol {
                name: k,
                ..Vol::default()
            });
            return true;
        }
        let Some(vol) = self.out.volumes.last_mut() else {
            return class.nested();
        };
        let val = Some(v).filter(|v| !v.is_empty());
        match k {
            "Type" => vol.type_ = v.split_whitespace().next().unwrap_or(""),
            "ClaimName" => vol.claim = val,
            "SecretName" => vol.secret = val,
            "Name" => vol.config_map = val,
            "Optional" => vol.optional = Some(v == "true"),
            _ => return class.nested(),
        }
        true
    }
}

/// `Type Reason Age From Message`, the 1.x `FirstSeen LastSeen …` header, or its `----` rule.
pub(crate) fn is_event_header(t: &str) -> bool {
    // Cheap test first: this runs on many lines.
    if !(t.starts_with("Type") || t.starts_with("FirstSeen") || t.starts_with('-')) {
        return false;
    }
    let mut first = [""; 5];
    let mut n = 0usize;
    let mut dashes = true;
    for (_, w) in words(t) {
        if let Some(slot) = first.get_mut(n) {
            *slot = w;
        }
        n += 1;
        dashes &= w.bytes().all(|b| b == b'-');
        if n > 5 && !dashes {
            break;
        }
    }
    (n == 5 && first == ["Type", "Reason", "Age", "From", "Message"])
        || (n >= 4 && first.get(..4) == Some(&["FirstSeen", "LastSeen", "Count", "From"][..]))
        || (n >= 3 && dashes)
}

/// Most pods have one container: room for one, not the four a first push makes.
fn push_ctr<'a>(list: &mut Vec<Ctr<'a>>, c: Ctr<'a>) {
    if list.capacity() == 0 {
        list.reserve_exact(1);
    }
    list.push(c);
}

fn push_list<'a>(list: &mut Vec<&'a str>, v: &'a str) -> bool {
    let v = v.trim();
    if !v.is_empty() && v != "<none>" {
        list.push(v);
    }
    true
}

/// Append a wrapped continuation line.
fn join(to: &mut String, more: &str) {
    if !to.is_empty() {
        to.push(' ');
    }
    to.push_str(more.trim());
}

/// A Kubernetes DNS name (container and volume names).
fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_agrees_with_the_lists() {
        for (list, bit) in [
            (TOP_KEYS, KeyClass::TOP),
            (CONTAINER_KEYS, KeyClass::CONTAINER),
            (STATE_KEYS, KeyClass::STATE),
            (NESTED_KEYS, KeyClass::NESTED),
        ] {
            for k in list {
                let want = [
                    (TOP_KEYS, KeyClass::TOP),
                    (CONTAINER_KEYS, KeyClass::CONTAINER),
                    (STATE_KEYS, KeyClass::STATE),
                    (NESTED_KEYS, KeyClass::NESTED),
                ]
                .iter()
                .filter(|(l, _)| l.contains(k))
                .fold(0, |acc, (_, b)| acc | b);
                assert_eq!(classify(k).0, want, "{k}");
                assert_ne!(classify(k).0 & bit, 0, "{k}");
            }
        }
        for k in ["name", "Foo", "", "Labels ", "Exit"] {
            assert_eq!(classify(k), KeyClass(0), "{k}");
        }
    }
}
