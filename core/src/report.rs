//! The report: what every front end prints or returns (schema `kdiag.report/v1`).
//!
//! These types serialise to exactly the JSON of CONTRACT.md §2. Field order is the
//! declaration order and every collection is ordered, so the same input gives the same
//! bytes on every front end.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// The schema identifier written into every report.
pub const SCHEMA: &str = "kdiag.report/v1";

/// The whole diagnosis of one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Counts of what was read and found.
    pub summary: Summary,
    /// Findings, most important first (errors, then warnings, then infos; a root cause
    /// before the findings it explains).
    pub findings: Vec<Finding>,
    /// Parts of the input that could not be read, with their location.
    pub input_warnings: Vec<InputWarning>,
}

impl Report {
    /// The highest severity among the findings, if there are any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).min()
    }

    /// Findings of at least the given severity (`Severity::Warning` yields errors and warnings).
    pub fn at_least(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity <= severity)
    }

    /// Clip every text longer than [`MAX_TEXT`] characters (a name or message of megabytes
    /// in hostile input), so a report stays readable and its size bounded by the number
    /// of findings, not by the input's longest string.
    pub(crate) fn clip_long_texts(&mut self) {
        for f in &mut self.findings {
            let o = &mut f.object;
            let texts = [&mut f.title, &mut f.explanation, &mut o.kind, &mut o.name];
            texts.into_iter().for_each(clip_long);
            o.namespace
                .iter_mut()
                .chain(o.container.iter_mut())
                .for_each(clip_long);
            if let Some(w) = &mut f.workload {
                clip_long(&mut w.name);
                w.namespace.iter_mut().for_each(clip_long);
            }
            f.pods.iter_mut().for_each(clip_long);
            for e in &mut f.evidence {
                clip_long(&mut e.path);
                clip_long(&mut e.value);
                e.source.iter_mut().for_each(clip_long);
            }
            for r in &mut f.remediation {
                clip_long(&mut r.text);
                r.commands
                    .iter_mut()
                    .chain(r.patch.iter_mut())
                    .for_each(clip_long);
            }
        }
        if self.summary.objects.keys().any(|k| k.len() > MAX_TEXT) {
            let objects = std::mem::take(&mut self.summary.objects);
            for (mut kind, n) in objects {
                clip_long(&mut kind);
                let count = self.summary.objects.entry(kind).or_default();
                *count = count.saturating_add(n);
            }
        }
        for w in &mut self.input_warnings {
            clip_long(&mut w.location);
            clip_long(&mut w.message);
        }
    }

    /// The report as pretty-printed JSON, exactly as `kdiag --output json` prints it.
    pub fn to_json_pretty(&self) -> String {
        // Serialising these plain structs cannot fail: every map key is a string.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The longest text a report holds, in characters; longer ones are clipped with `…`.
pub const MAX_TEXT: usize = 4096;

fn clip_long(s: &mut String) {
    // A string of at most MAX_TEXT bytes has at most MAX_TEXT characters.
    if s.len() > MAX_TEXT {
        *s = crate::text::clip(s, MAX_TEXT);
    }
}

/// Counts of what was read and found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Objects read, by kind (kinds kdiag does not understand are counted too).
    pub objects: BTreeMap<String, usize>,
    /// Number of `error` findings.
    pub errors: usize,
    /// Number of `warning` findings.
    pub warnings: usize,
    /// Number of `info` findings.
    pub infos: usize,
    /// The pasted-text forms recognised (`describe-pod`, `events-table`, `pods-table`, …);
    /// absent for pure JSON/YAML input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<String>,
}

/// How bad a finding is. Orders from most to least severe (`Error < Warning < Info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The workload is down or cannot start.
    Error,
    /// Degraded, or will fail soon.
    Warning,
    /// Context worth knowing.
    Info,
}

impl Severity {
    /// The lower-case name used in the report and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One diagnosed cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The failure id from the taxonomy, e.g. `oom-killed`.
    pub id: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// One line naming what broke, with the real names.
    pub title: String,
    /// The object the finding is about (for a workload-wide finding: the first affected pod).
    pub object: ObjectRef,
    /// The controlling workload, where it could be resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<WorkloadRef>,
    /// Every pod that shows this cause (one finding per workload and cause).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pods: Vec<String>,
    /// Why it happens, in plain words, with the numbers that matter.
    pub explanation: String,
    /// What was read to conclude it.
    pub evidence: Vec<Evidence>,
    /// What to do now.
    pub remediation: Vec<Remediation>,
}

/// The object a finding concerns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    /// Kubernetes kind, e.g. `Pod`.
    pub kind: String,
    /// Namespace; absent for cluster-scoped objects and when the input did not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Object name.
    pub name: String,
    /// Container name, where the finding is about one container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
}

/// The workload that controls a pod (the thing to change, not the pod it replaces).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct WorkloadRef {
    /// `Deployment`, `StatefulSet`, `DaemonSet`, `Job`, `CronJob`, `ReplicaSet`,
    /// `ReplicationController`.
    pub kind: String,
    /// Namespace of the workload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Workload name.
    pub name: String,
}

/// One thing read from the input that supports a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Where it was read: a field path (`status.containerStatuses[app].state.waiting.reason`)
    /// or an event (`events[Failed]`).
    pub path: String,
    /// What was there.
    pub value: String,
    /// Where in pasted text it was read (`block 2, line 14`); absent for JSON/YAML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One step a person can take now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remediation {
    /// The step in words.
    pub text: String,
    /// Commands with real names filled in (may be empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
    /// A spec change against the controlling workload, as a YAML/JSON fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
}

/// A part of the input that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputWarning {
    /// Where: `document 2, item 5, line 14, column 3` (as much as is known).
    pub location: String,
    /// What was wrong.
    pub message: String,
}
