//! The rules: one module per failure family, each emitting findings with a taxonomy id.
//!
//! Every id has its user documentation in `docs/<id>.md`; that text is the rustdoc of the
//! id's item in [`registry`] and what `kdiag explain <id>` prints.
//!
//! Order of work (see [`run`]): the pod families claim each failing container or pod in
//! turn — [`image_pull`], [`config`], [`sandbox`], [`mount`], [`crashloop`] (also init
//! containers and liveness kills), [`probe`], [`create`]; then the node family ([`node`])
//! claims pods its nodes explain, before [`scheduling`] reads the pending ones; then
//! [`evicted`], [`terminating`] and the workload checks ([`workload`]: Jobs, refused pod
//! creation, quota); [`rollout`] reads the findings so far to explain stuck workloads;
//! [`other`] reports unhealthy pods no family claimed. `rank` merges one cause across a
//! workload's pods and orders the report.

pub mod config;
pub mod crashloop;
pub mod create;
pub mod evicted;
pub mod image_pull;
pub mod mount;
pub mod node;
pub mod other;
pub(crate) mod pod;
pub mod probe;
mod rank;
pub mod registry;
pub mod rollout;
pub mod sandbox;
pub mod scheduling;
pub mod terminating;
pub mod workload;

use crate::{Finding, Report, SCHEMA, Snapshot, Summary};
use pod::PodView;

pub use registry::{explain, ids};

/// What the rules share while they run.
pub(crate) struct Ctx<'a> {
    pub snap: &'a Snapshot,
    pub pods: Vec<PodView<'a>>,
    /// Findings so far.
    findings: Vec<Finding>,
    /// For each pod (same index as `pods`), the indexes of its findings.
    by_pod: Vec<Vec<usize>>,
}

impl<'a> Ctx<'a> {
    /// Report a finding about pod number `pod` (an index into `pods`).
    pub(crate) fn pod_finding(&mut self, pod: usize, f: Finding) {
        if let Some(list) = self.by_pod.get_mut(pod) {
            list.push(self.findings.len());
        }
        self.findings.push(f);
    }

    /// Report a finding about something other than one pod (a workload, a node).
    pub(crate) fn finding(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// Report one finding that explains several pods (a node and the pods on it): each
    /// of them counts it as its own.
    pub(crate) fn shared_finding(&mut self, pods: &[usize], f: Finding) {
        let at = self.findings.len();
        for &p in pods {
            if let Some(list) = self.by_pod.get_mut(p) {
                list.push(at);
            }
        }
        self.findings.push(f);
    }

    /// Findings already made about pod number `pod`.
    pub(crate) fn findings_for_pod(&self, pod: usize) -> impl Iterator<Item = &Finding> {
        self.by_pod
            .get(pod)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.findings.get(i))
    }

    /// Raise the findings about pod number `pod` to at least `severity`.
    pub(crate) fn raise_pod_findings(&mut self, pod: usize, severity: crate::Severity) {
        for &i in self.by_pod.get(pod).into_iter().flatten() {
            if let Some(f) = self.findings.get_mut(i) {
                f.severity = f.severity.min(severity);
            }
        }
    }

    /// Whether any family already explained pod number `pod`.
    pub(crate) fn pod_claimed(&self, pod: usize) -> bool {
        self.findings_for_pod(pod).next().is_some()
    }
}

/// Run every rule over the snapshot and return the ranked report (without the input
/// summary, which the caller fills in).
pub fn run(snapshot: &Snapshot) -> Report {
    let pods: Vec<PodView<'_>> = snapshot
        .pods
        .iter()
        .map(|p| PodView::new(snapshot, p))
        .collect();
    let mut ctx = Ctx {
        snap: snapshot,
        by_pod: vec![Vec::new(); pods.len()],
        pods,
        findings: Vec::new(),
    };
    image_pull::check(&mut ctx);
    config::check(&mut ctx);
    sandbox::check(&mut ctx);
    mount::check(&mut ctx);
    crashloop::check(&mut ctx);
    probe::check(&mut ctx);
    create::check(&mut ctx);
    node::check(&mut ctx);
    scheduling::check(&mut ctx);
    node::rejected(&mut ctx);
    evicted::check(&mut ctx);
    terminating::check(&mut ctx);
    workload::jobs(&mut ctx);
    workload::denials(&mut ctx);
    rollout::check(&mut ctx);
    node::overcommitted(&mut ctx);
    other::check(&mut ctx);
    let findings = rank::merge_and_order(ctx.findings);
    let mut summary = Summary::default();
    for f in &findings {
        match f.severity {
            crate::Severity::Error => summary.errors += 1,
            crate::Severity::Warning => summary.warnings += 1,
            crate::Severity::Info => summary.infos += 1,
        }
    }
    Report {
        schema: SCHEMA,
        summary,
        findings,
        input_warnings: Vec::new(),
    }
}
