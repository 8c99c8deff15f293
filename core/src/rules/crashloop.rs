//! Containers that start and then die: crash loops and out-of-memory kills.
//!
//! Ids: `oom-killed`, `crashloop.liveness-killed`, `crashloop.exec-format`,
//! `crashloop.command-not-found`, `crashloop.permission-denied`, `crashloop.segfault`,
//! `crashloop.completed`, `crashloop.app-error`. `CrashLoopBackOff` is only the symptom;
//! the last termination (exit code, reason, message), the runtime's start error and the
//! probe events name the cause. An OOM kill is reported even when the container runs
//! again by now.

use super::Ctx;
use super::pod::{
    ContainerView, PodView, container_label, ev, event_ev, patch_step, spec_path, status_path, step,
};
use crate::quantity::{Quantity, format_bytes, format_bytes_human};
use crate::snapshot::EventRec;
use crate::{Finding, Severity};
use k8s_openapi::api::core::v1::ContainerStateTerminated;

/// Waiting reasons of a container whose process cannot even be started.
const START_FAILURES: &[&str] = &[
    "RunContainerError",
    "CreateContainerError",
    "StartError",
    "ContainerCannotRun",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    Oom,
    Liveness,
    ExecFormat,
    CommandNotFound,
    PermissionDenied,
    Segfault,
    Completed,
    AppError,
}

impl Cause {
    fn id(self) -> &'static str {
        match self {
            Cause::Oom => "oom-killed",
            Cause::Liveness => "crashloop.liveness-killed",
            Cause::ExecFormat => "crashloop.exec-format",
            Cause::CommandNotFound => "crashloop.command-not-found",
            Cause::PermissionDenied => "crashloop.permission-denied",
            Cause::Segfault => "crashloop.segfault",
            Cause::Completed => "crashloop.completed",
            Cause::AppError => "crashloop.app-error",
        }
    }
}

/// What one container's state says.
struct Observed<'a> {
    /// The termination to explain (current, else last).
    term: Option<&'a ContainerStateTerminated>,
    term_path: String,
    waiting_reason: &'a str,
    waiting_msg: &'a str,
    restarts: i32,
    running: bool,
    liveness: Vec<&'a crate::snapshot::EventRec>,
    backoff: Vec<&'a crate::snapshot::EventRec>,
    /// Kills by a failed startup probe: `probe.startup-failing` explains those.
    startup_kills: usize,
    /// Pre-2016 kubelet events: `killing` / `Killing <docker id>` with no reason given.
    old_kills: i64,
    /// The runtime's start error from `Failed` events (when the status has none).
    start_msg: &'a str,
    /// The container's last output pasted under a `kubectl logs` prompt, and where.
    logs: &'a str,
    logs_source: Option<&'a str>,
}

/// At most the last `max` characters of `s`, with `…` when cut (the end of a log is
/// what matters).
fn clip_tail(s: &str, max: usize) -> String {
    let n = s.chars().count();
    match s.char_indices().nth(n.saturating_sub(max)) {
        Some((cut, _)) if cut > 0 => format!("…{}", s.get(cut..).unwrap_or(s)),
        _ => s.to_owned(),
    }
}

/// The last lines of a container's logs, when pasted text carried them (the text
/// reader's `kdiag.io/logs.<container>` annotation), with where they were read.
fn pasted_logs<'a>(pv: &PodView<'a>, container: &str) -> (&'a str, Option<&'a str>) {
    let Some(a) = pv.pod.metadata.annotations.as_ref() else {
        return ("", None);
    };
    let get = |prefix: &str| {
        a.iter()
            .find(|(k, _)| k.strip_prefix(prefix) == Some(container))
            .map(|(_, v)| v.as_str())
    };
    (
        get(crate::input::text::LOGS_ANNOTATION).unwrap_or(""),
        get(crate::input::text::LOGS_SOURCE_ANNOTATION),
    )
}

/// Look at every container of every pod not already explained by an image pull.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    for i in 0..ctx.pods.len() {
        let claimed: Vec<String> = ctx
            .findings_for_pod(i)
            .filter_map(|f| f.object.container.clone())
            .collect();
        let mut found = Vec::new();
        if let Some(pv) = ctx.pods.get(i) {
            for c in &pv.containers {
                if claimed.iter().any(|n| n == c.name) {
                    continue;
                }
                if let Some(f) = container_finding(pv, c) {
                    found.push(f);
                }
            }
            // Containers the input knows only from back-off, probe or start-failure events.
            let crash_event = |e: &EventRec| {
                is_backoff(e)
                    || is_liveness(e)
                    || super::create::is_start_failure_event(e)
                    || is_old_kill(e)
            };
            for c in pv.event_only_containers(crash_event, &claimed) {
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

/// A liveness probe failure, or the kubelet's "failed liveness probe, will be restarted".
fn is_liveness(e: &EventRec) -> bool {
    let m = e.message.to_ascii_lowercase();
    (e.reason == "Unhealthy" && m.starts_with("liveness probe"))
        || m.contains("failed liveness probe")
}

/// A 2015-era kubelet kill (`killing` / `Killing <docker id>`): the reason is not given.
fn is_old_kill(e: &EventRec) -> bool {
    e.reason.eq_ignore_ascii_case("killing")
        && e.message
            .strip_prefix("Killing ")
            .is_some_and(|id| id.len() >= 12 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The kubelet's "Back-off restarting failed container".
fn is_backoff(e: &EventRec) -> bool {
    e.reason == "BackOff" && e.message.contains("restarting failed container")
}

fn observe<'a>(pv: &PodView<'a>, c: &ContainerView<'a>) -> Observed<'a> {
    let st = c.status;
    let state = st.and_then(|s| s.state.as_ref());
    let last = st.and_then(|s| s.last_state.as_ref());
    let (term, term_path) = match (
        state.and_then(|s| s.terminated.as_ref()),
        last.and_then(|s| s.terminated.as_ref()),
    ) {
        (Some(t), _) => (Some(t), format!("{}.state.terminated", status_path(c))),
        (None, Some(t)) => (Some(t), format!("{}.lastState.terminated", status_path(c))),
        (None, None) => (None, String::new()),
    };
    let waiting = state.and_then(|s| s.waiting.as_ref());
    let events: Vec<_> = pv
        .events
        .iter()
        .copied()
        .filter(|e| e.container() == Some(c.name))
        .collect();
    let liveness = events.iter().copied().filter(|e| is_liveness(e)).collect();
    let backoff = events.iter().copied().filter(|e| is_backoff(e)).collect();
    let startup_kills = events
        .iter()
        .filter(|e| super::probe::kill_for(e) == Some(super::probe::Kind::Startup))
        .count();
    let old_kills = events
        .iter()
        .filter(|e| is_old_kill(e))
        .map(|e| e.count)
        .sum();
    let start_msg = events
        .iter()
        .rev()
        .find(|e| super::create::is_start_failure_event(e))
        .map_or("", |e| e.message.as_str());
    let (logs, logs_source) = pasted_logs(pv, c.name);
    Observed {
        term,
        term_path,
        waiting_reason: waiting.and_then(|w| w.reason.as_deref()).unwrap_or(""),
        waiting_msg: waiting.and_then(|w| w.message.as_deref()).unwrap_or(""),
        restarts: st.map_or(0, |s| s.restart_count),
        running: state.is_some_and(|s| s.running.is_some()),
        liveness,
        backoff,
        startup_kills,
        old_kills,
        start_msg,
        logs,
        logs_source,
    }
}

/// A log line that is the container runtime's own error when it could not exec the
/// container's process (runc / Docker print it as the container's only output):
/// `standard_init_linux.go:228: exec user process caused: exec format error`,
/// `exec /bin/sh: exec format error`, `exec /app/run: no such file or directory`.
/// A shell's own failure to run the command is one too: `sh: /start.sh: Permission
/// denied`, `/bin/sh: 1: gunicorn: not found`, `env: 'python': No such file or directory`.
fn runtime_start_error(l: &str) -> bool {
    let l = l.trim();
    let shell = ["sh:", "bash:", "ash:", "dash:", "env:"].iter().any(|s| {
        l.strip_prefix("/usr")
            .unwrap_or(l)
            .strip_prefix("/bin/")
            .unwrap_or(l)
            .starts_with(s)
    });
    let lower = l.to_ascii_lowercase();
    if shell
        && [
            "permission denied",
            "not found",
            "no such file or directory",
        ]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        return true;
    }
    l.contains("exec format error")
        || l.contains("exec user process caused")
        || (l.starts_with("exec ")
            && (l.ends_with("no such file or directory") || l.ends_with("permission denied")))
        || (l.contains("exec: \"") && l.contains("executable file not found in $PATH"))
}

fn classify(o: &Observed<'_>, restart_policy: &str) -> Option<Cause> {
    let reason = o.term.and_then(|t| t.reason.as_deref()).unwrap_or("");
    let code = o.term.map(|t| t.exit_code);
    // Of pasted logs, only the runtime's own start error is read: an application's
    // output may say "permission denied" or "no such file" about anything.
    let start_error_in_logs = o
        .logs
        .lines()
        .filter(|l| runtime_start_error(l))
        .collect::<Vec<_>>()
        .join(" ");
    let msg = format!(
        "{} {} {} {}",
        o.term.and_then(|t| t.message.as_deref()).unwrap_or(""),
        o.waiting_msg,
        o.start_msg,
        start_error_in_logs
    )
    .to_ascii_lowercase();
    if reason == "OOMKilled" || msg.contains("out of memory") || msg.contains("oom-kill") {
        return Some(Cause::Oom);
    }
    if o.startup_kills > 0 {
        return None; // probe.startup-failing
    }
    if !o.liveness.is_empty() && matches!(code, Some(137 | 143) | None) {
        return Some(Cause::Liveness);
    }
    if o.liveness.is_empty() && o.old_kills >= 2 && matches!(code, Some(137 | 143) | None) {
        return Some(Cause::Liveness);
    }
    if msg.contains("exec format error") {
        return Some(Cause::ExecFormat);
    }
    // "no such file or directory" is about the command only when the runtime was
    // executing it, not when it was mounting a volume.
    let missing_file = msg.contains("no such file or directory")
        && !msg.contains("error mounting")
        && !msg.contains("mount ");
    // dash and busybox sh say `/bin/sh: 1: gunicorn: not found`.
    let shell_not_found = start_error_in_logs
        .to_ascii_lowercase()
        .contains(": not found");
    if code == Some(127)
        || shell_not_found
        || msg.contains("executable file not found")
        || missing_file
        || msg.contains("command not found")
    {
        return Some(Cause::CommandNotFound);
    }
    if code == Some(126) || msg.contains("permission denied") {
        return Some(Cause::PermissionDenied);
    }
    if code == Some(139) || o.term.and_then(|t| t.signal) == Some(11) {
        return Some(Cause::Segfault);
    }
    if code == Some(0) {
        return (restart_policy == "Always").then_some(Cause::Completed);
    }
    // A container the runtime could not start, for no reason named above, is
    // container.create-failed (the exit code 128 / 127 of a start error is the runtime's).
    let start_failure = START_FAILURES.contains(&o.waiting_reason)
        || o.term
            .and_then(|t| t.reason.as_deref())
            .is_some_and(|r| START_FAILURES.contains(&r))
        || !o.start_msg.is_empty();
    if start_failure {
        return None;
    }
    if code.is_some() || !o.backoff.is_empty() || o.waiting_reason == "CrashLoopBackOff" {
        return Some(Cause::AppError);
    }
    if START_FAILURES.contains(&o.waiting_reason) && !o.waiting_msg.is_empty() {
        return None; // a start failure without a known cause: container.create-failed
    }
    None
}

fn container_finding(pv: &PodView<'_>, c: &ContainerView<'_>) -> Option<Finding> {
    if pv.done() || pv.pod.metadata.deletion_timestamp.is_some() {
        // Finished pods (and sidecars that exited with them); pods being deleted, whose
        // containers stop on purpose.
        return None;
    }
    if pv.phase() == "Failed"
        && pv
            .pod
            .status
            .as_ref()
            .and_then(|s| s.reason.as_ref())
            .is_some()
    {
        return None; // evicted, shut down, rejected: the pod's reason says why, not the exit
    }
    if pv.phase() == "Failed"
        && pv
            .pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.type_ == "DisruptionTarget" && c.status == "True")
            })
    {
        // Stopped on purpose by the system (Job deadline, eviction, preemption, taint
        // manager): the exit code is the signal it sent, not the application's fault.
        return None;
    }
    if c.init
        && c.status
            .and_then(|s| s.state.as_ref())
            .and_then(|s| s.terminated.as_ref())
            .is_some_and(|t| t.exit_code == 0)
    {
        return None; // an init container that finished its work
    }
    // Running and never restarted: nothing to explain (the common case, decided cheaply).
    let running_clean = c.status.is_some_and(|s| {
        s.restart_count == 0 && s.state.as_ref().is_some_and(|st| st.running.is_some())
    });
    if running_clean {
        return None;
    }
    let o = observe(pv, c);
    let phase = pv.phase();
    let looping = o.waiting_reason == "CrashLoopBackOff"
        || START_FAILURES.contains(&o.waiting_reason)
        || !o.backoff.is_empty()
        || !o.start_msg.is_empty()
        || o.old_kills >= 2
        || o.liveness
            .iter()
            .any(|e| e.message.contains("will be restarted"));
    // Terminated now: a failure, or (under restartPolicy Always) a clean exit that has
    // already been restarted at least once.
    let died_now = c
        .status
        .and_then(|s| s.state.as_ref())
        .and_then(|s| s.terminated.as_ref())
        .is_some_and(|t| t.exit_code != 0 || (pv.restart_policy() == "Always" && o.restarts > 0));
    let last_oom = o
        .term
        .and_then(|t| t.reason.as_deref())
        .is_some_and(|r| r == "OOMKilled");
    // A container that runs now but keeps getting restarted is degraded, not down. A
    // pasted `Last State:` block without the current state reads the same way.
    let state_unknown = c.status.is_some_and(|s| s.state.is_none());
    let recovering = (o.running && (last_oom || o.restarts >= 3 || !o.liveness.is_empty()))
        || (state_unknown && last_oom);
    if !(looping || died_now || recovering) {
        return None;
    }
    if phase == "Failed" && pv.restart_policy() != "Always" && !died_now {
        return None;
    }
    let cause = classify(&o, pv.restart_policy())?;
    let severity = if (o.running || state_unknown) && !looping {
        Severity::Warning
    } else {
        Severity::Error
    };
    Some(describe(pv, c, &o, cause, severity))
}

fn describe(
    pv: &PodView<'_>,
    c: &ContainerView<'_>,
    o: &Observed<'_>,
    cause: Cause,
    severity: Severity,
) -> Finding {
    let label = container_label(c);
    let subject = pv.subject();
    let code = o.term.map(|t| t.exit_code);
    let restarts = if o.restarts > 0 {
        format!(", restarted {} times", o.restarts)
    } else {
        String::new()
    };
    let title = match cause {
        Cause::Oom => format!("{label} in {subject} is killed for running out of memory{restarts}"),
        Cause::Liveness => {
            format!("{label} in {subject} is restarted by its failing liveness probe{restarts}")
        }
        Cause::ExecFormat => format!(
            "{label} in {subject} cannot start: the image is built for another CPU architecture"
        ),
        Cause::CommandNotFound => {
            format!("{label} in {subject} cannot start: its command is not found in the image")
        }
        Cause::PermissionDenied => {
            format!("{label} in {subject} cannot start: permission denied on its command or files")
        }
        Cause::Segfault => {
            format!("{label} in {subject} crashes with a segmentation fault (exit 139){restarts}")
        }
        Cause::Completed => format!(
            "{label} in {subject} exits successfully and is restarted forever (restartPolicy Always){restarts}"
        ),
        Cause::AppError => match code {
            Some(code) => format!("{label} in {subject} exits with code {code}{restarts}"),
            None => format!("{label} in {subject} keeps crashing{restarts}"),
        },
    };
    // An init container that runs and fails blocks the whole pod: init.failing, with its
    // own cause in the words. A native sidecar (an init container with restartPolicy
    // Always) runs beside the app like a regular container and keeps the crash-loop ids.
    let sidecar = c
        .spec
        .and_then(|s| s.restart_policy.as_deref())
        .is_some_and(|p| p == "Always");
    let kills: i64 = o
        .liveness
        .iter()
        .filter(|e| e.message.contains("failed liveness probe"))
        .map(|e| e.count)
        .sum();
    // Liveness kills put a container into back-off from its second restart on; before
    // that (or with no sign of back-off) it is a failing probe, not yet a crash loop.
    let backed_off = o.waiting_reason == "CrashLoopBackOff"
        || !o.backoff.is_empty()
        || o.restarts >= 2
        || kills >= 2
        || o.old_kills >= 2;
    let id = if c.init && !sidecar {
        "init.failing"
    } else if cause == Cause::Liveness && !backed_off {
        "probe.liveness-failing"
    } else {
        cause.id()
    };
    let title = if id == "init.failing" {
        format!("{title}; the pod's containers cannot start until it succeeds")
    } else {
        title
    };
    let mut f = pv.finding(id, severity, Some(c.name), title);
    // Evidence: the state, the termination, the decisive events.
    if !o.waiting_reason.is_empty() {
        f.evidence.push(ev(
            format!("{}.state.waiting.reason", status_path(c)),
            o.waiting_reason,
        ));
    }
    if !o.waiting_msg.is_empty() {
        f.evidence.push(ev(
            format!("{}.state.waiting.message", status_path(c)),
            crate::text::clip(o.waiting_msg, 500),
        ));
    }
    if let Some(t) = o.term {
        if let Some(r) = &t.reason {
            f.evidence
                .push(ev(format!("{}.reason", o.term_path), r.clone()));
        }
        f.evidence.push(ev(
            format!("{}.exitCode", o.term_path),
            t.exit_code.to_string(),
        ));
        if let Some(m) = t.message.as_deref().filter(|m| !m.trim().is_empty()) {
            f.evidence.push(ev(
                format!("{}.message", o.term_path),
                crate::text::clip(m.trim(), 500),
            ));
        }
    }
    if !o.logs.is_empty() {
        let mut e = ev(format!("logs[{}]", c.name), clip_tail(o.logs.trim(), 500));
        e.source = o.logs_source.map(str::to_owned);
        f.evidence.push(e);
    }
    if o.restarts > 0 {
        f.evidence.push(ev(
            format!("{}.restartCount", status_path(c)),
            o.restarts.to_string(),
        ));
    }
    // The probe's own failure and the kill it led to (the newest of each), and the
    // totals over every event of the container.
    let newest = |unhealthy: bool| {
        o.liveness
            .iter()
            .filter(|e| (e.reason == "Unhealthy") == unhealthy)
            .max_by_key(|e| e.last_seen)
    };
    for e in [newest(true), newest(false)].into_iter().flatten() {
        f.evidence.push(event_ev(e));
    }
    let failures: i64 = o
        .liveness
        .iter()
        .filter(|e| e.reason == "Unhealthy")
        .map(|e| e.count)
        .sum();
    if o.liveness.len() > 2 {
        f.evidence.push(ev(
            "events (liveness, all)",
            format!("{failures} probe failures, {kills} kills"),
        ));
    }
    if cause == Cause::Liveness && o.liveness.is_empty() && o.old_kills > 0 {
        f.evidence.push(ev(
            "events[killing]",
            format!(
                "the kubelet killed the running container {} times (Killing <container id>), with no reason given",
                o.old_kills
            ),
        ));
    }
    if let Some(e) = o.backoff.last() {
        f.evidence.push(event_ev(e));
    }
    let ns = pv.ns_flag();
    // --previous only exists once the container has been restarted; a container that
    // terminated and stays terminated (restartPolicy Never) has its logs as the current run.
    let previous = if o.restarts == 0 && o.term_path.contains(".state.terminated") {
        ""
    } else {
        " --previous"
    };
    let logs = format!("kubectl logs {} -c {}{previous} {ns}", pv.name, c.name);
    let init_note = " The pod's regular containers only start once every init container has succeeded, so the whole pod waits (Init:CrashLoopBackOff / Init:Error).";
    match cause {
        Cause::Oom => oom(pv, c, o, &mut f),
        Cause::Liveness => liveness(pv, c, o, &mut f),
        Cause::ExecFormat => {
            f.explanation = format!(
                "The kernel refused to execute the container's entrypoint (\"exec format error\"): the binary in the image is for a different CPU architecture than the node{} (for example an amd64-only image on an arm64 node), or a script lacks its #! line.",
                node_arch(pv)
                    .map(|a| format!(", which is {a}"))
                    .unwrap_or_default()
            );
            f.remediation.push(step(
                "Check the image's platforms against the node's architecture.",
                vec![
                    format!("docker manifest inspect {}", image_of(c)),
                    "kubectl get nodes -L kubernetes.io/arch".to_owned(),
                ],
            ));
            f.remediation.push(step(
                "Build a multi-arch image (or one for the node's architecture), or pin the pod to matching nodes with nodeSelector kubernetes.io/arch.",
                vec![format!("docker buildx build --platform linux/amd64,linux/arm64 -t {} --push .", image_of(c))],
            ));
        }
        Cause::CommandNotFound => {
            let cmd = command_line(c);
            f.explanation = format!(
                "The container runtime could not find the program to run{}: the command/args in the pod spec (or the image's ENTRYPOINT/CMD) name an executable that is not in image {} or not on its $PATH (exit code 127 means \"command not found\"). Minimal images (distroless, scratch) often have no shell at all, so \"sh -c …\" fails too.",
                cmd.as_ref().map(|c| format!(" ({c})")).unwrap_or_default(),
                image_of(c)
            );
            if let Some(cmd) = cmd {
                f.evidence
                    .push(ev(format!("{}.command", spec_path(c)), cmd));
            }
            f.remediation.push(step(
                "List what the image really contains and its default entrypoint.",
                vec![format!("docker image inspect {} --format '{{{{.Config.Entrypoint}}}} {{{{.Config.Cmd}}}}'", image_of(c))],
            ));
            f.remediation.push(step(
                format!("Fix command/args of {label} to a path that exists in the image (use the absolute path), or drop them to use the image's own entrypoint. {}", pv.apply_hint()),
                pv.workload_command(format!("kubectl edit {} {ns}", pv.target())),
            ));
        }
        Cause::PermissionDenied => {
            f.explanation = format!(
                "The process could not execute its entrypoint or open a file it needs (exit 126 / \"permission denied\"): the file is not executable (missing chmod +x in the image), the container runs as a user that may not read it (securityContext.runAsUser{}), or it writes to a read-only root filesystem or a volume owned by another user.",
                c.spec
                    .and_then(|s| s.security_context.as_ref())
                    .and_then(|s| s.run_as_user)
                    .map(|u| format!(" is {u}"))
                    .unwrap_or_default()
            );
            f.remediation.push(step(
                "Read the error in the previous run's output.",
                vec![logs.clone()],
            ));
            f.remediation.push(step(
                format!("Make the entrypoint executable in the image (RUN chmod +x …), or set securityContext.runAsUser/fsGroup so the user can read and write what it needs; check readOnlyRootFilesystem. {}", pv.apply_hint()),
                pv.workload_command(format!("kubectl edit {} {ns}", pv.target())),
            ));
        }
        Cause::Segfault => {
            f.explanation = "The process was killed by SIGSEGV (exit 139 = 128 + 11): a native crash — a bug in native code, a base image whose C library does not match the binary (e.g. glibc binary on musl/Alpine), or an old binary on a newer kernel.".to_owned();
            f.remediation.push(step(
                "Read the last lines before the crash.",
                vec![logs.clone()],
            ));
            f.remediation.push(step(
                "Check the base image against how the binary was built (glibc vs musl, CPU features), enable core dumps to locate the crash, and try the previous image version.",
                vec![],
            ));
        }
        Cause::Completed => {
            let bare = pv.workload.is_none();
            f.explanation = format!(
                "The container's process finished with exit code 0 — it did its work and ended. Under restartPolicy: Always (the only policy a {} allows) Kubernetes treats any exit as a failure and restarts it, with growing back-off (CrashLoopBackOff). A run-to-completion task does not belong in a long-running workload.",
                pv.workload
                    .as_ref()
                    .map_or("Deployment".to_owned(), |w| w.kind.clone())
            );
            let cmd = command_line(c);
            if let Some(cmd) = &cmd {
                f.evidence
                    .push(ev(format!("{}.command", spec_path(c)), cmd.clone()));
            }
            f.remediation.push(step(
                "If it is a one-off or periodic task, run it as a Job or CronJob instead.",
                vec![format!(
                    "kubectl create job {}-once --image={} {ns}{}",
                    c.name,
                    image_of(c),
                    cmd.map(|c| format!(" -- {c}")).unwrap_or_default()
                )],
            ));
            if bare {
                f.remediation.push(step(
                    "For a single bare pod, set restartPolicy: OnFailure (or Never) in its manifest and re-create it.",
                    vec![],
                ));
            }
            f.remediation.push(step(
                format!("If it should keep running, make its command long-running (a server or a loop), not a command that returns. {}", pv.apply_hint()),
                pv.workload_command(format!("kubectl edit {} {ns}", pv.target())),
            ));
        }
        Cause::AppError => {
            let meaning = code
                .map(exit_meaning)
                .unwrap_or("the exit code is not in the input");
            let said = o
                .term
                .and_then(|t| t.message.as_deref())
                .map(message_hint)
                .unwrap_or_default();
            f.explanation = format!(
                "The application itself exits{}: {meaning}.{said} The cause is in its own output — a missing configuration value, a dependency it cannot reach, a bad flag.",
                code.map(|c| format!(" with code {c}")).unwrap_or_default()
            );
            f.remediation.push(step(
                "Read the output of the run that failed.",
                vec![logs.clone()],
            ));
            f.remediation.push(step(
                "Check the configuration it reads at start (env, ConfigMaps, Secrets, flags) and the services it connects to.",
                vec![format!("kubectl describe pod {} {ns}", pv.name)],
            ));
        }
    }
    if id == "init.failing" {
        f.explanation.push_str(init_note);
    }
    f
}

fn oom(pv: &PodView<'_>, c: &ContainerView<'_>, o: &Observed<'_>, f: &mut Finding) {
    let limit = c
        .spec
        .and_then(|s| s.resources.as_ref())
        .and_then(|r| r.limits.as_ref())
        .and_then(|l| l.get("memory"))
        .and_then(|q| Quantity::parse(&q.0).ok())
        .and_then(|q| q.to_units().ok());
    let running_note = if o.running {
        " It is running again now, but it will be killed again when it reaches the same size."
    } else {
        ""
    };
    let ns = pv.ns_flag();
    match limit {
        Some(bytes) if bytes > 0 => {
            let suggested = suggest_memory(bytes);
            let new = format_bytes(suggested);
            f.evidence.push(ev(
                format!("{}.resources.limits.memory", spec_path(c)),
                format_bytes(bytes),
            ));
            f.explanation = format!(
                "The kernel killed the process because the container used more than its memory limit of {} (exit code 137 = SIGKILL, reason OOMKilled).{running_note} Either the limit is too low for the real working set, or the program leaks memory.",
                format_bytes_human(bytes)
            );
            let patch = pv.container_patch(
                c,
                &format!("\"resources\":{{\"limits\":{{\"memory\":\"{new}\"}}}}"),
            );
            let cmd = pv.workload_command(format!(
                "kubectl set resources {} -c {} --limits=memory={new} {ns}",
                pv.target(),
                c.name
            ));
            f.remediation.push(patch_step(
                format!(
                    "Raise the memory limit of {} from {} to {new} (about 1.5×, rounded up) on {}. Keep requests.memory close to the real usage so the scheduler places it on a node with room. {}",
                    container_label(c),
                    format_bytes(bytes),
                    pv.target(),
                    pv.apply_hint()
                ),
                cmd,
                patch,
            ));
        }
        _ => {
            f.explanation = format!(
                "The kernel killed the process for lack of memory (reason OOMKilled, exit 137).{running_note} The container has no memory limit in the input, so it hit the node's memory (or its limit is set elsewhere, e.g. by a LimitRange)."
            );
            f.remediation.push(step(
                format!("Set an explicit memory request and limit on {} that fits its real usage.", container_label(c)),
                pv.workload_command(format!(
                    "kubectl set resources {} -c {} --requests=memory=<usage> --limits=memory=<usage × 1.5> {ns}",
                    pv.target(),
                    c.name
                )),
            ));
        }
    }
    f.remediation.push(step(
        "If usage keeps growing until the kill whatever the limit, look for a leak: watch memory over time and read the logs before the kill.",
        vec![
            format!("kubectl top pod {} --containers {ns}", pv.name),
            format!("kubectl logs {} -c {} --previous {ns}", pv.name, c.name),
        ],
    ));
}

/// About 1.5× the current limit, rounded up to a tidy size (a multiple of 64 Mi, or of
/// 1 Gi above 4 Gi).
fn suggest_memory(bytes: i64) -> i64 {
    const MI: i64 = 1 << 20;
    let target = bytes.saturating_add(bytes / 2);
    let step = if target > 4 * 1024 * MI {
        1024 * MI
    } else {
        64 * MI
    };
    (target / step + i64::from(target % step != 0)).saturating_mul(step)
}

fn liveness(pv: &PodView<'_>, c: &ContainerView<'_>, o: &Observed<'_>, f: &mut Finding) {
    use super::probe::{Answer, answer, answer_words, probe_output, probe_words, startup_copy};
    let probe = c.spec.and_then(|s| s.liveness_probe.as_ref());
    let ns = pv.ns_flag();
    let mut desc = String::new();
    if let Some(p) = probe {
        let (target, timing) = probe_words(p);
        desc = format!(" The probe is {target} ({timing}).");
        // How long the killed run lasted against what the probe allows before a kill.
        let allowed = i64::from(p.initial_delay_seconds.unwrap_or(0))
            + i64::from(p.failure_threshold.unwrap_or(3))
                * i64::from(p.period_seconds.unwrap_or(10));
        if let Some(t) = o.term
            && let (Some(a), Some(b)) = (t.started_at.as_ref(), t.finished_at.as_ref())
        {
            let ran = b.0.duration_since(a.0).as_secs();
            if ran >= 0 {
                desc.push_str(&format!(
                    " Its last run lasted {ran}s; a probe that never passes kills it after about {allowed}s (initialDelaySeconds + failureThreshold × periodSeconds)."
                ));
            }
        }
        f.evidence.push(ev(
            format!("{}.livenessProbe", spec_path(c)),
            format!("{target} ({timing})"),
        ));
    }
    // The newest failure says what the probe got.
    let failure = o
        .liveness
        .iter()
        .filter(|e| e.reason == "Unhealthy")
        .max_by_key(|e| e.last_seen)
        .map(|e| e.message.as_str());
    let ans = failure.map_or(Answer::Other, answer);
    let why = match failure {
        Some(m) => format!(
            " ({}): {}",
            crate::text::clip(&probe_output(m), 300),
            answer_words(&ans)
        ),
        None => String::new(),
    };
    f.explanation = if o.liveness.is_empty() {
        format!(
            "The kubelet kills the running container again and again ({} kills) without saying why: events of this age (before Kubernetes 1.2) do not name the reason, and a failing liveness probe is the usual one.{desc} Check the probe first; an external kill (a supervisor, the OOM killer) is the other possibility.",
            o.old_kills
        )
    } else {
        format!(
            "The kubelet kills and restarts the container because its liveness probe fails{why}.{desc} Each kill restarts the application, which often fails the probe again while it starts, so it never settles."
        )
    };
    f.remediation.push(step(
        "See what the probe gets and what the application logged before the kill.",
        vec![
            format!("kubectl describe pod {} {ns}", pv.name),
            format!("kubectl logs {} -c {} --previous {ns}", pv.name, c.name),
        ],
    ));
    let period = probe.and_then(|p| p.period_seconds).unwrap_or(10);
    let (text, body) = match ans {
        Answer::Timeout => {
            let t = probe.and_then(|p| p.timeout_seconds).unwrap_or(1);
            let new = (t * 3).max(5);
            (
                format!("The probe times out: raise livenessProbe.timeoutSeconds from {t} to {new}, and keep the liveness endpoint cheap (no checks of databases or other services)."),
                format!("\"livenessProbe\":{{\"timeoutSeconds\":{new}}}"),
            )
        }
        _ => (
            "If the application starts slowly, add a startupProbe with the same check (liveness checks wait until it passes; here up to 5 minutes), or raise initialDelaySeconds of the liveness probe.".to_owned(),
            startup_copy(probe, 30, period),
        ),
    };
    let patch = pv.container_patch(c, &body);
    f.remediation.push(patch_step(
        format!("{text} On {}: {}", pv.target(), pv.apply_hint()),
        pv.workload_command(pv.patch_command(&patch)),
        patch,
    ));
}

/// What a termination message says about the cause, when it says something common.
fn message_hint(m: &str) -> String {
    let l = m.to_ascii_lowercase();
    let hint = if [
        "statuscode=401",
        "statuscode=403",
        " 401 ",
        " 403 ",
        "unauthorized",
        "forbidden",
    ]
    .iter()
    .any(|k| l.contains(k))
    {
        "its last words show a request refused as unauthorized/forbidden (401/403): the credentials or permissions it uses are wrong"
    } else if l.contains("connection refused") || l.contains("econnrefused") {
        "its last words show a connection refused: a service it needs is not reachable (down, wrong host or port)"
    } else if l.contains("no such host") || l.contains("enotfound") {
        "its last words show a host name that does not resolve"
    } else if l.contains("flag provided but not defined")
        || l.contains("unknown flag")
        || l.contains("unrecognized option")
    {
        "its last words show a command-line flag it does not know: check command/args"
    } else {
        return String::new();
    };
    format!(" The termination message says more: {hint}.")
}

/// What an exit code conventionally means.
pub(crate) fn exit_meaning(code: i32) -> &'static str {
    match code {
        1 => "exit code 1 is a generic application error",
        2 => "exit code 2 usually means a misused command or invalid arguments",
        126 => "exit code 126 means the command was found but could not be executed",
        127 => "exit code 127 means the command was not found",
        128 => "exit code 128 means an invalid exit argument",
        130 => "exit code 130 means it was interrupted (SIGINT)",
        134 => {
            "exit code 134 means it aborted (SIGABRT), often a failed assertion or a runtime's fatal error"
        }
        137 => {
            "exit code 137 means it was killed with SIGKILL — by the OOM killer, a failed liveness probe, or an external kill"
        }
        139 => "exit code 139 means a segmentation fault (SIGSEGV)",
        143 => "exit code 143 means it was stopped with SIGTERM",
        255 => "exit code 255 is an unspecified fatal error (or an exit status out of range)",
        c if c > 128 && c < 160 => {
            "an exit code above 128 means it was killed by a signal (code − 128)"
        }
        _ => "the application reported an error",
    }
}

fn image_of(c: &ContainerView<'_>) -> String {
    c.spec
        .and_then(|s| s.image.clone())
        .or_else(|| c.status.map(|s| s.image.clone()))
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| "<image>".to_owned())
}

/// The command (and args, secrets masked) of a container spec, as a shell-like line.
fn command_line(c: &ContainerView<'_>) -> Option<String> {
    let spec = c.spec?;
    let mut parts: Vec<String> = spec.command.clone().unwrap_or_default();
    parts.extend(spec.args.iter().flatten().cloned());
    (!parts.is_empty()).then(|| {
        crate::text::mask_args(&parts)
            .iter()
            .map(|a| crate::text::shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn node_arch(pv: &PodView<'_>) -> Option<String> {
    let info = pv.node?.status.as_ref()?.node_info.as_ref()?;
    Some(format!("{}/{}", info.operating_system, info.architecture))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_suggestion_is_tidy_and_higher() {
        const MI: i64 = 1 << 20;
        assert_eq!(suggest_memory(256 * MI), 384 * MI);
        assert_eq!(suggest_memory(100 * MI), 192 * MI);
        assert_eq!(suggest_memory(4096 * MI), 6144 * MI);
        assert!(suggest_memory(i64::MAX) > 0);
    }

    #[test]
    fn only_the_runtimes_start_error_is_read_from_logs() {
        assert!(runtime_start_error(
            "standard_init_linux.go:219: exec user process caused: exec format error"
        ));
        assert!(runtime_start_error("exec /usr/bin/bash: exec format error"));
        assert!(runtime_start_error(
            "exec /entrypoint.sh: no such file or directory"
        ));
        assert!(!runtime_start_error(
            "open /etc/app.yaml: no such file or directory"
        ));
        assert!(!runtime_start_error("mkdir /data/cache: permission denied"));
        assert!(runtime_start_error(
            "sh: /opt/api/bin/start.sh: Permission denied"
        ));
        assert!(runtime_start_error("/bin/sh: 1: gunicorn: not found"));
        assert!(runtime_start_error(
            "env: 'python': No such file or directory"
        ));
        assert!(!runtime_start_error("user alice: not found"));
    }
}
