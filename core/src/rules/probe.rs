//! Probes that fail on a container that starts: readiness (no traffic), startup (killed
//! before it counts as started) and liveness failures that have not put the container into
//! a crash-loop back-off (those are `crashloop.liveness-killed`, see `crashloop`).
//!
//! Ids: `probe.readiness-failing`, `probe.startup-failing`, `probe.liveness-failing`. The
//! kubelet's `Unhealthy` events (`Readiness probe failed: …`) carry the probe's answer
//! (`HTTP probe failed with statuscode: 401`, `connect: connection refused`, `context
//! deadline exceeded`, an exec command's output); the container's probe spec gives path,
//! port and timing, so the remediation says which field to change and to what.
//!
//! Not failures: a readiness failure on a pod being deleted, probe failures of a container
//! that is ready now, and a running container that has only a `startupProbe`.

use super::Ctx;
use super::pod::{
    ContainerView, PodView, container_label, ev, event_ev, patch_step, spec_path, step,
};
use crate::snapshot::EventRec;
use crate::{Finding, Severity};
use k8s_openapi::api::core::v1::Probe;

/// Which probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Readiness,
    Startup,
    Liveness,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Readiness => "readiness",
            Kind::Startup => "startup",
            Kind::Liveness => "liveness",
        }
    }
    fn field(self) -> &'static str {
        match self {
            Kind::Readiness => "readinessProbe",
            Kind::Startup => "startupProbe",
            Kind::Liveness => "livenessProbe",
        }
    }
}

/// The probe an event reports failing (`Readiness probe failed: …`, `… probe errored: …`).
pub(crate) fn failed_probe(e: &EventRec) -> Option<Kind> {
    if e.reason != "Unhealthy" && e.reason != "ProbeWarning" {
        return None;
    }
    let m = e.message.trim_start().to_ascii_lowercase();
    for (prefix, k) in [
        ("readiness probe", Kind::Readiness),
        ("startup probe", Kind::Startup),
        ("liveness probe", Kind::Liveness),
    ] {
        if m.starts_with(prefix)
            && (m
                .get(prefix.len()..)
                .is_some_and(|r| r.starts_with(" failed") || r.starts_with(" errored")))
        {
            return Some(k);
        }
    }
    None
}

/// `Container x failed startup probe, will be restarted` (and the liveness form).
pub(crate) fn kill_for(e: &EventRec) -> Option<Kind> {
    let m = e.message.to_ascii_lowercase();
    if !m.contains("will be restarted") {
        return None;
    }
    if m.contains("failed startup probe") {
        Some(Kind::Startup)
    } else if m.contains("failed liveness probe") {
        Some(Kind::Liveness)
    } else {
        None
    }
}

/// What the probe's answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    Status(u16),
    Refused,
    Timeout,
    Scheme,
    ExecMissing,
    Empty,
    Other,
}

pub(crate) fn answer(message: &str) -> Answer {
    let l = message.to_ascii_lowercase();
    if let Some(i) = l.find("statuscode: ") {
        let code: String = l
            .get(i + "statuscode: ".len()..)
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(c) = code.parse() {
            return Answer::Status(c);
        }
    }
    if l.contains("connection refused") || l.contains("failed to connect") {
        return Answer::Refused;
    }
    if l.contains("deadline exceeded") || l.contains("timeout") || l.contains("timed out") {
        return Answer::Timeout;
    }
    if l.contains("server gave http response to https client")
        || l.contains("tls:")
        || l.contains("x509")
    {
        return Answer::Scheme;
    }
    if l.contains("executable file not found") || l.contains("no such file or directory") {
        return Answer::ExecMissing;
    }
    let after = message.split_once(':').map_or("", |(_, r)| r).trim();
    if after.is_empty() {
        return Answer::Empty;
    }
    Answer::Other
}

pub(crate) fn answer_words(a: &Answer) -> String {
    match a {
        Answer::Status(c @ (401 | 403)) => format!("the endpoint answers {c}: it requires authentication, and the kubelet's probe sends none (health endpoints behind the app's security config, e.g. Spring Boot actuator, do this)"),
        Answer::Status(404) => "the endpoint answers 404: the probe's path does not exist in the application".to_owned(),
        Answer::Status(c) if (300..400).contains(c) => format!("the endpoint answers a redirect ({c}) the probe does not follow to success (often http → https or a login page)"),
        Answer::Status(c) if *c >= 500 => format!("the application answers {c}: it reports itself unhealthy — usually a dependency it checks (database, cache, downstream API) is down, or it is still starting"),
        Answer::Status(c) => format!("the endpoint answers {c}, which is not a success (200–399)"),
        Answer::Refused => "nothing accepts connections on the probed port: the application is not listening yet (still starting), listens on another port, or only on 127.0.0.1 while the kubelet probes the pod IP".to_owned(),
        Answer::Timeout => "the probe gets no answer within timeoutSeconds: the application is too slow (starting, overloaded, CPU-throttled or blocked), or the endpoint does expensive work".to_owned(),
        Answer::Scheme => "the probe's scheme does not match the server (HTTP against HTTPS or the reverse)".to_owned(),
        Answer::ExecMissing => "the exec probe's command does not exist in the image (e.g. curl or wget in a minimal image)".to_owned(),
        Answer::Empty => "the exec probe's command exited non-zero without output (or did not finish within timeoutSeconds)".to_owned(),
        Answer::Other => "the probe's answer is quoted in the evidence".to_owned(),
    }
}

/// A probe's output without curl's progress meter, on one line.
pub(crate) fn probe_output(message: &str) -> String {
    let m = match message.find("curl: (") {
        Some(i) => {
            let head = message.split(':').next().unwrap_or("");
            format!("{head}: {}", message.get(i..).unwrap_or(""))
        }
        None => message.to_owned(),
    };
    m.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `HTTP GET /healthz on port 8080` and the timing of a probe.
pub(crate) fn probe_words(p: &Probe) -> (String, String) {
    let target = if let Some(h) = &p.http_get {
        format!(
            "{} GET {} on port {}",
            h.scheme.as_deref().unwrap_or("HTTP"),
            h.path.as_deref().unwrap_or("/"),
            port(&h.port)
        )
    } else if let Some(t) = &p.tcp_socket {
        format!("TCP connect to port {}", port(&t.port))
    } else if let Some(e) = &p.exec {
        let cmd = crate::text::mask_args(e.command.as_deref().unwrap_or(&[])).join(" ");
        format!("exec {}", crate::text::clip(&cmd, 120))
    } else if let Some(g) = &p.grpc {
        format!("gRPC health check on port {}", g.port)
    } else {
        "a probe".to_owned()
    };
    let timing = format!(
        "initialDelaySeconds {}, periodSeconds {}, timeoutSeconds {}, failureThreshold {}",
        p.initial_delay_seconds.unwrap_or(0),
        p.period_seconds.unwrap_or(10),
        p.timeout_seconds.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    (target, timing)
}

fn port(v: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString) -> String {
    match v {
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
    }
}

fn probe_of<'a>(c: &ContainerView<'a>, k: Kind) -> Option<&'a Probe> {
    let s = c.spec?;
    match k {
        Kind::Readiness => s.readiness_probe.as_ref(),
        Kind::Startup => s.startup_probe.as_ref(),
        Kind::Liveness => s.liveness_probe.as_ref(),
    }
}

fn is_probe_event(e: &EventRec) -> bool {
    failed_probe(e).is_some() || kill_for(e).is_some()
}

/// Report failing probes on containers no other family explained.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    for i in 0..ctx.pods.len() {
        let claimed: Vec<String> = ctx
            .findings_for_pod(i)
            .filter_map(|f| f.object.container.clone())
            .collect();
        let pod_claimed_error = ctx
            .findings_for_pod(i)
            .any(|f| f.object.container.is_none() && f.severity == Severity::Error);
        let mut found = Vec::new();
        if let Some(pv) = ctx.pods.get(i) {
            if pv.done() || pod_claimed_error {
                continue;
            }
            if pv.pod.metadata.deletion_timestamp.is_some() {
                // Being deleted: its probes fail while it shuts down. Said, not alarmed.
                if let Some(f) = terminating_note(pv) {
                    found.push(f);
                }
                for f in found {
                    ctx.pod_finding(i, f);
                }
                continue;
            }
            if !pv.events.iter().any(|e| is_probe_event(e)) {
                continue;
            }
            let adopt = adopter(pv);
            for c in &pv.containers {
                if claimed.iter().any(|n| n == c.name) {
                    continue;
                }
                if let Some(f) = container_finding(pv, c, adopt == Some(c.name), ctx.snap.now) {
                    found.push(f);
                }
            }
            if adopt == Some("") && !pod_claimed_any(&claimed) {
                let c = ContainerView {
                    name: "",
                    init: false,
                    spec: None,
                    status: None,
                };
                if let Some(f) = container_finding(pv, &c, true, ctx.snap.now) {
                    found.push(f);
                }
            }
            for c in pv.event_only_containers(is_probe_event, &claimed) {
                if let Some(f) = container_finding(pv, &c, false, ctx.snap.now) {
                    found.push(f);
                }
            }
        }
        for f in found {
            ctx.pod_finding(i, f);
        }
    }
}

/// An `info` note: probe failures of a container still inside its probe's warm-up window.
fn warm_note(
    pv: &PodView<'_>,
    c: &ContainerView<'_>,
    kind: Kind,
    failures: &[&EventRec],
) -> Finding {
    let id = match kind {
        Kind::Readiness => "probe.readiness-failing",
        Kind::Startup => "probe.startup-failing",
        Kind::Liveness => "probe.liveness-failing",
    };
    let mut f = pv.finding(
        id,
        Severity::Info,
        (!c.name.is_empty()).then_some(c.name),
        format!(
            "{} of {} is still starting: its {} probe has not passed yet",
            container_label(c),
            pv.subject(),
            kind.word()
        ),
    );
    f.explanation = "The container started less than initialDelaySeconds + failureThreshold × periodSeconds ago: probe failures in this window are the normal start-up of an application that is not listening yet. Look again if it does not become ready.".to_owned();
    if let Some(e) = failures.last() {
        f.evidence.push(event_ev(e));
    }
    f
}

/// Whether another family already explained a container of the pod.
fn pod_claimed_any(claimed: &[String]) -> bool {
    !claimed.is_empty()
}

/// An `info` note for a pod being deleted whose probes fail: expected while it stops.
fn terminating_note(pv: &PodView<'_>) -> Option<Finding> {
    let e = pv
        .events
        .iter()
        .copied()
        .filter(|e| failed_probe(e).is_some())
        .max_by_key(|e| e.last_seen)?;
    let container = e.container();
    let mut f = pv.finding(
        "probe.readiness-failing",
        Severity::Info,
        container,
        format!(
            "{} is being deleted; its probe failures while it shuts down are expected",
            pv.subject()
        ),
    );
    f.explanation = "The pod has a deletionTimestamp: it is stopping, so its application stops answering probes. This is not a failure unless the pod stays in Terminating.".to_owned();
    f.evidence.push(ev(
        "metadata.deletionTimestamp",
        pv.pod
            .metadata
            .deletion_timestamp
            .as_ref()
            .map(|t| t.0.to_string())
            .unwrap_or_default(),
    ));
    f.evidence.push(event_ev(e));
    Some(f)
}

/// The container that probe events without a container name belong to: the pod's only
/// regular container, or its only running container that is not ready; `Some("")` when
/// the input knows no container at all (events only, tables without field paths).
fn adopter<'a>(pv: &PodView<'a>) -> Option<&'a str> {
    if !pv
        .events
        .iter()
        .any(|e| is_probe_event(e) && e.container().is_none())
    {
        return None;
    }
    let regular: Vec<&ContainerView<'a>> = pv.containers.iter().filter(|c| !c.init).collect();
    match regular.as_slice() {
        [] => {
            let named = pv
                .events
                .iter()
                .any(|e| is_probe_event(e) && e.container().is_some());
            (!named).then_some("")
        }
        [only] => Some(only.name),
        many => {
            let unready: Vec<&&ContainerView<'a>> = many
                .iter()
                .filter(|c| c.status.is_some_and(|s| !s.ready))
                .collect();
            match unready.as_slice() {
                [one] => Some(one.name),
                _ => None,
            }
        }
    }
}

fn container_finding(
    pv: &PodView<'_>,
    c: &ContainerView<'_>,
    adopt: bool,
    now: Option<crate::Timestamp>,
) -> Option<Finding> {
    let events: Vec<&EventRec> = pv
        .events
        .iter()
        .copied()
        .filter(|e| e.container() == Some(c.name) || (adopt && e.container().is_none()))
        .collect();
    let of = |k: Kind| -> Vec<&EventRec> {
        events
            .iter()
            .copied()
            .filter(|e| failed_probe(e) == Some(k))
            .collect()
    };
    let st = c.status;
    let running = st
        .and_then(|s| s.state.as_ref())
        .is_some_and(|s| s.running.is_some());
    let ready = st.is_some_and(|s| s.ready);
    let started = st.and_then(|s| s.started);
    let startup = of(Kind::Startup);
    let startup_kills: Vec<&EventRec> = events
        .iter()
        .copied()
        .filter(|e| kill_for(e) == Some(Kind::Startup))
        .collect();
    let liveness = of(Kind::Liveness);
    let readiness = of(Kind::Readiness);
    // Ready now: earlier failures are history.
    if ready && running {
        return None;
    }
    // Still inside the probe's own warm-up window (initialDelaySeconds + failureThreshold
    // × periodSeconds since the container started), with nothing killed: normal start-up.
    let warming = |k: Kind| -> bool {
        let (Some(now), Some(p)) = (now, probe_of(c, k)) else {
            return false;
        };
        let Some(started_at) = st
            .and_then(|s| s.state.as_ref())
            .and_then(|s| s.running.as_ref())
            .and_then(|r| r.started_at.as_ref())
        else {
            return false;
        };
        let window = i64::from(p.initial_delay_seconds.unwrap_or(0))
            + i64::from(p.failure_threshold.unwrap_or(3))
                * i64::from(p.period_seconds.unwrap_or(10));
        now.duration_since(started_at.0).as_secs() < window
    };
    let (kind, failures, severity) = if !startup.is_empty() || !startup_kills.is_empty() {
        if startup_kills.is_empty() && warming(Kind::Startup) {
            return Some(warm_note(pv, c, Kind::Startup, &startup));
        }
        if started == Some(true) && running {
            return None; // it did start in the end
        }
        let restarts = st.map_or(0, |s| s.restart_count);
        let sev = if !startup_kills.is_empty() || restarts > 0 || !running {
            Severity::Error
        } else {
            Severity::Warning
        };
        (Kind::Startup, startup, sev)
    } else if !liveness.is_empty() {
        if warming(Kind::Liveness) {
            return Some(warm_note(pv, c, Kind::Liveness, &liveness));
        }
        (Kind::Liveness, liveness, Severity::Warning)
    } else if !readiness.is_empty() {
        if st.is_some() && !running {
            return None; // not running: whatever stops it is the cause, not readiness
        }
        if warming(Kind::Readiness) {
            return Some(warm_note(pv, c, Kind::Readiness, &readiness));
        }
        (Kind::Readiness, readiness, Severity::Warning)
    } else {
        return None;
    };
    Some(describe(
        pv,
        c,
        kind,
        &failures,
        &startup_kills,
        severity,
        &of(Kind::Readiness),
    ))
}

#[allow(clippy::too_many_arguments)]
fn describe(
    pv: &PodView<'_>,
    c: &ContainerView<'_>,
    kind: Kind,
    failures: &[&EventRec],
    kills: &[&EventRec],
    severity: Severity,
    readiness: &[&EventRec],
) -> Finding {
    let label = if c.name.is_empty() {
        "its container".to_owned()
    } else {
        container_label(c)
    };
    let subject = pv.subject();
    let total: i64 = failures.iter().map(|e| e.count).sum();
    let newest = failures
        .iter()
        .max_by_key(|e| e.last_seen)
        .copied()
        .or(failures.last().copied());
    let ans = newest.map_or(Answer::Other, |e| answer(&e.message));
    let title = match kind {
        Kind::Readiness => format!("{label} of {subject} is not ready: its readiness probe fails"),
        Kind::Startup => format!(
            "{label} of {subject} does not pass its startup probe in time{}",
            if kills.is_empty() {
                ""
            } else {
                " and is restarted"
            }
        ),
        Kind::Liveness => format!("{label} of {subject} fails its liveness probe"),
    };
    let id = match kind {
        Kind::Readiness => "probe.readiness-failing",
        Kind::Startup => "probe.startup-failing",
        Kind::Liveness => "probe.liveness-failing",
    };
    let mut f = pv.finding(id, severity, (!c.name.is_empty()).then_some(c.name), title);
    if let Some(s) = c.status {
        f.evidence.push(ev(
            format!("{}.ready", super::pod::status_path(c)),
            s.ready.to_string(),
        ));
        if s.restart_count > 0 {
            f.evidence.push(ev(
                format!("{}.restartCount", super::pod::status_path(c)),
                s.restart_count.to_string(),
            ));
        }
    }
    if let Some(e) = newest {
        f.evidence.push(event_ev(e));
    }
    if failures.len() > 1 {
        f.evidence.push(ev(
            format!("events[Unhealthy] ({} probe failures)", kind.word()),
            format!("{total} in {} events", failures.len()),
        ));
    }
    let kill_total: i64 = kills.iter().map(|e| e.count).sum();
    if let Some(k) = kills.last() {
        f.evidence.push(event_ev(k));
    }
    if kind != Kind::Readiness
        && let Some(r) = readiness.last()
    {
        f.evidence.push(event_ev(r));
    }
    let probe = probe_of(c, kind);
    let mut probe_desc = String::new();
    if let Some(p) = probe {
        let (target, timing) = probe_words(p);
        f.evidence.push(ev(
            format!("{}.{}", spec_path(c), kind.field()),
            format!("{target} ({timing})"),
        ));
        probe_desc = format!(" The probe is {target} ({timing}).");
    }
    let ns = pv.ns_flag();
    let why = answer_words(&ans);
    let consequence = match kind {
        Kind::Readiness => {
            "A failing readiness probe restarts nothing: the pod is kept out of its Services' endpoints until the probe passes, so it serves no traffic, and a rollout waiting for ready pods stalls."
        }
        Kind::Startup => {
            "Until the startup probe succeeds, liveness and readiness checks are held back; after failureThreshold × periodSeconds without success the kubelet kills and restarts the container, so a slow starter never gets to finish."
        }
        Kind::Liveness => {
            "After failureThreshold consecutive failures the kubelet kills and restarts the container; it has not (yet) gone into a crash-loop back-off."
        }
    };
    let budget = probe.map(|p| {
        i64::from(p.initial_delay_seconds.unwrap_or(0))
            + i64::from(p.failure_threshold.unwrap_or(3))
                * i64::from(p.period_seconds.unwrap_or(10))
    });
    let ran = ran_seconds(c);
    let timing_note = match (kind, budget, ran) {
        (Kind::Startup, Some(b), Some(r)) => format!(
            " It gets {b}s (initialDelaySeconds + failureThreshold × periodSeconds) to start; its last run lasted {r}s before it was stopped."
        ),
        (Kind::Startup, Some(b), None) => format!(
            " It gets {b}s (initialDelaySeconds + failureThreshold × periodSeconds) to start."
        ),
        _ => String::new(),
    };
    f.explanation = format!(
        "The kubelet's {} probe of {label} fails{}: {why}.{probe_desc}{timing_note} {consequence}{}",
        kind.word(),
        if total > 1 {
            format!(" ({total} failures)")
        } else {
            String::new()
        },
        if kill_total > 0 {
            format!(" The kubelet restarted it {kill_total} time(s) for this.")
        } else {
            String::new()
        }
    );
    // Look at what the probe sees.
    let mut look = vec![format!("kubectl describe pod {} {ns}", pv.name)];
    if let Some(h) = probe.and_then(|p| p.http_get.as_ref()) {
        let port = port(&h.port);
        look.push(format!(
            "kubectl port-forward pod/{} {ns} {port}:{port}",
            pv.name
        ));
        look.push(format!(
            "curl -i --max-time {} http://localhost:{port}{}",
            probe.and_then(|p| p.timeout_seconds).unwrap_or(1),
            h.path.as_deref().unwrap_or("/")
        ));
    }
    look.push(format!(
        "kubectl logs {}{}{} {ns}",
        pv.name,
        if c.name.is_empty() {
            String::new()
        } else {
            format!(" -c {}", c.name)
        },
        if kind == Kind::Readiness {
            ""
        } else {
            " --previous"
        }
    ));
    f.remediation.push(step(
        "See what the probe gets and what the application logs at that moment.",
        look,
    ));
    // The change, as a patch on the workload.
    let p = probe;
    let (text, body) = match (&ans, kind) {
        (Answer::Timeout, _) => {
            let t = p.and_then(|p| p.timeout_seconds).unwrap_or(1);
            let new = (t * 3).max(5);
            (
                format!(
                    "Give the probe time to answer: raise {}.timeoutSeconds from {t} to {new} (and make the endpoint cheap: no dependency checks in liveness).",
                    kind.field()
                ),
                format!("\"{}\":{{\"timeoutSeconds\":{new}}}", kind.field()),
            )
        }
        (Answer::Refused | Answer::Empty, Kind::Liveness) => {
            let fail = p.and_then(|p| p.failure_threshold).unwrap_or(3);
            let period = p.and_then(|p| p.period_seconds).unwrap_or(10);
            (
                "The probe runs before the application listens: add a startupProbe with the same check (liveness waits until it passes) sized for the slowest start, or raise initialDelaySeconds.".to_owned(),
                startup_copy(p, fail.max(3) * 10, period),
            )
        }
        (_, Kind::Startup) => {
            let fail = p.and_then(|p| p.failure_threshold).unwrap_or(3);
            let period = p.and_then(|p| p.period_seconds).unwrap_or(10);
            let need = ran.map_or(i64::from(fail) * 2, |r| {
                // Twice the time it was given, in periods, at least double the threshold.
                ((r.max(budget.unwrap_or(0)) * 2) / i64::from(period.max(1)))
                    .max(i64::from(fail) * 2)
            });
            let need = i32::try_from(need).unwrap_or(i32::MAX);
            (
                format!(
                    "If the application needs longer to start, raise startupProbe.failureThreshold from {fail} to {need} ({}s at periodSeconds {period}); if it never starts, the logs of the killed run say why.",
                    i64::from(need) * i64::from(period)
                ),
                format!("\"startupProbe\":{{\"failureThreshold\":{need}}}"),
            )
        }
        (Answer::Status(401 | 403 | 404) | Answer::Scheme, _) => (
            format!(
                "Point {} at an endpoint that answers 2xx without authentication on the right port and scheme (or permit the health path in the application's security configuration).",
                kind.field()
            ),
            format!(
                "\"{}\":{{\"httpGet\":{{\"path\":\"/healthz\"}}}}",
                kind.field()
            ),
        ),
        _ => (
            format!(
                "Fix what the answer points at, or the probe itself ({} path, port, timeoutSeconds, failureThreshold).",
                kind.field()
            ),
            format!(
                "\"{}\":{{\"timeoutSeconds\":{},\"failureThreshold\":{}}}",
                kind.field(),
                p.and_then(|p| p.timeout_seconds).unwrap_or(1).max(3),
                p.and_then(|p| p.failure_threshold).unwrap_or(3).max(5)
            ),
        ),
    };
    if c.name.is_empty() {
        // The input does not say which container: no patch can name it.
        f.remediation.push(step(
            format!(
                "{text} The input does not name the container: change the probe on {}. {}",
                pv.target(),
                pv.apply_hint()
            ),
            pv.workload_command(format!("kubectl edit {} {ns}", pv.target())),
        ));
        return f;
    }
    let patch = pv.container_patch(c, &body);
    f.remediation.push(patch_step(
        format!("{text} On {}: {}", pv.target(), pv.apply_hint()),
        pv.workload_command(pv.patch_command(&patch)),
        patch,
    ));
    f
}

/// A startupProbe with the same handler as `p` (or a placeholder HTTP check).
pub(crate) fn startup_copy(p: Option<&Probe>, failure: i32, period: i32) -> String {
    let handler = p
        .and_then(|p| {
            if let Some(h) = &p.http_get {
                Some(format!(
                    "\"httpGet\":{{\"path\":{},\"port\":{}}}",
                    serde_json::Value::String(h.path.clone().unwrap_or_else(|| "/".to_owned())),
                    match &h.port {
                        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) =>
                            i.to_string(),
                        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) =>
                            serde_json::Value::String(s.clone()).to_string(),
                    }
                ))
            } else if let Some(e) = &p.exec {
                // Secret-looking arguments are masked, as everywhere (the patch then
                // needs them filled in again).
                let cmd: Vec<serde_json::Value> =
                    crate::text::mask_args(e.command.as_deref().unwrap_or(&[]))
                        .into_iter()
                        .map(serde_json::Value::String)
                        .collect();
                Some(format!(
                    "\"exec\":{{\"command\":{}}}",
                    serde_json::Value::Array(cmd)
                ))
            } else {
                p.tcp_socket.as_ref().map(|t| {
                    format!(
                        "\"tcpSocket\":{{\"port\":{}}}",
                        match &t.port {
                            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) =>
                                i.to_string(),
                            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(
                                s,
                            ) => serde_json::Value::String(s.clone()).to_string(),
                        }
                    )
                })
            }
        })
        .unwrap_or_else(|| {
            "\"exec\":{\"command\":[\"<same command as the liveness probe>\"]}".to_owned()
        });
    format!(
        "\"startupProbe\":{{{handler},\"failureThreshold\":{failure},\"periodSeconds\":{period}}}"
    )
}

/// How long the container's last terminated run lasted, in seconds.
fn ran_seconds(c: &ContainerView<'_>) -> Option<i64> {
    let st = c.status?;
    if let Some(t) = st.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
        let (a, b) = (t.started_at.as_ref()?, t.finished_at.as_ref()?);
        return Some(b.0.duration_since(a.0).as_secs()).filter(|s| *s >= 0);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(reason: &str, message: &str) -> EventRec {
        EventRec {
            reason: reason.into(),
            message: message.into(),
            ..EventRec::default()
        }
    }

    #[test]
    fn probe_events() {
        assert_eq!(
            failed_probe(&rec(
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 401"
            )),
            Some(Kind::Readiness)
        );
        assert_eq!(
            failed_probe(&rec("Unhealthy", "Liveness probe failed: ")),
            Some(Kind::Liveness)
        );
        assert_eq!(
            failed_probe(&rec("Unhealthy", "Startup probe errored: rpc error")),
            Some(Kind::Startup)
        );
        assert_eq!(failed_probe(&rec("Killing", "Stopping container x")), None);
        assert_eq!(
            kill_for(&rec(
                "Killing",
                "Container app failed startup probe, will be restarted"
            )),
            Some(Kind::Startup)
        );
    }

    #[test]
    fn containers_named_by_messages_without_field_path() {
        assert_eq!(
            rec(
                "Killing",
                "Container gadget failed liveness probe, will be restarted"
            )
            .container(),
            Some("gadget")
        );
        assert_eq!(
            rec(
                "BackOff",
                "Back-off restarting failed container api in pod api-0_ns(u)"
            )
            .container(),
            Some("api")
        );
        assert_eq!(
            rec("Started", "Started container with docker id 2a158eecfcfd").container(),
            None
        );
        assert_eq!(
            rec(
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 401"
            )
            .container(),
            None
        );
    }

    #[test]
    fn answers() {
        assert_eq!(
            answer("Readiness probe failed: HTTP probe failed with statuscode: 401"),
            Answer::Status(401)
        );
        assert_eq!(
            answer(
                "Liveness probe failed: curl: (7) Failed to connect to localhost port 8080: Connection refused"
            ),
            Answer::Refused
        );
        assert_eq!(
            answer(
                "Liveness probe failed: Get \"http://10.0.0.1:8080/\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            ),
            Answer::Timeout
        );
        assert_eq!(answer("Liveness probe failed: "), Answer::Empty);
    }
}
