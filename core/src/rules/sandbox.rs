//! `sandbox.failed`: the runtime cannot create the pod's sandbox, almost always because
//! the CNI network plugin cannot give it networking.
//!
//! The kubelet's `FailedCreatePodSandBox` events quote the runtime's error; the plugin is
//! named by `plugin type="…"`, by the files it reads (`/run/flannel/subnet.env`,
//! `/var/lib/calico/nodename`) or by its own wording, and the sub-cause (plugin agent not
//! running, IP range exhausted, no CNI configuration, sandbox image not pullable, unknown
//! runtime handler) decides the remediation.

use super::Ctx;
use super::pod::{PodView, ev, event_ev, step};
use crate::Severity;
use crate::snapshot::EventRec;

/// What went wrong while creating the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    /// The plugin's node agent is not running or not initialised (its state file is missing).
    AgentDown,
    /// The IPAM range has no free address.
    IpExhausted,
    /// No CNI configuration on the node at all.
    NoCni,
    /// The plugin cannot reach its datastore / the API server.
    Unauthorized,
    /// The sandbox (pause) image cannot be pulled.
    PauseImage,
    /// The RuntimeClass handler is not configured in the runtime.
    RuntimeHandler,
    /// Something else the plugin said.
    Other,
}

/// The network plugin a message names, in words.
fn plugin(message: &str) -> Option<String> {
    let l = message.to_ascii_lowercase();
    if let Some(i) = l.find("plugin type=\"") {
        let rest = message.get(i + "plugin type=\"".len()..)?;
        let name = rest.get(..rest.find('"')?)?;
        return Some(pretty(name));
    }
    let known: &[(&str, &str)] = &[
        ("/run/flannel", "Flannel"),
        ("flannel", "Flannel"),
        ("calico", "Calico"),
        ("cilium", "Cilium"),
        ("weave", "Weave Net"),
        ("aws-cni", "Amazon VPC CNI"),
        ("ipamd", "Amazon VPC CNI"),
        ("addnetwork grpc", "Amazon VPC CNI"),
        ("azure-vnet", "Azure CNI"),
        ("antrea", "Antrea"),
        ("kube-ovn", "Kube-OVN"),
        ("ovn-kubernetes", "OVN-Kubernetes"),
        ("multus", "Multus"),
        ("kindnet", "kindnet"),
        ("canal", "Canal"),
        ("openshift-sdn", "OpenShift SDN"),
    ];
    known
        .iter()
        .find(|(k, _)| l.contains(k))
        .map(|(_, name)| (*name).to_owned())
}

fn pretty(name: &str) -> String {
    match name {
        "calico" => "Calico".to_owned(),
        "cilium-cni" | "cilium" => "Cilium".to_owned(),
        "flannel" => "Flannel".to_owned(),
        "weave-net" => "Weave Net".to_owned(),
        "aws-cni" => "Amazon VPC CNI".to_owned(),
        "azure-vnet" => "Azure CNI".to_owned(),
        "antrea" => "Antrea".to_owned(),
        "multus" | "multus-shim" => "Multus".to_owned(),
        other => format!("CNI plugin {other:?}"),
    }
}

fn why(message: &str) -> Why {
    let l = message.to_ascii_lowercase();
    if l.contains("no ip addresses available")
        || l.contains("failed to assign an ip address")
        || l.contains("failed to allocate for range")
        || l.contains("insufficientfreeaddressesinsubnet")
    {
        return Why::IpExhausted;
    }
    if l.contains("failed to get sandbox image")
        || l.contains("failed to pull image") && l.contains("pause")
    {
        return Why::PauseImage;
    }
    if l.contains("no runtime for") || l.contains("runtimehandler") || l.contains("runtime handler")
    {
        return Why::RuntimeHandler;
    }
    if l.contains("unauthorized") || l.contains("forbidden") {
        return Why::Unauthorized;
    }
    if l.contains("cni config uninitialized")
        || l.contains("cni plugin not initialized")
        || l.contains("no networks found in /etc/cni/net.d")
        || l.contains("failed to find plugin")
    {
        return Why::NoCni;
    }
    if l.contains("subnet.env")
        || l.contains("/var/lib/calico/nodename")
        || l.contains("connect: connection refused")
        || l.contains("is the agent running")
        || l.contains("no such file or directory")
        || l.contains("connection error")
    {
        return Why::AgentDown;
    }
    Why::Other
}

/// The node from the pod spec, else from the event source (`kubelet, node2`).
fn node_of<'a>(pv: &PodView<'a>, e: &'a EventRec) -> Option<&'a str> {
    pv.node_name().or_else(|| {
        e.source
            .split_once(',')
            .map(|(_, n)| n.trim())
            .filter(|n| !n.is_empty())
    })
}

/// Report sandbox failures of pods that have not started.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    for i in 0..ctx.pods.len() {
        let Some(pv) = ctx.pods.get(i) else { continue };
        if pv.done() || pv.pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let events: Vec<&EventRec> = pv
            .events
            .iter()
            .copied()
            .filter(|e| e.reason == "FailedCreatePodSandBox")
            .collect();
        let Some(last) = events.last() else { continue };
        // Containers that run now: the failures were before they started.
        let started = pv.containers.iter().any(|c| {
            c.status
                .and_then(|s| s.state.as_ref())
                .is_some_and(|s| s.running.is_some() || s.terminated.is_some())
        });
        if started {
            continue;
        }
        // The most specific message: one naming a plugin or a sub-cause.
        let decisive = events
            .iter()
            .rev()
            .find(|e| why(&e.message) != Why::Other || plugin(&e.message).is_some())
            .copied()
            .unwrap_or(last);
        let w = why(&decisive.message);
        let plug = plugin(&decisive.message);
        let node = node_of(pv, decisive);
        let on_node = node.map(|n| format!(" on node {n}")).unwrap_or_default();
        let plug_words = plug.clone().unwrap_or_else(|| "the CNI plugin".to_owned());
        let subject = pv.subject();
        let title = match w {
            Why::AgentDown => format!(
                "Pod network cannot be set up for {subject}{on_node}: {plug_words} is not running or not initialised there"
            ),
            Why::IpExhausted => format!(
                "Pod network cannot be set up for {subject}{on_node}: {plug_words} has no free IP address"
            ),
            Why::NoCni => format!(
                "Pod network cannot be set up for {subject}{on_node}: no CNI network plugin is configured there"
            ),
            Why::Unauthorized => format!(
                "Pod network cannot be set up for {subject}{on_node}: {plug_words} is refused by the API server or its datastore"
            ),
            Why::PauseImage => format!(
                "Pod sandbox cannot be created for {subject}{on_node}: the sandbox (pause) image cannot be pulled"
            ),
            Why::RuntimeHandler => format!(
                "Pod sandbox cannot be created for {subject}{on_node}: its RuntimeClass handler is not configured in the container runtime"
            ),
            Why::Other => {
                format!("Pod sandbox cannot be created for {subject}{on_node} ({plug_words})")
            }
        };
        let mut f = pv.finding("sandbox.failed", Severity::Error, None, title);
        f.evidence.push(event_ev(decisive));
        if let Some(e) = events.iter().rev().find(|e| e.message != decisive.message) {
            f.evidence.push(event_ev(e));
        }
        let total: i64 = events.iter().map(|e| e.count).sum();
        if total > 1 {
            f.evidence.push(ev(
                "events[FailedCreatePodSandBox].count",
                total.to_string(),
            ));
        }
        if let Some(p) = &plug {
            f.evidence
                .push(ev("network plugin (from the message)", p.clone()));
        }
        let ns = pv.ns_flag();
        let node_arg = node.unwrap_or("<node>");
        let list_node = format!(
            "kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={node_arg}"
        );
        f.explanation = match w {
            Why::AgentDown => format!(
                "Before any container starts, the runtime creates the pod sandbox and asks the CNI plugin for networking. {plug_words} failed because its node agent is not running or not yet initialised{on_node}{}: the file or socket the agent creates when it starts is missing. The pod stays in ContainerCreating until the agent runs there.",
                if decisive.message.contains("subnet.env") {
                    " (/run/flannel/subnet.env is written by the flannel pod when it starts)"
                } else if decisive.message.contains("calico/nodename") {
                    " (/var/lib/calico/nodename is written by the calico-node pod)"
                } else {
                    ""
                }
            ),
            Why::IpExhausted => format!(
                "{plug_words} could not allocate an IP address for the pod{on_node}: the node's pod range (or the cloud subnet, for VPC-native plugins) is used up — often by addresses leaked from pods that died without being cleaned up."
            ),
            Why::NoCni => format!(
                "The node{on_node} has no working CNI configuration (/etc/cni/net.d) or plugin binary (/opt/cni/bin): no network plugin is installed, or its DaemonSet has not run on this node yet."
            ),
            Why::Unauthorized => format!(
                "{plug_words} on the node cannot talk to the API server or its datastore (unauthorized / forbidden): an expired or rotated token, or missing RBAC for the plugin's service account."
            ),
            Why::PauseImage => "The runtime needs the sandbox (pause) image before any pod can start on the node, and it cannot pull it: the registry configured as sandbox_image is unreachable or needs credentials (common in air-gapped clusters and after a registry move).".to_owned(),
            Why::RuntimeHandler => "The pod's RuntimeClass names a handler (e.g. runsc, kata, nvidia) that the container runtime on this node does not have configured.".to_owned(),
            Why::Other => format!(
                "The runtime could not create the pod sandbox{on_node}; {plug_words} or the runtime reported the error quoted in the evidence. The pod stays in ContainerCreating and the kubelet retries."
            ),
        };
        // Where each plugin's node agent usually runs (namespace, label).
        let agent = match plug.as_deref() {
            Some("Flannel") => Some(("kube-flannel", "app=flannel")),
            Some("Calico") => Some(("calico-system", "k8s-app=calico-node")),
            Some("Cilium") => Some(("kube-system", "k8s-app=cilium")),
            Some("Weave Net") => Some(("kube-system", "name=weave-net")),
            Some("Amazon VPC CNI") => Some(("kube-system", "k8s-app=aws-node")),
            Some("Antrea") => Some(("kube-system", "component=antrea-agent")),
            _ => None,
        };
        let agent_step = |what: &str| {
            let mut cmds = vec![list_node.clone()];
            if let Some((agent_ns, selector)) = agent {
                cmds.push(format!(
                    "kubectl get pods -A -l {selector} -o wide --field-selector spec.nodeName={node_arg}"
                ));
                cmds.push(format!(
                    "kubectl logs -n {agent_ns} -l {selector} --all-containers --tail=100 --prefix"
                ));
            } else {
                cmds.push("kubectl logs -n kube-system <network-plugin-pod-on-that-node> --all-containers --tail=100".to_owned());
            }
            step(
                format!(
                    "Check the {what} pod on {}: it must be Running and Ready; read its logs (its namespace differs between installs).",
                    node.unwrap_or("that node")
                ),
                cmds,
            )
        };
        match w {
            Why::AgentDown => {
                f.remediation.push(agent_step(&plug_words));
                f.remediation.push(step(
                    format!("Repair or restart that agent (delete its pod so the DaemonSet recreates it); if the DaemonSet does not schedule a pod on {} at all, check its node selector and tolerations. The kubelet retries the sandbox by itself.", node.unwrap_or("that node")),
                    vec!["kubectl get daemonsets -n kube-system".to_owned()],
                ));
            }
            Why::IpExhausted => {
                f.remediation.push(step(
                    format!("See how many pods run on {} against its range, and look for leaked allocations (files under /var/lib/cni/networks/ on the node for host-local IPAM).", node.unwrap_or("the node")),
                    vec![list_node.clone(), format!("kubectl get node {node_arg} -o jsonpath='{{.spec.podCIDR}}'")],
                ));
                f.remediation.push(step(
                    "Free or enlarge the range (bigger subnet or pod CIDR per node, prefix delegation for VPC CNIs), or drain and recycle the node to clear leaked addresses.",
                    vec![format!("kubectl drain {node_arg} --ignore-daemonsets --delete-emptydir-data")],
                ));
            }
            Why::NoCni => {
                f.remediation.push(step(
                    "Install a network plugin (or check that its DaemonSet runs on this node), then the kubelet retries.",
                    vec![list_node.clone(), "kubectl get daemonsets -n kube-system".to_owned()],
                ));
            }
            Why::Unauthorized => {
                f.remediation.push(agent_step(&plug_words));
                f.remediation.push(step(
                    "Restart the plugin's pods so they get a fresh token, and check the plugin's RBAC.",
                    vec!["kubectl get daemonsets -n kube-system".to_owned()],
                ));
            }
            Why::PauseImage => {
                f.remediation.push(step(
                    "Make the sandbox image pullable from the node (or pre-load it), or point the runtime's sandbox_image at a mirror.",
                    vec![format!("kubectl describe pod {} {ns}", pv.name)],
                ));
            }
            Why::RuntimeHandler => {
                f.remediation.push(step(
                    "Check the RuntimeClass and configure its handler on the node's runtime, or schedule the pod onto nodes that have it (RuntimeClass scheduling).",
                    vec!["kubectl get runtimeclass".to_owned(), format!("kubectl get pod {} {ns} -o jsonpath='{{.spec.runtimeClassName}}'", pv.name)],
                ));
            }
            Why::Other => {
                f.remediation.push(agent_step(&plug_words));
            }
        }
        // The node's own view: NetworkUnavailable=True confirms the plugin is not ready.
        if let Some(c) = pv
            .node
            .and_then(|n| n.status.as_ref())
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c.type_ == "NetworkUnavailable" && c.status == "True")
            })
        {
            f.evidence.push(ev(
                "node.status.conditions[NetworkUnavailable]",
                format!(
                    "True{}",
                    c.reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                ),
            ));
        }
        // A broken network plugin on a node is one cause for every pod there, whatever
        // its workload: one finding about the node, listing the pods.
        let node_level = matches!(
            w,
            Why::AgentDown | Why::IpExhausted | Why::NoCni | Why::Unauthorized | Why::PauseImage
        );
        if let (Some(n), true) = (node, node_level) {
            f.title = crate::text::capitalise(&match w {
                Why::PauseImage => format!(
                    "pods cannot start on node {n}: the sandbox (pause) image cannot be pulled"
                ),
                Why::IpExhausted => {
                    format!(
                        "pods cannot get a network on node {n}: {plug_words} has no free IP address"
                    )
                }
                Why::NoCni => format!(
                    "pods cannot get a network on node {n}: no CNI network plugin is configured there"
                ),
                Why::Unauthorized => format!(
                    "pods cannot get a network on node {n}: {plug_words} is refused by the API server or its datastore"
                ),
                _ => format!(
                    "pods cannot get a network on node {n}: {plug_words} is not running or not initialised there"
                ),
            });
            f.evidence.insert(
                0,
                ev(
                    "pod",
                    format!("{}/{} ({subject})", pv.namespace.unwrap_or(""), pv.name),
                ),
            );
            f.object = crate::ObjectRef {
                kind: "Node".to_owned(),
                namespace: None,
                name: n.to_owned(),
                container: None,
            };
            f.workload = None;
        }
        ctx.pod_finding(i, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_and_cause_from_messages() {
        let flannel = "Failed create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container \"99e3\" network for pod \"node1-6777d4468-d6tvq\": NetworkPlugin cni failed to set up pod \"node1-6777d4468-d6tvq_default\" network: open /run/flannel/subnet.env: no such file or directory";
        assert_eq!(plugin(flannel).as_deref(), Some("Flannel"));
        assert_eq!(why(flannel), Why::AgentDown);
        let calico = "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"5b1e\": plugin type=\"calico\" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized";
        assert_eq!(plugin(calico).as_deref(), Some("Calico"));
        assert_eq!(why(calico), Why::Unauthorized);
        let ipam = "failed to setup network for sandbox \"x\": plugin type=\"bridge\" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254";
        assert_eq!(why(ipam), Why::IpExhausted);
        assert_eq!(plugin(ipam).as_deref(), Some("CNI plugin \"bridge\""));
    }
}
