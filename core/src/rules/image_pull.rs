//! Image pulls: the image cannot be fetched (or must not be) for a container.
//!
//! Ids: `image-pull.not-found`, `image-pull.auth`, `image-pull.registry-unreachable`,
//! `image-pull.rate-limited`, `image-pull.invalid-name`, `image-pull.never-pull`,
//! `image-pull.platform`. The waiting reason (`ErrImagePull`, `ImagePullBackOff`, the old
//! `PullImageError`, `InvalidImageName`, `ErrImageNeverPull`) says a pull failed; the
//! registry's answer, quoted in the kubelet's `Failed` events or the waiting message,
//! says why. Each container is claimed by the most specific answer found.

use super::Ctx;
use super::pod::{
    ContainerView, PodView, container_label, ev, event_ev, patch_step, spec_path, status_path, step,
};
use crate::Severity;

/// Waiting reasons that mean "the image could not be pulled".
const PULL_REASONS: &[&str] = &[
    "ErrImagePull",
    "ImagePullBackOff",
    "PullImageError",
    "InvalidImageName",
    "ErrImageNeverPull",
    "RegistryUnavailable",
    "ImageInspectError",
    "ErrImageInspect",
];

/// A classified pull failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    NotFound,
    Auth,
    Unreachable,
    RateLimited,
    InvalidName,
    NeverPull,
    Platform,
}

impl Cause {
    fn id(self) -> &'static str {
        match self {
            Cause::NotFound => "image-pull.not-found",
            Cause::Auth => "image-pull.auth",
            Cause::Unreachable => "image-pull.registry-unreachable",
            Cause::RateLimited => "image-pull.rate-limited",
            Cause::InvalidName => "image-pull.invalid-name",
            Cause::NeverPull => "image-pull.never-pull",
            Cause::Platform => "image-pull.platform",
        }
    }
}

/// Classify one message from the kubelet or the runtime, most specific cause first.
pub(crate) fn classify(message: &str) -> Option<Cause> {
    let m = message.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| m.contains(n));
    if any(&[
        "toomanyrequests",
        "too many requests",
        "pull rate limit",
        "rate limit",
    ]) {
        return Some(Cause::RateLimited);
    }
    if any(&[
        "no matching manifest for",
        "no match for platform in manifest",
        "does not match the specified platform",
        "no matching manifest",
    ]) {
        return Some(Cause::Platform);
    }
    if any(&[
        "couldn't parse image reference",
        "invalid reference format",
        "invalidimagename",
        "failed to apply default image tag",
    ]) {
        return Some(Cause::InvalidName);
    }
    if any(&["errimageneverpull", "with pull policy of never"]) {
        return Some(Cause::NeverPull);
    }
    if any(&[
        "manifest unknown",
        "name unknown",
        "not found in repository",
        "404 not found",
        "repository not found",
    ]) || (m.contains("tag ") && m.contains(" not found"))
        || (m.contains("manifest for ") && m.contains(" not found"))
        || (m.contains("image ") && m.contains(" not found") && !m.contains("pull access denied"))
    {
        return Some(Cause::NotFound);
    }
    if any(&[
        "unauthorized",
        "authentication required",
        "denied",
        "403 forbidden",
        "401 unauthorized",
        "status: 401",
        "status: 403",
        "no basic auth credentials",
        "insufficient_scope",
        "authorization failed",
        "forbidden",
        "may require 'docker login'",
        "incorrect username or password",
    ]) {
        return Some(Cause::Auth);
    }
    if any(&[
        "no such host",
        "i/o timeout",
        "connection refused",
        "x509",
        "certificate",
        "tls handshake",
        "server misbehaving",
        "network is unreachable",
        "no route to host",
        "connection reset",
        "context deadline exceeded",
        "dial tcp",
        "proxyconnect",
        "503 service unavailable",
        "502 bad gateway",
        "temporary failure in name resolution",
    ]) {
        return Some(Cause::Unreachable);
    }
    if m.contains("not found") || m.contains("does not exist") {
        return Some(Cause::NotFound);
    }
    None
}

/// Look at every pod's containers.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    for i in 0..ctx.pods.len() {
        let mut found = Vec::new();
        if let Some(pv) = ctx.pods.get(i) {
            for c in &pv.containers {
                if let Some(f) = container_finding(pv, c) {
                    found.push(f);
                }
            }
            // Events name containers that the input has no spec or status for.
            for name in pv.containers_only_in_events(is_pull_event) {
                let c = ContainerView {
                    name,
                    init: false,
                    spec: None,
                    status: None,
                };
                if let Some(f) = container_finding(pv, &c) {
                    found.push(f);
                }
            }
        }
        for f in found {
            ctx.pod_finding(i, f);
        }
    }
}

/// An event about pulling (or refusing to pull) an image.
fn is_pull_event(e: &crate::snapshot::EventRec) -> bool {
    match e.reason.as_str() {
        "ErrImageNeverPull" | "InspectFailed" | "PullImageError" | "ErrImagePull" => true,
        "Failed" | "BackOff" => {
            let m = e.message.to_ascii_lowercase();
            m.contains("pull") && !m.contains("restarting failed container")
        }
        _ => false,
    }
}

fn container_finding(pv: &PodView<'_>, c: &ContainerView<'_>) -> Option<crate::Finding> {
    let waiting = c
        .status
        .and_then(|s| s.state.as_ref())
        .and_then(|s| s.waiting.as_ref());
    let reason = waiting.and_then(|w| w.reason.as_deref()).unwrap_or("");
    let waiting_msg = waiting.and_then(|w| w.message.as_deref()).unwrap_or("");
    let pulling = PULL_REASONS.contains(&reason);
    // With a status, only a waiting pull reason counts: old pull events of a container
    // that has since started (or crashes for another reason) are history.
    if c.status.is_some() && !pulling {
        return None;
    }
    let pull_events: Vec<_> = pv
        .container_events(c.name)
        .filter(|e| e.container() == Some(c.name) || c.status.is_none())
        .filter(|e| is_pull_event(e))
        .collect();
    if !pulling && pull_events.is_empty() {
        return None;
    }
    // The most specific answer: waiting message and event messages, newest event first.
    let mut cause = None;
    let mut decisive: Option<&str> = None;
    for msg in std::iter::once(waiting_msg)
        .chain(pull_events.iter().rev().map(|e| e.message.as_str()))
        .chain(std::iter::once(reason))
    {
        if let Some(found) = classify(msg)
            && cause.is_none_or(|c| rank(found) < rank(c))
        {
            cause = Some(found);
            decisive = Some(msg);
        }
    }
    let specific = cause.is_some();
    let cause = cause.unwrap_or(Cause::NotFound);
    let image = c
        .spec
        .and_then(|s| s.image.as_deref())
        .or(c.status.map(|s| s.image.as_str()))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .or_else(|| image_in_message(waiting_msg))
        .or_else(|| {
            pull_events
                .iter()
                .find_map(|e| image_in_message(&e.message))
        })
        .unwrap_or_else(|| "<unknown image>".to_owned());
    let r = ImageRef::parse(&image);
    let label = container_label(c);
    let title = match cause {
        Cause::NotFound if specific => format!(
            "Image {image} of {label} in {} does not exist in the registry",
            pv.subject()
        ),
        Cause::NotFound => format!(
            "Image {image} of {label} in {} cannot be pulled",
            pv.subject()
        ),
        Cause::Auth => format!(
            "Registry {} refuses to serve image {image} of {label} in {} without valid credentials",
            r.registry,
            pv.subject()
        ),
        Cause::Unreachable => format!(
            "Registry {} cannot be reached to pull image {image} of {label} in {}",
            host_in_message(decisive.unwrap_or("")).unwrap_or_else(|| r.registry.clone()),
            pv.subject()
        ),
        Cause::RateLimited => format!(
            "Pull of image {image} of {label} in {} is refused by the registry's rate limit",
            pv.subject()
        ),
        Cause::InvalidName => format!(
            "Image reference {image:?} of {label} in {} is not a valid image name",
            pv.subject()
        ),
        Cause::NeverPull => format!(
            "Image {image} of {label} in {} is not on the node and imagePullPolicy is Never",
            pv.subject()
        ),
        Cause::Platform => format!(
            "Image {image} of {label} in {} has no build for the node's platform",
            pv.subject()
        ),
    };
    let mut f = pv.finding(cause.id(), Severity::Error, Some(c.name), title);
    if !reason.is_empty() {
        f.evidence.push(ev(
            format!("{}.state.waiting.reason", status_path(c)),
            reason,
        ));
    }
    if !waiting_msg.is_empty() {
        f.evidence.push(ev(
            format!("{}.state.waiting.message", status_path(c)),
            waiting_msg,
        ));
    }
    // The decisive event first, then at most two more distinct messages.
    let mut shown: Vec<&str> = Vec::new();
    for e in pull_events
        .iter()
        .rev()
        .filter(|e| Some(e.message.as_str()) == decisive)
        .chain(pull_events.iter().rev())
    {
        if shown.len() >= 3 || shown.contains(&e.message.as_str()) || e.message == waiting_msg {
            continue;
        }
        shown.push(&e.message);
        f.evidence.push(event_ev(e));
    }
    if c.spec.and_then(|s| s.image.as_ref()).is_some() {
        f.evidence
            .push(ev(format!("{}.image", spec_path(c)), image.clone()));
    }
    let node = pv.spec().and_then(|s| s.node_name.as_deref());
    fill(&mut f, cause, specific, pv, c, &image, &r, decisive, node);
    Some(f)
}

/// Lower is more specific (a later, vaguer message never replaces it).
fn rank(c: Cause) -> u8 {
    match c {
        Cause::InvalidName | Cause::NeverPull | Cause::Platform | Cause::RateLimited => 0,
        Cause::NotFound => 1,
        Cause::Auth => 2,
        Cause::Unreachable => 3,
    }
}

#[allow(clippy::too_many_arguments)]
fn fill(
    f: &mut crate::Finding,
    cause: Cause,
    specific: bool,
    pv: &PodView<'_>,
    c: &ContainerView<'_>,
    image: &str,
    r: &ImageRef,
    decisive: Option<&str>,
    node: Option<&str>,
) {
    let ns = pv.ns_flag();
    // The image is the one field of a bare pod that can change in place; a Job's
    // template cannot change at all (no command: its apply hint says what to do).
    let set_image = |new: &str| -> Vec<String> {
        if pv.template_is_editable() || pv.workload.is_none() {
            vec![format!(
                "kubectl set image {} {}={new} {ns}",
                pv.target(),
                c.name
            )]
        } else {
            Vec::new()
        }
    };
    let describe = format!("kubectl describe pod {} {ns}", pv.name);
    let where_ = format!(
        "registry {}, repository {}, {}",
        r.registry,
        r.repository,
        match (&r.tag, &r.digest) {
            (_, Some(d)) => format!("digest {d}"),
            (Some(t), None) => format!("tag {t}"),
            (None, None) => "no tag (so \"latest\")".to_owned(),
        }
    );
    match cause {
        Cause::NotFound => {
            f.explanation = if specific {
                format!(
                    "The registry answered that the image does not exist: {where_}. Either the tag was never pushed (a typo, a build that did not publish, a tag that was deleted) or the repository path or registry host is wrong. The kubelet keeps retrying with back-off (ImagePullBackOff), so the {} never starts.",
                    container_label(c)
                )
            } else {
                format!(
                    "The pull of {image} fails ({where_}), but the input does not contain the registry's answer that says why. Most often the tag does not exist or the registry needs credentials; the pod's events name the reason."
                )
            };
            f.remediation.push(step(
                format!(
                    "Check that the tag exists in {} (repository {}).",
                    r.registry, r.repository
                ),
                vec![
                    format!("docker manifest inspect {image}"),
                    format!("skopeo list-tags docker://{}/{}", r.registry, r.repository),
                ],
            ));
            f.remediation.push(step(
                format!(
                    "Fix the image: line of {} to a tag that exists. {}",
                    container_label(c),
                    pv.apply_hint()
                ),
                set_image(&format!(
                    "{}/{}:<existing-tag>",
                    r.registry_shown(),
                    r.repository
                )),
            ));
            if !specific {
                f.remediation.push(step(
                    "Read the registry's answer in the pod's events (\"Failed to pull image …\").",
                    vec![describe],
                ));
            }
        }
        Cause::Auth => {
            let secrets: Vec<&str> = pv
                .spec()
                .and_then(|s| s.image_pull_secrets.as_ref())
                .into_iter()
                .flatten()
                .map(|s| s.name.as_str())
                .collect();
            let sa = pv
                .spec()
                .and_then(|s| s.service_account_name.as_deref())
                .unwrap_or("default");
            let has = if pv.spec().is_none() {
                format!(
                    "The pod spec is not in the input, so whether it names imagePullSecrets is unknown (kubectl get pod {} {ns} -o jsonpath='{{.spec.imagePullSecrets}}' shows them).",
                    pv.name
                )
            } else if secrets.is_empty() {
                format!(
                    "The pod spec has no imagePullSecrets (and service account {sa} may not add any), so the node pulls anonymously."
                )
            } else {
                format!(
                    "The pod spec names imagePullSecrets {}: that secret is missing, in another namespace, for another registry host, or its credentials are wrong or expired.",
                    secrets.join(", ")
                )
            };
            let dockerhub = decisive.is_some_and(|m| {
                let m = m.to_ascii_lowercase();
                m.contains("repository does not exist") || m.contains("may require")
            });
            f.explanation = format!(
                "Registry {} denied the pull of {image}. {has}{}",
                r.registry,
                if dockerhub {
                    " The registry's wording (\"repository does not exist or may require authorization\") covers two cases it will not tell apart: the repository name is wrong, or it is private and needs credentials."
                } else {
                    ""
                }
            );
            if dockerhub {
                f.remediation.push(step(
                    format!(
                        "First check the repository name {} is spelled right and exists.",
                        r.repository
                    ),
                    vec![format!("docker manifest inspect {image}")],
                ));
            }
            f.remediation.push(step(
                format!(
                    "Create a pull secret for {} in the pod's namespace.",
                    r.registry
                ),
                vec![format!(
                    "kubectl create secret docker-registry regcred --docker-server={} --docker-username=<user> --docker-password=<password> {ns}",
                    r.registry_server()
                )],
            ));
            let patch = pv.wrap_template("{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}");
            f.remediation.push(patch_step(
                format!(
                    "Reference it from the pod template (or add it to service account {sa} for every pod that uses it). {}",
                    pv.apply_hint()
                ),
                pv.workload_command(pv.patch_command(&patch)),
                patch,
            ));
            f.remediation.push(step(
                format!("Or attach it to service account {sa}."),
                vec![format!(
                    "kubectl patch serviceaccount {sa} {ns} -p '{{\"imagePullSecrets\":[{{\"name\":\"regcred\"}}]}}'"
                )],
            ));
        }
        Cause::Unreachable => {
            let host = decisive
                .and_then(host_in_message)
                .unwrap_or_else(|| r.registry.clone());
            let m = decisive.unwrap_or("").to_ascii_lowercase();
            let why = if m.contains("x509") || m.contains("certificate") {
                format!(
                    "the TLS certificate of {host} is not trusted by the node's container runtime (a private CA, a self-signed certificate, or a TLS-intercepting proxy)"
                )
            } else if m.contains("no such host")
                || m.contains("name resolution")
                || m.contains("server misbehaving")
            {
                format!("the node cannot resolve {host} in DNS")
            } else if m.contains("connection refused") {
                format!(
                    "nothing accepts connections at {host} (wrong host or port, or the registry is down)"
                )
            } else {
                format!("the node's network path to {host} fails (firewall, proxy, or routing)")
            };
            f.explanation = format!(
                "The node{} cannot talk to the registry: {why}. The image name may be fine; the problem is between the node and the registry.",
                node.map(|n| format!(" {n}")).unwrap_or_default()
            );
            f.remediation.push(step(
                format!(
                    "From the node{}, check DNS and HTTPS to {host}.",
                    node.map(|n| format!(" {n}")).unwrap_or_default()
                ),
                vec![
                    format!("nslookup {host}"),
                    format!("curl -v https://{host}/v2/"),
                ],
            ));
            f.remediation.push(step(
                "If the node needs a proxy, set HTTP(S)_PROXY/NO_PROXY for the container runtime (containerd's systemd unit); if the registry uses a private CA, install the CA on every node (or in containerd's certs.d/<host>/ca.crt) and restart the runtime.",
                vec![],
            ));
            if host != r.registry {
                f.remediation.push(step(
                    format!("The failing host {host} differs from the image's registry {}: check registry mirrors configured on the node.", r.registry),
                    vec![],
                ));
            }
        }
        Cause::RateLimited => {
            f.explanation = format!(
                "Registry {} refused the pull because too many pulls came from this node's address (Docker Hub limits anonymous pulls per IP, and all nodes behind one NAT share that address).",
                r.registry
            );
            f.remediation.push(step(
                "Authenticate the pulls (authenticated accounts get a higher limit): create a pull secret and reference it.",
                vec![format!(
                    "kubectl create secret docker-registry regcred --docker-server={} --docker-username=<user> --docker-password=<token> {ns}",
                    r.registry_server()
                )],
            ));
            f.remediation.push(step(
                format!("Or mirror {image} into your own registry (or a pull-through cache) and point the image: line there; and use imagePullPolicy: IfNotPresent so nodes do not pull again."),
                set_image(&format!("<your-registry>/{}:{}", r.repository, r.tag.as_deref().unwrap_or("latest"))),
            ));
        }
        Cause::InvalidName => {
            f.explanation = format!(
                "The kubelet cannot parse {image:?} as an image reference, so it never contacts a registry: {}.",
                invalid_reason(image)
            );
            f.remediation.push(step(
                format!(
                    "Fix the image: line of {}. {}",
                    container_label(c),
                    pv.apply_hint()
                ),
                set_image(&suggest_valid(image)),
            ));
        }
        Cause::NeverPull => {
            f.explanation = format!(
                "{} sets imagePullPolicy: Never, so the kubelet only uses an image already present on the node{}; {image} is not there.",
                container_label(c),
                node.map(|n| format!(" ({n})")).unwrap_or_default()
            );
            f.remediation.push(step(
                "Load the image onto the node the pod runs on (kind, minikube and k3s have their own commands), or let it be pulled.",
                vec![
                    format!("kind load docker-image {image}"),
                    format!("minikube image load {image}"),
                ],
            ));
            let patch = pv.container_patch(c, "\"imagePullPolicy\":\"IfNotPresent\"");
            f.remediation.push(patch_step(
                format!("Or change imagePullPolicy to IfNotPresent so it is pulled from the registry. {}", pv.apply_hint()),
                pv.workload_command(pv.patch_command(&patch)),
                patch,
            ));
        }
        Cause::Platform => {
            let arch = pv
                .node
                .and_then(|n| {
                    let info = n.status.as_ref()?.node_info.as_ref()?;
                    Some(format!("{}/{}", info.operating_system, info.architecture))
                })
                .or_else(|| decisive.and_then(platform_in_message));
            let arch_txt = arch
                .clone()
                .unwrap_or_else(|| "the node's platform".to_owned());
            f.explanation = format!(
                "{image} is published without a build for {arch_txt}{}: the image was built for another CPU architecture (often amd64 only, while the node is arm64, or the reverse).",
                node.map(|n| format!(" (node {n})")).unwrap_or_default()
            );
            f.remediation.push(step(
                "See which platforms the image has.",
                vec![format!("docker manifest inspect {image}")],
            ));
            f.remediation.push(step(
                format!("Build and push a multi-arch image that includes {arch_txt}."),
                vec![format!(
                    "docker buildx build --platform linux/amd64,linux/arm64 -t {image} --push ."
                )],
            ));
            f.remediation.push(step(
                "Or keep the pod on nodes the image supports with a nodeSelector on kubernetes.io/arch.",
                vec![],
            ));
        }
    }
}

/// A parsed image reference, normalised the way container runtimes do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub(crate) fn parse(image: &str) -> ImageRef {
        let image = image.trim();
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_owned())),
            None => (image, None),
        };
        let (rest, tag) = match rest.rfind(':') {
            Some(i) if !rest.get(i..).unwrap_or("").contains('/') => (
                rest.get(..i).unwrap_or(rest),
                Some(rest.get(i + 1..).unwrap_or("").to_owned()),
            ),
            _ => (rest, None),
        };
        let (registry, repository) = match rest.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_owned(), path.to_owned())
            }
            Some(_) => ("docker.io".to_owned(), rest.to_owned()),
            None => ("docker.io".to_owned(), format!("library/{rest}")),
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// The registry as written in image names (`docker.io` is usually left out).
    fn registry_shown(&self) -> &str {
        &self.registry
    }

    /// The server name for `--docker-server` (Docker Hub's legacy index URL).
    fn registry_server(&self) -> String {
        if self.registry == "docker.io" {
            "https://index.docker.io/v1/".to_owned()
        } else {
            self.registry.clone()
        }
    }
}

/// Why a reference is invalid, in words.
fn invalid_reason(image: &str) -> String {
    let mut reasons = Vec::new();
    if image.trim() != image || image.contains(char::is_whitespace) {
        reasons.push("it contains spaces".to_owned());
    }
    let (name, _) = image.split_once('@').unwrap_or((image, ""));
    let (repo, tag) = match name.rfind(':') {
        Some(i) if !name.get(i..).unwrap_or("").contains('/') => {
            (name.get(..i).unwrap_or(name), name.get(i + 1..))
        }
        _ => (name, None),
    };
    // The registry host may have capitals; the repository path may not.
    let path = match repo.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') => rest,
        _ => repo,
    };
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        reasons.push(
            "the repository name has upper-case letters (only lower case is allowed)".to_owned(),
        );
    }
    if tag == Some("") {
        reasons.push("it ends with ':' but has no tag".to_owned());
    }
    if repo.contains("://") {
        reasons.push("it starts with a URL scheme (drop \"https://\")".to_owned());
    }
    if repo.contains("//") && !repo.contains("://") {
        reasons.push("it has an empty path component ('//')".to_owned());
    }
    if image.trim().is_empty() {
        reasons.push("it is empty".to_owned());
    }
    if reasons.is_empty() {
        "it does not follow the [registry/]repository[:tag][@digest] form".to_owned()
    } else {
        reasons.join("; ")
    }
}

/// A corrected reference for the suggestion (lower-cased path, spaces and scheme removed).
fn suggest_valid(image: &str) -> String {
    let mut s: String = image.split_whitespace().collect();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = s.strip_prefix(scheme) {
            s = rest.to_owned();
        }
    }
    if let Some(stripped) = s.strip_suffix(':') {
        s = format!("{stripped}:<tag>");
    }
    match s.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') => {
            format!("{first}/{}", lower_repo(rest))
        }
        _ => lower_repo(&s),
    }
}

fn lower_repo(s: &str) -> String {
    match s.rfind(':') {
        Some(i) if !s.get(i..).unwrap_or("").contains('/') => format!(
            "{}{}",
            s.get(..i).unwrap_or(s).to_lowercase(),
            s.get(i..).unwrap_or("")
        ),
        _ => s.to_lowercase(),
    }
}

/// The image in `… image "x" …` messages.
fn image_in_message(msg: &str) -> Option<String> {
    let lower = msg.to_ascii_lowercase();
    let at = lower.find("image \"")? + "image \"".len();
    let rest = msg.get(at..)?;
    let end = rest.find('"')?;
    rest.get(..end).map(str::to_owned).filter(|s| !s.is_empty())
}

/// The host in `lookup HOST on …`, `dial tcp HOST:443`, `Get "https://HOST/v2/"`.
fn host_in_message(msg: &str) -> Option<String> {
    let clean = |s: &str| {
        s.trim_matches(|c: char| c == '"' || c == ':' || c == ',' || c == '/')
            .to_owned()
    };
    if let Some(i) = msg.find("lookup ") {
        let host = msg.get(i + 7..)?.split_whitespace().next()?;
        return Some(clean(host)).filter(|h| !h.is_empty());
    }
    if let Some(i) = msg.find("https://").or_else(|| msg.find("http://")) {
        let rest = msg.get(i..)?;
        let rest = rest.split_once("//")?.1;
        let host = rest.split(['/', '"', ' ']).next()?;
        return Some(clean(host)).filter(|h| !h.is_empty());
    }
    if let Some(i) = msg.find("dial tcp ") {
        let hostport = msg
            .get(i + 9..)?
            .split_whitespace()
            .next()?
            .trim_end_matches(':');
        let host = hostport.rsplit_once(':').map_or(hostport, |(h, _)| h);
        return Some(clean(host)).filter(|h| !h.is_empty());
    }
    None
}

/// `linux/arm64` in "no matching manifest for linux/arm64 in the manifest list entries".
fn platform_in_message(msg: &str) -> Option<String> {
    msg.split(|c: char| c.is_whitespace() || c == ',' || c == '"')
        .find(|w| {
            let mut parts = w.split('/');
            matches!(parts.next(), Some("linux" | "windows")) && parts.next().is_some()
        })
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_real_messages() {
        let cases = [
            (
                "failed to pull and unpack image \"docker.io/library/nginx:v0\": failed to resolve reference \"docker.io/library/nginx:v0\": docker.io/library/nginx:v0: not found",
                Cause::NotFound,
            ),
            (
                "Tag v0 not found in repository docker.io/library/busybox",
                Cause::NotFound,
            ),
            (
                "Error response from daemon: manifest for nginx:v0 not found: manifest unknown: manifest unknown",
                Cause::NotFound,
            ),
            (
                "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
                Cause::Auth,
            ),
            ("no basic auth credentials", Cause::Auth),
            (
                "unexpected status from HEAD request to https://x.io/v2/a/manifests/1: 401 Unauthorized",
                Cause::Auth,
            ),
            (
                "429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.",
                Cause::RateLimited,
            ),
            (
                "dial tcp: lookup registry.example.com on 10.0.0.10:53: no such host",
                Cause::Unreachable,
            ),
            (
                "x509: certificate signed by unknown authority",
                Cause::Unreachable,
            ),
            (
                "no matching manifest for linux/arm64 in the manifest list entries",
                Cause::Platform,
            ),
            (
                "couldn't parse image reference \"Nginx:latest\": invalid reference format: repository name must be lowercase",
                Cause::InvalidName,
            ),
            (
                "Container image \"x:1\" is not present with pull policy of Never",
                Cause::NeverPull,
            ),
            (
                "image pull failed for q.io/a/b:v2, this may be because there are no credentials on this request.  details: (Tag v2 not found in repository q.io/a/b)",
                Cause::NotFound,
            ),
        ];
        for (msg, want) in cases {
            assert_eq!(classify(msg), Some(want), "{msg}");
        }
        assert_eq!(classify("Back-off pulling image \"nginx\""), None);
    }

    #[test]
    fn parses_image_references() {
        let r = ImageRef::parse("nginx:1.27");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()),
            ("docker.io", "library/nginx", Some("1.27"))
        );
        let r = ImageRef::parse("localhost:5000/team/app@sha256:abc");
        assert_eq!(
            (
                r.registry.as_str(),
                r.repository.as_str(),
                r.tag,
                r.digest.as_deref()
            ),
            ("localhost:5000", "team/app", None, Some("sha256:abc"))
        );
        let r = ImageRef::parse("quay.io/org/app");
        assert_eq!((r.registry.as_str(), r.tag), ("quay.io", None));
    }

    #[test]
    fn explains_invalid_names() {
        assert!(invalid_reason("Nginx:latest").contains("upper-case"));
        assert!(invalid_reason("nginx:").contains("no tag"));
        assert!(invalid_reason("nginx :1").contains("spaces"));
        assert_eq!(
            suggest_valid("Registry.io/Team/App:V1"),
            "Registry.io/team/app:V1"
        );
    }

    #[test]
    fn finds_hosts() {
        assert_eq!(
            host_in_message("dial tcp: lookup reg.example.com on 10.0.0.10:53: no such host")
                .as_deref(),
            Some("reg.example.com")
        );
        assert_eq!(
            host_in_message("Get \"https://quay.io/v2/\": net/http: TLS handshake timeout")
                .as_deref(),
            Some("quay.io")
        );
        assert_eq!(
            host_in_message("dial tcp 10.1.2.3:5000: connect: connection refused").as_deref(),
            Some("10.1.2.3")
        );
    }
}
