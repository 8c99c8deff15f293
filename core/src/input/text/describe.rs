//! `kubectl describe pod|node|deployment|replicaset` text, read by its key names rather
//! than its indentation, so that a paste whose indentation was lost (chat, web forms)
//! reads the same as the original.

use super::rows::{RawEvent, describe_row, old_row, tokens};

/// Keys of the object itself (pod, node, deployment, replicaset).
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
const STATE_KEYS: &[&str] = &[
    "Reason",
    "Message",
    "Exit Code",
    "Signal",
    "Started",
    "Finished",
];

/// Keys inside a volume and inside a node's nested blocks (values we keep or skip).
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

/// Whether `line` (trimmed) opens with a known describe key.
pub(crate) fn is_key_line(t: &str) -> bool {
    if !t.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    split_key(t).is_some_and(|(k, _)| {
        TOP_KEYS.contains(&k) || CONTAINER_KEYS.contains(&k) || NESTED_KEYS.contains(&k)
    })
}

/// `Key:   value` → (`Key`, `value`).
fn split_key(t: &str) -> Option<(&str, &str)> {
    let colon = t.find(':')?;
    let key = t.get(..colon)?.trim_end();
    let rest = t.get(colon + 1..)?;
    if key.is_empty() || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, rest.trim()))
}

/// A container's state as describe prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct State {
    /// `Waiting`, `Running` or `Terminated`.
    pub kind: String,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub started: Option<String>,
    pub finished: Option<String>,
}

/// One container of a described pod (or pod template).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ctr {
    pub name: String,
    pub line: usize,
    pub image: Option<String>,
    pub ports: Vec<String>,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub state: Option<State>,
    pub last_state: Option<State>,
    pub ready: Option<bool>,
    pub restarts: Option<i32>,
    pub limits: Vec<(String, String)>,
    pub requests: Vec<(String, String)>,
    pub liveness: Option<String>,
    pub readiness: Option<String>,
    pub startup: Option<String>,
    pub env_from: Vec<String>,
    pub mounts: Vec<String>,
}

/// One volume of a described pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Vol {
    pub name: String,
    pub type_: String,
    pub claim: Option<String>,
    pub secret: Option<String>,
    pub config_map: Option<String>,
    pub optional: Option<bool>,
}

/// One condition row (pod, node or deployment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Cond {
    pub type_: String,
    pub status: String,
    pub heartbeat: Option<String>,
    pub transition: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
}

/// Everything read from one describe block.
#[derive(Debug, Clone, Default)]
pub(crate) struct Described {
    pub first_line: usize,
    pub last_line: usize,
    /// Top-level `Key: value` pairs, in order.
    pub fields: Vec<(String, String)>,
    pub labels: Vec<String>,
    pub annotations: Vec<String>,
    pub taints: Vec<String>,
    pub tolerations: Vec<String>,
    pub node_selectors: Vec<String>,
    pub containers: Vec<Ctr>,
    pub init_containers: Vec<Ctr>,
    pub conditions: Vec<Cond>,
    pub volumes: Vec<Vol>,
    pub events: Vec<RawEvent>,
    pub capacity: Vec<(String, String)>,
    pub allocatable: Vec<(String, String)>,
    /// `Allocated resources`: (resource, requests, limits).
    pub allocated: Vec<(String, String, String)>,
    /// Lines read as something.
    pub understood: usize,
}

impl Described {
    /// The first value of a top-level key.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty() && *v != "<none>")
    }

    /// The kind the keys point to: `Node`, `Deployment`, `ReplicaSet`, `PersistentVolumeClaim` or `Pod`.
    pub(crate) fn guess_kind(&self) -> &'static str {
        let has = |k: &str| self.fields.iter().any(|(f, _)| f == k);
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
pub(crate) struct Describer {
    pub out: Described,
    sec: Sec,
    sub: Sub,
    init: bool,
    wrap: Wrap,
}

impl Describer {
    pub(crate) fn new(first_line: usize) -> Self {
        Describer {
            out: Described {
                first_line,
                last_line: first_line,
                ..Described::default()
            },
            sec: Sec::Top,
            sub: Sub::None,
            init: false,
            wrap: Wrap::None,
        }
    }

    /// Whether the block already has a name (a second `Name:` starts another object).
    pub(crate) fn named(&self) -> bool {
        self.out.fields.iter().any(|(k, _)| k == "Name") && !matches!(self.sec, Sec::Volumes)
    }

    /// Start in the `Events:` section (a bare events table in a describe paste).
    pub(crate) fn start_events(&mut self) {
        self.sec = Sec::Events;
    }

    fn ctr(&mut self) -> Option<&mut Ctr> {
        if self.init {
            self.out.init_containers.last_mut()
        } else {
            self.out.containers.last_mut()
        }
    }

    fn state(&mut self) -> Option<&mut State> {
        let sub = self.sub;
        let c = self.ctr()?;
        match sub {
            Sub::State => c.state.as_mut(),
            Sub::LastState => c.last_state.as_mut(),
            _ => None,
        }
    }

    /// Read one line (without its line break). Returns whether it was understood.
    pub(crate) fn line(&mut self, line_no: usize, raw: &str) -> bool {
        let t = raw.trim();
        if t.is_empty() {
            if self.wrap != Wrap::Event {
                self.wrap = Wrap::None;
            }
            return true;
        }
        self.out.last_line = line_no;
        let ok = self.read(line_no, raw, t);
        if ok {
            self.out.understood += 1;
        }
        ok
    }

    fn read(&mut self, line_no: usize, _raw: &str, t: &str) -> bool {
        // Events rows first: their messages may hold anything, including `Key: value`.
        if self.sec == Sec::Events {
            if let Some(mut e) = describe_row(t).or_else(|| old_row(t)) {
                e.line = line_no;
                self.out.events.push(e);
                self.wrap = Wrap::Event;
                return true;
            }
            if is_event_header(t) || t == "<none>" {
                return true;
            }
            if !is_key_line(t)
                || self.wrap == Wrap::Event
                    && !TOP_KEYS
                        .iter()
                        .any(|k| split_key(t).is_some_and(|(kk, _)| kk == *k))
            {
                if let Some(e) = self.out.events.last_mut() {
                    join(&mut e.message, t);
                    return true;
                }
                return false;
            }
        }
        let key = split_key(t);
        // A partial block (`Last State: Terminated` alone): a container the paste does not name.
        if let Some((k, _)) = key
            && CONTAINER_KEYS.contains(&k)
            && !TOP_KEYS.contains(&k)
            && (self.sec != Sec::Containers || self.ctr().is_none())
            && matches!(self.sec, Sec::Top | Sec::Skip | Sec::Containers)
            && self.out.containers.is_empty()
            && self.out.init_containers.is_empty()
        {
            self.sec = Sec::Containers;
            self.out.containers.push(Ctr {
                name: "<container>".to_owned(),
                line: line_no,
                ..Ctr::default()
            });
        }
        let in_ctr = self.sec == Sec::Containers && self.ctr().is_some();
        if let Some((k, v)) = key {
            if in_ctr
                && self.sub != Sub::Env
                && (CONTAINER_KEYS.contains(&k)
                    || (STATE_KEYS.contains(&k) && matches!(self.sub, Sub::State | Sub::LastState)))
            {
                return self.container_key(k, v);
            }
            if self.sec == Sec::Containers && self.sub == Sub::Env && CONTAINER_KEYS.contains(&k) {
                self.sub = Sub::None;
                return self.container_key(k, v);
            }
            let volume_name =
                k == "Name"
                    && self.sec == Sec::Volumes
                    && self.out.volumes.last().is_some_and(|v| {
                        v.type_.starts_with("ConfigMap") && v.config_map.is_none()
                    });
            if TOP_KEYS.contains(&k) && !volume_name {
                return self.top_key(k, v);
            }
            if self.sec == Sec::Volumes {
                return self.volume_key(k, v);
            }
            if NESTED_KEYS.contains(&k) {
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
                        name: name.to_owned(),
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
                    list.push((r.to_owned(), q.to_owned()));
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
                        self.out.allocated.push((
                            (*res).to_owned(),
                            (*req).to_owned(),
                            lim.to_owned(),
                        ));
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
                        .find(|(k, _)| k == "Message")
                    {
                        join(v, t);
                    }
                    true
                }
                _ => false,
            },
        }
    }

    fn top_key(&mut self, k: &str, v: &str) -> bool {
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
        self.out.fields.push((k.to_owned(), v.to_owned()));
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

    fn container_key(&mut self, k: &str, v: &str) -> bool {
        let in_state = matches!(self.sub, Sub::State | Sub::LastState);
        if in_state && STATE_KEYS.contains(&k) {
            self.wrap = if k == "Message" {
                Wrap::StateMessage
            } else {
                Wrap::None
            };
            let Some(st) = self.state() else { return false };
            match k {
                "Reason" => st.reason = Some(v.to_owned()),
                "Message" => st.message = Some(v.to_owned()),
                "Exit Code" => st.exit_code = v.parse().ok(),
                "Signal" => st.signal = v.parse().ok(),
                "Started" => st.started = Some(v.to_owned()),
                "Finished" => st.finished = Some(v.to_owned()),
                _ => {}
            }
            return true;
        }
        self.wrap = Wrap::None;
        self.sub = Sub::None;
        let Some(c) = self.ctr() else { return false };
        let some = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty() && v != "<none>");
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
                    kind: v.to_owned(),
                    ..State::default()
                });
                self.sub = Sub::State;
            }
            "Last State" => {
                c.last_state = Some(State {
                    kind: v.to_owned(),
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
                    Sub::Command => c.command.push(v.to_owned()),
                    Sub::Args => c.args.push(v.to_owned()),
                    Sub::Mounts => c.mounts.push(v.to_owned()),
                    Sub::EnvFrom => c.env_from.push(v.to_owned()),
                    _ => {}
                }
            }
        }
        true
    }

    fn container_line(&mut self, line_no: usize, t: &str, key: Option<(&str, &str)>) -> bool {
        // A new container: `name:` alone, a DNS name.
        if let Some((name, "")) = key
            && is_dns_name(name)
            && !matches!(self.sub, Sub::Command | Sub::Args)
        {
            let c = Ctr {
                name: name.to_owned(),
                line: line_no,
                ..Ctr::default()
            };
            if self.init {
                self.out.init_containers.push(c);
            } else {
                self.out.containers.push(c);
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
            join(m, t);
            return true;
        }
        let Some(c) = self.ctr() else { return false };
        match sub {
            Sub::Command => c.command.push(t.to_owned()),
            Sub::Args => c.args.push(t.to_owned()),
            Sub::Limits | Sub::Requests => {
                let Some((r, q)) = key.filter(|(_, q)| !q.is_empty()) else {
                    return false;
                };
                let list = if sub == Sub::Limits {
                    &mut c.limits
                } else {
                    &mut c.requests
                };
                list.push((r.to_owned(), q.to_owned()));
            }
            // Values are never kept (they may be secrets).
            Sub::Env => {}
            Sub::EnvFrom => c.env_from.push(t.to_owned()),
            Sub::Mounts => c.mounts.push(t.to_owned()),
            Sub::None | Sub::State | Sub::LastState => return false,
        }
        true
    }

    fn condition_row(&mut self, t: &str) -> bool {
        let toks = tokens(t);
        let words: Vec<&str> = toks.iter().map(|(_, w)| *w).collect();
        match words.as_slice() {
            ["Type", "Status", ..] => true,
            [w, ..] if w.starts_with("--") => true,
            [ty, st, rest @ ..] if matches!(*st, "True" | "False" | "Unknown") => {
                let mut cond = Cond {
                    type_: (*ty).to_owned(),
                    status: (*st).to_owned(),
                    ..Cond::default()
                };
                // Node rows: two dates of six words each, then reason and message.
                if rest.len() >= 12 && rest.first().is_some_and(|w| w.ends_with(',')) {
                    cond.heartbeat = Some(rest.get(..6).unwrap_or_default().join(" "));
                    cond.transition = Some(rest.get(6..12).unwrap_or_default().join(" "));
                    cond.reason = rest.get(12).map(|s| (*s).to_owned());
                    let msg_start = toks.get(2 + 13).map(|(o, _)| *o);
                    cond.message = msg_start
                        .and_then(|o| t.get(o..))
                        .map(|s| s.trim().to_owned());
                } else if let Some(r) = rest.first() {
                    cond.reason = Some((*r).to_owned());
                }
                self.out.conditions.push(cond);
                true
            }
            _ => false,
        }
    }

    fn volume_key(&mut self, k: &str, v: &str) -> bool {
        if v.is_empty() && is_dns_name(k) && !NESTED_KEYS.contains(&k) {
            self.out.volumes.push(Vol {
                name: k.to_owned(),
                ..Vol::default()
            });
            return true;
        }
        let Some(vol) = self.out.volumes.last_mut() else {
            return NESTED_KEYS.contains(&k);
        };
        let val = Some(v.to_owned()).filter(|v| !v.is_empty());
        match k {
            "Type" => vol.type_ = v.split_whitespace().next().unwrap_or("").to_owned(),
            "ClaimName" => vol.claim = val,
            "SecretName" => vol.secret = val,
            "Name" => vol.config_map = val,
            "Optional" => vol.optional = Some(v == "true"),
            _ => return NESTED_KEYS.contains(&k),
        }
        true
    }
}

/// `Type Reason Age From Message`, the 1.x `FirstSeen LastSeen …` header, or its `----` rule.
pub(crate) fn is_event_header(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    matches!(
        words.as_slice(),
        ["Type", "Reason", "Age", "From", "Message"]
    ) || matches!(
        words.as_slice(),
        ["FirstSeen", "LastSeen", "Count", "From", ..]
    ) || (words.len() >= 3 && words.iter().all(|w| w.bytes().all(|b| b == b'-')))
}

fn push_list(list: &mut Vec<String>, v: &str) -> bool {
    let v = v.trim();
    if !v.is_empty() && v != "<none>" {
        list.push(v.to_owned());
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
